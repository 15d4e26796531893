"""One conversation per ticket, whatever the channel (issue 18): the rules of ``layanan.channels.conversation``
without any server — the same message twice is one, a second message continues the open ticket, a triaged message
carries its sender, files and arrival into the new ticket, a closed ticket starts a new conversation, WBS keeps no
address, a refused file is named and never drops the message."""

from __future__ import annotations

import base64
import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from layanan.calendar.workdays import compute_deadline
from layanan.channels.conf import credentials, set_credentials
from layanan.channels.conversation import account, conversation_ticket, forgotten_id, receive, reply_route
from layanan.channels.models import ChannelAccount, ChannelMessage
from layanan.core.models.messages import Message
from layanan.core.models.retention import RetentionRule
from layanan.core.models.tickets import Ticket
from layanan.core.outbox import drain
from layanan.core.retention import run as retention_run
from layanan.core.workflow import apply_transition
from tests.layanan.conftest import minimal_pdf

pytestmark = pytest.mark.django_db

WA = "whatsapp"
NUMBER = "6281234567890"


@pytest.fixture
def social_admin(make_user):
    return make_user("sosmed", "Admin Media Sosial")


def wa(text: str, message_id: str, **extra):
    return receive(WA, external_id=message_id, peer=NUMBER, peer_name="Siti", text=text, **extra)


def test_the_same_message_twice_is_one_ticket_and_one_envelope():
    first = wa("Saya minta salinan DIPA 2026.", "wamid.A1")
    again = wa("Saya minta salinan DIPA 2026.", "wamid.A1")
    assert first.outcome == "new_ticket" and again.outcome == "duplicate" and not again.created
    assert again.ticket == first.ticket
    assert Ticket.objects.filter(service="social").count() == 1
    assert ChannelMessage.objects.filter(kind=WA, direction="in").count() == 1
    ticket = first.ticket
    assert ticket.social.platform == "whatsapp" and ticket.applicant_name == "Siti"
    assert ticket.description == "Saya minta salinan DIPA 2026."


def test_a_second_message_continues_the_open_ticket_as_the_citizens_message():
    first = wa("Halo, saya mau bertanya.", "wamid.B1")
    second = wa("Tentang anggaran 2026.", "wamid.B2")
    assert second.outcome == "message" and second.ticket == first.ticket
    message = Message.objects.get(ticket=first.ticket, direction="from_applicant")
    assert message.text == "Tentang anggaran 2026." and message.channel == "social_media"
    assert Ticket.objects.filter(service="social").count() == 1


def test_triage_carries_sender_files_and_arrival_and_the_conversation_follows(social_admin, settled_holidays):
    arrived = timezone.now() - datetime.timedelta(days=3)
    pdf = ContentFile(minimal_pdf(), name="ktp.pdf")
    first = receive(
        "email",
        external_id="<abc@warga.example>",
        peer="Siti@Warga.example",
        peer_name="Siti Aminah",
        text="Permohonan salinan kontrak pengadaan 2025.",
        files=[pdf],
        received_at=arrived,
        contact={"email": "siti@warga.example"},
    )
    assert first.ticket.channel == "email" and first.ticket.attachments.count() == 1
    updated = apply_transition(first.ticket, "to_ppid", social_admin)
    request = updated.transition_result["_submission"].ticket
    assert request.channel == "email" and request.applicant_email == "siti@warga.example"
    assert request.received_at == arrived
    expected = compute_deadline(arrived, 10).due_date  # the rule itself: office hours, weekends, holidays
    assert request.due_date == expected  # 10 working days from the e-mail's arrival, not from the triage
    assert [a.original_name for a in request.attachments.all()] == ["ktp.pdf"]
    assert not first.ticket.attachments.exists()  # moved, not copied twice
    # the officer asks for completion; the citizen's next e-mail is the awaited completion
    apply_transition(request, "request_completion", None, note="Mohon lampirkan KTP yang jelas.")
    same_sender = receive(
        "email", external_id="<ghi@warga.example>", peer="siti@warga.example", text="Permohonan lain: data hibah."
    )
    assert same_sender.outcome == "new_ticket"  # an e-mail's From alone never continues a ticket (it can be forged)
    reply = receive(
        "email",
        external_id="<def@warga.example>",
        peer="siti@warga.example",
        text="Terlampir KTP yang jelas.",
        ticket=request,  # matched by its threading headers (layanan.channels.email_in)
    )
    assert reply.ticket == request and reply.outcome == "reply"
    request.refresh_from_db()
    assert request.status == "verification"
    assert Message.objects.filter(ticket=request, direction="from_applicant", channel="email").count() == 1


