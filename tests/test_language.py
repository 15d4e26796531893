"""Indonesian is the default language; English only when the visitor (or API client) asks for it."""

import pytest

pytestmark = pytest.mark.django_db


def test_site_speaks_indonesian_to_an_english_browser(client):
    response = client.get("/layanan/permohonan-informasi/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert '<html lang="id"' in response.content.decode()


def test_language_switch_cookie_gives_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/layanan/permohonan-informasi/")
    assert '<html lang="en"' in response.content.decode()


def test_unknown_language_cookie_falls_back_to_indonesian(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    response = client.get("/layanan/permohonan-informasi/")
    assert '<html lang="id"' in response.content.decode()


def test_api_errors_default_to_indonesian_and_honour_accept_language(client):
    default = client.get("/api/v2/calendar/deadline/", {"start": "bukan tanggal", "days": "x"})
    english = client.get(
        "/api/v2/calendar/deadline/", {"start": "bukan tanggal", "days": "x"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert default.status_code == english.status_code == 400
    assert default.json() != english.json()
    assert "days" in default.json() and "days" in english.json()
