"""Issue 16, "must show": one journey per service on a phone, from the home page, with no address typed by hand
— the form is reached through the menu, filed (the anti-robot check solves itself), the e-mail's one-click link
opens the ticket, the officer's question is answered with a file, the answer is read, the receipt PDF is
downloaded and the answer rated. axe-core (WCAG 2.1 A/AA) runs on every page the journeys reach.

Officers act through ``apply_transition`` here (their own journeys in the desk are walked in
``test_citizen_flow.py``, ``test_wbs_flow.py`` and ``test_desk_accessibility.py``)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from pypdf import PdfReader

from tests.browser.test_accessibility import AXE, AXE_TAGS, RUN_AXE, _report
from tests.layanan.conftest import PDF_BYTES

pytestmark = pytest.mark.browser

LINK = re.compile(r"https?://\S+/layanan/cek-status/\?nomor=\S+#token=\S+")


@pytest.fixture
def evidence(tmp_path):
    path = tmp_path / "bukti-tambahan.pdf"
    path.write_bytes(PDF_BYTES)
    return path


@pytest.fixture
def site(transactional_db):
    from tests.home.factories import make_site

    return make_site()


def _axe(page) -> list[dict]:
    """Every axe-core violation of WCAG 2.1 A/AA on the page, whatever its impact."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE, AXE_TAGS)


def _open_form(page, link_text: str):
    """Home → menu → "Layanan daring" → the form, as a person on a phone does it."""
    page.goto("/")
    page.get_by_role("button", name="Menu").click()
    page.locator("#site-nav a:visible", has_text="Layanan daring").click()
    page.wait_for_url("**/layanan/")
    page.locator("main a", has_text=link_text).first.click()


def _open_link_from_mail(page, address: str) -> str:
    """The receipt e-mail's one-click link to ``address``, opened; returns the tracking number."""
    body = "\n".join(m.body for m in mail.outbox if address in m.to)
    link = urlsplit(LINK.search(body).group(0))
    page.goto(f"{link.path}?{link.query}#{link.fragment}")
    page.wait_for_selector("#ticket-status")
    return link.query.removeprefix("nomor=")


def _reply_with_file(page, text: str, path) -> None:
    page.fill("#id_reply_text", text)
    page.set_input_files("#id_reply_files", str(path))
    page.get_by_role("button", name="Kirim balasan").click()
    page.wait_for_selector("[role=status]")


def _download_receipt(page, number: str) -> str:
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh tanda bukti (PDF)").click()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(Path(download.value.path()).read_bytes())).pages)
    assert number in text and "WIB" in text
    return text


def _rate(page) -> None:
    for group in range(page.get_by_role("radiogroup").count()):
        page.get_by_role("radiogroup").nth(group).get_by_role("radio").last.check()
    page.get_by_role("button", name="Kirim penilaian").click()
    page.wait_for_selector("#rating-thanks")


