"""The working-day calendar: day 0, working-day and calendar-day deadlines, extensions, remaining days.

All rules of counting live here and nowhere else; the ticket engine, the admin, the API and the tasks call
these functions.

Rules (domain reference "Working days"; UU 14/2008 Pasal 22(7)-(8) for the PPID figures):

- A *working day* (hari kerja) is Monday-Friday that is not an active :class:`~layanan.calendar.models.Holiday` of kind
  ``national`` or ``other``, nor — while :attr:`WorkCalendarSettings.cuti_bersama_is_non_working` is on (the
  default) — of kind ``cuti_bersama``.
- *Day 0* (:func:`counting_start`) is the date of receipt in WIB (Asia/Jakarta) when that date is a working day
  and the time is within office hours (default 08:00–16:00, the end exclusive; a weekday may have its own hours,
  e.g. a Friday closing at 16:30 — "Kalender kerja", :meth:`WorkCalendar.office_hours`). A submission at or after
  that day's closing time or on a non-working day counts from the next working day, and the explanation lists
  the non-working days skipped before day 0 (``Deadline.skipped_before``). A submission on a working day
  *before* office hours start (e.g. 07:59) is outside office hours too and counts from the next working day, as
  the domain rule says; ``PESAN_EARLY_RECEIPT_COUNTS_SAME_DAY = True`` counts it from that same day instead.
- ``+N working days`` from day 0 is the N-th working day after day 0 (day 0 itself is not counted); ``+N
  calendar days`` is day 0 + N days, whatever the weekday. An extension counts from the current due date.
- Every :class:`Deadline` lists the days it skipped (weekends named "Sabtu"/"Minggu", holidays by their name)
  and can explain itself in one Indonesian sentence.

Dates are ``datetime.date`` in WIB; datetimes must be timezone-aware (naive ones raise ``ValueError``) and are
converted to Asia/Jakarta first. ``WorkCalendar.load()`` reads the settings and then holidays in one query per
range (cached for the calendar's lifetime); for bulk work (e.g. recomputing all open tickets) build one and pass
it as ``calendar=``.

**Process cache** (issue 9): the module-level functions (``calendar=None``) use :meth:`WorkCalendar.current`, a
calendar built from a per-process snapshot of the settings and *all* active holidays, so a deadline costs no SQL
query. The snapshot is tagged with a version kept in the Django cache (key :data:`CACHE_VERSION_KEY`, Redis in
production) and every use checks that version (one cache read): a change to a holiday or to the "Kalender
kerja" settings (``post_save``/``post_delete``, a holiday sync, see :func:`calendar_changed`) bumps it when its
transaction commits, so the next deadline computed in *any* process after the admin's save sees the change.
Inside the transaction that made the change the snapshot is bypassed (fresh queries, nothing stored), and a
rolled-back change leaves the cache untouched. A missing version (cache flushed or evicted) reloads; a cache
that cannot be reached falls back to reading the database.

:data:`holidays_changed` is sent on commit when holidays or the cuti bersama switch change, with ``years``
(frozenset of int) whose due dates may have moved: once per saved or deleted row, once per sync
(:func:`collect_holiday_changes`).
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import logging
import threading
import zoneinfo
from dataclasses import dataclass, field

from django.db import router, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from layanan.calendar import conf
from layanan.calendar.conf import UNIT_CALENDAR, UNIT_WORKING, UNITS, DeadlineRule
from layanan.calendar.models import Holiday, WorkCalendarSettings
from pesan_cms import timezones, versions

__all__ = [
    "Deadline",
    "SkippedDay",
    "WorkCalendar",
    "WorkingDayIndex",
    "add_calendar_days",
    "add_working_days",
    "calendar_changed",
    "clear_local_calendar_cache",
    "collect_holiday_changes",
    "compute_deadline",
    "counting_start",
    "deadline_for",
    "deadline_rule",
    "extend_deadline",
    "holidays_changed",
    "is_working_day",
    "next_working_day",
    "non_working_reason",
    "notify_holidays_changed",
    "remaining_working_days",
    "to_local",
    "today_local",
    "working_days_between",
]

logger = logging.getLogger(__name__)

#: Sent on commit when holidays (or whether cuti bersama counts) changed.
#: Keyword arguments: ``years`` — ``frozenset[int]`` of the calendar years whose due dates may have moved.
#: ``sender`` is the :class:`layanan.calendar.models.Holiday` model. Sent on commit; once per sync, not once per row.
holidays_changed = Signal()

WEEKDAY_NAMES = (
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
)

KIND_NATIONAL, KIND_CUTI_BERSAMA, KIND_OTHER = "national", "cuti_bersama", "other"


# --- holidays_changed: one signal per saved row, one per sync ---------------------------------------------------


_batches = threading.local()


def _send_holidays_changed(years: frozenset[int]) -> None:
    holidays_changed.send(sender=Holiday, years=years)


def notify_holidays_changed(years, using: str | None = None) -> None:
    """Send :data:`holidays_changed` with ``years`` when the current transaction commits (at once outside one;
    never if it rolls back). Inside :func:`collect_holiday_changes` the years are gathered instead and sent once
    when the block ends."""
    years = frozenset(int(y) for y in years)
    if not years:
        return
    calendar_changed(using=using)
    stack = getattr(_batches, "stack", None)
    if stack:
        stack[-1].update(years)
        return
    transaction.on_commit(functools.partial(_send_holidays_changed, years), using=using)


@contextlib.contextmanager
def collect_holiday_changes(using: str | None = None):
    """Gather every holiday change made inside the block into ONE :data:`holidays_changed` (sent on commit).

    Yields the ``set`` of years gathered so far (add to it to report more). Used by ``sync_holidays``; use it
    around any bulk edit of the holiday table. Nothing is sent if the block raises.
    """
    calendar_changed(using=using)  # bulk writes inside the block send no model signal
    stack = _batches.__dict__.setdefault("stack", [])
    years: set[int] = set()
    stack.append(years)
    try:
        yield years
    finally:
        stack.pop()
    notify_holidays_changed(years, using=using)


# --- process cache of the working calendar (issue 9) -----------------------------------------------------------

#: Django-cache key of the working-calendar version (a random hex string; any change of it reloads the snapshot).
CACHE_VERSION_KEY = "layanan:calendar:version"


@dataclass(frozen=True)
class _Snapshot:
    """The settings and every active holiday (``{date: (name, kind)}``), as read under ``version``."""

    version: str
    office_start: datetime.time
    office_end: datetime.time
    cuti_bersama_is_non_working: bool
    holidays: dict
    weekday_hours: dict = field(default_factory=dict)


_snapshot: _Snapshot | None = None
_snapshot_lock = threading.Lock()


def _calendar_db() -> str:
    """The database holding the calendar (the primary: the replica router never sends ``layanan`` reads to a
    replica; ``db_for_write`` is not asked because it pins the request to the primary)."""
    return router.db_for_read(Holiday)


def _calendar_committed() -> None:
    """``on_commit`` of a calendar change: drop this process's snapshot and bump the shared version."""
    global _snapshot
    _snapshot = None
    try:
        VERSION.bump()
    except Exception:  # the cache is down: every process reads the database until it is back
        logger.exception("working calendar: could not bump the cache version")


