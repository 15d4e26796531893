"""``/api/`` answers JSON to browsers outside development (issue 19): the HTML browsable API is a dev tool."""

import importlib

import pytest

pytestmark = pytest.mark.django_db

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize("url", ["/api/v2/pages/", "/api/v2/site/", "/api/v2/news/", "/api/v2/regulations/"])
def test_a_browser_gets_json_not_the_browsable_api(client, url):
    response = client.get(url, HTTP_ACCEPT=BROWSER_ACCEPT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert b"<html" not in response.content.lower()


def test_asking_for_the_browsable_api_is_a_404(client):
    assert client.get("/api/v2/pages/?format=api").status_code == 404


def test_development_settings_keep_the_browsable_api():
    dev = importlib.import_module("pesan_cms.settings.dev")
    assert "rest_framework.renderers.BrowsableAPIRenderer" in dev.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"]
    base = importlib.import_module("pesan_cms.settings.base")
    assert "rest_framework.renderers.BrowsableAPIRenderer" not in base.REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"]
