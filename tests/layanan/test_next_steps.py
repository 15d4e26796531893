"""Issue 16: an overdue or refused ticket tells the citizen what they can do next — an objection from a PPID
request (one click, the number filled in) within its 30-WD window, the Komisi Informasi after an objection,
the Ombudsman for a late LAPOR report — on the status page and in the public API."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from layanan.calendar.workdays import add_working_days
from layanan.core.models.tickets import Ticket
from layanan.core.public import public_ticket_data
from layanan.lapor import intake as lapor_intake
from layanan.lapor.options import report_options
from layanan.ppid import intake as ppid_intake
from layanan.ppid.options import objection_options, request_options
from tests.layanan.conftest import lapor_payload, ppid_payload

pytestmark = pytest.mark.django_db


def _days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def late_request(synced_holidays):
    return ppid_intake.submit_ppid_request(ppid_payload(), received_at=_days_ago(25))


def test_an_unanswered_request_past_its_due_date_offers_an_objection_until_the_window_closes(late_request):
    ticket = Ticket.objects.get(tracking_number=late_request.tracking_number)
    today = timezone.localdate()
    assert today > ticket.due_date
    [step] = request_options(ticket, today)
    last = add_working_days(ticket.due_date, 30).due_date  # UU 14/2008 Pasal 36(1), from the lapsed due date
    assert step["code"] == "objection" and step["until"] == last
    assert "Pasal 35" in step["explanation"]
    # nothing before the due date, nothing after the window
    assert request_options(ticket, ticket.due_date) == []
    assert request_options(ticket, last + datetime.timedelta(days=1)) == []


def test_once_objected_the_request_offers_no_second_objection(client, late_request):
    objection = ppid_intake.submit_objection(
        {
            "name": "Siti Aminah",
            "nik": "3171234567890001",
            "email": "siti@example.org",
            "request_tracking_number": late_request.tracking_number,
            "reason": "c",
            "description": "Permohonan tidak ditanggapi.",
        }
    )
    ticket = Ticket.objects.get(tracking_number=late_request.tracking_number)
    assert request_options(ticket) == []
    # the objection itself: nothing yet (its answer is not due), the Komisi Informasi once it lapses
    objection_ticket = Ticket.objects.get(tracking_number=objection.tracking_number)
    assert objection_options(objection_ticket) == []
    lapsed = objection_ticket.due_date + datetime.timedelta(days=1)
    [step] = objection_options(objection_ticket, lapsed)
    assert step["code"] == "komisi_informasi"
    assert step["until"] == add_working_days(objection_ticket.due_date, 14).due_date  # Perki 1/2013 Pasal 13


def test_status_page_and_api_offer_the_one_click_objection(client, api_client, late_request):
    number, token = late_request.tracking_number, late_request.access_token
    page = client.post("/layanan/cek-status/", {"tracking_number": number, "token": token}).content.decode()
    assert 'id="next-steps"' in page
    assert f'href="/layanan/keberatan/?nomor={number}"' in page
    form = client.get(f"/layanan/keberatan/?nomor={number}").content.decode()
    assert f'value="{number}"' in form
    body = api_client.get(f"/api/v2/tickets/{number}/", HTTP_X_ACCESS_TOKEN=token).json()
    assert [s["code"] for s in body["next_steps"]] == ["objection"]
    assert body["overdue_working_days"] > 0


def test_a_request_in_time_offers_nothing_yet(client, synced_holidays):
    filed = ppid_intake.submit_ppid_request(ppid_payload())
    page = client.post(
        "/layanan/cek-status/", {"tracking_number": filed.tracking_number, "token": filed.access_token}
    ).content.decode()
    assert 'id="next-steps"' not in page and "/layanan/keberatan/?nomor=" not in page


def test_a_late_lapor_report_points_to_the_ombudsman(synced_holidays):
    filed = lapor_intake.submit_lapor_report(lapor_payload(), received_at=_days_ago(30))
    ticket = Ticket.objects.get(tracking_number=filed.tracking_number)
    [step] = public_ticket_data(ticket)["next_steps"]
    assert step["code"] == "ombudsman" and step["until"] is None
    assert report_options(ticket, ticket.due_date) == []
