"""How one incoming e-mail is read (issue 18, ``layanan.channels.email_in.receive_email``), without a mail server:
what is kept of a reply, HTML-only messages, what is recognised as automatic, and the "do not reply" line."""

# ruff: noqa: F811 - pytest fixtures imported from tests.layanan.conftest
from __future__ import annotations

import datetime
from email.message import EmailMessage

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from layanan.channels import email_in
from layanan.channels.models import ChannelMessage
from layanan.core import outbox
from layanan.core.models.tickets import Ticket
from layanan.core.workflow import apply_transition
from tests.channels.mail_servers import MAILBOX_ADDRESS, fixture_bytes
from tests.layanan.conftest import make_user, social_admin, synced_holidays  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def letter(body: str = "Mohon salinan laporan keuangan 2025.", **headers) -> bytes:
    message = EmailMessage()
    message["From"] = headers.pop("From", "Rina <rina@example.org>")
    message["To"] = MAILBOX_ADDRESS
    message["Subject"] = headers.pop("Subject", "Permohonan informasi")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


def test_the_quoted_history_of_a_reply_is_cut_and_inline_answers_stay():
    fixture = email_in.parse(fixture_bytes("reply-to-ticket.eml")).text
    assert email_in.strip_quoted(fixture) == (
        "Baik, berikut saya lengkapi: informasi yang saya minta cukup untuk wilayah Sulawesi dan Maluku saja."
    )
    wrapped = (
        "Terima kasih, sudah saya terima.\n\nOn Fri, 5 Dec 2026 at 12:00, PPID <\nppid@example.go.id> wrote:\n> Yth."
    )
    assert email_in.strip_quoted(wrapped) == "Terima kasih, sudah saya terima."
    outlook = "Data terlampir.\n\n-----Original Message-----\nFrom: PPID\nSubject: x\n\nMohon lengkapi."
    assert email_in.strip_quoted(outlook) == "Data terlampir."
    inline = "> Wilayah mana?\nSulawesi.\n> Tahun berapa?\n2025."
    assert email_in.strip_quoted(inline) == inline
    assert email_in.strip_quoted("> only a quote") == "> only a quote"  # nothing would remain: kept whole


def test_an_html_only_message_becomes_plain_text(synced_holidays):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "Andi <andi@example.org>", MAILBOX_ADDRESS, "Permohonan"
    message["Message-ID"] = "<html.1@example.org>"
    message.set_content(
        "<html><head><style>p{color:red}</style></head><body><p>Mohon data <b>anggaran</b> &amp; realisasi.</p>"
        "<script>alert('x')</script><p>Terima kasih<br>Andi</p></body></html>",
        subtype="html",
    )
    email_in.receive_email(message.as_bytes())
    description = Ticket.objects.get(service="social").description
    assert "Mohon data anggaran & realisasi." in description and "Terima kasih\nAndi" in description
    assert "<" not in description and "alert" not in description and "color" not in description


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"List_Id": "<warga.lists.example.org>"}, "list"),
        ({"Precedence": "bulk"}, "auto_reply"),
        ({"X_Autorespond": "yes"}, "auto_reply"),
        ({"Return_Path": "<>"}, "auto_reply"),
        ({"From": "postmaster@mx.example.org"}, "bounce"),
        ({"From": "PPID <ppid@localhost>"}, "loop"),  # our own DEFAULT_FROM_EMAIL
        ({"Auto_Submitted": "no"}, ""),  # RFC 3834: "no" is a person writing
    ],
)
def test_automatic_messages_are_recognised(headers, reason, synced_holidays):
    result = email_in.receive_email(letter(**headers))
    assert (result.outcome == "ignored") == bool(reason)
    assert Ticket.objects.exists() != bool(reason)
    if reason:
        assert result.channel_message.reason == reason and result.ticket is None


def test_a_message_without_message_id_is_stored_once(synced_holidays):
    raw = letter()
    first = email_in.receive_email(raw)
    second = email_in.receive_email(raw)
    assert first.outcome == "new_ticket" and second.outcome == "duplicate"
    assert first.channel_message.external_id.startswith("sha256:")
    assert Ticket.objects.count() == 1


def test_arrival_falls_back_to_the_date_header_and_is_never_in_the_future(synced_holidays):
    email_in.receive_email(letter(Date="Thu, 03 Dec 2026 09:14:00 +0700", Message_ID="<past@example.org>"))
    past = ChannelMessage.objects.get(external_id="<past@example.org>")
    assert past.at == datetime.datetime(2026, 12, 3, 2, 14, tzinfo=datetime.UTC)
    before = timezone.now()
    email_in.receive_email(letter(Date="Fri, 01 Jan 2100 09:00:00 +0700", Message_ID="<future@example.org>"))
    future = ChannelMessage.objects.get(external_id="<future@example.org>")
    assert before <= future.at <= timezone.now()


def test_without_the_mailbox_the_answer_still_says_do_not_reply(synced_holidays, social_admin):
    email_in.receive_email(fixture_bytes("request.eml"))
    apply_transition(Ticket.objects.get(service="social"), "to_ppid", social_admin)
    outbox.drain(direct=True, now=timezone.now() + datetime.timedelta(days=1))
    (receipt,) = mail.outbox
    with translation.override(settings.LANGUAGE_CODE):
        assert gettext("This e-mail was sent automatically; please do not reply to this address.") in receipt.body
    assert receipt.reply_to == [] and receipt.extra_headers["In-Reply-To"].startswith("<CAF3q8Zx1request")
