"""Documents the body issued on a ticket, on the citizen site: a thin view over ``layanan.core.documents``.

- ``/layanan/cek-status/dokumen/<id>/cetak/`` (POST ``tracking_number`` + ``token``): the written notice, refusal
  decision or answer to an objection that the released file ``<id>`` holds, as a printable page (print style
  sheet: A4, no site header or footer). Its PDF is the released file itself (``/layanan/cek-status/berkas/<id>/``).

The button is a POST form beside the file's download button on the status page (``_file_button.html``): the
token travels in the body, never in a URL. A wrong token, a file not released to the applicant and a file that
is not an issued document all answer 404; throttle scope ``lookup``; never cached (``no-store``).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from layanan.core.documents import UnknownDocumentKind, document_for
from layanan.core.public import released_attachment
from layanan.site.common import no_store, posted_ticket

__all__ = ["document_print"]


@never_cache
@require_POST
def document_print(request, file_id: int):
    """``/layanan/cek-status/dokumen/<id>/cetak/`` (POST tracking_number + token) — the issued document in the
    released file ``id`` as a printable page, built by the same rule as its PDF
    (``layanan.core.documents.document_for``). 404 for a wrong token, a file not released, or a file that is not
    an issued document; 429 over the ``lookup`` rate."""
    ticket, response = posted_ticket(request, "lookup")
    if response is not None:
        return response
    attachment = released_attachment(ticket, file_id)
    record = getattr(attachment, "issued_document", None) if attachment is not None else None
    if record is None:
        raise Http404(gettext("Ticket not found, or the access token does not match."))
    try:
        document = document_for(record, request)
    except UnknownDocumentKind:
        raise Http404 from None
    return no_store(render(request, "layanan/site/receipt.html", {"document": document}))
