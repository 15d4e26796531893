"""``/layanan/cek-status/nilai/``: the applicant rates a closed ticket from the status page (thin view over
``layanan.core.ratings.submit_rating``; the form is ``layanan.site.rating_form.RatingForm``)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from layanan.core.public import public_ticket_data
from layanan.core.ratings import RatingRefused
from layanan.site import forms as site_forms
from layanan.site.common import for_display, no_store, posted_ticket
from layanan.site.rating_form import RatingForm

__all__ = ["rate"]


@never_cache
@require_POST
def rate(request):
    """``/layanan/cek-status/nilai/`` (POST ``tracking_number``, ``token``, the nine scores, ``comment``) — the
    applicant rates the service on a closed ticket (PermenPANRB 14/2017), then sees the status again with a
    thank-you in place of the form; the rating is not offered again. A wrong token gets the lookup's 404
    message; a ticket that cannot be rated (not closed, rated already) answers 409 with the reason; a missing
    score answers 400 with the error summary and the choices kept. Nothing is stored on any error. Throttle
    scope ``submission``."""
    ticket, response = posted_ticket(request, "submission")
    if response is not None:
        return response
    number, token = request.POST.get("tracking_number", ""), request.POST.get("token", "")
    rating_form = RatingForm(request.POST)
    refused, status = "", 200
    try:
        rating = rating_form.save(ticket)
    except RatingRefused as exc:
        rating, refused, status = None, exc.message, 409
    if rating is None and not refused:
        status = 400
    lookup = site_forms.TicketLookupForm({"tracking_number": number, "token": token})
    lookup.is_valid()
    context = {
        "form": lookup,
        "data": for_display(public_ticket_data(ticket)),
        "ticket": ticket,
        "rating_form": rating_form,
        "rating_sent": rating is not None,
        "rating_refused": refused,
    }
    return no_store(render(request, "layanan/site/status.html", context, status=status))
