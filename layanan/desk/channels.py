"""The "Kanal" (channels) screen of the Wagtail admin (issue 18; menu Settings → "Channels").

- ``/admin/layanan-channels/``: one row per channel kind (e-mail, WhatsApp, Instagram, Messenger; a missing
  ``ChannelAccount`` row is created on the first view, disabled): enabled, address, each required credential set
  or missing and where it comes from (admin, settings, environment), last poll / webhook / success, the last
  error with its time (WIB), and the outgoing messages still queued or failed, with the delivery tasks the outbox
  keeps retrying after an error.
- ``/admin/layanan-channels/<kind>/``: the channel's form — enabled, address, and one WRITE-ONLY field per
  credential. A secret is never sent back to the browser (not even masked): the page says only "set" / "not set"
  and where from. An empty field keeps the stored value; "remove" drops the value stored in the admin, so the
  Django setting or environment variable of that name applies again (``layanan.channels.conf``). Values entered
  here are stored Fernet-encrypted (``ChannelAccount.credentials_sealed``). The chat channels also show the
  webhook URL to paste into Meta's dashboard.
- ``POST /admin/layanan-channels/<kind>/test/``: "Test connection" — the adapter's ``test_connection`` (IMAP login
  for e-mail, a Graph API call for the Meta channels); the answer is shown as a message, and a failure is
  recorded as the channel's last error (``conversation.record_error``).

Access: superusers and holders of ``layanan.change_channelaccount`` (Django's default permission of the model);
everyone else gets Wagtail's "no permission" redirect, and no menu item.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem

from layanan.channels import conf, conversation, email_in, meta
from layanan.channels.models import ChannelAccount, ChannelKind, ChannelMessage
from layanan.channels.outbound import DELIVER_TASK
from layanan.core.models.outbox import OutboxTask

__all__ = [
    "ChannelForm",
    "ChannelsMenuItem",
    "channel_edit_view",
    "channel_rows",
    "channel_test_view",
    "channel_urls",
    "channels_view",
    "may_manage_channels",
    "run_connection_test",
    "webhook_urls",
]

logger = logging.getLogger(__name__)

#: The permission that opens the screen (besides superusers); Django creates it with the model.
PERMISSION = "layanan.change_channelaccount"

#: The URL name of the webhook Meta calls for each chat channel (``layanan.channels.urls``).
WEBHOOKS = {
    ChannelKind.WHATSAPP: "layanan-channels-whatsapp-webhook",
    ChannelKind.INSTAGRAM: "layanan-channels-meta-webhook",
    ChannelKind.MESSENGER: "layanan-channels-meta-webhook",
}

#: How many pending delivery tasks with an error are read to count them per channel.
STUCK_LIMIT = 1000

SOURCE_LABELS = {
    "admin": _("admin"),
    "settings": _("settings"),
    "environment": _("environment"),
    "": _("not set"),
}


def may_manage_channels(user) -> bool:
    """``user`` may open the channel screen, change a channel and test its connection: an active superuser or a
    holder of ``layanan.change_channelaccount``."""
    return bool(user and user.is_authenticated and user.is_active) and (user.is_superuser or user.has_perm(PERMISSION))


def _require(user) -> None:
    if not may_manage_channels(user):
        raise PermissionDenied


def _kind_or_404(kind: str) -> str:
    if kind not in ChannelKind.values:
        raise Http404
    return kind


def webhook_urls(kind: str) -> list[str]:
    """The absolute webhook URL(s) to paste into Meta's dashboard for ``kind`` (``[]`` for e-mail), built on
    ``settings.WAGTAILADMIN_BASE_URL``."""
    if kind not in WEBHOOKS:
        return []
    return [settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(WEBHOOKS[kind])]


@dataclass
class ChannelRow:
    """What the screen shows of one channel: its account, credential status (``conf.credential_status`` plus a
    ``source_label``), the required credentials still missing, and outgoing messages ``queued`` / ``failed`` and
    delivery tasks retried after an error (``stuck``)."""

    account: ChannelAccount
    credentials: list[dict]
    missing: list[dict]
    queued: int = 0
    failed: int = 0
    stuck: int = 0
    webhooks: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.account.kind

    @property
    def label(self) -> str:
        return self.account.get_kind_display()

    @property
    def edit_url(self) -> str:
        return reverse("layanan_channel_edit", args=[self.kind])

    @property
    def test_url(self) -> str:
        return reverse("layanan_channel_test", args=[self.kind])


def _credential_rows(account: ChannelAccount) -> list[dict]:
    rows = conf.credential_status(account.kind, account)
    for row in rows:
        row["source_label"] = SOURCE_LABELS.get(row["source"], row["source"])
    return rows


def _stuck_per_kind() -> Counter:
    """Pending delivery tasks of the outbox whose last run failed, per channel kind (two queries)."""
    args = OutboxTask.objects.filter(func=DELIVER_TASK, done_at__isnull=True).exclude(last_error="")
    ids = []
    for value in args.values_list("args", flat=True)[:STUCK_LIMIT]:
        try:
            ids.append(int(value[0]))
        except (IndexError, TypeError, ValueError):
            continue
    counts = ChannelMessage.objects.filter(pk__in=ids).values("kind").annotate(n=Count("pk")).order_by()
    return Counter({row["kind"]: row["n"] for row in counts})


def channel_rows(kinds=None) -> list[ChannelRow]:
    """One :class:`ChannelRow` per channel kind (``kinds``: a subset), in ``ChannelKind`` order; a missing
    account row is created (disabled)."""
    kinds = list(kinds or ChannelKind.values)
    accounts = {a.kind: a for a in ChannelAccount.objects.filter(kind__in=kinds)}
    for kind in kinds:
        if kind not in accounts:
            accounts[kind] = conversation.account(kind)
    outgoing = (
        ChannelMessage.objects.filter(
            kind__in=kinds,
            direction=ChannelMessage.Direction.OUT,
            status__in=[ChannelMessage.Status.QUEUED, ChannelMessage.Status.FAILED],
        )
        .values("kind", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(row["kind"], row["status"]): row["n"] for row in outgoing}
    stuck = _stuck_per_kind()
    rows = []
    for kind in kinds:
        credentials = _credential_rows(accounts[kind])
        rows.append(
            ChannelRow(
                account=accounts[kind],
                credentials=credentials,
                missing=[c for c in credentials if c["required"] and not c["set"]],
                queued=counts.get((kind, ChannelMessage.Status.QUEUED), 0),
                failed=counts.get((kind, ChannelMessage.Status.FAILED), 0),
                stuck=stuck.get(kind, 0),
                webhooks=webhook_urls(kind),
            )
        )
    return rows


class ChannelForm(forms.Form):
    """The channel's settings: ``enabled``, ``address``, and per credential ``cred_<NAME>`` (write-only: an empty
    value keeps the stored one; a secret is never rendered back) with ``remove_<NAME>`` (drop the admin's value,
    the setting / environment applies again)."""

    enabled = forms.BooleanField(label=_("Enabled"), required=False)
    address = forms.CharField(
        label=_("Address or account id"),
        max_length=254,
        required=False,
        help_text=_("Mailbox address, WhatsApp phone-number id, Facebook page id or Instagram account id."),
    )

    def __init__(self, *args, account: ChannelAccount, **kwargs):
        kwargs.setdefault("initial", {"enabled": account.enabled, "address": account.address})
        super().__init__(*args, **kwargs)
        self.account = account
        self.credential_rows = _credential_rows(account)
        self.pairs = []
        for row in self.credential_rows:
            name = row["name"]
            attrs = {"autocomplete": "new-password" if row["secret"] else "off", "spellcheck": "false"}
            if row["secret"]:
                widget = forms.PasswordInput(render_value=False, attrs=attrs)
                help_text = gettext("Currently: set (%(source)s). Leave empty to keep it.") % {
                    "source": row["source_label"]
                }
                if not row["set"]:
                    help_text = gettext("Currently: not set.")
            else:
                widget = forms.TextInput(attrs=attrs)
                if row["set"] and row["source"] != "admin":
                    attrs["placeholder"] = row["value"]
                    help_text = gettext("Currently: %(value)s (%(source)s). Leave empty to keep it.") % {
                        "value": row["value"],
                        "source": row["source_label"],
                    }
                elif row["set"]:
                    help_text = gettext("Leave empty to keep the current value.")
                else:
                    help_text = gettext("Currently: not set.")
            self.fields[f"cred_{name}"] = forms.CharField(
                label=row["label"],
                required=False,
                max_length=4096,
                strip=True,
                widget=widget,
                help_text=help_text,
                initial=row["value"] if not row["secret"] and row["source"] == "admin" else "",
            )
            remove = None
            if row["source"] == "admin":
                remove = f"remove_{name}"
                self.fields[remove] = forms.BooleanField(
                    label=gettext("Remove the value entered here"),
                    help_text=gettext("%(name)s from the server settings or the environment applies again.")
                    % {"name": name},
                    required=False,
                )
            self.pairs.append((row, self[f"cred_{name}"], self[remove] if remove else None))

    def clean(self):
        cleaned = super().clean()
        for row in self.credential_rows:
            value = cleaned.get(f"cred_{row['name']}") or ""
            if row["name"].endswith("_PORT") and value and not (value.isdigit() and 0 < int(value) < 65536):
                self.add_error(f"cred_{row['name']}", gettext("Enter a port number between 1 and 65535."))
        return cleaned

    def credential_values(self) -> dict[str, str | None]:
        """``{NAME: value}`` for ``conf.set_credentials``: ``None`` to remove, ``""`` to keep."""
        values = {}
        for row in self.credential_rows:
            name = row["name"]
            if self.cleaned_data.get(f"remove_{name}"):
                values[name] = None
            else:
                values[name] = self.cleaned_data.get(f"cred_{name}") or ""
        return values

    def save(self) -> ChannelAccount:
        """Store the settings and credentials (encrypted) of the channel."""
        account = self.account
        account.enabled = self.cleaned_data["enabled"]
        account.address = self.cleaned_data["address"]
        account.save(update_fields=["enabled", "address"])
        conf.set_credentials(account, self.credential_values())
        return account


def run_connection_test(kind: str, account: ChannelAccount) -> tuple[bool, str]:
    """Ask the channel's adapter whether it can connect with the stored configuration: ``(ok, message)``. An
    adapter that raises counts as a failure with the exception's text. A failure is recorded as the channel's
    last error."""
    try:
        if kind == ChannelKind.EMAIL:
            ok, message = email_in.test_connection(account)
        else:
            ok, message = meta.test_connection(kind, account)
    except Exception as exc:  # noqa: BLE001 - the admin shows any failure instead of a 500
        logger.exception("connection test of channel %s raised", kind)
        ok, message = False, f"{exc.__class__.__name__}: {exc}"
    if not ok:
        conversation.record_error(kind, message or gettext("Connection test failed."))
    return ok, message


def channels_view(request):
    """``/admin/layanan-channels/``: the table of channels (403 without :func:`may_manage_channels`)."""
    _require(request.user)
    return TemplateResponse(request, "layanan/desk/channels.html", {"rows": channel_rows()})


def channel_edit_view(request, kind: str):
    """``/admin/layanan-channels/<kind>/``: the channel's form (GET), saved on POST then back to the table."""
    _require(request.user)
    kind = _kind_or_404(kind)
    account = conversation.account(kind)
    if request.method == "POST":
        form = ChannelForm(request.POST, account=account)
        if form.is_valid():
            form.save()
            row = channel_rows([kind])[0]
            messages.success(request, gettext("Channel “%(channel)s” saved.") % {"channel": row.label})
            if row.account.enabled and row.missing:
                messages.warning(
                    request,
                    gettext("“%(channel)s” is enabled but these credentials are missing: %(names)s.")
                    % {"channel": row.label, "names": ", ".join(str(c["label"]) for c in row.missing)},
                )
            return redirect("layanan_channels")
        messages.validation_error(request, gettext("The channel could not be saved."), form)
    else:
        form = ChannelForm(account=account)
    row = channel_rows([kind])[0]
    return TemplateResponse(request, "layanan/desk/channel_edit.html", {"row": row, "form": form})


@require_POST
def channel_test_view(request, kind: str):
    """``POST /admin/layanan-channels/<kind>/test/``: run the connection test, show its answer, back to the
    channel's page."""
    _require(request.user)
    kind = _kind_or_404(kind)
    account = conversation.account(kind)
    ok, message = run_connection_test(kind, account)
    values = {"channel": account.get_kind_display(), "message": message}
    if ok:
        messages.success(request, gettext("%(channel)s: the connection works. %(message)s") % values)
    else:
        messages.error(request, gettext("%(channel)s: the connection failed. %(message)s") % values)
    return redirect("layanan_channel_edit", kind=kind)


def channel_urls() -> list:
    """The admin URLs of the channel screen (registered by ``layanan.desk.wagtail_hooks``)."""
    return [
        path("layanan-channels/", channels_view, name="layanan_channels"),
        path("layanan-channels/<slug:kind>/", channel_edit_view, name="layanan_channel_edit"),
        path("layanan-channels/<slug:kind>/test/", channel_test_view, name="layanan_channel_test"),
    ]


class ChannelsMenuItem(MenuItem):
    """Settings → "Channels": shown to :func:`may_manage_channels` users only."""

    def is_shown(self, request):
        return may_manage_channels(request.user)
