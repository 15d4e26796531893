"""End to end in Chromium: a citizen on a phone files a PPID request with an attachment, officers handle it in
the admin, the citizen reads the answer and objects, the Atasan PPID answers the objection."""

from __future__ import annotations

import re

import pytest

from tests.layanan.conftest import PDF_BYTES

from .conftest import admin_login

pytestmark = pytest.mark.browser

PDF = PDF_BYTES  # a readable one-page PDF (an unreadable one is refused: issue 15)
NIK = "3171234567890001"


@pytest.fixture
def pdf_file(tmp_path):
    path = tmp_path / "ktp-pemohon.pdf"
    path.write_bytes(PDF)
    return path


@pytest.fixture
def answer_file(tmp_path):
    path = tmp_path / "jawaban-sebagian.pdf"
    path.write_bytes(PDF.replace(b"Catalog", b"Catalog /Lang (id)"))
    return path


def _check_status(page, number: str, token: str):
    page.goto(f"/layanan/cek-status/?nomor={number}")
    assert page.input_value("#id_tracking_number") == number
    page.fill("#id_token", token)
    page.get_by_role("button", name="Tampilkan status").click()
    page.wait_for_selector("#ticket-status")


def test_ppid_request_answer_objection(new_page, shot, staff, pdf_file, answer_file):
    from django.utils import translation

    from home.models import Unit
    from layanan.core.links import inspect_url
    from layanan.core.models.tickets import Ticket
    from layanan.ppid.models import PPIDRequestDetails

    unit = Unit.objects.create(code="E2E-1", name="Biro Keuangan", email="keuangan@example.org")
    staff("ppid", "PPID Utama")
    staff("operator", "Operator Unit", units=[unit])
    staff("atasan", "Atasan PPID")

    # --- the citizen, on a phone ---------------------------------------------------------------------------
    citizen = new_page(phone=True)
    citizen.goto("/layanan/permohonan-informasi/")
    assert citizen.locator("html").get_attribute("lang") == "id"
    shot(citizen, "ppid-form")
    citizen.get_by_label("Nama lengkap").fill("Siti Aminah")
    citizen.get_by_label("NIK").fill(NIK)
    citizen.get_by_label("Alamat").fill("Jl. Merdeka No. 1, Jakarta Pusat")
    citizen.locator("#id_phone").fill("081234567890")
    citizen.locator("#id_email").fill("siti@example.org")
    citizen.locator("#id_information_requested").fill("Salinan laporan realisasi anggaran Biro Keuangan 2025")
    citizen.locator("#id_purpose").fill("Penelitian kebijakan fiskal daerah")
    citizen.select_option("#id_obtain_method", "soft_copy")
    citizen.select_option("#id_delivery_method", "email")
    citizen.set_input_files("#id_attachments", str(pdf_file))
    shot(citizen, "ppid-form-filled")
    citizen.get_by_role("button", name="Kirim").click()  # waits for the anti-robot check, solved meanwhile
    citizen.wait_for_url("**/layanan/terkirim/")
    number = citizen.inner_text("#tracking-number").strip()
    token = citizen.inner_text("#access-token").strip()
    assert re.fullmatch(r"PPID-\d{4}-\d{6}", number)
    assert citizen.locator("#due-date").is_visible()
    shot(citizen, "ppid-confirmation")
    # a reload shows it again (kept for a while in this browser's session), with its QR code and a download
    citizen.reload()
    assert citizen.inner_text("#access-token").strip() == token
    assert citizen.locator(".receipt__qr svg").is_visible()

    _check_status(citizen, number, token)
    assert "Diterima" in citizen.inner_text("#ticket-status")
    shot(citizen, "ppid-status-received")

    ticket = Ticket.objects.get(tracking_number=number)
    assert ticket.attachments.count() == 1

    # --- PPID Utama assigns it to the unit ---------------------------------------------------------------
    ppid = new_page()
    admin_login(ppid, "ppid")
    ppid.goto(inspect_url(ticket))
    shot(ppid, "admin-ppid-inspect")
    ppid.locator("a[href$='/action/assign/']").first.click()
    ppid.select_option("select[name=unit]", str(unit.pk))
    ppid.fill("textarea[name=note], input[name=note]", "Mohon disiapkan jawabannya.")
    shot(ppid, "admin-ppid-assign")
    ppid.locator("form button[type=submit]").last.click()
    ppid.wait_for_url(re.compile(r".*/inspect/\d+/$"))
    ticket.refresh_from_db()
    assert ticket.status == "assigned"

    # --- the unit operator decides "granted in part" with a file -----------------------------------------
    operator = new_page()
    admin_login(operator, "operator")
    operator.goto(inspect_url(ticket))
    operator.locator("a[href$='/action/decide/']").first.click()
    operator.select_option("select[name=outcome]", "granted_part")
    operator.select_option("select[name=exemption_ground]", index=1)
    operator.fill("[name=outcome_reason]", "Rincian belanja pegawai dikecualikan.")
    operator.fill("[name=note]", "Sebagian informasi kami berikan terlampir.")
    operator.set_input_files("input[name=files]", str(answer_file))
    shot(operator, "admin-unit-decide")
    operator.locator("form button[type=submit]").last.click()
    operator.wait_for_url(re.compile(r".*/inspect/\d+/$"))
    ticket.refresh_from_db()
    assert ticket.status == "decided" and ticket.ppid.outcome == "granted_part"

    # --- the citizen reads the answer, downloads the file and objects ---------------------------------------
    _check_status(citizen, number, token)
    with translation.override("id"):
        granted_part = str(PPIDRequestDetails.Outcome.GRANTED_PART.label)
    assert citizen.inner_text("#ticket-outcome") == granted_part
    assert "Sebagian informasi kami berikan terlampir." in citizen.content()
    shot(citizen, "ppid-status-decided")
    with citizen.expect_download() as download_info:
        citizen.get_by_role("button", name=re.compile("jawaban-sebagian.pdf")).first.click()
    assert download_info.value.suggested_filename == "jawaban-sebagian.pdf"

    citizen.get_by_role("link", name="Ajukan keberatan atas permohonan ini").click()
    citizen.wait_for_url("**/layanan/keberatan/**")
    assert citizen.input_value("#id_request_tracking_number") == number
    citizen.locator("#id_name").fill("Siti Aminah")
    citizen.locator("#id_nik").fill(NIK)
    citizen.select_option("#id_reason", "a")
    citizen.locator("#id_description").fill("Rincian belanja pegawai bukan informasi yang dikecualikan.")
    shot(citizen, "objection-form")
    citizen.get_by_role("button", name="Kirim").click()
    citizen.wait_for_url("**/layanan/terkirim/")
    objection_number = citizen.inner_text("#tracking-number").strip()
    objection_token = citizen.inner_text("#access-token").strip()
    assert objection_number.startswith("KEB-")
    shot(citizen, "objection-confirmation")

    # --- the Atasan PPID answers the objection -----------------------------------------------------------
    objection = Ticket.objects.get(tracking_number=objection_number)
    atasan = new_page()
    admin_login(atasan, "atasan")
    atasan.goto(inspect_url(objection))
    atasan.locator("a[href$='/action/answer/']").first.click()
    atasan.select_option("select[name=decision]", "upheld")
    atasan.fill("[name=note]", "Keberatan diterima; rincian belanja pegawai akan diberikan.")
    shot(atasan, "admin-atasan-answer")
    atasan.locator("form button[type=submit]").last.click()
    atasan.wait_for_url(re.compile(r".*/inspect/\d+/$"))

    _check_status(citizen, objection_number, objection_token)
    assert citizen.locator("#objection-decision").is_visible()
    assert "Keberatan diterima; rincian belanja pegawai akan diberikan." in citizen.content()
    shot(citizen, "objection-answered")


