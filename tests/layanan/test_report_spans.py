"""Working-day spans in the reports (issue 20): one pass over the calendar, a subtraction per ticket.

- ``WorkCalendar.working_day_index(first, last).between(a, b)`` equals ``working_days_between(a, b)`` for
  thousands of random date pairs over three years of synced holidays (cuti bersama counted and not), both
  dates inside the index, one or both outside it (handed to the calendar), forwards and backwards;
- the PPID annual report's calendar work does not grow with the tickets: at 12 and at 240 decided requests over
  the same dates, the same holiday queries and the same number of working-day checks, and
  ``working_days_between`` is never called per request; its figures stay those of the calendar's own rule.
"""

from __future__ import annotations

import copy
import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext

from layanan.calendar import workdays as cal
from layanan.calendar.models import WorkCalendarSettings
from layanan.core.models.tickets import Ticket
from layanan.core.reporting import duration_stats
from layanan.ppid.models import PPIDRequestDetails
from layanan.ppid.reports import ppid_annual_report
from layanan.reports.exports import ticket_table
from tests.layanan.conftest import wib
from tests.layanan.test_reports import _request, _step, at  # noqa: F401 - ``at`` is a fixture

pytestmark = pytest.mark.django_db

D = datetime.date
AS_OF = D(2026, 11, 2)


@pytest.mark.parametrize("cuti_bersama_off_work", [True, False])
def test_index_spans_equal_working_days_between_for_random_pairs(synced_holidays, cuti_bersama_off_work):
    calendar = cal.WorkCalendar(cuti_bersama_is_non_working=cuti_bersama_off_work)
    index = calendar.working_day_index(D(2026, 12, 31), D(2025, 3, 1))  # either order
    assert (index.first, index.last) == (D(2025, 3, 1), D(2026, 12, 31))
    rng = random.Random(20261207)
    pairs = [
        (D(2025, 3, 1), D(2026, 12, 31)),  # the whole index
        (D(2026, 3, 13), D(2026, 4, 6)),  # Nyepi, Idul Fitri, cuti bersama, Good Friday: 10 WD
        (D(2025, 8, 16), D(2025, 8, 19)),  # Saturday, Sunday 17 August, cuti bersama 18 August
        (D(2025, 3, 1), D(2025, 3, 1)),
        (D(2025, 2, 27), D(2025, 3, 4)),  # start before the index
        (D(2026, 12, 30), D(2027, 1, 5)),  # end after it
        (D(2024, 12, 30), D(2027, 2, 1)),  # both outside
    ]
    for _ in range(3_000):
        start = D(2025, 1, 1) + datetime.timedelta(days=rng.randrange(0, 1_000))
        pairs.append((start, start + datetime.timedelta(days=rng.randrange(-120, 400))))
    pairs += [(end, start) for start, end in pairs[:500]]  # backwards too
    reference = cal.WorkCalendar(cuti_bersama_is_non_working=cuti_bersama_off_work)
    mismatches = [
        (start, end, index.between(start, end), reference.working_days_between(start, end))
        for start, end in pairs
        if index.between(start, end) != reference.working_days_between(start, end)
    ]
    assert not mismatches, mismatches[:10]
    assert index.between(D(2026, 3, 13), D(2026, 4, 6)) == (10 if cuti_bersama_off_work else 14)
    assert index.ordinal(D(2025, 2, 28)) is None and index.ordinal(D(2025, 3, 3)) == 1  # Monday 3 March 2025


def test_index_is_one_holiday_query_and_one_pass(synced_holidays, monkeypatch):
    calendar = cal.WorkCalendar()
    checks = []
    original = cal.WorkCalendar.is_working_day
    monkeypatch.setattr(cal.WorkCalendar, "is_working_day", lambda self, d: checks.append(d) or original(self, d))
    index = calendar.working_day_index(D(2025, 1, 1), D(2025, 12, 31))
    assert calendar.queries == 1 and len(checks) == 365  # each day looked at once
    checks.clear()
    spans = [index.between(D(2025, 1, 1) + datetime.timedelta(days=i), D(2025, 12, 31)) for i in range(365)]
    assert not checks and calendar.queries == 1  # spans inside the index: no calendar work at all
    assert spans[0] == cal.WorkCalendar().working_days_between(D(2025, 1, 1), D(2025, 12, 31))


