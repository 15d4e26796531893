"""Instagram and Messenger (issue 18): their webhook makes intake tickets, the page's own echo makes nothing, the
signature is checked, and the body's answer leaves through the Send API."""

# ruff: noqa: F811 - pytest fixtures imported from tests.channels.graph_server / tests.layanan.conftest

import datetime

import pytest
from django.utils import timezone

from layanan.channels import meta
from layanan.channels.models import ChannelAccount, ChannelMessage
from layanan.core import outbox
from layanan.core.models.tickets import Ticket
from layanan.core.workflow import apply_transition
from tests.channels.graph_server import (  # noqa: F401 - fixtures
    INSTAGRAM_ID,
    META_URL,
    PAGE_ID,
    TOKEN,
    fixture_bytes,
    graph,
    meta_channels,
    post_webhook,
    restamped,
    sign,
)
from tests.layanan.conftest import make_user, social_admin, synced_holidays  # noqa: F401

pytestmark = pytest.mark.django_db

PSID = "7012345678901234"
IGSID = "6523877021019541"


def drain_all() -> None:
    for _round in range(5):
        if not outbox.drain(direct=True, now=timezone.now() + datetime.timedelta(days=3)):
            return


def test_instagram_message_becomes_an_intake_ticket(client, meta_channels):
    assert post_webhook(client, META_URL, fixture_bytes("meta/instagram.json")).status_code == 200
    ticket = Ticket.objects.get()
    assert ticket.service == "social" and ticket.social.platform == "instagram"
    assert "Desa Tanjung Harapan rusak parah" in ticket.description
    envelope = ChannelMessage.objects.get()
    assert envelope.kind == "instagram" and envelope.peer == IGSID and envelope.at.timestamp() == 1765002000
    assert ChannelAccount.objects.get(kind="instagram").last_webhook_at is not None
    assert ChannelAccount.objects.get(kind="messenger").last_webhook_at is None
    post_webhook(client, META_URL, fixture_bytes("meta/instagram.json"))  # delivered again
    assert Ticket.objects.count() == 1


def test_messenger_message_makes_a_ticket_and_the_echo_nothing(client, meta_channels):
    assert post_webhook(client, META_URL, fixture_bytes("meta/messenger.json")).status_code == 200
    ticket = Ticket.objects.get()
    assert ticket.social.platform == "facebook"
    assert "mengajukan keberatan atas jawaban PPID" in ticket.description
    assert "kami teruskan ke petugas PPID" not in ticket.description
    incoming = ChannelMessage.objects.filter(kind="messenger", direction="in")
    assert incoming.filter(status="received").get().peer == PSID
    echo = incoming.get(status="ignored")
    assert echo.reason == "echo" and echo.ticket is None


def test_meta_webhook_checks_the_signature_and_the_channel(client, meta_channels):
    body = fixture_bytes("meta/messenger.json")
    assert post_webhook(client, META_URL, body, signature=sign(body, "not-the-secret")).status_code == 403
    ChannelAccount.objects.filter(kind="messenger").update(enabled=False)
    assert post_webhook(client, META_URL, body).status_code == 403  # Messenger off, even though Instagram is on
    whatsapp_shaped = fixture_bytes("whatsapp/text.json")  # a WhatsApp body does not belong on this endpoint
    assert post_webhook(client, META_URL, whatsapp_shaped).status_code == 403
    assert not ChannelMessage.objects.exists() and not Ticket.objects.exists()


def test_messenger_reply_goes_through_the_send_api(client, meta_channels, social_admin, synced_holidays):
    graph = meta_channels
    assert post_webhook(client, META_URL, restamped("meta/messenger.json")).status_code == 200
    social = Ticket.objects.get(service="social")
    apply_transition(social, "to_lapor", social_admin, classification="pengaduan")
    report = Ticket.objects.get(service="lapor")
    drain_all()
    (send,) = graph.sent()
    assert send["path"] == f"/v23.0/{PAGE_ID}/messages"
    assert send["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert send["json"]["recipient"] == {"id": PSID} and send["json"]["messaging_type"] == "RESPONSE"
    assert report.tracking_number in send["json"]["message"]["text"]
    envelope = ChannelMessage.objects.get(direction="out")
    assert envelope.ticket == report and envelope.status == "sent" and envelope.external_id == "m_TEST000001"
    # Messenger's delivery receipt marks it delivered
    receipt = {
        "object": "page",
        "entry": [
            {
                "id": PAGE_ID,
                "messaging": [
                    {
                        "sender": {"id": PSID},
                        "recipient": {"id": PAGE_ID},
                        "delivery": {"mids": ["m_TEST000001"], "watermark": 1765002700000},
                        "timestamp": 1765002700000,
                    }
                ],
            }
        ],
    }
    assert post_webhook(client, META_URL, receipt).status_code == 200
    envelope.refresh_from_db()
    assert envelope.status == "delivered"


def test_instagram_reply_after_a_day_is_tagged_human_agent(client, meta_channels, social_admin, synced_holidays):
    graph = meta_channels
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    post_webhook(client, META_URL, restamped("meta/instagram.json", two_days_ago))
    apply_transition(Ticket.objects.get(service="social"), "to_ppid", social_admin)
    drain_all()
    (send,) = graph.sent()
    assert send["path"] == f"/v23.0/{INSTAGRAM_ID}/messages"
    assert send["json"]["recipient"] == {"id": IGSID}
    assert send["json"]["messaging_type"] == "MESSAGE_TAG" and send["json"]["tag"] == "HUMAN_AGENT"


def test_connection_check_of_the_page(meta_channels, settings):
    ok, message = meta.test_connection("messenger")
    assert ok and "Kemenko Marves" in message
    settings.PESAN_MESSENGER_PAGE_ACCESS_TOKEN = "expired"
    ok, message = meta.test_connection("messenger")
    assert not ok and "401" in message
    settings.PESAN_MESSENGER_PAGE_ID = ""
    ok, message = meta.test_connection("messenger")
    assert not ok and "PESAN_MESSENGER_PAGE_ID" in message


def test_a_shared_link_is_named_and_never_fetched(client, meta_channels):
    """Only files on Meta's CDN (image, video, audio, file) are downloaded; a shared link or post (``fallback``,
    ``share``…) may point anywhere the sender likes, an internal address included."""
    graph = meta_channels
    body = {
        "object": "page",
        "entry": [
            {
                "messaging": [
                    {
                        "sender": {"id": PSID},
                        "recipient": {"id": PAGE_ID},
                        "timestamp": int(timezone.now().timestamp() * 1000),
                        "message": {
                            "mid": "m_link",
                            "text": "Lihat tautan ini",
                            "attachments": [
                                {"type": "fallback", "payload": {"url": f"{graph.url}/cdn/internal-secret"}},
                                {"type": "image", "payload": {"url": f"{graph.url}/cdn/1492386734923812"}},
                            ],
                        },
                    }
                ]
            }
        ],
    }
    assert post_webhook(client, META_URL, body).status_code == 200
    fetched = [r["path"] for r in graph.requests]
    assert fetched == ["/cdn/1492386734923812"]
    ticket = Ticket.objects.get()
    assert f"{graph.url}/cdn/internal-secret" in ticket.description and ticket.attachments.count() == 1
