"""Issue 16: "forgot my access" — the tracking number and the contact on file get a new one-click access link by
e-mail; the answer is the same (status, body, time) whether or not they match; it is rate-limited per client
and per number; the old token stops working; WBS is never recovered this way."""

from __future__ import annotations

import re
import statistics
import time

import pytest
from django.core import mail
from django.test import override_settings

from layanan.core.models.tickets import Ticket, TimelineEntry
from layanan.core.public import find_ticket_for_token, public_ticket_data
from layanan.core.recovery import contact_digest, normalise_contact, process_request
from layanan.ppid import intake as ppid_intake
from tests.layanan.conftest import ppid_payload, wib

pytestmark = pytest.mark.django_db

PAGE = "/layanan/cek-status/lupa-akses/"
API = "/api/v2/tickets/access-recovery/"
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def filed(synced_holidays):
    return ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0))


def _link_token(message) -> str:
    match = re.search(r"/layanan/cek-status/\?nomor=(\S+)#token=(\S+)", message.body)
    assert match, message.body
    return match.group(2)


def test_status_page_leads_to_recovery_and_a_match_gets_a_new_link(client, filed, django_capture_on_commit_callbacks):
    status_page = client.get(f"/layanan/cek-status/?nomor={filed.tracking_number}").content.decode()
    assert f'{PAGE}?nomor={filed.tracking_number}"' in status_page
    form = client.get(f"{PAGE}?nomor={filed.tracking_number}")
    assert form.status_code == 200 and f'value="{filed.tracking_number}"' in form.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(PAGE, {"tracking_number": filed.tracking_number.lower(), "contact": " SITI@example.org "})
    assert answer.status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["siti@example.org"]
    new_token = _link_token(mail.outbox[0])
    assert new_token != filed.access_token
    # the old token is refused everywhere, the new one opens the ticket
    assert find_ticket_for_token(filed.tracking_number, filed.access_token) is None
    assert find_ticket_for_token(filed.tracking_number, new_token) is not None
    old = client.post("/layanan/cek-status/", {"tracking_number": filed.tracking_number, "token": filed.access_token})
    assert old.status_code == 400
    # an internal step for the officers; the applicant's timeline does not show it
    ticket = Ticket.objects.get(tracking_number=filed.tracking_number)
    step = TimelineEntry.objects.get(ticket=ticket, action="access_renewed")
    assert not step.visible_to_applicant
    assert "access_renewed" not in {e["action"] for e in public_ticket_data(ticket)["timeline"]}


@pytest.mark.parametrize("contact", ["+62 812-3456-7890", "6281234567890", "0812 3456 7890"])
def test_the_phone_on_file_matches_in_any_usual_form(filed, contact, django_capture_on_commit_callbacks, client):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(PAGE, {"tracking_number": filed.tracking_number, "contact": contact})
    assert [m.to for m in mail.outbox] == [["siti@example.org"]]


def _post_many(client, data_a, data_b, rounds=12):
    times = {"a": [], "b": []}
    bodies = {}
    for i in range(rounds):
        for key, data in (("a", data_a), ("b", data_b)):
            with override_settings(REST_FRAMEWORK=_unthrottled()):
                start = time.perf_counter()
                response = client.post(PAGE, data, REMOTE_ADDR=f"10.0.{i}.{ord(key)}")
                times[key].append(time.perf_counter() - start)
            bodies[key] = (response.status_code, CSRF.sub(b"", response.content))
    return times, bodies