def test_a_closed_ticket_starts_a_new_conversation(social_admin):
    first = wa("Terima kasih infonya.", "wamid.C1")
    apply_transition(first.ticket, "dismiss", social_admin, reason="Ucapan terima kasih.")
    assert conversation_ticket(WA, NUMBER) is None
    again = wa("Saya ingin mengadu soal layanan.", "wamid.C2")
    assert again.outcome == "new_ticket" and again.ticket != first.ticket


def test_a_message_moved_to_wbs_forgets_the_number_and_never_continues_there(social_admin):
    first = wa("Ada pungutan liar di loket.", "wamid.D1")
    apply_transition(first.ticket, "to_wbs", social_admin, violation_type="gratification")
    envelope = ChannelMessage.objects.get(ticket=first.ticket)
    assert envelope.peer == envelope.peer_name == envelope.peer_key == ""
    assert envelope.external_id == forgotten_id(WA, "wamid.D1")  # a wamid carries the number: only its hash stays
    stub = Ticket.objects.get(pk=first.ticket.pk).social
    assert stub.message_id.startswith("h:") and "wamid" not in stub.message_id
    report = Ticket.objects.get(service="wbs")
    assert reply_route(report) is None  # nothing about the report goes through WhatsApp
    later = wa("Apakah laporan saya diproses?", "wamid.D2")
    assert later.outcome == "new_ticket" and later.ticket.service == "social"
    assert not Message.objects.filter(ticket=report, direction="from_applicant").exists()
    assert wa("Ada pungutan liar di loket.", "wamid.D1").outcome == "duplicate"  # still recognised


def test_a_refused_file_is_named_and_the_message_is_kept():
    fake = ContentFile(b"<html><script>alert(1)</script></html>", name="surat.pdf")
    result = wa("Berikut suratnya.", "wamid.E1", files=[fake])
    assert result.outcome == "new_ticket" and result.refused and "surat.pdf" in result.refused[0]
    assert not result.ticket.attachments.exists()
    assert "surat.pdf" in result.ticket.description and result.ticket.description.startswith("Berikut suratnya.")


def test_retention_anonymisation_removes_the_address_from_the_envelopes(social_admin):
    first = wa("Mohon info jadwal layanan.", "wamid.F1")
    apply_transition(first.ticket, "dismiss", social_admin, reason="Sudah dijawab di kanal.")
    RetentionRule.objects.update_or_create(service="social", defaults={"action": "anonymise", "active": True})
    report = retention_run(timezone.localdate() + datetime.timedelta(days=366 * 40))
    assert report.anonymised >= 1
    envelope = ChannelMessage.objects.get(ticket=first.ticket)
    assert envelope.peer == envelope.peer_name == envelope.peer_key == ""
    assert envelope.external_id == forgotten_id(WA, "wamid.F1")


# A WhatsApp wamid as the platform makes it: base64 of the sender's wa_id and a random part.
REAL_WAMID = "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFjNFQjBDNzU4QTE5RjJBNkQ3OEE4MEEA"


def test_a_wamid_names_the_number_so_a_report_moved_to_wbs_keeps_no_wamid(social_admin):
    assert NUMBER.encode() in base64.b64decode(REAL_WAMID.removeprefix("wamid."))  # why the id is personal data
    first = wa("Kepala seksi meminta uang pelicin.", REAL_WAMID)
    apply_transition(first.ticket, "to_wbs", social_admin, violation_type="gratification")
    stub = Ticket.objects.get(pk=first.ticket.pk)
    visible = [stub.social.message_id, *ChannelMessage.objects.values_list("external_id", flat=True)]
    assert not any("HBgN" in value or NUMBER in value for value in visible)
    assert wa("Kepala seksi meminta uang pelicin.", REAL_WAMID).outcome == "duplicate"  # Meta's repeat: still one
    assert Ticket.objects.filter(service="social").count() == 1


