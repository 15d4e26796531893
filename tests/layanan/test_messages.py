"""Messages apart from events (issue 14): correspondence with the applicant or reporter is a ``Message``; state
changes, internal notes and access audit stay events only. Existing timeline rows are migrated."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps

from layanan.core.access import record_confidential_access
from layanan.core.models.messages import Message
from layanan.core.models.tickets import TimelineEntry
from layanan.core.workflow import apply_transition
from layanan.ppid import intake as ppid_intake
from layanan.wbs.services import add_reporter_message, submit_wbs_report
from tests.layanan.conftest import dump_database_text, ppid_payload, wbs_payload, wib

pytestmark = pytest.mark.django_db


@pytest.fixture
def ppid_ticket(synced_holidays):
    return ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 13, 10, 0)).ticket


def test_the_submission_itself_is_no_message(ppid_ticket):
    assert ppid_ticket.timeline.count() == 1
    assert not Message.objects.filter(ticket=ppid_ticket).exists()


def test_an_answer_to_the_applicant_is_a_message_and_an_event(ppid_ticket, desk_users, units):
    ppid, op1 = desk_users["ppid"], desk_users["op1"]
    t = apply_transition(ppid_ticket, "verify", ppid)
    t = apply_transition(t, "assign", ppid, unit=units[0].pk, note="Mohon diproses")  # to the unit, not a message
    t = apply_transition(t, "note", ppid, note="Catatan internal")  # internal: never a message
    t = apply_transition(t, "start_processing", op1)
    t = apply_transition(t, "decide", op1, outcome="granted_full", note="Informasi terlampir", cost="0")

    messages = list(Message.objects.filter(ticket=t))
    assert [(m.direction, m.body, m.author) for m in messages] == [
        (Message.Direction.TO_APPLICANT, "Informasi terlampir", op1)
    ]
    assert messages[0].event.action == "decide" and messages[0].channel == t.channel
    assert t.timeline.count() == 6  # every step is still an event


def test_a_whistleblowers_message_is_sealed(synced_holidays):
    report = submit_wbs_report(wbs_payload())
    add_reporter_message(report.ticket, "Saya punya bukti transfer tambahan XYZ-RAHASIA-77")
    message = Message.objects.get(ticket=report.ticket)
    assert message.direction == Message.Direction.FROM_APPLICANT
    assert message.text == "" and message.body == "Saya punya bukti transfer tambahan XYZ-RAHASIA-77"
    assert "XYZ-RAHASIA-77" not in dump_database_text()


def test_access_audit_is_an_event_only(synced_holidays, desk_users):
    report = submit_wbs_report(wbs_payload())
    record_confidential_access(report.ticket, desk_users["ppid"], "viewed")
    assert report.ticket.timeline.filter(action="viewed").exists()
    assert not Message.objects.filter(ticket=report.ticket).exists()


def test_the_migration_turns_existing_correspondence_into_messages(ppid_ticket, desk_users):
    officer = desk_users["ppid"]
    # Rows as written before messages existed: straight into the timeline.
    answer = TimelineEntry.objects.create(
        ticket=ppid_ticket,
        action="request_completion",
        note="Mohon lengkapi KTP",
        visible_to_applicant=True,
        actor=officer,
        actor_kind="user",
    )
    reply = TimelineEntry.objects.create(
        ticket=ppid_ticket,
        action="applicant_reply",
        note="Sudah saya lampirkan",
        visible_to_applicant=True,
        actor_kind="applicant",
    )
    TimelineEntry.objects.create(ticket=ppid_ticket, action="note", note="internal", visible_to_applicant=False)
    migration = importlib.import_module("layanan.migrations.0002_messages")

    migration.messages_from_timeline(django_apps, None)
    migration.messages_from_timeline(django_apps, None)  # idempotent

    messages = {m.event_id: m for m in Message.objects.filter(ticket=ppid_ticket)}
    assert set(messages) == {answer.pk, reply.pk}
    assert messages[answer.pk].direction == "to_applicant" and messages[answer.pk].author == officer
    assert messages[reply.pk].direction == "from_applicant" and messages[reply.pk].body == "Sudah saya lampirkan"
