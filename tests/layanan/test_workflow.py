"""Workflow: allowed and forbidden transitions per service, inputs required, one transaction per step."""

import datetime

import pytest

from layanan.core.models.tickets import Ticket, TimelineEntry
from layanan.core.registry import machines
from layanan.core.workflow import TransitionError, apply_transition
from layanan.lapor import intake as lapor_intake
from layanan.ppid import intake as ppid_intake
from tests.layanan.conftest import lapor_payload, ppid_payload, wib

pytestmark = pytest.mark.django_db


@pytest.fixture
def ppid_ticket(synced_holidays):
    return ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 13, 10, 0)).ticket


@pytest.fixture
def lapor_ticket(synced_holidays):
    return lapor_intake.submit_lapor_report(lapor_payload(), received_at=wib(2026, 3, 2, 10, 0)).ticket


def snapshot(ticket):
    ticket = Ticket.objects.get(pk=ticket.pk)
    return (ticket.status, ticket.due_date, ticket.extended, ticket.unit_id, ticket.timeline.count())


def test_every_machine_is_consistent():
    for machine in machines().values():
        codes = {s.code for s in machine.states}
        assert machine.initial in codes
        for transition in machine.transitions:
            assert set(transition.sources) <= codes, transition.action
            assert transition.target is None or transition.target in codes
            # every desk step needs a permission; the applicant's own steps (reply, completion) are guarded by the
            # access token instead and are never offered at the desk (issue 16)
            assert bool(transition.permissions) != transition.by_applicant, transition.action


def test_ppid_happy_path_to_closed(ppid_ticket, desk_users, units):
    ppid, op1 = desk_users["ppid"], desk_users["op1"]
    t = apply_transition(ppid_ticket, "verify", ppid)
    assert t.status == "verification"
    t = apply_transition(t, "assign", ppid, unit=units[0].pk, note="Mohon diproses")
    assert (t.status, t.unit) == ("assigned", units[0])
    t = apply_transition(t, "start_processing", op1)
    t = apply_transition(t, "decide", op1, outcome="granted_full", note="Terlampir", cost="0")
    assert t.status == "decided" and t.responded_at is not None and t.ppid.outcome == "granted_full"
    t = apply_transition(t, "deliver", op1)
    t = apply_transition(t, "close", ppid)
    assert t.status == "closed" and t.closed_at is not None
    actions = list(t.timeline.values_list("action", "from_status", "to_status"))
    assert actions[0] == ("received", "", "received")
    assert ("assign", "verification", "assigned") in actions
    assert ("close", "delivered", "closed") in actions
    assert all(e.actor for e in t.timeline.exclude(action="received"))


def test_illegal_transition_is_refused_with_indonesian_message_and_changes_nothing(ppid_ticket, desk_users):
    before = snapshot(ppid_ticket)
    with pytest.raises(TransitionError) as exc:
        apply_transition(ppid_ticket, "deliver", desk_users["ppid"])
    assert "tidak dapat" in exc.value.message.lower() or "tidak bisa" in exc.value.message.lower()
    assert snapshot(ppid_ticket) == before


def test_closed_ticket_cannot_be_decided_again(ppid_ticket, desk_users):
    ppid = desk_users["ppid"]
    t = apply_transition(ppid_ticket, "verify", ppid)
    t = apply_transition(t, "decide", ppid, outcome="not_yet_documented", note="Belum didokumentasikan")
    t = apply_transition(t, "close", ppid)
    with pytest.raises(TransitionError):
        apply_transition(t, "decide", ppid, outcome="granted_full", note="x")


def test_unknown_action_is_refused(ppid_ticket, desk_users):
    with pytest.raises(TransitionError):
        apply_transition(ppid_ticket, "teleport", desk_users["ppid"])


def test_rejection_needs_pasal_17_ground_and_reason(ppid_ticket, desk_users):
    ppid = desk_users["ppid"]
    t = apply_transition(ppid_ticket, "verify", ppid)
    before = snapshot(t)
    with pytest.raises(TransitionError) as exc:
        apply_transition(t, "decide", ppid, outcome="rejected_exempt", note="Ditolak")
    assert {"exemption_ground", "outcome_reason"} <= set(exc.value.errors)
    with pytest.raises(TransitionError) as exc:
        apply_transition(
            t, "decide", ppid, outcome="rejected_exempt", exemption_ground="k", outcome_reason="x", note="Ditolak"
        )
    assert "exemption_ground" in exc.value.errors
    assert snapshot(t) == before
    t = apply_transition(
        t,
        "decide",
        ppid,
        outcome="rejected_exempt",
        exemption_ground="c",
        outcome_reason="Uji konsekuensi: membahayakan pertahanan",
        note="Ditolak",
    )
    assert (t.ppid.outcome, t.ppid.exemption_ground) == ("rejected_exempt", "c")


