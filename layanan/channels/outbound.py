"""Answers leave through the channel the citizen used (issue 18).

The outbox tasks ``layanan.tasks.notify_received`` and ``notify_step`` call :func:`send_receipt` and
:func:`send_step`:

- a ticket whose citizen wrote from WhatsApp, Instagram or Messenger (``conversation.reply_route``) with that
  channel enabled: the notice is queued as an outgoing :class:`ChannelMessage` and sent by its own outbox task
  (``layanan.channels.tasks.deliver``: retried on its own when the Graph API is down, never re-sending the
  e-mails of the same step); the unit's e-mails of the step leave as before;
- otherwise by e-mail, with the threading headers of ``layanan.channels.email_out`` recorded as an outgoing
  envelope.

:func:`check_reply_window` is registered with ``layanan.core.workflow.register_reply_check``: an answer to a
WhatsApp citizen more than 24 hours after their last message is refused at the desk unless an approved template
is configured (WhatsApp Business Platform: free-form messages only inside the customer-service window).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from layanan.channels import conf, email_out
from layanan.channels.conversation import CHAT_KINDS, Route, normalise_peer, peer_key, reply_route, window_closes_at
from layanan.channels.models import ChannelAccount, ChannelKind, ChannelMessage
from layanan.core import notifications
from layanan.core.crypto import encrypt
from layanan.core.events import ANSWER_ACTIONS
from layanan.core.models.messages import Message
from layanan.core.outbox import enqueue
from layanan.core.workflow import TransitionError

__all__ = [
    "DELIVER_TASK",
    "check_reply_window",
    "chat_route",
    "queue_chat",
    "send_acknowledgement",
    "send_receipt",
    "send_step",
]

DELIVER_TASK = "layanan.channels.tasks.deliver"


def chat_route(ticket) -> Route | None:
    """:func:`~layanan.channels.conversation.reply_route` when that channel is enabled, else None."""
    route = reply_route(ticket)
    if route is None or route.kind not in CHAT_KINDS:
        return None
    if not ChannelAccount.objects.filter(kind=route.kind, enabled=True).exists():
        return None
    return route


def queue_chat(ticket, route: Route, text: str, *, message=None, purpose: str = "step") -> ChannelMessage:
    """Queue ``text`` to the citizen of ``ticket`` on ``route``: an outgoing envelope (``queued``; the text kept
    Fernet-encrypted until sent, as it may hold an access link) and its outbox task. In the caller's transaction.
    ``purpose``: ``receipt`` or ``step`` (a template message names it)."""
    envelope = ChannelMessage.objects.create(
        kind=route.kind,
        direction=ChannelMessage.Direction.OUT,
        ticket=ticket,
        message=message,
        peer=normalise_peer(route.kind, route.peer),
        peer_key=peer_key(route.kind, route.peer),
        status=ChannelMessage.Status.QUEUED,
        data={"text_sealed": encrypt(text), "purpose": purpose},
    )
    enqueue(DELIVER_TASK, envelope.pk)
    return envelope


def _chat_text(template: str, context: dict) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(template, context).strip()


def send_receipt(ticket, access_token: str | None) -> int:
    """The receipt of a new ticket: by chat when the citizen came by chat (tracking number, due date and the
    one-click status link — the access token goes only to the citizen's own number or account), and by e-mail when
    they gave an address. Returns the notices sent or queued."""
    sent = 0
    route = chat_route(ticket)
    if route is not None:
        context = {
            "ticket": ticket,
            "organisation": notifications.organisation_name(),
            "service_label": ticket.get_service_display(),
            "due_date": formats.date_format(ticket.due_date, "j F Y") if ticket.due_date else "-",
            "status_link": notifications.status_link(ticket, access_token),
        }
        queue_chat(ticket, route, _chat_text("layanan/channels/receipt.txt", context), purpose="receipt")
        sent += 1
    if ticket.applicant_email:
        headers = email_out.thread_headers(ticket)
        if headers:
            email_out.record_sent(ticket, headers, to=ticket.applicant_email, subject="receipt")
        sent += notifications.send_receipt(ticket, access_token, headers=headers)
    return sent


#: At most one acknowledgement per sender and channel in this many hours (a forged sender gets no flood).
ACKNOWLEDGE_EVERY_HOURS = 24


def send_acknowledgement(ticket, kind: str, peer: str) -> int:
    """Tell the sender of a message that started a triage item (``ticket``, service ``social``) that it arrived and
    by when an officer registers it — by chat when it came by chat, by e-mail (threaded, ``Auto-Submitted``) when it
    came by e-mail. At most one per sender and channel every :data:`ACKNOWLEDGE_EVERY_HOURS` hours; never for a
    channel that is disabled. Returns the notices sent or queued."""
    if not ChannelAccount.objects.filter(kind=kind, enabled=True).exists():
        return 0
    since = timezone.now() - timedelta(hours=ACKNOWLEDGE_EVERY_HOURS)
    already = ChannelMessage.objects.filter(
        kind=kind, direction=ChannelMessage.Direction.OUT, peer_key=peer_key(kind, peer), at__gte=since
    ).filter(data__purpose="acknowledgement")
    if already.exists():
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        due_date = formats.date_format(ticket.due_date, "j F Y") if ticket.due_date else "-"
    if kind in CHAT_KINDS:
        context = {"organisation": notifications.organisation_name(), "number": ticket.tracking_number}
        text = _chat_text("layanan/channels/acknowledgement.txt", context | {"due_date": due_date})
        queue_chat(ticket, Route(kind, peer), text, purpose="acknowledgement")
        return 1
    headers = email_out.thread_headers(ticket)
    if not headers or not ticket.applicant_email:
        return 0
    envelope = email_out.record_sent(ticket, headers, to=ticket.applicant_email, subject="acknowledgement")
    envelope.data["purpose"] = "acknowledgement"
    envelope.save(update_fields=["data"])
    return notifications.send_acknowledgement(ticket, headers=headers)


def _answers_applicant(entry) -> bool:
    return entry.visible_to_applicant and entry.actor_kind != "applicant"


def send_step(entry) -> int:
    """Notices of timeline entry ``entry`` (see the module docstring). Returns the notices sent or queued."""
    ticket = entry.ticket
    message = Message.objects.filter(event=entry).first()
    route = chat_route(ticket) if _answers_applicant(entry) else None
    if route is not None:
        context = {
            "ticket": ticket,
            "entry": entry,
            "action_label": entry.action_label,
            "status_label": ticket.status_label,
            "status_url": notifications.status_url(ticket),
            "organisation": notifications.organisation_name(),
        }
        queue_chat(ticket, route, _chat_text("layanan/channels/step.txt", context), message=message)
        return 1 + notifications.send_step(entry, applicant=False)
    headers = None
    if _answers_applicant(entry) and ticket.applicant_email:
        headers = email_out.thread_headers(ticket)
        if headers:
            email_out.record_sent(ticket, headers, message=message, to=ticket.applicant_email, subject=entry.action)
    return notifications.send_step(entry, applicant_headers=headers)


def check_reply_window(ticket, transition, cleaned: dict) -> None:
    """Refuse (``TransitionError``) an answer the citizen cannot receive: a step that writes to the applicant
    (visible, in ``ANSWER_ACTIONS``) of a ticket answered through WhatsApp, more than 24 hours after the citizen's
    last message, when no approved template (``PESAN_WHATSAPP_TEMPLATE``) is configured. The message says when the
    window closed and what to do instead."""
    if not transition.visible_to_applicant or transition.action not in ANSWER_ACTIONS:
        return
    route = chat_route(ticket)
    if route is None or route.kind != ChannelKind.WHATSAPP:
        return
    closes = window_closes_at(route.kind, route.peer)
    if closes is None or closes > timezone.now():
        return
    if conf.credentials(ChannelKind.WHATSAPP).get("PESAN_WHATSAPP_TEMPLATE"):
        return  # sent as the approved template (layanan.channels.meta)
    raise TransitionError(
        gettext(
            "This applicant wrote by WhatsApp, and WhatsApp accepts free-form messages only within 24 hours of "
            "their last message (the window closed on %(closed)s). Configure an approved message template on the "
            "WhatsApp channel screen, or reach the applicant another way (telephone, e-mail, letter) and record it "
            "as an internal note."
        )
        % {"closed": formats.date_format(timezone.localtime(closes), "j F Y H.i")}
    )
