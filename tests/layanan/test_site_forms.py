"""The public site's service forms: same rules as the API, errors beside fields, token shown once."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from layanan.core.models.tickets import Ticket
from tests.layanan.conftest import PDF_BYTES, lapor_payload, ppid_payload

pytestmark = pytest.mark.django_db

PPID_URL = "/layanan/permohonan-informasi/"
OBJECTION_URL = "/layanan/keberatan/"
LAPOR_URL = "/layanan/pengaduan/"
STATUS_URL = "/layanan/cek-status/"
#: The captcha answer accepted in the test settings (CAPTCHA_TEST_MODE); the key need not exist.
CAPTCHA = {"captcha_0": "test", "captcha_1": "PASSED"}


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def _file(name="surat.pdf", content=PDF_BYTES, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _submit_ppid(client, **overrides):
    data = ppid_payload(**overrides)
    data.setdefault("attachments", _file())
    data = {**CAPTCHA, **data}
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
    # the token is gone from the session once displayed
    assert "layanan_site_submission" not in client.session
    again = client.get(response["Location"]).content.decode()
    assert token not in again and ticket.tracking_number not in again

    # the token opens the status page
    status = client.post(STATUS_URL, {"tracking_number": ticket.tracking_number, "token": token})
    assert status.status_code == 200
    assert ticket.status_label in status.content.decode()


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
            **CAPTCHA,
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
            **CAPTCHA,
        },
    )
    assert response.status_code == 400
    assert 'id="id_request_tracking_number_error"' in response.content.decode()
    assert not Ticket.objects.filter(service="objection").exists()


def test_lapor_form_registers_report(client):
    data = lapor_payload(anonymous="on")
    response = client.post(LAPOR_URL, {**data, **CAPTCHA})
    assert response.status_code == 302, response.content.decode()[:3000]
    ticket = Ticket.objects.get(service="lapor")
    assert ticket.lapor.anonymous is True
    assert ticket.lapor.classification == "pengaduan"


def test_lapor_future_incident_date_refused(client):
    response = client.post(LAPOR_URL, {**lapor_payload(incident_date="2999-01-01"), **CAPTCHA})
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
    response = client.post(LAPOR_URL, {**lapor_payload(category=str(child.pk)), **CAPTCHA})
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


# --- captcha (django-simple-captcha, self-hosted) ------------------------------------------------------------
def _captcha_key(html: str) -> str:
    return re.search(r'name="captcha_0" value="([0-9a-f]+)"', html).group(1)


def test_every_submission_form_has_a_labelled_captcha_served_by_the_app(client):
    for url in (PPID_URL, OBJECTION_URL, LAPOR_URL, "/wbs/"):
        html = client.get(url).content.decode()
        assert 'for="id_captcha_1"' in html and 'id="id_captcha_1"' in html, url
        assert 'aria-describedby="id_captcha_helptext"' in html
        image = re.search(r'<img class="captcha__image" src="(/captcha/image/[0-9a-f]+/)"', html)
        assert image, url
        assert 'alt="Gambar captcha' in html or 'alt="Captcha picture' in html
        assert 'data-captcha-refresh="/captcha/refresh/"' in html
        picture = client.get(image.group(1))
        assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    # the status check and the WBS reply need no captcha (token / receipt code, throttled)
    assert "captcha_1" not in client.get(STATUS_URL).content.decode()
    assert "captcha_1" not in client.get("/wbs/akses/").content.decode()


def test_right_captcha_answer_registers(client):
    from captcha.models import CaptchaStore

    key = _captcha_key(client.get(PPID_URL).content.decode())
    answer = CaptchaStore.objects.get(hashkey=key).response
    data = {**ppid_payload(), "captcha_0": key, "captcha_1": answer.upper()}  # not case-sensitive
    assert client.post(PPID_URL, data).status_code == 302
    assert Ticket.objects.filter(service="ppid_request").count() == 1
    assert not CaptchaStore.objects.filter(hashkey=key).exists()  # single use


def test_wrong_captcha_error_at_field_input_kept_files_must_be_chosen_again(client):
    from captcha.models import CaptchaStore

    key = _captcha_key(client.get(PPID_URL).content.decode())
    data = {**ppid_payload(name="Rina Marlina"), "attachments": _file(), "captcha_0": key, "captcha_1": "zzzzz"}
    response = client.post(PPID_URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_captcha_error"' in html
    assert 'aria-invalid="true"' in re.search(r'<input[^>]+id="id_captcha_1"[^>]*>', html).group(0)
    assert 'href="#id_captcha_1"' in html  # the summary links to the answer box
    assert 'value="Rina Marlina"' in html and ppid_payload()["information_requested"] in html
    assert 'class="field__lost"' in html  # next to the file input: choose the files again
    assert not Ticket.objects.exists()
    # the used challenge is gone and a new one is shown; the typed letters are not echoed back
    assert not CaptchaStore.objects.filter(hashkey=key).exists()
    assert _captcha_key(html) != key
    assert 'value="zzzzz"' not in html
    # the same wrong answer cannot be retried against the old key
    assert client.post(PPID_URL, {**data, "attachments": _file()}).status_code == 400


def test_missing_captcha_is_refused_even_with_valid_fields(client):
    response = client.post(LAPOR_URL, lapor_payload())
    assert response.status_code == 400
    assert 'id="id_captcha_error"' in response.content.decode()
    assert not Ticket.objects.exists()


def test_refresh_gives_a_new_picture_without_reloading(client):
    response = client.get("/captcha/refresh/", headers={"X-Requested-With": "XMLHttpRequest"})
    data = response.json()
    assert data["image_url"].startswith("/captcha/image/") and data["key"]


def test_audio_link_offered_only_when_flite_is_installed(client, monkeypatch):
    from captcha.conf import settings as captcha_settings

    assert "/captcha/audio/" not in client.get(PPID_URL).content.decode()
    monkeypatch.setattr(captcha_settings, "CAPTCHA_FLITE_PATH", "/usr/bin/flite")
    html = client.get(PPID_URL).content.decode()
    assert re.search(r'<a class="captcha__audio" href="/captcha/audio/[0-9a-f]+\.wav">', html)


def test_api_keeps_working_without_captcha(client):
    """Headless clients are protected by throttles + honeypot; the captcha is only on the HTML forms."""
    response = client.post("/api/v2/ppid/requests/", ppid_payload())
    assert response.status_code == 201, response.content[:500]
