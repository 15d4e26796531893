"""What an applicant may see of their ticket (token-protected status) — one function for API and pages.

The token check lives here too: :func:`find_ticket_for_token` answers ``None`` alike for an unknown number,
a wrong token and another ticket's token, with a constant-time comparison in every case. A ticket that was
transferred to another service (SP4N-LAPOR ↔ WBS) answers with its successor (:func:`follow_transfers`), so
the applicant's token or receipt code keeps working after the move.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from home.absolute_urls import absolute_url
from layanan.core import registry
from layanan.core.crypto import hash_token, token_matches
from layanan.core.documents import kind_label
from layanan.core.events import ANSWER_ACTIONS
from layanan.core.models.tickets import Ticket
from layanan.core.numbering import normalise
from layanan.core.ratings import OPEN, RATED, rating_state

__all__ = [
    "ANSWER_ACTIONS",
    "PUBLIC_EVENT_LABELS",
    "public_status",
    "next_steps",
    "public_step_label",
    "attachment_response",
    "find_ticket_for_token",
    "follow_transfers",
    "public_file_url",
    "public_ticket_data",
    "released_attachment",
]

#: Names of the steps that are not transitions, as the applicant or reporter reads them.
PUBLIC_EVENT_LABELS = {
    "received": _("Received"),
    "registered": _("Registered by an officer"),
    "reporter_message": _("Your message"),
    "transferred_in": _("Moved to another service"),
    "deadline_recomputed": _("Due date updated"),
}
OFFICER_MESSAGE = _("Message from the officer")
APPLICANT_MESSAGE = _("Your message")


def public_step_label(service: str, entry) -> str:
    """The name of timeline ``entry`` for the applicant or reporter — never an officer's command ("Putuskan",
    "Tutup"): :data:`PUBLIC_EVENT_LABELS` for system steps, else the transition's ``public_label``, else the
    public label of the state the step led to, else "Message from the officer" (a step that kept the state)."""
    if entry.action in PUBLIC_EVENT_LABELS:
        return str(PUBLIC_EVENT_LABELS[entry.action])
    if entry.actor_kind == "applicant":
        return str(APPLICANT_MESSAGE)
    definition = registry.find(service)
    machine = definition.machine if definition is not None else None
    transition = machine.transition(entry.action) if machine is not None else None
    if transition is not None and transition.public_label:
        return str(transition.public_label)
    if machine is not None and entry.to_status and entry.to_status != entry.from_status:
        return str(machine.state(entry.to_status).citizen_label)
    return str(OFFICER_MESSAGE)


def public_status(ticket) -> dict:
    """The status as the applicant reads it: ``{"status_label", "status_help"}`` (``State.citizen_label`` and
    ``public_help``)."""
    state = ticket.machine.state(ticket.status)
    return {"status_label": str(state.citizen_label), "status_help": str(state.public_help)}


#: Status of a ticket whose content moved to another service (its successor has ``origin`` = this ticket).
TRANSFERRED = "transferred"


_DUMMY_HASH = hash_token("no-such-ticket")


def released_attachment(ticket, file_id):
    """The attachment ``file_id`` of ``ticket`` if it was released to the applicant (``visible_to_applicant``);
    ``None`` otherwise, and when there is no ticket. The one rule of every applicant/reporter download."""
    if ticket is None or not 0 < int(file_id) < 2**63:  # (an id no database holds: SQLite would raise)
        return None
    return ticket.attachments.filter(pk=file_id, visible_to_applicant=True).first()


def attachment_response(attachment, *, no_store: bool = False) -> FileResponse:
    """Serve ``attachment`` as a download (stored name and content type, ``nosniff``); ``no_store`` adds
    ``Cache-Control: no-store``. Used by the API, the site pages and the operator desk."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    if no_store:
        response["Cache-Control"] = "no-store"
    return response


def follow_transfers(ticket):
    """The ticket that now carries ``ticket``'s case: its transfer successor (repeatedly), else itself."""
    seen = set()
    while ticket is not None and ticket.status == TRANSFERRED and ticket.pk not in seen:
        seen.add(ticket.pk)
        successor = ticket.derived_tickets.order_by("pk").first()
        if successor is None:
            break
        ticket = successor
    return ticket


def find_ticket_for_token(tracking_number: str, token: str | None):
    """The ticket with ``tracking_number`` if ``token`` is its access token (after a transfer: the successor
    that now carries the case, :func:`follow_transfers`); otherwise ``None``. Surrounding white space of a
    pasted token is ignored, for the API and the site alike."""
    token = (token or "").strip()
    number = normalise(tracking_number)
    # The detail row that ``public_ticket_data`` shows comes in the same query, joined only for the service the
    # number's prefix names (joining every service's details — and the objected request's whole ticket row —
    # made compiling the query cost more CPU than running it). ``get`` rather than ``first``: the number is
    # unique, and no ORDER BY means Django does not compare every selected column with the ordering.
    prefix = number.split("-", 1)[0]
    # ``select_related`` of the service whose prefix the number carries (``ServiceDefinition.public_select_related``)
    definition = registry.by_prefix(prefix)
    related = definition.public_select_related if definition is not None else ()
    try:
        ticket = Ticket.objects.select_related(*related).get(tracking_number=number)
    except Ticket.DoesNotExist:
        ticket = None
    if ticket is None:
        token_matches(token, _DUMMY_HASH)  # same work as a real comparison
        return None
    return follow_transfers(ticket) if token_matches(token, ticket.access_token_hash) else None


