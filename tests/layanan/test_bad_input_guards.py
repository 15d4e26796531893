"""Bad input that used to reach the database or the decoders: answered 400 (Indonesian), never a 500/503.

Found by the review of issue 8: a NUL character (``%00``) in a query string, path or body made PostgreSQL
raise ``DataError``; an unbalanced quote in a search made SQLite's FTS5 raise an ``OperationalError`` that
looked like an outage; a deeply nested JSON body overflowed the decoder; a multipart body without a boundary
answered in English.
"""

import json

import pytest

from layanan.core.models.tickets import Ticket
from tests.layanan.conftest import lapor_payload, ppid_payload

NUL_MESSAGE = "Permintaan berisi karakter null (U+0000), yang tidak diizinkan."

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/cari/?q=%00",
        "/api/v2/tickets/%00/",
        "/api/v2/tickets/PPID%00/files/1/",
        "/api/v2/pages/find/?html_path=%00",
        "/api/v2/regulations/?search=%00",
        "/berita/?tag=%00",
    ],
)
def test_nul_in_a_path_or_query_string_is_a_400(client, url):
    response = client.get(url, HTTP_X_ACCESS_TOKEN="abc")
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    if url.startswith("/api/v2/pages/"):
        assert response.json() == {"message": NUL_MESSAGE}  # Wagtail API v2's own error shape
    elif url.startswith("/api/"):
        assert response.json() == {"detail": NUL_MESSAGE}


def test_nul_in_a_site_form_is_a_400_and_nothing_is_stored(client):
    response = client.post("/layanan/cek-status/", {"tracking_number": "PPID\x00", "token": "x"})
    assert response.status_code == 400 and NUL_MESSAGE in response.content.decode()


@pytest.mark.parametrize("fmt", ["json", "multipart"])
def test_nul_in_an_api_body_is_a_400_and_nothing_is_stored(api_client, fmt):
    body = {**lapor_payload(), "category": "\x00"}
    response = api_client.post("/api/v2/lapor/reports/", body, format=fmt)
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["category"] and "U+0000" in response.json()["category"][0]
    assert Ticket.objects.count() == 0


def test_deeply_nested_json_is_a_400_not_a_500(api_client):
    body = "[" * 100_000 + "]" * 100_000
    response = api_client.generic("POST", "/api/v2/ppid/requests/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Isi permintaan bukan JSON yang sah")


def test_multipart_without_boundary_is_a_400_in_indonesian(api_client):
    response = api_client.generic(
        "POST", "/api/v2/ppid/requests/", json.dumps(ppid_payload()), content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Isi permintaan bukan formulir multipart yang sah."}


@pytest.mark.parametrize("query", ['"', 'a"b', "NEAR(", "* OR"])
def test_odd_search_words_never_look_like_an_outage(client, query):
    site = client.get("/cari/", {"q": query})
    assert site.status_code == 200
    api = client.get("/api/v2/pages/", {"search": query})
    assert api.status_code in (200, 400)
    if api.status_code == 400:
        assert "search" in api.json()
