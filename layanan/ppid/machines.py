from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from layanan.calendar.conf import get_deadline_rule
from layanan.calendar.workdays import to_local
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
from layanan.ppid import conf as ppid_conf
from layanan.ppid.dik import dik_entry_choices, fill_from_dik_entry
from layanan.ppid.documents import issue_decision_documents, issue_objection_answer
from layanan.ppid.models import EXEMPTION_GROUNDS, ObjectionDetails, PPIDRequestDetails
from layanan.ppid.windows import delivered_late, delivery_deadline, refresh_objection_dates

__all__ = []


def _extend(ticket, data, user, now):
    """The one extension of +7 WD (UU 14/2008 Pasal 22(8)), taken within the first 10 WD: refused once the
    request's due date (WIB date) has passed — an extension after the due date is none."""
    rule = get_deadline_rule("ppid", "extension")
    if ticket.extended:
        raise TransitionConflict(gettext("This request has already been extended once; it cannot be extended again."))
    if ticket.due_date is None:
        raise TransitionError(gettext("This ticket has no due date to extend."))
    if to_local(now).date() > ticket.due_date:
        raise TransitionError(
            gettext(
                "The due date of this request (%(date)s) has passed: an extension must be decided within the "
                "first 10 working days (UU 14/2008 Pasal 22(8)) and can no longer be given."
            )
            % {"date": formats.date_format(ticket.due_date, "j F Y")}
        )
    ticket.extended = True
    ticket.extension_days = rule.days
    ticket.extension_legal_source = rule.legal_source
    ticket.extension_reason = data["reason"]
    ticket.extended_by = user
    ticket.extended_at = now
    ticket.extension_in_time = True  # checked just above against the due date as the calendar stands now
    data["note_default"] = data["reason"]


def _decide(ticket, data, user, now):
    """The decision and the written notice's content (UU 14/2008 Pasal 22(7) a–g; the notice itself, and the
    refusal decision of a refusal, are issued by :func:`layanan.ppid.documents.issue_decision_documents`).

    A refusal (exempt) needs its Pasal 17 ground (ground j also the statute) and its consequence test
    (``outcome_reason``: the harm of disclosure; ``public_interest``: the weighing); a partial grant the parts
    blacked out and why (``outcome_reason``; a Pasal 17 ground may be given for them); "not held" the body that
    holds it (``forwarded_to_holder``: the request was forwarded there at the applicant's request). Format and
    means of delivery default to what the applicant asked for; ``time_needed_days`` in working days."""
    fill_from_dik_entry(data)  # a cited DIK entry gives the ground, the statute and the consequence test
    outcome = data["outcome"]
    Outcome = PPIDRequestDetails.Outcome
    errors = {}
    if outcome == Outcome.REJECTED_EXEMPT:
        if not data.get("exemption_ground"):
            errors["exemption_ground"] = gettext("A rejection must cite a Pasal 17 ground (a–j).")
        if not data.get("outcome_reason"):
            errors["outcome_reason"] = gettext("A rejection must give its reason (consequence test).")
        if data.get("exemption_ground") == EXEMPTION_GROUNDS.J and not data.get("exemption_statute"):
            errors["exemption_statute"] = gettext("Ground j: name the statute (and its article) that bars disclosure.")
    if outcome == Outcome.GRANTED_PART and not data.get("outcome_reason"):
        errors["outcome_reason"] = gettext("Say which parts are withheld and why.")
    if outcome == Outcome.NOT_HELD and not data.get("holding_body"):
        errors["holding_body"] = gettext("Name the public body that holds this information.")
    if errors:
        raise TransitionError(gettext("The decision is incomplete."), errors)
    details = ticket.ppid
    details.outcome = outcome
    withheld = outcome in (Outcome.REJECTED_EXEMPT, Outcome.GRANTED_PART)
    details.exemption_ground = (data.get("exemption_ground") or "") if withheld else ""
    details.exemption_statute = (data.get("exemption_statute") or "") if details.exemption_ground == "j" else ""
    details.outcome_reason = data.get("outcome_reason") or ""
    details.public_interest = (data.get("public_interest") or "") if withheld else ""
    details.holding_body = (data.get("holding_body") or "") if outcome == Outcome.NOT_HELD else ""
    details.forwarded_to_holder = bool(data.get("forwarded_to_holder")) and outcome == Outcome.NOT_HELD
    granted = outcome in (Outcome.GRANTED_FULL, Outcome.GRANTED_PART)
    details.material_given = (data.get("material_given") or "") if granted else ""
    details.information_format = (data.get("information_format") or details.obtain_method) if granted else ""
    details.notice_delivery = (data.get("notice_delivery") or details.delivery_method) if granted else ""
    details.cost = data.get("cost")
    details.payment_method = data.get("payment_method") or ""
    details.time_needed_days = data.get("time_needed_days") if granted else None
    details.decided_at = now
    details.save()
    ticket.responded_at = ticket.responded_at or now


def _deliver(ticket, data, user, now):
    """The information is delivered (UU 14/2008 Pasal 22(7)): ``delivered_at``; its due date
    (:func:`layanan.ppid.windows.delivery_deadline`) and whether it was late go into the step's data (a late
    delivery is objection ground (g))."""
    details = ticket.ppid
    details.delivered_at = now
    details.save(update_fields=["delivered_at"])
    deadline = delivery_deadline(ticket)
    if deadline is not None:
        data["delivery_due_date"] = deadline.due_date
        data["delivered_late"] = delivered_late(ticket)  # the one rule of ground (g)


