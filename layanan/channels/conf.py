"""Credentials and settings of the channels (issue 18): where each value comes from, and what the admin may show.

Every credential has a name (``PESAN_IMAP_PASSWORD``, ``PESAN_WHATSAPP_ACCESS_TOKEN``, …). Its value is, first
found: the value entered in the admin's "Kanal" screen (stored Fernet-encrypted in
``ChannelAccount.credentials_sealed``; rotating a secret there needs no deploy), then a Django setting of that
name, then the environment variable of that name. Secrets are never shown back: :func:`credential_status` says
only whether each is set and where from.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from layanan.channels.models import ChannelAccount, ChannelKind

__all__ = [
    "CREDENTIALS",
    "Credential",
    "credential_status",
    "credentials",
    "graph_api_url",
    "set_credentials",
]


@dataclass(frozen=True)
class Credential:
    """One credential of a channel: its name (setting / environment variable), label, and whether it is secret
    (never displayed) — non-secret values (a host, a port, a template name) are shown on the channel screen."""

    name: str
    label: str
    secret: bool = True
    required: bool = True


#: The channels of one Meta app (their webhooks share its secret and verify token).
META_KINDS = (ChannelKind.WHATSAPP, ChannelKind.INSTAGRAM, ChannelKind.MESSENGER)
_META_SECRET = Credential("PESAN_META_APP_SECRET", _("App secret (checks the webhook signature)"))
_META_VERIFY = Credential("PESAN_META_VERIFY_TOKEN", _("Webhook verify token"))

#: The credentials of each channel kind.
CREDENTIALS: dict[str, tuple[Credential, ...]] = {
    ChannelKind.EMAIL: (
        Credential("PESAN_IMAP_HOST", _("IMAP server"), secret=False),
        Credential("PESAN_IMAP_PORT", _("IMAP port (993 for TLS)"), secret=False, required=False),
        Credential("PESAN_IMAP_USER", _("Mailbox user"), secret=False),
        Credential("PESAN_IMAP_PASSWORD", _("Mailbox password")),
        Credential("PESAN_IMAP_FOLDER", _("Folder (default INBOX)"), secret=False, required=False),
        Credential("PESAN_IMAP_CAFILE", _("CA certificate file (a private CA only)"), secret=False, required=False),
    ),
    ChannelKind.WHATSAPP: (
        Credential("PESAN_WHATSAPP_PHONE_NUMBER_ID", _("Phone-number id"), secret=False),
        Credential("PESAN_WHATSAPP_ACCESS_TOKEN", _("Access token (system user)")),
        _META_SECRET,
        _META_VERIFY,
        Credential(
            "PESAN_WHATSAPP_TEMPLATE",
            _("Approved template for messages after 24 hours"),
            secret=False,
            required=False,
        ),
        Credential(
            "PESAN_WHATSAPP_TEMPLATE_LANGUAGE", _("Template language (default id)"), secret=False, required=False
        ),
    ),
    ChannelKind.INSTAGRAM: (
        Credential("PESAN_INSTAGRAM_ACCOUNT_ID", _("Instagram account id"), secret=False),
        Credential("PESAN_INSTAGRAM_ACCESS_TOKEN", _("Access token")),
        _META_SECRET,
        _META_VERIFY,
    ),
    ChannelKind.MESSENGER: (
        Credential("PESAN_MESSENGER_PAGE_ID", _("Facebook page id"), secret=False),
        Credential("PESAN_MESSENGER_PAGE_ACCESS_TOKEN", _("Page access token")),
        _META_SECRET,
        _META_VERIFY,
    ),
}


def _admin_values(account: ChannelAccount | None) -> dict:
    if account is None or not account.credentials_sealed:
        return {}
    try:
        values = json.loads(account.credentials_sealed)
    except ValueError:
        return {}
    return values if isinstance(values, dict) else {}


def _lookup(name: str, admin: dict) -> tuple[str, str]:
    """``(value, source)``; source ``admin``, ``settings``, ``environment`` or ``""`` when unset."""
    if admin.get(name):
        return str(admin[name]), "admin"
    value = getattr(settings, name, None)
    if value not in (None, ""):
        return str(value), "settings"
    value = os.environ.get(name, "")
    return (value, "environment") if value else ("", "")


#: Credentials one Meta app shares between WhatsApp, Instagram and Messenger: entered on any of their screens,
#: they apply to all three (the channel's own value first).
SHARED = {_META_SECRET.name, _META_VERIFY.name}


def _admin_values_of(kind: str, account: ChannelAccount | None) -> dict:
    """The admin-entered values for ``kind``: its own, completed by the shared Meta values of its sibling
    channels."""
    if account is None:
        account = ChannelAccount.objects.filter(kind=kind).first()
    own = _admin_values(account)
    if not any(c.name in SHARED for c in CREDENTIALS[kind]):
        return own
    siblings = ChannelAccount.objects.filter(kind__in=META_KINDS).exclude(kind=kind).exclude(credentials_sealed="")
    shared = {}
    for sibling in siblings:
        shared.update({k: v for k, v in _admin_values(sibling).items() if k in SHARED and v})
    return shared | own


def credentials(kind: str, account: ChannelAccount | None = None) -> dict[str, str]:
    """Every credential of channel ``kind`` as ``{name: value}`` (``""`` when unset). ``account``: the row, when
    the caller has it (saves a query)."""
    admin = _admin_values_of(kind, account)
    return {c.name: _lookup(c.name, admin)[0] for c in CREDENTIALS[kind]}


def credential_status(kind: str, account: ChannelAccount | None = None) -> list[dict]:
    """What the channel screen shows of each credential: ``{"name", "label", "secret", "required", "set",
    "source", "value"}`` — ``value`` only for non-secret credentials, ``""`` for secrets."""
    admin = _admin_values_of(kind, account)
    rows = []
    for credential in CREDENTIALS[kind]:
        value, source = _lookup(credential.name, admin)
        rows.append(
            {
                "name": credential.name,
                "label": credential.label,
                "secret": credential.secret,
                "required": credential.required,
                "set": bool(value),
                "source": source,
                "value": "" if credential.secret else value,
            }
        )
    return rows


def set_credentials(account: ChannelAccount, values: dict[str, str]) -> None:
    """Store credentials entered in the admin for ``account`` (encrypted). A value ``""`` leaves the stored one;
    the special value ``None`` removes it (the environment applies again). Unknown names raise ``KeyError``."""
    known = {c.name for c in CREDENTIALS[account.kind]}
    stored = _admin_values(account)
    for name, value in values.items():
        if name not in known:
            raise KeyError(name)
        if value is None:
            stored.pop(name, None)
        elif value != "":
            stored[name] = value
    account.credentials_sealed = json.dumps(stored) if stored else ""
    account.save(update_fields=["credentials_sealed"])


def graph_api_url() -> str:
    """Base URL of Meta's Graph API, version included (``PESAN_GRAPH_API_URL``; tests point it at a local
    server). Not a secret."""
    return (
        getattr(settings, "PESAN_GRAPH_API_URL", "")
        or os.environ.get("PESAN_GRAPH_API_URL", "")
        or "https://graph.facebook.com/v23.0"
    )
