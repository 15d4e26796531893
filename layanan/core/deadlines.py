"""Ticket deadlines: which rule drives a ticket's due date, how it is (re)derived, how urgent it is.

A ticket stores the *inputs* of its deadline (``deadline_rule`` like ``"ppid/answer"``, ``deadline_start``, the
snapshotted ``deadline_days``/``deadline_unit``/``deadline_legal_source`` and the one-off extension), so the
due date can always be re-derived from the working-day calendar (``layanan.calendar.workdays``) — which is what happens
when the holiday table changes (signal ``holidays_changed``). Dates are WIB dates; "WD" = working days.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from django.utils import timezone

from layanan.calendar.conf import get_deadline_rule
from layanan.calendar.workdays import (
    WorkCalendar,
    compute_deadline,
    extend_deadline,
    to_local,
    working_days_between,
)
from layanan.core import conf as desk_conf

logger = logging.getLogger(__name__)

__all__ = [
    "derive_deadline",
    "extension_counts",
    "refresh_due_date",
    "remaining_working_days",
    "set_deadline",
    "today_wib",
    "urgency",
]


def today_wib() -> date:
    """Today's date in the institution's zone (``TIME_ZONE``, the calendar zone: WIB by default)."""
    return timezone.localdate()


def set_deadline(ticket, service: str, milestone: str, start: datetime, *, calendar=None):
    """Point ``ticket`` at the deadline rule ``service/milestone`` counted from ``start`` (aware datetime).

    Snapshots the rule's days, unit and legal source (from ``layanan.calendar.conf``) and derives ``due_date``,
    ``counting_from`` and ``deadline_explanation``. Does not save. Returns what :func:`derive_deadline` gives,
    ``(base, extension)`` (``extension`` is ``None`` for a new deadline), so that a caller that shows the
    deadline (the submission answer) does not compute it again.
    """
    rule = get_deadline_rule(service, milestone)
    ticket.deadline_rule = rule.key
    ticket.deadline_start = start
    ticket.deadline_days = rule.days
    ticket.deadline_unit = rule.unit
    ticket.deadline_legal_source = rule.legal_source
    derived = derive_deadline(ticket, calendar)
    _apply(ticket, derived)
    return derived


def derive_deadline(ticket, calendar=None):
    """Re-derive the ticket's deadline: ``(base: Deadline, extension: Deadline | None)`` or ``None``.

    ``base`` counts ``deadline_days`` from ``deadline_start``; ``extension`` (UU 14/2008 Pasal 22(8)) counts
    ``extension_days`` WD from the base due date — only when it was taken in time (:func:`extension_counts`):
    an extension recorded after the base due date is no extension, and the base due date stands.
    """
    if not ticket.deadline_rule or ticket.deadline_start is None or ticket.deadline_days is None:
        return None
    if calendar is None:
        calendar = WorkCalendar.current()  # one cache check for base and extension (layanan.calendar.workdays)
    base = compute_deadline(
        ticket.deadline_start,
        ticket.deadline_days,
        unit=ticket.deadline_unit or "working",
        legal_source=ticket.deadline_legal_source,
        calendar=calendar,
    )
    extension = None
    if extension_counts(ticket, base.due_date):
        extension = extend_deadline(
            base.due_date, ticket.extension_days, legal_source=ticket.extension_legal_source, calendar=calendar
        )
    return base, extension


def extension_counts(ticket, base_due_date: date) -> bool:
    """Whether the ticket's one extension moves its due date. UU 14/2008 Pasal 22(8): the extension is decided
    within the first 10 working days, so one recorded after the due date passed is none.

    An extension given by the ``extend`` step (``extension_in_time`` True) was checked then, against the due date
    as the calendar stood that day, and counts for good: a holiday later removed or moved, which brings the first
    due date forward past the day of the extension, does not take it away (it then counts from the new first
    due date). For rows without that mark (stored before it existed, or written by hand): it counts when taken
    (``extended_at``, WIB date) on or before ``base_due_date``, the due date without it, or when no time was
    recorded."""
    if not (ticket.extended and ticket.extension_days):
        return False
    if ticket.extension_in_time is not None:
        return ticket.extension_in_time
    if ticket.extended_at is None:
        return True
    return to_local(ticket.extended_at).date() <= base_due_date


def refresh_due_date(ticket, calendar=None) -> bool:
    """Recompute ``counting_from``, ``due_date`` and ``deadline_explanation``; True when the due date moved.

    Does not save. A ticket without a deadline rule keeps its fields.
    """
    old_due = ticket.due_date
    if not _apply(ticket, derive_deadline(ticket, calendar)):
        return False
    return old_due != ticket.due_date


def _apply(ticket, derived) -> bool:
    """Write a :func:`derive_deadline` result into the ticket's fields; False (nothing written) for ``None``."""
    if derived is None:
        return False
    base, extension = derived
    ticket.counting_from = base.counting_from
    ticket.due_date = (extension or base).due_date
    parts = [base.explain()]
    if extension is not None:
        parts.append(extension.explain())
    ticket.deadline_explanation = "\n".join(parts)
    return True


def remaining_working_days(ticket, today: date | None = None, *, calendar=None) -> int | None:
    """Working days from ``today`` (default: today in WIB) to the due date; negative when overdue.
    ``calendar``: a shared ``WorkCalendar`` (lists reuse one, so holidays are read once per page)."""
    if ticket.due_date is None:
        return None
    return working_days_between(today or today_wib(), ticket.due_date, calendar=calendar)


def urgency(ticket, today: date | None = None, *, calendar=None) -> str:
    """``"stopped"`` (clock not running or no due date), ``"overdue"``, ``"due_soon"`` or ``"ok"``.
    ``calendar``: a shared ``WorkCalendar`` (see :func:`remaining_working_days`)."""
    if not ticket.clock_running or ticket.due_date is None:
        return "stopped"
    today = today or today_wib()
    if ticket.due_date < today:
        return "overdue"
    remaining = remaining_working_days(ticket, today, calendar=calendar)
    if remaining is not None and remaining <= desk_conf.due_soon_working_days():
        return "due_soon"
    return "ok"