#: The calendar version (``pesan_cms.versions``); its hook also drops this process's snapshot.
VERSION = versions.CommittedVersion("calendar", CACHE_VERSION_KEY, hook=_calendar_committed)


def _change_pending(using: str | None = None) -> bool:
    """True inside a transaction that changed the calendar and has not committed yet (its ``on_commit`` hook
    :func:`_calendar_committed` is registered on the connection)."""
    return VERSION.pending(using or _calendar_db())


def calendar_changed(using: str | None = None, **kwargs) -> None:
    """Note a change to holidays or the "Kalender kerja" settings (connected to their ``post_save`` and
    ``post_delete``; also called for every :func:`notify_holidays_changed` and :func:`collect_holiday_changes`).

    Registers ONE :func:`_calendar_committed` per transaction (at once in autocommit); until the transaction
    commits, this connection bypasses the process snapshot. Call it after a bulk write (``QuerySet.update``,
    ``bulk_create``, raw SQL) to holidays, which sends no model signal."""
    VERSION.changed(using or _calendar_db())


def _on_model_change(sender, raw=False, using=None, **kwargs) -> None:
    if not raw:  # loaddata: fixtures are loaded before anything computes a deadline
        calendar_changed(using=using)


post_save.connect(_on_model_change, sender="layanan.Holiday", dispatch_uid="layanan.calendar.workdays.cache.h_save")
post_delete.connect(_on_model_change, sender="layanan.Holiday", dispatch_uid="layanan.calendar.workdays.cache.h_delete")
post_save.connect(
    _on_model_change, sender="layanan.WorkCalendarSettings", dispatch_uid="layanan.calendar.workdays.cache.s_save"
)
post_delete.connect(
    _on_model_change, sender="layanan.WorkCalendarSettings", dispatch_uid="layanan.calendar.workdays.cache.s_delete"
)


