"""Answers to a WhatsApp citizen (issue 18): the officer's step reaches the Graph API, statuses come back, the
24-hour window is enforced at the desk (or a template goes), nothing is lost while the Graph API is down, and a
message triaged into WBS forgets the number and sends nothing through WhatsApp."""

# ruff: noqa: F811 - pytest fixtures imported from tests.channels.graph_server / tests.layanan.conftest

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from layanan.channels import meta
from layanan.channels.models import ChannelAccount, ChannelMessage
from layanan.channels.outbound import DELIVER_TASK, check_reply_window
from layanan.core import outbox, registry
from layanan.core.models.outbox import OutboxTask
from layanan.core.models.tickets import Ticket
from layanan.core.workflow import TransitionError, apply_transition
from tests.channels.graph_server import (  # noqa: F401 - fixtures
    WHATSAPP_URL,
    fixture_bytes,
    graph,
    meta_channels,
    post_webhook,
    restamped,
)
from tests.layanan.conftest import desk_users, make_user, social_admin, synced_holidays, units  # noqa: F401

pytestmark = pytest.mark.django_db

WA_ID = "6281234567001"
NOTE = "Mohon lengkapi dengan fotokopi KTP dan tujuan penggunaan informasi."
FAR = datetime.timedelta(days=3)


def drain_all() -> None:
    """Run every pending outbox task, including those the tasks queue (a receipt queues its WhatsApp send)."""
    for _round in range(5):
        if not outbox.drain(direct=True, now=timezone.now() + FAR):
            return


def wa_ticket(client, at=None) -> Ticket:
    assert post_webhook(client, WHATSAPP_URL, restamped("whatsapp/text.json", at)).status_code == 200
    return Ticket.objects.filter(service="social").latest("pk")


@pytest.fixture
def request_ticket(client, meta_channels, social_admin, synced_holidays):
    """The WhatsApp message triaged into a PPID request (its receipt queued for WhatsApp)."""
    social = wa_ticket(client)
    apply_transition(social, "to_ppid", social_admin)
    return Ticket.objects.get(service="ppid_request")


def desk_step(client, user, ticket, action="request_completion", note=NOTE):
    client.force_login(user)
    return client.post(reverse("layanan_desk_action", args=[ticket.pk, action]), {"note": note})


def test_officer_reply_reaches_the_graph_api_and_the_envelope_gets_its_id(client, request_ticket, desk_users, graph):
    response = desk_step(client, desk_users["ppid"], request_ticket)
    assert response.status_code == 302
    drain_all()
    sends = graph.sent()
    assert [s["json"]["to"] for s in sends] == [WA_ID, WA_ID]
    receipt, step = (s["json"] for s in sends)
    assert receipt["type"] == "text" and request_ticket.tracking_number in receipt["text"]["body"]
    assert step["type"] == "text" and NOTE in step["text"]["body"] and step["messaging_product"] == "whatsapp"
    assert all(s["path"] == "/v23.0/106540352242922/messages" for s in sends)
    envelopes = ChannelMessage.objects.filter(direction="out", ticket=request_ticket).order_by("pk")
    assert [e.status for e in envelopes] == ["sent", "sent"]
    assert [e.external_id for e in envelopes] == ["wamid.TEST000001", "wamid.TEST000002"]  # the Graph API's ids
    assert all("text_sealed" not in e.data for e in envelopes)  # the text is not kept once sent
    assert ChannelAccount.objects.get(kind="whatsapp").last_success_at is not None
    # the citizen answers on WhatsApp: it is the completion the request waited for
    assert Ticket.objects.get(pk=request_ticket.pk).status == "needs_completion"
    post_webhook(client, WHATSAPP_URL, restamped("whatsapp/document.json"))
    request_ticket.refresh_from_db()
    assert request_ticket.status == "verification"
    assert request_ticket.attachments.filter(original_name="bukti-kuitansi.pdf").exists()


def test_statuses_update_the_outgoing_envelopes(client, request_ticket, desk_users, graph):
    first = "wamid.HBgNNjI4MTIzNDU2NzAwMRUCABEYEjQ0RjU2QkI5ODc2QTEyMzQ1NgA="
    second = "wamid.HBgNNjI4MTIzNDU2NzAwMRUCABEYEkFBQkJDQ0RERUVGRjAwMTEyMgA="
    graph.next_ids = [first, second]
    desk_step(client, desk_users["ppid"], request_ticket)
    drain_all()
    assert post_webhook(client, WHATSAPP_URL, fixture_bytes("whatsapp/statuses.json")).status_code == 200
    read = ChannelMessage.objects.get(direction="out", external_id=first)
    assert read.status == "read" and read.status_at.timestamp() == 1765004700
    assert [h["status"] for h in read.data["statuses"]] == ["sent", "sent", "delivered", "read"]
    failed = ChannelMessage.objects.get(direction="out", external_id=second)
    assert failed.status == "failed"
    assert "131047" in failed.error and "more than 24 hours have passed" in failed.error
    # a late "delivered" never takes back a "read"
    meta.apply_status(read, "delivered")
    read.refresh_from_db()
    assert read.status == "read"


