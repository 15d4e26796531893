"""The public site's service forms: same rules as the API, errors beside fields, token shown once."""

import base64
import datetime
import json
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from layanan.core.models.tickets import Ticket
from tests.layanan.conftest import (
    PDF_BYTES,
    challenge_field,
    embedded_challenge,
    lapor_payload,
    ppid_payload,
    solve_challenge,
)

pytestmark = pytest.mark.django_db

PPID_URL = "/layanan/permohonan-informasi/"
OBJECTION_URL = "/layanan/keberatan/"
LAPOR_URL = "/layanan/pengaduan/"
STATUS_URL = "/layanan/cek-status/"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def _file(name="surat.pdf", content=PDF_BYTES, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def json_of(payload: str):
    return json.loads(base64.b64decode(payload))


def b64(data) -> str:
    return base64.b64encode(json.dumps(data).encode()).decode()


def _submit_ppid(client, **overrides):
    data = ppid_payload(**overrides)
    data.setdefault("attachments", _file())
    data = {**challenge_field(), **data}
    return client.post(PPID_URL, data)


def test_form_page_shows_labels_and_upload_limits_from_settings(client, settings):
    settings.PESAN_ATTACHMENT_MAX_BYTES = 3 * 1024 * 1024
    settings.PESAN_ATTACHMENT_MAX_FILES = 4
    response = client.get(PPID_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="id"' in html
    assert 'for="id_nik"' in html and 'id="id_nik"' in html
    assert "3 MB" in html and "4" in html
    assert 'name="website"' in html  # honeypot present


def test_ppid_request_registers_and_shows_token_once(client):
    response = _submit_ppid(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("layanan-site-submitted")
    ticket = Ticket.objects.get(service="ppid_request")
    assert ticket.channel == "web"
    assert ticket.attachments.count() == 1

    page = client.get(response["Location"])
    html = page.content.decode()
    assert ticket.tracking_number in html
    token = re.search(r'id="access-token">([^<]+)<', html).group(1)
    assert ticket.due_date.strftime("%Y") in html
    assert page["Cache-Control"].startswith("no-store") or "no-store" in page["Cache-Control"]
    # a reload shows it again (kept for PESAN_CONFIRMATION_MINUTES in this browser's session) …
    again = client.get(response["Location"]).content.decode()
    assert token in again and ticket.tracking_number in again
    # … with the link in a QR code and as a file to download, until "I have saved them" removes it
    assert "<svg" in again and 'href="/layanan/terkirim/akses/"' in again
    kept = client.get("/layanan/terkirim/akses/")
    assert kept["Content-Disposition"] == f'attachment; filename="akses-{ticket.tracking_number}.txt"'
    assert token in kept.content.decode() and f"#token={token}" in kept.content.decode()
    forgotten = client.post(response["Location"], {"forget": "1"}).content.decode()
    assert token not in forgotten
    assert "layanan_site_submission" not in client.session
    gone = client.get(response["Location"]).content.decode()
    assert token not in gone and ticket.tracking_number not in gone
    assert client.get("/layanan/terkirim/akses/").status_code == 404

    # the token opens the status page
    status = client.post(STATUS_URL, {"tracking_number": ticket.tracking_number, "token": token})
    assert status.status_code == 200
    assert ticket.status_label in status.content.decode()


def test_the_confirmation_is_kept_only_for_its_window(client, settings, monkeypatch):
    import time as real_time

    settings.PESAN_CONFIRMATION_MINUTES = 30
    response = _submit_ppid(client)
    first = client.get(response["Location"]).content.decode()
    token = re.search(r'id="access-token">([^<]+)<', first).group(1)
    later = real_time.time() + 31 * 60
    monkeypatch.setattr("layanan.site.views.time.time", lambda: later)
    assert token not in client.get(response["Location"]).content.decode()
    assert "layanan_site_submission" not in client.session


def test_errors_are_indonesian_next_to_fields_and_input_kept(client):
    response = _submit_ppid(client, nik="12345", name="Rina Marlina", email="")
    assert response.status_code == 400
    html = response.content.decode()
    assert Ticket.objects.count() == 0
    assert 'id="id_nik_error"' in html
    assert "16 digit" in html  # Indonesian NIK message
    assert re.search(r'<input[^>]*aria-describedby="[^"]*id_nik_error[^"]*"[^>]*name="nik"', html) or re.search(
        r'<input[^>]*name="nik"[^>]*aria-describedby="[^"]*id_nik_error', html
    )
    assert 'value="Rina Marlina"' in html
    assert "Salinan laporan realisasi anggaran 2025" in html
    assert "pilih" in html.lower() and "ulang" in html.lower()  # files must be chosen again


def test_cross_field_rule_of_intake_shown_at_field(client):
    """The intake rule "e-mail delivery needs an e-mail" appears at the e-mail field."""
    response = _submit_ppid(client, email="", delivery_method="email")
    assert response.status_code == 400
    assert 'id="id_email_error"' in response.content.decode()
    assert Ticket.objects.count() == 0


def test_bad_file_type_rejected_and_nothing_stored(client):
    response = _submit_ppid(client, attachments=_file("x.pdf", b"MZ\x90\x00not a pdf at all", "application/pdf"))
    assert response.status_code == 400
    assert "id_attachments_error" in response.content.decode()
    assert Ticket.objects.count() == 0


def test_honeypot_filled_is_rejected(client):
    response = _submit_ppid(client, website="http://spam.example")
    assert response.status_code == 400
    assert Ticket.objects.count() == 0


def test_submission_rate_limit_uses_api_throttle(client, settings):
    """The forms count against the API's ``submission`` throttle scope (its configured rate, read live)."""
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "submission": "2/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    assert _submit_ppid(client).status_code == 302
    assert _submit_ppid(client, nik="").status_code == 400
    third = _submit_ppid(client)
    assert third.status_code == 429
    assert "Retry-After" in third
    assert "Terlalu banyak" in third.content.decode()
    assert Ticket.objects.count() == 1


def test_status_wrong_token_same_message_as_unknown(client):
    _submit_ppid(client)
    ticket = Ticket.objects.get()
    client.get(reverse("layanan-site-submitted"))
    wrong = client.post(STATUS_URL, {"tracking_number": ticket.tracking_number, "token": "salah"})
    unknown = client.post(STATUS_URL, {"tracking_number": "PPID-1999-000001", "token": "salah"})
    assert wrong.status_code == unknown.status_code == 400
    assert "tidak ditemukan" in wrong.content.decode().lower()
    assert ticket.subject not in wrong.content.decode()


def test_objection_form_prefills_and_registers(client):
    _submit_ppid(client)
    request_ticket = Ticket.objects.get()
    # reason (c) needs the due date passed without an answer (UU 14/2008 Pasal 35(1)(c)): it was due yesterday
    Ticket.objects.filter(pk=request_ticket.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    page = client.get(OBJECTION_URL, {"nomor": request_ticket.tracking_number})
    assert f'value="{request_ticket.tracking_number}"' in page.content.decode()
    response = client.post(
        OBJECTION_URL,
        {
            "request_tracking_number": request_ticket.tracking_number,
            "name": "Siti Aminah",
            "nik": "3171234567890001",
            "reason": "c",
            "description": "Permohonan tidak ditanggapi.",
            **challenge_field(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    objection = Ticket.objects.get(service="objection")
    assert objection.objection.request == request_ticket


def test_objection_by_another_applicant_is_refused_at_field(client):
    _submit_ppid(client)
    request_ticket = Ticket.objects.get()
    response = client.post(
        OBJECTION_URL,
        {
            "request_tracking_number": request_ticket.tracking_number,
            "name": "Orang Lain",
            "nik": "3171234567899999",
            "reason": "c",
            "description": "Keberatan.",
            **challenge_field(),
        },
    )
    assert response.status_code == 400
    assert 'id="id_request_tracking_number_error"' in response.content.decode()
    assert not Ticket.objects.filter(service="objection").exists()


def test_lapor_form_registers_report(client):
    data = lapor_payload(anonymous="on")
    response = client.post(LAPOR_URL, {**data, **challenge_field()})
    assert response.status_code == 302, response.content.decode()[:3000]
    ticket = Ticket.objects.get(service="lapor")
    assert ticket.lapor.anonymous is True
    assert ticket.lapor.classification == "pengaduan"


def test_lapor_future_incident_date_refused(client):
    response = client.post(LAPOR_URL, {**lapor_payload(incident_date="2999-01-01"), **challenge_field()})
    assert response.status_code == 400
    assert 'id="id_incident_date_error"' in response.content.decode()


def test_english_switch_translates_the_form(client):
    client.cookies["django_language"] = "en"
    html = client.get(PPID_URL).content.decode()
    assert '<html lang="en"' in html
    assert "Full name" in html and "Nama lengkap" not in html


def test_lapor_categories_offered_from_the_admin_list(client):
    from layanan.lapor.models import LaporCategory

    parent = LaporCategory.objects.create(name="Infrastruktur", slug="infrastruktur")
    LaporCategory.objects.create(name="Jalan", slug="jalan", parent=parent)
    LaporCategory.objects.create(name="Lama", slug="lama", active=False)
    html = client.get(LAPOR_URL).content.decode()
    assert "Jalan" in html and "Lama" not in html
    child = LaporCategory.objects.get(slug="jalan")
    response = client.post(LAPOR_URL, {**lapor_payload(category=str(child.pk)), **challenge_field()})
    assert response.status_code == 302
    assert Ticket.objects.get(service="lapor").lapor.category == child


def _token_after_submit(client) -> str:
    page = client.get(reverse("layanan-site-submitted")).content.decode()
    return re.search(r'id="access-token">([^<]+)<', page).group(1)


def test_released_file_downloads_only_with_the_token(client):
    _submit_ppid(client)
    ticket = Ticket.objects.get()
    token = _token_after_submit(client)
    attachment = ticket.attachments.get()
    url = reverse("layanan-site-file", args=[attachment.pk])
    ok = client.post(url, {"tracking_number": ticket.tracking_number, "token": token})
    assert ok.status_code == 200
    assert b"".join(ok.streaming_content) == PDF_BYTES
    assert "no-store" in ok["Cache-Control"] and ok["X-Content-Type-Options"] == "nosniff"
    assert ok["Content-Disposition"].startswith("attachment;")
    assert client.post(url, {"tracking_number": ticket.tracking_number, "token": "salah"}).status_code == 404
    assert client.get(url).status_code == 405  # never with the token in a URL


def test_service_index_links_every_form(client):
    html = client.get("/layanan/").content.decode()
    for url in (PPID_URL, OBJECTION_URL, LAPOR_URL, STATUS_URL, "/wbs/"):
        assert f'href="{url}"' in html


# --- anti-robot check (issue 16: ALTCHA proof of work, layanan.site.challenge) ---------------------------------
def test_every_submission_form_has_a_check_with_nothing_to_see_or_hear(client):
    for url in (PPID_URL, OBJECTION_URL, LAPOR_URL, "/wbs/"):
        html = client.get(url).content.decode()
        challenge = embedded_challenge(html)
        assert challenge["algorithm"] == "SHA-256" and challenge["maxnumber"] == 200  # the test settings
        assert re.fullmatch(r"[0-9a-f]{24}\?expires=\d+&", challenge["salt"]), challenge["salt"]
        assert '<input type="hidden" name="altcha" id="id_altcha" value="">' in html, url
        assert html.count('aria-live="polite"') == 1  # one live region: "checking…", then "done"
        assert 'role="group" aria-labelledby="id_altcha_label" aria-describedby="id_altcha_helptext"' in html
        assert "JavaScript" in html  # the no-JavaScript notice
        assert "<img" not in html.split('id="field-altcha"')[1].split("</form>")[0]  # no picture
        assert 'data-challenge-worker="/static/js/pow-worker.js"' in html
        refresh = "/wbs/tantangan/" if url == "/wbs/" else "/layanan/tantangan/"
        assert f'data-challenge-refresh="{refresh}"' in html, url
    # the status check and the WBS reply need none (token / receipt code, throttled)
    assert 'name="altcha"' not in client.get(STATUS_URL).content.decode()
    assert 'name="altcha"' not in client.get("/wbs/akses/").content.decode()


def test_solved_challenge_registers_once_and_a_replay_is_refused(client):
    html = client.get(PPID_URL).content.decode()
    solved = {"altcha": solve_challenge(embedded_challenge(html))}
    assert client.post(PPID_URL, {**ppid_payload(), **solved}).status_code == 302
    assert Ticket.objects.filter(service="ppid_request").count() == 1
    # the same solution a second time (a bot replaying one solved payload): refused, nothing stored
    replay = client.post(PPID_URL, {**ppid_payload(name="Bot"), **solved})
    assert replay.status_code == 400
    assert 'id="id_altcha_error"' in replay.content.decode()
    assert Ticket.objects.filter(service="ppid_request").count() == 1


def test_wrong_check_is_a_field_error_with_the_others_input_kept_files_chosen_again(client):
    html = client.get(PPID_URL).content.decode()
    challenge = embedded_challenge(html)
    payload = solve_challenge(challenge)
    wrong = {**json_of(payload), "number": json_of(payload)["number"] + 1}
    data = {**ppid_payload(name="Rina Marlina", nik="12345"), "attachments": _file(), "altcha": b64(wrong)}
    response = client.post(PPID_URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    # both errors in one round: the NIK next to its field, the check next to the check
    assert 'id="id_nik_error"' in html and 'id="id_altcha_error"' in html
    assert 'href="#id_altcha_check"' in html  # the summary's link lands on the check's (focusable) box
    assert 'id="id_altcha_check" tabindex="-1"' in html
    assert 'value="Rina Marlina"' in html and ppid_payload()["information_requested"] in html
    assert 'class="field__lost"' in html  # next to the file input: choose the files again
    assert not Ticket.objects.exists()
    # a new challenge on the page; the posted payload is not echoed back
    assert embedded_challenge(html)["signature"] != challenge["signature"]
    assert b64(wrong) not in html


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda p: {**p, "signature": "0" * 64}, id="forged-signature"),
        pytest.param(lambda p: {**p, "algorithm": "SHA-1"}, id="other-algorithm"),
        pytest.param(lambda p: {**p, "salt": p["salt"].replace("expires=", "expires=9")}, id="longer-expiry"),
        pytest.param(lambda p: {**p, "number": "7"}, id="number-as-text"),
        pytest.param(lambda p: [p], id="not-an-object"),
        pytest.param(lambda p: {**p, "challenge": "\ud800"}, id="lone-surrogate-challenge"),
        pytest.param(lambda p: {**p, "signature": "\udfff" * 64}, id="lone-surrogate-signature"),
    ],
)
def test_tampered_payload_is_refused(client, tamper):
    payload = json_of(solve_challenge(embedded_challenge(client.get(LAPOR_URL).content.decode())))
    response = client.post(LAPOR_URL, {**lapor_payload(), "altcha": b64(tamper(payload))})
    assert response.status_code == 400
    assert 'id="id_altcha_error"' in response.content.decode()
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("garbage", ["PASSED", "not base64!", "e30=", "x" * 5000])
def test_garbage_payload_is_a_field_error_not_a_crash(client, garbage):
    response = client.post(LAPOR_URL, {**lapor_payload(), "altcha": garbage})
    assert response.status_code == 400
    assert 'id="id_altcha_error"' in response.content.decode()


def test_expired_challenge_is_refused_with_its_own_message(client):
    import datetime

    from django.utils import timezone

    from layanan.site.challenge import EXPIRED_MESSAGE, new_challenge

    old = new_challenge(now=timezone.now() - datetime.timedelta(minutes=21))  # lived 20 minutes
    response = client.post(LAPOR_URL, {**lapor_payload(), "altcha": solve_challenge(old)})
    assert response.status_code == 400
    assert str(EXPIRED_MESSAGE) in response.content.decode()
    assert not Ticket.objects.exists()


def test_missing_check_is_refused_even_with_valid_fields(client):
    """What a browser without JavaScript posts: a field error that says JavaScript is needed."""
    from layanan.site.challenge import MISSING_MESSAGE

    response = client.post(LAPOR_URL, lapor_payload())
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_altcha_error"' in html and str(MISSING_MESSAGE) in html
    assert not Ticket.objects.exists()


def test_a_fresh_challenge_is_served_same_origin_without_cookie_or_cache(client):
    for url in ("/layanan/tantangan/", "/wbs/tantangan/"):
        response = client.get(url)
        assert (
            response.status_code == 200
            and response["Cache-Control"].startswith("no-store")
            or "no-store" in (response["Cache-Control"])
        )
        assert not response.cookies
        challenge = response.json()
        assert set(challenge) == {"algorithm", "challenge", "maxnumber", "salt", "signature"}
        assert client.post(LAPOR_URL, {**lapor_payload(), "altcha": solve_challenge(challenge)}).status_code == 302
    assert client.post("/layanan/tantangan/").status_code == 405


def test_filing_goes_on_when_the_replay_memory_is_down_but_a_valid_solution_is_still_needed(
    client, monkeypatch, caplog
):
    """Redis down: a citizen can still file (a valid solution is still required; only "used before" is not
    remembered, and the outage is logged), as the rate limits are skipped then."""
    import redis
    from django.core.cache import caches

    def refused(*args, **kwargs):
        raise redis.ConnectionError("Connection refused")

    monkeypatch.setattr(caches["strict"], "add", refused)
    assert client.post(LAPOR_URL, {**lapor_payload(), "altcha": "PASSED"}).status_code == 400
    assert client.post(LAPOR_URL, {**lapor_payload(), **challenge_field()}).status_code == 302
    assert "replay memory unavailable" in caplog.text


def test_api_keeps_working_without_the_check(client):
    """Headless clients are protected by throttles + honeypot; the anti-robot check is only on the HTML forms."""
    response = client.post("/api/v2/ppid/requests/", ppid_payload())
    assert response.status_code == 201, response.content[:500]
