"""Issue 16: a form with errors reports them all in one round — the cross-field rules (NIK for a person, "e-mail
or phone", the decree of a legal entity, the reporter of a non-anonymous LAPOR report) come together with the
fields' own errors — on the API and on the site forms, and the files chosen are named to be chosen again."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from layanan.core.models.tickets import Ticket
from tests.layanan.conftest import PDF_BYTES, lapor_payload, ppid_payload

pytestmark = pytest.mark.django_db


def test_ppid_api_reports_field_and_rule_errors_together(api_client):
    body = ppid_payload(nik="", email="", phone="", purpose="", obtain_method="fax")
    response = api_client.post("/api/v2/ppid/requests/", body, format="json")
    assert response.status_code == 400
    errors = response.json()
    # own field errors (purpose empty, unknown choice) and the SLIP rules (NIK, a way to reach the applicant)
    assert {"purpose", "obtain_method", "nik", "email", "phone"} <= set(errors), errors
    assert Ticket.objects.count() == 0


def test_a_field_error_wins_over_a_rule_for_the_same_field(api_client):
    response = api_client.post("/api/v2/ppid/requests/", ppid_payload(email="bukan-email", phone=""), format="json")
    errors = response.json()
    assert response.status_code == 400
    assert len(errors["email"]) == 1 and errors["email"] != errors["phone"]  # the field's own message only
    assert "phone" in errors  # with the address refused, a phone number is needed


def test_legal_entity_needs_its_decree_in_the_same_round(api_client):
    body = ppid_payload(applicant_type="legal_entity", nik="", legal_entity_decree="", address="")
    errors = api_client.post("/api/v2/ppid/requests/", body, format="json").json()
    assert {"legal_entity_decree", "address"} <= set(errors) and "nik" not in errors


def test_lapor_reporter_rules_come_with_the_rest_unless_anonymous(api_client):
    body = lapor_payload(name="", email="", phone="", title="")
    errors = api_client.post("/api/v2/lapor/reports/", body, format="json").json()
    assert {"title", "name", "email"} <= set(errors), errors
    anonymous = lapor_payload(name="", email="", phone="", title="", anonymous=True)
    errors = api_client.post("/api/v2/lapor/reports/", anonymous, format="json").json()
    assert set(errors) == {"title"}


def test_objection_rules_come_with_the_rest(api_client):
    body = {"name": "", "request_tracking_number": "PPID-2026-000001", "reason": "z", "description": "x"}
    errors = api_client.post("/api/v2/ppid/objections/", body, format="json").json()
    assert {"name", "reason", "nik"} <= set(errors), errors


def test_site_form_shows_every_error_at_once_and_names_the_files_to_choose_again(client):
    data = ppid_payload(nik="", email="", phone="", purpose="")
    data["attachments"] = SimpleUploadedFile("surat kuasa.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post("/layanan/permohonan-informasi/", data)
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("nik", "email", "phone", "purpose"):
        assert f'id="id_{field}_error"' in html, field
    assert "surat kuasa.pdf" in html
    assert Ticket.objects.count() == 0
