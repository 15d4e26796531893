"""E-mail notifications (locmem backend; django-q2 runs synchronously in tests) and the digest schedule."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from layanan.core.models.tickets import Ticket
from layanan.core.workflow import apply_transition
from layanan.lapor import intake as lapor_intake
from layanan.ppid import intake as ppid_intake
from tests.layanan.conftest import lapor_payload, ppid_payload, wib

pytestmark = pytest.mark.django_db


def test_receipt_email_in_indonesian_with_tracking_number_due_date_and_token(
    api_client, synced_holidays, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        body = api_client.post("/api/v2/ppid/requests/", ppid_payload(), format="json").json()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["siti@example.org"]
    assert body["tracking_number"] in message.subject
    assert "diterima" in message.subject.lower()
    assert body["tracking_number"] in message.body
    assert body["access_token"] in message.body  # sent only to the applicant's own address (documented)
    assert "Batas waktu" in message.body
    assert "3171234567890001" not in message.body


def test_receipt_email_can_leave_the_token_out(
    api_client, synced_holidays, django_capture_on_commit_callbacks, settings
):
    settings.PESAN_EMAIL_ACCESS_TOKEN = False
    with django_capture_on_commit_callbacks(execute=True):
        body = api_client.post("/api/v2/ppid/requests/", ppid_payload(), format="json").json()
    assert body["access_token"] not in mail.outbox[0].body


def test_queued_task_never_holds_the_token_in_clear(synced_holidays, django_capture_on_commit_callbacks, monkeypatch):
    from layanan.core import outbox
    from layanan.core.models.outbox import OutboxTask

    calls = []
    monkeypatch.setattr(outbox, "async_task", lambda *args, **kwargs: calls.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        submission = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0))
    assert calls and all(submission.access_token not in repr(args) for args in calls)
    stored = list(OutboxTask.objects.values_list("func", "args"))  # nor the outbox row that waits for the queue
    assert stored and all(submission.access_token not in repr(row) for row in stored)


def test_no_email_without_address(synced_holidays, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lapor_intake.submit_lapor_report(lapor_payload(email=""), received_at=wib(2026, 3, 2, 9, 0))
    assert mail.outbox == []


def test_visible_step_mails_applicant_internal_note_does_not(
    synced_holidays, desk_users, django_capture_on_commit_callbacks
):
    ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0)).ticket
    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(ticket, "note", desk_users["ppid"], note="catatan internal")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(ticket, "request_completion", desk_users["ppid"], note="Mohon lampirkan KTP")
    assert len(mail.outbox) == 1
    assert "Mohon lampirkan KTP" in mail.outbox[0].body
    assert ticket.tracking_number in mail.outbox[0].subject


def test_disposition_mails_the_unit_without_anonymous_reporters_identity(
    synced_holidays, desk_users, units, django_capture_on_commit_callbacks
):
    ticket = lapor_intake.submit_lapor_report(lapor_payload(anonymous=True), received_at=wib(2026, 3, 2, 9, 0)).ticket
    ticket = apply_transition(ticket, "verify", desk_users["lapor"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(ticket, "assign", desk_users["lapor"], unit=units[0].pk, note="Segera tindak lanjuti")
    to_unit = [m for m in mail.outbox if m.to == ["dep1@example.org"]]
    assert len(to_unit) == 1
    assert ticket.tracking_number in to_unit[0].body and "Segera tindak lanjuti" in to_unit[0].body
    assert "Budi" not in to_unit[0].body and "budi@example.org" not in to_unit[0].body
    assert any(m.to == ["budi@example.org"] for m in mail.outbox)  # the reporter hears of the step


def test_digest_lists_overdue_and_due_soon_to_handlers_and_units(synced_holidays, desk_users, units):
    from layanan.core.notifications import send_digest

    overdue = ppid_intake.submit_ppid_request(
        ppid_payload(information_requested="Lama"), received_at=wib(2026, 3, 2, 9, 0)
    ).ticket
    overdue = apply_transition(overdue, "assign", desk_users["ppid"], unit=units[0].pk)
    fresh = ppid_intake.submit_ppid_request(
        ppid_payload(information_requested="Baru"), received_at=wib(2026, 3, 2, 9, 0)
    ).ticket
    Ticket.objects.filter(pk=fresh.pk).update(due_date=datetime.date(2026, 3, 30))
    done = ppid_intake.submit_ppid_request(
        ppid_payload(information_requested="Selesai"), received_at=wib(2026, 3, 2, 9, 0)
    ).ticket
    apply_transition(done, "decide", desk_users["ppid"], outcome="granted_full", note="ok")
    mail.outbox.clear()
    sent = send_digest(today=datetime.date(2026, 3, 25))
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert sent == len(mail.outbox) == 2
    ppid_mail = by_recipient["ppid@example.org"]
    assert overdue.tracking_number in ppid_mail.body and fresh.tracking_number in ppid_mail.body
    assert done.tracking_number not in ppid_mail.body  # decided: clock stopped
    assert "[LEWAT]" in ppid_mail.body and "[SEGERA]" in ppid_mail.body
    unit_mail = by_recipient["dep1@example.org"]
    assert overdue.tracking_number in unit_mail.body and fresh.tracking_number not in unit_mail.body
    assert send_digest(today=datetime.date(2026, 3, 2)) == 0


def test_digest_schedule_present_after_migrate_exactly_once():
    from django_q.models import Schedule

    from layanan.core.setup import DIGEST_FUNC

    assert Schedule.objects.filter(func=DIGEST_FUNC).count() == 1
    call_command("migrate", verbosity=0)
    call_command("migrate", verbosity=0)
    schedules = Schedule.objects.filter(func=DIGEST_FUNC)
    assert schedules.count() == 1
    assert schedules.get().schedule_type == Schedule.DAILY
