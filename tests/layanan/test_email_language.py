"""Language of the outgoing e-mails: every subject and body goes through gettext and is rendered in
``settings.LANGUAGE_CODE`` (Indonesian by default, whatever language is active when the e-mail is triggered);
with ``LANGUAGE_CODE = "en"`` the same e-mails come out in English. The WBS notice stays content-free in both."""

import datetime

import pytest
from django.core import mail
from django.utils import translation

from layanan.core.models.tickets import Ticket
from layanan.core.workflow import apply_transition
from layanan.lapor import intake as lapor_intake
from layanan.ppid import intake as ppid_intake
from tests.layanan.conftest import lapor_payload, ppid_payload, wbs_payload, wib

pytestmark = pytest.mark.django_db

# Indonesian words of the e-mails that must never reach an English recipient.
INDONESIAN = ("Yth.", "Nomor registrasi", "Batas waktu", "Perihal", "Hormat kami", "E-mail ini dikirim otomatis")


@pytest.fixture(params=["id", "en"])
def language(request, settings):
    settings.LANGUAGE_CODE = request.param
    return request.param


def assert_english(text: str) -> None:
    for word in INDONESIAN:
        assert word not in text, word


# --- receipt ------------------------------------------------------------------------------------------------------
def test_receipt(language, synced_holidays, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submission = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0))
    number = submission.ticket.tracking_number
    [message] = mail.outbox
    assert message.to == ["siti@example.org"] and number in message.subject
    body = message.body
    if language == "id":
        assert f"diterima: {number}" in message.subject
        assert body.startswith("Yth. Siti Aminah,\n\n")
        assert "telah kami terima pada 2 Maret 2026 09.00 WIB." in body
        assert f"\nNomor registrasi : {number}\nPerihal          : " in body
        assert "\nBatas waktu      : " in body and "\nPerhitungan batas waktu:\n" in body
        assert f"\nToken akses      : {submission.access_token}\n" in body
        assert "Simpan token ini" in body and "Hormat kami," in body
    else:
        assert f"received: {number}" in message.subject and "diterima" not in message.subject
        assert body.startswith("Dear Siti Aminah,\n\n")
        assert "was received on 2 March 2026 09.00 WIB." in body
        assert f"\nTracking number : {number}\nSubject         : " in body
        assert "\nDue date        : " in body and "\nHow the due date was calculated:\n" in body
        assert f"\nAccess token    : {submission.access_token}\n" in body
        assert "Kind regards," in body
        assert_english(message.subject)
        assert_english(body)
        assert "Token akses" not in body and "Simpan token" not in body
    assert "3171234567890001" not in body  # never the NIK


def test_receipt_ignores_the_language_active_when_it_is_sent(synced_holidays, django_capture_on_commit_callbacks):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0))
    [message] = mail.outbox
    assert "diterima" in message.subject
    assert "Nomor registrasi" in message.body and "Tracking number" not in message.body


# --- step notice --------------------------------------------------------------------------------------------------
def test_step_notice(language, synced_holidays, desk_users, django_capture_on_commit_callbacks):
    ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0)).ticket
    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(ticket, "request_completion", desk_users["ppid"], note="Mohon lampirkan KTP")
    [message] = mail.outbox
    assert message.subject.startswith("[") and f"] {ticket.tracking_number}: " in message.subject
    body = message.body
    if language == "id":
        assert body.startswith("Yth. Siti Aminah,\n\nAda perkembangan pada ")
        assert f"\nNomor registrasi : {ticket.tracking_number}\nTahap            : " in body
        assert "\nBatas waktu      : " in body
        assert "\nKeterangan:\nMohon lampirkan KTP\n" in body
        assert "Lihat status lengkap di " in body and "Hormat kami," in body
    else:
        assert body.startswith("Dear Siti Aminah,\n\nThere is news on your ")
        assert f"\nTracking number : {ticket.tracking_number}\nStep            : " in body
        assert "\nDue date        : " in body
        assert "\nRemarks:\nMohon lampirkan KTP\n" in body
        assert "See the full status at " in body
        assert_english(body)
        assert "Keterangan" not in body and "Ada perkembangan" not in body