def test_reply_after_24_hours_is_refused_at_the_desk_without_a_template(
    client, meta_channels, social_admin, desk_users, synced_holidays, settings
):
    graph = meta_channels
    social = wa_ticket(client, at=timezone.now() - datetime.timedelta(hours=25))
    apply_transition(social, "to_ppid", social_admin)
    request = Ticket.objects.get(service="ppid_request")
    response = desk_step(client, desk_users["ppid"], request)
    assert response.status_code == 200  # the form again, with the reason
    errors = response.context["form"].non_field_errors()
    transition = registry.get("ppid_request").machine.transition("request_completion")
    language = response.get("Content-Language") or settings.LANGUAGE_CODE
    with translation.override(language), pytest.raises(TransitionError) as refused:
        check_reply_window(request, transition, {})
    assert list(errors) == [refused.value.message]
    # a clear message: the 24-hour window, when it closed, and what to do instead
    assert "24" in refused.value.message and "PESAN_WHATSAPP_TEMPLATE" not in refused.value.message
    assert ("templat" in refused.value.message.lower()) and ("telepon" in refused.value.message.lower())
    assert html.escape(refused.value.message) in response.content.decode()
    request.refresh_from_db()
    assert request.status == "received"
    assert not ChannelMessage.objects.filter(direction="out", data__purpose="step").exists()
    # with an approved template configured, the answer goes, as that template
    settings.PESAN_WHATSAPP_TEMPLATE = "pesan_status_update"
    assert desk_step(client, desk_users["ppid"], request).status_code == 302
    drain_all()
    sends = [s["json"] for s in graph.sent()]
    assert len(sends) == 2 and {s["type"] for s in sends} == {"template"}
    request.refresh_from_db()
    step = sends[-1]
    assert step["to"] == WA_ID
    assert step["template"]["name"] == "pesan_status_update" and step["template"]["language"] == {"code": "id"}
    parameters = [p["text"] for p in step["template"]["components"][0]["parameters"]]
    assert parameters[0] == request.tracking_number and parameters[1] == request.status_label
    assert request.tracking_number in parameters[2]
    assert ChannelMessage.objects.get(direction="out", data__purpose="step").data["sent_as"] == "template"


def test_graph_api_down_loses_nothing_and_the_next_drain_sends_once(client, request_ticket, graph):
    graph.fail_with = 500
    drain_all()
    task = OutboxTask.objects.get(func=DELIVER_TASK)
    assert task.done_at is None and "500" in task.last_error
    envelope = ChannelMessage.objects.get(direction="out")
    assert envelope.status == "queued" and "HTTP 500" in envelope.error
    assert "HTTP 500" in ChannelAccount.objects.get(kind="whatsapp").last_error
    graph.stop()  # not even reachable
    drain_all()
    assert "unreachable" in ChannelAccount.objects.get(kind="whatsapp").last_error
    assert OutboxTask.objects.get(pk=task.pk).done_at is None
    graph.fail_with = None
    graph.requests.clear()
    graph.start()  # back, on the same address
    drain_all()
    drain_all()
    assert len(graph.sent()) == 1
    envelope.refresh_from_db()
    assert envelope.status == "sent" and envelope.external_id == "wamid.TEST000001"
    assert OutboxTask.objects.get(pk=task.pk).done_at is not None
    account = ChannelAccount.objects.get(kind="whatsapp")
    assert account.last_error == "" and account.last_success_at is not None


def test_message_triaged_into_wbs_forgets_the_number_and_sends_nothing(
    client, meta_channels, social_admin, synced_holidays
):
    graph = meta_channels
    social = wa_ticket(client)
    apply_transition(social, "to_wbs", social_admin, violation_type="bribery")
    envelope = ChannelMessage.objects.get(ticket=social)
    assert envelope.peer == "" and envelope.peer_name == "" and envelope.data == {}
    drain_all()
    assert graph.sent() == [] and not ChannelMessage.objects.filter(direction="out").exists()
    # the same number writes again: a new intake ticket, never the confidential report
    assert post_webhook(client, WHATSAPP_URL, restamped("whatsapp/image.json")).status_code == 200
    newest = ChannelMessage.objects.filter(direction="in").latest("pk")
    assert newest.ticket.service == "social" and newest.ticket != social
    assert not ChannelMessage.objects.filter(ticket__service="wbs").exists()


def test_connection_check(meta_channels):
    graph = meta_channels
    ok, message = meta.test_connection("whatsapp")
    assert ok and "PPID Kemenko" in message
    graph.fail_with = 500
    ok, message = meta.test_connection("whatsapp")
    assert not ok and "500" in message
