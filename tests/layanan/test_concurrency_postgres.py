"""Concurrency on PostgreSQL (issue 8): simultaneous submissions through the API, and two officers acting on
one ticket at the same moment. Real threads, each with its own connection, started together by a barrier;
committed data (``transaction=True``). ``test_numbering_postgres.py`` covers 50 parallel ``intake`` calls;
here the whole HTTP path, consecutive numbers, and mixed services.

The workflow tests widen the race on purpose: the transaction that gets the row lock first keeps it until
PostgreSQL shows another connection waiting for a lock (``pg_locks``), so the loser really is blocked on
``SELECT … FOR UPDATE`` and reads the status only after the winner committed — and must then be refused.
"""

import threading
import time
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext, override
from rest_framework.test import APIClient

from layanan.api.ticket_views import LaporReportCreateView, PPIDRequestCreateView
from layanan.calendar.conf import get_deadline_rule
from layanan.calendar.workdays import extend_deadline
from layanan.core.models.tickets import Ticket, TimelineEntry, TrackingCounter
from layanan.core.numbering import format_tracking_number
from layanan.core.workflow import TransitionConflict, apply_transition, machine_for
from layanan.ppid import intake as ppid_intake
from tests.conftest import requires_postgres
from tests.layanan.conftest import lapor_payload, ppid_payload, wib

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PPID_URL = "/api/v2/ppid/requests/"
LAPOR_URL = "/api/v2/lapor/reports/"


def run_together(*calls, timeout: float = 60):
    """Run each zero-argument callable in its own thread, all released at once; ``[(result, exception)]``."""
    barrier = threading.Barrier(len(calls))
    results: list = [(None, None)] * len(calls)

    def target(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = (call(), None)
        except Exception as exc:  # noqa: BLE001 - returned to the test and asserted
            results[index] = (None, exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread hung (deadlock?)"
    return results


# --- 1. simultaneous submissions ----------------------------------------------------------------------------
@pytest.fixture
def no_throttle(monkeypatch):
    """Twenty citizens at once is not abuse: the throttle is not what is measured here."""
    for view in (PPIDRequestCreateView, LaporReportCreateView):
        monkeypatch.setattr(view, "throttle_classes", [])


def _post(url, payload, address):
    response = APIClient(REMOTE_ADDR=address).post(url, payload, format="json")
    return response.status_code, response.json()


def test_twenty_simultaneous_api_submissions_get_consecutive_numbers_also_across_services(synced_holidays, no_throttle):
    year = timezone.localtime(timezone.now(), ZoneInfo("Asia/Jakarta")).year
    ppid_calls = [
        partial(_post, PPID_URL, ppid_payload(information_requested=f"Dokumen {i}"), f"10.0.0.{i + 1}")
        for i in range(20)
    ]
    results = run_together(*ppid_calls)
    assert [exc for _result, exc in results if exc] == []
    assert {status for (status, _body), _exc in results} == {201}
    numbers = sorted(body["tracking_number"] for (_status, body), _exc in results)
    assert numbers == [format_tracking_number("PPID", year, n) for n in range(1, 21)]  # unique AND consecutive

    # PPID and LAPOR at once: each service keeps its own unbroken sequence
    mixed = [
        partial(_post, PPID_URL, ppid_payload(information_requested=f"Lagi {i}"), f"10.0.1.{i + 1}") for i in range(10)
    ] + [partial(_post, LAPOR_URL, lapor_payload(title=f"Laporan {i}"), f"10.0.2.{i + 1}") for i in range(10)]
    results = run_together(*mixed)
    assert [exc for _result, exc in results if exc] == []
    assert {status for (status, _body), _exc in results} == {201}
    numbers = [body["tracking_number"] for (_status, body), _exc in results]
    assert sorted(n for n in numbers if n.startswith("PPID")) == [
        format_tracking_number("PPID", year, n) for n in range(21, 31)
    ]
    assert sorted(n for n in numbers if n.startswith("LAPOR")) == [
        format_tracking_number("LAPOR", year, n) for n in range(1, 11)
    ]
    assert Ticket.objects.count() == 40
    assert TimelineEntry.objects.filter(action="received").count() == 40  # one audit entry each, none lost
    assert dict(TrackingCounter.objects.values_list("prefix", "last_value")) == {"PPID": 30, "LAPOR": 10}


# --- 2. two officers, one ticket ----------------------------------------------------------------------------
@pytest.fixture
def officers(make_user):
    return make_user("ppid-a", "PPID Utama"), make_user("ppid-b", "PPID Utama")


@pytest.fixture
def held_lock(monkeypatch):
    """The first transaction past the status check keeps the row lock until another connection waits for a
    lock (at most 3 s). ``state["waiters_seen"]`` counts the rounds in which the loser was seen blocked."""
    from layanan.core import workflow

    original = workflow.refresh_due_date
    state = {"holders": 0, "waiters_seen": 0}
    guard = threading.Lock()

    def slow_refresh(ticket):
        with guard:
            first = state["holders"] == 0
            state["holders"] += 1
        if first:
            give_up = time.monotonic() + 3
            while time.monotonic() < give_up:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                    if cursor.fetchone()[0]:
                        state["waiters_seen"] += 1
                        break
                time.sleep(0.02)
        return original(ticket)

    monkeypatch.setattr(workflow, "refresh_due_date", slow_refresh)

    def next_round():
        state["holders"] = 0

    state["next_round"] = next_round
    return state


def new_ticket():
    return ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 5, 4, 9, 0)).ticket