def _shared_version() -> str:
    """The current calendar version from the Django cache; a new one when the key is missing (cache flushed)."""
    return VERSION.read()


def _load_snapshot(version: str) -> _Snapshot:
    """Two queries: the settings row and every active holiday (a few hundred rows at most)."""
    s = WorkCalendarSettings.load()
    rows = Holiday.objects.filter(is_active=True).values_list("date", "name", "kind")
    return _Snapshot(
        version=version,
        office_start=s.office_start,
        office_end=s.office_end,
        cuti_bersama_is_non_working=s.cuti_bersama_is_non_working,
        holidays={day: (name, kind) for day, name, kind in rows},
        weekday_hours=s.hours_by_weekday(),
    )


def clear_local_calendar_cache() -> None:
    """Forget this process's snapshot (the shared version stays): the next use reloads from the database.
    For tests that play "another process"; nothing else needs it."""
    global _snapshot
    _snapshot = None


def _current_snapshot() -> _Snapshot | None:
    """The snapshot valid now, loading it when the shared version moved; ``None`` when it must not be used
    (a change of this transaction is pending, or the cache cannot be read)."""
    global _snapshot
    if _change_pending():
        return None
    try:
        version = _shared_version()
    except Exception:
        logger.warning("working calendar: cache unavailable, reading the database", exc_info=True)
        return None
    snapshot = _snapshot
    if snapshot is not None and snapshot.version == version:
        return snapshot
    with _snapshot_lock:  # one load per version per process, even with threaded workers
        snapshot = _snapshot
        if snapshot is None or snapshot.version != version:
            snapshot = _load_snapshot(version)
            if _change_pending():  # loading created the settings row in an open transaction: keep it private
                return snapshot
            _snapshot = snapshot
    return snapshot


# --- time zone helpers ------------------------------------------------------------------------------------------


def _tz() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(timezones.zone_name())


def to_local(value: datetime.datetime) -> datetime.datetime:
    """``value`` converted to the institution's zone (``TIME_ZONE``, Asia/Jakarta by default).

    Raises ``ValueError`` for a naive datetime (its zone would be a guess) and ``TypeError`` for a non-datetime.
    """
    if not isinstance(value, datetime.datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}")
    if timezone.is_naive(value):
        raise ValueError("naive datetime refused: give a timezone-aware datetime (e.g. +07:00 or UTC)")
    return value.astimezone(_tz())


def today_local() -> datetime.date:
    """Today's date in WIB."""
    return timezone.now().astimezone(_tz()).date()


def _as_date(value) -> datetime.date:
    """A WIB date from a date or an aware datetime (naive datetimes raise ``ValueError``)."""
    if isinstance(value, datetime.datetime):
        return to_local(value).date()
    if isinstance(value, datetime.date):
        return value
    raise TypeError(f"expected a date, got {type(value).__name__}")


def _check_days(days) -> int:
    if isinstance(days, bool) or not isinstance(days, int):
        raise TypeError(f"days must be an int, got {type(days).__name__}")
    if days < 0:
        raise ValueError("days must be >= 0")
    return days


# --- results ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkippedDay:
    """A date a working-day count passed over, with why: "Sabtu", "Minggu" or the holiday's name (a weekend
    holiday gives both, e.g. "Sabtu, Hari Raya Idul Fitri")."""

    date: datetime.date
    name: str

    def as_dict(self) -> dict:
        """``{"date": "YYYY-MM-DD", "name": str}``."""
        return {"date": self.date.isoformat(), "name": self.name}


def _fmt_date(d: datetime.date, short: bool = False, with_year: bool = True) -> str:
    if short:
        return formats.date_format(d, "j M Y" if with_year else "j M")
    return formats.date_format(d, "j F Y")


