"""Regressions found by hostile-input review of the public submission API (odd digits, invisible text)."""

import json

import pytest

from layanan.core.intake import clean_text, validate_nik, validate_phone
from layanan.core.models.tickets import Ticket
from layanan.core.reporting import parse_month, parse_year
from layanan.lapor.models import LaporCategory
from tests.layanan.conftest import lapor_payload, ppid_payload, wbs_payload

pytestmark = pytest.mark.django_db

PPID_URL = "/api/v2/ppid/requests/"
LAPOR_URL = "/api/v2/lapor/reports/"
WBS_URL = "/api/v2/wbs/reports/"
ACCESS_URL = "/api/v2/wbs/access/"


@pytest.mark.parametrize("category", ["²", "¹²", "١", "99999999999999999999999", ["1"], {"id": 1}, True, 1.5])
def test_lapor_category_with_non_ascii_digits_or_odd_types_is_400_not_500(api_client, category):
    LaporCategory.objects.create(name="Infrastruktur", slug="infrastruktur")
    response = api_client.post(LAPOR_URL, lapor_payload(category=category), format="json")
    assert response.status_code == 400, response.content
    assert response.json() == {"category": ["Kategori tidak dikenal."]}
    assert Ticket.objects.count() == 0


def test_lapor_category_by_ascii_id_and_slug_still_work(api_client):
    category = LaporCategory.objects.create(name="Infrastruktur", slug="infrastruktur")
    for value in (category.pk, str(category.pk), "infrastruktur"):
        response = api_client.post(LAPOR_URL, lapor_payload(category=value), format="json")
        assert response.status_code == 201, response.content


@pytest.mark.parametrize("code", ["²" * 32, "١٢٣٤" * 8])
def test_wbs_access_code_of_non_ascii_digits_is_a_malformed_code(api_client, code):
    response = api_client.post(ACCESS_URL, {"code": code}, format="json")
    assert response.status_code == 400, response.content
    assert "code" in response.json()


def test_nik_phone_year_month_accept_ascii_digits_only():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_nik("١" * 16)
    with pytest.raises(ValidationError):
        validate_phone("٠٨١٢٣٤٥٦٧٨٩٠")
    with pytest.raises(ValidationError):
        parse_year("²⁰²⁶")
    with pytest.raises(ValidationError):
        parse_month("¹")


@pytest.mark.parametrize("invisible", ["\u200b\u202e\ufeff", "\x01\x02\x07", " \u00a0\u2003 "])
@pytest.mark.parametrize(
    ("url", "payload", "field"),
    [
        (PPID_URL, ppid_payload, "name"),
        (PPID_URL, ppid_payload, "information_requested"),
        (LAPOR_URL, lapor_payload, "title"),
        (LAPOR_URL, lapor_payload, "description"),
        (WBS_URL, wbs_payload, "what"),
    ],
)
def test_required_text_of_only_invisible_or_control_characters_is_blank(api_client, url, payload, field, invisible):
    response = api_client.post(url, payload(**{field: invisible}), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Ticket.objects.count() == 0


def test_control_characters_are_refused_tab_and_newline_kept(api_client):
    # issue 8: control characters are refused with a field message (no longer silently dropped)
    response = api_client.post(PPID_URL, ppid_payload(name="Siti Ami\x07nah"), format="json")
    assert response.status_code == 400, response.content
    assert "U+0007" in response.json()["name"][0]
    # NUL anywhere in a body is refused by the parser before any field (PostgreSQL cannot store it)
    response = api_client.post(PPID_URL, ppid_payload(name="Siti\x00 Aminah"), format="json")
    assert response.status_code == 400 and "U+0000" in response.json()["name"][0]
    response = api_client.post(PPID_URL, ppid_payload(address="Jl. A\nNo. 1\tRT 2"), format="json")
    assert response.status_code == 201, response.content
    assert Ticket.objects.get().ppid.address == "Jl. A\nNo. 1\tRT 2"


@pytest.mark.parametrize(
    ("url", "payload", "field"),
    [
        (PPID_URL, ppid_payload, "address"),
        (PPID_URL, ppid_payload, "information_requested"),
        (PPID_URL, ppid_payload, "purpose"),
        (LAPOR_URL, lapor_payload, "description"),
    ],
)
def test_huge_free_text_is_refused_in_indonesian(api_client, url, payload, field):
    response = api_client.post(url, payload(**{field: "x" * 200_000}), format="json")
    assert response.status_code == 400, response.content
    assert "tidak boleh melebihi" in response.json()[field][0]
    assert Ticket.objects.count() == 0


def test_clean_text():
    assert clean_text("a\x00b\x1bc\x7fd\x85e") == "abcde"
    assert clean_text("a\tb\r\nc") == "a\tb\r\nc"
    assert clean_text("\u200b\u2060\ufeff") == ""
    assert clean_text("مرحبا \u200f") == "مرحبا \u200f"


# --- lone surrogates (issue 20 session-12 review): JSON may carry "\ud800", UTF-8 cannot --------------------------
def _post_json(api_client, url, payload):
    """Post ``payload`` as JSON text with ``\\ud800`` escapes, as a hostile client sends it."""
    return api_client.post(url, data=json.dumps(payload), content_type="application/json")


@pytest.mark.parametrize(
    ("url", "payload", "field"),
    [
        (PPID_URL, ppid_payload, "applicant_type"),
        (PPID_URL, ppid_payload, "obtain_method"),
        (PPID_URL, ppid_payload, "delivery_method"),
        (LAPOR_URL, lapor_payload, "classification"),
        (LAPOR_URL, lapor_payload, "category"),
        (WBS_URL, wbs_payload, "violation_type"),
    ],
)
def test_a_lone_surrogate_in_a_choice_is_a_400_naming_the_field(api_client, url, payload, field):
    LaporCategory.objects.create(name="Infrastruktur", slug="infrastruktur")
    response = _post_json(api_client, url, payload(**{field: "\ud800"}))
    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert not Ticket.objects.exists()


def test_a_lone_surrogate_as_access_token_is_the_same_404_as_a_wrong_token(api_client):
    created = api_client.post(PPID_URL, ppid_payload(), format="json").json()
    url = f"/api/v2/tickets/{created['tracking_number']}/"
    wrong = _post_json(api_client, url, {"token": "salah"})
    surrogate = _post_json(api_client, url, {"token": "\ud800"})
    assert wrong.status_code == surrogate.status_code == 404
    assert surrogate.json() == wrong.json()
    assert _post_json(api_client, url, {"token": created["access_token"]}).status_code == 200


@pytest.mark.parametrize(("url", "payload"), [(PPID_URL, ppid_payload), (LAPOR_URL, lapor_payload)])
def test_an_email_address_longer_than_the_column_is_a_400(api_client, url, payload):
    response = api_client.post(url, payload(email="a" * 250 + "@contoh.id"), format="json")
    assert response.status_code == 400, response.content
    assert "email" in response.json()
    assert not Ticket.objects.exists()
