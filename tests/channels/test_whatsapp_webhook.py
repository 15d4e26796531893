"""WhatsApp webhook (issue 18): Meta's subscription check, the signature, one ticket per message however often it is
delivered, media downloaded into the ticket, one conversation per number and open ticket, nothing lost when a
download fails."""

# ruff: noqa: F811 - pytest fixtures imported from tests.channels.graph_server / tests.layanan.conftest

import json

import pytest

from layanan.channels.models import ChannelAccount, ChannelMessage
from layanan.core.models.tickets import Ticket
from tests.channels.graph_server import (  # noqa: F401 - fixtures
    APP_SECRET,
    META_URL,
    TOKEN,
    VERIFY_TOKEN,
    WHATSAPP_URL,
    fixture_bytes,
    graph,
    meta_channels,
    post_webhook,
    restamped,
    sign,
)

pytestmark = pytest.mark.django_db

WA_ID = "6281234567001"


def verify_query(token: str) -> str:
    return fixture_bytes("whatsapp/verify.txt").decode().strip().replace("<the verify token you configure>", token)


def test_subscription_check_answers_the_challenge_only_with_the_right_token(client, meta_channels):
    answer = client.get(f"{WHATSAPP_URL}?{verify_query(VERIFY_TOKEN)}")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/plain") and answer.content == b"1158201444"
    assert client.get(f"{META_URL}?{verify_query(VERIFY_TOKEN)}").content == b"1158201444"
    assert client.get(f"{WHATSAPP_URL}?{verify_query('wrong-token')}").status_code == 403
    assert (
        client.get(f"{WHATSAPP_URL}?{verify_query(VERIFY_TOKEN).replace('subscribe', 'unsubscribe')}").status_code
        == 403
    )


def test_subscription_check_refused_when_no_token_is_configured(client, meta_channels, settings):
    settings.PESAN_META_VERIFY_TOKEN = ""
    assert client.get(f"{WHATSAPP_URL}?{verify_query('')}").status_code == 403


def test_wrong_signature_gets_403_and_stores_nothing(client, meta_channels, settings):
    body = fixture_bytes("whatsapp/text.json")
    assert post_webhook(client, WHATSAPP_URL, body, signature=sign(body, "another-secret")).status_code == 403
    assert post_webhook(client, WHATSAPP_URL, body, signature="").status_code == 403
    tampered = body.replace(b"Terima kasih", b"Terima kasih!!")
    assert post_webhook(client, WHATSAPP_URL, tampered, signature=sign(body)).status_code == 403
    settings.PESAN_META_APP_SECRET = ""  # no secret configured: nothing can be checked, so nothing is accepted
    assert post_webhook(client, WHATSAPP_URL, body, signature=sign(body, "")).status_code == 403
    settings.PESAN_META_APP_SECRET = APP_SECRET
    ChannelAccount.objects.filter(kind="whatsapp").update(enabled=False)  # channel switched off
    assert post_webhook(client, WHATSAPP_URL, body).status_code == 403
    assert not ChannelMessage.objects.exists() and not Ticket.objects.exists()
    assert ChannelAccount.objects.get(kind="whatsapp").last_webhook_at is None


def test_signed_message_is_stored_once_even_when_delivered_twice(client, meta_channels):
    assert post_webhook(client, WHATSAPP_URL, fixture_bytes("whatsapp/text.json")).status_code == 200
    assert post_webhook(client, WHATSAPP_URL, fixture_bytes("whatsapp/text-duplicate.json")).status_code == 200
    ticket = Ticket.objects.get()
    assert ticket.service == "social" and ticket.applicant_name == "Rahmat Hidayat"
    assert ticket.applicant_phone == "+6281234567001"
    assert "realisasi anggaran Kedeputian Bidang Kedaulatan Maritim" in ticket.description
    assert ticket.social.platform == "whatsapp"
    envelope = ChannelMessage.objects.get()
    assert envelope.direction == "in" and envelope.peer == WA_ID and envelope.ticket == ticket
    assert envelope.at.timestamp() == 1765000800  # the platform's time, so a request's deadline counts from it
    account = ChannelAccount.objects.get(kind="whatsapp")
    assert account.last_webhook_at is not None and account.last_error == ""