@dataclass(frozen=True)
class Deadline:
    """A computed due date that can explain itself.

    ``received_at``: aware datetime in WIB, or ``None`` (extensions, counts from a bare date);
    ``counting_from``: day 0 (WIB date); ``days`` in ``unit`` (``"working"`` or ``"calendar"``);
    ``due_date``: the last day (inclusive) to act; ``skipped``: weekends and holidays strictly after day 0 up to
    the due date, in date order (empty for calendar days); ``legal_source``: e.g. "UU 14/2008 Pasal 22(7)";
    ``start_note``: why day 0 is not the date of receipt (after office hours, a non-working day), or "";
    ``skipped_before``: the non-working days from the date of receipt up to day 0 (exclusive), e.g. the weekend
    after a Friday-evening submission, in date order (empty when day 0 is the date of receipt).
    """

    received_at: datetime.datetime | None
    counting_from: datetime.date
    days: int
    unit: str
    due_date: datetime.date
    skipped: tuple[SkippedDay, ...] = ()
    legal_source: str = ""
    start_note: str = field(default="", compare=False)
    skipped_before: tuple[SkippedDay, ...] = field(default=(), compare=False)

    def explain(self) -> str:
        """One sentence in the active language (Indonesian by default), e.g. "Diterima 13 Maret 2026 10.00 WIB;
        dihitung sejak 13 Maret 2026; +10 hari kerja, melewati 14 Mar (Sabtu), …, 18 Mar (Cuti Bersama Hari Suci
        Nyepi), …; jatuh tempo 6 April 2026 (UU 14/2008 Pasal 22(7))."."""
        parts = []
        if self.received_at is not None:
            local = to_local(self.received_at)
            received = _("received %(datetime)s %(tz)s") % {
                "datetime": formats.date_format(local, "j F Y H.i"),
                "tz": timezones.label(),
            }
            if self.start_note:
                received += f" ({self.start_note})"
            parts.append(received)
        counted = _("counted from %(date)s") % {"date": _fmt_date(self.counting_from)}
        if self.skipped_before:
            one_year = self.skipped_before[0].date.year == self.counting_from.year
            listed = ", ".join(
                f"{_fmt_date(s.date, short=True, with_year=not one_year)} ({s.name})" for s in self.skipped_before
            )
            counted += " (" + _("skipping %(days)s before it") % {"days": listed} + ")"
        parts.append(counted)
        if self.unit == UNIT_CALENDAR:
            count = ngettext("+%(days)d calendar day", "+%(days)d calendar days", self.days) % {"days": self.days}
        else:
            count = ngettext("+%(days)d working day", "+%(days)d working days", self.days) % {"days": self.days}
        if self.skipped:
            one_year = self.counting_from.year == self.due_date.year
            listed = ", ".join(
                f"{_fmt_date(s.date, short=True, with_year=not one_year)} ({s.name})" for s in self.skipped
            )
            count += ", " + _("skipping %(days)s") % {"days": listed}
        parts.append(count)
        due = _("due %(date)s") % {"date": _fmt_date(self.due_date)}
        if self.legal_source:
            due += f" ({self.legal_source})"
        parts.append(due)
        sentence = "; ".join(parts)
        return sentence[:1].upper() + sentence[1:] + "."

    def as_dict(self) -> dict:
        """JSON-ready: ``{"received_at": ISO datetime with +07:00 or None, "counting_from": "YYYY-MM-DD",
        "days": int, "unit": "working"|"calendar", "due_date": "YYYY-MM-DD", "skipped": [{"date", "name"}],
        "skipped_before": [{"date", "name"}], "legal_source": str, "explanation": str}``."""
        return {
            "received_at": to_local(self.received_at).isoformat() if self.received_at else None,
            "counting_from": self.counting_from.isoformat(),
            "days": self.days,
            "unit": self.unit,
            "due_date": self.due_date.isoformat(),
            "skipped": [s.as_dict() for s in self.skipped],
            "skipped_before": [s.as_dict() for s in self.skipped_before],
            "legal_source": self.legal_source,
            "explanation": self.explain(),
        }


# --- the calendar -----------------------------------------------------------------------------------------------


