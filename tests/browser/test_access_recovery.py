"""Issue 16: a citizen who lost the access token gets a new one-click link, on a phone, from the home page —
home → menu → "Cek status tiket" → "Kehilangan token akses?" → number + e-mail → the e-mail's link opens the
ticket; the old token no longer does. The confirmation's token file is downloaded the same way a person would."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail

from tests.browser.test_accessibility import _report
from tests.browser.test_journeys import LINK, _axe

pytestmark = pytest.mark.browser


def test_forgot_my_access_from_the_home_page_on_a_phone(new_page, shot):
    from layanan.core.public import find_ticket_for_token
    from layanan.ppid import intake as ppid_intake
    from tests.home.factories import make_site
    from tests.layanan.conftest import ppid_payload

    make_site()
    filed = ppid_intake.submit_ppid_request(ppid_payload(email="lupa.akses@example.org"))
    mail.outbox.clear()
    found = {}
    page = new_page(phone=True, bypass_csp=True)  # axe is injected; the CSP is walked in test_csp.py
    page.goto("/")
    page.get_by_role("button", name="Menu").click()
    page.locator("#site-nav a:visible", has_text="Cek status tiket").click()
    page.wait_for_url("**/layanan/cek-status/")
    page.get_by_role("link", name=re.compile("Kehilangan token akses")).click()
    page.wait_for_url("**/layanan/cek-status/lupa-akses/**")
    found["recovery form"] = _axe(page)
    page.get_by_label("Nomor registrasi").fill(filed.tracking_number)
    page.get_by_label("Alamat surel atau nomor telepon").fill("Lupa.Akses@example.org")
    page.get_by_role("button", name="Kirim tautan akses baru").click()
    page.wait_for_selector("[role=status]")
    found["recovery sent"] = _axe(page)
    shot(page, "recovery-sent")

    [message] = [m for m in mail.outbox if m.to == ["lupa.akses@example.org"]]
    link = urlsplit(LINK.search(message.body).group(0))
    page.goto(f"{link.path}?{link.query}#{link.fragment}")
    page.wait_for_selector("#ticket-status")
    assert filed.tracking_number in page.inner_text(".ticket")
    assert find_ticket_for_token(filed.tracking_number, filed.access_token) is None  # the old token is gone
    shot(page, "recovered-status")
    assert not any(found.values()), _report(found)


def test_the_confirmation_token_file_downloads(new_page):
    page = new_page(phone=True)
    page.goto("/layanan/permohonan-informasi/")
    page.get_by_label("Nama lengkap").fill("Siti Aminah")
    page.get_by_label("NIK").fill("3171234567890001")
    page.get_by_label("Alamat").fill("Jl. Merdeka No. 1, Jakarta Pusat")
    page.locator("#id_email").fill("siti.berkas@example.org")
    page.locator("#id_information_requested").fill("Salinan laporan realisasi anggaran 2025")
    page.locator("#id_purpose").fill("Penelitian kebijakan fiskal")
    page.select_option("#id_obtain_method", "soft_copy")
    page.select_option("#id_delivery_method", "email")
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_url("**/layanan/terkirim/")
    token = page.inner_text("#access-token").strip()
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh nomor dan token (berkas teks)").click()
    assert token in Path(download.value.path()).read_text(encoding="utf-8")
