"""Free text from the public (issue 8): NFC, control and bidi-override characters refused with a field message,
maximum lengths on every free-text field; rich text that reaches the public is sanitised."""

from __future__ import annotations

import json

import pytest
from django import forms
from django.core.exceptions import ValidationError

from layanan.api.ticket_serializers import LaporSubmissionSerializer, PPIDRequestSubmissionSerializer
from layanan.api.wbs_serializers import WbsMessageSerializer, WbsReportSerializer
from layanan.core.models.tickets import Ticket
from layanan.core.sanitize import LONG_TEXT_MAX, CleanCharField, CleanTextField, normalise_text
from layanan.wbs import services as wbs

from .conftest import challenge_field, lapor_payload, ppid_payload, wbs_payload

PPID_URL = "/api/v2/ppid/requests/"
LAPOR_URL = "/api/v2/lapor/reports/"
WBS_URL = "/api/v2/wbs/reports/"

FIELDS = [
    (PPID_URL, ppid_payload, "name"),
    (PPID_URL, ppid_payload, "address"),
    (PPID_URL, ppid_payload, "information_requested"),
    (PPID_URL, ppid_payload, "purpose"),
    (LAPOR_URL, lapor_payload, "title"),
    (LAPOR_URL, lapor_payload, "description"),
    (LAPOR_URL, lapor_payload, "location"),
    (WBS_URL, wbs_payload, "what"),
    (WBS_URL, wbs_payload, "who"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "payload", "field"), FIELDS)
@pytest.mark.parametrize(
    ("bad", "code"),
    [("\x07", "U+0007"), ("\x00", "U+0000"), ("\x1b[2J", "U+001B"), ("\x85", "U+0085"), ("\u202e", "U+202E")],
)
def test_control_and_bidi_override_characters_are_refused_with_a_field_message(
    api_client, url, payload, field, bad, code
):
    response = api_client.post(url, payload(**{field: f"Teks biasa {bad}lalu lanjut"}), format="json")
    assert response.status_code == 400, response.content
    message = response.json()[field][0]
    assert code in message and "posisi 12" in message
    assert Ticket.objects.count() == 0


@pytest.mark.django_db
def test_text_is_stored_in_nfc_keeping_tabs_newlines_and_direction_marks(api_client):
    decomposed = "Jose\u0301 Gonc\u0327alves"  # e + combining acute, c + combining cedilla
    arabic = "\u0645\u062d\u0645\u062f \u200f(RLM)"
    response = api_client.post(
        PPID_URL, ppid_payload(name=decomposed, address=f"Jl. A\nNo. 1\tRT 2\r\n{arabic}"), format="json"
    )
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get()
    assert ticket.applicant_name == "José Gonçalves" and len(ticket.applicant_name) == 14
    assert ticket.ppid.address == f"Jl. A\nNo. 1\tRT 2\r\n{arabic}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "payload", "field", "limit"),
    [
        (PPID_URL, ppid_payload, "name", 255),
        (PPID_URL, ppid_payload, "address", 1000),
        (PPID_URL, ppid_payload, "information_requested", LONG_TEXT_MAX),
        (PPID_URL, ppid_payload, "purpose", 2000),
        (LAPOR_URL, lapor_payload, "description", LONG_TEXT_MAX),
        (WBS_URL, wbs_payload, "where", 1000),
    ],
)
def test_maximum_lengths(api_client, url, payload, field, limit):
    too_long = api_client.post(url, payload(**{field: "a" * (limit + 1)}), format="json")
    assert too_long.status_code == 400
    assert str(limit) in too_long.json()[field][0].replace(".", "")
    assert api_client.post(url, payload(**{field: "a" * limit}), format="json").status_code == 201


