"""The whistleblower's receipt (tanda bukti laporan WBS): the receipt code, the date received, how to follow the
report and why to keep the code safe — and nothing that identifies the reporter.

Printed content: the body's name and contacts, the receipt code (from the request that proved it, never from
storage: only its hash is kept, ``layanan.wbs.receipt``), the WIB *date* the report was first received (no time:
the desk knows the minute, the paper need not), the address of the report page (``wbs_status_url``) and the
instructions. Not printed: the tracking number, the violation type, the report's text, the reporter's name,
contacts or address, any time of day. The PDF's metadata is neutral (``render_pdf(neutral=True)``: no author,
creator, producer or creation time). Rendered by ``layanan.core.receipt_document.render_pdf``; served only
under ``/wbs/`` (``layanan.wbs.privacy``) after the code was checked against its hash.
"""

from __future__ import annotations

from django.utils.translation import gettext

from layanan.calendar.workdays import to_local
from layanan.core.notifications import organisation_name
from layanan.core.receipt_document import (
    ReceiptDocument,
    ReceiptRow,
    ReceiptSection,
    format_date,
    issuer,
    render_pdf,
)
from layanan.wbs import receipt
from layanan.wbs.services import wbs_status_url

__all__ = ["FILENAME", "wbs_receipt", "wbs_receipt_pdf"]

#: The download's file name: the same for every report (no number in it).
FILENAME = "tanda-bukti-laporan-wbs.pdf"


def _first_received(ticket):
    """When the body first received the case: the start of the ``origin`` chain (a report moved in from
    SP4N-LAPOR was received when the LAPOR report was; one moved on to LAPOR, when the WBS report was)."""
    seen = set()
    while ticket.origin_id is not None and ticket.pk not in seen:
        seen.add(ticket.pk)
        ticket = ticket.origin
    return ticket.received_at


def wbs_receipt(code: str, ticket, *, request=None) -> ReceiptDocument:
    """The receipt of the report ``ticket`` that ``code`` (already verified by
    ``layanan.wbs.services.resolve_reporter_access``) opens, in the active language. ``code`` may be typed with
    spaces or dashes; it is printed in groups of four. Raises ``receipt.MalformedCode`` for a malformed code."""
    _lookup, body = receipt.parse_code(code)
    org = issuer(request)
    name = org.name if org is not None else organisation_name()
    lines = tuple(line for line in (org.phone, org.email) if line) if org is not None else ()
    received = to_local(_first_received(ticket)).date()
    rows = (
        ReceiptRow(gettext("Receipt code"), receipt.format_code(body + receipt.damm_check_digit(body)), code=True),
        ReceiptRow(gettext("Report received on"), format_date(received)),
        ReceiptRow(gettext("Follow your report at"), wbs_status_url()),
    )
    notes = (
        gettext(
            "To follow your report, open the address above and enter the receipt code. There you read the "
            "Inspektorat's questions and its answer, and you can reply or send more evidence."
        ),
        gettext(
            "Keep the receipt code safe. It is the only key to your report: it cannot be shown again or "
            "recovered, and we will never ask you for it. Anyone who has it can read your report and write in "
            "your name, so do not share this document: keep it where only you can reach it, or write the code "
            "down and delete this file."
        ),
        gettext("This receipt holds nothing about you or about what you reported."),
    )
    title = gettext("Whistleblowing report receipt")
    return ReceiptDocument(
        issuer=name,
        issuer_lines=lines,
        title=title,
        subtitle=gettext("Whistleblowing system (WBS)"),
        reference="",  # no QR code: the code is a secret, not something for any camera to read in passing
        sections=(ReceiptSection("", rows),),
        notes=notes,
        issued="",
        filename=FILENAME,
        pdf_title=title,
    )


def wbs_receipt_pdf(code: str, ticket, *, request=None) -> bytes:
    """:func:`wbs_receipt` as a PDF with neutral metadata (no author, creator, producer or creation time)."""
    return render_pdf(wbs_receipt(code, ticket, request=request), neutral=True)
