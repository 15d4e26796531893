"""Channels (issue 18): the mailbox, WhatsApp, Instagram and Messenger accounts, and every message that went in
or out through them.

- :class:`ChannelAccount` — one row per channel kind (created by ``layanan.channels.accounts.ensure_accounts``):
  enabled or not, the public address (mailbox address, WhatsApp phone-number id, page or Instagram account id),
  credentials entered in the admin (encrypted at rest; the environment is the other source, see
  ``layanan.channels.conf``), and the health the "Kanal" screen shows: last poll, last webhook, last success,
  last error.
- :class:`ChannelMessage` — one message through a channel, in or out: its id on the channel (an e-mail's
  ``Message-ID``, a WhatsApp ``wamid``, a Messenger ``mid``; unique per kind and direction, so the same message
  delivered twice is stored once), the ticket it belongs to, the desk's ``Message`` it carries, who is on the other
  side (``peer``; ``peer_key`` a keyed hash used for lookups), its delivery status (sent, delivered, read,
  failed) or why it was ignored (an auto-reply, a bounce, our own echo).

The correspondence itself (text, files) is the ticket's ``Message`` and attachments; a ``ChannelMessage`` is the
envelope. For a ticket that moved to WBS the envelope keeps no address (``peer`` emptied, see
``layanan.channels.conversation.forget_peer``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.core.crypto import EncryptedTextField
from layanan.core.models.messages import Message
from layanan.core.models.tickets import Ticket

__all__ = ["ChannelAccount", "ChannelKind", "ChannelMessage"]


class ChannelKind(models.TextChoices):
    """The channels PESAN reads and answers itself (the generic connector covers the others)."""

    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", "WhatsApp"
    INSTAGRAM = "instagram", "Instagram"
    MESSENGER = "messenger", "Facebook Messenger"


class ChannelAccount(models.Model):
    """The body's account on one channel (one row per ``kind``).

    ``address``: the public side — the mailbox address for e-mail, the phone-number id for WhatsApp, the page id
    for Messenger, the Instagram account id. ``credentials_sealed``: JSON object of credentials entered in the
    admin, Fernet-encrypted at rest; each one overrides the environment variable of the same name
    (``layanan.channels.conf.credentials``), so rotating a secret needs no deploy. Health (UTC):
    ``last_poll_at`` (mailbox poll), ``last_webhook_at`` (a signed webhook arrived), ``last_success_at``,
    ``last_error`` with ``last_error_at`` (cleared by the next success).
    """

    kind = models.CharField(_("channel"), max_length=16, choices=ChannelKind.choices, unique=True)
    enabled = models.BooleanField(_("enabled"), default=False)
    address = models.CharField(
        _("address or account id"),
        max_length=254,
        blank=True,
        help_text=_("Mailbox address, WhatsApp phone-number id, Facebook page id or Instagram id."),
    )
    credentials_sealed = EncryptedTextField(_("credentials (encrypted)"), blank=True, editable=False)
    last_poll_at = models.DateTimeField(_("last poll"), null=True, blank=True, editable=False)
    last_webhook_at = models.DateTimeField(_("last webhook"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self) -> str:
        return self.get_kind_display()


class ChannelMessage(models.Model):
    """One message through a channel (see the module docstring).

    ``direction``: ``in`` (from the citizen) or ``out`` (from the body). ``external_id``: the channel's id of
    the message (may be empty for an outgoing message the channel refused). ``status``: ``received``,
    ``ignored`` (with ``reason``), ``queued`` (an outgoing message waiting for the outbox), ``sent``,
    ``delivered``, ``read``, ``failed`` (with ``error``).
    ``at``: when it reached us or left (UTC); ``status_at``: the last status change. ``data``: channel details
    kept for the desk (e-mail subject, ``In-Reply-To``/``References``, status history).
    """

    class Direction(models.TextChoices):
        IN = "in", _("Incoming")
        OUT = "out", _("Outgoing")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        QUEUED = "queued", _("Queued")
        IGNORED = "ignored", _("Ignored")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        READ = "read", _("Read")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("channel"), max_length=16, choices=ChannelKind.choices)
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    external_id = models.CharField(_("message id on the channel"), max_length=255, blank=True)
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    message = models.ForeignKey(
        Message, verbose_name=_("message"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    peer = models.CharField(_("citizen's address"), max_length=254, blank=True)
    peer_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    peer_name = models.CharField(_("citizen's name on the channel"), max_length=128, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    status_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("channel message")
        verbose_name_plural = _("channel messages")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "direction", "external_id"],
                condition=~Q(external_id=""),
                name="layanan_channel_message_unique",
            )
        ]
        indexes = [models.Index(fields=["ticket", "kind", "direction"], name="layanan_chmsg_ticket")]

    def __str__(self) -> str:
        return f"{self.kind} {self.direction} {self.external_id or self.pk}"