# --- disposition to a unit ----------------------------------------------------------------------------------------
def test_disposition(language, synced_holidays, desk_users, units, django_capture_on_commit_callbacks):
    ticket = lapor_intake.submit_lapor_report(lapor_payload(anonymous=True), received_at=wib(2026, 3, 2, 9, 0)).ticket
    ticket = apply_transition(ticket, "verify", desk_users["lapor"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(ticket, "assign", desk_users["lapor"], unit=units[0].pk, note="Segera tindak lanjuti")
    [message] = [m for m in mail.outbox if m.to == ["dep1@example.org"]]
    body = message.body
    if language == "id":
        assert f"Disposisi {ticket.tracking_number}: " in message.subject
        assert body.startswith("Yth. Kedeputian Satu,\n\nTiket berikut didisposisikan kepada unit Anda")
        assert f"\nNomor registrasi : {ticket.tracking_number}\nLayanan          : " in body
        assert "\nBatas waktu      : " in body
        assert "\nPelapor          : (dirahasiakan — laporan anonim)\n" in body
        assert "\nCatatan disposisi:\nSegera tindak lanjuti\n" in body
        assert "\nBuka tiket di meja layanan: " in body
    else:
        assert f"Disposition {ticket.tracking_number}: " in message.subject
        assert "Disposisi" not in message.subject
        assert body.startswith("Dear Kedeputian Satu,\n\nThe following ticket has been assigned to your unit")
        assert f"\nTracking number    : {ticket.tracking_number}\nService            : " in body
        assert "\nReporter           : (withheld — anonymous report)\n" in body
        assert "\nDisposition note:\nSegera tindak lanjuti\n" in body
        assert "\nOpen the ticket in the service desk: " in body
        assert_english(body)
        assert "Pelapor" not in body and "Catatan disposisi" not in body
    assert "Budi" not in body and "budi@example.org" not in body  # anonymous: no identity, in any language


# --- daily digest -------------------------------------------------------------------------------------------------
def test_digest(language, synced_holidays, desk_users, units):
    from layanan.core.notifications import send_digest

    overdue = ppid_intake.submit_ppid_request(
        ppid_payload(information_requested="Lama"), received_at=wib(2026, 3, 2, 9, 0)
    ).ticket
    apply_transition(overdue, "assign", desk_users["ppid"], unit=units[0].pk)
    fresh = ppid_intake.submit_ppid_request(
        ppid_payload(information_requested="Baru"), received_at=wib(2026, 3, 2, 9, 0)
    ).ticket
    Ticket.objects.filter(pk=fresh.pk).update(due_date=datetime.date(2026, 3, 30))
    mail.outbox.clear()
    assert send_digest(today=datetime.date(2026, 3, 25)) == 2
    message = {m.to[0]: m for m in mail.outbox}["ppid@example.org"]
    body = message.body
    assert overdue.tracking_number in body and fresh.tracking_number in body
    if language == "id":
        assert message.subject.endswith("] Rekap harian Rabu, 25 Maret 2026: 1 lewat batas waktu, 2 tiket")
        assert body.startswith("Rekap harian meja layanan — Rabu, 25 Maret 2026\n\n")
        assert "1 tiket melewati batas waktu; daftar di bawah juga memuat tiket yang jatuh tempo\n" in body
        assert "\ndalam 3 hari kerja ke depan.\n" in body
        assert f"\n[LEWAT]  {overdue.tracking_number} — " in body
        assert f"\n[SEGERA] {fresh.tracking_number} — " in body
        assert "hari kerja); unit T-DEP1\n" in body and "(terlambat " in body and "(sisa 3 hari kerja)" in body
        assert "\n         Status: " in body and "; batas waktu " in body
    else:
        assert message.subject.endswith("] Daily summary Wednesday, 25 March 2026: 1 overdue, 2 tickets")
        assert body.startswith("Daily service desk summary — Wednesday, 25 March 2026\n\n")
        assert "1 ticket is overdue; the list below also includes the tickets due\n" in body
        assert "\nwithin the next 3 working days.\n" in body
        assert f"\n[OVERDUE]  {overdue.tracking_number} — " in body
        assert f"\n[DUE SOON] {fresh.tracking_number} — " in body
        assert "working days late); unit T-DEP1\n" in body and "(3 working days left)" in body
        assert "\n           Status: " in body and "; due " in body
        assert_english(message.subject)
        assert_english(body)
        for word in ("Rekap harian", "[LEWAT]", "[SEGERA]", "terlambat", "hari kerja", "Maret", "Rabu"):
            assert word not in message.subject + body, word


# --- WBS notice: content-free in every language -------------------------------------------------------------------
def test_wbs_notice_is_translated_and_stays_content_free(
    language, api_client, inspektorat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            "/api/v2/wbs/reports/", wbs_payload(email="pelapor@example.org", name="Wahyu Pelapor"), format="json"
        )
    assert response.status_code == 201, response.content
    created = response.json()
    ticket = Ticket.objects.get(tracking_number=created["tracking_number"])
    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(ticket, "acknowledge", inspektorat, note="Pesan rahasia untuk pelapor.")
    received, update = mail.outbox
    for message in (received, update):
        assert message.to == ["pelapor@example.org"]
        text = message.subject + message.body
        assert created["tracking_number"] not in text
        assert created["receipt_code"] not in text
        assert created["receipt_code_digits"][:8] not in text.replace(" ", "")
        for secret in ("Pesan rahasia", "uang pelicin", "Loket perizinan", "Wahyu", "bribery", "Suap"):
            assert secret not in text, secret
    if language == "id":
        assert received.subject.endswith("] Laporan Anda telah diterima")
        assert update.subject.endswith("] Ada perkembangan pada laporan Anda")
        assert received.body.startswith("Yth. Pelapor,\n\nLaporan Anda melalui Whistleblowing System (WBS) telah")
        assert update.body.startswith("Yth. Pelapor,\n\nAda perkembangan pada laporan Anda di Whistleblowing System")
        assert "kode tanda terima" in update.body and "Hormat kami,\nInspektorat — " in update.body
    else:
        assert received.subject.endswith("] Your report has been received")
        assert update.subject.endswith("] There is news on your report")
        assert received.body.startswith("Dear reporter,\n\nWe have received your report through the Whistleblowing")
        assert update.body.startswith("Dear reporter,\n\nThere is news on your report in the Whistleblowing System")
        assert "receipt code" in update.body and "Kind regards,\nInspektorat — " in update.body
        for message in (received, update):
            assert_english(message.subject + message.body)
            assert "Pelapor" not in message.body and "kode tanda terima" not in message.body