def test_every_public_free_text_field_has_a_limit_and_the_shared_rules():
    serializers = [
        PPIDRequestSubmissionSerializer(),
        LaporSubmissionSerializer(),
        WbsReportSerializer(),
        WbsMessageSerializer(),
    ]
    for serializer in serializers:
        for name, field in serializer.fields.items():
            if type(field).__name__ in ("CharField", "TextField") or isinstance(field, CleanTextField):
                if name in ("code", "tracking_number", "access_token"):  # keys, parsed strictly elsewhere
                    continue
                assert isinstance(field, CleanTextField), f"{type(serializer).__name__}.{name}"
                assert field.max_length and field.max_length <= 20_000, f"{type(serializer).__name__}.{name}"


@pytest.mark.django_db
def test_site_form_shows_the_control_character_message_at_the_field(client):
    response = client.post("/layanan/pengaduan/", {**challenge_field(), **lapor_payload(title="Jalan\x07 rusak")})
    assert response.status_code == 400
    assert "U+0007" in response.content.decode()
    assert Ticket.objects.count() == 0


@pytest.mark.django_db
def test_wbs_reporter_message_is_checked_too(api_client):
    code = wbs.submit_wbs_report(wbs_payload()).formatted_code
    response = api_client.post("/api/v2/wbs/messages/", {"code": code, "text": "tambahan \u202ertl"}, format="json")
    assert response.status_code == 400 and "U+202E" in response.json()["text"][0]


def test_normalise_text_forms():
    assert normalise_text("ＰＰＩＤ-２０２６", form="NFKC") == "PPID-2026"
    assert normalise_text("m² ½", form="NFC") == "m² ½"  # NFC keeps what the citizen typed
    with pytest.raises(ValidationError) as caught:
        normalise_text("ab\u2066c")
    assert caught.value.code == "control_character"


def test_identifier_field_uses_nfkc():
    field = CleanTextField(normal_form="NFKC", max_length=32)
    assert field.run_validation("ＰＰＩＤ-２０２６-０００００１") == "PPID-2026-000001"


def test_django_form_field_has_the_same_rules():
    class Form(forms.Form):
        text = CleanCharField()

    form = Form({"text": "Cafe\u0301"})
    assert form.is_valid()
    assert form.cleaned_data["text"] == "Café"
    bad = Form({"text": "a\x00b"})
    assert not bad.is_valid() and "U+0000" in bad.errors["text"][0]
    long = Form({"text": "a" * (LONG_TEXT_MAX + 1)})
    assert not long.is_valid()


# --- rich text that reaches the public ------------------------------------------------------------------------
XSS = (
    '<p>Berita</p><script>alert(1)</script><img src="x" onerror="alert(2)">'
    '<a href="javascript:alert(3)">tautan</a><iframe src="https://evil.example/"></iframe>'
    '<p style="background:url(javascript:alert(4))" onclick="alert(5)">teks</p>'
)


def _no_active_content(html: str):
    lowered = html.lower()
    for marker in ("<script", "onerror", "onclick", "javascript:", "<iframe", "style="):
        assert marker not in lowered, (marker, html)


def test_imported_news_body_is_sanitised():
    from berita.cleaning import clean_html

    cleaned = clean_html(XSS, base_url="https://kementerian.example.go.id/berita/1")
    _no_active_content(cleaned)
    assert "Berita" in cleaned  # "tautan"/"teks" go too: a lone label of a script-only control (berita.cleaning)


def test_rich_text_from_the_admin_editor_cannot_carry_script():
    """Pages, regulations and DIP entries get rich text only from Wagtail's Draftail editor, whose content
    state is converted to HTML by Wagtail (text escaped, only known link types). A script typed into the editor
    is text, and a javascript: link does not survive."""
    from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
    from wagtail.rich_text import expand_db_html

    state = {
        "blocks": [
            {
                "key": "a",
                "type": "unstyled",
                "depth": 0,
                "text": "<script>alert(1)</script> tautan",
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 26, "length": 6, "key": 0}],
                "data": {},
            }
        ],
        "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert(3)"}}},
    }
    stored = ContentstateConverter(features=["bold", "italic", "link"]).to_database_format(json.dumps(state))
    public = expand_db_html(stored)
    assert "<script" not in public and "&lt;script&gt;" in public
    assert "javascript:" not in public.lower()
