"""State machines of the desk, as data, and THE function that moves a ticket: :func:`apply_transition`.

Each service has a :class:`Machine`: its states (with whether the deadline clock runs in them), and its
transitions (action code, source states, target state, the permissions allowed to take it, the inputs it
needs as :class:`Input` specs, whether the applicant sees it, and an optional effect). The admin builds its
action forms from the same specs; the API, the admin and tasks all call :func:`apply_transition`.

States (domain reference §1–2):

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

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .access import tickets_visible_to
from .deadlines import refresh_due_date, set_deadline

__all__ = [
    "MACHINES",
    "Input",
    "Machine",
    "State",
    "Transition",
    "TransitionConflict",
    "TransitionError",
    "action_label",
    "apply_transition",
    "available_transitions",
    "machine_for",
    "open_statuses_q",
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
    """A status. ``clock``: the body owes a step on the deadline (can be overdue); ``final``: no way out."""

    code: str
    label: str | Promise
    clock: bool = True
    final: bool = False


@dataclass(frozen=True)
class Input:
    """An input a transition takes. ``kind``: text, choice, unit, user, date, decimal, bool.

    ``choices``: ``((value, label), ...)`` or a zero-argument callable returning them (for DB-backed lists).
    """

    name: str
    label: str | Promise
    kind: str = "text"
    required: bool = True
    choices: tuple | Callable = ()
    help_text: str | Promise = ""

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

    def open_states(self) -> list[str]:
        """Codes of the states in which the deadline clock runs."""
        return [s.code for s in self.states if s.clock]


# --- inputs shared by several transitions -----------------------------------------------------------------
def _unit_choices():
    from home.models import Unit

    return [(str(u.pk), str(u)) for u in Unit.objects.filter(active=True)]


def _category_choices():
    from .models import LaporCategory

    return [(str(c.pk), c.full_name) for c in LaporCategory.objects.filter(active=True).select_related("parent")]


NOTE = Input("note", _("Message"), required=False)
NOTE_REQUIRED = Input("note", _("Message"))
INTERNAL_NOTE = Input("note", _("Internal note"))
UNIT = Input("unit", _("Unit"), kind="unit", choices=_unit_choices)
ASSIGNEE = Input("assignee", _("Officer"), kind="user", required=False)


# --- effects ------------------------------------------------------------------------------------------------
def _assign(ticket, data, user, now):
    ticket.unit = data["unit"]
    if data.get("assignee") is not None:
        ticket.assignee = data["assignee"]
    data.setdefault("note_default", gettext("Disposed to unit %(unit)s.") % {"unit": ticket.unit.name})


def _extend(ticket, data, user, now):
    from .conf import get_deadline_rule

    rule = get_deadline_rule("ppid", "extension")
    if ticket.extended:
        raise TransitionConflict(gettext("This request has already been extended once; it cannot be extended again."))
    if ticket.due_date is None:
        raise TransitionError(gettext("This ticket has no due date to extend."))
    ticket.extended = True
    ticket.extension_days = rule.days
    ticket.extension_legal_source = rule.legal_source
    ticket.extension_reason = data["reason"]
    ticket.extended_by = user
    ticket.extended_at = now
    data["note_default"] = data["reason"]


def _decide(ticket, data, user, now):
    from .models import PPIDRequestDetails

    outcome = data["outcome"]
    Outcome = PPIDRequestDetails.Outcome
    errors = {}
    if outcome == Outcome.REJECTED_EXEMPT:
        if not data.get("exemption_ground"):
            errors["exemption_ground"] = gettext("A rejection must cite a Pasal 17 ground (a–j).")
        if not data.get("outcome_reason"):
            errors["outcome_reason"] = gettext("A rejection must give its reason (consequence test).")
    if outcome == Outcome.GRANTED_PART and not data.get("outcome_reason"):
        errors["outcome_reason"] = gettext("Say which parts are withheld and why.")
    if outcome == Outcome.NOT_HELD and not data.get("holding_body"):
        errors["holding_body"] = gettext("Name the public body that holds this information.")
    if errors:
        raise TransitionError(gettext("The decision is incomplete."), errors)
    details = ticket.ppid
    details.outcome = outcome
    details.exemption_ground = (data.get("exemption_ground") or "") if outcome == Outcome.REJECTED_EXEMPT else ""
    details.outcome_reason = data.get("outcome_reason") or ""
    details.holding_body = (data.get("holding_body") or "") if outcome == Outcome.NOT_HELD else ""
    details.cost = data.get("cost")
    details.decided_at = now
    details.save()
    ticket.responded_at = ticket.responded_at or now


def _answer_objection(ticket, data, user, now):
    from .calendar import compute_deadline
    from .conf import get_deadline_rule

    details = ticket.objection
    rule = get_deadline_rule("objection", "komisi_informasi")
    details.decision = data["decision"]
    details.answered_at = now
    details.komisi_informasi_deadline = compute_deadline(now, rule.days, unit=rule.unit).due_date
    details.save()
    ticket.responded_at = ticket.responded_at or now


def _settle_objection(ticket, data, user, now):
    if ticket.objection.reason == "a":
        raise TransitionError(
            gettext("An objection against a refusal under Pasal 17 (reason a) cannot be settled by agreement.")
        )
    ticket.responded_at = ticket.responded_at or now


def _record_dispute(ticket, data, user, now):
    details = ticket.objection
    details.dispute_filed_on = data["filed_on"]
    details.dispute_note = data.get("note") or ""
    details.save()


def _lapor_verify(ticket, data, user, now):
    details = ticket.lapor
    if data.get("classification"):
        details.classification = data["classification"]
    if data.get("category") is not None:
        details.category = data["category"]
    details.verified_at = now
    details.save()
    set_deadline(ticket, "lapor", "first_response", now)


def _lapor_forward(ticket, data, user, now):
    details = ticket.lapor
    details.forwarded_to = data["forwarded_to"]
    details.save()
    data.setdefault("note_default", gettext("Forwarded to %(body)s.") % {"body": details.forwarded_to})


def _lapor_assign(ticket, data, user, now):
    _assign(ticket, data, user, now)
    details = ticket.lapor
    if data.get("field_examination") is not None:
        details.field_examination = bool(data["field_examination"])
        details.save()
    if details.first_response_at:
        _lapor_completion_deadline(ticket)


def _lapor_completion_deadline(ticket):
    details = ticket.lapor
    milestone = "completion_field_examination" if details.field_examination else "completion"
    set_deadline(ticket, "lapor", milestone, details.verified_at or ticket.received_at)


def _lapor_follow_up(ticket, data, user, now):
    details = ticket.lapor
    if not details.first_response_at:
        details.first_response_at = now
        details.save()
        ticket.responded_at = ticket.responded_at or now
    _lapor_completion_deadline(ticket)


def _close(ticket, data, user, now):
    ticket.closed_at = now


def _lapor_transfer_to_wbs(ticket, data, user, now):
    from .wbs import transfer_lapor_to_wbs

    transfer_lapor_to_wbs(ticket, data, user, now)


def _violation_choices():
    from .models import ViolationType

    return ViolationType.choices


# --- the machines -------------------------------------------------------------------------------------------
PPID_OPEN = ("received", "verification", "needs_completion", "assigned", "in_process")
PPID_ALL_NOT_FINAL = (*PPID_OPEN, "decided", "delivered")
HANDLE = ("handle_ppid",)
HANDLE_OR_UNIT = ("handle_ppid", "handle_unit_tickets")


def _outcome_choices():
    from .models import PPIDRequestDetails

    return PPIDRequestDetails.Outcome.choices


def _ground_choices():
    from .models import EXEMPTION_GROUNDS

    return EXEMPTION_GROUNDS.choices


PPID_MACHINE = Machine(
    service="ppid_request",
    initial="received",
    states=(
        State("received", _("Received")),
        State("verification", _("Being verified")),
        State("needs_completion", _("Needs completion by the applicant")),
        State("assigned", _("Disposed to unit")),
        State("in_process", _("In process")),
        State("decided", _("Decided"), clock=False),
        State("delivered", _("Information delivered"), clock=False),
        State("closed", _("Closed"), clock=False, final=True),
    ),
    transitions=(
        Transition("verify", _("Verify"), ("received",), "verification", HANDLE, (NOTE,)),
        Transition(
            "request_completion",
            _("Request completion"),
            ("received", "verification"),
            "needs_completion",
            HANDLE,
            (NOTE_REQUIRED,),
        ),
        Transition("complete", _("Completion received"), ("needs_completion",), "verification", HANDLE, (NOTE,)),
        Transition(
            "assign",
            _("Assign to unit"),
            ("received", "verification", "assigned", "in_process"),
            "assigned",
            HANDLE,
            (UNIT, ASSIGNEE, NOTE),
            effect=_assign,
            notify_unit=True,
        ),
        Transition("start_processing", _("Start processing"), ("assigned",), "in_process", HANDLE_OR_UNIT, (NOTE,)),
        Transition(
            "extend",
            _("Extend (once, +7 WD)"),
            PPID_OPEN,
            None,
            HANDLE,
            (Input("reason", _("Written reason for the extension")),),
            effect=_extend,
            style="button-secondary warning",
        ),
        Transition(
            "decide",
            _("Decide"),
            ("received", "verification", "assigned", "in_process"),
            "decided",
            HANDLE_OR_UNIT,
            (
                Input("outcome", _("Outcome"), kind="choice", choices=_outcome_choices),
                Input("exemption_ground", _("Pasal 17 ground"), kind="choice", choices=_ground_choices, required=False),
                Input("outcome_reason", _("Reason"), required=False),
                Input("holding_body", _("Body holding the information"), required=False),
                Input("cost", _("Cost (Rp)"), kind="decimal", required=False),
                Input("note", _("Written notice to the applicant")),
            ),
            effect=_decide,
            style="button",
            allows_files=True,
            aliases=(("ground", "exemption_ground"), ("reason", "outcome_reason"), ("answer", "note")),
        ),
        Transition(
            "deliver", _("Information delivered"), ("decided",), "delivered", HANDLE_OR_UNIT, (NOTE,), allows_files=True
        ),
        Transition(
            "close", _("Close"), ("decided", "delivered", "needs_completion"), "closed", HANDLE, (NOTE,), effect=_close
        ),
        Transition(
            "reply",
            _("Message to applicant"),
            PPID_ALL_NOT_FINAL,
            None,
            HANDLE_OR_UNIT,
            (NOTE_REQUIRED,),
            allows_files=True,
        ),
        Transition(
            "note",
            _("Internal note"),
            (*PPID_ALL_NOT_FINAL, "closed"),
            None,
            HANDLE_OR_UNIT,
            (INTERNAL_NOTE,),
            visible_to_applicant=False,
        ),
    ),
)

OBJ = ("decide_objection",)
OBJ_OR_PPID = ("decide_objection", "handle_ppid")


def _objection_decision_choices():
    from .models import ObjectionDetails

    return ObjectionDetails.Decision.choices


OBJECTION_MACHINE = Machine(
    service="objection",
    initial="received",
    states=(
        State("received", _("Received")),
        State("in_review", _("Under review by the Atasan PPID")),
        State("answered", _("Answered"), clock=False),
        State("settled", _("Settled by agreement"), clock=False),
        State("closed", _("Closed"), clock=False, final=True),
    ),
    transitions=(
        Transition("start_review", _("Start review"), ("received",), "in_review", OBJ_OR_PPID, (NOTE,)),
        Transition(
            "answer",
            _("Answer the objection"),
            ("received", "in_review"),
            "answered",
            OBJ,
            (
                Input("decision", _("Decision"), kind="choice", choices=_objection_decision_choices),
                Input("note", _("Written answer to the applicant")),
            ),
            effect=_answer_objection,
            style="button",
            allows_files=True,
        ),
        Transition(
            "settle",
            _("Settled by agreement"),
            ("received", "in_review"),
            "settled",
            OBJ,
            (NOTE_REQUIRED,),
            effect=_settle_objection,
        ),
        Transition(
            "record_dispute",
            _("Record Komisi Informasi dispute"),
            ("answered", "settled", "closed"),
            None,
            OBJ_OR_PPID,
            (Input("filed_on", _("Filed on"), kind="date"), NOTE),
            visible_to_applicant=False,
            effect=_record_dispute,
        ),
        Transition("close", _("Close"), ("answered", "settled"), "closed", OBJ_OR_PPID, (NOTE,), effect=_close),
        Transition(
            "reply",
            _("Message to applicant"),
            ("received", "in_review", "answered", "settled"),
            None,
            OBJ_OR_PPID,
            (NOTE_REQUIRED,),
            allows_files=True,
        ),
        Transition(
            "note",
            _("Internal note"),
            ("received", "in_review", "answered", "settled", "closed"),
            None,
            OBJ_OR_PPID,
            (INTERNAL_NOTE,),
            visible_to_applicant=False,
        ),
    ),
)

LAPOR = ("handle_lapor",)
LAPOR_OR_UNIT = ("handle_lapor", "handle_unit_tickets")
LAPOR_NOT_FINAL = ("received", "verified", "on_hold", "assigned", "followed_up", "awaiting_reply")


def _classification_choices():
    from .models import LaporDetails

    return LaporDetails.Classification.choices


LAPOR_MACHINE = Machine(
    service="lapor",
    initial="received",
    states=(
        State("received", _("Received")),
        State("verified", _("Verified")),
        State("on_hold", _("On hold")),
        State("not_our_authority", _("Not our authority (forwarded)"), clock=False, final=True),
        State("archived", _("Archived"), clock=False, final=True),
        State("assigned", _("Disposed to unit")),
        State("followed_up", _("Followed up")),
        State("awaiting_reply", _("Awaiting the reporter's reply")),
        State("closed", _("Closed"), clock=False, final=True),
        State("transferred", _("Transferred to the whistleblowing system (WBS)"), clock=False, final=True),
    ),
    transitions=(
        Transition(
            "verify",
            _("Verify"),
            ("received", "on_hold"),
            "verified",
            LAPOR,
            (
                Input(
                    "classification",
                    _("Classification"),
                    kind="choice",
                    choices=_classification_choices,
                    required=False,
                ),
                Input("category", _("Category"), kind="category", choices=_category_choices, required=False),
                NOTE,
            ),
            effect=_lapor_verify,
            style="button",
        ),
        Transition("hold", _("Put on hold"), ("received",), "on_hold", LAPOR, (NOTE_REQUIRED,)),
        Transition(
            "forward",
            _("Not our authority (forward)"),
            ("received", "on_hold", "verified"),
            "not_our_authority",
            LAPOR,
            (Input("forwarded_to", _("Forwarded to (body)")), NOTE),
            effect=_lapor_forward,
        ),
        Transition(
            "archive", _("Archive"), ("received", "on_hold"), "archived", LAPOR, (NOTE_REQUIRED,), effect=_close
        ),
        Transition(
            "assign",
            _("Assign to unit"),
            ("verified", "assigned", "followed_up"),
            "assigned",
            LAPOR,
            (
                UNIT,
                ASSIGNEE,
                Input("field_examination", _("Needs field examination"), kind="bool", required=False),
                NOTE,
            ),
            effect=_lapor_assign,
            notify_unit=True,
        ),
        Transition(
            "follow_up",
            _("Record follow-up"),
            ("assigned", "followed_up", "awaiting_reply"),
            "followed_up",
            LAPOR_OR_UNIT,
            (NOTE_REQUIRED,),
            effect=_lapor_follow_up,
            style="button",
            allows_files=True,
        ),
        Transition(
            "request_reply", _("Ask the reporter"), ("followed_up",), "awaiting_reply", LAPOR_OR_UNIT, (NOTE_REQUIRED,)
        ),
        Transition("close", _("Close"), ("followed_up", "awaiting_reply"), "closed", LAPOR, (NOTE,), effect=_close),
        Transition(
            "reply", _("Message to reporter"), LAPOR_NOT_FINAL, None, LAPOR_OR_UNIT, (NOTE_REQUIRED,), allows_files=True
        ),
        Transition(
            "transfer_to_wbs",
            _("Transfer to WBS (corruption / staff misconduct)"),
            LAPOR_NOT_FINAL,
            "transferred",
            LAPOR,
            (
                Input("violation_type", _("Violation type"), kind="choice", choices=_violation_choices),
                Input(
                    "note",
                    _("Reason (internal)"),
                    help_text=_(
                        "The report, its files and the reporter's identity move to the Inspektorat and leave this "
                        "desk; the reporter keeps following it with the same tracking number and token."
                    ),
                ),
            ),
            visible_to_applicant=False,
            effect=_lapor_transfer_to_wbs,
            style="button-secondary warning",
        ),
        Transition(
            "note",
            _("Internal note"),
            (*LAPOR_NOT_FINAL, "not_our_authority", "archived", "closed", "transferred"),
            None,
            LAPOR_OR_UNIT,
            (INTERNAL_NOTE,),
            visible_to_applicant=False,
        ),
    ),
)

MACHINES: dict[str, Machine] = {m.service: m for m in (PPID_MACHINE, OBJECTION_MACHINE, LAPOR_MACHINE)}

#: Labels of steps that are not transitions (recorded by intake and system tasks).
EVENT_LABELS = {
    "received": _("Received"),
    "deadline_recomputed": _("Due date recomputed"),
    "registered": _("Registered by an officer"),
    "reporter_message": _("Message from the reporter"),
    "transferred_in": _("Transferred in"),
    "triaged_in": _("Created from a social-media message"),
    "viewed": _("Opened in the admin"),
    "file_downloaded": _("File downloaded in the admin"),
}


def register_machine(machine: Machine) -> Machine:
    """Add (or replace) the machine of ``machine.service`` (used by ``workflow_wbs``/``workflow_social``)."""
    MACHINES[machine.service] = machine
    return machine


def machine_for(service: str) -> Machine:
    """The :class:`Machine` of ``service``; ``KeyError`` for a service without one."""
    return MACHINES[service]


def action_label(service: str, action: str) -> str | Promise:
    """Label of an action or event code of ``service`` (falls back to the code)."""
    if action in EVENT_LABELS:
        return EVENT_LABELS[action]
    machine = MACHINES.get(service)
    transition = machine.transition(action) if machine else None
    return transition.label if transition else action


def open_statuses_q() -> Q:
    """``Q`` matching tickets whose deadline clock runs (any service)."""
    condition = Q(pk__in=[])
    for machine in MACHINES.values():
        condition |= Q(service=machine.service, status__in=machine.open_states())
    return condition


def _user_may(user, transition: Transition) -> bool:
    """``user`` holds one of the transition's permissions (restricted ones explicitly: ``has_desk_perm``)."""
    from .access import has_desk_perm

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

    from home.models import Unit

    from .models import LaporCategory

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
            elif spec.kind == "unit":
                cleaned[spec.name] = raw if isinstance(raw, Unit) else Unit.objects.get(pk=int(raw), active=True)
            elif spec.kind == "category":
                cleaned[spec.name] = (
                    raw if isinstance(raw, LaporCategory) else LaporCategory.objects.get(pk=int(raw), active=True)
                )
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
            elif spec.kind == "bool":
                cleaned[spec.name] = raw if isinstance(raw, bool) else str(raw).lower() in ("1", "true", "on", "yes")
            else:
                cleaned[spec.name] = str(raw)
        except (ValueError, TypeError, InvalidOperation, Unit.DoesNotExist, LaporCategory.DoesNotExist) as exc:
            if exc.__class__.__name__ == "DoesNotExist":
                errors[spec.name] = gettext("Select a valid choice.")
            else:
                errors[spec.name] = gettext("Enter a valid value.")
        except get_user_model().DoesNotExist:
            errors[spec.name] = gettext("Select a valid choice.")
    if errors:
        raise TransitionError(gettext("Please correct the errors below."), errors)
    return cleaned


