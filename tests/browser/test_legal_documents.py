"""Issue 17 in Chromium: the PPID refuses a request with the structured written-notice form; the desk lists the
numbered refusal decision and written notice; the citizen, on a phone, downloads the notice and prints the
refusal decision from the status page — no URL typed, the token never in a URL."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from .conftest import admin_login

pytestmark = pytest.mark.browser


def test_officer_refuses_with_the_structured_notice_and_the_citizen_gets_the_documents(new_page, shot, staff):
    from django.conf import settings
    from django.utils import translation

    from layanan.core.links import inspect_url
    from layanan.core.notifications import status_link
    from layanan.ppid import intake as ppid_intake
    from tests.layanan.conftest import ppid_payload

    staff("ppid", "PPID Utama")
    submission = ppid_intake.submit_ppid_request(ppid_payload())
    ticket = submission.ticket

    # --- the PPID decides: refused as exempt, every part of the written notice in its own field ---------------
    officer = new_page()
    admin_login(officer, "ppid")
    officer.goto(inspect_url(ticket))
    officer.locator("a[href$='/action/decide/']").first.click()
    officer.select_option("select[name=outcome]", "rejected_exempt")
    officer.select_option("select[name=exemption_ground]", "h")
    officer.fill("[name=outcome_reason]", "Membuka daftar ini mengungkap NIK dan alamat 2.000 penerima.")
    officer.fill("[name=public_interest]", "Melindungi data pribadi lebih besar manfaatnya daripada membukanya.")
    officer.fill("[name=note]", "Permohonan Anda ditolak; keputusan dan pemberitahuan tertulis terlampir.")
    shot(officer, "desk-decide-structured-form")
    officer.locator("form button[type=submit]").last.click()
    officer.wait_for_url(re.compile(r".*/inspect/\d+/$"))
    card = officer.locator("#issued-documents")
    card.scroll_into_view_if_needed()
    shot(officer, "desk-issued-documents")
    listed = card.inner_text()
    assert "0001/PPID-SKP/" in listed and "0001/PPID-PT/" in listed
    with officer.expect_popup() as opened:
        card.locator("[data-document=print]").first.click()
    printed = opened.value
    printed.wait_for_selector("#document-number")
    assert "PPID-SKP" in printed.inner_text("#document-number")

    # --- the citizen, on a phone, from the e-mail's link -----------------------------------------------------------
    seen = []
    citizen = new_page(phone=True)
    citizen.context.on("request", lambda request: seen.append(request.url))
    link = status_link(ticket, submission.access_token)
    citizen.goto(link[link.index("/layanan/") :])
    citizen.wait_for_selector("#ticket-status")
    with translation.override(settings.LANGUAGE_CODE):
        from django.utils.translation import gettext as _

        notice_label, refusal_label = _("Written notice"), _("Refusal decision")
    notice_button = citizen.get_by_role("button", name=f"{notice_label} 0001/PPID-PT/")  # a part of the name
    notice_button.first.scroll_into_view_if_needed()
    shot(citizen, "status-with-documents")
    with citizen.expect_download() as download:
        notice_button.first.click()
    assert download.value.suggested_filename.startswith("pemberitahuan-tertulis-0001-PPID-PT-")
    with open(download.value.path(), "rb") as handle:
        text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages))
    assert ticket.tracking_number in text and "Membuka daftar ini mengungkap NIK" in text

    with citizen.context.expect_page() as opened:
        citizen.locator("[data-document=print]", has_text=refusal_label).first.click()
    sheet = opened.value
    sheet.wait_for_selector("#document-number")
    shot(sheet, "refusal-decision-phone")
    assert "PPID-SKP" in sheet.inner_text("#document-number")
    assert "Membuka daftar ini mengungkap NIK" in sheet.inner_text(".receipt-doc")
    overflow = sheet.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the document is {overflow}px wider than the phone"
    sheet.emulate_media(media="print")
    shot(sheet, "refusal-decision-print")
    assert not any(submission.access_token in url for url in seen)  # never sent in a URL
