"""Proof of filing (tanda bukti penerimaan) of a ticket: what it says, once, and its PDF.

:func:`ticket_receipt` is the one rule of the receipt's content for a PPID request, an objection or an
SP4N-LAPOR report (any service: what differs per service comes from the registry): the issuing body (site
settings, ``home.OrganisationSettings``), the service and its legal basis (``ServiceDefinition.legal_basis``),
the tracking number, the date and time received in the institution's zone (``TIME_ZONE``, WIB by default; label
``PESAN_CALENDAR_TIMEZONE_LABEL``), the channel, the officer who registered it at the desk and the unit handling
it (if any), the applicant (name and a masked NIK — never the NIK in full; "anonymous" where the service hides
the identity), the submission as filed (``ServiceDefinition.receipt_details``), and the due date (WIB date) with
its time limit in working or calendar days and the article that sets it (the deadline rule snapshotted on the
ticket: UU 14/2008 Pasal 22(7) for requests, Pasal 36(2) for objections, Perpres 76/2013 / PermenPANRB 62/2018
for LAPOR; ``layanan.calendar.conf``). The access token is never part of it.

The same :class:`ReceiptDocument` (sections of label/value rows and notes: ``layanan.core.printable.Document``)
is rendered as the printable HTML page (``layanan/site/receipt.html``) and as an A4 PDF by :func:`render_pdf`
(``layanan.core.printable``: ReportLab, Bitstream Vera embedded, the reference as a QR code). The WBS receipt
(``layanan.wbs.filing_receipt``) is another document rendered by the same function with neutral metadata; the
documents a step issues (written notice, refusal decision, objection answer) are ``layanan.core.documents``.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext, ngettext

from layanan.calendar.conf import UNIT_CALENDAR, get_deadline_rule
from layanan.core import registry
from layanan.core.models.tickets import TimelineEntry
from layanan.core.notifications import organisation_name, status_url
from layanan.core.printable import (
    Document,
    Row,
    Section,
    format_date,
    format_datetime,
    issuer,
    pdf_response,
    render_pdf,
)
from layanan.core.printable import issuer_lines as _issuer_lines
from layanan.core.printable import rows as _rows

__all__ = [
    "ReceiptDocument",
    "ReceiptRow",
    "ReceiptSection",
    "format_date",
    "format_datetime",
    "issuer",
    "pdf_response",
    "render_pdf",
    "ticket_receipt",
    "ticket_receipt_pdf",
]

#: The receipt's shapes are the shared printable document's (``layanan.core.printable``).
ReceiptDocument, ReceiptRow, ReceiptSection = Document, Row, Section


def _officer(ticket, definition) -> str:
    """Who received a submission at the desk (walk-in, phone, post: the ``registered`` step's officer, as on the
    SLIP form's "petugas penerima"); "" for an online submission, a ticket made from another one (triage,
    transfer: no officer received the applicant) and a restricted service (WBS: no officer is named)."""
    if ticket.origin_id is not None or (definition is not None and definition.restricted):
        return ""
    entry = ticket.timeline.filter(action="registered").order_by("at", "pk").first()
    return entry.actor_display if entry is not None and entry.actor_kind == TimelineEntry.ActorKind.USER else ""


def _applicant(ticket, definition) -> tuple[ReceiptRow, ...]:
    """Name and masked NIK, or "anonymous" where the service keeps the identity from those the ticket is shown
    to (``identity_visible(ticket, None)``: an *anonim* LAPOR report). Never the NIK in full, no contacts."""
    visible = definition.identity_visible if definition is not None else None
    if visible is not None and not visible(ticket, None):
        return _rows([(gettext("Name"), gettext("(anonymous)"))])
    nik = ticket.nik_masked if ticket.applicant_nik else ""
    return _rows([(gettext("Name"), ticket.applicant_name), (gettext("NIK"), nik)])


def _period(days: int | None, unit: str) -> str:
    if days is None:
        return ""
    if unit == UNIT_CALENDAR:
        return ngettext("%(days)d calendar day", "%(days)d calendar days", days) % {"days": days}
    return ngettext("%(days)d working day", "%(days)d working days", days) % {"days": days}


def _deadline(ticket) -> tuple[ReceiptRow, ...]:
    """The due date (WIB date), what is due (the rule's label), the time limit and its legal source; with the
    one-off extension when granted. Empty for a ticket without a deadline."""
    if ticket.due_date is None:
        return ()
    what = ""
    if ticket.deadline_rule.count("/") == 1:
        try:
            what = str(get_deadline_rule(*ticket.deadline_rule.split("/")).label)
        except KeyError:  # a rule an install removed since: the snapshotted figures still stand
            what = ""
    period = _period(ticket.deadline_days, ticket.deadline_unit or "working")
    sources = [ticket.deadline_legal_source]
    if ticket.extended and ticket.extension_days:
        period += " + " + gettext("extension of %(period)s") % {"period": _period(ticket.extension_days, "working")}
        sources.append(ticket.extension_legal_source)
    return _rows(
        [
            (gettext("Due date"), format_date(ticket.due_date)),
            (gettext("What is due"), what),
            (gettext("Time limit"), period),
            (gettext("Legal basis of the time limit"), "; ".join(s for s in sources if s)),
            (gettext("How the due date was counted"), ticket.deadline_explanation),
        ]
    )


def ticket_receipt(ticket, *, request=None, now: datetime | None = None) -> ReceiptDocument:
    """The proof of filing of ``ticket`` (any service) in the active language (Indonesian by default).

    Shape: see :class:`ReceiptDocument`; sections "Filing" (service, tracking number, received — WIB date and
    time —, channel, officer, unit, the service's legal basis), "Applicant", "As filed" (the registry's
    ``receipt_details``, else subject and description) and "Deadline" (the due date as a WIB date, what is
    due, the time limit in working/calendar days, its legal source, how it was counted). ``request``: for the
    issuing body of its site (else the default site); ``now``: the "printed on" time (default now). Contains
    no access token and no NIK in full. Reads the ``registered`` step (one query) and the service's detail row
    (loaded with the ticket by ``find_ticket_for_token``).
    """
    definition = registry.find(ticket.service)
    org = issuer(request)
    name = org.name if org is not None else organisation_name()
    service_label = str(ticket.get_service_display())
    filing = _rows(
        [
            (gettext("Service"), service_label),
            (gettext("Received"), format_datetime(ticket.received_at)),
            (gettext("Channel"), ticket.get_channel_display()),
            (gettext("Received by (officer)"), _officer(ticket, definition)),
            (gettext("Unit handling it"), ticket.unit.name if ticket.unit_id else ""),
            (gettext("Legal basis"), definition.legal_basis if definition is not None else ""),
        ]
    )
    filing = (ReceiptRow(gettext("Tracking number"), ticket.tracking_number, code=True), *filing)
    describe = definition.receipt_details if definition is not None else None
    filed = (
        describe(ticket)
        if describe is not None
        else [
            (gettext("Subject"), ticket.subject),
            (gettext("Description"), ticket.description),
        ]
    )
    sections = [
        ReceiptSection(gettext("Filing"), filing),
        ReceiptSection(gettext("Applicant"), _applicant(ticket, definition)),
        ReceiptSection(gettext("As filed"), _rows(filed)),
        ReceiptSection(gettext("Deadline"), _deadline(ticket)),
    ]
    notes = (
        gettext(
            "Follow this ticket at %(url)s with its tracking number and the access token you received when you "
            "filed. The access token is not printed on this receipt: keep it separately and do not share it."
        )
        % {"url": status_url(ticket)},
        gettext("Keep this receipt as proof that %(organisation)s received your %(service)s.")
        % {"organisation": name, "service": service_label},
    )
    title = gettext("Proof of filing")
    return ReceiptDocument(
        issuer=name,
        issuer_lines=_issuer_lines(org),
        title=title,
        subtitle=service_label,
        reference=ticket.tracking_number,
        sections=tuple(s for s in sections if s.rows),
        notes=notes,
        issued=gettext("Printed on %(datetime)s.") % {"datetime": format_datetime(now or timezone.now())},
        filename=f"tanda-bukti-{ticket.tracking_number}.pdf",
        pdf_title=f"{title} {ticket.tracking_number}",
    )


def ticket_receipt_pdf(ticket, *, request=None) -> tuple[bytes, str]:
    """``(pdf bytes, file name)`` of :func:`ticket_receipt` — what the site and the API serve."""
    document = ticket_receipt(ticket, request=request)
    return render_pdf(document), document.filename