def test_a_lapor_report_from_whatsapp_transferred_to_wbs_forgets_the_number_of_its_message(social_admin, desk_users):
    first = wa("Petugas loket meminta imbalan.", "wamid.H1")
    apply_transition(first.ticket, "to_lapor", social_admin, classification="pengaduan")
    lapor = Ticket.objects.get(service="lapor")
    admin = desk_users["lapor"]
    lapor = apply_transition(lapor, "verify", admin)
    apply_transition(lapor, "transfer_to_wbs", admin, violation_type="extortion", note="Dugaan pungli.")
    envelope = ChannelMessage.objects.get(ticket=first.ticket)  # the message's envelope is on the social ticket
    assert envelope.peer == envelope.peer_key == "" and envelope.external_id == forgotten_id(WA, "wamid.H1")
    assert not ChannelMessage.objects.filter(peer=NUMBER).exists()


def test_many_files_keep_the_first_and_name_the_rest_instead_of_losing_the_message(settings):
    settings.PESAN_ATTACHMENT_MAX_FILES = 2
    files = [ContentFile(minimal_pdf(), name=f"foto-{n}.pdf") for n in range(4)]
    result = receive("messenger", external_id="m_many", peer="7012", text="Bukti-bukti.", files=files)
    assert result.outcome == "new_ticket"
    assert sorted(a.original_name for a in result.ticket.attachments.all()) == ["foto-0.pdf", "foto-1.pdf"]
    assert [r.split(":")[0] for r in result.refused] == ["foto-2.pdf", "foto-3.pdf"]
    settings.PESAN_ATTACHMENT_MAX_FILES = 5
    settings.PESAN_ATTACHMENT_MAX_TOTAL_BYTES = len(minimal_pdf()) * 2
    files = [ContentFile(minimal_pdf(), name=f"surat-{n}.pdf") for n in range(3)]
    result = receive("messenger", external_id="m_big", peer="7013", text="Surat.", files=files)
    assert result.ticket.attachments.count() == 2 and "surat-2.pdf" in result.ticket.description


def test_the_meta_app_secret_entered_once_applies_to_whatsapp_instagram_and_messenger(settings):
    settings.PESAN_META_APP_SECRET = ""
    whatsapp = account("whatsapp")
    set_credentials(whatsapp, {"PESAN_META_APP_SECRET": "rahasia-aplikasi", "PESAN_WHATSAPP_ACCESS_TOKEN": "wa-token"})
    assert credentials("messenger")["PESAN_META_APP_SECRET"] == "rahasia-aplikasi"
    assert credentials("instagram")["PESAN_META_APP_SECRET"] == "rahasia-aplikasi"
    assert "PESAN_WHATSAPP_ACCESS_TOKEN" not in credentials("messenger")  # only the app's shared values
    set_credentials(account("messenger"), {"PESAN_META_APP_SECRET": "rahasia-lain"})
    assert credentials("messenger")["PESAN_META_APP_SECRET"] == "rahasia-lain"  # its own value first
    assert credentials("whatsapp")["PESAN_META_APP_SECRET"] == "rahasia-aplikasi"


def test_a_new_message_is_acknowledged_once_a_day_per_sender_and_never_on_a_disabled_channel(mailoutbox):
    def email(message_id: str):
        return receive(
            "email",
            external_id=message_id,
            peer="warga@contoh.example",
            text="Mohon informasi jadwal.",
            contact={"email": "warga@contoh.example"},
        )

    email("<m1@contoh.example>")
    drain(direct=True, now=timezone.now() + datetime.timedelta(days=1))
    assert mailoutbox == []  # the mailbox channel is not enabled: PESAN does not answer for it
    ChannelAccount.objects.update_or_create(
        kind="email", defaults={"enabled": True, "address": "ppid@kementerian.example"}
    )
    first = email("<m2@contoh.example>")
    email("<m3@contoh.example>")  # a second message (a forged sender, a flood): no second acknowledgement today
    drain(direct=True, now=timezone.now() + datetime.timedelta(days=1))
    (ack,) = mailoutbox
    assert first.ticket.tracking_number in ack.subject and ack.to == ["warga@contoh.example"]
    assert ack.extra_headers["Auto-Submitted"] == "auto-replied" and ack.extra_headers["In-Reply-To"]
    assert ack.reply_to == ["ppid@kementerian.example"]


def test_the_desk_timeline_says_how_each_message_arrived(client, social_admin):
    first = wa("Halo, saya mau bertanya.", "wamid.G1")
    wa("Tentang anggaran 2026.", "wamid.G2")
    client.force_login(social_admin)
    page = client.get(f"/admin/layanan/socialticket/inspect/{first.ticket.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tentang anggaran 2026." in html and "WhatsApp: diterima" in html
