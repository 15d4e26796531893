"""Issue 16: the citizen answers — ``POST /api/v2/tickets/<number>/messages/`` moves a PPID request out of
"needs completion" and a LAPOR report out of "awaiting the reporter's reply", with files, through the same
transition function the desk uses; the handling side is told; errors store nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from layanan.core.models.messages import Message
from layanan.core.models.tickets import Attachment, Ticket, TimelineEntry
from layanan.core.workflow import apply_transition, available_transitions
from layanan.lapor import intake as lapor_intake
from layanan.ppid import intake as ppid_intake
from tests.layanan.conftest import PDF_BYTES, lapor_payload, ppid_payload, wib

pytestmark = pytest.mark.django_db


def url(number: str) -> str:
    return f"/api/v2/tickets/{number}/messages/"


@pytest.fixture
def waiting_request(synced_holidays, desk_users):
    submission = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0))
    apply_transition(submission.ticket, "request_completion", desk_users["ppid"], note="Mohon lampirkan KTP.")
    return submission


def test_the_applicant_completes_a_request_with_a_file(
    api_client, waiting_request, desk_users, django_capture_on_commit_callbacks
):
    number, token = waiting_request.tracking_number, waiting_request.access_token
    ticket = Ticket.objects.get(tracking_number=number)
    assert not [t for t in available_transitions(ticket, desk_users["ppid"]) if t.by_applicant]  # not at the desk
    mail.outbox.clear()
    upload = SimpleUploadedFile("ktp.pdf", PDF_BYTES, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            url(number), {"text": "Berikut KTP saya.", "attachments": [upload]}, HTTP_X_ACCESS_TOKEN=token
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "verification"
    mine = body["timeline"][-1]
    assert mine["note"] == "Berikut KTP saya." and mine["files"][0]["name"] == "ktp.pdf"
    assert mine["action_label"] not in ("Completion sent by the applicant", "Kelengkapan dikirim pemohon")
    entry = TimelineEntry.objects.get(ticket__tracking_number=number, action="applicant_completes")
    assert entry.actor_kind == "applicant" and entry.actor is None
    assert Message.objects.filter(event=entry, direction="from_applicant").exists()
    # the officers hear of it, the applicant is not mailed about their own reply
    recipients = {address for message in mail.outbox for address in message.to}
    assert desk_users["ppid"].email in recipients and "siti@example.org" not in recipients


def test_errors_store_nothing(api_client, waiting_request):
    number, token = waiting_request.tracking_number, waiting_request.access_token
    steps, files = TimelineEntry.objects.count(), Attachment.objects.count()
    assert api_client.post(url(number), {"text": "x"}, HTTP_X_ACCESS_TOKEN="salah" * 8).status_code == 404
    empty = api_client.post(url(number), {"text": "  "}, format="json", HTTP_X_ACCESS_TOKEN=token)
    assert empty.status_code == 400 and "text" in empty.json()
    html = SimpleUploadedFile("ktp.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    refused = api_client.post(url(number), {"text": "KTP", "attachments": [html]}, HTTP_X_ACCESS_TOKEN=token)
    assert refused.status_code == 400 and "attachments" in refused.json()
    assert (TimelineEntry.objects.count(), Attachment.objects.count()) == (steps, files)
    # the token in the body works too (a form that cannot send a header)
    ok = api_client.post(url(number), {"text": "KTP menyusul.", "token": token}, format="json")
    assert ok.status_code == 201
    again = api_client.post(url(number), {"text": "Lagi."}, format="json", HTTP_X_ACCESS_TOKEN=token)
    assert again.status_code == 409 and again.json()["detail"]  # no longer waiting: a clear message


def test_the_reporter_answers_the_question_and_the_unit_is_told(
    api_client, desk_users, units, synced_holidays, django_capture_on_commit_callbacks
):
    submission = lapor_intake.submit_lapor_report(lapor_payload(), received_at=wib(2026, 3, 2, 9, 0))
    admin = desk_users["lapor"]
    ticket = apply_transition(submission.ticket, "verify", admin)
    ticket = apply_transition(ticket, "assign", admin, unit=units[0].pk)
    ticket = apply_transition(ticket, "follow_up", desk_users["op1"], note="Sedang ditangani.")
    ticket = apply_transition(ticket, "request_reply", desk_users["op1"], note="Di halte mana tepatnya?")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            url(submission.tracking_number),
            {"text": "Halte depan pasar."},
            format="json",
            HTTP_X_ACCESS_TOKEN=submission.access_token,
        )
    assert response.status_code == 201 and response.json()["status"] == "followed_up"
    assert any(m.to == ["dep1@example.org"] for m in mail.outbox)


def test_the_applicant_replies_on_the_site_status_page(client, waiting_request):
    number, token = waiting_request.tracking_number, waiting_request.access_token
    page = client.post("/layanan/cek-status/", {"tracking_number": number, "token": token}).content.decode()
    assert 'action="/layanan/cek-status/balas/"' in page  # the reply form is offered while it waits
    upload = SimpleUploadedFile("ktp.pdf", PDF_BYTES, content_type="application/pdf")
    sent = client.post(
        "/layanan/cek-status/balas/",
        {"tracking_number": number, "token": token, "text": "KTP terlampir.", "attachments": upload},
    )
    assert sent.status_code == 200
    html = sent.content.decode()
    assert "KTP terlampir." in html and "ktp.pdf" in html
    assert 'action="/layanan/cek-status/balas/"' not in html  # no longer waiting
    assert Ticket.objects.get(tracking_number=number).status == "verification"
    wrong = client.post("/layanan/cek-status/balas/", {"tracking_number": number, "token": "x" * 43, "text": "a"})
    assert wrong.status_code == 404
