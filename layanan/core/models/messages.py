"""Messages between the body and the applicant or reporter, apart from the ticket's events (issue 14).

A :class:`Message` is correspondence: what the body wrote to the applicant (an answer, a request for
completion, a reply) or what the applicant or whistleblower wrote to the body, with its direction, channel and
files. Events (``TimelineEntry``: state changes, desk steps, access audit such as "viewed" or "file downloaded")
stay in the timeline; a message keeps a link to the event that carried it (``event``), so the desk can show
both in one history. Internal notes are never messages.

``layanan.core.events.record_event`` writes the message of an event that carries correspondence (the rule:
:func:`layanan.core.events.message_direction`); migration ``0002`` did the same for the rows written before.
For a confidential service (WBS) the text is stored encrypted in ``text_sealed`` and ``text`` stays empty:
read :attr:`Message.body`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from layanan.core.crypto import EncryptedTextField
from layanan.core.models.tickets import Channel, Ticket, TimelineEntry

__all__ = ["Message"]


class Message(models.Model):
    """One message on ``ticket``: ``direction`` ``to_applicant`` (from the body) or ``from_applicant``;
    ``channel`` (a ``Channel`` value: how it reached or will reach the other side); ``author`` (the officer,
    None for the applicant or the system); ``at`` (aware datetime, stored in UTC)."""

    class Direction(models.TextChoices):
        TO_APPLICANT = "to_applicant", _("To the applicant")
        FROM_APPLICANT = "from_applicant", _("From the applicant")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    event = models.OneToOneField(
        TimelineEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="message"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), null=True, blank=True, on_delete=models.SET_NULL
    )
    text = models.TextField(_("text"), blank=True)
    text_sealed = EncryptedTextField(
        _("text (encrypted)"),
        blank=True,
        help_text=_("The text of a confidential service (WBS), encrypted at rest instead of ``text``."),
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.direction} {self.at:%Y-%m-%d %H:%M}"

    @property
    def body(self) -> str:
        """The text as people read it: ``text``, or ``text_sealed`` for a confidential service."""
        return self.text_sealed or self.text

    @property
    def files(self):
        """The message's files (the attachments of the event that carried it)."""
        return self.event.attachments.all() if self.event_id else self.ticket.attachments.none()
