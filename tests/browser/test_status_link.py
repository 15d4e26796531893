"""Issue 16 (first part): the receipt e-mail's link opens the citizen's status on the site in one click, and the
access token never reaches the server in a URL (it rides in the fragment, read by the page's script)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from tests.channels.graph_server import graph, meta_channels  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def test_the_receipt_link_opens_the_status_page_and_the_citizen_replies(new_page, live_server, staff):
    from django.contrib.auth.models import User

    from layanan.core.workflow import apply_transition
    from layanan.ppid import intake as ppid_intake
    from tests.layanan.conftest import ppid_payload

    staff("ppid", "PPID Utama")
    mail.outbox.clear()
    submission = ppid_intake.submit_ppid_request(ppid_payload(email="siti.link@example.org"))
    apply_transition(submission.ticket, "request_completion", User.objects.get(username="ppid"), note="Lampirkan KTP.")
    body = "\n".join(m.body for m in mail.outbox)  # the receipt (and the officer's question)
    link = re.search(r"https?://\S+/layanan/cek-status/\?nomor=\S+#token=\S+", body).group(0)
    parts = urlsplit(link)
    assert parts.query == f"nomor={submission.tracking_number}"
    assert submission.access_token not in parts.path + parts.query  # only in the fragment

    seen = []
    page = new_page(phone=True)
    page.on("request", lambda request: seen.append(request.url))
    page.goto(f"{parts.path}?{parts.query}#{parts.fragment}")
    page.wait_for_selector("#ticket-status")
    assert submission.tracking_number in page.inner_text(".ticket")
    assert "#token" not in page.url  # taken out of the address bar
    assert not any(submission.access_token in url for url in seen)  # never sent in a URL

    # the officer asked for completion: the citizen answers on the same page
    assert "Lampirkan KTP." in page.inner_text(".ticket")
    page.fill("#id_reply_text", "KTP saya kirim lewat pos.")
    page.get_by_role("button", name="Kirim balasan").click()
    page.wait_for_selector("[role=status]")
    assert "KTP saya kirim lewat pos." in page.inner_text(".ticket")
    assert page.locator("#id_reply_text").count() == 0  # no longer waiting
    from layanan.core.models.tickets import Ticket

    assert Ticket.objects.get(pk=submission.ticket.pk).status == "verification"


def test_the_online_services_are_reached_from_the_home_page_on_a_phone(new_page):
    from tests.home.factories import make_site

    make_site()
    page = new_page(phone=True)
    page.goto("/")
    page.get_by_role("button", name="Menu").click()
    page.locator("#site-nav a:visible", has_text="Layanan daring").click()
    page.wait_for_url("**/layanan/")
    for name in ("Permohonan informasi publik", "Keberatan"):
        assert page.get_by_role("link", name=name).first.is_visible()
    page.locator("main a:visible", has_text="Cek status tiket").first.click()
    page.wait_for_url("**/layanan/cek-status/")


def test_a_whatsapp_citizen_opens_the_status_link_of_the_receipt_on_a_phone(new_page, staff, meta_channels, client):  # noqa: F811
    """Issue 18: a message by WhatsApp, triaged into a PPID request; the receipt reaches the citizen by WhatsApp
    (the local Graph API stand-in records it) and its link opens the status page on a phone, where the officer's
    question is answered."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from layanan.core import outbox
    from layanan.core.models.tickets import Ticket
    from layanan.core.workflow import apply_transition
    from tests.channels.graph_server import WHATSAPP_URL, post_webhook, restamped

    staff("sosmed", "Admin Media Sosial")
    staff("ppid", "PPID Utama")
    assert post_webhook(client, WHATSAPP_URL, restamped("whatsapp/text.json")).status_code == 200
    social = Ticket.objects.get(service="social")
    apply_transition(social, "to_ppid", User.objects.get(username="sosmed"))
    request = Ticket.objects.get(service="ppid_request")
    apply_transition(request, "request_completion", User.objects.get(username="ppid"), note="Lampirkan KTP.")
    for _round in range(5):  # the receipt and the question leave through the outbox
        if not outbox.drain(direct=True, now=timezone.now()):
            break

    texts = [sent["json"]["text"]["body"] for sent in meta_channels.sent() if sent["json"].get("type") == "text"]
    receipt = next(text for text in texts if request.tracking_number in text and "#token=" in text)
    link = re.search(r"https?://\S+/layanan/cek-status/\?nomor=\S+#token=\S+", receipt).group(0)
    assert any("Lampirkan KTP." in text for text in texts)  # the officer's question went by WhatsApp too

    parts = urlsplit(link)
    page = new_page(phone=True)
    page.goto(f"{parts.path}?{parts.query}#{parts.fragment}")
    page.wait_for_selector("#ticket-status")
    assert request.tracking_number in page.inner_text(".ticket")
    assert "Lampirkan KTP." in page.inner_text(".ticket")
    page.fill("#id_reply_text", "KTP saya kirim lewat WhatsApp.")
    page.get_by_role("button", name="Kirim balasan").click()
    page.wait_for_selector("[role=status]")
    assert Ticket.objects.get(pk=request.pk).status == "verification"
