"""Server-rendered service pages of the reference public site (thin views over ``layanan.core.intake``,
``layanan.core.public`` and ``layanan.wbs.services``; forms in ``layanan.site.forms``).

Pages (Indonesian, stable URLs; see ``layanan/urls.py``):

- ``/layanan/permohonan-informasi/``, ``/layanan/keberatan/``, ``/layanan/pengaduan/``: submission forms.
  Success redirects (POST/redirect/GET) to ``/layanan/terkirim/``, which shows the tracking number and the
  access token ONCE: they are popped from the session when displayed.
- ``/layanan/cek-status/``: "check my ticket" (tracking number + token, POSTed — never in the URL), and
  ``/layanan/cek-status/berkas/<id>/`` (POST) to download a released file.
- ``/wbs/`` and ``/wbs/akses/``: the whistleblowing form and the thread by receipt code. Under ``/wbs/`` so
  ``layanan.wbs.privacy.WbsPrivacyMiddleware`` scrubs them; they set no cookie but CSRF (no session, no
  language cookie written here) and load nothing from elsewhere.

Spam protection: honeypot + a self-hosted anti-robot check on the four submission forms (an ALTCHA proof of work
the browser solves by itself, ``layanan.site.challenge``; signed, not stored, so no cookie); a missing, wrong,
expired or reused solution is a field error like any other (400, everything typed kept, files to be chosen
again, a new challenge on the page). The API has no such check (its clients are programs; see
``layanan.site.forms``) and keeps the honeypot and the same throttles.

Rate limits reuse the API throttles (``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``): scope ``submission`` for
form posts, ``lookup`` for status look-ups, ``wbs_access`` (wrong receipt codes) for the WBS thread.
"""

from __future__ import annotations

import math
import time

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from layanan.core import conf as desk_conf
from layanan.core.models.tickets import Ticket
from layanan.core.notifications import status_link
from layanan.core.public import attachment_response, find_ticket_for_token, public_ticket_data, released_attachment
from layanan.core.recovery import recovery_wait, request_access
from layanan.core.sanitize import METADATA_NOTICE
from layanan.core.workflow import ReplyNotAwaited, TransitionError, applicant_reply
from layanan.site import forms as site_forms
from layanan.site.common import for_display, no_store, posted_ticket, too_many
from layanan.site.rating_form import RatingForm
from layanan.wbs import receipt
from layanan.wbs import services as wbs
from layanan.wbs.privacy import WbsAccessThrottle
from layanan.wbs.receipt import MALFORMED_MESSAGE, NOT_FOUND_MESSAGE
from pesan_cms.qr import qr_svg
from pesan_cms.throttling import throttle_wait  # same scopes, buckets and live rates as the API

SESSION_KEY = "layanan_site_submission"


# --- submissions -------------------------------------------------------------------------------------------
SERVICES = {
    "ppid_request": {
        "form": site_forms.PPIDRequestForm,
        "title": _("Public information request"),
        "intro": _(
            "Fill in the form to request public information (UU 14/2008 Pasal 22). The PPID answers within "
            "10 working days, which may be extended once by 7 working days."
        ),
        "url": "layanan-site-ppid-request",
    },
    "objection": {
        "form": site_forms.ObjectionForm,
        "title": _("Objection"),
        "intro": _(
            "You may object when your request was refused, not answered in time, or answered in a way you do "
            "not accept (UU 14/2008 Pasal 35). File it within 30 working days; the Atasan PPID answers within "
            "30 working days."
        ),
        "url": "layanan-site-objection",
    },
    "lapor": {
        "form": site_forms.LaporReportForm,
        "title": _("SP4N-LAPOR complaint or aspiration"),
        "intro": _(
            "Report a problem with a public service, share an aspiration or ask for information. Your report "
            "is verified within 3 working days."
        ),
        "url": "layanan-site-lapor",
    },
}


def _lost_files(request) -> list[str]:
    """Names of the files chosen in a POST that failed: they are not kept (nothing of a failed submission is
    stored), so the page lists them to be chosen again."""
    return [upload.name for key in request.FILES for upload in request.FILES.getlist(key)]


