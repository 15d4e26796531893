"""Registers social-media messages (triaged into a PPID request, a LAPOR report or a WBS report, or dismissed).

The machine is in :mod:`layanan.social.machine`, the intake and triage rules in :mod:`layanan.social.services`.
"""

from django.utils.translation import gettext_lazy as _

from layanan.core.registry import ServiceDefinition, register
from layanan.social.forms import SocialRegisterForm
from layanan.social.machine import SOCIAL_MACHINE
from layanan.social.services import receive_social_message


def submit_social(data, *, files=(), channel="social_media", registered_by=None):
    """The desk's registration of a social-media message typed in by an operator (``attachment_urls`` → links).

    Returns the :class:`layanan.social.services.Received` of :func:`receive_social_message`."""
    data = {**data, "attachments": data.pop("attachment_urls", None) or []}
    return receive_social_message(data, registered_by=registered_by)


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
    )
)