def test_form_errors_next_to_fields_and_input_kept(new_page, shot, pdf_file):
    from layanan.core.models.tickets import Ticket

    page = new_page(phone=True)
    page.goto("/layanan/permohonan-informasi/")
    page.locator("#id_name").fill("Rina Marlina")
    page.locator("#id_nik").fill("12345")
    page.locator("#id_address").fill("Jl. Cempaka 7, Bandung")
    page.locator("#id_information_requested").fill("Daftar penerima beasiswa 2025")
    page.set_input_files("#id_attachments", str(pdf_file))
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_selector("#error-summary")
    shot(page, "errors")

    # the error sits next to its field and is announced with it
    nik = page.locator("#id_nik")
    assert "id_nik_error" in nik.get_attribute("aria-describedby")
    assert nik.get_attribute("aria-invalid") == "true"
    assert "16 digit" in page.inner_text("#id_nik_error")
    assert page.locator("#id_purpose_error").is_visible()
    # what was typed is still there; the file must be chosen again and the page says so
    assert page.input_value("#id_name") == "Rina Marlina"
    assert page.input_value("#id_nik") == "12345"
    assert page.input_value("#id_information_requested") == "Daftar penerima beasiswa 2025"
    assert "pilih ulang" in page.inner_text("#error-summary").lower()
    # the summary has focus and links to the fields (keyboard users land on it)
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert not Ticket.objects.exists()