def _completed(ticket, data, user, now):
    """The request is complete again. Under the reading "the request counts as received when complete"
    (``PESAN_PPID_CLOCK_WHILE_INCOMPLETE = "from_completion"``, :mod:`layanan.ppid.conf`) the 10-WD answer
    period counts afresh from now; under the default reading (the clock runs) nothing changes."""
    if ppid_conf.clock_runs_while_incomplete():
        return
    ticket.deadline_start = now
    data["counted_from_completion"] = True


def _answer_objection(ticket, data, user, now):
    """The Atasan PPID's answer (Pasal 36(2)); the Komisi Informasi date becomes 14 WD after it (Pasal 37(2))."""
    details = ticket.objection
    details.decision = data["decision"]
    details.answer_ground = data.get("answer_ground") or ""
    details.answer_follow_up = data.get("follow_up") or ""
    details.answered_at = now
    ticket.responded_at = ticket.responded_at or now
    refresh_objection_dates(ticket, details)
    details.save()


def _settle_objection(ticket, data, user, now):
    if ticket.objection.reason == "a":
        raise TransitionError(
            gettext("An objection against a refusal under Pasal 17 (reason a) cannot be settled by agreement.")
        )
    ticket.responded_at = ticket.responded_at or now
    details = ticket.objection
    if refresh_objection_dates(ticket, details):  # 14 WD from the settlement instead of the lapse
        details.save()


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


def _format_choices():
    return PPIDRequestDetails.ObtainMethod.choices


def _delivery_choices():
    return PPIDRequestDetails.DeliveryMethod.choices


#: The structured written notice (UU 14/2008 Pasal 22(7) a–g; Perki 1/2021), in the order of the form.
DECISION_INPUTS = (
    Input("outcome", _("Outcome"), kind="choice", choices=_outcome_choices),
    Input(
        "exemption_ground",
        _("Pasal 17 ground"),
        kind="choice",
        choices=_ground_choices,
        required=False,
        help_text=_("Refused, or granted in part: the exemption of UU 14/2008 Pasal 17 (a–j)."),
    ),
    Input(
        "dik_entry",
        _("DIK entry"),
        kind="choice",
        choices=dik_entry_choices,
        required=False,
        help_text=_("Exempt information cited: fills the Pasal 17 ground and the consequence test from it."),
    ),
    Input("exemption_statute", _("Statute (ground j)"), required=False, help_text=_("E.g. UU 27/2022 Pasal 65.")),
    Input(
        "outcome_reason",
        _("Reason"),
        required=False,
        help_text=_("Refused: the harm of disclosure (consequence test). Granted in part: the parts blacked out, why."),
    ),
    Input("public_interest", _("Public-interest weighing"), required=False),
    Input("holding_body", _("Body holding the information"), required=False, help_text=_("Not held by this body.")),
    Input(
        "forwarded_to_holder",
        _("Request forwarded to that body (the applicant asked for it)"),
        kind="bool",
        required=False,
    ),
    Input("material_given", _("Information material given"), required=False, help_text=_("Default: as requested.")),
    Input(
        "information_format",
        _("Format"),
        kind="choice",
        choices=_format_choices,
        required=False,
        help_text=_("Default: as the applicant asked."),
    ),
    Input(
        "notice_delivery",
        _("Means of delivery"),
        kind="choice",
        choices=_delivery_choices,
        required=False,
        help_text=_("Default: as the applicant asked."),
    ),
    Input("cost", _("Cost (Rp)"), kind="decimal", required=False),
    Input("payment_method", _("How to pay"), required=False),
    Input("time_needed_days", _("Time needed to provide it (working days)"), kind="integer", required=False),
    Input(
        "note",
        _("Written notice to the applicant"),
        help_text=_("Your message; the numbered written notice (PDF) is issued with it."),
    ),
)


PPID_MACHINE = Machine(
    service="ppid_request",
    initial="received",
    states=(
        State("received", _("Received")),
        State("verification", _("Being verified")),
        # The clock while incomplete is a setting (``layanan.ppid.conf``: runs by default).
        State("needs_completion", _("Needs completion by the applicant"), clock=ppid_conf.clock_runs_while_incomplete),
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
        Transition(
            "complete",
            _("Completion received"),
            ("needs_completion",),
            "verification",
            HANDLE,
            (NOTE,),
            effect=_completed,
        ),
        Transition(
            "applicant_completes",
            _("Completion sent by the applicant"),
            ("needs_completion",),
            "verification",
            (),
            (NOTE_REQUIRED,),
            effect=_completed,
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
            DECISION_INPUTS,
            effect=_decide,
            documents=issue_decision_documents,
            style="button",
            allows_files=True,
            aliases=(("ground", "exemption_ground"), ("reason", "outcome_reason"), ("answer", "note")),
        ),
        Transition(
            "deliver",
            _("Information delivered"),
            ("decided",),
            "delivered",
            HANDLE_OR_UNIT,
            (NOTE,),
            effect=_deliver,
            allows_files=True,
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
                Input(
                    "answer_ground",
                    _("Ground of the answer"),
                    required=False,
                    help_text=_("The considerations of the decision (printed on the answer; else the message)."),
                ),
                Input(
                    "follow_up",
                    _("What follows"),
                    required=False,
                    help_text=_("What the PPID must now do, e.g. give the information within 5 working days."),
                ),
                Input("note", _("Written answer to the applicant")),
            ),
            effect=_answer_objection,
            documents=issue_objection_answer,
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
