"""Rate limits of every public write endpoint and every token / receipt-code look-up (issue 8).

One table: for each endpoint the scope is set to one request per hour (``override_settings``, read per request
by ``pesan_cms.throttling``), one request is spent, and the next must answer 429 with ``Retry-After`` (whole
seconds) and the message in Indonesian — or English with ``Accept-Language: en`` on the API. A refused
submission must have stored nothing.

The reference-site views count with the same throttle classes (``pesan_cms.throttling.throttle_wait`` and the WBS
wrong-code throttle), so nothing is patched: the rates must be read live for the table to hold.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from layanan.core.models.tickets import Attachment, Ticket, TimelineEntry
from layanan.wbs import receipt
from pesan_cms.throttling import try_again_text

from .conftest import PDF_BYTES, challenge_field, lapor_payload, ppid_payload, wbs_payload

pytestmark = pytest.mark.django_db

TOO_MANY_ID = "Terlalu banyak percobaan. Silakan coba lagi dalam 60 menit."
TOO_MANY_EN = "Too many attempts. Please try again in 60 minutes."


@pytest.fixture
def tiny_rate(settings):
    """``tiny_rate(scope)``: that scope allows 1 request per hour, every other scope stays generous."""

    def set_rate(scope: str):
        rates = {"submission": "1000/hour", "lookup": "1000/hour", "anon": "1000/hour", "wbs_access": "1000/hour"}
        rates[scope] = "1/hour"
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
        settings.PESAN_WBS_ACCESS_RATE = None  # the scope's rate above applies

    return set_rate


def _wrong_code() -> str:
    return receipt.format_code(receipt.new_code())


def _wbs_ticket():
    from layanan.wbs import services as wbs

    return wbs.submit_wbs_report(wbs_payload())


def _pdf():
    return SimpleUploadedFile("surat.pdf", PDF_BYTES, content_type="application/pdf")


def _counts():
    return Ticket.objects.count(), TimelineEntry.objects.count(), Attachment.objects.count()


# (id, scope, client kind "api"/"site", method, url or callable(ctx) -> url, body factory, stores something)
API_CASES = [
    ("ppid-request", "submission", "post", "/api/v2/ppid/requests/", lambda ctx: ppid_payload(), True),
    (
        "objection",
        "submission",
        "post",
        "/api/v2/ppid/objections/",
        lambda ctx: {"request_tracking_number": "PPID-2026-000001", "reason": "a", "description": "x", "name": "A"},
        True,
    ),
    ("lapor-report", "submission", "post", "/api/v2/lapor/reports/", lambda ctx: lapor_payload(), True),
    ("wbs-report", "submission", "post", "/api/v2/wbs/reports/", lambda ctx: wbs_payload(), True),
    (
        "wbs-message",
        "submission",
        "post",
        "/api/v2/wbs/messages/",
        lambda ctx: {"code": ctx["code"], "text": "Tambahan keterangan."},
        True,
    ),
    ("ticket-status", "lookup", "get", "/api/v2/tickets/PPID-2026-000001/?token=salah", None, False),
    ("ticket-file", "lookup", "get", "/api/v2/tickets/PPID-2026-000001/files/1/?token=salah", None, False),
    ("wbs-access", "wbs_access", "post", "/api/v2/wbs/access/", lambda ctx: {"code": _wrong_code()}, False),
    ("wbs-file", "wbs_access", "post", "/api/v2/wbs/files/1/", lambda ctx: {"code": _wrong_code()}, False),
    (
        "wbs-message-wrong-code",
        "wbs_access",
        "post",
        "/api/v2/wbs/messages/",
        lambda ctx: {"code": _wrong_code(), "text": "x"},
        True,
    ),
    ("deadline-calculator", "anon", "get", "/api/v2/calendar/deadline/?start=2026-03-02&days=10", None, False),
    ("holidays", "anon", "get", "/api/v2/calendar/holidays/?year=2026", None, False),
    ("statistics", "anon", "get", "/api/v2/statistics/", None, False),
]


@pytest.mark.parametrize(
    ("scope", "method", "url", "body", "stores"), [c[1:] for c in API_CASES], ids=[c[0] for c in API_CASES]
)
@pytest.mark.parametrize("language", ["id", "en"])
def test_api_endpoint_answers_429_with_message_and_retry_after(
    api_client, tiny_rate, scope, method, url, body, stores, language
):
    ctx = {}
    if "messages" in url:
        ctx["code"] = _wbs_ticket().formatted_code
    tiny_rate(scope)
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    send = getattr(api_client, method)
    first = send(url, body(ctx), format="json", **headers) if body else send(url, **headers)
    assert first.status_code != 429, first.content
    before = _counts()
    second = send(url, body(ctx), format="json", **headers) if body else send(url, **headers)
    assert second.status_code == 429, second.content
    assert second.json()["detail"] == (TOO_MANY_EN if language == "en" else TOO_MANY_ID)
    retry_after = second["Retry-After"]
    assert retry_after.isdigit() and 0 < int(retry_after) <= 3600
    if stores:
        assert _counts() == before  # nothing stored by the refused request


def test_a_refused_submission_stores_no_file(api_client, tiny_rate, tmp_path):
    tiny_rate("submission")
    assert api_client.post("/api/v2/ppid/requests/", ppid_payload(), format="json").status_code == 201
    files_before = sorted(p for p in (tmp_path / "private").rglob("*") if p.is_file())
    response = api_client.post("/api/v2/ppid/requests/", {**ppid_payload(), "attachments": [_pdf()]})
    assert response.status_code == 429
    assert Ticket.objects.count() == 1
    assert sorted(p for p in (tmp_path / "private").rglob("*") if p.is_file()) == files_before


def test_submission_budget_is_shared_between_api_and_site(api_client, client, tiny_rate):
    tiny_rate("submission")
    assert api_client.post("/api/v2/lapor/reports/", lapor_payload(), format="json").status_code == 201
    response = client.post("/layanan/pengaduan/", {**challenge_field(), **lapor_payload()})
    assert response.status_code == 429
    assert Ticket.objects.count() == 1


def test_rate_is_read_from_settings_at_request_time(api_client, settings):
    """``override_settings`` reaches the throttles (DRF's own classes freeze the rates at import)."""
    url = "/api/v2/tickets/PPID-2026-000001/?token=salah"
    for rate, expected in (("1/hour", [404, 429, 429]), ("5/hour", [404, 404, 404])):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "lookup": rate},
        }
        assert [api_client.get(url).status_code for _ in range(3)] == expected


