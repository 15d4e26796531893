"""Issue 16: the citizen rates the answer from the status page — reached from the e-mail link (no address typed by
hand), filled in with the keyboard alone, no serious or critical axe violation on the form or on the thank-you."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from tests.browser.test_accessibility import _axe, _report

pytestmark = pytest.mark.browser


def test_the_citizen_rates_a_closed_request_with_the_keyboard(new_page, staff, shot):
    from django.contrib.auth.models import User

    from layanan.core.models.ratings import ELEMENTS, ServiceRating
    from layanan.core.workflow import apply_transition
    from layanan.ppid import intake as ppid_intake
    from tests.layanan.conftest import ppid_payload

    staff("ppid", "PPID Utama")
    officer = User.objects.get(username="ppid")
    mail.outbox.clear()
    submission = ppid_intake.submit_ppid_request(ppid_payload(email="siti.nilai@example.org"))
    ticket = apply_transition(submission.ticket, "decide", officer, outcome="granted_full", note="Terlampir.")
    apply_transition(ticket, "close", officer)
    receipt = "\n".join(m.body for m in mail.outbox)
    link = urlsplit(re.search(r"https?://\S+/layanan/cek-status/\?nomor=\S+#token=\S+", receipt).group(0))

    page = new_page(phone=True, bypass_csp=True)  # axe is injected below; the flow itself needs no exception
    page.goto(f"{link.path}?{link.query}#{link.fragment}")
    page.wait_for_selector("#rating-form")
    groups = page.get_by_role("radiogroup")
    assert groups.count() == 9
    assert groups.first.get_attribute("aria-describedby")  # the element's question is read with it
    found = {"rating form": _axe(page)}
    shot(page, "form")

    # with the keyboard: Space chooses the focused answer, the arrow keys move between the four
    for item in ELEMENTS:
        page.focus(f"#id_rating_{item.code}_1")
        page.keyboard.press("Space")
        for _step in range(3 if item.code != "cost" else 2):
            page.keyboard.press("ArrowRight")
    assert page.locator("#id_rating_requirements_4").is_checked()
    assert page.locator("#id_rating_cost_3").is_checked()
    page.focus("#id_rating_comment")
    page.keyboard.type("Cepat dan jelas.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")

    page.wait_for_selector("#rating-thanks")
    assert page.locator("#rating-form").count() == 0
    found["thank-you"] = _axe(page)
    shot(page, "thanks")
    rating = ServiceRating.objects.get(ticket__tracking_number=submission.tracking_number)
    assert rating.requirements == 4 and rating.cost == 3 and rating.comment == "Cepat dan jelas."
    assert not any(found.values()), _report(found)
