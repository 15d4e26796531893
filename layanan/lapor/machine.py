from __future__ import annotations

from django.conf import settings
from django.utils import formats, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from layanan.core import registry
from layanan.core.deadlines import set_deadline
from layanan.core.events import record_event
from layanan.core.models.tickets import TimelineEntry
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
    TransitionError,
    assign_unit,
    close_ticket,
)
from layanan.lapor.models import LaporCategory, LaporDetails

__all__ = []


def _category_choices():
    return [(str(c.pk), c.full_name) for c in LaporCategory.objects.filter(active=True).select_related("parent")]


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
    assign_unit(ticket, data, user, now)
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


def _lapor_transfer_to_wbs(ticket, data, user, now):
    """Hand the report to the whistleblowing service (its ``transfer_in`` hook, ``ServiceDefinition.extra``):
    the WBS package owns the move of the report, its files and the reporter's identity."""
    registry.get("wbs").extra["transfer_in"](ticket, data, user, now)


def _lapor_to_ppid(ticket, data, user, now):
    """Effect of ``to_ppid``: a report classified as a request for information (``permintaan_informasi``) becomes
    a PPID request, so that it is answered and counted under UU 14/2008 (10 WD, Pasal 22(7)).

    The request is registered through the ``ppid_request`` service's submit function (the registry: ``lapor``
    does not import ``ppid``) as an officer-made request (``validate=False``: what the SLIP form lacks is asked
    of the applicant through the PPID workflow), ``origin`` = this report, with the report's channel and its
    ORIGINAL receipt time — the 10 working days count from when the body first received it. Text: subject and
    description. Identity: name, NIK, e-mail, phone — none for an *anonim* report (its reporter asked that
    their identity stay hidden; the PPID asks for it). The files stay on the report. The new request's access
    token is handed back once (``data["_submission"]``) and its receipt e-mailed to an address on file; this
    report's step tells the reporter the new number and due date. Raises :class:`TransitionError` for a report
    with another classification.
    """
    details = ticket.lapor
    if details.classification != LaporDetails.Classification.INFORMATION_REQUEST:
        message = gettext("Only a report classified as an information request can become a PPID request.")
        raise TransitionError(message, {"classification": message})
    identity = {}
    if not details.anonymous:
        identity = {
            "name": ticket.applicant_name,
            "nik": ticket.applicant_nik,
            "email": ticket.applicant_email,
            "phone": ticket.applicant_phone,
        }
    text = "\n\n".join(part for part in (ticket.subject, ticket.description) if (part or "").strip())
    submission = registry.get("ppid_request").submit(
        {**identity, "information_requested": text},
        channel=ticket.channel,
        received_at=ticket.received_at,
        registered_by=user,
        origin=ticket,
        validate=False,
    )
    request = submission.ticket
    record_event(
        request,
        "triaged_in",
        note=gettext("Created from SP4N-LAPOR report %(number)s.") % {"number": ticket.tracking_number},
        actor=user,
        actor_kind=TimelineEntry.ActorKind.USER,
        visible_to_applicant=False,
        data={"from": ticket.tracking_number},
    )
    ticket.closed_at = now
    data["_submission"] = submission
    data["created_ticket"] = request.tracking_number
    with translation.override(settings.LANGUAGE_CODE):
        notice = gettext(
            "Your report asks for public information, so it is handled as a request for public information under "
            "UU 14/2008, number %(number)s. The answer is due by %(date)s, counted from when we first received "
            "your report."
        ) % {
            "number": request.tracking_number,
            "date": formats.date_format(request.due_date, "j F Y") if request.due_date else "-",
        }
    # The notice always reaches the reporter; the officer's message follows it.
    data["note"] = "\n\n".join(part for part in (notice, data.get("note") or "") if part)


def _violation_choices():
    """The WBS violation types (``ServiceDefinition.extra["violation_choices"]`` of the ``wbs`` service)."""
    return registry.get("wbs").extra["violation_choices"]()


LAPOR = ("handle_lapor",)
LAPOR_OR_UNIT = ("handle_lapor", "handle_unit_tickets")
LAPOR_NOT_FINAL = ("received", "verified", "on_hold", "assigned", "followed_up", "awaiting_reply")


def _classification_choices():
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
        State("to_ppid", _("Handled as a public-information request (PPID)"), clock=False, final=True),
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
                Input(
                    "category",
                    _("Category"),
                    kind="category",
                    choices=_category_choices,
                    queryset=lambda: LaporCategory.objects.filter(active=True),
                    required=False,
                ),
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
            "archive", _("Archive"), ("received", "on_hold"), "archived", LAPOR, (NOTE_REQUIRED,), effect=close_ticket
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
        Transition(
            "reporter_replies",
            _("Reply from the reporter"),
            ("awaiting_reply",),
            "followed_up",
            (),
            (NOTE_REQUIRED,),
            allows_files=True,
            public_label=_("Your reply"),
            by_applicant=True,
        ),
        Transition(
            "close", _("Close"), ("followed_up", "awaiting_reply"), "closed", LAPOR, (NOTE,), effect=close_ticket
        ),
        Transition(
            "reply", _("Message to reporter"), LAPOR_NOT_FINAL, None, LAPOR_OR_UNIT, (NOTE_REQUIRED,), allows_files=True
        ),
        Transition(
            "to_ppid",
            _("Handle as an information request (PPID)"),
            ("received", "on_hold", "verified"),
            "to_ppid",
            LAPOR,
            (
                Input(
                    "note",
                    _("Message to the reporter"),
                    required=False,
                    help_text=_(
                        "A PPID request is made with the report's text, its reporter (none if anonymous) and its "
                        "original receipt time; the reporter is told its number and due date, then this message."
                    ),
                ),
            ),
            effect=_lapor_to_ppid,
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
            (*LAPOR_NOT_FINAL, "not_our_authority", "archived", "closed", "transferred", "to_ppid"),
            None,
            LAPOR_OR_UNIT,
            (INTERNAL_NOTE,),
            visible_to_applicant=False,
        ),
    ),
)
