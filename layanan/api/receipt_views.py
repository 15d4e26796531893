"""The proof of filing as a PDF: ``GET /api/v2/tickets/<tracking_number>/receipt/`` (the content and its rules
in ``layanan.core.receipt_document``)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema

from layanan.api.ticket_views import TOKEN_BODY, TOKEN_PARAMS, _TokenLookupView
from layanan.core.receipt_document import pdf_response, ticket_receipt_pdf

__all__ = ["TicketReceiptView"]

RECEIPT_RESPONSES = {
    (200, "application/pdf"): OpenApiResponse(
        OpenApiTypes.BINARY,
        description="The proof of filing (tanda bukti penerimaan), A4 PDF, as an attachment "
        "(`tanda-bukti-<number>.pdf`); `Cache-Control: no-store`.",
    ),
    404: OpenApiResponse(description="Unknown number or wrong token (the same answer as the ticket endpoint)."),
    429: OpenApiResponse(description="Too many look-ups (throttle scope `lookup`)."),
}


class TicketReceiptView(_TokenLookupView):
    """``GET /api/v2/tickets/<tracking_number>/receipt/`` — the proof of filing (tanda bukti penerimaan) of a
    PPID request, objection or SP4N-LAPOR report as a PDF (``POST`` with ``{"token": ...}`` where a header
    cannot be sent).

    Token in ``X-Access-Token`` as for ``GET /api/v2/tickets/<number>/``; an unknown number and a wrong token
    both answer 404 (JSON). Content: the issuing body, service and its legal basis, tracking number, date and
    time received (WIB), channel, officer and unit if any, the applicant's name and masked NIK, the submission
    as filed, the due date (WIB date) with its time limit (working or calendar days) and legal source. No access
    token in it. Throttle scope ``lookup``.
    """

    def perform_content_negotiation(self, request, force=False):
        # ``Accept: application/pdf`` must not be refused (406) by the JSON renderers: the PDF is a plain
        # response, and errors stay JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        summary="Proof of filing (PDF)",
        parameters=TOKEN_PARAMS,
        responses=RECEIPT_RESPONSES,
        tags=["layanan"],
        auth=[],
    )
    def get(self, request, tracking_number):
        ticket = self.get_ticket(request, tracking_number)
        content, filename = ticket_receipt_pdf(ticket, request=request)
        return pdf_response(content, filename)

    @extend_schema(
        summary="Proof of filing (PDF; token in the body)",
        request=TOKEN_BODY,
        responses=RECEIPT_RESPONSES,
        tags=["layanan"],
        auth=[],
    )
    def post(self, request, tracking_number):
        return self.get(request, tracking_number)