def test_ppid_request_and_objection_journey(new_page, site, staff, evidence, shot):
    from django.contrib.auth.models import User

    from layanan.core.models.ratings import ServiceRating
    from layanan.core.models.tickets import Ticket
    from layanan.core.workflow import apply_transition

    staff("ppid", "PPID Utama")
    officer = User.objects.get(username="ppid")
    mail.outbox.clear()
    found = {}
    page = new_page(phone=True, bypass_csp=True)  # axe is injected; the CSP itself is walked in test_csp.py
    _open_form(page, "Permohonan informasi publik")
    found["PPID form"] = _axe(page)
    page.get_by_label("Nama lengkap").fill("Siti Aminah")
    page.get_by_label("NIK").fill("3171234567890001")
    page.get_by_label("Alamat").fill("Jl. Merdeka No. 1, Jakarta Pusat")
    page.locator("#id_email").fill("siti.jalan@example.org")
    page.locator("#id_information_requested").fill("Salinan laporan realisasi anggaran 2025")
    page.locator("#id_purpose").fill("Penelitian kebijakan fiskal")
    page.select_option("#id_obtain_method", "soft_copy")
    page.select_option("#id_delivery_method", "email")
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_url("**/layanan/terkirim/")
    found["PPID confirmation"] = _axe(page)
    shot(page, "ppid-confirmation")
    number = page.inner_text("#tracking-number").strip()

    ticket = Ticket.objects.get(tracking_number=number)
    apply_transition(ticket, "request_completion", officer, note="Mohon lampirkan surat pengantar.")
    assert _open_link_from_mail(page, "siti.jalan@example.org") == number
    assert "Mohon lampirkan surat pengantar." in page.inner_text(".ticket")
    found["PPID status, question"] = _axe(page)
    _reply_with_file(page, "Surat pengantar terlampir.", evidence)
    assert "bukti-tambahan.pdf" in page.inner_text(".ticket")

    ticket.refresh_from_db()
    ticket = apply_transition(ticket, "decide", officer, outcome="granted_full", note="Laporan terlampir untuk Anda.")
    _open_link_from_mail(page, "siti.jalan@example.org")
    assert "Laporan terlampir untuk Anda." in page.inner_text(".ticket")
    _download_receipt(page, number)

    # not satisfied: the one-click objection fills in the request's number
    page.get_by_role("link", name="Ajukan keberatan atas permohonan ini").click()
    page.wait_for_url("**/layanan/keberatan/**")
    assert page.input_value("#id_request_tracking_number") == number
    found["objection form"] = _axe(page)
    page.locator("#id_name").fill("Siti Aminah")
    page.locator("#id_email").fill("siti.jalan@example.org")
    page.select_option("#id_reason", "d")
    page.locator("#id_description").fill("Laporan yang diberikan bukan yang saya minta.")
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_url("**/layanan/terkirim/")
    objection_number = page.inner_text("#tracking-number").strip()
    assert objection_number.startswith("KEB-")
    objection = Ticket.objects.get(tracking_number=objection_number)

    # the request closes; its e-mail link leads to the rating
    apply_transition(ticket, "close", officer)
    _open_link_from_mail(page, "siti.jalan@example.org")
    found["PPID closed, rating"] = _axe(page)
    _rate(page)
    assert ServiceRating.objects.filter(ticket__tracking_number=number).exists()

    # the objection: its own link, its receipt
    staff("atasan", "Atasan PPID")
    atasan = User.objects.get(username="atasan")
    apply_transition(objection, "answer", atasan, decision="upheld", note="Keberatan diterima.")
    objection_link = [m for m in mail.outbox if objection_number in m.subject and "#token=" in m.body]
    link = urlsplit(LINK.search(objection_link[0].body).group(0))
    page.goto(f"{link.path}?{link.query}#{link.fragment}")
    page.wait_for_selector("#objection-decision")
    assert "Keberatan diterima." in page.inner_text(".ticket")
    _download_receipt(page, objection_number)
    found["objection answered"] = _axe(page)
    shot(page, "objection-answered")
    assert not any(found.values()), _report(found)