def _unthrottled():
    from django.conf import settings

    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])
    rates.update(access_recovery="1000/hour", access_recovery_number="1000/hour")
    return {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def test_match_and_non_match_get_the_same_answer_in_the_same_time(client, filed):
    match = {"tracking_number": filed.tracking_number, "contact": "siti@example.org"}
    wrong_contact = {"tracking_number": filed.tracking_number, "contact": "orang.lain@example.org"}
    client.post(PAGE, match, REMOTE_ADDR="10.9.9.9")  # warm-up (templates, first queries)
    times, bodies = _post_many(client, match, wrong_contact)
    assert bodies["a"] == bodies["b"] and bodies["a"][0] == 200
    median_a, median_b = statistics.median(times["a"]), statistics.median(times["b"])
    spread = statistics.pstdev(times["a"] + times["b"])
    assert abs(median_a - median_b) <= max(3 * spread, 0.25 * max(median_a, median_b)), (times, spread)
    # an unknown number answers the same as well
    unknown = client.post(
        PAGE, {"tracking_number": "PPID-2026-999999", "contact": "x@example.org"}, REMOTE_ADDR="10.8.8.8"
    )
    assert (unknown.status_code, CSRF.sub(b"", unknown.content)) == bodies["a"]


def test_a_non_match_changes_and_sends_nothing(filed, client, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(PAGE, {"tracking_number": filed.tracking_number, "contact": "081299999999"})
        client.post(PAGE, {"tracking_number": "PPID-2026-999999", "contact": "siti@example.org"})
    assert mail.outbox == []
    assert find_ticket_for_token(filed.tracking_number, filed.access_token) is not None


def test_missing_fields_are_field_errors(client):
    response = client.post(PAGE, {"tracking_number": "", "contact": ""})
    assert response.status_code == 400
    assert response.content.decode().count('class="field__errors"') == 2


def test_rate_limit_per_client_gives_429(client, filed):
    answers = [
        client.post(PAGE, {"tracking_number": f"PPID-2026-00000{i}", "contact": "a@example.org"}).status_code
        for i in range(6)
    ]
    assert answers[:5] == [200] * 5 and answers[5] == 429
    api = client.post(API, {"tracking_number": "PPID-2026-000009", "contact": "a@example.org"})
    assert api.status_code == 429 and "Retry-After" in api.headers and api.json()["detail"]


def test_rate_limit_per_number_holds_across_clients(client, filed):
    answers = [
        client.post(
            PAGE, {"tracking_number": filed.tracking_number, "contact": "x@example.org"}, REMOTE_ADDR=f"10.1.1.{i}"
        )
        for i in range(4)
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert int(answers[3]["Retry-After"]) > 0
    # wrong contacts never use up the owner's requests: the real contact still gets through
    owner = client.post(
        PAGE, {"tracking_number": filed.tracking_number, "contact": "siti@example.org"}, REMOTE_ADDR="10.2.2.2"
    )
    assert owner.status_code == 200


def test_api_answers_202_the_same_and_renews_on_a_match(api_client, filed, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        matched = api_client.post(
            API, {"tracking_number": filed.tracking_number, "contact": "siti@example.org"}, format="json"
        )
        other = api_client.post(
            API, {"tracking_number": filed.tracking_number, "contact": "x@example.org"}, format="json"
        )
    assert matched.status_code == other.status_code == 202
    assert matched.json() == other.json() and "tautan" in matched.json()["detail"].lower()
    assert len(mail.outbox) == 1
    token = _link_token(mail.outbox[0])
    status = api_client.get(f"/api/v2/tickets/{filed.tracking_number}/", HTTP_X_ACCESS_TOKEN=token)
    assert status.status_code == 200
    old = api_client.get(f"/api/v2/tickets/{filed.tracking_number}/", HTTP_X_ACCESS_TOKEN=filed.access_token)
    assert old.status_code == 404
    bad = api_client.post(API, {"tracking_number": ""}, format="json")
    assert bad.status_code == 400 and set(bad.json()) == {"tracking_number", "contact"}


def test_a_failed_e_mail_keeps_the_old_token(filed):
    ticket = Ticket.objects.get(tracking_number=filed.tracking_number)

    with (
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=9
        ),
        pytest.raises(OSError),
    ):
        process_request(ticket.tracking_number, contact_digest("siti@example.org"))
    assert find_ticket_for_token(filed.tracking_number, filed.access_token) is not None
    assert not TimelineEntry.objects.filter(ticket=ticket, action="access_renewed").exists()


def test_a_service_without_recovery_is_never_renewed(filed):

    ticket = Ticket.objects.get(tracking_number=filed.tracking_number)
    Ticket.objects.filter(pk=ticket.pk).update(service="wbs")
    assert process_request(ticket.tracking_number, contact_digest("siti@example.org")) is False
    assert find_ticket_for_token(filed.tracking_number, filed.access_token) is not None


def test_contacts_are_compared_in_one_form():
    assert normalise_contact(" Siti@Example.ORG ") == "siti@example.org"
    assert normalise_contact("+62 812-3456-7890") == normalise_contact("0812 3456 7890") == "081234567890"
