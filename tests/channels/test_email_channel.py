"""The e-mail channel end to end (issue 18), against a real IMAP server (Dovecot) and a real SMTP server (aiosmtpd):
the citizen's e-mail becomes a ticket, the desk's answers leave threaded by e-mail, and the citizen's reply lands
on the same ticket (``tests/channels/mail_servers.py``)."""

# ruff: noqa: F811 - pytest fixtures imported from tests.channels.mail_servers / tests.layanan.conftest
from __future__ import annotations

import datetime
from email.message import EmailMessage

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone, translation
from django.utils.translation import gettext

from layanan.calendar.workdays import add_working_days
from layanan.channels import email_in
from layanan.channels.models import ChannelAccount, ChannelKind, ChannelMessage
from layanan.core import outbox
from layanan.core.models.messages import Message
from layanan.core.models.outbox import OutboxTask
from layanan.core.models.tickets import Ticket
from layanan.core.workflow import apply_transition
from tests.channels.mail_servers import MAILBOX_ADDRESS, dovecot, fixture_bytes, mailbox, smtp_sink  # noqa: F401
from tests.channels.test_channel_admin import LIST_URL, row_text
from tests.layanan.conftest import (  # noqa: F401 - fixtures
    desk_users,
    make_user,
    minimal_pdf,
    social_admin,
    synced_holidays,
    units,
    wib,
)

pytestmark = pytest.mark.django_db

#: A Tuesday in March 2026: the 10 working days run over Nyepi and Idul Fitri with its collective leave.
ARRIVAL = wib(2026, 3, 17, 10, 0)
with translation.override(settings.LANGUAGE_CODE):  # the e-mails' language (Indonesian)
    DO_NOT_REPLY = gettext("This e-mail was sent automatically; please do not reply to this address.")
    MAY_REPLY = gettext(
        "You may reply to this e-mail: your reply is added to this matter. Please keep the tracking number in the "
        "subject."
    )


def run_outbox() -> int:
    """Run every waiting outbox task here (the worker's job), as if its time had come."""
    return outbox.drain(direct=True, now=timezone.now() + datetime.timedelta(days=1))


def replace_header(raw: bytes, name: str, value: str) -> bytes:
    lines = raw.replace(b"\r\n", b"\n").split(b"\n")
    out, skipping = [], False
    for line in lines:
        if skipping and line[:1] in (b" ", b"\t"):
            continue
        skipping = line.lower().startswith(name.lower().encode() + b":")
        out.append(f"{name}: {value}".encode() if skipping else line)
    return b"\n".join(out)


def intake_ticket() -> Ticket:
    return Ticket.objects.get(service="social")


def triage_into_ppid(officer) -> Ticket:
    updated = apply_transition(intake_ticket(), "to_ppid", officer, note="Permohonan informasi lewat e-mail.")
    return Ticket.objects.get(tracking_number=updated.transition_result["_submission"].ticket.tracking_number)