def public_file_url(ticket, attachment, request=None) -> str:
    """Download path of a released file (the client sends the token in the ``X-Access-Token`` header, or POSTs
    it as ``token``; never in the query string)."""
    path = reverse("layanan-ticket-file", args=[ticket.tracking_number, attachment.pk])
    return absolute_url(path) if request is not None else path


def _file(ticket, attachment, request, file_url=None):
    file_url = file_url or public_file_url
    return {
        "id": attachment.pk,
        "name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "url": file_url(ticket, attachment, request),
        "document": _document(attachment),
    }


def _document(attachment) -> dict | None:
    """``{"kind", "kind_label", "number", "issued_at"}`` when ``attachment`` is a document a step issued
    (written notice, refusal decision, objection answer: ``layanan.core.documents``), else None."""
    try:
        record = attachment.issued_document
    except ObjectDoesNotExist:
        return None
    return {
        "kind": record.kind,
        "kind_label": kind_label(record.kind),
        "number": record.number,
        "issued_at": record.issued_at,
    }


def _details(ticket) -> dict:
    """The service's public details of ``ticket`` (``ServiceDefinition.public_details``), ``{}`` without."""
    definition = registry.find(ticket.service)
    describe = definition.public_details if definition is not None else None
    return describe(ticket) if describe is not None else {}


def next_steps(ticket) -> list[dict]:
    """What the applicant can do next (objection, Komisi Informasi, Ombudsman) — the service's
    ``citizen_options`` (``[{"code", "label", "explanation", "until"}]``, ``until`` a WIB date or None); ``[]``
    for a service without any."""
    definition = registry.find(ticket.service)
    if definition is None or definition.citizen_options is None:
        return []
    return definition.citizen_options(ticket)


def public_ticket_data(ticket, request=None, file_url=None) -> dict:
    """The applicant's view of ``ticket`` (shape: ``PublicTicketSerializer``). Only applicant-visible
    timeline entries and files; no personal data, no officers, no internal notes. ``file_url(ticket,
    attachment, request)`` builds download links (default :func:`public_file_url`)."""
    file_url = file_url or public_file_url
    entries = list(ticket.timeline.filter(visible_to_applicant=True))  # files come from ``files`` below
    files = list(ticket.attachments.filter(visible_to_applicant=True).select_related("issued_document"))
    files_by_entry: dict[int, list] = {}
    for attachment in files:
        files_by_entry.setdefault(attachment.timeline_entry_id, []).append(attachment)
    machine = ticket.machine

    def entry_data(entry):
        return {
            "at": entry.at,
            "action": entry.action,
            "action_label": public_step_label(ticket.service, entry),
            "status": entry.to_status,
            "status_label": str(machine.state(entry.to_status).citizen_label) if entry.to_status else "",
            "note": entry.text,
            "files": [_file(ticket, a, request, file_url) for a in files_by_entry.get(entry.pk, [])],
        }

    timeline = [entry_data(e) for e in entries]
    remaining = ticket.remaining_working_days() if ticket.clock_running else None
    rating = rating_state(ticket)
    answers = [entry_data(e) for e in entries if e.action in ANSWER_ACTIONS and e.text and e.actor_kind != "applicant"]
    return {
        "tracking_number": ticket.tracking_number,
        "service": ticket.service,
        "service_label": str(ticket.get_service_display()),
        "subject": ticket.subject,
        "status": ticket.status,
        **public_status(ticket),
        "is_open": not machine.state(ticket.status).final,
        # the body waits for the applicant (a ``by_applicant`` transition leaves this state): they may reply
        "awaits_reply": machine.applicant_transition(ticket.status) is not None,
        # closed, and its service is rated (PermenPANRB 14/2017): POST /api/v2/tickets/<number>/rating/ once
        "can_rate": rating == OPEN,
        "rated": rating == RATED,
        "received_at": ticket.received_at,
        "due_date": ticket.due_date,
        "remaining_working_days": remaining,
        "overdue_working_days": -remaining if remaining is not None and remaining < 0 else 0,
        "extended": ticket.extended,
        "extension_reason": ticket.extension_reason,
        "deadline_explanation": ticket.deadline_explanation,
        "details": _details(ticket),
        "next_steps": next_steps(ticket),
        "answers": answers,
        "timeline": timeline,
        "files": [_file(ticket, a, request, file_url) for a in files],
    }
