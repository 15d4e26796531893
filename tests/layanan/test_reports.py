"""Reports: the PPID annual report and the SP4N-LAPOR monthly report computed from a known set of tickets built
through the real service functions (intake + workflow.apply_transition at chosen moments), every figure
asserted; drill-down lists; role scoping; query counts that do not grow with the number of tickets.

The data set lives in 2025 (a past, complete year). October and November 2025 have no holidays; one request
crosses 17–18 August 2025 (Sunday + cuti bersama) so that working days visibly differ from calendar days.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from layanan.core.workflow import apply_transition
from layanan.lapor import intake as lapor_intake
from layanan.lapor.models import LaporCategory
from layanan.lapor.reports import lapor_report
from layanan.ppid import intake as ppid_intake
from layanan.ppid.disputes import record_dispute_outcome
from layanan.ppid.reports import drilldown_queryset, ppid_annual_report
from tests.layanan.conftest import lapor_payload, ppid_payload, wib

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 11, 2)


@pytest.fixture
def at(monkeypatch):
    """``at(wib(...))``: make ``timezone.now()`` return that moment (the time a workflow step is taken)."""

    def freeze(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return freeze


def _step(at, moment, ticket, action, user, **data):
    at(moment)
    return apply_transition(ticket, action, user, **data)


def _request(at, moment, channel="web", registered_by=None, **payload):
    at(moment)
    return ppid_intake.submit_ppid_request(
        ppid_payload(**payload), received_at=moment, channel=channel, registered_by=registered_by
    ).ticket


def _objection(at, moment, request, reason):
    at(moment)
    return ppid_intake.submit_objection(
        {
            "request_tracking_number": request.tracking_number,
            "reason": reason,
            "description": "Keberatan atas jawaban",
            "name": "Siti Aminah",
            "nik": "3171234567890001",
            "email": "siti@example.org",
        },
        received_at=moment,
    ).ticket


@pytest.fixture
def ppid_year(settled_holidays, desk_users, units, at):
    """PPID requests and objections of 2025 (plus one of 2024 and one of 2026 that must not count)."""
    ppid, atasan = desk_users["ppid"], desk_users["atasan"]
    u1, u2 = units
    t = {}
    # R1: web, unit 1, granted in full on day 4 (Mon 6 Oct -> Fri 10 Oct)
    r = _request(at, wib(2025, 10, 6, 10, 0))
    r = _step(at, wib(2025, 10, 7, 9, 0), r, "verify", ppid)
    r = _step(at, wib(2025, 10, 7, 10, 0), r, "assign", ppid, unit=u1.pk)
    t["R1"] = _step(at, wib(2025, 10, 10, 11, 0), r, "decide", ppid, outcome="granted_full", note="Terlampir")
    # R2: e-mail, unit 2, extended once, granted in part after 16 WD (due 20 Oct + 7 WD = 29 Oct: in time)
    r = _request(at, wib(2025, 10, 6, 10, 0), channel="email")
    r = _step(at, wib(2025, 10, 7, 10, 0), r, "assign", ppid, unit=u2.pk)
    r = _step(at, wib(2025, 10, 15, 10, 0), r, "extend", ppid, reason="Dokumen tersebar di beberapa unit")
    t["R2"] = _step(
        at, wib(2025, 10, 28, 10, 0), r, "decide", ppid, outcome="granted_part", outcome_reason="Data pribadi", note="x"
    )
    # R3: walk-in, rejected (Pasal 17 h) on Tue 21 Oct: 11 WD, one day late (due Mon 20 Oct)
    r = _request(at, wib(2025, 10, 6, 10, 0), channel="walk_in", registered_by=ppid)
    t["R3"] = _step(
        at,
        wib(2025, 10, 21, 10, 0),
        r,
        "decide",
        ppid,
        outcome="rejected_exempt",
        exemption_ground="h",
        outcome_reason="Rahasia pribadi",
        note="Ditolak",
    )
    # R4: web, unit 1, not held; Mon 11 Aug -> Tue 19 Aug 2025 = 5 WD (17 Aug Sunday, 18 Aug cuti bersama)
    r = _request(at, wib(2025, 8, 11, 9, 0))
    r = _step(at, wib(2025, 8, 12, 9, 0), r, "assign", ppid, unit=u1.pk)
    t["R4"] = _step(
        at, wib(2025, 8, 19, 9, 0), r, "decide", ppid, outcome="not_held", holding_body="Kemenkeu", note="x"
    )
    # R5: phone, not yet documented, decided on day 0
    r = _request(at, wib(2025, 11, 3, 10, 0), channel="phone", registered_by=ppid)
    t["R5"] = _step(at, wib(2025, 11, 3, 15, 0), r, "decide", ppid, outcome="not_yet_documented", note="x")
    # R6: web, unit 2, never decided: overdue
    r = _request(at, wib(2025, 12, 1, 10, 0))
    t["R6"] = _step(at, wib(2025, 12, 2, 10, 0), r, "assign", ppid, unit=u2.pk)
    # R9: web, rejected (Pasal 17 c) the next working day
    r = _request(at, wib(2025, 10, 6, 10, 0))
    t["R9"] = _step(
        at,
        wib(2025, 10, 7, 10, 0),
        r,
        "decide",
        ppid,
        outcome="rejected_exempt",
        exemption_ground="c",
        outcome_reason="Pertahanan",
        note="x",
    )
    # other years: not in the 2025 report
    t["old"] = _request(at, wib(2024, 12, 30, 10, 0))
    t["new"] = _request(at, wib(2026, 1, 5, 10, 0))

    # objections
    o1 = _objection(at, wib(2025, 10, 22, 10, 0), t["R3"], "a")
    o1 = _step(at, wib(2025, 11, 5, 10, 0), o1, "answer", atasan, decision="rejected", note="Tetap ditolak")
    o1 = _step(at, wib(2025, 11, 10, 10, 0), o1, "record_dispute", atasan, filed_on="2025-11-10")
    at(wib(2026, 1, 20, 10, 0))
    record_dispute_outcome(o1, atasan, outcome="rejected", outcome_date=datetime.date(2026, 1, 15))
    o2 = _objection(at, wib(2025, 10, 30, 10, 0), t["R2"], "d")
    o2 = _step(at, wib(2025, 11, 10, 10, 0), o2, "settle", atasan, note="Disepakati")
    o3 = _objection(at, wib(2025, 12, 20, 10, 0), t["R6"], "c")  # never answered: overdue
    # O4: due 30 WD after Mon 13 Oct = Mon 24 Nov; answered Wed 26 Nov: late
    o4 = _objection(at, wib(2025, 10, 13, 10, 0), t["R1"], "f")
    o4 = _step(at, wib(2025, 11, 26, 10, 0), o4, "answer", atasan, decision="upheld", note="Biaya dikoreksi")
    o4 = _step(at, wib(2025, 12, 1, 10, 0), o4, "record_dispute", atasan, filed_on="2025-12-01")
    t.update(O1=o1, O2=o2, O3=o3, O4=o4)
    return t


def _items(items):
    return {i.code: i.count for i in items}


def test_ppid_annual_report_figures(ppid_year, desk_users, units):
    report = ppid_annual_report(2025, desk_users["ppid"], as_of=AS_OF)
    u1, u2 = units
    assert report.requests == 7
    assert report.decided == 6
    assert _items(report.by_channel) == {
        "web": 4,
        "api": 0,
        "email": 1,
        "walk_in": 1,
        "phone": 1,
        "post": 0,
        "social_media": 0,
    }
    by_unit = _items(report.by_unit)
    assert (by_unit[u1.code], by_unit[u2.code], by_unit["none"]) == (2, 2, 3)
    assert _items(report.outcomes) == {
        "granted_full": 1,
        "granted_part": 1,
        "rejected_exempt": 2,
        "not_held": 1,
        "not_yet_documented": 1,
        "none": 1,
    }
    grounds = _items(report.exempt_by_ground)
    assert grounds["c"] == 1 and grounds["h"] == 1 and sum(grounds.values()) == 2
    assert report.extensions == 1
    assert report.answered_late == 1
    assert report.overdue_open == 1
    # time taken (WD): R1 4, R2 16, R3 11, R4 5, R5 0, R9 1
    assert report.time_taken.as_dict() == {"count": 6, "median": 4.5, "mean": 6.2, "max": 16}
    by_outcome = {code: stats.as_dict() for code, _label, stats in report.time_taken_by_outcome}
    assert by_outcome["rejected_exempt"] == {"count": 2, "median": 6.0, "mean": 6.0, "max": 11}
    assert by_outcome["not_held"] == {"count": 1, "median": 5.0, "mean": 5.0, "max": 5}
    assert by_outcome["granted_part"]["max"] == 16
    assert by_outcome["not_yet_documented"]["max"] == 0

    objections = report.objections
    assert (objections.received, objections.answered, objections.answered_late, objections.overdue_open) == (
        4,
        3,
        1,
        1,
    )
    reasons = {r.code: (r.received, r.answered, r.late) for r in objections.by_reason}
    assert reasons == {
        "a": (1, 1, 0),
        "b": (0, 0, 0),
        "c": (1, 0, 0),
        "d": (1, 1, 0),
        "e": (0, 0, 0),
        "f": (1, 1, 1),
        "g": (0, 0, 0),
    }
    assert _items(objections.decisions) == {"upheld": 1, "rejected": 1, "settled": 1, "none": 1}
    assert report.disputes_filed == 2
    disputes = _items(report.disputes_by_outcome)
    assert disputes["rejected"] == 1 and disputes["pending"] == 1 and sum(disputes.values()) == 2


def test_overdue_depends_on_the_as_of_date(ppid_year, desk_users):
    # R6 (received Mon 1 Dec 2025) is due Mon 15 Dec 2025: not yet overdue on that day, overdue the day after.
    assert ppid_annual_report(2025, desk_users["ppid"], as_of=datetime.date(2025, 12, 15)).overdue_open == 0
    assert ppid_annual_report(2025, desk_users["ppid"], as_of=datetime.date(2025, 12, 16)).overdue_open == 1


def test_every_figure_links_to_exactly_the_tickets_behind_it(ppid_year, desk_users):
    user = desk_users["ppid"]
    report = ppid_annual_report(2025, user, as_of=AS_OF)
    checked = 0
    for table in report.tables():
        for row in table.rows:
            for cell in row.cells:
                if (
                    cell.link is None
                    or not isinstance(cell.value, int)
                    or table.key == "time_taken"
                    and cell.link.get("outcome")
                ):
                    continue
                tickets = drilldown_queryset(user, 2025, cell.link, as_of=AS_OF)
                assert tickets.count() == cell.value, (table.key, row.code, cell.link)
                checked += 1
    assert checked > 40
    late = drilldown_queryset(user, 2025, {"set": "requests", "late": "1"}, as_of=AS_OF)
    assert list(late) == [ppid_year["R3"]]
    ground = drilldown_queryset(user, 2025, {"set": "requests", "ground": "h"}, as_of=AS_OF)
    assert list(ground) == [ppid_year["R3"]]


def test_drilldown_rejects_unknown_filters(ppid_year, desk_users):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        drilldown_queryset(desk_users["ppid"], 2025, {"set": "requests", "colour": "red"})
    assert "colour" in exc.value.message_dict
    with pytest.raises(ValidationError):
        drilldown_queryset(desk_users["ppid"], 2025, {"set": "requests", "outcome": "maybe"})


def test_report_is_scoped_to_what_the_user_may_see(ppid_year, desk_users, units):
    # the unit operator of unit 1 only sees R1 and R4 (disposed to unit 1); no objections
    report = ppid_annual_report(2025, desk_users["op1"], as_of=AS_OF)
    assert report.requests == 2
    assert report.objections.received == 0
    # the Atasan PPID sees the objections but no requests
    report = ppid_annual_report(2025, desk_users["atasan"], as_of=AS_OF)
    assert (report.requests, report.objections.received, report.disputes_filed) == (0, 4, 2)


def test_dispute_outcome_needs_a_filed_dispute_and_a_date(ppid_year, desk_users, at):
    from django.core.exceptions import PermissionDenied, ValidationError

    at(wib(2026, 2, 1, 10, 0))
    with pytest.raises(ValidationError) as exc:
        record_dispute_outcome(ppid_year["O2"], desk_users["atasan"], outcome="granted", outcome_date=None)
    assert "outcome_date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        record_dispute_outcome(
            ppid_year["O2"], desk_users["atasan"], outcome="granted", outcome_date=datetime.date(2026, 1, 5)
        )
    assert "outcome" in exc.value.message_dict  # O2 has no dispute filed
    with pytest.raises(PermissionDenied):
        record_dispute_outcome(ppid_year["O4"], desk_users["op1"], outcome="pending")
    dispute = record_dispute_outcome(
        ppid_year["O4"], desk_users["atasan"], outcome="mediation", outcome_date=datetime.date(2026, 1, 30)
    )
    assert dispute.outcome == "mediation"
    assert ppid_year["O4"].timeline.filter(action="dispute_outcome", visible_to_applicant=False).count() == 1


# --- SP4N-LAPOR -------------------------------------------------------------------------------------------------
@pytest.fixture
def lapor_month(settled_holidays, desk_users, units, at):
    """SP4N-LAPOR reports received in October 2025 (and one in November that must not count)."""
    admin = desk_users["lapor"]
    u1, u2 = units
    infra = LaporCategory.objects.create(name="Infrastruktur", slug="infrastruktur")
    services = LaporCategory.objects.create(name="Pelayanan", slug="pelayanan")
    permits = LaporCategory.objects.create(name="Perizinan", slug="perizinan", parent=services)

    def report(moment, **payload):
        at(moment)
        return lapor_intake.submit_lapor_report(lapor_payload(**payload), received_at=moment).ticket

    t = {}
    # L1: complaint, completed Mon 6 -> Fri 17 Oct = 9 WD
    r = report(wib(2025, 10, 6, 10, 0), category=infra)
    r = _step(at, wib(2025, 10, 7, 10, 0), r, "verify", admin)
    r = _step(at, wib(2025, 10, 8, 10, 0), r, "assign", admin, unit=u1.pk)
    r = _step(at, wib(2025, 10, 10, 10, 0), r, "follow_up", admin, note="Sudah ditindaklanjuti")
    t["L1"] = _step(at, wib(2025, 10, 17, 10, 0), r, "close", admin)
    # L2: aspiration, forwarded (not our authority)
    r = report(wib(2025, 10, 8, 10, 0), classification="aspirasi", category=permits)
    t["L2"] = _step(at, wib(2025, 10, 9, 10, 0), r, "forward", admin, forwarded_to="Pemprov DKI")
    # L3: complaint without category, archived
    r = report(wib(2025, 10, 9, 10, 0))
    t["L3"] = _step(at, wib(2025, 10, 9, 11, 0), r, "archive", admin, note="Tidak jelas")
    # L4: complaint, verified and disposed to unit 2, never followed up: overdue
    r = report(wib(2025, 10, 13, 10, 0), category=infra)
    r = _step(at, wib(2025, 10, 14, 10, 0), r, "verify", admin)
    t["L4"] = _step(at, wib(2025, 10, 14, 11, 0), r, "assign", admin, unit=u2.pk)
    # L5: aspiration, completed Mon 20 Oct -> Tue 4 Nov = 11 WD
    r = report(wib(2025, 10, 20, 10, 0), classification="aspirasi", category=infra)
    r = _step(at, wib(2025, 10, 20, 11, 0), r, "verify", admin)
    r = _step(at, wib(2025, 10, 20, 12, 0), r, "assign", admin, unit=u1.pk)
    r = _step(at, wib(2025, 10, 22, 10, 0), r, "follow_up", admin, note="Ditindaklanjuti")
    t["L5"] = _step(at, wib(2025, 11, 4, 10, 0), r, "close", admin)
    t["next_month"] = report(wib(2025, 11, 3, 10, 0))
    t["categories"] = (infra, services, permits)
    return t


def _figures(f):
    return (f.received, f.verified, f.forwarded, f.archived, f.completed, f.in_process, f.overdue)


def test_lapor_monthly_report_figures(lapor_month, desk_users, units):
    report = lapor_report(2025, 10, desk_users["lapor"], as_of=AS_OF)
    assert _figures(report.total) == (5, 3, 1, 1, 2, 1, 1)
    assert {code: n for code, _label, n in report.by_classification} == {
        "aspirasi": 2,
        "pengaduan": 3,
        "permintaan_informasi": 0,
    }
    assert report.total.completion.as_dict() == {"count": 2, "median": 10.0, "mean": 10.0, "max": 11}
    categories = {f.label if f.code != "none" else "none": f for f in report.by_category}
    assert set(categories) == {"Infrastruktur", "Pelayanan › Perizinan", "none"}
    assert _figures(categories["Infrastruktur"]) == (3, 3, 0, 0, 2, 1, 1)
    assert categories["Infrastruktur"].completion.mean == 10.0
    assert _figures(categories["Pelayanan › Perizinan"]) == (1, 0, 1, 0, 0, 0, 0)
    assert _figures(categories["none"]) == (1, 0, 0, 1, 0, 0, 0)
    u1, u2 = units
    by_unit = {f.code: f for f in report.by_unit}
    assert _figures(by_unit[u1.code]) == (2, 2, 0, 0, 2, 0, 0)
    assert by_unit[u1.code].completion.mean == 10.0
    assert _figures(by_unit[u2.code]) == (1, 1, 0, 0, 0, 1, 1)
    assert _figures(by_unit["none"]) == (2, 0, 1, 1, 0, 0, 0)
    # November holds only the one report received then
    assert lapor_report(2025, 11, desk_users["lapor"], as_of=AS_OF).total.received == 1


def test_lapor_drilldown_matches_every_figure(lapor_month, desk_users):
    from layanan.lapor.reports import drilldown_queryset as lapor_drilldown

    user = desk_users["lapor"]
    report = lapor_report(2025, 10, user, as_of=AS_OF)
    for table in report.tables():
        for row in table.rows:
            for cell in row.cells:
                if (
                    cell.link is None
                    or not isinstance(cell.value, int)
                    or "Mean" in str(table.columns[-1])
                    and (cell is row.cells[-1])
                ):
                    continue
                if row.code.startswith("completion"):
                    continue
                assert lapor_drilldown(user, 2025, 10, cell.link, as_of=AS_OF).count() == cell.value, (
                    table.key,
                    row.code,
                    cell.link,
                )
    overdue = lapor_drilldown(user, 2025, 10, {"measure": "overdue"}, as_of=AS_OF)
    assert list(overdue) == [lapor_month["L4"]]


def test_lapor_report_scoped_for_unit_operator(lapor_month, desk_users):
    report = lapor_report(2025, 10, desk_users["op2"], as_of=AS_OF)
    assert _figures(report.total) == (1, 1, 0, 0, 0, 1, 1)


# --- query counts -------------------------------------------------------------------------------------------------
def _bulk(at, desk_users, units, n):
    ppid, admin = desk_users["ppid"], desk_users["lapor"]
    for i in range(n):
        day = datetime.date(2025, 10, 6) + datetime.timedelta(days=i % 20)
        moment = wib(day.year, day.month, day.day, 10, 0)
        r = _request(at, moment, channel=["web", "email", "phone"][i % 3])
        if i % 2:
            r = _step(at, moment, r, "assign", ppid, unit=units[i % 2].pk)
            _step(at, moment + datetime.timedelta(days=3), r, "decide", ppid, outcome="granted_full", note="x")
        at(moment)
        lr = lapor_intake.submit_lapor_report(lapor_payload(), received_at=moment).ticket
        if i % 2:
            lr = _step(at, moment, lr, "verify", admin)
            lr = _step(at, moment, lr, "assign", admin, unit=units[i % 2].pk)
            lr = _step(at, moment, lr, "follow_up", admin, note="x")
            _step(at, moment + datetime.timedelta(days=2), lr, "close", admin)


def _count_queries(func):
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def test_report_query_count_does_not_grow_with_tickets(
    settled_holidays, desk_users, units, at, django_assert_max_num_queries
):
    from layanan.reports.dashboard import chart_data, desk_counters

    ppid_user, lapor_user = desk_users["ppid"], desk_users["lapor"]
    for user in (ppid_user, lapor_user):
        user.get_all_permissions()  # warm the permission cache
    _bulk(at, desk_users, units, 5)
    at(wib(2026, 11, 2, 10, 0))
    small = [
        _count_queries(lambda: ppid_annual_report(2025, ppid_user, as_of=AS_OF)),
        _count_queries(lambda: lapor_report(2025, 10, lapor_user, as_of=AS_OF)),
        _count_queries(lambda: chart_data(ppid_user, 2025)),
        _count_queries(lambda: desk_counters(ppid_user)),
    ]
    _bulk(at, desk_users, units, 45)
    at(wib(2026, 11, 2, 10, 0))
    assert ppid_annual_report(2025, ppid_user, as_of=AS_OF).requests == 50
    closed = sum(i % 2 for i in range(5)) + sum(i % 2 for i in range(45))  # every odd one is closed
    assert lapor_report(2025, 10, lapor_user, as_of=AS_OF).total.completed == closed
    with django_assert_max_num_queries(small[0]):
        ppid_annual_report(2025, ppid_user, as_of=AS_OF)
    with django_assert_max_num_queries(small[1]):
        lapor_report(2025, 10, lapor_user, as_of=AS_OF)
    with django_assert_max_num_queries(small[2]):
        chart_data(ppid_user, 2025)
    with django_assert_max_num_queries(small[3]):
        desk_counters(ppid_user)
    assert max(small) <= 15
