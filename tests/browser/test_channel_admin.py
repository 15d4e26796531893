"""Issue 18: an administrator finds the "Kanal" (channels) screen through the admin menu (Settings), sees the four
channels with their health, opens one, saves a secret (never shown back) — and both screens pass axe-core
(WCAG 2.1 A/AA, no violation of any impact). Screenshots: /tmp/kanal.png (the table), /tmp/kanal-whatsapp.png."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.channels.test_channel_admin import closed_port
from tests.factories import UserFactory

from .conftest import PASSWORD, admin_login
from .test_desk_accessibility import AXE, AXE_TAGS, RUN_AXE

pytestmark = pytest.mark.browser

SECRET = "EAAG-browser-secret-never-shown"


def _screenshot(page, path: str) -> None:
    """The whole screen (the admin scrolls inside its own container, so a taller window shows it all)."""
    height = page.evaluate("document.querySelector('main').scrollHeight")
    page.set_viewport_size({"width": 1280, "height": max(900, height + 100)})
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _axe(page) -> list:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE, AXE_TAGS)


def test_admin_opens_the_channels_screen_from_the_menu_saves_a_secret_and_tests_it(new_page, shot, settings):
    from layanan.channels import conf, conversation
    from layanan.channels.models import ChannelKind

    UserFactory(username="root", password=PASSWORD, is_superuser=True, is_staff=True)
    conversation.record_error(ChannelKind.INSTAGRAM, "Graph API: (#190) Error validating access token")
    mailbox = conversation.account(ChannelKind.EMAIL)
    mailbox.enabled, mailbox.address = True, "ppid@ppid.example.go.id"
    mailbox.save()
    conf.set_credentials(mailbox, {"PESAN_IMAP_HOST": "imap.example.go.id", "PESAN_IMAP_USER": "ppid"})
    conversation.record_success(ChannelKind.EMAIL, poll=True)
    with translation.override("id"):
        settings_label = gettext("Settings")  # Wagtail's own menu, in the admin's language (Indonesian)

    page = new_page(bypass_csp=True)  # only to inject axe-core
    admin_login(page, "root")
    sidebar = page.locator("#wagtail-sidebar")
    sidebar.get_by_role("button", name=settings_label).click()
    sidebar.locator(f"a[href='{reverse('layanan_channels')}']").click()
    page.wait_for_url("**/admin/layanan-channels/")

    table = page.locator("table.layanan-channels")
    assert table.locator("tbody tr").count() == 4
    for kind in ChannelKind.values:
        assert page.locator(f"#channel-{kind}").is_visible()
    assert "Error validating access token" in page.locator("#channel-instagram").inner_text()
    assert "ppid@ppid.example.go.id" in page.locator("#channel-email").inner_text()
    _screenshot(page, "/tmp/kanal.png")
    shot(page, "channels")
    assert _axe(page) == []

    page.locator("#channel-whatsapp a").first.click()
    page.wait_for_url("**/admin/layanan-channels/whatsapp/")
    assert "/api/v2/channels/whatsapp/webhook/" in page.locator("code").first.inner_text()
    page.fill("input[name=cred_PESAN_WHATSAPP_ACCESS_TOKEN]", SECRET)
    page.fill("input[name=cred_PESAN_WHATSAPP_PHONE_NUMBER_ID]", "109876543210")
    page.locator("form:has(input[name=address]) button[type=submit]").click()
    page.wait_for_url("**/admin/layanan-channels/")
    assert conf.credentials(ChannelKind.WHATSAPP)["PESAN_WHATSAPP_ACCESS_TOKEN"] == SECRET

    page.locator("#channel-whatsapp a").first.click()
    page.wait_for_url("**/admin/layanan-channels/whatsapp/")
    assert SECRET not in page.content()
    assert page.locator("input[name=cred_PESAN_WHATSAPP_ACCESS_TOKEN]").input_value() == ""

    settings.PESAN_GRAPH_API_URL = f"http://127.0.0.1:{closed_port()}/v23.0"  # nothing listens: fails at once
    page.locator("form.layanan-channel-test button").click()
    page.wait_for_url("**/admin/layanan-channels/whatsapp/")
    assert "Connection refused" in page.locator(".messages").inner_text()
    assert "Connection refused" in page.locator("dd.layanan-channel-error").inner_text()  # recorded, shown
    assert SECRET not in page.content()
    _screenshot(page, "/tmp/kanal-whatsapp.png")
    shot(page, "channel-whatsapp")
    assert _axe(page) == []