def test_not_held_needs_the_holding_body(ppid_ticket, desk_users):
    ppid = desk_users["ppid"]
    t = apply_transition(ppid_ticket, "verify", ppid)
    with pytest.raises(TransitionError) as exc:
        apply_transition(t, "decide", ppid, outcome="not_held", note="Bukan kewenangan kami")
    assert "holding_body" in exc.value.errors
    t = apply_transition(t, "decide", ppid, outcome="not_held", holding_body="Kementerian Keuangan", note="x")
    assert t.ppid.holding_body == "Kementerian Keuangan"


def test_decision_needs_a_written_notice(ppid_ticket, desk_users):
    t = apply_transition(ppid_ticket, "verify", desk_users["ppid"])
    with pytest.raises(TransitionError) as exc:
        apply_transition(t, "decide", desk_users["ppid"], outcome="granted_full")
    assert "note" in exc.value.errors


def test_extension_once_adds_7_wd_from_current_due_date(ppid_ticket, desk_users, frozen_now):
    ppid = desk_users["ppid"]
    assert ppid_ticket.due_date == datetime.date(2026, 4, 6)
    frozen_now(wib(2026, 3, 30, 10, 0))  # within the first 10 WD (UU 14/2008 Pasal 22(8))
    with pytest.raises(TransitionError) as exc:
        apply_transition(ppid_ticket, "extend", ppid)
    assert "reason" in exc.value.errors
    t = apply_transition(ppid_ticket, "extend", ppid, reason="Informasi tersebar di tiga unit")
    assert t.due_date == datetime.date(2026, 4, 15)
    assert t.extended and t.extended_by == ppid and t.extension_reason
    assert "15 April 2026" in t.deadline_explanation or "2026-04-15" in t.deadline_explanation
    entry = t.timeline.get(action="extend")
    assert entry.visible_to_applicant and entry.note == "Informasi tersebar di tiga unit"
    before = snapshot(t)
    with pytest.raises(TransitionError):
        apply_transition(t, "extend", ppid, reason="Lagi")
    assert snapshot(t) == before


def test_request_completion_and_back(ppid_ticket, desk_users):
    ppid = desk_users["ppid"]
    with pytest.raises(TransitionError):
        apply_transition(ppid_ticket, "request_completion", ppid)  # the applicant must be told what is missing
    t = apply_transition(ppid_ticket, "request_completion", ppid, note="Lampirkan KTP")
    assert t.status == "needs_completion"
    t = apply_transition(t, "complete", ppid)
    assert t.status == "verification"


def test_internal_note_is_not_visible_to_applicant(ppid_ticket, desk_users):
    t = apply_transition(ppid_ticket, "note", desk_users["ppid"], note="internal")
    assert not t.timeline.get(action="note").visible_to_applicant
    t = apply_transition(t, "reply", desk_users["ppid"], note="Kepada pemohon")
    assert t.timeline.get(action="reply").visible_to_applicant


def test_permissions_per_role(ppid_ticket, desk_users, units):
    ppid, op1, atasan, lapor = (desk_users[k] for k in ("ppid", "op1", "atasan", "lapor"))
    for user in (op1, atasan, lapor):
        with pytest.raises(TransitionError):
            apply_transition(ppid_ticket, "verify", user)
    t = apply_transition(ppid_ticket, "assign", ppid, unit=units[0].pk)
    # unit 2's operator cannot act on unit 1's ticket; unit 1's operator can process but not extend
    with pytest.raises(TransitionError):
        apply_transition(t, "start_processing", desk_users["op2"])
    with pytest.raises(TransitionError):
        apply_transition(t, "extend", op1, reason="x")
    t = apply_transition(t, "start_processing", op1)
    assert t.status == "in_process"


def test_assign_needs_a_valid_active_unit(ppid_ticket, desk_users, units):
    with pytest.raises(TransitionError) as exc:
        apply_transition(ppid_ticket, "assign", desk_users["ppid"])
    assert "unit" in exc.value.errors
    units[1].active = False
    units[1].save()
    with pytest.raises(TransitionError):
        apply_transition(ppid_ticket, "assign", desk_users["ppid"], unit=units[1].pk)


def test_failed_effect_rolls_back_the_whole_step(ppid_ticket, desk_users, monkeypatch):
    import layanan.core.workflow as wf

    def broken(*args, **kwargs):
        raise RuntimeError("mail server down")

    monkeypatch.setattr(wf, "record_event", broken)
    before = snapshot(ppid_ticket)
    with pytest.raises(RuntimeError):
        apply_transition(ppid_ticket, "verify", desk_users["ppid"])
    assert snapshot(ppid_ticket) == before


