"""What the site's views share: the 429 page, ``no-store``, dates for display, and the ticket a POSTed tracking
number + access token opens (the status page's forms: files, reply, receipt, rating)."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext

from layanan.core.public import find_ticket_for_token
from pesan_cms.throttling import throttle_wait, try_again_text

__all__ = ["for_display", "no_store", "posted_ticket", "too_many"]


def too_many(request, wait: int):
    """The 429 page ("try again in N minutes" or hours: ``pesan_cms.throttling.try_again_text``) with
    ``Retry-After`` (``wait``, seconds)."""
    response = render(request, "layanan/site/too_many.html", {"try_again": try_again_text(wait)}, status=429)
    response["Retry-After"] = str(wait)
    return response


def no_store(response):
    """``Cache-Control: no-store`` on ``response`` (pages with a token, a ticket or a form with errors)."""
    response["Cache-Control"] = "no-store"
    return response


def for_display(data: dict) -> dict:
    """ISO date strings of the public data as dates, so templates format them in the page's language."""
    details = data.get("details") or {}
    for key in ("komisi_informasi_deadline", "incident_date"):
        if isinstance(details.get(key), str):
            details[key] = datetime.date.fromisoformat(details[key])
    return data


def posted_ticket(request, scope: str):
    """``(ticket, None)`` for the ``tracking_number`` and ``token`` POSTed with the request; ``(None, 429
    response)`` when the client is over the throttle ``scope``. Raises ``Http404`` (the lookup's message) for an
    unknown number or a wrong token."""
    wait = throttle_wait(request, scope)
    if wait is not None:
        return None, too_many(request, wait)
    ticket = find_ticket_for_token(request.POST.get("tracking_number", ""), request.POST.get("token", ""))
    if ticket is None:
        raise Http404(gettext("Ticket not found, or the access token does not match."))
    return ticket, None
