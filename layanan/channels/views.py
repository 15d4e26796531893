"""Webhook endpoints of Meta's platforms (issue 18), thin: the rules live in ``layanan.channels.meta``.

- ``GET/POST /api/v2/channels/whatsapp/webhook/``: WhatsApp Business Platform (Cloud API)
- ``GET/POST /api/v2/channels/meta/webhook/``: Messenger (``object: page``) and Instagram (``object: instagram``)

``GET``: Meta's subscription check (``hub.mode=subscribe``, ``hub.verify_token``, ``hub.challenge``) -> 200 with the
challenge as ``text/plain``, else 403. ``POST``: signed with ``X-Hub-Signature-256`` -> 200 ``{"ok": true}``;
unsigned, wrongly signed, no secret configured or channel disabled -> 403 and nothing stored; an error while
storing -> 500 (Meta delivers again; stored messages are recognised by their id). No session, no CSRF token: the
signature is the authentication.
"""

from __future__ import annotations

import logging

from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from layanan.channels import meta

__all__ = ["meta_webhook", "whatsapp_webhook"]

logger = logging.getLogger(__name__)


def _webhook(request, endpoint: str):
    if request.method == "GET":
        challenge = meta.verify_subscription(endpoint, request.GET)
        if challenge is None:
            return HttpResponseForbidden("forbidden", content_type="text/plain")
        return HttpResponse(challenge, content_type="text/plain")
    try:
        result = meta.handle_webhook(endpoint, request.body, request.headers.get("X-Hub-Signature-256", ""))
    except meta.WebhookRefused:
        logger.warning("channel webhook %s: refused (signature, secret or channel disabled)", endpoint)
        return HttpResponseForbidden("forbidden", content_type="text/plain")
    except Exception:  # recorded on the channel screen by handle_webhook; Meta delivers again
        logger.exception("channel webhook %s failed", endpoint)
        return JsonResponse({"ok": False}, status=500)
    return JsonResponse({"ok": True, "received": result.received, "statuses": result.statuses})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request):
    """WhatsApp Cloud API webhook (see the module docstring)."""
    return _webhook(request, "whatsapp")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def meta_webhook(request):
    """Messenger and Instagram webhook (see the module docstring)."""
    return _webhook(request, "meta")
