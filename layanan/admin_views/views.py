"""Operator-desk views outside modeladmin's generic ones: workflow actions, registration of submissions
received at the desk, and attachment downloads. Every ticket is looked up through ``tickets_visible_to``:
a ticket of another unit is "not found" (404), also by URL."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import intake
from ..access import SERVICE_PERMISSIONS, tickets_visible_to
from ..models import Attachment, Service
from ..workflow import TransitionError, apply_transition, available_transitions, machine_for
from .forms import REGISTER_FORMS, action_form_class

PROXY_MODEL_NAMES = {
    "ppid_request": "ppidrequestticket",
    "objection": "objectionticket",
    "lapor": "laporticket",
}

SUBMIT = {
    "ppid_request": intake.submit_ppid_request,
    "objection": intake.submit_objection,
    "lapor": intake.submit_lapor_report,
}


def inspect_url(ticket) -> str:
    """Admin URL of the ticket's inspect view (its service's list)."""
    name = PROXY_MODEL_NAMES.get(ticket.service)
    if name is None:
        raise Http404
    return reverse(f"layanan_{name}_modeladmin_inspect", args=[ticket.pk])


def index_url(service: str) -> str:
    return reverse(f"layanan_{PROXY_MODEL_NAMES[service]}_modeladmin_index")


def ticket_action(request, pk: int, action: str):
    """GET: the small form of ``action`` on ticket ``pk``; POST: ``apply_transition`` and back to the ticket."""
    ticket = get_object_or_404(tickets_visible_to(request.user), pk=pk)
    transition = machine_for(ticket.service).transition(action)
    if transition is None:
        raise Http404
    if transition not in available_transitions(ticket, request.user):
        messages.error(
            request,
            _("The action “%(action)s” is not available for this ticket now.") % {"action": transition.label},
        )
        return redirect(inspect_url(ticket))
    form_class = action_form_class(transition, ticket)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("files", None) or []
        try:
            apply_transition(ticket, action, request.user, files=files, **data)
        except TransitionError as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
            if not exc.errors:
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("%(action)s: done.") % {"action": transition.label})
            return redirect(inspect_url(ticket))
    return TemplateResponse(
        request,
        "layanan/desk/action_form.html",
        {"ticket": ticket, "transition": transition, "form": form, "back_url": inspect_url(ticket)},
    )


def can_register(user, service: str) -> bool:
    """Officers with ``register_submission`` and a service-wide permission for ``service``."""
    return user.has_perm("layanan.register_submission") and any(
        user.has_perm(f"layanan.{p}") for p in SERVICE_PERMISSIONS.get(service, ())
    )


def register_ticket(request, service: str):
    """Register a walk-in / phone / post / e-mail submission through the same intake function as the API.

    On success shows the tracking number and the access token ONCE, to hand to the applicant.
    """
    if service not in REGISTER_FORMS:
        raise Http404
    if not can_register(request.user, service):
        raise PermissionDenied
    form = REGISTER_FORMS[service](request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("attachments", None) or []
        channel = data.pop("channel")
        try:
            submission = SUBMIT[service](data, files=files, channel=channel, registered_by=request.user)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            for field, messages_ in errors.items():
                for message in messages_:
                    form.add_error(field if field in form.fields else None, message)
        else:
            return TemplateResponse(
                request,
                "layanan/desk/register_done.html",
                {
                    "submission": submission,
                    "ticket": submission.ticket,
                    "inspect_url": inspect_url(submission.ticket),
                    "service_label": Service(service).label,
                },
            )
    return TemplateResponse(
        request,
        "layanan/desk/register_form.html",
        {"form": form, "service_label": Service(service).label, "back_url": index_url(service)},
    )


def attachment_download(request, pk: int):
    """Download an attachment of a ticket the officer may see (404 otherwise)."""
    attachment = get_object_or_404(
        Attachment.objects.filter(ticket__in=tickets_visible_to(request.user)).select_related("ticket"), pk=pk
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
