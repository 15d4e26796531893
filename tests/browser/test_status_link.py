"""Issue 16 (first part): the receipt e-mail's link opens the citizen's status on the site in one click, and the
access token never reaches the server in a URL (it rides in the fragment, read by the page's script)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

pytestmark = pytest.mark.browser


def test_the_receipt_link_opens_the_status_page_with_one_click(new_page, live_server):
    from layanan.ppid import intake as ppid_intake
    from tests.layanan.conftest import ppid_payload

    mail.outbox.clear()
    submission = ppid_intake.submit_ppid_request(ppid_payload(email="siti.link@example.org"))
    body = mail.outbox[-1].body
    link = re.search(r"https?://\S+/layanan/cek-status/\?nomor=\S+#token=\S+", body).group(0)
    parts = urlsplit(link)
    assert parts.query == f"nomor={submission.tracking_number}"
    assert submission.access_token not in parts.path + parts.query  # only in the fragment

    seen = []
    page = new_page(phone=True)
    page.on("request", lambda request: seen.append(request.url))
    page.goto(f"{parts.path}?{parts.query}#{parts.fragment}")
    page.wait_for_selector("#ticket-status")
    assert submission.tracking_number in page.inner_text(".ticket")
    assert "#token" not in page.url  # taken out of the address bar
    assert not any(submission.access_token in url for url in seen)  # never sent in a URL
