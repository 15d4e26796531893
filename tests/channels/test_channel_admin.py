"""The "Kanal" (channels) screen of the admin (issue 18, ``layanan.desk.channels``): who sees it, what it shows,
how credentials are stored (encrypted, write-only, kept when left empty, removable), and the "Test connection"
button against servers that are not there (a closed local port: fails fast, never the internet)."""

from __future__ import annotations

import re
import socket
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from wagtail.users.models import UserProfile

from layanan.channels import conf, conversation, email_in, meta
from layanan.channels.models import ChannelAccount, ChannelKind, ChannelMessage
from layanan.channels.outbound import DELIVER_TASK
from layanan.core.access import ensure_role_groups
from layanan.core.models.outbox import OutboxTask
from tests.factories import UserFactory
from tests.test_admin_language import flatten, menu_items

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/layanan-channels/"
SECRET = "pl41n-S3cret-token-never-shown"


def edit_url(kind: str) -> str:
    return reverse("layanan_channel_edit", args=[kind])


def in_english(user):
    """Admin pages in English for ``user`` (the default is Indonesian): the assertions read the source strings."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def admin(client):
    user = in_english(UserFactory(username="root", is_superuser=True, is_staff=True))
    client.force_login(user)
    return user


def closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sidebar_urls(client) -> list[str]:
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return [item["url"] for item in flatten(menu_items(response.content.decode()))]


def raw_sealed(kind: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials_sealed FROM layanan_channelaccount WHERE kind = %s", [kind])
        return cursor.fetchone()[0]


def row_text(html: str, kind: str) -> str:
    """The table row of ``kind`` as a person reads it (tags removed, spaces collapsed)."""
    row = html.split(f'id="channel-{kind}"')[1].split("</tr>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", row.split(">", 1)[1]).split())


def save(client, kind: str, **data):
    payload = {"address": "", **data}
    return client.post(edit_url(kind), payload)


# --- access ---------------------------------------------------------------------------------------------------
def test_a_desk_officer_without_the_permission_has_no_menu_item_and_no_screen(client):
    ensure_role_groups()
    officer = UserFactory(username="ppid", groups=["PPID Utama"])
    client.force_login(officer)
    assert LIST_URL not in sidebar_urls(client)
    for url in (LIST_URL, edit_url("email")):
        response = client.get(url)
        assert response.status_code in (302, 403)
        assert SECRET not in response.content.decode()
    response = client.post(reverse("layanan_channel_test", args=["email"]))
    assert response.status_code in (302, 403)
    assert ChannelAccount.objects.filter(kind="email").exclude(last_error="").count() == 0


def test_a_holder_of_change_channelaccount_sees_the_menu_item_and_the_screen(client):
    user = UserFactory(username="channels", is_staff=True, permissions=["access_admin", "change_channelaccount"])
    client.force_login(user)
    assert LIST_URL in sidebar_urls(client)
    assert client.get(LIST_URL).status_code == 200


def test_the_admin_sees_the_four_channels_created_on_first_view(client, admin):
    ChannelAccount.objects.all().delete()
    assert LIST_URL in sidebar_urls(client)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override("en"):
        labels = {kind: str(label) for kind, label in ChannelKind.choices}
    for kind, label in labels.items():
        assert f'id="channel-{kind}"' in html
        assert f"<strong>{label}</strong>" in html
        assert edit_url(kind) in html
    assert sorted(ChannelAccount.objects.values_list("kind", flat=True)) == sorted(ChannelKind.values)
    assert not ChannelAccount.objects.filter(enabled=True).exists()  # created disabled


def test_an_unknown_channel_is_404(client, admin):
    assert client.get(edit_url("telegram")).status_code == 404


# --- credentials ----------------------------------------------------------------------------------------------
def test_a_saved_secret_is_encrypted_never_shown_and_kept_when_left_empty(client, admin):
    response = save(
        client,
        "email",
        enabled="on",
        address="ppid@example.go.id",
        cred_PESAN_IMAP_HOST="imap.example.go.id",
        cred_PESAN_IMAP_USER="ppid",
        cred_PESAN_IMAP_PASSWORD=SECRET,
    )
    assert response.status_code == 302 and response.url == LIST_URL

    account = ChannelAccount.objects.get(kind="email")
    assert account.enabled and account.address == "ppid@example.go.id"
    stored = raw_sealed("email")
    assert stored and SECRET not in stored and "imap.example.go.id" not in stored  # encrypted at rest
    assert conf.credentials("email")["PESAN_IMAP_PASSWORD"] == SECRET

    for url in (LIST_URL, edit_url("email")):
        html = client.get(url).content.decode()
        assert SECRET not in html
    html = client.get(edit_url("email")).content.decode()
    assert "Currently: set (admin)" in html
    assert 'value="imap.example.go.id"' in html  # a non-secret value may be shown

    # the form sent back with the password field empty (as the browser sends it) keeps the password
    save(client, "email", enabled="on", address="ppid@example.go.id", cred_PESAN_IMAP_PASSWORD="")
    assert conf.credentials("email")["PESAN_IMAP_PASSWORD"] == SECRET
    assert conf.credentials("email")["PESAN_IMAP_HOST"] == "imap.example.go.id"


def test_removing_a_credential_falls_back_to_the_environment(client, admin, monkeypatch):
    monkeypatch.setenv("PESAN_WHATSAPP_ACCESS_TOKEN", "token-from-the-environment")
    save(client, "whatsapp", cred_PESAN_WHATSAPP_ACCESS_TOKEN=SECRET)
    assert conf.credentials("whatsapp")["PESAN_WHATSAPP_ACCESS_TOKEN"] == SECRET

    html = client.get(edit_url("whatsapp")).content.decode()
    assert 'name="remove_PESAN_WHATSAPP_ACCESS_TOKEN"' in html
    save(client, "whatsapp", remove_PESAN_WHATSAPP_ACCESS_TOKEN="on")
    assert conf.credentials("whatsapp")["PESAN_WHATSAPP_ACCESS_TOKEN"] == "token-from-the-environment"
    assert raw_sealed("whatsapp") == ""

    html = client.get(LIST_URL).content.decode()
    assert "Access token (system user) set (environment)" in row_text(html, "whatsapp")
    assert "token-from-the-environment" not in html
    html = client.get(edit_url("whatsapp")).content.decode()
    assert 'name="remove_PESAN_WHATSAPP_ACCESS_TOKEN"' not in html  # nothing stored here to remove any more


def test_a_missing_required_credential_is_named_and_enabling_warns(client, admin):
    response = save(client, "messenger", enabled="on", cred_PESAN_MESSENGER_PAGE_ID="1234567890")
    assert response.status_code == 302
    html = client.get(LIST_URL).content.decode()
    row = row_text(html, "messenger")
    assert "Page access token missing" in row
    assert "Facebook page id set (admin)" in row
    assert "Webhook verify token missing" in row
    assert "enabled but these credentials are missing" in html  # the warning after saving


def test_a_bad_port_is_refused_with_the_field_named(client, admin):
    response = save(client, "email", cred_PESAN_IMAP_PORT="imaps", cred_PESAN_IMAP_PASSWORD=SECRET)
    assert response.status_code == 200
    assert "Enter a port number between 1 and 65535." in response.content.decode()
    assert SECRET not in response.content.decode()  # the form shown again does not echo the secret either
    assert raw_sealed("email") in ("", None)


# --- health ---------------------------------------------------------------------------------------------------
def test_the_last_error_and_the_outgoing_backlog_show_in_the_table(client, admin):
    conversation.record_error("instagram", "Graph API: (#190) Error validating access token")
    ChannelAccount.objects.filter(kind="instagram").update(last_error_at=datetime(2026, 12, 7, 3, 5, tzinfo=UTC))
    queued = ChannelMessage.objects.create(kind="instagram", direction="out", status="queued", peer="17841")
    ChannelMessage.objects.create(kind="instagram", direction="out", status="failed", peer="17841", error="x")
    ChannelMessage.objects.create(kind="instagram", direction="in", status="received", peer="17841")
    OutboxTask.objects.create(func=DELIVER_TASK, args=[queued.pk], attempts=2, last_error="MetaError: token")

    html = client.get(LIST_URL).content.decode()
    row = row_text(html, "instagram")
    assert "Error validating access token" in row
    assert "7 Dec 2026 10.05 WIB" in row  # 03:05 UTC
    assert "1 queued" in row and "1 failed" in row
    assert "1 delivery retried after an error" in row
    other = row_text(html, "messenger")
    assert "0 queued" in other and "Error validating" not in other


def test_chat_channels_show_the_webhook_url_to_paste_into_meta(client, admin, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://pesan.example.go.id"
    pages = {kind: client.get(edit_url(kind)).content.decode() for kind in ChannelKind.values}
    assert "<code>https://pesan.example.go.id/api/v2/channels/whatsapp/webhook/</code>" in pages["whatsapp"]
    for kind in ("instagram", "messenger"):
        assert "<code>https://pesan.example.go.id/api/v2/channels/meta/webhook/</code>" in pages[kind]
    assert "/webhook/" not in pages["email"]


# --- test connection ------------------------------------------------------------------------------------------
def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_testing_the_mailbox_on_a_closed_port_fails_clearly_and_is_recorded(client, admin, settings):
    settings.PESAN_IMAP_HOST = "127.0.0.1"
    settings.PESAN_IMAP_PORT = str(closed_port())
    settings.PESAN_IMAP_USER = "ppid"
    settings.PESAN_IMAP_PASSWORD = "wrong"
    started = timezone.now()
    response = client.post(reverse("layanan_channel_test", args=["email"]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == edit_url("email")
    shown = _messages(response)
    assert "E-mail: the connection failed." in shown, shown

    account = ChannelAccount.objects.get(kind="email")
    assert account.last_error and account.last_error_at >= started - timedelta(seconds=1)
    assert escape(account.last_error) in shown
    assert escape(account.last_error) in client.get(LIST_URL).content.decode()


def test_testing_whatsapp_against_a_closed_graph_port_fails_clearly_and_is_recorded(client, admin, settings):
    settings.PESAN_GRAPH_API_URL = f"http://127.0.0.1:{closed_port()}/v23.0"
    settings.PESAN_WHATSAPP_PHONE_NUMBER_ID = "109876543210"
    settings.PESAN_WHATSAPP_ACCESS_TOKEN = "EAAG-test"
    response = client.post(reverse("layanan_channel_test", args=["whatsapp"]), follow=True)
    shown = _messages(response)
    assert "WhatsApp: the connection failed." in shown, shown
    account = ChannelAccount.objects.get(kind="whatsapp")
    assert account.last_error and escape(account.last_error) in shown
    assert "Connection refused" in account.last_error
    assert "EAAG-test" not in response.content.decode()


def test_the_test_button_needs_a_post(client, admin):
    assert client.get(reverse("layanan_channel_test", args=["email"])).status_code == 405


def test_an_adapter_that_raises_is_shown_as_a_failure_not_a_500(client, admin, monkeypatch):
    def broken(kind, account=None):
        raise RuntimeError("adapter exploded")

    monkeypatch.setattr(meta, "test_connection", broken)
    response = client.post(reverse("layanan_channel_test", args=["messenger"]), follow=True)
    assert response.status_code == 200
    assert "adapter exploded" in _messages(response)
    assert "adapter exploded" in ChannelAccount.objects.get(kind="messenger").last_error


def test_a_successful_test_says_so(client, admin, monkeypatch):
    monkeypatch.setattr(email_in, "test_connection", lambda account=None: (True, "INBOX: 3 messages"))
    response = client.post(reverse("layanan_channel_test", args=["email"]), follow=True)
    assert "E-mail: the connection works. INBOX: 3 messages" in _messages(response)
    assert ChannelAccount.objects.get(kind="email").last_error == ""


def test_the_test_button_needs_the_csrf_token(admin):
    """A page elsewhere cannot make the admin's browser run the test (and record its error on the channel)."""
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin)
    response = strict.post(reverse("layanan_channel_test", args=["email"]))
    assert response.status_code == 403
    assert not ChannelAccount.objects.filter(kind="email").exclude(last_error="").exists()