def test_lapor_report_journey(new_page, site, staff, evidence, shot):
    from django.contrib.auth.models import User

    from home.models import Unit
    from layanan.core.models.ratings import ServiceRating
    from layanan.core.models.tickets import Ticket
    from layanan.core.workflow import apply_transition

    unit = Unit.objects.create(code="JLN-1", name="Biro Umum", email="umum@example.org")
    staff("lapor", "Admin LAPOR")
    officer = User.objects.get(username="lapor")
    mail.outbox.clear()
    found = {}
    page = new_page(phone=True, bypass_csp=True)
    _open_form(page, "SP4N-LAPOR")
    found["LAPOR form"] = _axe(page)
    page.locator("#id_title").fill("Lampu jalan padam di depan kantor")
    page.locator("#id_description").fill("Sudah dua minggu lampu jalan padam; rawan kecelakaan malam hari.")
    page.select_option("#id_classification", "pengaduan")
    page.locator("#id_name").fill("Budi Santoso")
    page.locator("#id_email").fill("budi.jalan@example.org")
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_url("**/layanan/terkirim/")
    found["LAPOR confirmation"] = _axe(page)
    number = page.inner_text("#tracking-number").strip()

    ticket = Ticket.objects.get(tracking_number=number)
    ticket = apply_transition(ticket, "verify", officer)
    ticket = apply_transition(ticket, "assign", officer, unit=unit)
    ticket = apply_transition(ticket, "follow_up", officer, note="Petugas sudah dijadwalkan.")
    ticket = apply_transition(ticket, "request_reply", officer, note="Di tiang nomor berapa lampunya?")
    _open_link_from_mail(page, "budi.jalan@example.org")
    assert "Di tiang nomor berapa lampunya?" in page.inner_text(".ticket")
    found["LAPOR status, question"] = _axe(page)
    _reply_with_file(page, "Tiang nomor 12, foto terlampir.", evidence)

    ticket.refresh_from_db()
    ticket = apply_transition(ticket, "follow_up", officer, note="Lampu sudah diganti.")
    apply_transition(ticket, "close", officer)
    _open_link_from_mail(page, "budi.jalan@example.org")
    assert "Lampu sudah diganti." in page.inner_text(".ticket")
    _download_receipt(page, number)
    found["LAPOR closed"] = _axe(page)
    _rate(page)
    shot(page, "lapor-rated")
    assert ServiceRating.objects.filter(ticket__tracking_number=number).exists()
    assert not any(found.values()), _report(found)


def test_wbs_report_journey(new_page, site, staff, evidence, shot):
    from django.contrib.auth.models import User

    from layanan.core.models.tickets import Ticket
    from layanan.core.workflow import apply_transition

    staff("inspektur", "Inspektorat (WBS)")
    officer = User.objects.get(username="inspektur")
    found = {}
    page = new_page(phone=True, bypass_csp=True)
    _open_form(page, "Whistleblowing")
    page.wait_for_url("**/wbs/")
    found["WBS form"] = _axe(page)
    page.select_option("#id_violation_type", "bribery")
    page.locator("#id_what").fill("Petugas meminta uang pelicin untuk izin usaha.")
    page.locator("#id_where").fill("Loket perizinan lantai 2")
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_selector("#receipt-code")
    code = page.inner_text("#receipt-code").strip()
    found["WBS receipt"] = _axe(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh tanda bukti (PDF)").click()
    receipt = Path(download.value.path()).read_bytes()
    text = (
        "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(receipt)).pages)
        if receipt[:4] == b"%PDF"
        else receipt.decode()
    )
    assert re.sub(r"\D", "", code) in re.sub(r"\D", "", text)

    ticket = Ticket.objects.get(service="wbs")
    ticket = apply_transition(ticket, "acknowledge", officer)
    apply_transition(ticket, "request_info", officer, note="Kapan kejadiannya?")

    # the receipt page links the thread; the code is typed from what the reporter kept
    page.locator("main a[href='/wbs/akses/']").first.click()
    page.wait_for_url("**/wbs/akses/")
    page.locator("#id_code").fill(code)
    page.get_by_role("button", name="Buka laporan").click()
    page.wait_for_selector("#ticket-status")
    assert "Kapan kejadiannya?" in page.content()
    assert "uang pelicin" in page.content()  # the report as filed
    found["WBS thread"] = _axe(page)
    page.locator("#id_text").fill("Tanggal 3 Maret, foto terlampir.")
    page.set_input_files("#id_files", str(evidence))
    page.get_by_role("button", name="Kirim pesan").click()
    page.wait_for_selector(".alert--success")
    assert "Tanggal 3 Maret, foto terlampir." in page.content()
    found["WBS thread answered"] = _axe(page)
    shot(page, "wbs-answered")
    assert not any(found.values()), _report(found)