def test_an_emailed_request_becomes_a_ppid_request_answered_and_continued_by_email(
    mailbox, smtp_sink, synced_holidays, social_admin, desk_users
):
    request = fixture_bytes("request.eml")
    mailbox.deliver(request, ARRIVAL)

    assert email_in.poll_mailbox() == 1
    ticket = intake_ticket()
    assert ticket.channel == "email" and ticket.applicant_email == "sri.wahyuni@example.net"
    assert "data kapal tenggelam" in ticket.subject + ticket.description
    assert [a.original_name for a in ticket.attachments.all()] == ["ktp-sri-wahyuni.pdf"]
    assert mailbox.unseen() == []  # marked seen once stored

    # polled again, and the same message delivered a second time: still one ticket
    assert email_in.poll_mailbox() == 0
    mailbox.deliver(request, ARRIVAL)
    assert email_in.poll_mailbox() == 1
    assert Ticket.objects.filter(service="social").count() == 1
    assert ChannelAccount.objects.get(kind=ChannelKind.EMAIL).last_error == ""
    run_outbox()
    citizen_id = "<CAF3q8Zx1request.20261203091400@mail.example.net>"
    (ack,) = smtp_sink.messages  # the sender learns it arrived (once, although delivered twice) — and nothing else
    assert ticket.tracking_number in ack["Subject"] and ack["Auto-Submitted"] == "auto-replied"
    assert ack["In-Reply-To"] == citizen_id and ack["To"] == "sri.wahyuni@example.net"
    ack_id = ack["Message-ID"].strip()
    smtp_sink.messages.clear()

    request_ticket = triage_into_ppid(social_admin)
    assert request_ticket.service == "ppid_request" and request_ticket.applicant_email == "sri.wahyuni@example.net"
    assert request_ticket.received_at == ARRIVAL
    assert request_ticket.due_date == add_working_days(ARRIVAL.date(), 10).due_date
    assert [a.original_name for a in request_ticket.attachments.all()] == ["ktp-sri-wahyuni.pdf"]

    run_outbox()
    (receipt,) = smtp_sink.messages
    assert request_ticket.tracking_number in receipt["Subject"]
    assert receipt["In-Reply-To"] == citizen_id and citizen_id in receipt["References"]
    assert receipt["Reply-To"] == MAILBOX_ADDRESS
    body = receipt.get_content()
    assert DO_NOT_REPLY not in body and MAY_REPLY in body

    apply_transition(request_ticket, "request_completion", desk_users["ppid"], note="Mohon lengkapi cakupan wilayah.")
    run_outbox()
    receipt_id, step = receipt["Message-ID"].strip(), smtp_sink.messages[-1]
    step_id = step["Message-ID"].strip()
    assert len(smtp_sink.messages) == 2 and request_ticket.tracking_number in step["Subject"]
    assert "Mohon lengkapi cakupan wilayah." in step.get_content()
    assert step["In-Reply-To"] == citizen_id
    assert step["References"].split() == [citizen_id, ack_id, receipt_id]
    assert step_id not in (citizen_id, receipt_id)

    # the citizen answers the officer's e-mail: it lands on the same ticket, as the completion it waited for
    reply = replace_header(fixture_bytes("reply-to-ticket.eml"), "In-Reply-To", step_id)
    reply = replace_header(reply, "References", f"{citizen_id} {step_id}")
    mailbox.deliver(reply)
    assert email_in.poll_mailbox() == 1
    request_ticket.refresh_from_db()
    assert request_ticket.status == "verification"
    answer = request_ticket.timeline.get(action="applicant_completes")
    assert "cukup untuk wilayah Sulawesi dan Maluku saja" in answer.note
    assert "Mohon lengkapi cakupan" not in answer.note and "menulis:" not in answer.note  # quoted history cut
    assert Ticket.objects.count() == 2 and mailbox.unseen() == []
    envelope = ChannelMessage.objects.get(external_id="<CAF3q8Zx2reply.20261205200200@mail.example.net>")
    assert envelope.ticket == request_ticket and envelope.data["in_reply_to"] == step_id

    # the citizen's out-of-office answers the officer's e-mail, threaded to it and naming the ticket: it creates
    # nothing on the ticket and nothing is sent back
    run_outbox()  # what the citizen's answer set off (the officers told)
    smtp_sink.messages.clear()
    steps = request_ticket.timeline.count()
    auto = replace_header(fixture_bytes("auto-reply.eml"), "In-Reply-To", step_id)
    auto = replace_header(auto, "Subject", f"Balasan otomatis: [{request_ticket.tracking_number}] Permintaan")
    mailbox.deliver(auto)
    assert email_in.poll_mailbox() == 1
    request_ticket.refresh_from_db()
    assert request_ticket.status == "verification" and request_ticket.timeline.count() == steps
    assert not Message.objects.filter(ticket=request_ticket, text__contains="cuti").exists()
    assert Ticket.objects.count() == 2
    assert ChannelMessage.objects.get(external_id="<autoreply.20261206080000@mail.example.net>").reason == "auto_reply"
    assert run_outbox() == 0 and smtp_sink.messages == []


def test_auto_replies_and_bounces_create_nothing_and_send_nothing(mailbox, smtp_sink, synced_holidays):
    mailbox.deliver(fixture_bytes("auto-reply.eml"))
    mailbox.deliver(fixture_bytes("bounce.eml"))
    own = EmailMessage()
    own["From"], own["To"], own["Subject"] = MAILBOX_ADDRESS, MAILBOX_ADDRESS, "[PPID-2026-000001] loop"
    own.set_content("Our own notice, delivered back to the mailbox.")
    mailbox.deliver(own.as_bytes())

    assert email_in.poll_mailbox() == 3
    assert not Ticket.objects.exists()
    reasons = dict(ChannelMessage.objects.values_list("external_id", "reason"))
    assert reasons["<autoreply.20261206080000@mail.example.net>"] == "auto_reply"
    assert reasons["<20261206010500.4F2A1C0123@mx.ppid.example.go.id>"] == "bounce"
    assert sorted(reasons.values()) == ["auto_reply", "bounce", "loop"]
    assert ChannelMessage.objects.filter(status=ChannelMessage.Status.IGNORED).count() == 3
    assert run_outbox() == 0 and smtp_sink.messages == []
    assert mailbox.unseen() == []


