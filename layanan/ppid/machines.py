from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from layanan.calendar.conf import get_deadline_rule
from layanan.calendar.workdays import compute_deadline
from layanan.core.workflow import (
    ASSIGNEE,
    INTERNAL_NOTE,
    NOTE,
    NOTE_REQUIRED,
    UNIT,
    Input,
    Machine,
    State,
    Transition,
    TransitionConflict,
    TransitionError,
    assign_unit,
    close_ticket,
)
from layanan.ppid.models import EXEMPTION_GROUNDS, ObjectionDetails, PPIDRequestDetails

__all__ = []


def _extend(ticket, data, user, now):
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


# --- the machines -------------------------------------------------------------------------------------------
PPID_OPEN = ("received", "verification", "needs_completion", "assigned", "in_process")
PPID_ALL_NOT_FINAL = (*PPID_OPEN, "decided", "delivered")
HANDLE = ("handle_ppid",)
HANDLE_OR_UNIT = ("handle_ppid", "handle_unit_tickets")


def _outcome_choices():
    return PPIDRequestDetails.Outcome.choices


def _ground_choices():
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
            "applicant_completes",
            _("Completion sent by the applicant"),
            ("needs_completion",),
            "verification",
            (),
            (NOTE_REQUIRED,),
            allows_files=True,
            public_label=_("Your completion"),
            by_applicant=True,
        ),
        Transition(
            "assign",
            _("Assign to unit"),
            ("received", "verification", "assigned", "in_process"),
            "assigned",
            HANDLE,
            (UNIT, ASSIGNEE, NOTE),
            effect=assign_unit,
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
            "close",
            _("Close"),
            ("decided", "delivered", "needs_completion"),
            "closed",
            HANDLE,
            (NOTE,),
            effect=close_ticket,
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
        Transition("close", _("Close"), ("answered", "settled"), "closed", OBJ_OR_PPID, (NOTE,), effect=close_ticket),
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