def _submission_page(request, service: str):
    conf = SERVICES[service]
    form_class = conf["form"]
    if request.method == "POST":
        wait = throttle_wait(request, "submission")
        if wait is not None:
            return too_many(request, wait)
        form = form_class(request.POST, request.FILES)
        submission = form.save()
        if submission is not None:
            ticket = submission.ticket
            request.session[SESSION_KEY] = {
                "tracking_number": ticket.tracking_number,
                "access_token": submission.access_token,
            }
            return redirect("layanan-site-submitted")
        status = 400
    else:
        initial = {}
        if service == "objection" and request.GET.get("nomor"):
            initial["request_tracking_number"] = request.GET["nomor"][:32]
        form = form_class(initial=initial)
        status = 200
    form.annotate()
    context = {
        "form": form,
        "title": conf["title"],
        "intro": conf["intro"],
        "service": service,
        "limits": site_forms.upload_limits(),
        "files_lost": _lost_files(request) if form.is_bound and form.errors else [],
    }
    return no_store(render(request, "layanan/site/form.html", context, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def ppid_request(request):
    """``/layanan/permohonan-informasi/`` — the PPID request form (``ppid_intake.submit_ppid_request``)."""
    return _submission_page(request, "ppid_request")


@never_cache
@require_http_methods(["GET", "POST"])
def objection(request):
    """``/layanan/keberatan/`` — the objection form (``ppid_intake.submit_objection``); ``?nomor=`` prefills the
    request's tracking number."""
    return _submission_page(request, "objection")


@never_cache
@require_http_methods(["GET", "POST"])
def lapor(request):
    """``/layanan/pengaduan/`` — the SP4N-LAPOR report form (``lapor_intake.submit_lapor_report``)."""
    return _submission_page(request, "lapor")


def _kept_receipt(request) -> dict | None:
    """The confirmation of the last submission from this browser while ``confirmation_minutes`` last, else
    ``None`` (and forgotten). Session data, server-side: ``{"tracking_number", "access_token", "until"}``."""
    receipt = request.session.get(SESSION_KEY)
    if not receipt:
        return None
    until = receipt.get("until")
    if until is None:  # first display: start the window
        until = time.time() + 60 * desk_conf.confirmation_minutes()
        request.session[SESSION_KEY] = receipt | {"until": until}
    if time.time() >= until:
        request.session.pop(SESSION_KEY, None)
        return None
    return receipt


@never_cache
@require_http_methods(["GET", "POST"])
def submitted(request):
    """``/layanan/terkirim/`` — confirmation: tracking number, access token (kept in the session for
    ``PESAN_CONFIRMATION_MINUTES``, so a reload shows it again; "I have saved it" (POST ``forget``) removes it
    at once), the token as a QR code of the one-click status link and as a file to download, due date (WIB date,
    working days) and what happens next."""
    if request.method == "POST" and "forget" in request.POST:
        request.session.pop(SESSION_KEY, None)
        return no_store(render(request, "layanan/site/submitted_gone.html", {"forgotten": True}))
    receipt = _kept_receipt(request)
    ticket = None
    if receipt:
        ticket = Ticket.objects.filter(tracking_number=receipt["tracking_number"]).first()
    if ticket is None:
        return no_store(render(request, "layanan/site/submitted_gone.html", {}, status=200))
    link = status_link(ticket, receipt["access_token"])
    context = {
        "ticket": ticket,
        "access_token": receipt["access_token"],
        "data": public_ticket_data(ticket),
        "service": ticket.service,
        "status_link": link,
        "qr": qr_svg(link, box_size=6),
        "kept_minutes": desk_conf.confirmation_minutes(),
    }
    return no_store(render(request, "layanan/site/submitted.html", context))


@never_cache
def access_file(request):
    """``/layanan/terkirim/akses/`` — the tracking number, access token and one-click link of the confirmation
    as a small text file to keep (``akses-<number>.txt``), from the session (nothing secret in the URL); the
    "gone" page when the confirmation is no longer kept."""
    receipt = _kept_receipt(request)
    ticket = Ticket.objects.filter(tracking_number=receipt["tracking_number"]).first() if receipt else None
    if ticket is None:
        return no_store(render(request, "layanan/site/submitted_gone.html", {}, status=404))
    body = render_to_string(
        "layanan/site/access_file.txt",
        {
            "ticket": ticket,
            "access_token": receipt["access_token"],
            "status_link": status_link(ticket, receipt["access_token"]),
        },
    )
    response = HttpResponse(body.replace("\n", "\r\n"), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="akses-{ticket.tracking_number}.txt"'
    return no_store(response)


# --- check my ticket ---------------------------------------------------------------------------------------
@never_cache
@require_http_methods(["GET", "POST"])
def check_status(request):
    """``/layanan/cek-status/`` — status, public timeline, answers and released files of a ticket, for its
    tracking number and access token (POST; ``?nomor=`` prefills the number). Unknown number and wrong token
    get the same message. Throttle scope ``lookup``."""
    data = ticket = None
    if request.method == "POST":
        wait = throttle_wait(request, "lookup")
        if wait is not None:
            return too_many(request, wait)
        form = site_forms.TicketLookupForm(request.POST)
        if form.is_valid():
            ticket = find_ticket_for_token(form.cleaned_data["tracking_number"], form.cleaned_data["token"])
            if ticket is None:
                form.add_error(None, gettext("Ticket not found, or the access token does not match."))
            else:
                data = for_display(public_ticket_data(ticket))
    else:
        form = site_forms.TicketLookupForm(initial={"tracking_number": request.GET.get("nomor", "")[:32]})
    form.annotate()
    context = {"form": form, "data": data, "ticket": ticket, "rating_form": RatingForm()}
    status = 400 if form.is_bound and form.errors else 200
    return no_store(render(request, "layanan/site/status.html", context, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def recover_access(request):
    """``/layanan/cek-status/lupa-akses/`` — "forgot my access": tracking number + the e-mail address or phone
    on file; a new access link is e-mailed when they match (``layanan.core.recovery``). The page answers the
    same whether or not they match. Throttle scopes ``access_recovery`` (per client) and
    ``access_recovery_number`` (per tracking number): 429 over either."""
    sent = False
    if request.method == "POST":
        form = site_forms.AccessRecoveryForm(request.POST)
        wait = recovery_wait(request, request.POST.get("tracking_number", ""), request.POST.get("contact", ""))
        if wait is not None:
            return too_many(request, wait)
        if form.is_valid():
            request_access(form.cleaned_data["tracking_number"], form.cleaned_data["contact"])
            sent = True
    else:
        form = site_forms.AccessRecoveryForm(initial={"tracking_number": request.GET.get("nomor", "")[:32]})
    form.annotate()
    status = 400 if form.is_bound and form.errors else 200
    return no_store(render(request, "layanan/site/recover_access.html", {"form": form, "sent": sent}, status=status))


@never_cache
@require_POST
def download_file(request, file_id: int):
    """``/layanan/cek-status/berkas/<id>/`` (POST tracking_number + token) — a file released to the applicant.
    404 for a wrong token or a file not released."""
    ticket, response = posted_ticket(request, "lookup")
    if response is not None:
        return response
    attachment = released_attachment(ticket, file_id)
    if attachment is None:
        raise Http404(gettext("Ticket not found, or the access token does not match."))
    return attachment_response(attachment, no_store=True)


@never_cache
@require_POST
def reply(request):
    """``/layanan/cek-status/balas/`` (POST tracking_number, token, text, attachments) — the applicant answers the
    body's question or completes the request (``workflow.applicant_reply``), then sees the status again with
    their reply in it. A wrong token is the same 404-like message as the lookup; any error keeps the text and
    stores nothing. Throttle scope ``submission``."""
    ticket, response = posted_ticket(request, "submission")
    if response is not None:
        return response
    number, token = request.POST.get("tracking_number", ""), request.POST.get("token", "")
    text = request.POST.get("text", "")
    error, status = "", 200
    try:
        ticket = applicant_reply(ticket, text, files=request.FILES.getlist("attachments"))
        text = ""
    except TransitionError as exc:
        error, status = " ".join(exc.errors.values()) or exc.message, 409 if isinstance(exc, ReplyNotAwaited) else 400
    form = site_forms.TicketLookupForm({"tracking_number": number, "token": token})
    form.is_valid()
    context = {
        "form": form,
        "data": for_display(public_ticket_data(ticket)),
        "ticket": ticket,
        "reply_error": error,
        "reply_text": text,
        "reply_sent": not error,
    }
    return no_store(render(request, "layanan/site/status.html", context, status=status))


def service_index(request):
    """``/layanan/`` — the list of online services with links to the forms and the status page."""
    return render(request, "layanan/site/index.html", {"services": SERVICES})


def wbs_redirect(request, target: str):
    """Old/alternative ``/layanan/wbs/…`` addresses → the WBS pages under ``/wbs/``."""
    return redirect(reverse(target), permanent=False)


__all__ = [
    "access_file",
    "check_status",
    "recover_access",
    "reply",
    "download_file",
    "lapor",
    "objection",
    "ppid_request",
    "service_index",
    "submitted",
    "throttle_wait",
    "wbs_access",
    "wbs_file",
    "wbs_report",
]


# --- whistleblowing (under /wbs/: scrubbed by the WBS privacy middleware; no session, no cookie but CSRF) --
def _wbs_render(request, template, context, status=200):
    """Render a WBS page, never cached. ``WbsPrivacyMiddleware`` scrubs the request and sets
    ``Referrer-Policy: same-origin`` on the response."""
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def wbs_report(request):
    """``/wbs/`` — the whistleblowing form (``wbs.submit_wbs_report``). On success the receipt code is shown in
    the POST answer itself (nothing in a session or cookie) — once; it is stored only as a hash."""
    if request.method == "POST":
        wait = throttle_wait(request, "submission")
        if wait is not None:
            return too_many(request, wait)
        form = site_forms.WbsReportForm(request.POST, request.FILES)
        submission = form.save()
        if submission is not None:
            context = {"submission": submission, "ticket": submission.ticket, "metadata_notice": METADATA_NOTICE}
            return _wbs_render(request, "layanan/site/wbs_submitted.html", context, status=201)
        status = 400
    else:
        form = site_forms.WbsReportForm()
        status = 200
    form.annotate()
    context = {
        "form": form,
        "limits": site_forms.upload_limits(),
        "metadata_notice": METADATA_NOTICE,
        "files_lost": _lost_files(request) if form.is_bound and form.errors else [],
    }
    return _wbs_render(request, "layanan/site/wbs_form.html", context, status=status)


def wbs_resolve(request, form):
    """``(ticket, None)`` for a valid code; ``(None, response)`` when throttled; ``(None, None)`` otherwise
    (the error is added to ``form``). Wrong codes count towards ``wbs_access``."""
    throttle = WbsAccessThrottle()
    if not throttle.allow_request(request, None):
        return None, too_many(request, math.ceil(throttle.wait() or 60))
    if not form.is_valid():
        return None, None
    try:
        ticket = wbs.resolve_reporter_access(code=form.cleaned_data.get("code"))
    except receipt.MalformedCode:
        form.add_error("code", str(MALFORMED_MESSAGE))
        return None, None
    if ticket is None:
        throttle.record_failure(request)
        form.add_error("code", str(NOT_FOUND_MESSAGE))
    return ticket, None


@never_cache
@require_http_methods(["GET", "POST"])
def wbs_access(request):
    """``/wbs/akses/`` — the reporter opens the report with the receipt code (POST, never in the URL): status,
    applicant-visible timeline, the two-way thread, and a form to answer (``wbs.add_reporter_message``)."""
    if request.method == "GET":
        form = site_forms.WbsAccessForm()
        form.annotate()
        return _wbs_render(request, "layanan/site/wbs_access.html", {"form": form})
    sending = "text" in request.POST or bool(request.FILES)
    key_form = site_forms.WbsAccessForm({"code": request.POST.get("code", "")})
    ticket, response = wbs_resolve(request, key_form)
    if response is not None:
        return response
    if ticket is None:
        key_form.annotate()
        return _wbs_render(request, "layanan/site/wbs_access.html", {"form": key_form}, status=400)
    code = key_form.cleaned_data["code"]
    message_form = site_forms.WbsMessageForm(initial={"code": code})
    sent = False
    status = 200
    if sending:
        # A reporter's messages count against the ``submission`` scope, as on the API (no thread flooding).
        wait = throttle_wait(request, "submission")
        if wait is not None:
            return too_many(request, wait)
        message_form = site_forms.WbsMessageForm(request.POST, request.FILES)
        if message_form.is_valid():
            try:
                wbs.add_reporter_message(
                    ticket, message_form.cleaned_data.get("text") or "", message_form.cleaned_data.get("files") or []
                )
                sent = True
                ticket.refresh_from_db()
                message_form = site_forms.WbsMessageForm(initial={"code": code})
            except DjangoValidationError as exc:
                message_form._add_errors(exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages})
        if not sent:
            status = 400
    message_form.annotate()
    context = {
        "data": wbs.reporter_view(ticket),
        "code": code,
        "message_form": message_form,
        "sent": sent,
        "files_lost": _lost_files(request) if sending and not sent else [],
        "limits": site_forms.upload_limits(),
    }
    return _wbs_render(request, "layanan/site/wbs_thread.html", context, status=status)


@never_cache
@require_POST
def wbs_file(request, file_id: int):
    """``/wbs/akses/berkas/<id>/`` (POST ``code``) — a file of the WBS thread; 404 otherwise."""
    form = site_forms.WbsAccessForm({"code": request.POST.get("code", "")})
    ticket, response = wbs_resolve(request, form)
    if response is not None:
        return response
    attachment = released_attachment(ticket, file_id)
    if attachment is None:
        raise Http404
    return attachment_response(attachment, no_store=True)
