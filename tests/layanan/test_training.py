"""Training mode (issue 21): the reset leaves the same tickets, states and due dates (relative to today) every
time — ticket by ticket, under the same tracking numbers — through the real service functions, and refuses on an
install that is not a training install."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.utils import timezone

from home.models import Unit
from layanan.core import registry
from layanan.core.models.tickets import Ticket
from layanan.core.workflow import apply_transition
from layanan.demo import submit_request
from layanan.training import TrainingRefused, reset

pytestmark = pytest.mark.django_db


def _snapshot() -> Counter:
    today = timezone.localdate()
    return Counter(
        (t.service, t.status, (t.due_date - today).days if t.due_date else None, t.unit.code if t.unit else None)
        for t in Ticket.objects.select_related("unit")
    )


def _tickets() -> dict[str, tuple]:
    """Each ticket by its tracking number: service, subject, state, unit, receipt and due date in days relative to
    today, extension, and the steps of its timeline."""
    today = timezone.localdate()
    return {
        t.tracking_number: (
            t.service,
            t.subject,
            t.status,
            t.unit.code if t.unit else None,
            (timezone.localtime(t.received_at).date() - today).days,
            (t.due_date - today).days if t.due_date else None,
            t.extended,
            tuple(t.timeline.order_by("at", "pk").values_list("action", "from_status", "to_status")),
        )
        for t in Ticket.objects.select_related("unit")
    }


@pytest.fixture
def units(db):
    Unit.objects.get_or_create(code="DEP-A", defaults={"name": "Kedeputian A", "email": "a@example.invalid"})
    Unit.objects.get_or_create(code="DEP-B", defaults={"name": "Kedeputian B", "email": "b@example.invalid"})
    Unit.objects.get_or_create(code="DEP-C", defaults={"name": "Kedeputian C", "email": "c@example.invalid"})


def test_reset_twice_leaves_the_same_tickets_states_and_due_dates(settled_holidays, units, settings):
    settings.PESAN_TRAINING_MODE = True
    out = io.StringIO()
    call_command("reset_training", stdout=out)
    first = _snapshot()
    tickets = _tickets()
    call_command("reset_training", stdout=io.StringIO())
    assert _snapshot() == first
    assert sum(first.values()) == Ticket.objects.count() == len(tickets)
    # ticket by ticket: the same tracking number holds the same ticket, state, due date and steps as before
    assert _tickets() == tickets
    assert "PPID-" + f"{timezone.localdate().year}-000001" in tickets  # the numbers start again at 1
    # every service of the registry is there, in several states, and every active unit has its own tickets
    states = {(service, status) for service, status, _, _ in first}
    assert {service for service, _ in states} == {s.code for s in registry.all_services()}
    for service in ("ppid_request", "objection", "lapor", "wbs", "social"):
        assert len({status for s, status in states if s == service}) >= 3, service
    active = set(Unit.objects.filter(active=True).values_list("code", flat=True))
    assert active >= {"DEP-A", "DEP-B", "DEP-C"}
    for code in active:
        assert {status for (s, status, _, u) in first if u == code and s == "ppid_request"} >= {
            "assigned",
            "in_process",
            "decided",
            "delivered",
            "closed",
        }
    assert Ticket.objects.filter(extended=True).count() == len(active)
    overdue = [key for key in first if key[2] is not None and key[2] < 0]
    assert overdue, "the set has overdue tickets to practise on"
    assert "Training reset" in out.getvalue()


def test_reset_removes_tickets_made_during_the_exercise(settled_holidays, units, settings):
    settings.PESAN_TRAINING_MODE = True
    reset()
    before = _snapshot()
    tickets = _tickets()
    officer = User.objects.get(username="ppid.utama")
    made = submit_request(99, 0, "Permohonan latihan peserta")  # what a trainee does during the exercise
    waiting = Ticket.objects.filter(service="ppid_request", status="received", pk__lt=made.pk).first()
    apply_transition(waiting, "verify", officer)
    assert _snapshot() != before
    reset()
    assert _snapshot() == before
    assert _tickets() == tickets  # the trainee's step undone, the new request gone, the numbers as before
    assert not Ticket.objects.filter(subject__contains="latihan peserta").exists()


def test_reset_refuses_on_an_install_that_is_not_a_training_install(settled_holidays, units, settings):
    settings.PESAN_TRAINING_MODE = False
    settings.DEBUG = False
    with pytest.raises(CommandError, match="PESAN_TRAINING_MODE"):
        call_command("reset_training", "--force", stdout=io.StringIO())
    with pytest.raises(TrainingRefused):
        reset()
    assert Ticket.objects.count() == 0
    settings.DEBUG = True
    with pytest.raises(TrainingRefused):
        reset()  # DEBUG alone is not enough: --force is asked for
    assert reset(force=True).created
