"""Issue 15 item 11: the smaller holes — a token in the query string, line breaks in names printed into
e-mails, the client's address or pseudonym kept in the cache by the rate limits."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache

from layanan.core.models.tickets import Ticket
from layanan.wbs.privacy import client_pseudonym
from tests.layanan.conftest import ppid_payload, wbs_payload

pytestmark = pytest.mark.django_db

CLIENT_IP = "203.0.113.77"


def test_a_line_break_in_the_name_cannot_forge_lines_of_the_receipt(
    api_client, synced_holidays, django_capture_on_commit_callbacks
):
    payload = ppid_payload(name="Budi\r\nBcc: korban@example.org\r\n\r\nTiket Anda DITOLAK", email="budi@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/v2/ppid/requests/", payload, format="json")
    assert response.status_code == 201
    ticket = Ticket.objects.get(tracking_number=response.json()["tracking_number"])
    assert ticket.applicant_name == "Budi Bcc: korban@example.org Tiket Anda DITOLAK"
    body = mail.outbox[0].body
    assert not any(line.startswith(("Bcc:", "Tiket Anda DITOLAK")) for line in body.splitlines())
    assert mail.outbox[0].bcc == []


def test_the_rate_limits_keep_no_address_and_no_pseudonym_in_the_cache(api_client, synced_holidays):
    api_client.post("/api/v2/ppid/requests/", ppid_payload(), format="json", REMOTE_ADDR=CLIENT_IP)
    api_client.post("/api/v2/wbs/reports/", wbs_payload(), format="json", REMOTE_ADDR=CLIENT_IP)
    api_client.get("/api/v2/tickets/PPID-2026-000001/", HTTP_X_ACCESS_TOKEN="salah", REMOTE_ADDR=CLIENT_IP)
    keys = list(cache._cache.keys())  # the local-memory store of the test settings
    assert any("throttle_" in key for key in keys)  # the limits were counted ...
    pseudonym = client_pseudonym(CLIENT_IP)
    for key in keys:  # ... under keys that name neither the address nor the WBS pseudonym
        assert CLIENT_IP not in key and pseudonym not in key and pseudonym.removeprefix("wbs-") not in key


def test_api_errors_django_raises_itself_are_json_in_indonesian(api_client, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    big = api_client.post("/api/v2/ppid/requests/", '{"name": "' + "x" * 5000 + '"}', content_type="application/json")
    assert big.status_code == 413 and big["Content-Type"] == "application/json"
    assert "MB" in big.json()["detail"]
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    fields = "&".join(f"f{i}=x" for i in range(20))
    many = client.post("/api/v2/ppid/requests/", fields, content_type="application/x-www-form-urlencoded")
    assert many.status_code == 400 and many["Content-Type"] == "application/json" and many.json()["detail"]
    unknown = client.get("/api/v2/tidak-ada/")
    assert unknown.status_code == 404 and "ditemukan" in unknown.json()["detail"]  # Indonesian by default
    assert client.get("/halaman-yang-tidak-ada/").status_code == 404  # the site keeps its HTML page
    assert "text/html" in client.get("/halaman-yang-tidak-ada/")["Content-Type"]


def test_the_admin_password_reset_is_rate_limited(client, settings, make_user):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "password_reset": "3/hour"},
    }
    make_user("petugas.lupa", "PPID Utama", email="petugas.lupa@example.org")
    mail.outbox.clear()
    answers = [
        client.post("/admin/password_reset/", {"email": "petugas.lupa@example.org"}, REMOTE_ADDR=CLIENT_IP)
        for _ in range(6)
    ]
    assert [a.status_code for a in answers] == [302, 302, 302, 429, 429, 429]
    assert len(mail.outbox) == 3  # nothing sent once over the limit
    assert int(answers[-1]["Retry-After"]) > 0 and "Terlalu banyak percobaan" in answers[-1].content.decode()
    other = client.post("/admin/password_reset/", {"email": "petugas.lupa@example.org"}, REMOTE_ADDR="198.51.100.9")
    assert other.status_code == 302  # counted per client
