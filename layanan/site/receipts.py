"""Proof of filing (tanda bukti penerimaan) on the citizen site: thin views over
``layanan.core.receipt_document`` and ``layanan.wbs.filing_receipt``.

- ``/layanan/cek-status/tanda-bukti/`` (POST ``tracking_number`` + ``token``): the receipt as a PDF download.
- ``/layanan/cek-status/tanda-bukti/cetak/`` (POST, same fields): the same receipt as a printable page.
- ``/wbs/tanda-bukti/`` (POST ``code``): the whistleblower's receipt (code, date, instructions; nothing about the
  reporter) as a PDF. Under ``/wbs/``, so ``layanan.wbs.privacy.WbsPrivacyMiddleware`` scrubs the request.

The buttons are POST forms on the confirmation page after filing and on the status page (``_receipt_actions.html``,
``wbs_submitted.html``): the token and the code travel in the body, never in a URL. A wrong token answers 404
like a released-file download; a wrong receipt code 404 and counts towards ``wbs_access``. Throttle scope
``lookup`` (``wbs_access`` for WBS). Never cached (``no-store``).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from layanan.core.receipt_document import pdf_response, ticket_receipt, ticket_receipt_pdf
from layanan.site import forms as site_forms
from layanan.site.common import no_store, posted_ticket
from layanan.site.views import wbs_resolve
from layanan.wbs.filing_receipt import FILENAME, wbs_receipt_pdf

__all__ = ["receipt_pdf", "receipt_print", "wbs_receipt"]


@never_cache
@require_http_methods(["GET", "POST"])
def receipt_pdf(request):
    """``/layanan/cek-status/tanda-bukti/`` (POST tracking_number + token) — the proof of filing as an A4 PDF
    (``attachment``, ``no-store``). 404 for an unknown number or a wrong token; 429 over the ``lookup`` rate."""
    if request.method == "GET":  # a reload, the language switch or history: back to where the buttons are
        return redirect("layanan-site-status")
    ticket, response = posted_ticket(request, "lookup")
    if response is not None:
        return response
    content, filename = ticket_receipt_pdf(ticket, request=request)
    return pdf_response(content, filename)


@never_cache
@require_http_methods(["GET", "POST"])
def receipt_print(request):
    """``/layanan/cek-status/tanda-bukti/cetak/`` (POST tracking_number + token) — the proof of filing as a
    printable page (print style sheet: A4, no site header or footer). Same answers as :func:`receipt_pdf`."""
    if request.method == "GET":  # a reload, the language switch or history: back to where the buttons are
        return redirect("layanan-site-status")
    ticket, response = posted_ticket(request, "lookup")
    if response is not None:
        return response
    context = {"document": ticket_receipt(ticket, request=request)}
    return no_store(render(request, "layanan/site/receipt.html", context))


@never_cache
@require_http_methods(["GET", "POST"])
def wbs_receipt(request):
    """``/wbs/tanda-bukti/`` (POST ``code``) — the whistleblower's receipt as a PDF: the code, the date received
    and how to follow the report, nothing identifying the reporter (``layanan.wbs.filing_receipt``). The code is
    checked against its hash first; a wrong or malformed code answers 404 (wrong ones count towards
    ``wbs_access``, then 429)."""
    if request.method == "GET":  # a reload, the language switch or history: back to where the buttons are
        return redirect("layanan-site-wbs-access")
    form = site_forms.WbsAccessForm({"code": request.POST.get("code", "")})
    ticket, response = wbs_resolve(request, form)
    if response is not None:
        return response
    if ticket is None:
        raise Http404
    return pdf_response(wbs_receipt_pdf(form.cleaned_data["code"], ticket, request=request), FILENAME)
