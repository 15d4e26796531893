"""State machines of the desk, as data, and THE function that moves a ticket: :func:`apply_transition`.

Each service has a :class:`Machine`: its states (with whether the deadline clock runs in them), and its
transitions (action code, source states, target state, the permissions allowed to take it, the inputs it
needs as :class:`Input` specs, whether the applicant sees it, and an optional effect). The admin builds its
action forms from the same specs; the API, the admin and tasks all call :func:`apply_transition`.

States (domain reference 1–2):

- PPID request: received → verification (↔ needs_completion) → assigned (disposisi) → in_process → decided
  → delivered → closed; ``extend`` (once, +7 WD from the current due date, UU 14/2008 Pasal 22(8)) keeps the
  state. The 10-WD clock (Pasal 22(7)) runs from receipt until the decision; while the applicant completes
  the request the clock keeps running (the conservative reading).
- Objection: received → in_review → answered | settled (reasons b–g only, Pasal 35(2)) → closed; the answer
  is due 30 WD after receipt (Pasal 36(2)); the answer sets the applicant's 14-WD Komisi Informasi window
  (Pasal 37), and ``record_dispute`` records a dispute filed there.
- LAPOR: received → verified | on_hold | not_our_authority | archived → assigned → followed_up →
  awaiting_reply → closed. Deadlines: verification 3 WD from receipt, first response 5 WD from verification,
  completion 14 WD (or 60 calendar days with field examination) from verification.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from home.models import Unit, UnitMembership
from layanan.calendar.workdays import WorkCalendar
from layanan.core import registry
from layanan.core.access import has_desk_perm, tickets_visible_to
from layanan.core.deadlines import refresh_due_date
from layanan.core.events import record_event
from layanan.core.intake import delete_files_on_error, store_attachments, validate_uploads
from layanan.core.models.tickets import Ticket, TimelineEntry
from layanan.core.outbox import enqueue
from layanan.core.registry import action_label

logger = logging.getLogger(__name__)

__all__ = [
    "Input",
    "Machine",
    "State",
    "Transition",
    "ReplyNotAwaited",
    "TransitionConflict",
    "TransitionError",
    "action_label",
    "applicant_reply",
    "apply_transition",
    "available_transitions",
    "machine_for",
    "open_statuses_q",
    "recompute_open_tickets",
    "record_event",
]


class TransitionError(Exception):
    """A refused transition. ``message``: Indonesian sentence for people; ``errors``: ``{input: message}``.

    Nothing was changed when this is raised.
    """

    def __init__(self, message, errors: dict | None = None):
        self.message = str(message)
        self.errors = {k: str(v) for k, v in (errors or {}).items()}
        super().__init__(self.message)


class TransitionConflict(TransitionError):
    """The ticket's current state does not allow the action any more — typically another officer acted first
    (e.g. two operators "decide" at once: the second waits for the first's row lock, then gets this). The
    message names the current status; over HTTP it answers 409 Conflict. Nothing was changed.
    """


@dataclass(frozen=True)
class State:
    """A status. ``clock``: the body owes a step on the deadline (can be overdue) — a bool, or a zero-argument
    callable returning one for a state whose clock is a setting (a PPID request waiting for completion,
    ``layanan.ppid.conf``); read it through :attr:`runs_clock`. ``final``: no way out.

    ``public_label``: what the applicant or reporter reads (default: ``label``) — for WBS, the internal
    states map onto a small public set; ``public_help``: one sentence for them about what happens now."""

    code: str
    label: str | Promise
    clock: bool | Callable[[], bool] = True
    final: bool = False
    public_label: str | Promise = ""
    public_help: str | Promise = ""

    @property
    def runs_clock(self) -> bool:
        """Whether the deadline clock runs in this state now (``clock``, called when it is a setting)."""
        return bool(self.clock()) if callable(self.clock) else bool(self.clock)

    @property
    def citizen_label(self) -> str | Promise:
        """The label the applicant or reporter reads (``public_label`` or ``label``)."""
        return self.public_label or self.label


@dataclass(frozen=True)
class Input:
    """An input a transition takes. ``kind``: text, choice, unit, category, user, date, decimal, integer, bool.

    ``choices``: ``((value, label), ...)`` or a zero-argument callable returning them (for DB-backed lists).
    ``queryset``: for an input that names a row (``unit``, ``category``), a zero-argument callable returning the
    rows that may be chosen; the submitted primary key is looked up there ("Select a valid choice" otherwise).
    """

    name: str
    label: str | Promise
    kind: str = "text"
    required: bool = True
    choices: tuple | Callable = ()
    help_text: str | Promise = ""
    queryset: Callable | None = None

    def get_choices(self):
        return tuple(self.choices()) if callable(self.choices) else tuple(self.choices)


@dataclass(frozen=True)
class Transition:
    """An action. ``target`` None keeps the state. ``permissions``: any one of these ``layanan.*`` codenames.

    ``effect(ticket, data, user, now)`` applies the action's specific changes (details, deadlines) and may
    raise :class:`TransitionError`; it runs inside the transaction, on the locked row, before saving.
    ``notify_unit``: the unit's e-mail is told (disposition).
    """

    action: str
    label: str | Promise
    sources: tuple[str, ...]
    target: str | None
    permissions: tuple[str, ...]
    inputs: tuple[Input, ...] = ()
    visible_to_applicant: bool = True
    effect: Callable | None = None
    notify_unit: bool = False
    style: str = "button-secondary"
    allows_files: bool = False
    aliases: tuple[tuple[str, str], ...] = ()
    #: The step's name for the applicant or reporter; default: the public label of the state it leads to, or
    #: "Message from the officer" for a step that keeps the state (``layanan.core.public.public_step_label``).
    public_label: str | Promise = ""
    #: Taken by the applicant or reporter (their reply or completion, ``applicant_reply``), never offered at the
    #: desk (such a transition has no ``permissions``).
    by_applicant: bool = False
    #: ``documents(ticket, entry, user, now)`` issues the step's documents (``layanan.core.documents.issue``:
    #: numbered PDFs stored as applicant-visible attachments of ``entry``) inside the step's transaction, after
    #: its event is written; what it raises rolls the whole step back.
    documents: Callable | None = None

    def normalise(self, data: dict) -> dict:
        """Map alternative input names (``aliases``: ``(alias, input)``) onto the declared inputs."""
        data = dict(data)
        for alias, name in self.aliases:
            if alias in data and name not in data:
                data[name] = data.pop(alias)
        return data


@dataclass(frozen=True)
class Machine:
    """The states and transitions of one service; ``initial`` is the status of a new ticket.

    ``confidential``: timeline notes of this service are stored encrypted (``TimelineEntry.note_sealed``) and
    every opening of a ticket in the admin is audited (WBS).
    """

    service: str
    initial: str
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    _by_code: dict = field(default_factory=dict, compare=False, repr=False)
    confidential: bool = False

    def state(self, code: str) -> State:
        """The :class:`State` with ``code``; an unknown code gives a placeholder State labelled with the code."""
        for state in self.states:
            if state.code == code:
                return state
        return State(code, code, clock=False)

    def transition(self, action: str) -> Transition | None:
        return next((t for t in self.transitions if t.action == action), None)

    def applicant_transition(self, status: str) -> Transition | None:
        """The applicant's own step (``by_applicant``) out of ``status`` — the body waits for them there — or
        None. The one rule behind ``applicant_reply`` and the status page's ``awaits_reply``."""
        return next((t for t in self.transitions if t.by_applicant and status in t.sources), None)

    def open_states(self) -> list[str]:
        """Codes of the states in which the deadline clock runs."""
        return [s.code for s in self.states if s.runs_clock]


# --- inputs shared by several transitions -----------------------------------------------------------------
def _unit_choices():
    return [(str(u.pk), str(u)) for u in Unit.objects.filter(active=True)]


NOTE = Input("note", _("Message"), required=False)
NOTE_REQUIRED = Input("note", _("Message"))
INTERNAL_NOTE = Input("note", _("Internal note"))
UNIT = Input("unit", _("Unit"), kind="unit", choices=_unit_choices, queryset=lambda: Unit.objects.filter(active=True))
ASSIGNEE = Input("assignee", _("Officer"), kind="user", required=False)


# --- effects ------------------------------------------------------------------------------------------------
def assign_unit(ticket, data, user, now):
    """Disposition (disposisi) to ``data["unit"]``, optionally to one of its officers (``data["assignee"]``).

    The officer must be an operator of that unit (``UnitMembership``), else :class:`TransitionError` on
    ``assignee``: an officer of another unit could not open the ticket. A disposition to another unit clears
    the previous officer unless a new one is named."""
    unit, assignee = data["unit"], data.get("assignee")
    if assignee is not None and not UnitMembership.objects.filter(user=assignee, unit=unit).exists():
        message = gettext("%(officer)s is not an operator of the unit %(unit)s.") % {
            "officer": assignee.get_full_name() or assignee.get_username(),
            "unit": unit.name,
        }
        raise TransitionError(message, {"assignee": message})
    if ticket.unit_id != unit.pk:
        ticket.assignee = assignee  # re-routed: the old unit's officer no longer handles it
    elif assignee is not None:
        ticket.assignee = assignee
    ticket.unit = unit
    data.setdefault("note_default", gettext("Disposed to unit %(unit)s.") % {"unit": ticket.unit.name})


def close_ticket(ticket, data, user, now):
    ticket.closed_at = now


def machine_for(service: str) -> Machine:
    """The :class:`Machine` of ``service`` (from the service registry); ``KeyError`` for an unknown service."""
    return registry.get(service).machine


def open_statuses_q() -> Q:
    """``Q`` matching tickets whose deadline clock runs (any service)."""
    condition = Q(pk__in=[])
    for machine in registry.machines().values():
        condition |= Q(service=machine.service, status__in=machine.open_states())
    return condition


def _user_may(user, transition: Transition) -> bool:
    """``user`` holds one of the transition's permissions (restricted ones explicitly: ``has_desk_perm``)."""
    if user is None:  # system (tasks)
        return True
    return any(has_desk_perm(user, p) for p in transition.permissions)


def available_transitions(ticket, user) -> list[Transition]:
    """Transitions ``user`` may take on ``ticket`` in its current status (for buttons)."""
    machine = machine_for(ticket.service)
    return [t for t in machine.transitions if ticket.status in t.sources and _user_may(user, t)]


def _clean_inputs(transition: Transition, data: dict) -> dict:
    """Validate and convert ``data`` against the transition's inputs; raise ``TransitionError`` per field."""
    from django.contrib.auth import get_user_model

    cleaned, errors = {}, {}
    for spec in transition.inputs:
        raw = data.get(spec.name)
        if isinstance(raw, str):
            raw = raw.strip()
        if raw in (None, "", []):
            if spec.required:
                errors[spec.name] = gettext("This field is required.")
            cleaned[spec.name] = None if spec.kind not in ("text",) else ""
            continue
        try:
            if spec.kind == "choice":
                values = {str(v) for v, _label in spec.get_choices()}
                if str(raw) not in values:
                    raise ValueError
                cleaned[spec.name] = str(raw)
            elif spec.queryset is not None:
                rows = spec.queryset()
                cleaned[spec.name] = raw if isinstance(raw, rows.model) else rows.get(pk=int(raw))
            elif spec.kind == "user":
                user_model = get_user_model()
                cleaned[spec.name] = raw if isinstance(raw, user_model) else user_model.objects.get(pk=int(raw))
            elif spec.kind == "date":
                value = raw if isinstance(raw, date) else parse_date(str(raw))
                if value is None:
                    raise ValueError
                cleaned[spec.name] = value
            elif spec.kind == "decimal":
                value = Decimal(str(raw))
                if value < 0:
                    raise ValueError
                cleaned[spec.name] = value
            elif spec.kind == "integer":
                value = int(str(raw))
                if value < 0:
                    raise ValueError
                cleaned[spec.name] = value
            elif spec.kind == "bool":
                cleaned[spec.name] = raw if isinstance(raw, bool) else str(raw).lower() in ("1", "true", "on", "yes")
            else:
                cleaned[spec.name] = str(raw)
        except ObjectDoesNotExist:
            errors[spec.name] = gettext("Select a valid choice.")
        except (ValueError, TypeError, InvalidOperation):
            errors[spec.name] = gettext("Enter a valid value.")
    if errors:
        raise TransitionError(gettext("Please correct the errors below."), errors)
    return cleaned


def _json_safe(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, Decimal | date):
        return str(value)
    return value


def _checked_files(files):
    """The upload checks of the site (:func:`layanan.core.intake.validate_uploads`) as a ``TransitionError``
    whose field error is ``files``."""
    try:
        return validate_uploads(files)
    except ValidationError as exc:
        raise TransitionError(" ".join(exc.messages), {"files": " ".join(exc.messages)}) from exc


def apply_transition(ticket, action: str, user=None, *, files=(), actor_kind=None, **data):
    """Take ``action`` on ``ticket`` as ``user`` (None = the system) with the action's inputs in ``data``.

    One transaction: lock the row (SELECT … FOR UPDATE), check that the action exists for the service, that
    the current status allows it and that ``user`` holds one of its permissions AND may see the ticket
    (``tickets_visible_to``); validate the inputs; run the effect; set the target status; re-derive the due
    date; write the timeline entry (applicant-visible or internal); store ``files`` (already validated
    uploads, see ``layanan.core.intake.validate_upload``) as attachments; queue the notification on commit
    (django-q2 ``layanan.tasks.notify_step``).

    Returns the updated ticket (a fresh instance) with ``transition_result``: the values the effect put in
    ``data`` under keys starting with ``_`` (never stored; e.g. ``_submission`` of a ticket created by a
    triage, whose access secret is shown once). Raises :class:`TransitionError` (Indonesian message,
    per-input ``errors``) and changes nothing when refused; :class:`TransitionConflict` (a subclass) when the
    ticket's status no longer allows the action — the status is checked AFTER the row lock, so of two officers
    acting at once exactly one wins and the other gets this error naming the status the winner left.
    """
    machine = machine_for(ticket.service)
    transition = machine.transition(action)
    if transition is None:
        raise TransitionError(gettext("Unknown action “%(action)s”.") % {"action": action})
    if files and not transition.allows_files:
        raise TransitionError(gettext("This action does not take files."))
    if files:
        files = _checked_files(files)
    with delete_files_on_error(), transaction.atomic():
        queryset = Ticket.objects.all() if user is None else tickets_visible_to(user)
        locked = queryset.select_for_update().filter(pk=ticket.pk).first()
        if locked is None:
            raise TransitionError(gettext("Ticket not found."))
        if not _user_may(user, transition):
            raise TransitionError(
                gettext("You are not allowed to take the action “%(action)s”.") % {"action": transition.label}
            )
        if locked.status not in transition.sources:
            raise TransitionConflict(
                gettext("The action “%(action)s” is not possible while the ticket is “%(status)s”.")
                % {"action": transition.label, "status": locked.status_label}
            )
        cleaned = _clean_inputs(transition, transition.normalise(data))
        for check in _reply_checks:
            check(locked, transition, cleaned)
        now = timezone.now()
        from_status = locked.status
        if transition.effect is not None:
            transition.effect(locked, cleaned, user, now)
        if transition.target:
            locked.status = transition.target
        refresh_due_date(locked)
        locked.save()
        note = cleaned.get("note") or cleaned.get("note_default") or ""
        entry = record_event(
            locked,
            action,
            note=note,
            actor=user,
            actor_kind=actor_kind,
            visible_to_applicant=transition.visible_to_applicant,
            from_status=from_status,
            data={
                k: _json_safe(v)
                for k, v in cleaned.items()
                if k not in ("note", "note_default") and not k.startswith("_") and v not in (None, "")
            }
            | {"due_date": str(locked.due_date) if locked.due_date else None},
        )
        if files:
            store_attachments(
                locked, files, uploaded_by=user, visible_to_applicant=transition.visible_to_applicant, entry=entry
            )
        if transition.documents is not None:
            transition.documents(locked, entry, user, now)
        # Its notices leave after the commit, through the outbox: a broker that cannot take them (Redis down)
        # delays them and never turns a committed step into an error.
        enqueue("layanan.tasks.notify_step", entry.pk)
    fresh = Ticket.objects.get(pk=locked.pk)
    fresh.transition_result = {k: v for k, v in cleaned.items() if k.startswith("_")}
    return fresh


def recompute_open_tickets(years=None) -> int:
    """Re-derive the due date of every ticket whose clock runs, then each service's own stored dates
    (``ServiceDefinition.recompute_dates``: an objection's filing window and Komisi Informasi date); returns how
    many due dates moved (the services' own dates are logged).

    Called on the ``holidays_changed`` signal (``years``: the years touched, or None for all). Each moved
    ticket gets an applicant-visible system timeline entry naming the old and new due date. One transaction
    per ticket, the row locked while it is rewritten.
    """
    queryset = Ticket.objects.filter(open_statuses_q()).exclude(deadline_rule="")
    if years:
        years = sorted(int(y) for y in years)
        # A holiday in year Y can move deadlines counted from the year before Y too (they run into Y).
        queryset = queryset.filter(deadline_start__year__gte=years[0] - 1, deadline_start__year__lte=years[-1])

    calendar = WorkCalendar.load()
    moved = 0
    for pk in queryset.values_list("pk", flat=True):
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().get(pk=pk)
            old_due = ticket.due_date
            if not refresh_due_date(ticket, calendar):
                # The explanation may still change (a holiday renamed): keep it current.
                Ticket.objects.filter(pk=pk).update(deadline_explanation=ticket.deadline_explanation)
                continue
            ticket.save(update_fields=["counting_from", "due_date", "deadline_explanation", "updated_at"])
            TimelineEntry.objects.create(
                ticket=ticket,
                actor_kind=TimelineEntry.ActorKind.SYSTEM,
                action="deadline_recomputed",
                from_status=ticket.status,
                to_status=ticket.status,
                note=_("The due date changed from %(old)s to %(new)s because the holiday calendar changed.")
                % {"old": old_due.isoformat() if old_due else "-", "new": ticket.due_date.isoformat()},
                visible_to_applicant=True,
                data={"old_due_date": old_due.isoformat() if old_due else None, "due_date": str(ticket.due_date)},
            )
            moved += 1
    own = 0
    for service in registry.all_services():  # after the due dates: a service's dates may count from them
        if service.recompute_dates is not None:
            own += service.recompute_dates(years, calendar)
    if moved or own:
        logger.info("holidays changed: %s open ticket due dates and %s other dates recomputed", moved, own)
    return moved


#: Checks run by :func:`apply_transition` before a step is taken (see :func:`register_reply_check`).
_reply_checks: list[Callable] = []


def register_reply_check(check: Callable) -> None:
    """Add ``check(ticket, transition, cleaned_inputs)``, run by :func:`apply_transition` on the locked ticket
    before every step; it raises :class:`TransitionError` to refuse the step (nothing is stored then). How a layer
    above core refuses what it cannot deliver — e.g. ``layanan.channels`` refuses an answer to a WhatsApp citizen
    outside the 24-hour customer-service window when no approved template is configured (issue 18). Registering
    the same function twice adds it once."""
    if check not in _reply_checks:
        _reply_checks.append(check)


class ReplyNotAwaited(TransitionError):
    """The ticket is not waiting for the applicant's reply (answered 409 by the API and the site)."""


def applicant_reply(ticket, text: str, files=()):
    """The applicant's (or reporter's) reply or completion on ``ticket``: the machine's ``by_applicant``
    transition from the ticket's current state, taken through :func:`apply_transition` (one transaction, the
    files checked as for a submission, the handling officers told through the outbox), recorded as the
    applicant's message. Returns the updated ticket.

    Raises :class:`ReplyNotAwaited` when the ticket is not waiting for them (no such transition from its
    state), :class:`TransitionError` for empty text or refused files; nothing is stored then.

    Clock (UU 14/2008 Pasal 22; PermenPANRB 62/2018): a reply does not move the due date by itself — while a PPID
    request waits for completion its clock runs on (the conservative reading), unless the setting
    ``PESAN_PPID_CLOCK_WHILE_INCOMPLETE`` says the request counts as received when complete (``layanan.ppid.conf``:
    the completion's effect then counts the due date afresh); a LAPOR report's follow-up deadline keeps running."""
    machine = machine_for(ticket.service)
    transition = machine.applicant_transition(ticket.status)
    if transition is None:
        raise ReplyNotAwaited(
            gettext("This ticket is not waiting for your reply (status: %(status)s).")
            % {"status": machine.state(ticket.status).citizen_label}
        )
    if not (text or "").strip():
        message = gettext("Write your reply.")
        raise TransitionError(message, {"text": message})
    return apply_transition(ticket, transition.action, None, files=files, actor_kind="applicant", note=text.strip())


def applicant_message(ticket, text: str, files=(), *, at=None):
    """A message the applicant (or reporter) sent without being asked — an e-mail or WhatsApp message on a
    ticket that is not waiting for them — recorded as their message on ``ticket`` without a state change (event
    ``applicant_message``), its files checked as for a submission; the handling officers are told through the
    outbox as for a reply. ``at``: when it reached the body (aware datetime, UTC stored; default now). Returns
    the timeline entry. Raises :class:`TransitionError` for an empty message or refused files; nothing is stored
    then. Not for a confidential service (WBS keeps its own thread)."""
    if registry.get(ticket.service).machine.confidential:
        raise TransitionError(gettext("Confidential reports take messages only through their own page."))
    text = (text or "").strip()
    if not text and not files:
        message = gettext("Write your reply.")
        raise TransitionError(message, {"text": message})
    if files:
        files = _checked_files(files)
    with delete_files_on_error(), transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        entry = record_event(
            locked,
            "applicant_message",
            note=text or gettext("(files only)"),
            actor_kind=TimelineEntry.ActorKind.APPLICANT,
            visible_to_applicant=True,
            from_status=locked.status,
            at=at,
        )
        if files:
            store_attachments(locked, files, visible_to_applicant=True, entry=entry)
        enqueue("layanan.tasks.notify_step", entry.pk)
    return entry
