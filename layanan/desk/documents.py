"""The documents a step issued on a ticket, at the operator desk: the printable page of each (its PDF is the
ticket's attachment, downloaded through ``layanan_desk_attachment``). Looked up through ``tickets_visible_to``:
another unit's document is a 404, also by URL."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from layanan.core.access import record_confidential_access, tickets_visible_to
from layanan.core.documents import UnknownDocumentKind, document_for
from layanan.core.models.documents import IssuedDocument

__all__ = ["document_print"]


def document_print(request, pk: int):
    """``/admin/layanan-desk/document/<pk>/print/`` — issued document ``pk`` (written notice, refusal decision,
    answer to an objection) as a printable A4 page, built by the same rule as its PDF
    (``layanan.core.documents.document_for``). 404 when the officer may not see its ticket."""
    record = get_object_or_404(
        IssuedDocument.objects.filter(ticket__in=tickets_visible_to(request.user)).select_related("ticket"), pk=pk
    )
    record_confidential_access(record.ticket, request.user, "file_downloaded", {"document": record.pk})
    try:
        document = document_for(record, request)
    except UnknownDocumentKind:
        raise Http404 from None
    response = render(request, "layanan/site/receipt.html", {"document": document})
    response["Cache-Control"] = "no-store"
    return response