def test_image_and_document_are_downloaded_into_the_ticket(client, meta_channels):
    graph = meta_channels
    assert post_webhook(client, WHATSAPP_URL, restamped("whatsapp/image.json")).status_code == 200
    # a second message from the same number while its ticket is open lands on that ticket
    assert post_webhook(client, WHATSAPP_URL, restamped("whatsapp/document.json")).status_code == 200
    ticket = Ticket.objects.get()
    names = sorted(a.original_name for a in ticket.attachments.all())
    assert names == ["bukti-kuitansi.pdf", "whatsapp-image-1492386734923812.jpg"]
    assert "Foto papan pengumuman tender" in ticket.description
    assert ticket.timeline.filter(note__contains="Kuitansi pembayaran yang saya sebut").exists()
    assert ChannelMessage.objects.filter(ticket=ticket, direction="in").count() == 2
    downloads = [r for r in graph.requests if r["method"] == "GET"]
    assert [r["path"] for r in downloads] == [
        "/v23.0/1492386734923812",
        "/media/1492386734923812",
        "/v23.0/877431200654321",
        "/media/877431200654321",
    ]
    assert all(r["headers"]["Authorization"] == f"Bearer {TOKEN}" for r in downloads)
    # delivered again: no second download, no second message
    post_webhook(client, WHATSAPP_URL, restamped("whatsapp/document.json"))
    assert len(graph.requests) == 4 and ticket.attachments.count() == 2


def test_failed_download_keeps_the_message_and_names_the_missing_file(client, meta_channels):
    graph = meta_channels
    graph.fail_with = 500
    assert post_webhook(client, WHATSAPP_URL, restamped("whatsapp/document.json")).status_code == 200
    ticket = Ticket.objects.get()
    assert "Kuitansi pembayaran yang saya sebut" in ticket.description
    assert "bukti-kuitansi.pdf" in ticket.description and "877431200654321" in ticket.description
    assert not ticket.attachments.exists()
    envelope = ChannelMessage.objects.get()
    assert envelope.data["media_failed"][0]["id"] == "877431200654321"  # kept for a retry by hand
    assert "877431200654321" in ChannelAccount.objects.get(kind="whatsapp").last_error


