"""The PPID's legal windows beside a ticket's own due date (issue 17), each one rule that the intake, the
machines, the citizen's next steps, the reports and the holiday recomputation call.

- :func:`objection_window` — the 30-WD window to file an objection (UU 14/2008 Pasal 36(1)), from when its
  reason arose.
- :func:`delivery_deadline` / :func:`delivered_late` — when the information must be delivered after the
  decision (the written notice states the time needed, Pasal 22(7); setting ``ppid/delivery``) and whether
  it was delivered later (objection ground (g), Pasal 35(1)(g)).
- :func:`refused_under_pasal_17` — the request was refused on an exemption of Pasal 17 (ground (a)).
- :func:`komisi_informasi_deadline` — the last day to take a dispute to the Komisi Informasi: 14 WD after the
  Atasan PPID's answer (Pasal 37(2)) or, when the objection is never answered, 14 WD after its 30-WD answer
  period lapsed (Perki 1/2013 Pasal 13). :func:`komisi_informasi_until` says whether that window is open.
- :func:`recompute_dates` — re-derives the stored filing windows and Komisi Informasi dates when holidays
  change (``ServiceDefinition.recompute_dates`` of the objection service).

All dates are WIB dates; working days (WD) are counted by :mod:`layanan.calendar.workdays`.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext

from layanan.calendar.conf import UNIT_WORKING, get_deadline_rule
from layanan.calendar.workdays import Deadline, WorkCalendar, compute_deadline, extend_deadline, to_local
from layanan.core.models.tickets import Ticket, TimelineEntry
from layanan.ppid.models import ObjectionDetails, PPIDRequestDetails

logger = logging.getLogger(__name__)

__all__ = [
    "delivered_late",
    "delivery_deadline",
    "komisi_informasi_deadline",
    "komisi_informasi_until",
    "objection_window",
    "recompute_dates",
    "refresh_objection_dates",
    "refused_under_pasal_17",
]


# --- filing an objection (UU 14/2008 Pasal 36(1)) ------------------------------------------------------------
def objection_window(
    request_ticket, reason: str | None = None, *, calendar=None
) -> tuple[datetime.date, datetime.date, str]:
    """The 30-WD filing window of an objection against ``request_ticket`` (UU 14/2008 Pasal 36(1): 30 working
    days "sejak ditemukannya alasan"). Returns ``(day 0, last allowed date, basis label)`` in WIB dates.

    When the reason arose — our rule: for reason (g) (late delivery) the delivery of the information
    (``PPIDRequestDetails.delivered_at``); for reason (c) (no answer) the request's due date (its extension
    included), the day the answer was owed; otherwise the written decision (``responded_at``) when there is
    one (reasons a, d–f: the decision is what is objected to), else the due date of the unanswered request.
    ``reason`` None: the general rule (what the citizen's next steps offer before a reason is chosen).
    """
    rule = get_deadline_rule("objection", "filing_window")
    details = getattr(request_ticket, "ppid", None)
    if reason == "g" and details is not None and details.delivered_at is not None:
        deadline = compute_deadline(details.delivered_at, rule.days, rule.unit, calendar=calendar)
        return deadline.counting_from, deadline.due_date, gettext("the delivery of the information")
    if request_ticket.responded_at and reason != "c":
        deadline = compute_deadline(request_ticket.responded_at, rule.days, rule.unit, calendar=calendar)
        return deadline.counting_from, deadline.due_date, gettext("the decision on the request")
    deadline = extend_deadline(request_ticket.due_date, rule.days, unit=rule.unit, calendar=calendar)
    return deadline.counting_from, deadline.due_date, gettext("the due date of the unanswered request")


# --- the decision and the delivery (UU 14/2008 Pasal 17, 22(7)) ---------------------------------------------
def refused_under_pasal_17(request_ticket) -> bool:
    """The request was refused on an exemption of UU 14/2008 Pasal 17 — objection ground (a), Pasal 35(1)(a):
    its outcome is "rejected: exempt information", or a partial grant that cites a Pasal 17 ground for the
    parts withheld."""
    details = getattr(request_ticket, "ppid", None)
    if details is None:
        return False
    Outcome = PPIDRequestDetails.Outcome
    if details.outcome == Outcome.REJECTED_EXEMPT:
        return True
    return details.outcome == Outcome.GRANTED_PART and bool(details.exemption_ground)


def delivery_deadline(request_ticket, *, calendar=None) -> Deadline | None:
    """When the information of a PPID request must be delivered (WIB date: ``.due_date``), or None without a
    due date.

    The written notice states the time needed to provide the information (UU 14/2008 Pasal 22(7)): when the
    decision recorded it (``PPIDRequestDetails.time_needed_days``), the information is due that many working
    days after the notice (``decided_at``, counted from its day 0 like a receipt). Otherwise the rule
    ``ppid/delivery`` (``layanan.calendar.conf``, a setting through ``PESAN_DEADLINE_RULES``) gives it in
    working days after the request's answer due date (its valid extension included); default 0: the
    information is due by the answer's own due date. A delivery after it is objection ground (g).
    """
    details = getattr(request_ticket, "ppid", None)
    if details is not None and details.decided_at is not None and details.time_needed_days is not None:
        return compute_deadline(
            details.decided_at, details.time_needed_days, UNIT_WORKING, "UU 14/2008 Pasal 22(7)", calendar=calendar
        )
    if request_ticket.due_date is None:
        return None
    rule = get_deadline_rule("ppid", "delivery")
    return extend_deadline(request_ticket.due_date, rule.days, rule.legal_source, unit=rule.unit, calendar=calendar)


def delivered_late(request_ticket, *, calendar=None) -> bool:
    """The information was delivered (``delivered_at``, WIB date) after :func:`delivery_deadline` — objection
    ground (g), UU 14/2008 Pasal 35(1)(g). False while nothing is delivered."""
    details = getattr(request_ticket, "ppid", None)
    if details is None or details.delivered_at is None:
        return False
    deadline = delivery_deadline(request_ticket, calendar=calendar)
    return deadline is not None and to_local(details.delivered_at).date() > deadline.due_date


# --- the Komisi Informasi (UU 14/2008 Pasal 37; Perki 1/2013 Pasal 13) ----------------------------------------
def _ki_deadline(answered_at, answer_due: datetime.date | None, calendar=None) -> Deadline | None:
    if answered_at is not None:
        rule = get_deadline_rule("objection", "komisi_informasi")
        return compute_deadline(answered_at, rule.days, rule.unit, rule.legal_source, calendar=calendar)
    if answer_due is None:
        return None
    rule = get_deadline_rule("objection", "komisi_informasi_unanswered")
    return extend_deadline(answer_due, rule.days, rule.legal_source, unit=rule.unit, calendar=calendar)


def _answered_at(objection_ticket, details):
    """When the Atasan PPID answered (or the objection was settled): the response the 14 WD count from."""
    return (details.answered_at if details is not None else None) or objection_ticket.responded_at


def komisi_informasi_deadline(objection_ticket, *, calendar=None) -> Deadline | None:
    """The last day (``.due_date``, WIB) on which the applicant may take a dispute to the Komisi Informasi:

    - 14 WD after the Atasan PPID's written answer (``answered_at``, or the settlement's ``responded_at``),
      counted from its day 0 like a receipt (UU 14/2008 Pasal 37(2); rule ``objection/komisi_informasi``);
    - while unanswered, 14 WD after the 30-WD answer period lapsed: counted from the objection's due date
      (Perki 1/2013 Pasal 13; rule ``objection/komisi_informasi_unanswered``).

    None without either (no due date). Stored as ``ObjectionDetails.komisi_informasi_deadline``.
    """
    details = getattr(objection_ticket, "objection", None)
    return _ki_deadline(_answered_at(objection_ticket, details), objection_ticket.due_date, calendar)


def komisi_informasi_until(objection_ticket, today: datetime.date) -> datetime.date | None:
    """The last WIB date to take the dispute to the Komisi Informasi when that is possible on ``today`` — the
    objection was answered, or its answer period lapsed (``today`` after its due date) unanswered — and the
    window has not closed; else None. Reads the stored ``komisi_informasi_deadline`` (computed when missing)."""
    details = getattr(objection_ticket, "objection", None)
    answered = _answered_at(objection_ticket, details) is not None
    lapsed = objection_ticket.due_date is not None and today > objection_ticket.due_date
    if not (answered or lapsed):
        return None
    until = details.komisi_informasi_deadline if details is not None else None
    if until is None:
        deadline = komisi_informasi_deadline(objection_ticket)
        until = deadline.due_date if deadline else None
    if until is None or today > until:
        return None
    return until


# --- holidays changed -------------------------------------------------------------------------------------------
def _refresh(details: ObjectionDetails, calendar) -> list[str]:
    """Re-derive ``details``' filing window and Komisi Informasi date; the names of the fields that changed."""
    changed = []
    request = details.request
    if request is not None and details.reason != "b" and request.due_date is not None:
        day0, last, _basis = objection_window(request, details.reason, calendar=calendar)
        if (details.window_start, details.window_last_date) != (day0, last):
            details.window_start, details.window_last_date = day0, last
            changed += ["window_start", "window_last_date"]
    deadline = _ki_deadline(_answered_at(details.ticket, details), details.ticket.due_date, calendar)
    until = deadline.due_date if deadline else None
    if until != details.komisi_informasi_deadline:
        details.komisi_informasi_deadline = until
        changed.append("komisi_informasi_deadline")
    return changed