def conflict_message(action: str, status: str) -> str:
    machine = machine_for("ppid_request")
    with override("id"):
        return gettext("The action “%(action)s” is not possible while the ticket is “%(status)s”.") % {
            "action": machine.transition(action).label,
            "status": machine.state(status).label,
        }


def outcomes(results):
    won = [result for result, exc in results if exc is None]
    lost = [exc for _result, exc in results if exc is not None]
    return won, lost


def test_the_same_action_twice_at_once_exactly_one_wins(synced_holidays, officers, held_lock):
    expected = conflict_message("decide", "decided")
    assert "tidak" in expected  # Indonesian
    for _round in range(3):
        held_lock["next_round"]()
        ticket = new_ticket()
        due = ticket.due_date
        results = run_together(
            partial(apply_transition, ticket, "decide", officers[0], outcome="granted_full", note="Oleh A"),
            partial(apply_transition, ticket, "decide", officers[1], outcome="not_yet_documented", note="Oleh B"),
        )
        won, lost = outcomes(results)
        assert len(won) == 1 and len(lost) == 1, results
        assert isinstance(lost[0], TransitionConflict) and lost[0].message == expected
        ticket.refresh_from_db()
        entries = list(ticket.timeline.filter(action="decide"))
        assert len(entries) == 1  # the winner's, none for the loser
        assert entries[0].actor == won[0].timeline.get(action="decide").actor
        assert ticket.ppid.outcome == won[0].ppid.outcome  # the winner's decision, not a mix
        assert entries[0].note == ("Oleh A" if ticket.ppid.outcome == "granted_full" else "Oleh B")
        assert (ticket.status, ticket.due_date) == ("decided", due)
    assert held_lock["waiters_seen"] >= 1  # the loser really waited on the row lock in at least one round


def test_extend_twice_at_once_extends_once(synced_holidays, officers, held_lock, frozen_now):
    rule = get_deadline_rule("ppid", "extension")
    frozen_now(wib(2026, 5, 6, 10, 0))  # before the due date: an extension is possible (UU 14/2008 Pasal 22(8))
    for _round in range(2):
        held_lock["next_round"]()
        ticket = new_ticket()
        results = run_together(
            *[
                partial(apply_transition, ticket, "extend", officer, reason="Dokumen di tiga unit")
                for officer in officers
            ]
        )
        won, lost = outcomes(results)
        assert len(won) == 1 and len(lost) == 1 and isinstance(lost[0], TransitionConflict)
        assert "sudah" in lost[0].message.lower() or "already" in lost[0].message.lower()
        ticket_after = Ticket.objects.get(pk=ticket.pk)
        assert ticket_after.extended and ticket_after.extension_days == rule.days
        assert ticket_after.due_date == extend_deadline(ticket.due_date, rule.days, unit=rule.unit).due_date
        entries = list(ticket_after.timeline.filter(action="extend"))
        assert len(entries) == 1 and entries[0].data["due_date"] == str(ticket_after.due_date)
    assert held_lock["waiters_seen"] >= 1


def test_decide_and_extend_at_once_end_in_a_state_one_order_explains(synced_holidays, officers, held_lock, frozen_now):
    """Either decide ran first (extend refused: decided), or extend first (both succeed, extended due date)."""
    frozen_now(wib(2026, 5, 6, 10, 0))  # before the due date: an extension is possible (UU 14/2008 Pasal 22(8))
    for _round in range(2):
        held_lock["next_round"]()
        ticket = new_ticket()
        results = run_together(
            partial(apply_transition, ticket, "decide", officers[0], outcome="granted_full", note="Diberikan"),
            partial(apply_transition, ticket, "extend", officers[1], reason="Perlu konsultasi"),
        )
        (decided, decide_error), (extended, extend_error) = results
        assert decide_error is None, decide_error  # decide is allowed before or after an extension
        after = Ticket.objects.get(pk=ticket.pk)
        actions = list(after.timeline.exclude(action="received").order_by("at", "pk").values_list("action", flat=True))
        if extend_error is not None:
            assert isinstance(extend_error, TransitionConflict)
            assert extend_error.message == conflict_message("extend", "decided")
            assert actions == ["decide"] and not after.extended and after.due_date == ticket.due_date
        else:
            assert actions == ["extend", "decide"] and after.extended and after.due_date > ticket.due_date
        last = after.timeline.order_by("at", "pk").last()
        assert last.data["due_date"] == str(after.due_date)  # the audit trail agrees with the ticket
        assert after.status == "decided"


def test_two_officers_deciding_in_the_desk_get_one_success_and_one_409(synced_holidays, officers, held_lock):
    clients = []
    for officer in officers:
        client = Client()
        client.force_login(officer)
        clients.append(client)
    expected = escape(conflict_message("decide", "decided"))
    for _round in range(2):
        held_lock["next_round"]()
        ticket = new_ticket()
        url = reverse("layanan_desk_action", args=[ticket.pk, "decide"])
        results = run_together(
            *[
                partial(client.post, url, {"outcome": "granted_full", "note": f"Keputusan {i}"})
                for i, client in enumerate(clients)
            ]
        )
        assert [exc for _r, exc in results if exc] == []
        responses = sorted((r for r, _exc in results), key=lambda r: r.status_code)
        assert [r.status_code for r in responses] == [302, 409]
        assert expected in responses[1].content.decode()
        assert Ticket.objects.get(pk=ticket.pk).timeline.filter(action="decide").count() == 1
