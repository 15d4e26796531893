"""Operator-desk views outside modeladmin's generic ones: workflow actions, registration of submissions
received at the desk, and attachment downloads. Every ticket is looked up through ``tickets_visible_to``:
a ticket of another unit is "not found" (404), also by URL."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from layanan.core import registry
from layanan.core.access import (
    has_desk_perm,
    may_manage_connectors,
    record_confidential_access,
    service_permissions,
    tickets_visible_to,
)
from layanan.core.links import index_url, inspect_url
from layanan.core.models.tickets import Attachment
from layanan.core.public import attachment_response
from layanan.core.workflow import (
    TransitionConflict,
    TransitionError,
    apply_transition,
    available_transitions,
    machine_for,
)
from layanan.desk.forms import action_form_class
from layanan.social.models import SocialConnector
from layanan.social.services import create_connector, renew_token


def ticket_action(request, pk: int, action: str):
    """GET: the small form of ``action`` on ticket ``pk``; POST: ``apply_transition`` and back to the ticket."""
    ticket = get_object_or_404(tickets_visible_to(request.user), pk=pk)
    transition = machine_for(ticket.service).transition(action)
    if transition is None:
        raise Http404
    form_class = action_form_class(transition, ticket)
    if request.method == "POST" and ticket.status not in transition.sources:
        # Another officer moved the ticket since this form was shown: 409 with the status it is in now.
        form = form_class(request.POST, request.FILES)
        form.is_valid()  # bound and cleaned, so the error can be added and the officer's input is kept
        form.add_error(
            None,
            _("The action “%(action)s” is not possible while the ticket is “%(status)s”.")
            % {"action": transition.label, "status": ticket.status_label},
        )
        return _conflict(request, ticket, transition, form)
    if transition not in available_transitions(ticket, request.user):
        messages.error(
            request,
            _("The action “%(action)s” is not available for this ticket now.") % {"action": transition.label},
        )
        return redirect(inspect_url(ticket))
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("files", None) or []
        try:
            updated = apply_transition(ticket, action, request.user, files=files, **data)
        except TransitionError as exc:
            for field, message in exc.errors.items():
                form.add_error(field if field in form.fields else None, message)
            if not exc.errors:
                form.add_error(None, exc.message)
            if isinstance(exc, TransitionConflict):  # lost a race with another officer
                return _conflict(request, ticket, transition, form)
        else:
            submission = getattr(updated, "transition_result", {}).get("_submission")
            if submission is not None:
                # A triage created a ticket: its access token / receipt code is shown now, once.
                return _credential_page(request, submission, back_url=inspect_url(ticket))
            messages.success(request, _("%(action)s: done.") % {"action": transition.label})
            disposed = any(spec.name == "unit" for spec in transition.inputs)
            if disposed and updated.unit is not None and not updated.unit.email:
                messages.warning(
                    request,
                    _(
                        "The unit %(unit)s has no e-mail address: no disposition notice was sent. Tell the unit "
                        "another way, and add its address under Work units."
                    )
                    % {"unit": updated.unit.name},
                )
            return redirect(inspect_url(ticket))
    return TemplateResponse(
        request,
        "layanan/desk/action_form.html",
        {"ticket": ticket, "transition": transition, "form": form, "back_url": inspect_url(ticket)},
    )


def _conflict(request, ticket, transition, form):
    """The action form with its error, answered 409 Conflict (the ticket's status no longer allows the action)."""
    context = {"ticket": ticket, "transition": transition, "form": form, "back_url": inspect_url(ticket)}
    return TemplateResponse(request, "layanan/desk/action_form.html", context, status=409)


def _credential_page(request, submission, back_url):
    ticket = submission.ticket
    return TemplateResponse(
        request,
        "layanan/desk/register_done.html",
        {
            "submission": submission,
            "ticket": ticket,
            "inspect_url": back_url,
            "service_label": registry.get(ticket.service).label,
            "is_wbs": ticket.service == "wbs",
            "created_from": True,
        },
    )


def can_register(user, service: str) -> bool:
    """Officers with ``register_submission`` and a service-wide permission for ``service`` (restricted
    permissions such as ``handle_wbs`` only when held explicitly)."""
    return user.has_perm("layanan.register_submission") and any(
        has_desk_perm(user, p) for p in service_permissions().get(service, ())
    )


def register_ticket(request, service: str):
    """Register a walk-in / phone / post / e-mail submission through the same intake function as the API.

    On success shows the tracking number and the access token ONCE, to hand to the applicant.
    """
    definition = registry.find(service)
    form_class = definition.register_form if definition is not None else None
    if form_class is None:
        raise Http404
    if not can_register(request.user, service):
        raise PermissionDenied
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        files = data.pop("attachments", None) or []
        channel = data.pop("channel", "social_media")
        try:
            submission = registry.get(service).submit(data, files=files, channel=channel, registered_by=request.user)
            if service == "social":
                messages.success(
                    request, _("Message recorded: %(number)s.") % {"number": submission.ticket.tracking_number}
                )
                return redirect(inspect_url(submission.ticket))
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
                    "service_label": registry.get(service).label,
                    "is_wbs": service == "wbs",
                },
            )
    return TemplateResponse(
        request,
        "layanan/desk/register_form.html",
        {"form": form, "service_label": registry.get(service).label, "back_url": index_url(service)},
    )


def attachment_download(request, pk: int):
    """Download an attachment of a ticket the officer may see (404 otherwise)."""
    attachment = get_object_or_404(
        Attachment.objects.filter(ticket__in=tickets_visible_to(request.user)).select_related("ticket"), pk=pk
    )
    record_confidential_access(attachment.ticket, request.user, "file_downloaded", {"attachment": attachment.pk})
    return attachment_response(attachment)


# --- social-media connectors: the token is shown once -----------------------------------------------------------
def connector_create(request, model_admin):
    """Create a ``SocialConnector`` (name, platform, official account) and show its token once."""
    from django import forms

    if not model_admin.permission_helper.user_can_create(request.user):
        raise PermissionDenied

    class ConnectorForm(forms.ModelForm):
        class Meta:
            model = SocialConnector
            fields = ["name", "platform", "account_handle", "active"]

    form = ConnectorForm(request.POST or None)
    back_url = model_admin.url_helper.index_url
    if request.method == "POST" and form.is_valid():
        connector, token = create_connector(
            name=form.cleaned_data["name"],
            platform=form.cleaned_data["platform"],
            account_handle=form.cleaned_data["account_handle"],
            created_by=request.user,
        )
        if not form.cleaned_data["active"]:
            connector.active = False
            connector.save(update_fields=["active"])
        return TemplateResponse(
            request, "layanan/desk/connector_token.html", {"connector": connector, "token": token, "back_url": back_url}
        )
    return TemplateResponse(
        request,
        "layanan/desk/register_form.html",
        {"form": form, "service_label": SocialConnector._meta.verbose_name, "back_url": back_url, "is_connector": True},
    )


def connector_renew_token(request, pk: int):
    """POST: give the connector a new token (shown once); GET: confirmation."""

    if not may_manage_connectors(request.user):
        raise PermissionDenied
    connector = get_object_or_404(SocialConnector, pk=pk)
    back_url = reverse("layanan_socialconnector_modeladmin_index")
    if request.method == "POST":
        token = renew_token(connector)
        return TemplateResponse(
            request, "layanan/desk/connector_token.html", {"connector": connector, "token": token, "back_url": back_url}
        )
    return TemplateResponse(
        request, "layanan/desk/connector_renew.html", {"connector": connector, "back_url": back_url}
    )
