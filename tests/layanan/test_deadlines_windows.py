"""Issue 17, "Deadlines and windows": no extension after the due date (UU 14/2008 Pasal 22(8)), the Komisi
Informasi window of an unanswered objection (Perki 1/2013 Pasal 13), objection grounds checked against the
request (Pasal 35(1)), the delivery of the information and its due date, the PPID clock while a request is
incomplete (a setting), office hours per weekday, and the windows recomputed when holidays change.

Every date below is counted by hand in the comment beside it, on the holiday table that ``manage.py
sync_holidays`` builds for 2025–2027 (national holidays and cuti bersama)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation

from layanan.calendar.models import Holiday, WorkCalendarSettings
from layanan.calendar.workdays import clear_local_calendar_cache, compute_deadline
from layanan.core.models.tickets import Ticket
from layanan.core.workflow import TransitionError, applicant_reply, apply_transition, open_statuses_q
from layanan.ppid import intake as ppid_intake
from layanan.ppid.models import ObjectionDetails
from layanan.ppid.options import objection_options
from layanan.ppid.reports import drilldown_queryset, ppid_annual_report
from layanan.ppid.windows import delivery_deadline, komisi_informasi_deadline
from tests.layanan.conftest import ppid_payload, wib

pytestmark = pytest.mark.django_db

D = datetime.date
UTC = datetime.UTC


def _request(received_at, **overrides):
    return Ticket.objects.get(
        pk=ppid_intake.submit_ppid_request(ppid_payload(**overrides), received_at=received_at).ticket.pk
    )


def _objection_data(request=None, reason="c", **overrides):
    data = {
        "name": "Siti Aminah",
        "nik": "3171234567890001",
        "email": "siti@example.org",
        "request_tracking_number": request.tracking_number if request is not None else "",
        "reason": reason,
        "description": "Keberatan atas permohonan saya.",
    }
    data.update(overrides)
    return data


def _object(request, reason, at, **overrides):
    submission = ppid_intake.submit_objection(_objection_data(request, reason, **overrides), received_at=at)
    return Ticket.objects.select_related("objection").get(pk=submission.ticket.pk)


def _refused(request, reason, at) -> dict:
    with pytest.raises(ValidationError) as exc:
        ppid_intake.submit_objection(_objection_data(request, reason), received_at=at)
    return exc.value.message_dict


def _decide(ticket, user, frozen_now, at, outcome="granted_full", **inputs):
    frozen_now(at)
    inputs.setdefault("note", "Pemberitahuan tertulis.")
    return apply_transition(ticket, "decide", user, outcome=outcome, **inputs)


# --- 1. no extension after the due date (UU 14/2008 Pasal 22(8)) -----------------------------------------------
# Received Monday 2 June 2025 10:00 WIB: day 0 = 2 June; +10 WD skipping 6 June (Idul Adha), 7–8 June (weekend)
# and 9 June (cuti bersama Idul Adha): 3, 4, 5, 10, 11, 12, 13, 16, 17, 18 June → due Wednesday 18 June 2025.
# An extension on the due date: +7 WD from 18 June skipping 27 June (Tahun Baru Islam): 19, 20, 23, 24, 25, 26,
# 30 June → due 30 June 2025.


def test_an_extension_on_the_due_date_is_given(synced_holidays, desk_users, frozen_now):
    ticket = _request(wib(2025, 6, 2, 10, 0))
    assert ticket.due_date == D(2025, 6, 18)
    frozen_now(datetime.datetime(2025, 6, 18, 16, 59, tzinfo=UTC))  # 23:59 WIB on the due date
    ticket = apply_transition(ticket, "extend", desk_users["ppid"], reason="Informasi di tiga unit")
    assert ticket.extended and ticket.due_date == D(2025, 6, 30)


@pytest.mark.parametrize(
    "now",
    [
        datetime.datetime(2025, 6, 18, 17, 0, tzinfo=UTC),  # 00:00 WIB on 19 June: the WIB date is past the due date
        wib(2025, 6, 19, 8, 0),
        wib(2025, 7, 15, 10, 0),
    ],
)
def test_an_extension_after_the_due_date_is_refused_and_nothing_is_stored(synced_holidays, desk_users, frozen_now, now):
    ticket = _request(wib(2025, 6, 2, 10, 0))
    entries = ticket.timeline.count()
    frozen_now(now)
    with pytest.raises(TransitionError) as exc:
        apply_transition(ticket, "extend", desk_users["ppid"], reason="Terlambat")
    assert "Pasal 22(8)" in exc.value.message and "2025" in exc.value.message
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert not ticket.extended and ticket.extended_at is None and ticket.extension_reason == ""
    assert ticket.due_date == D(2025, 6, 18) and ticket.timeline.count() == entries


def test_the_annual_report_counts_an_answer_after_a_late_extension_as_late(synced_holidays, desk_users, frozen_now):
    ppid = desk_users["ppid"]
    # (1) extended in time (17 June, before the due date 18 June) and decided 25 June, by the extended 30 June
    in_time = _request(wib(2025, 6, 2, 10, 0))
    frozen_now(wib(2025, 6, 17, 10, 0))
    in_time = apply_transition(in_time, "extend", ppid, reason="Tepat waktu")
    _decide(in_time, ppid, frozen_now, wib(2025, 6, 25, 10, 0))
    # (2) a row from before the rule: "extended" on 20 June, after its due date 18 June, stored due date 30 June,
    #     decided 25 June — after 18 June, so late although 25 June ≤ the stored 30 June
    legacy = _request(wib(2025, 6, 2, 10, 0))
    _decide(legacy, ppid, frozen_now, wib(2025, 6, 25, 10, 0))
    Ticket.objects.filter(pk=legacy.pk).update(
        extended=True, extension_days=7, extended_at=wib(2025, 6, 20, 10, 0), due_date=D(2025, 6, 30)
    )
    # (3) the same late extension, then decided through the desk: the step re-derives the due date without it
    relaid = _request(wib(2025, 6, 2, 10, 0))
    Ticket.objects.filter(pk=relaid.pk).update(extended=True, extension_days=7, extended_at=wib(2025, 6, 20, 10, 0))
    relaid = _decide(relaid, ppid, frozen_now, wib(2025, 6, 25, 10, 0))
    assert relaid.due_date == D(2025, 6, 18)

    report = ppid_annual_report(2025, as_of=D(2025, 12, 31))
    assert report.requests == 3 and report.extensions == 3
    assert report.answered_late == 2  # (2) and (3); (1) was answered within its valid extension
    late = set(drilldown_queryset(None, 2025, {"set": "requests", "late": "1"}).values_list("pk", flat=True))
    assert late == {legacy.pk, relaid.pk}


# --- 2. the Komisi Informasi windows (UU 14/2008 Pasal 37(2); Perki 1/2013 Pasal 13) -----------------------------
# Request received Thursday 1 April 2027 10:00 WIB, no holiday in April 2027: +10 WD = 2–15 April → due Thursday
# 15 April 2027. Objection (c) filed Friday 16 April 2027 10:00: day 0 = 16 April; +30 WD skipping 6 May
# (Kenaikan Isa Almasih), 17–20 May (Idul Adha, cuti bersama, Waisak) and 1 June (Pancasila): April 19–23 (5),
# 26–30 (10); May 3–5, 7 (14); 10–14 (19); 21 (20); 24–28 (25); 31 May, 2–4 June (29); 7 June (30) → the answer
# is due Monday 7 June 2027. Never answered: +14 WD after 7 June: 8–11 (4), 14–18 (9), 21–25 June (14) →
# Komisi Informasi until Friday 25 June 2027.
# Its filing window (reason c: from the request's due date 15 April): +30 WD = 16 April … 4 June 2027.


@pytest.fixture
def unanswered(synced_holidays):
    request = _request(wib(2027, 4, 1, 10, 0))
    assert request.due_date == D(2027, 4, 15)
    return _object(request, "c", wib(2027, 4, 16, 10, 0))


def test_an_unanswered_objection_may_go_to_the_komisi_informasi_14_wd_after_its_answer_period(unanswered):
    assert unanswered.due_date == D(2027, 6, 7)
    details = unanswered.objection
    assert (details.window_start, details.window_last_date) == (D(2027, 4, 15), D(2027, 6, 4))
    assert details.komisi_informasi_deadline == D(2027, 6, 25)  # stored from the start, one rule
    assert komisi_informasi_deadline(unanswered).legal_source == "Perki 1/2013 Pasal 13"
    assert objection_options(unanswered, D(2027, 6, 7)) == []  # the answer is not late yet
    [step] = objection_options(unanswered, D(2027, 6, 8))
    assert step["code"] == "komisi_informasi" and step["until"] == D(2027, 6, 25)
    assert objection_options(unanswered, D(2027, 6, 28)) == []  # the window closed on 25 June


# Answered Friday 28 May 2027 15:00 WIB: day 0 = 28 May; +14 WD skipping 1 June (Pancasila): 31 May, 2–4 June
# (4), 7–11 (9), 14–18 June (14) → Komisi Informasi until Friday 18 June 2027 (UU 14/2008 Pasal 37(2)).


def test_the_answer_sets_the_komisi_informasi_date_14_wd_after_it(unanswered, desk_users, frozen_now):
    frozen_now(wib(2027, 5, 28, 15, 0))
    answered = apply_transition(unanswered, "answer", desk_users["atasan"], decision="rejected", note="Ditolak.")
    assert answered.objection.komisi_informasi_deadline == D(2027, 6, 18)
    assert objection_options(answered, D(2027, 5, 31))[0]["until"] == D(2027, 6, 18)
    assert objection_options(answered, D(2027, 6, 21)) == []


def test_a_new_holiday_moves_the_objection_due_date_its_filing_window_and_the_komisi_informasi_date(
    unanswered, django_capture_on_commit_callbacks
):
    # Tuesday 25 May 2027 becomes a day off: the answer moves 7 → 8 June; the Komisi Informasi date 14 WD after it
    # moves 25 → 28 June; the filing window (30 WD from 15 April) moves 4 → 7 June.
    with django_capture_on_commit_callbacks(execute=True):
        Holiday.objects.create(date=D(2027, 5, 25), name="Libur Tambahan", kind="other")
    ticket = Ticket.objects.select_related("objection").get(pk=unanswered.pk)
    assert ticket.due_date == D(2027, 6, 8)
    assert ticket.objection.window_last_date == D(2027, 6, 7)
    assert ticket.objection.komisi_informasi_deadline == D(2027, 6, 28)
    entry = ticket.timeline.filter(action="deadline_recomputed", data__komisi_informasi_deadline="2027-06-28").get()
    assert entry.visible_to_applicant and "2027-06-25" in entry.note


def test_a_new_holiday_moves_the_komisi_informasi_date_after_an_answer(
    unanswered, desk_users, frozen_now, django_capture_on_commit_callbacks
):
    frozen_now(wib(2027, 5, 28, 15, 0))
    apply_transition(unanswered, "answer", desk_users["atasan"], decision="upheld", note="Dikabulkan.")
    # Wednesday 9 June 2027 becomes a day off: 14 WD after 28 May now end on Monday 21 June (was 18 June).
    with django_capture_on_commit_callbacks(execute=True):
        Holiday.objects.create(date=D(2027, 6, 9), name="Libur Tambahan", kind="other")
    assert ObjectionDetails.objects.get(pk=unanswered.pk).komisi_informasi_deadline == D(2027, 6, 21)


# --- 3. the grounds of an objection checked against the request (UU 14/2008 Pasal 35(1)) -------------------------


def test_reason_c_needs_the_due_date_passed_unanswered(unanswered, synced_holidays):
    # accepted the day after the due date (the ``unanswered`` fixture); refused ON the due date
    request = _request(wib(2027, 4, 1, 10, 0))
    errors = _refused(request, "c", wib(2027, 4, 15, 15, 0))
    assert list(errors) == ["reason"] and "15 April 2027" in errors["reason"][0]
    assert unanswered.objection.reason == "c" and unanswered.objection.request.due_date == D(2027, 4, 15)


def test_reason_c_is_refused_for_a_request_answered_in_time(synced_holidays, desk_users, frozen_now):
    request = _request(wib(2027, 4, 1, 10, 0))
    _decide(request, desk_users["ppid"], frozen_now, wib(2027, 4, 15, 15, 0))  # on the due date
    assert "reason" in _refused(request, "c", wib(2027, 4, 16, 10, 0))
    # answered one working day late (16 April): reason (c) holds, the request was not answered by its due date
    late = _request(wib(2027, 4, 1, 10, 0))
    _decide(late, desk_users["ppid"], frozen_now, wib(2027, 4, 16, 9, 0))
    assert _object(late, "c", wib(2027, 4, 19, 10, 0)).objection.reason == "c"


def test_reason_a_needs_a_refusal_under_pasal_17(synced_holidays, desk_users, frozen_now):
    ppid = desk_users["ppid"]
    filed = wib(2026, 7, 1, 10, 0)
    undecided = _request(filed)
    granted = _request(filed)
    _decide(granted, ppid, frozen_now, wib(2026, 7, 3, 10, 0))
    refused = _request(filed)
    _decide(
        refused,
        ppid,
        frozen_now,
        wib(2026, 7, 3, 10, 0),
        outcome="rejected_exempt",
        exemption_ground="h",
        outcome_reason="Rahasia pribadi; uji konsekuensi terlampir.",
    )
    at = wib(2026, 7, 6, 10, 0)
    # "a minute after the request was filed" and "granted in full" are both refused, on the reason
    assert "reason" in _refused(undecided, "a", wib(2026, 7, 1, 10, 1))
    assert "reason" in _refused(granted, "a", at)
    objection = _object(refused, "a", at)
    assert objection.objection.request_id == refused.pk and objection.objection.window_start == D(2026, 7, 3)


@pytest.mark.parametrize("reason", ["d", "e", "f"])
def test_reasons_d_e_f_need_a_decided_request(synced_holidays, desk_users, frozen_now, reason):
    request = _request(wib(2026, 7, 1, 10, 0))
    assert "reason" in _refused(request, reason, wib(2026, 7, 2, 10, 0))
    _decide(request, desk_users["ppid"], frozen_now, wib(2026, 7, 3, 10, 0), outcome="granted_part", outcome_reason="x")
    assert _object(request, reason, wib(2026, 7, 6, 10, 0)).objection.reason == reason


# --- 4. delivery of the information and ground (g) -----------------------------------------------------------------
# Received Monday 1 June 2026 (Hari Lahir Pancasila) 10:00 WIB: day 0 = Tuesday 2 June; +10 WD skipping
# 16 June (Tahun Baru Islam): 3–5 (3), 8–12 (8), 15, 17 June (10) → due Wednesday 17 June 2026. The information
# is due by the same date (rule ppid/delivery, default 0 WD after the answer's due date).


@pytest.fixture
def decided_june_2026(synced_holidays, desk_users, frozen_now):
    def make():
        request = _request(wib(2026, 6, 1, 10, 0))
        assert request.due_date == D(2026, 6, 17)
        return _decide(request, desk_users["ppid"], frozen_now, wib(2026, 6, 10, 10, 0))

    return make


def test_delivery_on_its_due_date_is_recorded_and_is_not_ground_g(decided_june_2026, desk_users, frozen_now):
    request = decided_june_2026()
    assert delivery_deadline(request).due_date == D(2026, 6, 17)
    assert "reason" in _refused(request, "g", wib(2026, 6, 12, 10, 0))  # nothing delivered yet
    frozen_now(wib(2026, 6, 17, 15, 0))
    request = apply_transition(request, "deliver", desk_users["ppid"], note="Dikirim lewat surel.")
    assert request.status == "delivered" and request.ppid.delivered_at == wib(2026, 6, 17, 15, 0)
    entry = request.timeline.get(action="deliver")
    assert entry.data["delivery_due_date"] == "2026-06-17" and entry.data["delivered_late"] is False
    assert "reason" in _refused(request, "g", wib(2026, 6, 18, 10, 0))


def test_delivery_one_working_day_late_is_ground_g(decided_june_2026, desk_users, frozen_now):
    request = decided_june_2026()
    frozen_now(wib(2026, 6, 18, 9, 0))
    request = apply_transition(request, "deliver", desk_users["ppid"])
    assert request.timeline.get(action="deliver").data["delivered_late"] is True
    objection = _object(request, "g", wib(2026, 6, 19, 10, 0))
    assert objection.objection.window_start == D(2026, 6, 18)  # the reason arose with the late delivery


def test_the_time_needed_stated_in_the_notice_sets_the_delivery_date(decided_june_2026):
    request = decided_june_2026()
    # the notice (decided Wednesday 10 June 2026) says 5 WD: 11, 12, 15, 17, 18 June (16 June: Tahun Baru Islam)
    request.ppid.time_needed_days = 5
    request.ppid.save()
    assert delivery_deadline(Ticket.objects.get(pk=request.pk)).due_date == D(2026, 6, 18)


@override_settings(PESAN_DEADLINE_RULES={"ppid/delivery": {"days": 3, "legal_source": "SOP PPID 2026"}})
def test_the_delivery_rule_is_a_setting(decided_june_2026):
    # 3 WD after the answer's due date 17 June: 18, 19, 22 June 2026
    deadline = delivery_deadline(decided_june_2026())
    assert (deadline.due_date, deadline.legal_source) == (D(2026, 6, 22), "SOP PPID 2026")


# --- reason (b): no request needed ------------------------------------------------------------------------------


def test_reason_b_needs_no_request(synced_holidays, api_client):
    objection = _object(None, "b", wib(2026, 7, 1, 10, 0), request_tracking_number="")
    details = objection.objection
    assert details.request is None and details.window_start is None and details.window_last_date is None
    # 30 WD answer period from Wednesday 1 July 2026 (no holiday in July; 17 August, Kemerdekaan, skipped):
    # July 2–3 (2), 6–10 (7), 13–17 (12), 20–24 (17), 27–31 (22), August 3–7 (27), 10–12 (30) → 12 August 2026
    assert objection.due_date == D(2026, 8, 12)
    # and its Komisi Informasi date, 14 WD later, skipping 17 August (Kemerdekaan) and 25 August (Maulid Nabi):
    # 13–14 (2), 18–21 (6), 24, 26–28 (10), 31 August, 1–3 September (14) → 3 September 2026
    assert details.komisi_informasi_deadline == D(2026, 9, 3)
    # any other reason still needs the number, on that field
    with pytest.raises(ValidationError) as exc:
        ppid_intake.submit_objection(_objection_data(None, "c", request_tracking_number=""))
    assert "request_tracking_number" in exc.value.message_dict
    # the API takes reason (b) without a number, and says the number is missing for another reason
    body = _objection_data(None, "b")
    del body["request_tracking_number"]
    response = api_client.post("/api/v2/ppid/objections/", body, format="json")
    assert response.status_code == 201, response.content
    status = api_client.get(
        f"/api/v2/tickets/{response.json()['tracking_number']}/", HTTP_X_ACCESS_TOKEN=response.json()["access_token"]
    ).json()
    assert status["details"]["request_tracking_number"] is None and status["details"]["reason"] == "b"
    response = api_client.post("/api/v2/ppid/objections/", {**body, "reason": "c"}, format="json")
    assert response.status_code == 400 and "request_tracking_number" in response.json()


def test_the_site_form_shows_the_request_number_as_optional_for_reason_b(client):
    page = client.get("/layanan/keberatan/").content.decode()
    field = page.split('id="field-request_tracking_number"', 1)[1].split("</div>", 1)[0]
    assert 'class="req"' not in field and "aria-required" not in field
    assert "(b)" in field


# --- 5. the PPID clock while a request is incomplete (a setting) --------------------------------------------------
# Received Friday 13 March 2026 10:00 WIB: due Monday 6 April 2026 (UU 14/2008 Pasal 22(7); Nyepi, Idul Fitri,
# cuti bersama and Good Friday skipped). Sent back for completion on 16 March; the applicant completes it on
# Wednesday 8 April 2026 10:00. Counted from the completion: day 0 = 8 April; +10 WD: 9–10 (2), 13–17 (7),
# 20–22 April (10) → due Wednesday 22 April 2026.


@pytest.fixture
def incomplete(synced_holidays, desk_users, frozen_now):
    request = _request(wib(2026, 3, 13, 10, 0))
    frozen_now(wib(2026, 3, 16, 10, 0))
    return apply_transition(request, "request_completion", desk_users["ppid"], note="Mohon lengkapi tujuan.")


def test_by_default_the_clock_runs_while_the_request_is_incomplete(incomplete, frozen_now):
    assert incomplete.clock_running and incomplete.urgency(D(2026, 4, 7)) == "overdue"
    frozen_now(wib(2026, 4, 8, 10, 0))
    completed = applicant_reply(incomplete, "Tujuan: penelitian.")
    assert completed.status == "verification" and completed.due_date == D(2026, 4, 6)


@override_settings(PESAN_PPID_CLOCK_WHILE_INCOMPLETE="from_completion")
def test_the_request_can_count_as_received_when_complete(incomplete, desk_users, frozen_now):
    assert not incomplete.clock_running and incomplete.urgency(D(2026, 4, 7)) == "stopped"
    assert not Ticket.objects.filter(open_statuses_q(), pk=incomplete.pk).exists()  # not overdue in any list
    frozen_now(wib(2026, 4, 8, 10, 0))
    completed = applicant_reply(incomplete, "Tujuan: penelitian.")
    assert completed.clock_running and completed.counting_from == D(2026, 4, 8)
    assert completed.due_date == D(2026, 4, 22)
    # the officer's "completion received" counts the same way: again incomplete, completed on Friday 24 April
    # 2026 10:00 → +10 WD: 27–30 April (4), 4–8 May (9; 1 May Hari Buruh), 11 May (10) → Monday 11 May 2026
    frozen_now(wib(2026, 4, 23, 10, 0))
    again = apply_transition(completed, "request_completion", desk_users["ppid"], note="Lampirkan KTP.")
    frozen_now(wib(2026, 4, 24, 10, 0))
    assert apply_transition(again, "complete", desk_users["ppid"]).due_date == D(2026, 5, 11)


@override_settings(PESAN_PPID_CLOCK_WHILE_INCOMPLETE="paused")
def test_an_unknown_clock_reading_is_a_configuration_error(synced_holidays):
    from django.core.exceptions import ImproperlyConfigured

    from layanan.ppid import conf

    with pytest.raises(ImproperlyConfigured):
        conf.clock_while_incomplete()


# --- 6. office hours per weekday, and the days skipped before day 0 ----------------------------------------------


@pytest.fixture
def friday_until_1630(work_calendar):
    work_calendar.friday_end = datetime.time(16, 30)
    work_calendar.save()
    clear_local_calendar_cache()
    return work_calendar


def test_a_friday_that_closes_later_counts_a_1615_submission_that_day(synced_holidays, friday_until_1630):
    # Friday 10 July 2026 16:15 WIB, before Friday's 16:30: day 0 = 10 July; +10 WD (no holiday in July 2026):
    # 13–17 (5), 20–24 July (10) → due Friday 24 July 2026
    deadline = compute_deadline(wib(2026, 7, 10, 16, 15), 10)
    assert (deadline.counting_from, deadline.due_date, deadline.skipped_before) == (D(2026, 7, 10), D(2026, 7, 24), ())
    # at 16:30 the Friday office is closed: day 0 = Monday 13 July (11–12 July skipped), due Monday 27 July
    late = compute_deadline(wib(2026, 7, 10, 16, 30), 10)
    assert (late.counting_from, late.due_date) == (D(2026, 7, 13), D(2026, 7, 27))
    assert [(s.date, s.name) for s in late.skipped_before] == [(D(2026, 7, 11), "Sabtu"), (D(2026, 7, 12), "Minggu")]
    # Monday keeps the general hours (08:00–16:00): 16:15 on Monday 13 July counts from Tuesday 14 July,
    # +10 WD: 15–17 (3), 20–24 (8), 27–28 July (10) → due Tuesday 28 July 2026
    monday = compute_deadline(wib(2026, 7, 13, 16, 15), 10)
    assert (monday.counting_from, monday.due_date, monday.skipped_before) == (D(2026, 7, 14), D(2026, 7, 28), ())
    with translation.override("id"):
        assert "di luar jam kerja 08.00–16.30 WIB" in late.explain()


def test_a_submission_before_christmas_lists_the_days_skipped_before_day_0(synced_holidays):
    # Wednesday 24 December 2025 16:30 WIB, after hours: 25 (Natal), 26 (cuti bersama), 27–28 December (weekend)
    # are skipped, day 0 = Monday 29 December; +10 WD skipping 1 January 2026 (Tahun Baru): 30–31 December (2),
    # 2 January (3), 5–9 (8), 12–13 January (10) → due Tuesday 13 January 2026
    deadline = compute_deadline(wib(2025, 12, 24, 16, 30), 10, legal_source="UU 14/2008 Pasal 22(7)")
    assert (deadline.counting_from, deadline.due_date) == (D(2025, 12, 29), D(2026, 1, 13))
    assert [s.date for s in deadline.skipped_before] == [
        D(2025, 12, 25),
        D(2025, 12, 26),
        D(2025, 12, 27),
        D(2025, 12, 28),
    ]
    assert deadline.as_dict()["skipped_before"][2] == {"date": "2025-12-27", "name": "Sabtu"}
    with translation.override("en"):
        text = compute_deadline(wib(2025, 12, 24, 16, 30), 10).explain()
    assert "counted from 29 December 2025 (skipping 25 Dec (" in text and "28 Dec (Sunday) before it)" in text


def test_a_thursday_that_closes_early_in_2027(synced_holidays, work_calendar, api_client):
    work_calendar.thursday_end = datetime.time(15, 0)
    work_calendar.save()
    clear_local_calendar_cache()
    # Thursday 4 March 2027 15:30 WIB, after Thursday's 15:00: day 0 = Friday 5 March. +10 WD skipping 6–7 March
    # (weekend), 8 March (Nyepi), 9 (cuti bersama), 10–11 (Idul Fitri), 12 (cuti bersama), 13–14 (weekend),
    # 15 (cuti bersama), 25 (cuti bersama Wafat Yesus Kristus), 26 March (Wafat Yesus Kristus): 16–19 (4),
    # 22–24 (7), 29–31 March (10) → due Wednesday 31 March 2027
    deadline = compute_deadline(wib(2027, 3, 4, 15, 30), 10)
    assert (deadline.counting_from, deadline.due_date) == (D(2027, 3, 5), D(2027, 3, 31))
    # the public calculator gives the same answer, with the days skipped before day 0 (none here: Friday works)
    response = api_client.get("/api/v2/calendar/deadline/", {"start": "2027-03-04T15:30:00+07:00", "days": 10})
    assert response.status_code == 200
    assert (response.json()["due_date"], response.json()["skipped_before"]) == ("2027-03-31", [])


def test_weekday_hours_must_end_after_they_start(work_calendar):
    work_calendar.friday_start = datetime.time(13, 0)
    work_calendar.friday_end = datetime.time(11, 30)
    with pytest.raises(ValidationError) as exc:
        work_calendar.full_clean()
    assert list(exc.value.message_dict) == ["friday_end"]
    hours = WorkCalendarSettings(friday_end=datetime.time(16, 30)).hours_by_weekday()
    assert hours[4] == (datetime.time(8, 0), datetime.time(16, 30)) and hours[0] == (
        datetime.time(8),
        datetime.time(16),
    )


# --- 7. the labels: "objections received" and the decision "upheld" read differently in Indonesian ----------------


def test_objections_received_and_objection_upheld_are_different_words():
    from layanan.ppid.models import ObjectionDetails as Details

    with translation.override("id"):
        upheld = str(Details.Decision.UPHELD.label)
        received = translation.gettext("Objections received")
    assert "Keberatan diterima" not in upheld and upheld == "Keberatan dikabulkan"
    assert received == "Keberatan diterima"


def test_an_extension_given_in_time_survives_a_holiday_removed_later(
    settled_holidays, desk_users, frozen_now, django_capture_on_commit_callbacks
):
    """Pasal 22(8) is judged on the day of the extension, by the calendar of that day. Request of Monday 2 June
    2025 10:00: day 0 = 2 June; 6 June (Iduladha) and 9 June (its cuti bersama) are skipped, so +10 WD = 18 June.
    Extended on 18 June (the due date): +7 WD = 30 June (27 June, Tahun Baru Islam, skipped). Then the cuti bersama
    of 9 June is struck off: the first due date becomes 17 June, before the day of the extension — which stays
    given, now counted from 17 June: 18, 19, 20, 23, 24, 25, 26 June."""
    ticket = _request(wib(2025, 6, 2, 10, 0))
    assert ticket.due_date == D(2025, 6, 18)
    frozen_now(wib(2025, 6, 18, 15, 0))
    ticket = apply_transition(ticket, "extend", desk_users["ppid"], reason="Informasi di tiga unit")
    assert ticket.due_date == D(2025, 6, 30) and ticket.extension_in_time is True
    with django_capture_on_commit_callbacks(execute=True):
        holiday = Holiday.objects.get(date=D(2025, 6, 9))
        holiday.is_active = False
        holiday.save()  # through the model, as the admin does: the due dates are recomputed on commit
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.due_date == D(2025, 6, 26)
    assert ticket.extended and "Pasal 22(8)" in ticket.deadline_explanation
