"""The two hot public endpoints (issue 9: ≥ 100 submissions/s): what a submission and a status lookup may cost,
and that the shortcuts taken for speed give the same answers."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from layanan.api.ticket_serializers import PublicTicketSerializer, SubmissionResponseSerializer
from layanan.api.ticket_views import render
from layanan.calendar import workdays as cal
from layanan.core import outbox
from layanan.core.events import record_event
from layanan.core.public import public_ticket_data
from layanan.lapor import intake as lapor_intake
from layanan.ppid import intake as ppid_intake
from layanan.reports import statistics
from tests.layanan.conftest import lapor_payload, ppid_payload, run_pending_on_commit, wib

SUBMIT = "/api/v2/ppid/requests/"


@pytest.fixture
def quiet(db):
    """No calendar or statistics change pending in the test transaction; a fresh calendar snapshot."""
    run_pending_on_commit()
    cal.clear_local_calendar_cache()
    yield
    cal.clear_local_calendar_cache()


def test_a_submission_computes_its_deadline_once_and_reads_no_calendar_row(api_client, quiet, monkeypatch):
    assert api_client.post(SUBMIT, ppid_payload(), format="json").status_code == 201  # warms the snapshot
    run_pending_on_commit()
    calls = []
    original = cal.WorkCalendar.compute_deadline

    def counting(self, *args, **kwargs):
        calls.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cal.WorkCalendar, "compute_deadline", counting)
    with CaptureQueriesContext(connection) as ctx:
        response = api_client.post(SUBMIT, ppid_payload(email="kedua@example.org"), format="json")
    assert response.status_code == 201
    assert len(calls) == 1  # intake computes it; the 201 answer reuses it
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "layanan_holiday" not in sql and "layanan_workcalendarsettings" not in sql
    body = response.json()
    assert body["due_date"] == body["deadline"]["due_date"]
    assert body["deadline"]["days"] == 10 and body["deadline"]["unit"] == "working"
    assert body["deadline"]["legal_source"] == "UU 14/2008 Pasal 22(7)"


def test_statistics_are_invalidated_once_per_committed_transaction(quiet, monkeypatch):
    bumps = []
    monkeypatch.setattr(statistics, "bump_statistics_version", lambda *a, **k: bumps.append(1))
    with transaction.atomic():
        ppid_intake.submit_ppid_request(ppid_payload())  # ticket, details, timeline: several saved rows
        ppid_intake.submit_ppid_request(ppid_payload(email="b@example.org"))
        assert bumps == []  # nothing before the commit
        hooks = [h for h in connection.run_on_commit if h[1] is statistics._committed]
        assert len(hooks) == 1  # one hook, however many rows the transaction saved
    run_pending_on_commit()  # the test transaction stands in for the commit
    assert bumps == [1]


def test_a_rolled_back_submission_does_not_invalidate_the_statistics(quiet, monkeypatch):
    bumps = []
    monkeypatch.setattr(statistics, "bump_statistics_version", lambda *a, **k: bumps.append(1))

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        ppid_intake.submit_ppid_request(ppid_payload())
        raise Abort
    run_pending_on_commit()
    assert bumps == []


def test_statistics_seen_inside_the_open_transaction_are_private_to_it(client, quiet):
    committed_version = statistics.tickets_version()
    with transaction.atomic():
        ppid_intake.submit_ppid_request(ppid_payload())
        private = statistics.tickets_version()
        assert private != committed_version and private.startswith(cache.get(statistics.VERSION_KEY))
        ppid_intake.submit_ppid_request(ppid_payload(email="b@example.org"))
        assert statistics.tickets_version() not in (private, committed_version)  # every change: a new private key


def test_fast_rendering_gives_the_serializer_answer(api_client, quiet):
    submission = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 5, 4, 9, 0))
    for i in range(3):
        record_event(submission.ticket, "reply", note=f"Balasan {i}", visible_to_applicant=True)
    data = public_ticket_data(submission.ticket)
    assert render(PublicTicketSerializer, data) == PublicTicketSerializer(data).data
    assert render(PublicTicketSerializer, data)["received_at"].endswith("+07:00")  # WIB, as the serializer
    from layanan.api.ticket_views import submission_response

    answer = submission_response(submission, None)
    assert render(SubmissionResponseSerializer, answer) == SubmissionResponseSerializer(answer).data


def test_status_lookup_shows_each_services_details(api_client, quiet):
    from layanan.lapor.models import LaporCategory

    parent = LaporCategory.objects.create(name="Infrastruktur", slug="infrastruktur")
    child = LaporCategory.objects.create(name="Jalan", slug="jalan", parent=parent)
    ppid = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 5, 4, 9, 0))
    lapor = lapor_intake.submit_lapor_report(lapor_payload(category=child), received_at=wib(2026, 5, 4, 9, 0))
    for submission, key, value in (
        (ppid, "information_requested", ppid_payload()["information_requested"]),
        (lapor, "category", "Infrastruktur › Jalan"),
    ):
        url = f"/api/v2/tickets/{submission.tracking_number}/"
        with CaptureQueriesContext(connection) as ctx:
            response = api_client.get(url, HTTP_X_ACCESS_TOKEN=submission.access_token)
        assert response.status_code == 200 and response.json()["details"][key] == value
        assert response.json()["remaining_working_days"] is not None
        assert len(ctx.captured_queries) <= 3  # ticket + details in one, timeline, files; calendar cached
    wrong = api_client.get(f"/api/v2/tickets/{ppid.tracking_number}/", HTTP_X_ACCESS_TOKEN=lapor.access_token)
    assert wrong.status_code == 404


def test_the_receipt_task_reuses_one_redis_broker_per_process(db, monkeypatch):
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)
    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(Conf, "DJANGO_REDIS", None)
    monkeypatch.setattr(Conf, "REDIS", "redis://127.0.0.1:6379/15")
    first = outbox.shared_broker()
    assert first is not None and outbox.shared_broker() is first  # no new client, pool or TCP connection
    monkeypatch.setattr(Conf, "REDIS", "redis://127.0.0.1:6379/14")
    assert outbox.shared_broker() is not first  # other settings: another broker
    monkeypatch.setattr(Conf, "ORM", "default")
    assert outbox.shared_broker() is None  # not Redis: django-q2 builds its own, as before
    monkeypatch.setattr(Conf, "SYNC", True)
    assert outbox.shared_broker() is None


def test_the_tracking_number_is_allocated_last_and_shown_everywhere(api_client, quiet):
    from layanan.core.models.tickets import TimelineEntry

    with CaptureQueriesContext(connection) as ctx:
        response = api_client.post(SUBMIT, ppid_payload(), format="json")
    assert response.status_code == 201
    number = response.json()["tracking_number"]
    assert number.startswith("PPID-")
    statements = [q["sql"].split()[0:3] for q in ctx.captured_queries]
    counter = next(i for i, s in enumerate(statements) if "layanan_trackingcounter" in " ".join(s))
    inserts = [i for i, s in enumerate(statements) if s[0] == "INSERT" and "trackingcounter" not in " ".join(s)]
    assert inserts and max(inserts) < counter  # the counter row is locked only for the last statements
    received = TimelineEntry.objects.get(ticket__tracking_number=number, action="received")
    assert number in received.text and "~" not in received.text
    status = api_client.get(f"/api/v2/tickets/{number}/", HTTP_X_ACCESS_TOKEN=response.json()["access_token"])
    assert number in status.json()["timeline"][0]["note"]


def test_a_wbs_report_gets_its_number_in_the_sealed_note(quiet):
    from layanan.core.models.tickets import TimelineEntry
    from layanan.wbs import services as wbs
    from tests.layanan.conftest import wbs_payload

    submission = wbs.submit_wbs_report(wbs_payload())
    entry = TimelineEntry.objects.get(ticket=submission.ticket, action="received")
    assert entry.note == "" and submission.tracking_number in entry.note_sealed  # confidential: sealed only
    assert submission.tracking_number.startswith("WBS-")