# --- objections --------------------------------------------------------------------------------------------
@pytest.fixture
def objection_ticket(ppid_ticket, desk_users):
    t = apply_transition(ppid_ticket, "verify", desk_users["ppid"])
    apply_transition(
        t,
        "decide",
        desk_users["ppid"],
        outcome="rejected_exempt",
        exemption_ground="h",
        outcome_reason="Data pribadi",
        note="Ditolak",
    )
    data = {
        "request_tracking_number": t.tracking_number,
        "reason": "a",
        "description": "Keberatan",
        "name": "Siti",
        "email": "siti@example.org",
    }
    return ppid_intake.submit_objection(data, received_at=wib(2026, 4, 20, 10, 0)).ticket


def test_objection_answered_by_atasan_only(objection_ticket, desk_users):
    with pytest.raises(TransitionError):
        apply_transition(objection_ticket, "answer", desk_users["ppid"], decision="upheld", note="x")
    t = apply_transition(objection_ticket, "start_review", desk_users["ppid"])
    t = apply_transition(t, "answer", desk_users["atasan"], decision="rejected", note="Keberatan ditolak")
    assert t.status == "answered" and t.objection.decision == "rejected"
    assert t.objection.komisi_informasi_deadline > t.objection.answered_at.date()
    t = apply_transition(t, "record_dispute", desk_users["atasan"], filed_on="2026-06-01")
    assert t.objection.dispute_filed_on == datetime.date(2026, 6, 1)
    assert not t.timeline.get(action="record_dispute").visible_to_applicant


def test_objection_for_refusal_cannot_be_settled_by_agreement(objection_ticket, desk_users):
    with pytest.raises(TransitionError):
        apply_transition(objection_ticket, "settle", desk_users["atasan"], note="Mediasi")


# --- LAPOR -------------------------------------------------------------------------------------------------
def test_lapor_flow_moves_the_deadline_per_milestone(lapor_ticket, desk_users, units):
    admin, op1 = desk_users["lapor"], desk_users["op1"]
    assert lapor_ticket.deadline_rule == "lapor/verification"
    t = apply_transition(lapor_ticket, "verify", admin, classification="pengaduan")
    assert t.deadline_rule == "lapor/first_response" and t.lapor.verified_at
    t = apply_transition(t, "assign", admin, unit=units[0].pk)
    t = apply_transition(t, "follow_up", op1, note="Sudah ditinjau lapangan")
    assert t.deadline_rule == "lapor/completion" and t.lapor.first_response_at
    t = apply_transition(t, "assign", admin, unit=units[0].pk, field_examination=True)
    assert t.deadline_rule == "lapor/completion_field_examination" and t.deadline_unit == "calendar"
    from layanan.calendar.workdays import compute_deadline

    assert t.due_date == compute_deadline(t.lapor.verified_at, 60, unit="calendar").due_date
    t = apply_transition(t, "follow_up", op1, note="Perbaikan dijadwalkan")
    t = apply_transition(t, "request_reply", op1, note="Apakah sudah diperbaiki?")
    t = apply_transition(t, "close", admin)
    assert t.status == "closed" and not t.clock_running


def test_lapor_archive_and_forward_need_a_reason(lapor_ticket, desk_users):
    admin = desk_users["lapor"]
    with pytest.raises(TransitionError):
        apply_transition(lapor_ticket, "archive", admin)
    with pytest.raises(TransitionError) as exc:
        apply_transition(lapor_ticket, "forward", admin)
    assert "forwarded_to" in exc.value.errors
    t = apply_transition(lapor_ticket, "forward", admin, forwarded_to="Pemerintah Provinsi DKI Jakarta")
    assert t.status == "not_our_authority" and t.lapor.forwarded_to.startswith("Pemerintah")
    with pytest.raises(TransitionError):
        apply_transition(t, "verify", admin)


def test_system_actor_is_recorded_as_system(ppid_ticket):
    t = apply_transition(ppid_ticket, "note", None, note="Pengingat otomatis")
    entry = t.timeline.get(action="note")
    assert entry.actor is None and entry.actor_kind == TimelineEntry.ActorKind.SYSTEM


def test_decide_accepts_short_input_names(ppid_ticket, desk_users):
    t = apply_transition(
        ppid_ticket,
        "decide",
        desk_users["ppid"],
        outcome="rejected_exempt",
        ground="a",
        reason="Sedang dalam penyidikan",
        note="Ditolak",
    )
    assert (t.ppid.exemption_ground, t.ppid.outcome_reason) == ("a", "Sedang dalam penyidikan")