class WorkCalendar:
    """Office hours, the cuti bersama switch and the holidays of a date range, loaded once.

    ``office_start``/``office_end``: the general office hours (WIB); ``weekday_hours``: ``{weekday: (start,
    end)}`` overriding them per weekday (0 = Monday; "Kalender kerja", issue 17), see :meth:`office_hours`.

    ``WorkCalendar.load()`` reads :class:`WorkCalendarSettings` (one query); holidays are fetched lazily, one
    query per range not yet loaded (a deadline computation normally needs exactly one). Reuse one instance for
    bulk work; build a new one to see later edits.
    """

    #: Extra calendar days fetched around a range, so that walking past it rarely needs a second query.
    CHUNK_DAYS = 62

    def __init__(
        self,
        office_start: datetime.time = datetime.time(8, 0),
        office_end: datetime.time = datetime.time(16, 0),
        cuti_bersama_is_non_working: bool = True,
        weekday_hours: dict | None = None,
    ):
        self.office_start = office_start
        self.office_end = office_end
        self.cuti_bersama_is_non_working = cuti_bersama_is_non_working
        self.weekday_hours = dict(weekday_hours or {})
        self._holidays: dict[datetime.date, tuple[str, str]] = {}
        self._lo: datetime.date | None = None
        self._hi: datetime.date | None = None
        self.queries = 0  # holiday queries made (for tests and diagnostics)

    @classmethod
    def load(cls, request=None) -> WorkCalendar:
        """A calendar read from the database now: the admin settings ("Kalender kerja", one query; ``request``
        caches them per request), holidays lazily per range. For bulk work and anything that must bypass the
        process cache; everyday computations use :meth:`current`."""
        s = WorkCalendarSettings.load(request)
        return cls(s.office_start, s.office_end, s.cuti_bersama_is_non_working, s.hours_by_weekday())

    @classmethod
    def current(cls) -> WorkCalendar:
        """A calendar from the per-process snapshot (see "Process cache" in the module docstring): no SQL query
        while the shared version is unchanged, one cache read to check it. Falls back to :meth:`load` inside a
        transaction that changed the calendar and when the cache cannot be read."""
        snapshot = _current_snapshot()
        if snapshot is None:
            return cls.load()
        calendar = cls(
            snapshot.office_start, snapshot.office_end, snapshot.cuti_bersama_is_non_working, snapshot.weekday_hours
        )
        calendar._holidays = dict(snapshot.holidays)  # every active holiday: no range is ever fetched
        calendar._lo, calendar._hi = datetime.date.min, datetime.date.max
        return calendar

    # holidays --------------------------------------------------------------------------------------------------

    def _fetch(self, lo: datetime.date, hi: datetime.date) -> None:
        self.queries += 1
        rows = Holiday.objects.filter(date__range=(lo, hi), is_active=True).values_list("date", "name", "kind")
        for day, name, kind in rows:
            self._holidays[day] = (name, kind)

    def preload(self, lo: datetime.date, hi: datetime.date) -> None:
        """Make sure holidays from ``lo`` to ``hi`` (inclusive) are loaded; at most one query per missing side."""
        if lo > hi:
            lo, hi = hi, lo
        if self._lo is None:
            self._fetch(lo, hi)
            self._lo, self._hi = lo, hi
            return
        if lo < self._lo:
            self._fetch(lo, self._lo - datetime.timedelta(days=1))
            self._lo = lo
        if hi > self._hi:
            self._fetch(self._hi + datetime.timedelta(days=1), hi)
            self._hi = hi

    def _ensure(self, d: datetime.date) -> None:
        if self._lo is None or not (self._lo <= d <= self._hi):
            chunk = datetime.timedelta(days=self.CHUNK_DAYS)
            if self._lo is None:
                self.preload(d, d + chunk)
            elif d > self._hi:
                self.preload(self._lo, d + chunk)
            else:
                self.preload(d - chunk, self._hi)

    # rules -----------------------------------------------------------------------------------------------------

    def holiday_name(self, d: datetime.date) -> str | None:
        """Name of the active holiday on ``d`` that makes it non-working (cuti bersama only while the switch is
        on), else ``None``."""
        self._ensure(d)
        found = self._holidays.get(d)
        if found is None:
            return None
        name, kind = found
        if kind == KIND_CUTI_BERSAMA and not self.cuti_bersama_is_non_working:
            return None
        return name

    def non_working_reason(self, d: datetime.date) -> str | None:
        """Why ``d`` is not a working day ("Sabtu", "Minggu", the holiday's name, or both joined by ", "), or
        ``None`` when it is a working day."""
        d = _as_date(d)
        weekend = str(WEEKDAY_NAMES[d.weekday()]) if d.weekday() >= 5 else None
        holiday = self.holiday_name(d)
        if weekend and holiday:
            return f"{weekend}, {holiday}"
        return weekend or holiday

    def is_working_day(self, d: datetime.date) -> bool:
        """``True`` for Monday-Friday that is not a (counted) holiday (what :meth:`non_working_reason` says,
        without building the reason)."""
        d = _as_date(d)
        return d.weekday() < 5 and self.holiday_name(d) is None

    def next_working_day(self, d: datetime.date) -> datetime.date:
        """The first working day strictly after ``d``."""
        d = _as_date(d) + datetime.timedelta(days=1)
        while not self.is_working_day(d):
            d += datetime.timedelta(days=1)
        return d

    def office_hours(self, d: datetime.date) -> tuple[datetime.time, datetime.time]:
        """``(start, end)`` of the office hours on ``d``'s weekday (WIB): the weekday's own hours where the
        "Kalender kerja" settings give them, else the general ones."""
        return self.weekday_hours.get(_as_date(d).weekday(), (self.office_start, self.office_end))

    def _start_and_note(self, received_at: datetime.datetime) -> tuple[datetime.date, str, tuple[SkippedDay, ...]]:
        """``(day 0, why it is not the date of receipt or "", the non-working days skipped before it)``."""
        local = to_local(received_at)
        day, moment = local.date(), local.time()
        self.preload(day, day + datetime.timedelta(days=self.CHUNK_DAYS))
        reason = self.non_working_reason(day)
        if reason is None:
            start, end = self.office_hours(day)
            if moment < end and (moment >= start or conf.early_receipt_counts_same_day()):
                return day, "", ()
            note = _("outside office hours %(start)s–%(end)s %(tz)s") % {
                "start": start.strftime("%H.%M"),
                "end": end.strftime("%H.%M"),
                "tz": timezones.label(),
            }
        else:
            note = _("non-working day: %(reason)s") % {"reason": reason}
        first = self.next_working_day(day)
        skipped = []
        d = day
        while d < first:
            why = self.non_working_reason(d)
            if why is not None:
                skipped.append(SkippedDay(d, why))
            d += datetime.timedelta(days=1)
        return first, note, tuple(skipped)

    def counting_start(self, received_at: datetime.datetime) -> datetime.date:
        """Day 0 for a submission received at ``received_at`` (aware datetime; see the module rules)."""
        return self._start_and_note(received_at)[0]

    def add_working_days(
        self,
        start: datetime.date,
        days: int,
        *,
        received_at: datetime.datetime | None = None,
        legal_source: str = "",
        start_note: str = "",
        skipped_before: tuple[SkippedDay, ...] = (),
    ) -> Deadline:
        """The ``days``-th working day after ``start`` (day 0, not counted itself); ``days=0`` gives ``start``."""
        start, days = _as_date(start), _check_days(days)
        self.preload(start, start + datetime.timedelta(days=days * 2 + self.CHUNK_DAYS))
        skipped: list[SkippedDay] = []
        d, counted = start, 0
        while counted < days:
            d += datetime.timedelta(days=1)
            reason = self.non_working_reason(d)
            if reason is None:
                counted += 1
            else:
                skipped.append(SkippedDay(d, reason))
        return Deadline(
            received_at=to_local(received_at) if received_at else None,
            counting_from=start,
            days=days,
            unit=UNIT_WORKING,
            due_date=d,
            skipped=tuple(skipped),
            legal_source=legal_source,
            start_note=start_note,
            skipped_before=tuple(skipped_before),
        )

    def add_calendar_days(
        self,
        start: datetime.date,
        days: int,
        *,
        received_at: datetime.datetime | None = None,
        legal_source: str = "",
        start_note: str = "",
        skipped_before: tuple[SkippedDay, ...] = (),
    ) -> Deadline:
        """``start`` + ``days`` calendar days (nothing is skipped; the due date may fall on a non-working day)."""
        start, days = _as_date(start), _check_days(days)
        return Deadline(
            received_at=to_local(received_at) if received_at else None,
            counting_from=start,
            days=days,
            unit=UNIT_CALENDAR,
            due_date=start + datetime.timedelta(days=days),
            skipped=(),
            legal_source=legal_source,
            start_note=start_note,
            skipped_before=tuple(skipped_before),
        )

    def add_days(self, start, days, unit=UNIT_WORKING, **kwargs) -> Deadline:
        """:meth:`add_working_days` or :meth:`add_calendar_days` by ``unit``; ``ValueError`` for another unit."""
        if unit == UNIT_WORKING:
            return self.add_working_days(start, days, **kwargs)
        if unit == UNIT_CALENDAR:
            return self.add_calendar_days(start, days, **kwargs)
        raise ValueError(f"unit must be one of {UNITS}, got {unit!r}")

    def compute_deadline(
        self, received_at: datetime.datetime, days: int, unit: str = UNIT_WORKING, legal_source: str = ""
    ) -> Deadline:
        """Due date of a submission received at ``received_at``: day 0 by :meth:`counting_start`, then ``days``
        in ``unit``."""
        if unit not in UNITS:
            raise ValueError(f"unit must be one of {UNITS}, got {unit!r}")
        _check_days(days)
        # One holiday query for the whole walk: day 0 lies at most a few weeks after receipt.
        received_day = to_local(received_at).date()
        horizon = days * 2 + self.CHUNK_DAYS + 31 if unit == UNIT_WORKING else self.CHUNK_DAYS
        self.preload(received_day, received_day + datetime.timedelta(days=horizon))
        start, note, before = self._start_and_note(received_at)
        return self.add_days(
            start,
            days,
            unit,
            received_at=received_at,
            legal_source=legal_source,
            start_note=note,
            skipped_before=before,
        )

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end``; negative (the working days after ``end`` up
        to and including ``start``) when ``end`` is before ``start``. E.g. ``(today, due_date)``: 0 on the due
        date, -1 one working day late."""
        start, end = _as_date(start), _as_date(end)
        if start == end:
            return 0
        sign = 1
        if end < start:
            start, end, sign = end, start, -1
        self.preload(start, end)
        if (end - start).days <= self.CHUNK_DAYS:
            count, d = 0, start
            while d < end:
                d += datetime.timedelta(days=1)
                if self.is_working_day(d):
                    count += 1
            return sign * count
        # Long spans (a ticket overdue for months): Monday-Friday counted arithmetically, minus the counted
        # holidays falling on them — the same rule as the day-by-day walk, without walking every day.
        count = _weekdays_up_to(end) - _weekdays_up_to(start)
        count -= sum(1 for day in self._holidays if start < day <= end and day.weekday() < 5 and self.holiday_name(day))
        return sign * count

    def working_day_index(self, first: datetime.date, last: datetime.date) -> WorkingDayIndex:
        """A :class:`WorkingDayIndex` of ``first`` to ``last`` (inclusive, in either order): one pass over the
        calendar (one holiday query at most), then every :meth:`working_days_between` of two dates in the range is
        a subtraction. For bulk work such as a report's "time taken" of every decided request."""
        first, last = _as_date(first), _as_date(last)
        if last < first:
            first, last = last, first
        return WorkingDayIndex(self, first, last)


