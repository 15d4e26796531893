"""Issue 16: the proof of filing reached from the status page on a phone with no URL typed — the printable page
fits a phone's width and prints without the site's chrome, the PDF downloads, and the token is never in a URL."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.browser


def test_the_citizen_prints_and_downloads_the_receipt_on_a_phone(new_page, shot):
    from layanan.core.notifications import status_link
    from layanan.ppid import intake as ppid_intake
    from tests.layanan.conftest import WIB, ppid_payload

    submission = ppid_intake.submit_ppid_request(ppid_payload())
    ticket = submission.ticket
    received = ticket.received_at.astimezone(WIB).strftime("%d/%m/%Y %H:%M") + " WIB"

    seen = []
    page = new_page(phone=True)
    page.context.on("request", lambda request: seen.append(request.url))
    link = status_link(ticket, submission.access_token)  # what the receipt e-mail sends: token in the fragment
    page.goto(link[link.index("/layanan/") :])
    page.wait_for_selector("#ticket-status")
    page.locator("#proof-of-filing").scroll_into_view_if_needed()
    shot(page, "status-with-receipt-buttons")

    # "Cetak tanda bukti": a POST form opening the printable page in a new tab
    with page.context.expect_page() as opened:
        page.locator("[data-receipt=print]").click()
    sheet = opened.value
    sheet.wait_for_selector("#receipt-title")
    shot(sheet, "receipt-phone")
    text = sheet.inner_text(".receipt-doc")
    assert ticket.tracking_number in text and received in text and ticket.due_date.strftime("%d/%m/%Y") in text
    overflow = sheet.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the receipt is {overflow}px wider than the phone"
    sheet.emulate_media(media="print")
    shot(sheet, "receipt-print")
    assert not sheet.locator(".site-header").is_visible() and not sheet.locator("[data-print]").is_visible()
    assert sheet.locator("#receipt-number").is_visible()

    # "Unduh tanda bukti (PDF)"
    with page.expect_download() as download:
        page.locator("[data-receipt=pdf]").click()
    assert download.value.suggested_filename == f"tanda-bukti-{ticket.tracking_number}.pdf"
    with open(download.value.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    pdf_text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert ticket.tracking_number in pdf_text and received in pdf_text

    assert not any(submission.access_token in url for url in seen)  # never sent in a URL