def record_event(
    ticket,
    action: str,
    *,
    note: str = "",
    actor=None,
    actor_kind: str | None = None,
    visible_to_applicant: bool = True,
    data: dict | None = None,
    from_status: str = "",
    at=None,
):
    """Write one ``TimelineEntry`` for ``ticket`` (caller holds the transaction). Returns the entry.

    For a ``confidential`` machine (WBS) the note is stored encrypted in ``note_sealed`` and ``note`` stays empty.
    """
    from .models import TimelineEntry

    if actor_kind is None:
        actor_kind = TimelineEntry.ActorKind.USER if actor is not None else TimelineEntry.ActorKind.SYSTEM
    machine = MACHINES.get(ticket.service)
    sealed = ""
    if machine is not None and machine.confidential and note:
        note, sealed = "", note
    return TimelineEntry.objects.create(
        ticket=ticket,
        at=at or timezone.now(),
        actor=actor,
        actor_kind=actor_kind,
        action=action,
        from_status=from_status,
        to_status=ticket.status,
        note=note,
        note_sealed=sealed,
        visible_to_applicant=visible_to_applicant,
        data=data or {},
    )


def _json_safe(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, Decimal | date):
        return str(value)
    return value


def apply_transition(ticket, action: str, user=None, *, files=(), **data):
    """Take ``action`` on ``ticket`` as ``user`` (None = the system) with the action's inputs in ``data``.

    One transaction: lock the row (SELECT … FOR UPDATE), check that the action exists for the service, that
    the current status allows it and that ``user`` holds one of its permissions AND may see the ticket
    (``tickets_visible_to``); validate the inputs; run the effect; set the target status; re-derive the due
    date; write the timeline entry (applicant-visible or internal); store ``files`` (already validated
    uploads, see ``layanan.intake.validate_upload``) as attachments; queue the notification on commit
    (django-q2 ``layanan.tasks.notify_step``).

    Returns the updated ticket (a fresh instance) with ``transition_result``: the values the effect put in
    ``data`` under keys starting with ``_`` (never stored; e.g. ``_submission`` of a ticket created by a
    triage, whose access secret is shown once). Raises :class:`TransitionError` (Indonesian message,
    per-input ``errors``) and changes nothing when refused; :class:`TransitionConflict` (a subclass) when the
    ticket's status no longer allows the action — the status is checked AFTER the row lock, so of two officers
    acting at once exactly one wins and the other gets this error naming the status the winner left.
    """
    from django_q.tasks import async_task

    from .intake import delete_files_on_error, store_attachments, validate_uploads
    from .models import Ticket

    machine = machine_for(ticket.service)
    transition = machine.transition(action)
    if transition is None:
        raise TransitionError(gettext("Unknown action “%(action)s”.") % {"action": action})
    if files and not transition.allows_files:
        raise TransitionError(gettext("This action does not take files."))
    if files:
        from django.core.exceptions import ValidationError

        try:
            files = validate_uploads(files)
        except ValidationError as exc:
            raise TransitionError(" ".join(exc.messages), {"files": " ".join(exc.messages)})
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
        entry_id = entry.pk
        # robust: a broker that cannot take the task (Redis down) must not turn a committed step into an error.
        transaction.on_commit(lambda: async_task("layanan.tasks.notify_step", entry_id), robust=True)
    fresh = Ticket.objects.get(pk=locked.pk)
    fresh.transition_result = {k: v for k, v in cleaned.items() if k.startswith("_")}
    return fresh


# Further services register their machines when this module is imported (WBS, social-media intake).
from . import workflow_social, workflow_wbs  # noqa: E402, F401
