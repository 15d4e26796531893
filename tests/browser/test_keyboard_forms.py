"""Issue 16, "accessible to everyone": each of the four submission forms (PPID request, objection, LAPOR, WBS) is
filled in and sent with the keyboard alone — Tab, typing, arrow keys, Enter; no mouse, no click, no script
filling a field — on a phone-sized screen, and reaches its confirmation. The anti-robot check (an ALTCHA proof of
work, ``layanan.site.challenge``) asks nothing: there is no picture to read and no sound to hear. Also: "Send"
pressed before the check is done waits for it; a challenge that expired while the form was open is replaced
from the same origin; without JavaScript the page says the check needs it and keeps what was typed."""

from __future__ import annotations

import re

import pytest

from tests.layanan.conftest import ppid_payload

pytestmark = pytest.mark.browser

NIK = ppid_payload()["nik"]
#: The confirmation page (the skip link's "#main" stays on the address through the redirect).
CONFIRMATION = re.compile(r".*/layanan/terkirim/(#main)?$")
FOCUSED = """() => { const e = document.activeElement;
  return {tag: e.tagName, type: e.type || "", id: e.id, text: e.textContent.trim()}; }"""


def _down(steps: int) -> tuple[str, ...]:
    """Choose the ``steps``-th option of a closed <select> with the arrow key."""
    return ("ArrowDown",) * steps


def _file_with_keyboard(page, answers: dict, submit: str) -> None:
    """From the top of the page: Tab to the skip link, Enter (to the content), then Tab through the page; each
    field listed in ``answers`` (by id) gets its answer typed (a string) or its keys pressed (a tuple); Enter on
    the submit button named ``submit``. Fails if a field was never reached."""
    page.keyboard.press("Tab")
    assert "skip-link" in page.evaluate("document.activeElement.className")
    page.keyboard.press("Enter")
    done = set()
    for _ in range(120):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "BUTTON" and focused["type"] == "submit" and focused["text"] == submit:
            assert done == set(answers), f"never reached with Tab: {set(answers) - done}"
            page.keyboard.press("Enter")
            return
        answer = answers.get(focused["id"])
        if answer is None or focused["id"] in done:
            continue
        done.add(focused["id"])
        if isinstance(answer, str):
            page.keyboard.type(answer)
        else:
            for key in answer:
                page.keyboard.press(key)
    pytest.fail(f"the {submit!r} button was not reached with Tab")


def _no_picture_to_read(page) -> None:
    assert page.locator("form img, form audio, form canvas").count() == 0
    assert page.locator("#id_altcha_check").get_attribute("role") == "group"


PPID = {
    "id_name": "Siti Aminah",
    "id_nik": NIK,
    "id_address": "Jl. Merdeka No. 1, Jakarta Pusat",
    "id_phone": "081234567890",
    "id_email": "siti@example.org",
    "id_information_requested": "Salinan laporan realisasi anggaran 2025",
    "id_purpose": "Penelitian kebijakan fiskal",
    "id_obtain_method": _down(2),  # soft copy
    "id_delivery_method": _down(4),  # e-mail
}
LAPOR = {
    "id_classification": _down(2),  # pengaduan
    "id_title": "Jalan rusak di depan kantor layanan",
    "id_description": "Lubang besar membahayakan pengendara sejak dua minggu.",
    "id_location": "Jl. Sudirman, Jakarta",
    "id_name": "Budi Santoso",
    "id_email": "budi@example.org",
}
WBS = {
    "id_violation_type": _down(2),  # bribery
    "id_what": "Petugas loket meminta uang pelicin untuk mempercepat izin usaha.",
    "id_where": "Loket perizinan lantai 2",
}