# --- the PPID annual report ---------------------------------------------------------------------------------------
@pytest.fixture
def decided_requests(settled_holidays, desk_users, units, at):  # noqa: F811 - ``at`` is the imported fixture
    """``grow(n)``: ``n`` decided PPID requests of 2025, the first two through the real workflow (received 14
    August 2025, before 17 August and cuti bersama; decided 25 August and 3 October), the others copies of them
    with day 0 and the decision moved by a few days, within the same span of dates."""
    ppid = desk_users["ppid"]
    made = []
    for received, decided in ((wib(2025, 8, 14, 10), wib(2025, 8, 25, 11)), (wib(2025, 9, 1, 9), wib(2025, 10, 3, 9))):
        ticket = _request(at, received)
        ticket = _step(at, received, ticket, "assign", ppid, unit=units[0].pk)
        made.append(_step(at, decided, ticket, "decide", ppid, outcome="granted_full", note="x"))
    at(wib(2026, 11, 2, 10))
    templates = [(t, PPIDRequestDetails.objects.get(ticket=t)) for t in made]

    def grow(n):
        tickets, details = [], []
        have = Ticket.objects.filter(service="ppid_request").count()
        for i in range(have, n):
            template, template_details = templates[i % 2]
            shift = datetime.timedelta(days=i % 9)  # stays inside 14 August – 12 October 2025
            ticket = copy.copy(template)
            ticket.pk = ticket.id = None
            ticket.tracking_number = f"SPAN-{i:05d}"
            ticket.received_at += shift
            ticket.counting_from += shift
            row = copy.copy(template_details)
            row.decided_at += datetime.timedelta(days=(i * 5) % 9)
            tickets.append(ticket)
            details.append(row)
        Ticket.objects.bulk_create(tickets)
        for ticket, row in zip(tickets, details, strict=True):
            row.ticket = ticket
        PPIDRequestDetails.objects.bulk_create(details)

    return grow


class CalendarWork:
    """Counts what the report asks of the calendar: working-day checks, spans walked, holiday queries."""

    def __init__(self, monkeypatch):
        self.checks = self.spans = 0
        is_working_day, between = cal.WorkCalendar.is_working_day, cal.WorkCalendar.working_days_between

        def counted_check(calendar, d):
            self.checks += 1
            return is_working_day(calendar, d)

        def counted_span(calendar, start, end):
            self.spans += 1
            return between(calendar, start, end)

        monkeypatch.setattr(cal.WorkCalendar, "is_working_day", counted_check)
        monkeypatch.setattr(cal.WorkCalendar, "working_days_between", counted_span)

    def measure(self, user) -> tuple[dict, object]:
        self.checks = self.spans = 0
        with CaptureQueriesContext(connection) as ctx:
            report = ppid_annual_report(2025, user, as_of=AS_OF)
        holiday_queries = sum(1 for q in ctx.captured_queries if "layanan_holiday" in q["sql"])
        work = {"working-day checks": self.checks, "spans walked": self.spans, "holiday queries": holiday_queries}
        return work, report


def test_annual_report_calendar_work_does_not_grow_with_tickets(decided_requests, desk_users, monkeypatch):
    user = desk_users["ppid"]
    WorkCalendarSettings.load()  # the settings row exists before measuring
    work = CalendarWork(monkeypatch)

    decided_requests(12)
    small, small_report = work.measure(user)
    decided_requests(240)
    large, large_report = work.measure(user)

    assert small_report.time_taken.count == 12 and large_report.time_taken.count == 240
    assert small == large, (small, large)
    assert large["spans walked"] == 0  # no working_days_between per request
    assert large["holiday queries"] <= 1
    assert large["working-day checks"] <= (D(2025, 10, 12) - D(2025, 8, 14)).days + 1  # one per calendar day

    # the figures are the calendar's own rule, request by request
    reference = cal.WorkCalendar.load()
    expected = []
    for start, decided in Ticket.objects.filter(service="ppid_request").values_list(
        "counting_from", "ppid__decided_at"
    ):
        expected.append(max(0, reference.working_days_between(start, cal.to_local(decided).date())))
    assert large_report.time_taken == duration_stats(expected)


def test_export_working_days_come_from_one_pass_over_the_calendar(decided_requests, monkeypatch):
    """The spreadsheet export's "working days taken" column: one index for all rows (no span walked per row, the
    same calendar work at 12 and at 240 rows) and each value the calendar's own rule."""
    WorkCalendarSettings.load()
    reference = cal.WorkCalendar.load()
    work = CalendarWork(monkeypatch)
    column = None

    def export():
        nonlocal column
        work.checks = work.spans = 0
        headers, rows = ticket_table(Ticket.objects.filter(service="ppid_request"))
        column = headers.index(gettext("Working days taken"))
        return {"checks": work.checks, "spans": work.spans}, rows

    decided_requests(12)
    small, _ = export()
    decided_requests(240)
    large, rows = export()
    assert small == large and large["spans"] == 0, (small, large)
    expected = {
        number: max(0, reference.working_days_between(start, cal.to_local(decided).date()))
        for number, start, decided in Ticket.objects.filter(service="ppid_request").values_list(
            "tracking_number", "counting_from", "ppid__decided_at"
        )
    }
    assert len(rows) == 240
    assert {row[0]: row[column] for row in rows} == expected
