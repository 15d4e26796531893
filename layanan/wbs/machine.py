"""State machine of whistleblowing (WBS) reports — registered by the package's ``service`` module.

Import ``layanan.core.workflow`` (it imports this module); the rules of transfers live in ``layanan.wbs.services``.

States (domain reference 3, Permenko Marves 3/2022): received → initial review (↔ more information needed)
→ Inspektorat review → not proven | special audit → recommendation → follow-up / referred to law enforcement
→ closed; a report that is a service complaint is transferred to SP4N-LAPOR (``transferred``).

Timers (calendar days, settings ``PESAN_DEADLINE_RULES["wbs/…"]``; the regulation names none): the
acknowledgement is due 7 days after receipt (``wbs/acknowledge``); acknowledging starts the feedback timer,
due 3 months (90 days) later (``wbs/feedback``). The clock stops once the reporter has been told an outcome
(not proven, recommendation, follow-up, referral). The machine is ``confidential``: notes are encrypted.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from layanan.core.deadlines import set_deadline
from layanan.core.workflow import INTERNAL_NOTE, Input, Machine, State, Transition
from layanan.lapor.models import LaporDetails
from layanan.wbs.models import LawEnforcementBody
from layanan.wbs.services import transfer_wbs_to_lapor

__all__ = ["WBS_MACHINE", "law_enforcement_choices"]

HANDLE_WBS = ("handle_wbs",)
WBS_REVIEW = ("received", "initial_review", "more_info_needed", "inspektorat_review", "special_audit")
WBS_NOT_FINAL = (*WBS_REVIEW, "not_proven", "recommendation", "follow_up", "referred")


def law_enforcement_choices():
    """Where a case can be referred (``refer``): ``LawEnforcementBody`` choices."""
    return LawEnforcementBody.choices


def _acknowledge(ticket, data, user, now):
    details = ticket.wbs
    details.acknowledged_at = now
    details.save(update_fields=["acknowledged_at"])
    set_deadline(ticket, "wbs", "feedback", now)


def _outcome_told(ticket, data, user, now):
    ticket.responded_at = ticket.responded_at or now


def _refer(ticket, data, user, now):
    details = ticket.wbs
    details.law_enforcement_body = data["law_enforcement_body"]
    details.save(update_fields=["law_enforcement_body"])
    _outcome_told(ticket, data, user, now)


def close_ticket(ticket, data, user, now):
    ticket.closed_at = now


def _transfer_to_lapor(ticket, data, user, now):
    transfer_wbs_to_lapor(ticket, data, user, now)


def _lapor_classification_choices():
    return [c for c in LaporDetails.Classification.choices if c[0] != "permintaan_informasi"]


MESSAGE_TO_REPORTER = Input(
    "note",
    _("Message to the reporter"),
    required=False,
    help_text=_("The reporter reads it with the receipt code. Never name the reporter or other witnesses."),
)
MESSAGE_TO_REPORTER_REQUIRED = Input(
    "note",
    _("Message to the reporter"),
    help_text=_("The reporter reads it with the receipt code. Never name the reporter or other witnesses."),
)

#: What the reporter reads while the Inspektorat works: its internal stages (audit, referral, outcome) are not
#: shown one by one — a small public set: received, under review, needs your answer, closed (issue 16 asks for
#: it; the mapping is here, in the machine).
UNDER_REVIEW = _("Under review")
UNDER_REVIEW_HELP = _("The Inspektorat is examining your report. You will be told here when it needs you or ends.")


WBS_MACHINE = Machine(
    service="wbs",
    initial="received",
    confidential=True,
    states=(
        State("received", _("Received"), public_help=_("The Inspektorat has your report and will acknowledge it.")),
        State("initial_review", _("Initial review"), public_label=UNDER_REVIEW, public_help=UNDER_REVIEW_HELP),
        State(
            "more_info_needed",
            _("More information needed from the reporter"),
            public_label=_("Needs your answer"),
            public_help=_(
                "The Inspektorat asked you something: answer in the thread below, with files if you have them."
            ),
        ),
        State(
            "inspektorat_review",
            _("Under review by the Inspektorat"),
            public_label=UNDER_REVIEW,
            public_help=UNDER_REVIEW_HELP,
        ),
        State(
            "special_audit",
            _("Special audit (investigation)"),
            public_label=UNDER_REVIEW,
            public_help=UNDER_REVIEW_HELP,
        ),
        State("not_proven", _("Not proven"), clock=False, public_label=UNDER_REVIEW, public_help=UNDER_REVIEW_HELP),
        State(
            "recommendation",
            _("Recommendation issued"),
            clock=False,
            public_label=UNDER_REVIEW,
            public_help=UNDER_REVIEW_HELP,
        ),
        State(
            "follow_up",
            _("Followed up by management"),
            clock=False,
            public_label=UNDER_REVIEW,
            public_help=UNDER_REVIEW_HELP,
        ),
        State(
            "referred",
            _("Referred to law enforcement"),
            clock=False,
            public_label=UNDER_REVIEW,
            public_help=UNDER_REVIEW_HELP,
        ),
        State(
            "closed",
            _("Closed"),
            clock=False,
            final=True,
            public_help=_("The Inspektorat has finished handling your report."),
        ),
        State("transferred", _("Transferred to SP4N-LAPOR"), clock=False, final=True),
    ),
    transitions=(
        Transition(
            "acknowledge",
            _("Acknowledge and start the initial review"),
            ("received",),
            "initial_review",
            HANDLE_WBS,
            (MESSAGE_TO_REPORTER,),
            effect=_acknowledge,
            style="button",
        ),
        Transition(
            "request_info",
            _("Ask the reporter for more information"),
            ("initial_review", "inspektorat_review"),
            "more_info_needed",
            HANDLE_WBS,
            (MESSAGE_TO_REPORTER_REQUIRED,),
            allows_files=True,
        ),
        Transition(
            "resume_review",
            _("Resume the initial review"),
            ("more_info_needed",),
            "initial_review",
            HANDLE_WBS,
            (MESSAGE_TO_REPORTER,),
        ),
        Transition(
            "escalate",
            _("Start the Inspektorat review"),
            ("initial_review",),
            "inspektorat_review",
            HANDLE_WBS,
            (MESSAGE_TO_REPORTER,),
            style="button",
        ),
        Transition(
            "special_audit",
            _("Start a special audit"),
            ("inspektorat_review",),
            "special_audit",
            HANDLE_WBS,
            (MESSAGE_TO_REPORTER,),
        ),
        Transition(
            "not_proven",
            _("Not proven"),
            ("initial_review", "inspektorat_review", "special_audit"),
            "not_proven",
            HANDLE_WBS,
            (MESSAGE_TO_REPORTER_REQUIRED,),
            effect=_outcome_told,
            style="button-secondary warning",
        ),
        Transition(
            "recommend",
            _("Issue the recommendation"),
            ("inspektorat_review", "special_audit"),
            "recommendation",
            HANDLE_WBS,
            (MESSAGE_TO_REPORTER_REQUIRED,),
            effect=_outcome_told,
            style="button",
        ),
        Transition(
            "record_follow_up",
            _("Record the follow-up"),
            ("recommendation",),
            "follow_up",
            HANDLE_WBS,
            (MESSAGE_TO_REPORTER_REQUIRED,),
            effect=_outcome_told,
        ),
        Transition(
            "refer",
            _("Refer to law enforcement"),
            ("special_audit", "recommendation"),
            "referred",
            HANDLE_WBS,
            (
                Input("law_enforcement_body", _("Referred to"), kind="choice", choices=law_enforcement_choices),
                MESSAGE_TO_REPORTER,
            ),
            effect=_refer,
        ),
        Transition(
            "close",
            _("Close"),
            ("not_proven", "recommendation", "follow_up", "referred"),
            "closed",
            HANDLE_WBS,
            (MESSAGE_TO_REPORTER,),
            effect=close_ticket,
        ),
        Transition(
            "reply",
            _("Message to the reporter"),
            WBS_NOT_FINAL,
            None,
            HANDLE_WBS,
            (MESSAGE_TO_REPORTER_REQUIRED,),
            allows_files=True,
        ),
        Transition(
            "transfer_to_lapor",
            _("Transfer to SP4N-LAPOR (service complaint)"),
            ("received", "initial_review", "more_info_needed"),
            "transferred",
            HANDLE_WBS,
            (
                Input(
                    "classification",
                    _("LAPOR classification"),
                    kind="choice",
                    choices=_lapor_classification_choices,
                ),
                Input(
                    "note",
                    _("Reason (internal)"),
                    help_text=_(
                        "The narrative and files are copied to a new SP4N-LAPOR report (anonymous, "
                        "confidential); the reporter's identity is not passed on. The receipt code keeps "
                        "working."
                    ),
                ),
            ),
            visible_to_applicant=False,
            effect=_transfer_to_lapor,
            style="button-secondary warning",
        ),
        Transition(
            "note",
            _("Internal note"),
            (*WBS_NOT_FINAL, "closed", "transferred"),
            None,
            HANDLE_WBS,
            (INTERNAL_NOTE,),
            visible_to_applicant=False,
            allows_files=True,
        ),
    ),
)
