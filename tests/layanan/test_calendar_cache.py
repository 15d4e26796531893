"""The per-process working-calendar cache (issue 9): a deadline costs no SQL query while nothing changed, and a
holiday or office-hours change made by an admin is honoured by the next deadline computed in ANY process.

"Another process" is simulated by keeping (or putting back) a snapshot that nobody in that process cleared,
while the shared version lives in the Django cache, exactly as in production (each gunicorn worker has its own
snapshot; Redis holds the version). Legal figures: PPID answer 10 working days (UU 14/2008 Pasal 22(7)).
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from layanan.calendar import workdays as cal
from layanan.calendar.models import Holiday, WorkCalendarSettings
from layanan.calendar.sync import sync_holidays
from tests.layanan.conftest import run_pending_on_commit, wib

D = datetime.date
RECEIVED = wib(2026, 3, 13, 10, 0)  # Friday; due Monday 6 April 2026 with the 2026 holidays (Pasal 22(7))


def calendar_queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "holiday" in q["sql"] or "workcalendar" in q["sql"]]


def other_process_snapshot():
    """What another worker holds in memory: its own snapshot object, never cleared by our signals."""
    return cal._snapshot


def become(snapshot) -> None:
    """Act as the process that holds ``snapshot`` (the shared cache is the same for every process)."""
    cal._snapshot = snapshot


@pytest.fixture
def warm(db):
    """Migrate-seeded holidays (2025-2027), no calendar change pending in the test transaction."""
    run_pending_on_commit()
    cal.clear_local_calendar_cache()
    yield
    cal.clear_local_calendar_cache()


def test_a_deadline_reads_the_calendar_once_per_process(warm):
    with CaptureQueriesContext(connection) as first:
        assert cal.compute_deadline(RECEIVED, 10).due_date == D(2026, 4, 6)
    with CaptureQueriesContext(connection) as second:
        deadline = cal.compute_deadline(RECEIVED, 10)
        assert cal.remaining_working_days(D(2026, 4, 6), today=D(2026, 3, 13)) == 10
    assert len(calendar_queries(first)) == 2  # settings row + every active holiday
    assert calendar_queries(second) == []
    assert deadline.due_date == D(2026, 4, 6)
    assert any("Nyepi" in s.name for s in deadline.skipped)


@pytest.mark.django_db(transaction=True)
def test_a_holiday_added_by_an_admin_is_honoured_by_the_next_deadline_in_another_process():
    cal.clear_local_calendar_cache()
    assert cal.compute_deadline(RECEIVED, 10).due_date == D(2026, 4, 6)
    stale = other_process_snapshot()  # worker B computed a deadline before the admin's change

    Holiday.objects.create(date=D(2026, 3, 16), name="Libur daerah", kind=Holiday.Kind.OTHER)  # committed

    become(stale)  # worker B: its memory still holds the old snapshot; only the shared version moved
    deadline = cal.compute_deadline(RECEIVED, 10)
    assert deadline.due_date == D(2026, 4, 7)
    assert any(s.name == "Libur daerah" for s in deadline.skipped)
    assert cal._snapshot is not stale  # B reloaded once, and keeps the new snapshot
    with CaptureQueriesContext(connection) as again:
        assert cal.compute_deadline(RECEIVED, 10).due_date == D(2026, 4, 7)
    assert calendar_queries(again) == []

    fresh = other_process_snapshot()
    Holiday.objects.filter(date=D(2026, 3, 16)).delete()  # the admin deletes it again: back to 6 April
    become(fresh)
    assert cal.compute_deadline(RECEIVED, 10).due_date == D(2026, 4, 6)
    cal.clear_local_calendar_cache()


@pytest.mark.django_db(transaction=True)
def test_office_hours_and_cuti_bersama_changes_reach_other_processes():
    cal.clear_local_calendar_cache()
    late = wib(2026, 3, 12, 15, 30)  # Thursday 15.30 WIB: before closing time (16.00), day 0 is that day
    assert cal.counting_start(late) == D(2026, 3, 12)
    stale = other_process_snapshot()
    settings = WorkCalendarSettings.load()
    settings.office_end = datetime.time(15, 0)
    settings.save()
    become(stale)
    assert cal.counting_start(late) == D(2026, 3, 13)  # now after closing time: the next working day

    stale = other_process_snapshot()
    assert cal.is_working_day(D(2026, 3, 18)) is False  # cuti bersama Nyepi, non-working by default
    settings.cuti_bersama_is_non_working = False
    settings.save()
    become(stale)
    assert cal.is_working_day(D(2026, 3, 18)) is True
    cal.clear_local_calendar_cache()


@pytest.mark.django_db(transaction=True)
def test_a_change_is_seen_inside_its_own_transaction_and_forgotten_when_it_rolls_back():
    cal.clear_local_calendar_cache()
    assert cal.compute_deadline(RECEIVED, 10).due_date == D(2026, 4, 6)
    version = cache.get(cal.CACHE_VERSION_KEY)

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        Holiday.objects.create(date=D(2026, 3, 16), name="Libur daerah", kind=Holiday.Kind.OTHER)
        assert cal.compute_deadline(RECEIVED, 10).due_date == D(2026, 4, 7)  # its own change, read fresh
        raise Abort

    assert cache.get(cal.CACHE_VERSION_KEY) == version  # nothing committed: no other process reloads
    with CaptureQueriesContext(connection) as ctx:
        assert cal.compute_deadline(RECEIVED, 10).due_date == D(2026, 4, 6)
    assert calendar_queries(ctx) == []  # the snapshot was never polluted by the rolled-back row
    cal.clear_local_calendar_cache()


@pytest.mark.django_db(transaction=True)
def test_bulk_writes_and_a_holiday_sync_invalidate_too():
    cal.clear_local_calendar_cache()
    assert cal.is_working_day(D(2026, 4, 3)) is False  # Good Friday
    stale = other_process_snapshot()
    Holiday.objects.filter(date=D(2026, 4, 3)).update(is_active=False)  # a bulk write sends no model signal
    cal.calendar_changed()  # ... so the writer says so
    become(stale)
    assert cal.is_working_day(D(2026, 4, 3)) is True

    stale = other_process_snapshot()
    Holiday.objects.filter(date__year=2026).delete()
    become(stale)
    assert cal.is_working_day(D(2026, 4, 3)) is True
    stale = other_process_snapshot()
    sync_holidays([2026])  # bulk_create inside collect_holiday_changes
    become(stale)
    assert cal.compute_deadline(RECEIVED, 10).due_date == D(2026, 4, 6)
    cal.clear_local_calendar_cache()


def test_a_flushed_cache_reloads_and_an_unreachable_cache_reads_the_database(warm, monkeypatch):
    assert cal.compute_deadline(RECEIVED, 10).due_date == D(2026, 4, 6)
    held = other_process_snapshot()
    cache.clear()  # Redis flushed or the key evicted: the version is unknown, so no snapshot can be trusted
    with CaptureQueriesContext(connection) as ctx:
        assert cal.compute_deadline(RECEIVED, 10).due_date == D(2026, 4, 6)
    assert len(calendar_queries(ctx)) == 2 and cal._snapshot is not held

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", down)
    with CaptureQueriesContext(connection) as ctx:
        assert cal.compute_deadline(RECEIVED, 10).due_date == D(2026, 4, 6)
    assert len(calendar_queries(ctx)) == 2  # read from the database, correct all the same


def test_explicit_calendars_still_read_the_database(warm):
    cal.compute_deadline(RECEIVED, 10)  # snapshot loaded
    with CaptureQueriesContext(connection) as ctx:
        calendar = cal.WorkCalendar.load()  # bulk work and recomputation read the database, not the snapshot
        assert calendar.compute_deadline(RECEIVED, 10).due_date == D(2026, 4, 6)
    assert len(calendar_queries(ctx)) == 2
