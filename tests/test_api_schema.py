"""The OpenAPI 3 schema (/api/schema/) and the API docs (/api/docs/, /api/redoc/), served without any CDN."""

import datetime as dt
import re
from urllib.parse import urlparse

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework import serializers

from layanan.api.ticket_serializers import NIK_PATTERN, PHONE_PATTERN, NIKField, PhoneField, TextField
from layanan.api.wbs_serializers import CODE_PATTERN, ReceiptCodeField
from layanan.core.sanitize import text_pattern
from pesan_cms.patterns import date_pattern, number_range_pattern

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
    # "" too: an empty choice (the page's "All kinds" in an HTML form) filters nothing, and is accepted
    kinds = {"uu", "pp", "perpres", "permen", "perki", "kepmen", "se", "other"}
    assert set(params["kind"]["schema"]["enum"]) == kinds | {""}
    assert set(params["status"]["schema"]["enum"]) == {"berlaku", "diubah", "dicabut", ""}
    year = params["year"]["schema"]["anyOf"][0]
    assert (year["type"], year["minimum"], year["maximum"]) == ("integer", 1800, 2200)

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


# --- the schema's patterns are the validation's rules (issue 15) ----------------------------------------------
#: Text with what the rules are about: spaces of every kind, controls, format and bidi characters, private-use
#: and unassigned code points, letters.
_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(" \t\n\r\x00\x07\x1c\x85\xa0\u200b\u200e\u202e\u2066\u3000\ufeff\U000e0001\U000f0000"),
        st.characters(),
    ),
    max_size=8,
)


def _accepts(field, value) -> bool:
    try:
        field.run_validation(value)
    except (serializers.ValidationError, DjangoValidationError):
        return False
    return True


@pytest.mark.parametrize("allow_blank", [False, True])
def test_the_text_pattern_is_what_a_text_field_accepts(allow_blank):
    pattern = re.compile(text_pattern(allow_blank=allow_blank))
    field = TextField(max_length=100, required=not allow_blank, allow_blank=allow_blank)

    @hypothesis_settings(max_examples=300, derandomize=True, database=None)
    @given(value=_TEXT)
    def check(value):
        assert bool(pattern.search(value)) == _accepts(field, value), repr(value)

    check()


def _well_formed_code(value: str) -> bool:
    """What ``layanan.wbs.receipt.parse_code`` reads as a code before its check digit: blank, or 32 digits."""
    digits = re.sub(r"[\s.\-]", "", value)
    return not value.strip() or (digits.isascii() and digits.isdigit() and len(digits) == 32)


@pytest.mark.parametrize(
    ("field", "pattern", "max_length", "also"),
    [
        (NIKField(required=False, allow_blank=True), NIK_PATTERN, None, None),
        (PhoneField(required=False, allow_blank=True, max_length=32), PHONE_PATTERN, 32, None),
        (ReceiptCodeField(required=False, allow_blank=True, max_length=80), CODE_PATTERN, 80, _well_formed_code),
    ],
)
def test_the_nik_phone_and_code_patterns_are_what_their_fields_accept(field, pattern, max_length, also):
    """Over the characters the patterns speak of (ASCII digits, spaces, dots, dashes, brackets, plus, a letter):
    a value matches the pattern (and ``maxLength``) exactly when the field takes it."""
    compiled = re.compile(pattern)
    typed = st.text(alphabet="0123456789 .-()+a", max_size=40)
    grouped = st.builds(
        lambda digits, sep: sep.join(digits),
        st.lists(st.sampled_from("0123456789"), max_size=34),
        st.sampled_from(["", " ", "-", ". "]),
    )

    @hypothesis_settings(max_examples=300, derandomize=True, database=None)
    @given(value=st.one_of(typed, grouped, st.sampled_from(["+62 812-3456-789", "(021) 555 0123", "", "   "])))
    def check(value):
        # "" is the blank branch drf-spectacular adds (oneOf) for a field that allows blank
        documented = value == "" or bool(compiled.search(value)) and (max_length is None or len(value) <= max_length)
        accepted = _accepts(field, value) and (also is None or also(value))
        assert documented == accepted, repr(value)

    check()


@pytest.mark.parametrize(("low", "high"), [(1, 9999), (1970, 2200), (1800, 2200), (2010, 2026), (0, 0)])
def test_number_range_pattern_matches_exactly_the_range(low, high):
    pattern = re.compile(f"^{number_range_pattern(low, high)}$")
    assert [n for n in range(10000) if pattern.match(f"{n:04d}")] == list(range(low, high + 1))


def test_date_pattern_admits_valid_dates_only():
    pattern = re.compile(date_pattern(1970, 2200, with_time=True))

    @hypothesis_settings(max_examples=300, derandomize=True, database=None)
    @given(moment=st.datetimes(min_value=dt.datetime(1970, 1, 1), max_value=dt.datetime(2200, 12, 31)))
    def check(moment):
        for text in (moment.date().isoformat(), moment.isoformat(timespec="minutes"), f"{moment.isoformat()}+07:00"):
            if moment.month == 2 and moment.day == 29:
                continue  # left out of the pattern (leap years only), accepted by the API
            assert pattern.match(text), text
            dt.datetime.fromisoformat(text)

    check()
    for text in ("2026-02-30", "2026-13-01", "1969-12-31", "2201-01-01", "2026-03-13T24:00", "13-03-2026"):
        assert not pattern.match(text), text
