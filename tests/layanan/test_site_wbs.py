"""The public WBS pages: receipt code shown once, thread by code, no cookie but CSRF, nothing third-party."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from layanan.core.models.tickets import Ticket, TimelineEntry
from tests.layanan.conftest import PNG_BYTES, challenge_field, embedded_challenge, solve_challenge

pytestmark = pytest.mark.django_db

FORM = "/wbs/"
ACCESS = "/wbs/akses/"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def _report(client, **overrides):
    data = {
        "violation_type": "bribery",
        "what": "Petugas meminta uang pelicin untuk mempercepat izin.",
        "where": "Loket perizinan",
        "files": SimpleUploadedFile("foto-pelaku.png", PNG_BYTES, content_type="image/png"),
        **challenge_field(),  # a fresh challenge solved for real (tiny in the test settings)
    }
    data.update(overrides)
    return client.post(FORM, data)


def _code(response) -> str:
    return re.search(r'id="receipt-code">([^<]+)<', response.content.decode()).group(1).strip()


def test_wbs_form_sets_no_cookie_but_csrf_and_loads_nothing_third_party(client):
    page = client.get(FORM)
    assert page.status_code == 200
    assert set(page.cookies) <= {"csrftoken"}
    html = page.content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', html)  # every asset served by the app
    sent = _report(client)
    assert sent.status_code == 201
    assert set(sent.cookies) <= {"csrftoken"}
    assert "sessionid" not in client.cookies
    assert sent["Cache-Control"].startswith("no-store") or "no-store" in sent["Cache-Control"]


@pytest.mark.parametrize("path", [FORM, "/wbs/akses/"])
def test_language_switch_of_a_wbs_page_names_no_wbs_page_and_still_comes_back(client, path):
    """The switch's request is outside ``/wbs/`` (logged like any other): its address must not say that the
    visitor came from the WBS. It goes back by the ``Referer``, which the access log does not keep."""
    html = client.get(path).content.decode()
    links = re.findall(r'href="(/bahasa/[^"]*)"', html)
    assert sorted(links) == ["/bahasa/en/", "/bahasa/id/"]
    response = client.get("/bahasa/en/", HTTP_REFERER=f"http://testserver{path}")
    assert response.status_code == 302 and response["Location"] == f"http://testserver{path}"
    assert '<html lang="en"' in client.get(path).content.decode()
    # Other pages keep ``next`` (no Referer needed).
    assert 'href="/bahasa/en/?next=/layanan/"' in client.get("/layanan/").content.decode()


def test_receipt_code_opens_thread_and_reporter_can_answer(client):
    code = _code(_report(client))
    ticket = Ticket.objects.get(service="wbs")
    assert ticket.attachments.get().original_name.startswith("bukti-1")  # neutral name, not the reporter's

    opened = client.post(ACCESS, {"code": code})
    assert opened.status_code == 200
    assert ticket.status_label in opened.content.decode()

    answer = client.post(ACCESS, {"code": code, "text": "Saya punya bukti tambahan."})
    assert answer.status_code == 200
    assert "Saya punya bukti tambahan." in answer.content.decode()
    assert TimelineEntry.objects.filter(ticket=ticket, action="reporter_message").count() == 1


def test_wrong_code_message_and_nothing_shown(client):
    code = _code(_report(client))
    digits = re.sub(r"\D", "", code)
    wrong = digits[:8] + ("1" if digits[8] != "1" else "2") + digits[9:]
    response = client.post(ACCESS, {"code": wrong})
    assert response.status_code == 400
    assert 'id="id_code_error"' in response.content.decode()
    assert "Petugas meminta" not in response.content.decode()


def test_wbs_errors_next_to_fields_keep_input(client):
    response = _report(client, violation_type="", where="Gedung B lantai 3")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_violation_type_error"' in html
    assert "Gedung B lantai 3" in html
    assert not Ticket.objects.filter(service="wbs").exists()


def test_old_layanan_wbs_address_redirects(client):
    assert client.get("/layanan/wbs/")["Location"] == FORM


def test_wbs_check_sets_no_cookie_on_get_refresh_and_wrong_post(client):
    """The challenge is embedded in the page and signed, not stored: the WBS pages still send no Set-Cookie but
    csrftoken, the fresh challenge comes from under /wbs/ (scrubbed by the privacy middleware)."""
    page = client.get(FORM)
    html = page.content.decode()
    challenge = embedded_challenge(html)
    assert set(page.cookies) <= {"csrftoken"}
    fresh = client.get("/wbs/tantangan/")
    assert fresh.status_code == 200 and not fresh.cookies
    assert fresh["Referrer-Policy"] == "same-origin"  # the WBS privacy middleware answered it
    used = solve_challenge(challenge)
    assert _report(client, altcha=used).status_code == 201
    wrong = _report(client, altcha=used, where="Gedung C")  # the same solution again
    assert wrong.status_code == 400
    assert 'id="id_altcha_error"' in wrong.content.decode()
    assert "Gedung C" in wrong.content.decode()  # what was typed is kept
    assert set(wrong.cookies) <= {"csrftoken"}
    assert "sessionid" not in client.cookies and set(client.cookies) <= {"csrftoken"}
    assert Ticket.objects.filter(service="wbs").count() == 1