def test_a_latin1_quoted_printable_message_is_decoded(mailbox, synced_holidays):
    mailbox.deliver(fixture_bytes("latin1-qp.eml"))
    assert email_in.poll_mailbox() == 1
    ticket = intake_ticket()
    assert ticket.applicant_name == "Joséphine Lumban Gaol" and ticket.applicant_email == "jlg@example.com"
    assert "Permohonan data anggaran - sosialisasi Nias Selatan (Joséphine)" in ticket.description
    assert "Kabupaten Nias Selatan.\nNama saya Joséphine Lumban Gaol, pekerjaan wartawan." in ticket.description


def test_a_refused_attachment_is_named_and_the_message_kept(mailbox, synced_holidays):
    message = EmailMessage()
    message["From"], message["To"] = "Budi <budi@example.org>", MAILBOX_ADDRESS
    message["Subject"], message["Message-ID"] = "Laporan dengan lampiran", "<files.1@example.org>"
    message.set_content("Terlampir dokumen pendukung.")
    message.add_attachment(
        b"MZ\x90\x00" + b"\x00" * 200, maintype="application", subtype="octet-stream", filename="program.exe"
    )
    message.add_attachment(
        b"<html><script>alert(1)</script></html>", maintype="application", subtype="pdf", filename="surat.pdf"
    )
    mailbox.deliver(message.as_bytes())

    assert email_in.poll_mailbox() == 1
    ticket = intake_ticket()
    assert "Terlampir dokumen pendukung." in ticket.description
    assert "program.exe" in ticket.description and "surat.pdf" in ticket.description
    assert not ticket.attachments.exists()
    assert mailbox.unseen() == []


def test_a_tracking_number_in_the_subject_reaches_the_ticket_only_from_its_applicant(
    mailbox, synced_holidays, social_admin
):
    mailbox.deliver(fixture_bytes("request.eml"), ARRIVAL)
    email_in.poll_mailbox()
    request_ticket = triage_into_ppid(social_admin)

    def letter(sender: str, number: int) -> bytes:
        message = EmailMessage()
        message["From"], message["To"] = sender, MAILBOX_ADDRESS
        message["Subject"] = f"Tambahan untuk {request_ticket.tracking_number}"
        message["Message-ID"] = f"<subject.{number}@example.net>"
        message.set_content(f"Tambahan keterangan nomor {number}.")
        return message.as_bytes()

    mailbox.deliver(letter("Someone Else <other@example.com>", 1))
    mailbox.deliver(letter("Sri <SRI.Wahyuni@example.net>", 2))
    assert email_in.poll_mailbox() == 2

    stranger = ChannelMessage.objects.get(external_id="<subject.1@example.net>")
    assert stranger.ticket != request_ticket and stranger.ticket.service == "social"
    assert not Message.objects.filter(ticket=request_ticket, text__contains="nomor 1").exists()
    applicant = ChannelMessage.objects.get(external_id="<subject.2@example.net>")
    assert applicant.ticket == request_ticket
    assert "Tambahan keterangan nomor 2." in applicant.message.text
    assert applicant.message.ticket == request_ticket


def test_with_the_mailbox_down_the_poll_records_the_error_and_loses_nothing(mailbox, dovecot, synced_holidays):
    mailbox.deliver(fixture_bytes("latin1-qp.eml"))
    dovecot.stop()
    try:
        assert email_in.poll_mailbox() == 0
        account = ChannelAccount.objects.get(kind=ChannelKind.EMAIL)
        assert account.last_error and str(dovecot.port) in account.last_error
        assert account.last_poll_at is not None and account.last_error_at is not None
        assert not Ticket.objects.exists()
    finally:
        dovecot.start()
    assert mailbox.unseen() != []  # still waiting, unseen
    assert email_in.poll_mailbox() == 1
    assert intake_ticket().applicant_email == "jlg@example.com"
    account = ChannelAccount.objects.get(kind=ChannelKind.EMAIL)
    assert account.last_error == "" and account.last_success_at is not None
    assert mailbox.unseen() == []


def test_a_message_that_cannot_be_stored_stays_unseen_and_the_poll_goes_on(mailbox, synced_holidays, monkeypatch):
    classify = email_in.classify

    def failing(parsed):
        if parsed.subject == "rusak":
            raise RuntimeError("database down")
        return classify(parsed)

    monkeypatch.setattr(email_in, "classify", failing)
    broken = b"From: a@warga.example\nTo: ppid@ppid.example.go.id\nSubject: rusak\nMessage-ID: <%d@x>\n\nHalo.\n"
    for number in range(3):  # more failing messages than the poll's limit: they never keep new mail out
        mailbox.deliver(broken % number)
    mailbox.deliver(fixture_bytes("latin1-qp.eml"))
    assert email_in.poll_mailbox(limit=2) == 1
    assert Ticket.objects.count() == 1
    assert len(mailbox.unseen()) == 3 and len(mailbox.all()) == 4
    left = mailbox.unseen()[0]
    assert f"UID {left.decode()}:" in ChannelAccount.objects.get(kind=ChannelKind.EMAIL).last_error