def recompute_dates(years=None, calendar=None) -> int:
    """``holidays_changed``: re-derive every objection's filing window and Komisi Informasi date that can have
    moved (a holiday in year Y moves a count that ends in Y or later); returns how many objections changed.

    ``years``: the years touched (None: every objection). One transaction per objection, its ticket row locked.
    A Komisi Informasi date that moved gets an applicant-visible system entry naming the old and new date (one
    computed for the first time, on a row from before it was stored, gets none).
    """
    calendar = calendar or WorkCalendar.load()
    rows = ObjectionDetails.objects.all()
    if years:
        first = datetime.date(min(int(y) for y in years), 1, 1)
        rows = rows.filter(
            Q(window_last_date__gte=first)
            | Q(komisi_informasi_deadline__gte=first)
            | Q(komisi_informasi_deadline__isnull=True)
        )
    changed_count = 0
    for pk in rows.values_list("pk", flat=True):
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().get(pk=pk)
            details = ObjectionDetails.objects.select_related("request", "request__ppid").get(pk=pk)
            details.ticket = ticket
            old_ki = details.komisi_informasi_deadline
            changed = _refresh(details, calendar)
            if not changed:
                continue
            details.save(update_fields=changed)
            changed_count += 1
            moved = old_ki is not None and details.komisi_informasi_deadline is not None  # not a first computation
            if "komisi_informasi_deadline" in changed and moved:
                TimelineEntry.objects.create(
                    ticket=ticket,
                    actor_kind=TimelineEntry.ActorKind.SYSTEM,
                    action="deadline_recomputed",
                    from_status=ticket.status,
                    to_status=ticket.status,
                    note=gettext(
                        "The last day to take a dispute to the Komisi Informasi changed from %(old)s to %(new)s "
                        "because the holiday calendar changed."
                    )
                    % {"old": old_ki.isoformat(), "new": details.komisi_informasi_deadline.isoformat()},
                    visible_to_applicant=True,
                    data={
                        "old_komisi_informasi_deadline": old_ki.isoformat(),
                        "komisi_informasi_deadline": details.komisi_informasi_deadline.isoformat(),
                    },
                )
    if changed_count:
        logger.info("holidays changed: %s objection windows recomputed", changed_count)
    return changed_count


def refresh_objection_dates(objection_ticket, details: ObjectionDetails | None = None) -> list[str]:
    """Set ``details``' (default: the ticket's) Komisi Informasi date and filing window by the rules above
    (after the answer, on the locked row of a transition); the changed field names. Does not save."""
    details = details if details is not None else objection_ticket.objection
    details.ticket = objection_ticket
    return _refresh(details, None)