def test_unknown_shapes_are_answered_200_and_store_nothing(client, meta_channels):
    assert post_webhook(client, WHATSAPP_URL, b"not json").status_code == 200
    odd = {"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "account_update", "value": {}}]}]}
    assert post_webhook(client, WHATSAPP_URL, odd).status_code == 200
    reaction = json.loads(fixture_bytes("whatsapp/text.json"))
    message = reaction["entry"][0]["changes"][0]["value"]["messages"][0]
    message.update({"type": "reaction", "reaction": {"message_id": "wamid.X", "emoji": "👍"}})
    message.pop("text")
    assert post_webhook(client, WHATSAPP_URL, reaction).status_code == 200
    assert not Ticket.objects.exists()
    assert ChannelMessage.objects.get().status == "ignored"


def test_a_get_or_post_to_the_webhook_needs_no_session_or_csrf(meta_channels):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert post_webhook(strict, WHATSAPP_URL, fixture_bytes("whatsapp/text.json")).status_code == 200
    assert strict.put(WHATSAPP_URL).status_code == 405


def test_an_error_while_storing_answers_500_so_meta_delivers_again(client, meta_channels, monkeypatch):
    from layanan.channels import meta

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    with monkeypatch.context() as patched:
        patched.setattr(meta, "receive", broken)
        assert post_webhook(client, WHATSAPP_URL, fixture_bytes("whatsapp/text.json")).status_code == 500
    assert "database went away" in ChannelAccount.objects.get(kind="whatsapp").last_error
    assert not Ticket.objects.exists()
    # Meta's next delivery of the same message is stored, once
    assert post_webhook(client, WHATSAPP_URL, fixture_bytes("whatsapp/text.json")).status_code == 200
    assert Ticket.objects.count() == 1 and ChannelAccount.objects.get(kind="whatsapp").last_error == ""


def test_an_unsigned_body_is_refused_before_it_is_parsed(client, meta_channels, monkeypatch):
    """Anyone can POST: a deeply nested JSON raised RecursionError in the parser (a 500 and a logged traceback per
    request) before the signature was even looked at."""
    from layanan.channels import meta

    nested = b"[" * 200_000 + b"]" * 200_000
    assert post_webhook(client, WHATSAPP_URL, nested, signature="sha256=" + "0" * 64).status_code == 403
    parsed = []
    monkeypatch.setattr(meta.json, "loads", lambda body: parsed.append(body) or {})
    assert post_webhook(client, WHATSAPP_URL, b"{}", signature="").status_code == 403
    assert parsed == []
    # signed, the same body is Meta's: not understood, answered 200
    monkeypatch.undo()
    assert post_webhook(client, WHATSAPP_URL, nested).status_code == 200


def test_signed_bodies_of_odd_shapes_are_answered_200_not_500(client, meta_channels):
    """Meta repeats anything but a 200 for days: a signed body PESAN does not understand is logged, not a 500."""
    odd_values = [
        {"messages": ["wamid.X"]},
        {"messages": [{"from": WA_ID, "id": "wamid.Y", "type": "text", "text": "no object", "context": None}]},
        {"messages": [{"from": WA_ID, "id": "wamid.Z", "type": "image", "image": "x"}], "metadata": []},
        {"statuses": ["sent"], "errors": ["x"], "contacts": [{"wa_id": WA_ID, "profile": "x"}]},
        {"messages": {"id": "x"}},
    ]
    for value in odd_values:
        body = {"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", "value": value}]}]}
        assert post_webhook(client, WHATSAPP_URL, body).status_code == 200, value
    not_entries = {"object": "whatsapp_business_account", "entry": ["x"]}
    assert post_webhook(client, WHATSAPP_URL, {"object": ["page"], "entry": []}).status_code == 200
    assert post_webhook(client, WHATSAPP_URL, not_entries).status_code == 200
    messenger = [{"sender": "x", "message": {"mid": "m_1", "text": "Halo", "attachments": ["x", {"payload": "y"}]}}]
    messenger += [{"sender": {"id": "1"}, "delivery": "x"}, {"sender": {"id": "1"}, "postback": "x"}]
    assert post_webhook(client, META_URL, {"object": "page", "entry": [{"messaging": messenger}]}).status_code == 200
    assert ChannelAccount.objects.get(kind="whatsapp").last_error == ""


def test_an_oversized_media_file_is_not_read_into_memory_and_the_message_is_kept(client, meta_channels, settings):
    graph = meta_channels
    settings.PESAN_ATTACHMENT_MAX_BYTES = 1000
    content, mime = graph.media["877431200654321"]
    graph.media["877431200654321"] = (content + b"0" * 5000, mime)
    assert post_webhook(client, WHATSAPP_URL, restamped("whatsapp/document.json")).status_code == 200
    ticket = Ticket.objects.get()
    assert not ticket.attachments.exists() and "877431200654321" in ticket.description
    error = ChannelMessage.objects.get().data["media_failed"][0]["error"]
    assert "melebihi batas" in error or "larger than the limit" in error  # the install's language


def test_a_status_of_a_message_whose_ticket_moved_to_wbs_is_applied_without_the_number(client, meta_channels):
    from layanan.channels.conversation import forget_peer, forgotten_id
    from layanan.channels.meta import apply_status

    wamid = "wamid.HBgNNjI4MTIzNDU2NzAwMRUCABEYEjQ0RjU2QkI5ODc2QTEyMzQ1NgA="
    post_webhook(client, WHATSAPP_URL, restamped("whatsapp/text.json"))
    ticket = Ticket.objects.get()
    out = ChannelMessage.objects.create(kind="whatsapp", direction="out", external_id=wamid, ticket=ticket, peer=WA_ID)
    apply_status(out, "sent")
    forget_peer(ticket)
    out.refresh_from_db()
    assert out.external_id == forgotten_id("whatsapp", wamid) and out.peer == ""
    assert post_webhook(client, WHATSAPP_URL, fixture_bytes("whatsapp/statuses.json")).status_code == 200
    out.refresh_from_db()
    assert out.status == "read" and out.peer == "" and out.data["statuses"][-1]["status"] == "read"