class WorkingDayIndex:
    """Running count of working days over a date range, built in one pass over the calendar: the working-day span
    between two dates is then a subtraction (issue 20: the reports measure thousands of spans per request).

    ``between(start, end)`` is exactly :meth:`WorkCalendar.working_days_between` — working days after ``start``
    up to and including ``end``, negative when ``end`` is before ``start``; unit: working days — for any two dates
    (``datetime.date``, WIB). Dates inside ``[first, last]`` cost two list lookups; a date outside is handed to the
    calendar (exact, slower). Build one with :meth:`WorkCalendar.working_day_index`.
    """

    __slots__ = ("calendar", "first", "last", "_base", "_running")

    def __init__(self, calendar: WorkCalendar, first: datetime.date, last: datetime.date):
        self.calendar, self.first, self.last = calendar, first, last
        self._base = first.toordinal()
        calendar.preload(first, last)
        running, count, d = [], 0, first
        for _day in range((last - first).days + 1):
            if calendar.is_working_day(d):
                count += 1
            running.append(count)  # working days in [first, d]
            d += datetime.timedelta(days=1)
        self._running = running

    def ordinal(self, d: datetime.date) -> int | None:
        """Working days from ``first`` up to and including ``d`` (``None`` outside ``[first, last]``)."""
        i = d.toordinal() - self._base
        return self._running[i] if 0 <= i < len(self._running) else None

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative when ``end`` is before ``start``)."""
        running, base = self._running, self._base
        i, j = start.toordinal() - base, end.toordinal() - base
        if 0 <= i < len(running) and 0 <= j < len(running):
            return running[j] - running[i]
        return self.calendar.working_days_between(start, end)


def _weekdays_up_to(d: datetime.date) -> int:
    """Monday-Fridays from 1 January of year 1 (a Monday) up to and including ``d``."""
    weeks, days = divmod(d.toordinal(), 7)
    return weeks * 5 + min(days, 5)


# --- module-level interface (the process-cached calendar unless ``calendar=`` is given) ---------------------------


def _cal(calendar: WorkCalendar | None) -> WorkCalendar:
    return calendar if calendar is not None else WorkCalendar.current()


def is_working_day(d: datetime.date, *, calendar: WorkCalendar | None = None) -> bool:
    """Whether ``d`` (a WIB date) is a working day: Monday-Friday, not an active holiday (cuti bersama counts as
    a holiday while the "Kalender kerja" switch is on)."""
    return _cal(calendar).is_working_day(d)


def non_working_reason(d: datetime.date, *, calendar: WorkCalendar | None = None) -> str | None:
    """ "Sabtu", "Minggu", the holiday's name (both, joined by ", ", for a weekend holiday), or ``None`` when
    ``d`` is a working day."""
    return _cal(calendar).non_working_reason(d)


def next_working_day(d: datetime.date, *, calendar: WorkCalendar | None = None) -> datetime.date:
    """The first working day strictly after ``d``."""
    return _cal(calendar).next_working_day(d)


def counting_start(received_at: datetime.datetime, *, calendar: WorkCalendar | None = None) -> datetime.date:
    """Day 0 (WIB date) for a submission received at ``received_at`` (aware; naive raises ``ValueError``).

    The receipt date if it is a working day and the WIB time is within office hours (default 08:00–16:00, the
    end exclusive; ``PESAN_EARLY_RECEIPT_COUNTS_SAME_DAY`` also takes a time before they start); otherwise the
    next working day.
    Source: domain reference "Working days" (office hours are the "Kalender kerja" setting).
    """
    return _cal(calendar).counting_start(received_at)


def add_working_days(
    start: datetime.date,
    days: int,
    *,
    received_at: datetime.datetime | None = None,
    legal_source: str = "",
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """``Deadline`` ``days`` working days after ``start`` (day 0, itself not counted). ``days`` >= 0
    (``ValueError``/``TypeError`` otherwise). ``received_at`` is only recorded for the explanation."""
    return _cal(calendar).add_working_days(start, days, received_at=received_at, legal_source=legal_source)


def add_calendar_days(
    start: datetime.date,
    days: int,
    *,
    received_at: datetime.datetime | None = None,
    legal_source: str = "",
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """``Deadline`` ``days`` calendar days after ``start`` (day 0); nothing skipped."""
    return _cal(calendar).add_calendar_days(start, days, received_at=received_at, legal_source=legal_source)


def compute_deadline(
    received_at: datetime.datetime,
    days: int,
    unit: str = UNIT_WORKING,
    legal_source: str = "",
    *,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """Due date of a submission received at ``received_at`` (aware datetime): day 0 by :func:`counting_start`,
    then ``days`` working or calendar days. E.g. a PPID request (10 WD, UU 14/2008 Pasal 22(7)) received Friday
    13 March 2026 10:00 WIB is due Monday 6 April 2026 (Nyepi, Idul Fitri, cuti bersama and Good Friday
    skipped). Raises ``ValueError`` for a naive datetime, negative days or an unknown unit."""
    return _cal(calendar).compute_deadline(received_at, days, unit, legal_source)


def extend_deadline(
    due_date: datetime.date,
    days: int,
    legal_source: str = "",
    *,
    unit: str = UNIT_WORKING,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """A deadline extended by ``days`` counted from the current ``due_date`` (day 0 of the extension), e.g. the
    one PPID extension of 7 WD (UU 14/2008 Pasal 22(8)): due 6 April 2026 → 15 April 2026."""
    return _cal(calendar).add_days(due_date, days, unit, legal_source=legal_source)


def working_days_between(start: datetime.date, end: datetime.date, *, calendar: WorkCalendar | None = None) -> int:
    """Working days from ``start`` (exclusive) to ``end`` (inclusive); negative when ``end`` is before
    ``start`` (overdue). One holiday query for the whole range."""
    return _cal(calendar).working_days_between(start, end)


def remaining_working_days(
    due_date: datetime.date, today: datetime.date | None = None, *, calendar: WorkCalendar | None = None
) -> int:
    """Working days left until ``due_date`` counted from ``today`` (default: today in WIB); 0 on the due date,
    negative when overdue."""
    return working_days_between(today or today_local(), due_date, calendar=calendar)


def deadline_rule(service: str, milestone: str) -> DeadlineRule:
    """The :class:`~layanan.calendar.conf.DeadlineRule` for ``service``/``milestone``
    (``PESAN_DEADLINE_RULES`` applied);
    ``KeyError`` when unknown. E.g. ``deadline_rule("ppid", "answer")`` → 10 working days, UU 14/2008 Pasal
    22(7)."""
    return conf.get_deadline_rule(service, milestone)


def deadline_for(
    received_at: datetime.datetime, service: str, milestone: str, *, calendar: WorkCalendar | None = None
) -> Deadline:
    """:func:`compute_deadline` with the days, unit and legal source of :func:`deadline_rule`."""
    rule = deadline_rule(service, milestone)
    return compute_deadline(received_at, rule.days, rule.unit, rule.legal_source, calendar=calendar)
