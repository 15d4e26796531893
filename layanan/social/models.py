"""Social-media intake: connectors (per-integration API tokens), message details, the triage desk proxy.

A message from one of the body's official accounts (``home.OrganisationSettings.social_accounts``) arrives
through ``POST /api/v2/social/messages/`` (a connector's bearer token) or is typed in by an operator. Each
message is a ``Ticket`` of service ``social`` with a :class:`SocialMessageDetails`; the same
(platform, message id) is stored once (unique constraint). Triage turns it into a PPID request, a LAPOR report
or a WBS report (the new ticket's ``origin`` is the message) or dismisses it with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from home.models import SocialMediaAccount
from layanan.core.models.tickets import Ticket, service_manager

__all__ = ["MESSAGE_SOURCES", "Platform", "SocialConnector", "SocialMessageDetails", "SocialTicket"]

#: Platforms, the same list as the official accounts in the site settings.
Platform = SocialMediaAccount.Platform
#: Where a message in the triage queue came from: a platform, or the body's mailbox (issue 18: e-mail in).
MESSAGE_SOURCES = [*Platform.choices, ("email", _("E-mail"))]


class SocialConnector(models.Model):
    """An integration allowed to deliver messages (e.g. the Instagram DM bridge), created in the admin.

    The token (``psc_`` + 43 URL-safe characters, 256 random bits) is shown ONCE when created or renewed;
    only its SHA-256 (``token_hash``) and its first characters (``token_prefix``, to recognise it) are stored.
    ``platform`` empty: the connector may deliver for any platform; otherwise only for that one.
    """

    name = models.CharField(_("name"), max_length=128)
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices, blank=True)
    account_handle = models.CharField(
        _("official account"),
        max_length=128,
        blank=True,
        help_text=_("Handle of the official account it reads (as in the site settings), e.g. @kementerian."),
    )
    token_prefix = models.CharField(_("token starts with"), max_length=16, editable=False, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("social-media connector")
        verbose_name_plural = _("social-media connectors")

    def __str__(self) -> str:
        return self.name


class SocialMessageDetails(models.Model):
    """A social-media message (one-to-one with its ``Ticket``, ``ticket.social``); the text is the ticket's
    ``description``.

    ``platform`` + ``message_id`` are unique (when a message id is given: operators may type messages without
    one). ``attachment_urls``: list of URLs as delivered — stored, never fetched. ``posted_at``: when the
    author posted it (aware datetime). ``connector``: who delivered it (None when typed by an operator).
    Triage: ``outcome`` (``ppid_request``, ``lapor``, ``wbs`` or ``dismissed``), ``dismissal_reason``.
    """

    class Outcome(models.TextChoices):
        PPID_REQUEST = "ppid_request", _("Public-information request")
        LAPOR = "lapor", _("SP4N-LAPOR report")
        WBS = "wbs", _("Whistleblowing report")
        DISMISSED = "dismissed", _("Dismissed")

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, primary_key=True, related_name="social")
    connector = models.ForeignKey(
        SocialConnector, verbose_name=_("connector"), null=True, blank=True, on_delete=models.PROTECT
    )
    platform = models.CharField(_("platform"), max_length=20, choices=MESSAGE_SOURCES)
    account_handle = models.CharField(_("official account"), max_length=128, blank=True)
    message_id = models.CharField(_("message id"), max_length=255, blank=True)
    permalink = models.URLField(_("permalink"), max_length=500, blank=True)
    author_handle = models.CharField(_("author"), max_length=128, blank=True)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    attachment_urls = models.JSONField(_("attachment URLs"), default=list, blank=True)
    outcome = models.CharField(_("triage outcome"), max_length=16, choices=Outcome.choices, blank=True)
    dismissal_reason = models.TextField(_("reason for dismissal"), blank=True)
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("social-media message details")
        verbose_name_plural = _("social-media message details")
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "message_id"],
                condition=~Q(message_id=""),
                name="layanan_social_platform_message_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.message_id or self.ticket.tracking_number}"


class SocialTicket(Ticket):
    """Proxy for the operators' list of social-media messages awaiting triage."""

    objects = service_manager("social")

    class Meta:
        proxy = True
        verbose_name = _("social-media message")
        verbose_name_plural = _("social-media messages")
