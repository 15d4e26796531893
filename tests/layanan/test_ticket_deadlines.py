"""Ticket due dates follow the holiday table: adding or removing a holiday recomputes open tickets."""

import datetime

import pytest

from layanan.calendar.models import Holiday
from layanan.core.models.tickets import Ticket
from layanan.core.workflow import apply_transition
from layanan.ppid import intake as ppid_intake
from tests.layanan.conftest import ppid_payload, wib

pytestmark = pytest.mark.django_db


def test_adding_a_holiday_moves_open_tickets_only(settled_holidays, desk_users, django_capture_on_commit_callbacks):
    open_ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 13, 10, 0)).ticket
    decided = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 13, 10, 0)).ticket
    decided = apply_transition(decided, "decide", desk_users["ppid"], outcome="granted_full", note="ok")
    assert open_ticket.due_date == decided.due_date == datetime.date(2026, 4, 6)
    with django_capture_on_commit_callbacks(execute=True):
        Holiday.objects.create(date=datetime.date(2026, 3, 31), name="Libur Daerah Khusus", kind="other")
    open_ticket.refresh_from_db()
    decided.refresh_from_db()
    assert open_ticket.due_date == datetime.date(2026, 4, 7)
    assert "Libur Daerah Khusus" in open_ticket.deadline_explanation
    assert decided.due_date == datetime.date(2026, 4, 6)
    entry = open_ticket.timeline.get(action="deadline_recomputed")
    assert entry.visible_to_applicant and "2026-04-07" in entry.note


def test_extension_survives_recompute(settled_holidays, desk_users, django_capture_on_commit_callbacks, frozen_now):
    ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 13, 10, 0)).ticket
    frozen_now(wib(2026, 4, 6, 15, 0))  # on the due date: still within the first 10 WD
    ticket = apply_transition(ticket, "extend", desk_users["ppid"], reason="Perlu konsultasi")
    assert ticket.due_date == datetime.date(2026, 4, 15)
    with django_capture_on_commit_callbacks(execute=True):
        Holiday.objects.create(date=datetime.date(2026, 4, 9), name="Libur Tambahan", kind="other")
    ticket.refresh_from_db()
    assert ticket.due_date == datetime.date(2026, 4, 16)


def test_removing_a_holiday_moves_due_date_back(settled_holidays, django_capture_on_commit_callbacks):
    ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 13, 10, 0)).ticket
    with django_capture_on_commit_callbacks(execute=True):
        Holiday.objects.filter(date=datetime.date(2026, 4, 3)).delete()  # Good Friday
    ticket.refresh_from_db()
    assert ticket.due_date == datetime.date(2026, 4, 3)


def test_remaining_working_days_and_urgency(settled_holidays):
    ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 13, 10, 0)).ticket
    assert ticket.remaining_working_days(datetime.date(2026, 4, 1)) == 2  # 2 and 6 April (3 April: Good Friday)
    assert ticket.urgency(datetime.date(2026, 3, 16)) == "ok"
    assert ticket.urgency(datetime.date(2026, 4, 1)) == "due_soon"
    assert ticket.urgency(datetime.date(2026, 4, 7)) == "overdue"
    assert Ticket.objects.get(pk=ticket.pk).urgency(datetime.date(2026, 4, 6)) == "due_soon"