def test_client_address_comes_from_remote_addr_unless_proxies_are_declared(api_client, tiny_rate, settings):
    """A client cannot escape its bucket by inventing X-Forwarded-For; behind a declared proxy the address
    the proxy appended is used."""
    tiny_rate("lookup")
    url = "/api/v2/tickets/PPID-2026-000001/?token=salah"
    assert api_client.get(url, HTTP_X_FORWARDED_FOR="10.0.0.1").status_code == 404
    assert api_client.get(url, HTTP_X_FORWARDED_FOR="10.0.0.2").status_code == 429
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert api_client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.7, 10.9.9.9").status_code == 404
    assert api_client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 404  # another citizen
    assert api_client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 429


# --- reference site -----------------------------------------------------------------------------------------
SITE_CASES = [
    (
        "ppid-form",
        "submission",
        "/layanan/permohonan-informasi/",
        lambda ctx: {**challenge_field(), **ppid_payload()},
        True,
    ),
    ("lapor-form", "submission", "/layanan/pengaduan/", lambda ctx: {**challenge_field(), **lapor_payload()}, True),
    (
        "objection-form",
        "submission",
        "/layanan/keberatan/",
        lambda ctx: {**challenge_field(), "request_tracking_number": "PPID-2026-000001", "reason": "a", "name": "A"},
        True,
    ),
    ("wbs-form", "submission", "/wbs/", lambda ctx: {**challenge_field(), **wbs_payload()}, True),
    (
        "status-check",
        "lookup",
        "/layanan/cek-status/",
        lambda ctx: {"tracking_number": "PPID-2026-000001", "token": "salah"},
        False,
    ),
    (
        "status-file",
        "lookup",
        "/layanan/cek-status/berkas/1/",
        lambda ctx: {"tracking_number": "PPID-2026-000001", "token": "salah"},
        False,
    ),
    ("wbs-thread", "wbs_access", "/wbs/akses/", lambda ctx: {"code": _wrong_code()}, False),
    ("wbs-thread-file", "wbs_access", "/wbs/akses/berkas/1/", lambda ctx: {"code": _wrong_code()}, False),
]


@pytest.mark.parametrize(
    ("scope", "url", "body", "stores"), [c[1:] for c in SITE_CASES], ids=[c[0] for c in SITE_CASES]
)
def test_site_page_answers_429_with_indonesian_page_and_retry_after(client, tiny_rate, scope, url, body, stores):
    tiny_rate(scope)
    first = client.post(url, body({}))
    assert first.status_code != 429
    before = _counts()
    second = client.post(url, body({}))
    assert second.status_code == 429
    text = re.sub(r"\s+", " ", second.content.decode())
    assert "Terlalu banyak percobaan" in text and "Silakan coba lagi dalam 60 menit" in text
    assert second["Retry-After"].isdigit() and 0 < int(second["Retry-After"]) <= 3600
    if stores:
        assert _counts() == before


def test_site_wbs_thread_messages_count_against_the_submission_limit(client, tiny_rate):
    """A reporter with a valid code cannot flood the thread from the site either (same scope as the API)."""
    from layanan.core.models.tickets import TimelineEntry

    code = _wbs_ticket().formatted_code
    tiny_rate("submission")
    first = client.post("/wbs/akses/", {"code": code, "text": "Saya punya bukti tambahan."})
    assert first.status_code == 200
    before = TimelineEntry.objects.count()
    second = client.post("/wbs/akses/", {"code": code, "text": "Pesan kedua."})
    assert second.status_code == 429 and second["Retry-After"].isdigit()
    assert TimelineEntry.objects.count() == before
    # reading the thread (no message) is not a submission
    assert client.post("/wbs/akses/", {"code": code}).status_code == 200


def test_a_long_wait_is_said_in_hours_not_in_thousands_of_minutes():
    with translation.override("id"):
        assert try_again_text(90) == "Silakan coba lagi dalam 2 menit."
        assert try_again_text(86_400) == "Silakan coba lagi dalam 24 jam."
        assert "1440" not in try_again_text(86_400)
