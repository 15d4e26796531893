"""Registers social-media messages (triaged into a PPID request, a LAPOR report or a WBS report, or dismissed).

The machine is in :mod:`layanan.social.machine`, the intake and triage rules in :mod:`layanan.social.services`.
"""

from django.utils.translation import gettext_lazy as _

from layanan.core.registry import DeskOptions, ServiceDefinition, register
from layanan.social.forms import SocialRegisterForm
from layanan.social.machine import SOCIAL_MACHINE
from layanan.social.services import receive_social_message, sealed_message_id


def submit_social(data, *, files=(), channel="social_media", registered_by=None):
    """The desk's registration of a social-media message typed in by an operator (``attachment_urls`` → links).

    Returns the :class:`layanan.social.services.Received` of :func:`receive_social_message`."""
    data = {**data, "attachments": data.pop("attachment_urls", None) or []}
    return receive_social_message(data, registered_by=registered_by)


def platform_column(ticket) -> str:
    """The platform the message came from (desk list column)."""
    return ticket.social.get_platform_display() if getattr(ticket, "social", None) else "—"


platform_column.short_description = _("platform")


def author_column(ticket) -> str:
    """The author's handle on the platform (desk list column)."""
    return ticket.social.author_handle if getattr(ticket, "social", None) else "—"


author_column.short_description = _("author")


def anonymise(ticket) -> None:
    """Retention, or content moved to WBS through a later ticket: the author's handle, the post's link and
    attachment links go; its id on the platform (which leads back to the post and can name the author) is kept
    only as a keyed hash (:func:`~layanan.social.services.sealed_message_id`), so a repeated delivery of the same
    message is still recognised and does not bring its text back to the desk; the platform stays."""
    details = getattr(ticket, "social", None)
    if details is not None:
        details.message_id = sealed_message_id(details.platform, details.message_id)
        details.author_handle = details.permalink = ""
        details.attachment_urls = []
        details.save(update_fields=["author_handle", "permalink", "message_id", "attachment_urls"])


SOCIAL = register(
    ServiceDefinition(
        code="social",
        order=50,
        label=_("Social-media message"),
        prefix="SOSMED",
        machine=SOCIAL_MACHINE,
        permissions=("handle_social",),
        proxy_model="socialticket",
        detail_relation="social",
        submit=submit_social,
        register_form=SocialRegisterForm,
        # Messages awaiting triage (role "Admin Media Sosial").
        desk=DeskOptions(
            menu_label=_("Social media & e-mail"),
            menu_icon="comment",
            columns=(platform_column, author_column, "subject", "status"),
            filters=("social__platform",),
            search_fields=("tracking_number", "subject", "description", "social__author_handle", "social__message_id"),
            select_related=("social",),
        ),
        anonymise=anonymise,
    )
)
