"""The OpenAPI 3 schema (/api/schema/) and the API docs (/api/docs/, /api/redoc/), served without any CDN."""

import re
from urllib.parse import urlparse

import pytest
from django.contrib.staticfiles import finders
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

REGULATION_FILTERS = {"kind", "year", "year_min", "year_max", "status", "subject", "search", "ordering"}


@pytest.fixture
def schema_and_messages():
    """The generated schema plus the warnings and errors drf-spectacular emitted while generating it."""
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    messages = list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    return schema, messages


def test_schema_is_valid_openapi_3(schema_and_messages):
    schema, _messages = schema_and_messages
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on an invalid document


def test_schema_documents_the_regulation_endpoints_and_every_filter(schema_and_messages):
    schema, _messages = schema_and_messages
    listing = schema["paths"]["/api/v2/regulations/"]["get"]
    params = {param["name"]: param for param in listing["parameters"]}
    assert REGULATION_FILTERS | {"limit", "offset"} <= set(params)
    for name in REGULATION_FILTERS:
        assert params[name]["in"] == "query"
        assert params[name].get("description"), f"{name} has no description"
    assert set(params["kind"]["schema"]["enum"]) == {"uu", "pp", "perpres", "permen", "perki", "kepmen", "se", "other"}
    assert set(params["status"]["schema"]["enum"]) == {"berlaku", "diubah", "dicabut"}
    assert params["year"]["schema"]["type"] == "integer"

    detail = schema["paths"]["/api/v2/regulations/{id}/"]["get"]
    assert detail["operationId"] != listing["operationId"]
    regulation = schema["components"]["schemas"]["Regulation"]["properties"]
    for field in (
        "id",
        "title",
        "kind",
        "kind_display",
        "number",
        "year",
        "about",
        "issued_on",
        "status",
        "replaced_by",
        "subjects",
        "document",
        "abstract",
        "url",
        "meta",
    ):
        assert field in regulation, field


def test_regulation_endpoints_generate_without_warnings_or_errors(schema_and_messages):
    _schema, messages = schema_and_messages
    ours = [message for message in messages if re.search(r"regulasi|Regulation", message)]
    assert ours == []


def test_admin_internal_api_is_not_in_the_public_schema(schema_and_messages):
    schema, _messages = schema_and_messages
    assert all(path.startswith("/api/") for path in schema["paths"])


def test_schema_endpoint_serves_json(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    body = response.json()
    assert body["openapi"].startswith("3.")
    assert "/api/v2/regulations/" in body["paths"]


def _asset_urls(html: str) -> list[str]:
    return re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_are_served_locally_without_any_cdn(client, url, settings):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assets = _asset_urls(html)
    assert assets, "the docs page loads no scripts or styles?"
    for asset in assets:  # Swagger UI's set-up script is a separate file (no inline script: CSP, issue 8)
        if "?script" in asset:
            html += client.get(asset).content.decode()
    for asset in assets:
        parsed = urlparse(asset)
        assert not parsed.netloc and not asset.startswith("//"), f"external asset {asset}"
    # No external host anywhere in the page (a CDN URL could also hide in inline script).
    assert not re.search(r"https?://(?!testserver)[\w.-]+", html), re.findall(r"https?://[\w./-]+", html)
    # The scripts and styles it references are shipped with the project (drf-spectacular-sidecar).
    for asset in assets:
        path = urlparse(asset).path
        if path.startswith(settings.STATIC_URL):
            assert finders.find(path[len(settings.STATIC_URL) :]), f"missing static file {path}"
    assert "/api/schema/" in html
