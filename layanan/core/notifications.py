"""E-mail notifications of the desk (templates in ``templates/layanan/email/``), in ``settings.LANGUAGE_CODE``
(Indonesian by default): every subject and body goes through gettext and is rendered under
``translation.override(settings.LANGUAGE_CODE)`` — never in the language of the request that triggered it.

- :func:`send_receipt` — to the applicant on receipt: tracking number, due date with its explanation, how
  to follow the ticket. **Decision:** the access token is repeated in this one e-mail, and only to the address
  the applicant typed (losing the token would otherwise lock them out; the address is theirs). The queued
  task carries the token Fernet-sealed with a time-to-live (``layanan.core.crypto.seal_transient``), so neither
  the task table nor a later re-run reveals it. ``PESAN_EMAIL_ACCESS_TOKEN = False`` turns this off.
- :func:`send_step` — to the applicant on each applicant-visible step, and to the unit's e-mail on a
  disposition (without the identity of an *anonim* LAPOR reporter). NIK is never in any e-mail. WBS reports
  (and reports transferred from WBS) get only the content-free notice of ``layanan.wbs.services.send_reporter_notice``,
  and only when the reporter chose to leave an address.
- :func:`send_digest` — the daily digest of overdue and due-soon tickets (``PESAN_DUE_SOON_WD`` working days)
  to the officers who handle each service (by permission) and to each unit's e-mail for its tickets.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import NoReverseMatch
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from home.models import OrganisationSettings
from layanan.calendar.workdays import add_working_days
from layanan.core import conf as desk_conf
from layanan.core import registry
from layanan.core.access import applicant_identity_visible, service_permissions
from layanan.core.links import inspect_url
from layanan.core.models.reminders import ReminderLog
from layanan.core.models.tickets import Ticket
from layanan.core.ratings import OPEN, rating_state
from layanan.core.workflow import open_statuses_q

logger = logging.getLogger(__name__)

__all__ = [
    "digest_tickets",
    "officers_for",
    "organisation_name",
    "send_digest",
    "send_access_link",
    "send_acknowledgement",
    "status_link",
    "send_receipt",
    "send_step",
    "status_url",
]


def organisation_name() -> str:
    """Name of the public body (site settings of the default site), or ``WAGTAIL_SITE_NAME``."""
    try:
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first()
        if site is not None:
            return OrganisationSettings.for_site(site).name
    except Exception:  # noqa: BLE001 - the name is cosmetic; never fail an e-mail over it
        logger.debug("organisation name unavailable", exc_info=True)
    return getattr(settings, "WAGTAIL_SITE_NAME", "PESAN")


def status_url(ticket) -> str:
    """Where the applicant follows ``ticket`` (``PESAN_STATUS_URL`` with ``{tracking_number}``)."""
    return desk_conf.public_status_url_template().format(tracking_number=ticket.tracking_number)


def _date(value: date | None) -> str:
    return formats.date_format(value, "l, j F Y") if value else "-"


def _send(subject: str, template: str, context: dict, to: list[str], headers: dict | None = None) -> int:
    """Render ``template`` and send it to ``to``. ``headers``: extra headers (``Message-ID``, ``In-Reply-To``,
    ``References``, ``Reply-To``: the threading of ``layanan.channels.email_out``). A ``Reply-To`` (the body's
    mailbox, read by ``layanan.channels.email_in``) sets ``replies_read`` in the template context: the e-mail then
    invites a reply instead of saying "do not reply"."""
    to = [addr for addr in dict.fromkeys(to) if addr]
    if not to:
        return 0
    headers = dict(headers or {})
    context = context | {"replies_read": bool(headers.get("Reply-To"))}
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, context)
    reply_to = [headers.pop("Reply-To")] if headers.get("Reply-To") else None
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to, reply_to=reply_to, headers=headers
    )
    return message.send()


def _base_context(ticket) -> dict:
    return {
        "ticket": ticket,
        "organisation": organisation_name(),
        "service_label": ticket.get_service_display(),
        "status_label": ticket.status_label,
        "due_date": _date(ticket.due_date),
        "status_url": status_url(ticket),
    }


def send_receipt(ticket, access_token: str | None = None, *, headers: dict | None = None) -> int:
    """Receipt e-mail to the applicant (if they gave an address). ``headers``: extra e-mail headers (threading).
    Returns the number of e-mails sent."""
    if not ticket.applicant_email:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        token = access_token if desk_conf.send_token_by_email() else None
        context = _base_context(ticket) | {
            "access_token": token,
            # one click: the token in the fragment, read by the page's script, never sent to the server
            "status_link": status_link(ticket, token),
            "explanation": ticket.deadline_explanation,
            "received_at": formats.date_format(timezone.localtime(ticket.received_at), "j F Y H.i"),
        }
        subject = _("[%(organisation)s] %(service)s received: %(number)s") % {
            "organisation": context["organisation"],
            "service": ticket.get_service_display(),
            "number": ticket.tracking_number,
        }
    return _send(subject, "layanan/email/received.txt", context, [ticket.applicant_email], headers)


def send_acknowledgement(ticket, *, headers: dict | None = None) -> int:
    """Acknowledge a message that reached the triage queue by e-mail (``layanan.channels``): received when, its
    reference, by when an officer registers it (the triage due date). Marked ``Auto-Submitted: auto-replied``
    (RFC 3834) so other automatic responders do not answer it. Returns the e-mails sent (0 without an address)."""
    if not ticket.applicant_email:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = _base_context(ticket) | {
            "number": ticket.tracking_number,
            "received_at": formats.date_format(timezone.localtime(ticket.received_at), "j F Y H.i"),
        }
        subject = _("[%(organisation)s] Message received: %(number)s") % {
            "organisation": context["organisation"],
            "number": ticket.tracking_number,
        }
    headers = {**(headers or {}), "Auto-Submitted": "auto-replied"}
    return _send(subject, "layanan/email/acknowledgement.txt", context, [ticket.applicant_email], headers)


def status_link(ticket, token: str | None) -> str:
    """The one-click status link: the status page with the tracking number, and the token in the URL fragment
    (``#token=…``: read by the page's script, never sent to the server, so never in its logs)."""
    return status_url(ticket) + (f"#token={quote(token, safe='')}" if token else "")


def send_access_link(ticket, access_token: str) -> int:
    """ "Forgot my access" (``layanan.core.recovery``): the new one-click link to the e-mail address on file.
    Raises what the mail backend raises (the caller's transaction then keeps the old token). Returns the number
    of e-mails sent."""
    if not ticket.applicant_email:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        context = _base_context(ticket) | {"status_link": status_link(ticket, access_token)}
        subject = _("[%(organisation)s] New access link for %(number)s") % {
            "organisation": context["organisation"],
            "number": ticket.tracking_number,
        }
    return _send(subject, "layanan/email/access_recovery.txt", context, [ticket.applicant_email])


def send_step(entry, *, applicant: bool = True, applicant_headers: dict | None = None) -> int:
    """Tell the applicant about an applicant-visible timeline entry, and the unit about a disposition.

    ``applicant`` False: the unit only (the applicant is answered through a chat channel, ``layanan.channels``);
    ``applicant_headers``: extra headers of the applicant's e-mail (threading). Returns the e-mails sent."""
    ticket = entry.ticket
    own_notice = registry.get(ticket.service).notify_step
    if own_notice is not None:
        return own_notice(entry)  # e.g. WBS: a content-free notice, only to an address the reporter chose to leave
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        context = _base_context(ticket) | {
            "entry": entry,
            "action_label": entry.action_label,
            "public_files": list(entry.attachments.filter(visible_to_applicant=True)),
            "rating_invited": _rating_invited(ticket, entry),
        }
        if entry.actor_kind == "applicant":
            return _send_reply_notice(ticket, entry, context)
        if not applicant:
            pass
        elif entry.visible_to_applicant and ticket.applicant_email:
            subject = _("[%(organisation)s] %(number)s: %(step)s") % {
                "organisation": context["organisation"],
                "number": ticket.tracking_number,
                "step": entry.action_label,
            }
            sent += _send(subject, "layanan/email/step.txt", context, [ticket.applicant_email], applicant_headers)
        elif entry.visible_to_applicant and ticket.origin_id:
            # a ticket transferred from another service (WBS → LAPOR): that service tells its reporter its own way
            notify_transferred = registry.get(ticket.origin.service).notify_transferred
            if notify_transferred is not None:
                sent += notify_transferred(ticket, "update")
        transition = ticket.machine.transition(entry.action)
        if transition is not None and transition.notify_unit and ticket.unit_id and ticket.unit.email:
            hide_identity = not applicant_identity_visible(ticket, None)
            unit_context = context | {
                "hide_identity": hide_identity,
                "admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + _admin_path(ticket),
            }
            subject = _("[%(organisation)s] Disposition %(number)s: %(subject)s") % {
                "organisation": context["organisation"],
                "number": ticket.tracking_number,
                "subject": ticket.subject[:80],
            }
            sent += _send(subject, "layanan/email/disposition.txt", unit_context, [ticket.unit.email])
    return sent


def _rating_invited(ticket, entry) -> bool:
    """The step closed ``ticket`` (led into a final state of its machine) and its applicant may rate it now
    (``layanan.core.ratings``): the closing notice invites them to rate the service on the status page."""
    if not entry.to_status or entry.to_status == entry.from_status:
        return False
    return ticket.machine.state(entry.to_status).final and rating_state(ticket) == OPEN


def _send_reply_notice(ticket, entry, context) -> int:
    """The applicant answered (``workflow.applicant_reply``): tell the unit the ticket is disposed to, else the
    officers of the service — never the applicant about their own reply. Content-free: the reply is read in
    the desk."""
    recipients = [ticket.unit.email] if ticket.unit_id and ticket.unit.email else []
    if not recipients:
        recipients = list(officers_for(ticket.service).values_list("email", flat=True))
    if not recipients:
        return 0
    reply_context = context | {"admin_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + _admin_path(ticket)}
    subject = _("[%(organisation)s] %(number)s: the applicant replied") % {
        "organisation": context["organisation"],
        "number": ticket.tracking_number,
    }
    return _send(subject, "layanan/email/applicant_reply.txt", reply_context, recipients)


def _admin_path(ticket) -> str:
    try:
        return inspect_url(ticket)
    except (Http404, NoReverseMatch):  # a link is a convenience
        return "/admin/"


def digest_tickets(today: date | None = None):
    """Open tickets (clock running) overdue or due within ``PESAN_DUE_SOON_WD`` working days of ``today``."""

    today = today or timezone.localdate()
    horizon = add_working_days(today, desk_conf.due_soon_working_days()).due_date
    return (
        Ticket.objects.filter(open_statuses_q(), due_date__lte=horizon)
        .select_related("unit")
        .order_by("due_date", "tracking_number")
    )


def officers_for(service: str):
    """Active officers with an e-mail address holding a desk permission of ``service`` through their own or their
    groups' permissions (explicitly: being superuser is not enough) — who hears of a service's tickets."""
    codenames = service_permissions().get(service, ())
    if not codenames:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            Q(groups__permissions__codename__in=codenames, groups__permissions__content_type__app_label="layanan")
            | Q(user_permissions__codename__in=codenames, user_permissions__content_type__app_label="layanan")
        )
        .distinct()
    )


