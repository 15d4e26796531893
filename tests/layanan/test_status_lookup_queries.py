"""The token-protected status lookup (issue 9: a hot public endpoint) reads a flat number of queries, however
long the ticket's timeline, and still shows the details, answers and timeline."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from layanan.core.events import record_event
from layanan.ppid import intake as ppid_intake
from tests.layanan.conftest import ppid_payload, wib


@pytest.mark.django_db
def test_status_lookup_query_count_does_not_grow_with_the_timeline(api_client, synced_holidays):
    submission = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 5, 4, 9, 0))
    url = f"/api/v2/tickets/{submission.tracking_number}/"

    with CaptureQueriesContext(connection) as short:
        first = api_client.get(url, HTTP_X_ACCESS_TOKEN=submission.access_token)
    assert first.status_code == 200
    assert first.json()["details"]["information_requested"] == ppid_payload()["information_requested"]

    for i in range(8):
        record_event(submission.ticket, "reply", note=f"Balasan {i}", visible_to_applicant=True)
    with CaptureQueriesContext(connection) as long:
        second = api_client.get(url, HTTP_X_ACCESS_TOKEN=submission.access_token)
    body = second.json()
    assert second.status_code == 200
    assert len(body["timeline"]) == 9 and body["answers"][-1]["note"] == "Balasan 7"
    # 7: ticket + details, timeline, files, calendar; the late request's objection window (issue 16: what the
    # applicant can do next) reads the work-calendar settings once
    assert len(long.captured_queries) == len(short.captured_queries) <= 7
