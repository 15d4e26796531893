"""State machine of social-media messages — registered by the package's ``service`` module.

Import ``layanan.core.workflow`` (it imports this module); the triage rules live in ``layanan.social.services``.

received (triage due ``social/triage``, a setting) → triaged (into a PPID request, a SP4N-LAPOR report or a
WBS report; the new ticket links back through ``origin``) | dismissed (with a reason). Messages have no
public status page, so no step is "visible to the applicant": the author is answered on the platform, and
the new ticket's own access token or receipt code is handed over by the officer.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from layanan.core.workflow import INTERNAL_NOTE, Input, Machine, State, Transition
from layanan.lapor.models import LaporDetails
from layanan.social.services import dismiss, triage_effect
from layanan.wbs.models import ViolationType

__all__ = ["SOCIAL_MACHINE"]

HANDLE_SOCIAL = ("handle_social",)
OPTIONAL_NOTE = Input("note", _("Internal note"), required=False)


def _lapor_classification_choices():
    return LaporDetails.Classification.choices


def _violation_choices():
    return ViolationType.choices


SOCIAL_MACHINE = Machine(
    service="social",
    initial="received",
    states=(
        State("received", _("Awaiting triage")),
        State("triaged", _("Triaged"), clock=False, final=True),
        State("dismissed", _("Dismissed"), clock=False, final=True),
    ),
    transitions=(
        Transition(
            "to_ppid",
            _("Make it a public-information request"),
            ("received",),
            "triaged",
            HANDLE_SOCIAL,
            (OPTIONAL_NOTE,),
            visible_to_applicant=False,
            effect=triage_effect("ppid_request"),
            style="button",
        ),
        Transition(
            "to_lapor",
            _("Make it an SP4N-LAPOR report"),
            ("received",),
            "triaged",
            HANDLE_SOCIAL,
            (
                Input("classification", _("Classification"), kind="choice", choices=_lapor_classification_choices),
                OPTIONAL_NOTE,
            ),
            visible_to_applicant=False,
            effect=triage_effect("lapor"),
            style="button",
        ),
        Transition(
            "to_wbs",
            _("Make it a whistleblowing (WBS) report"),
            ("received",),
            "triaged",
            HANDLE_SOCIAL,
            (
                Input("violation_type", _("Violation type"), kind="choice", choices=_violation_choices),
                OPTIONAL_NOTE,
            ),
            visible_to_applicant=False,
            effect=triage_effect("wbs"),
            style="button",
        ),
        Transition(
            "dismiss",
            _("Dismiss"),
            ("received",),
            "dismissed",
            HANDLE_SOCIAL,
            (Input("reason", _("Reason for dismissal"), help_text=_("e.g. spam, greeting, not a request")),),
            visible_to_applicant=False,
            effect=dismiss,
            style="button-secondary warning",
        ),
        Transition(
            "note",
            _("Internal note"),
            ("received", "triaged", "dismissed"),
            None,
            HANDLE_SOCIAL,
            (INTERNAL_NOTE,),
            visible_to_applicant=False,
        ),
    ),
)