def test_each_form_filed_with_the_keyboard_alone_on_a_phone(new_page, shot, live_server):
    import datetime

    from django.utils import timezone

    from layanan.core.models.tickets import Ticket
    from layanan.ppid import intake

    # for the objection on ground (c): a request left unanswered past its due date, its 30-WD window still open
    received = timezone.now() - datetime.timedelta(days=25)
    request = intake.submit_ppid_request(ppid_payload(), files=[], channel="web", received_at=received).ticket
    page = new_page(phone=True)
    hosts = set()
    page.on("request", lambda r: hosts.add(r.url.split("/")[2]))

    page.goto("/layanan/permohonan-informasi/")
    _no_picture_to_read(page)
    _file_with_keyboard(page, PPID, "Kirim")
    page.wait_for_url(CONFIRMATION)
    assert re.fullmatch(r"PPID-\d{4}-\d{6}", page.inner_text("#tracking-number").strip())
    shot(page, "ppid-confirmation")

    page.goto("/layanan/keberatan/")
    _no_picture_to_read(page)
    objection = {
        "id_request_tracking_number": request.tracking_number,
        "id_name": "Siti Aminah",
        "id_nik": NIK,
        "id_reason": _down(3),  # c: not answered
        "id_description": "Permohonan saya belum ditanggapi.",
    }
    _file_with_keyboard(page, objection, "Kirim")
    page.wait_for_url(CONFIRMATION)
    assert page.inner_text("#tracking-number").strip().startswith("KEB-")
    shot(page, "objection-confirmation")

    page.goto("/layanan/pengaduan/")
    _no_picture_to_read(page)
    _file_with_keyboard(page, LAPOR, "Kirim")
    page.wait_for_url(CONFIRMATION)
    assert page.inner_text("#tracking-number").strip().startswith("LAPOR-")
    shot(page, "lapor-confirmation")

    page.goto("/wbs/")
    _no_picture_to_read(page)
    shot(page, "wbs-form")
    _file_with_keyboard(page, WBS, "Kirim laporan")
    page.wait_for_selector("#receipt-code")
    shot(page, "wbs-receipt")

    services = sorted(Ticket.objects.values_list("service", flat=True))
    assert services == ["lapor", "objection", "ppid_request", "ppid_request", "wbs"]
    wbs = Ticket.objects.get(service="wbs")
    assert wbs.wbs.violation_type == "bribery" and wbs.wbs.where == "Loket perizinan lantai 2"
    assert hosts == {live_server.url.split("/")[2]}  # the check and its solver came from this site only
    assert {c["name"] for c in page.context.cookies()} <= {"csrftoken", "sessionid"}


def test_send_pressed_before_the_check_is_done_waits_for_it(new_page, shot):
    """The solver is held back (its script not yet delivered) while the citizen presses Enter on "Send": the
    page stays, says it sends as soon as the check is done, and then goes to the confirmation by itself."""
    page = new_page(phone=True)
    held = []
    page.route("**/static/js/pow-worker.js", lambda route: held.append(route))
    page.goto("/wbs/")
    _file_with_keyboard(page, WBS, "Kirim laporan")
    box = page.locator("#id_altcha_check")
    page.wait_for_function(
        "m => document.querySelector('[data-challenge-status]').textContent === m",
        arg=box.get_attribute("data-msg-waiting"),
    )
    assert page.url.endswith("/wbs/#main") and box.get_attribute("data-state") == "working"  # still here
    shot(page, "waiting-for-the-check")
    assert len(held) == 1
    held[0].continue_()
    page.wait_for_selector("#receipt-code")


def test_a_form_left_open_past_the_challenge_life_gets_a_fresh_one(new_page):
    """The page's challenge has expired (as after 20 minutes): the script fetches a new one from the same origin
    before solving, and the report goes through."""
    page = new_page(phone=True)

    def expire(route):
        response = route.fetch()
        body = re.sub(r"expires=\d+", "expires=1000000000", response.text())  # 2001
        route.fulfill(response=response, body=body)

    page.route("**/layanan/pengaduan/", expire)
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if "/tantangan/" in r.url else None)
    page.goto("/layanan/pengaduan/")
    page.unroute("**/layanan/pengaduan/")
    _file_with_keyboard(page, LAPOR, "Kirim")
    page.wait_for_url(CONFIRMATION)
    assert [url.split("/", 3)[3] for url in fetched] == ["layanan/tantangan/"]


def test_without_javascript_the_page_says_so_and_keeps_what_was_typed(browser, live_server, shot):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    try:
        page = context.new_page()
        page.goto("/layanan/pengaduan/")
        notice = page.locator(".challenge__nojs")
        assert notice.is_visible() and "JavaScript" in notice.inner_text()
        assert not page.locator("[data-challenge-status]").is_visible()
        page.locator("#id_title").fill("Jalan rusak")
        page.locator("#id_title").press("Enter")  # the keyboard's way to send a form
        page.wait_for_selector("#error-summary")
        assert page.locator("#id_altcha_error").is_visible()
        assert "JavaScript" in page.inner_text("#id_altcha_error")
        assert page.input_value("#id_title") == "Jalan rusak"
        shot(page, "no-javascript")
    finally:
        context.close()