def _digest_line(ticket, today: date) -> dict:
    remaining = ticket.remaining_working_days(today)
    return {
        "ticket": ticket,
        "urgency": ticket.urgency(today),
        "remaining": remaining,
        "days": abs(remaining or 0),  # working days late (remaining < 0) or left, for the plural forms
        "due_date": _date(ticket.due_date),
        "status_label": ticket.status_label,
        "service_label": ticket.get_service_display(),
    }


def send_digest(today: date | None = None) -> int:
    """Send the daily digest for ``today`` (WIB date, default the current one); returns the e-mails sent (none
    when nothing is overdue or due soon).

    Idempotent per (day, recipient): each e-mail is sent inside a transaction that first claims its
    ``ReminderLog`` row (unique on kind, day, recipient), so running the digest again for the same day — a
    django-q2 retry, a catch-up after the worker was stopped, a second cluster — sends nothing twice. A failed
    send rolls its claim back and raises (the task fails and django-q2 retries it; addresses already served
    are skipped). After a stopped worker the schedule (``catch_up=False``) runs once: one digest for the day
    it runs, listing what is overdue now — not one per missed day.
    """
    today = today or timezone.localdate()
    tickets = list(digest_tickets(today))
    if not tickets:
        return 0
    per_recipient: dict[str, list] = defaultdict(list)
    services = {t.service for t in tickets}
    for service in services:
        for user in officers_for(service):
            per_recipient[user.email].extend(t for t in tickets if t.service == service)
    for ticket in tickets:
        if ticket.unit_id and ticket.unit.email:
            per_recipient[ticket.unit.email].append(ticket)
    sent = 0
    connection = get_connection()
    with translation.override(settings.LANGUAGE_CODE):
        organisation = organisation_name()
        for address, rows in sorted(per_recipient.items()):
            rows = sorted(dict.fromkeys(rows), key=lambda t: (t.due_date, t.tracking_number))
            lines = [_digest_line(t, today) for t in rows]
            overdue = sum(1 for line in lines if line["urgency"] == "overdue")
            body = render_to_string(
                "layanan/email/digest.txt",
                {
                    "organisation": organisation,
                    "today": _date(today),
                    "lines": lines,
                    "overdue": overdue,
                    "due_soon_days": desk_conf.due_soon_working_days(),
                },
            )
            subject = ngettext(
                "[%(organisation)s] Daily summary %(date)s: %(overdue)d overdue, %(count)d ticket",
                "[%(organisation)s] Daily summary %(date)s: %(overdue)d overdue, %(count)d tickets",
                len(lines),
            ) % {"organisation": organisation, "date": _date(today), "overdue": overdue, "count": len(lines)}
            with transaction.atomic():
                _log, claimed = ReminderLog.objects.get_or_create(
                    kind=ReminderLog.Kind.DIGEST, day=today, recipient=address, defaults={"tickets": len(lines)}
                )
                if not claimed:
                    continue  # already sent for this day
                message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address], connection=connection)
                sent += message.send()
    return sent