def test_a_mail_without_a_sender_is_recorded_and_marked_seen(mailbox, synced_holidays):
    """It can never become readable: left unseen, a hundred of them (spam) would fill every poll for good."""
    mailbox.deliver(b"To: ppid@ppid.example.go.id\nSubject: no sender\nMessage-ID: <nosender@x>\n\nHalo.\n")
    mailbox.deliver(fixture_bytes("latin1-qp.eml"))
    assert email_in.poll_mailbox() == 2
    assert Ticket.objects.count() == 1 and mailbox.unseen() == []
    ignored = ChannelMessage.objects.get(status="ignored")
    assert ignored.reason == "no_sender" and ignored.ticket is None
    assert ChannelAccount.objects.get(kind=ChannelKind.EMAIL).last_error == ""


def test_a_mail_with_too_many_attachments_keeps_the_first_and_names_the_rest(mailbox, synced_holidays, settings):
    """The intake refuses more than PESAN_ATTACHMENT_MAX_FILES files: the message kept them all, so it failed
    every poll, unseen for good."""
    settings.PESAN_ATTACHMENT_MAX_FILES = 2
    message = EmailMessage()
    message["From"] = "Warga <warga@contoh.example>"
    message["To"] = MAILBOX_ADDRESS
    message["Subject"] = "Permohonan dengan banyak lampiran"
    message["Message-ID"] = "<banyak@contoh.example>"
    message.set_content("Mohon salinan dokumen berikut.")
    for number in range(4):
        message.add_attachment(minimal_pdf(), maintype="application", subtype="pdf", filename=f"dok-{number}.pdf")
    mailbox.deliver(message.as_bytes())
    assert email_in.poll_mailbox() == 1 and mailbox.unseen() == []
    ticket = Ticket.objects.get(service="social")
    assert sorted(a.original_name for a in ticket.attachments.all()) == ["dok-0.pdf", "dok-1.pdf"]
    assert "dok-2.pdf" in ticket.description and "dok-3.pdf" in ticket.description


def test_with_the_smtp_server_down_the_receipt_waits_and_leaves_when_it_is_back(
    client, mailbox, smtp_sink, synced_holidays, social_admin
):
    mailbox.deliver(fixture_bytes("request.eml"), ARRIVAL)
    email_in.poll_mailbox()
    smtp_sink.stop()
    request_ticket = triage_into_ppid(social_admin)
    run_outbox()
    task = OutboxTask.objects.get(func="layanan.tasks.notify_received")
    assert task.done_at is None and "Connection refused" in task.last_error
    assert not ChannelMessage.objects.filter(direction="out").exists()  # nothing recorded as sent
    # the error is visible on the channel screen
    client.force_login(User.objects.create_superuser("kanal-admin", "kanal@example.go.id", "x"))
    assert "Connection refused" in row_text(client.get(LIST_URL).content.decode(), "email")

    smtp_sink.start()
    run_outbox()
    (receipt,) = smtp_sink.messages
    assert request_ticket.tracking_number in receipt["Subject"]
    assert ChannelMessage.objects.get(direction="out").external_id == receipt["Message-ID"].strip()
    task.refresh_from_db()
    assert task.done_at is not None


def test_connection_check_verifies_the_certificate_and_a_disabled_channel_is_not_read(mailbox, settings):
    ok, message = email_in.test_connection()
    assert ok and "INBOX" in message
    settings.PESAN_IMAP_CAFILE = ""  # the system's CAs do not vouch for the test server's certificate
    ok, message = email_in.test_connection()
    assert not ok and "127.0.0.1" in message and "CERTIFICATE_VERIFY_FAILED" in message
    ChannelAccount.objects.filter(kind=ChannelKind.EMAIL).update(enabled=False)
    mailbox.deliver(fixture_bytes("latin1-qp.eml"))
    assert email_in.poll_mailbox() == 0 and len(mailbox.unseen()) == 1


def test_the_poll_is_scheduled_every_two_minutes():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(func="layanan.channels.email_in.poll_mailbox")
    assert schedule.schedule_type == Schedule.MINUTES and schedule.minutes == 2
