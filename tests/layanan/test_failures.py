"""Failure tests (issue 8): the database failing mid-submission, the e-mail server down, the task worker
stopped for a day.

- A database error in the middle of a submission leaves nothing: no ticket, no timeline entry, no attachment
  row, no file in private storage, and no tracking number consumed (the counter increment rolls back with the
  ticket, so the next submission gets the number the failed one would have had). The client gets 503 with
  ``Retry-After`` and an Indonesian message saying nothing was saved.
- SMTP down: the ticket is stored and the API answers 201; the receipt task fails, django-q2 (ORM broker, run
  in-process here as the cluster would) keeps it queued and retries it after ``Q_CLUSTER["retry"]``; the
  failure is listed in the Wagtail admin ("Failed tasks") with the ticket number; after ``max_attempts`` it
  gives up and says so.
- A stopped worker: the daily digest schedule (``catch_up=False``) runs once on restart, and the digest is
  sent at most once per (day, recipient) however often it runs.
"""

import datetime
import smtplib
from multiprocessing import Queue, Value
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone, translation

from layanan.core.models.outbox import OutboxTask
from layanan.core.models.reminders import ReminderLog
from layanan.core.models.tickets import Attachment, Ticket, TimelineEntry, TrackingCounter
from layanan.core.outbox import RUN_TASK
from layanan.core.workflow import apply_transition
from layanan.ppid import intake as ppid_intake
from tests.layanan.conftest import PDF_BYTES, challenge_field, ppid_payload, wib

PPID_URL = "/api/v2/ppid/requests/"
FAILURES_URL = "/admin/layanan-desk/task-failures/"


# --- helpers ------------------------------------------------------------------------------------------------
class FailingEmailBackend(BaseEmailBackend):
    """An SMTP server that is down: every send raises (as ``smtplib`` does when the connection drops)."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RefusingOneAddressBackend(BaseEmailBackend):
    """Delivers to ``mail.outbox`` except to ``REFUSED`` (raises, as SMTP does for a refused recipient)."""

    REFUSED = "ppid@example.org"

    def send_messages(self, email_messages):
        for message in email_messages:
            if self.REFUSED in message.to:
                raise smtplib.SMTPRecipientsRefused({self.REFUSED: (550, b"mailbox unavailable")})
            mail.outbox.append(message)
        return len(email_messages)


def fail_on_insert(table: str):
    """``connection.execute_wrapper`` raising ``OperationalError`` on the INSERT into ``table``."""
    seen = []

    def wrapper(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and f'"{table}"' in sql:
            seen.append(sql)
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    return wrapper, seen


def private_files(settings) -> list[Path]:
    roots = [Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)]
    return [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]


def run_cluster_once():
    """Do what one qcluster pass does, in-process: pull the due tasks from the ORM broker, run them in a worker,
    save the results with the monitor (which acknowledges successes and gives up after ``max_attempts``).
    Returns the number of tasks pulled."""
    from django_q.brokers import get_broker
    from django_q.monitor import monitor
    from django_q.signing import SignedPackage
    from django_q.worker import worker

    broker = get_broker()
    task_queue, result_queue = Queue(), Queue()
    pulled = []
    while batch := broker.dequeue():  # Q_CLUSTER["bulk"] tasks at a time; each one locked for "retry" seconds
        pulled.extend(batch)
    for ack_id, payload in pulled:
        task = SignedPackage.loads(payload)
        task["ack_id"] = ack_id
        task_queue.put(task)
    task_queue.put("STOP")
    worker(task_queue, result_queue, Value("f", -1))
    result_queue.put("STOP")
    monitor(result_queue, broker)
    return len(pulled)


def retry_time_passes():
    """The broker's lock on a failed task expires (``Q_CLUSTER["retry"]`` seconds later)."""
    from django_q.models import OrmQ

    OrmQ.objects.update(lock=timezone.now() - datetime.timedelta(seconds=1))


@pytest.fixture
def real_queue(monkeypatch):
    """django-q2 as in production: tasks are queued in the ORM broker, not run synchronously."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)


# --- 4a: the database failing mid-submission ------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("table", ["layanan_attachment", "layanan_timelineentry", "layanan_ppidrequestdetails"])
def test_database_failing_mid_submission_leaves_nothing_and_answers_503(synced_holidays, api_client, settings, table):
    wrapper, seen = fail_on_insert(table)
    upload = SimpleUploadedFile("surat.pdf", PDF_BYTES, content_type="application/pdf")
    with connection.execute_wrapper(wrapper):
        response = api_client.post(PPID_URL, {**ppid_payload(), "attachments": [upload]}, format="multipart")
    assert seen, f"the failure on {table} was not triggered"
    assert response.status_code == 503
    assert response["Retry-After"].isdigit() and int(response["Retry-After"]) > 0
    body = response.json()
    assert set(body) == {"detail"} and "Traceback" not in body["detail"]
    with translation.override("id"):
        from pesan_cms.exceptions import UNAVAILABLE_MESSAGE

        assert body["detail"] == str(UNAVAILABLE_MESSAGE)
    assert (Ticket.objects.count(), TimelineEntry.objects.count(), Attachment.objects.count()) == (0, 0, 0)
    assert private_files(settings) == []  # the file written before the failure was deleted
    assert not TrackingCounter.objects.filter(prefix="PPID", last_value__gt=0).exists()
    # no gap: the next submission gets the number the failed one would have had
    response = api_client.post(PPID_URL, ppid_payload(), format="json")
    assert response.status_code == 201
    assert response.json()["tracking_number"].endswith("-000001")


@pytest.mark.django_db
def test_database_failing_on_the_tracking_counter_answers_503(synced_holidays, api_client):
    wrapper, seen = fail_on_insert("layanan_trackingcounter")
    with connection.execute_wrapper(wrapper):
        response = api_client.post(PPID_URL, ppid_payload(), format="json")
    assert seen and response.status_code == 503 and "Retry-After" in response
    assert Ticket.objects.count() == 0


# --- 4b: the e-mail server down -----------------------------------------------------------------------------
@pytest.mark.django_db
def test_smtp_down_in_sync_mode_still_answers_201(
    synced_holidays, api_client, settings, django_capture_on_commit_callbacks
):
    """Even when the task runs inline (tests, ``sync``) a failing e-mail never turns a stored ticket into an error."""
    settings.EMAIL_BACKEND = "tests.layanan.test_failures.FailingEmailBackend"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api_client.post(PPID_URL, ppid_payload(), format="json")
    assert callbacks, "the receipt task was not queued"
    assert response.status_code == 201
    assert Ticket.objects.filter(tracking_number=response.json()["tracking_number"]).exists()


@pytest.mark.django_db(transaction=True)
def test_smtp_down_keeps_the_ticket_retries_the_receipt_and_shows_the_failure(
    synced_holidays, api_client, settings, real_queue, make_user, client
):
    from django_q.models import Failure, OrmQ, Success

    settings.EMAIL_BACKEND = "tests.layanan.test_failures.FailingEmailBackend"
    response = api_client.post(PPID_URL, ppid_payload(), format="json")
    assert response.status_code == 201
    number = response.json()["tracking_number"]
    ticket = Ticket.objects.get(tracking_number=number)
    assert OrmQ.objects.count() == 1  # the receipt e-mail is queued, not sent inside the request

    assert run_cluster_once() == 1
    failure = Failure.objects.get(func=RUN_TASK)  # the receipt runs as its outbox row (issue 15)
    assert OutboxTask.objects.get(pk=failure.args[0]).func == "layanan.tasks.notify_received"
    assert failure.attempt_count == 1 and "SMTPServerDisconnected" in failure.result
    assert OrmQ.objects.count() == 1  # kept for a retry ...
    assert run_cluster_once() == 0  # ... but not before Q_CLUSTER["retry"] seconds
    assert Ticket.objects.filter(pk=ticket.pk).exists()

    # visible to the PPID admin (with the ticket number), not to a unit operator
    ppid = make_user("ppid-admin", "PPID Utama")
    client.force_login(ppid)
    page = client.get(FAILURES_URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert number in html and "SMTPServerDisconnected" in html
    operator = make_user("operator", "Operator Unit")
    client.force_login(operator)
    assert client.get(FAILURES_URL).status_code in (302, 403)

    # the SMTP server is back: the retry delivers the receipt exactly once
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    retry_time_passes()
    assert run_cluster_once() == 1
    assert [m.to for m in mail.outbox] == [["siti@example.org"]] and number in mail.outbox[0].subject
    assert OrmQ.objects.count() == 0
    task = Success.objects.get(func=RUN_TASK)
    assert task.attempt_count == 2
    assert OutboxTask.objects.get(pk=task.args[0]).done_at is not None
    client.force_login(ppid)
    assert number not in client.get(FAILURES_URL).content.decode()


@pytest.mark.django_db(transaction=True)
def test_smtp_down_for_good_gives_up_after_max_attempts_and_says_so(
    synced_holidays, settings, real_queue, make_user, units, client
):
    from django_q.conf import Conf
    from django_q.models import Failure, OrmQ

    settings.EMAIL_BACKEND = "tests.layanan.test_failures.FailingEmailBackend"
    ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 5, 4, 9, 0)).ticket
    ppid = make_user("ppid-admin", "PPID Utama")
    apply_transition(ticket, "assign", ppid, unit=units[0].pk, note="Mohon diproses")  # a step e-mail too
    assert OrmQ.objects.count() == 2
    attempts = 0
    while OrmQ.objects.exists():
        attempts += 1
        assert attempts <= Conf.MAX_ATTEMPTS
        run_cluster_once()
        retry_time_passes()
    assert attempts == Conf.MAX_ATTEMPTS == 5
    failures = sorted(
        (OutboxTask.objects.get(pk=f.args[0]).func, f.attempt_count) for f in Failure.objects.filter(func=RUN_TASK)
    )
    assert failures == [
        ("layanan.tasks.notify_received", 5),
        ("layanan.tasks.notify_step", 5),
    ]
    client.force_login(ppid)
    html = client.get(FAILURES_URL).content.decode()
    assert html.count(ticket.tracking_number) >= 2  # both notifications name the ticket


@pytest.mark.django_db
def test_failed_task_of_a_wbs_report_is_shown_only_to_the_inspektorat(synced_holidays, make_user, client):
    from django_q.models import Task

    from layanan.wbs.services import submit_wbs_report
    from tests.layanan.conftest import wbs_payload

    report = submit_wbs_report(wbs_payload())
    Task.objects.create(
        id="f" * 32,
        name="wbs-notice",
        func="layanan.tasks.notify_wbs_reporter",
        args=(report.ticket.pk, "update"),
        started=timezone.now(),
        stopped=timezone.now(),
        success=False,
        result="down : Traceback (most recent call last):\n  File ...\nsmtplib.SMTPWbsNoticeDown: down\n",
        attempt_count=1,
    )
    Task.objects.create(
        id="d" * 32,
        name="digest",
        func="layanan.tasks.send_daily_digest",
        started=timezone.now(),
        stopped=timezone.now(),
        success=False,
        result="down : Traceback (most recent call last):\n  File ...\nsmtplib.SMTPDigestDown: down\n",
        attempt_count=5,
    )
    number = report.tracking_number
    client.force_login(make_user("inspektur", "Inspektorat (WBS)"))
    html = client.get(FAILURES_URL).content.decode()
    assert number in html and "SMTPWbsNoticeDown" in html and "SMTPDigestDown" not in html
    client.force_login(make_user("ppid-admin", "PPID Utama"))
    assert number not in client.get(FAILURES_URL).content.decode()
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_superuser("root", "root@example.org", "pw-Root-2026!"))
    html = client.get(FAILURES_URL).content.decode()
    assert number not in html and "SMTPWbsNoticeDown" not in html  # WBS is restricted even for superusers
    assert "SMTPDigestDown" in html  # system tasks: superusers only


# --- 4c: the worker stopped for a day: one digest, never twice ----------------------------------------------
@pytest.fixture
def overdue_ticket(synced_holidays, desk_users, units):
    ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0)).ticket
    ticket = apply_transition(ticket, "assign", desk_users["ppid"], unit=units[0].pk)
    Ticket.objects.filter(pk=ticket.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=3))
    mail.outbox = []
    return ticket


@pytest.mark.django_db
def test_worker_stopped_for_a_day_sends_one_catch_up_digest_not_a_burst(overdue_ticket):
    from django_q.models import Schedule
    from django_q.scheduler import scheduler

    from layanan.core.setup import DIGEST_SCHEDULE_NAME

    schedule = Schedule.objects.get(name=DIGEST_SCHEDULE_NAME)
    # the worker stopped before yesterday's run: two runs (yesterday's and today's if past its hour) missed
    schedule.next_run = timezone.now() - datetime.timedelta(days=1, hours=2)
    schedule.save()

    scheduler()  # the worker is back
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["dep1@example.org", "ppid@example.org"]  # one digest each, not one per missed day
    assert all(overdue_ticket.tracking_number in m.body for m in mail.outbox)
    schedule.refresh_from_db()
    assert schedule.next_run > timezone.now()  # catch_up=False: the missed runs are skipped, not queued
    assert schedule.next_run - timezone.now() <= datetime.timedelta(days=1)
    assert set(ReminderLog.objects.values_list("day", flat=True)) == {timezone.localdate()}

    scheduler()  # the next scheduler tick: nothing due
    schedule.next_run = timezone.now() - datetime.timedelta(minutes=1)
    schedule.save()
    scheduler()  # the schedule fires again the same day (second cluster, manual re-run): nothing is sent twice
    assert sorted(m.to[0] for m in mail.outbox) == recipients


@pytest.mark.django_db
def test_digest_twice_for_the_same_day_sends_once_and_next_day_again(overdue_ticket):
    from layanan.core.notifications import send_digest

    today = timezone.localdate()
    assert send_digest(today) == 2
    assert send_digest(today) == 0
    assert len(mail.outbox) == 2
    assert send_digest(today + datetime.timedelta(days=1)) == 2
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_digest_failing_for_one_recipient_is_retried_for_that_recipient_only(overdue_ticket, settings):
    from layanan.core.notifications import send_digest

    settings.EMAIL_BACKEND = "tests.layanan.test_failures.RefusingOneAddressBackend"
    today = timezone.localdate()
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send_digest(today)  # the task fails: django-q2 retries it
    sent_to = [m.to[0] for m in mail.outbox]
    assert RefusingOneAddressBackend.REFUSED not in sent_to
    assert set(ReminderLog.objects.values_list("recipient", flat=True)) == set(sent_to)  # the failed claim rolled back
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_digest(today) == 1  # the retry: only the recipient that failed
    assert sorted(m.to[0] for m in mail.outbox) == sorted([*sent_to, RefusingOneAddressBackend.REFUSED])


@pytest.mark.django_db
def test_failed_tasks_page_requires_a_desk_role(make_user, client):
    client.force_login(make_user("editor-only"))
    response = client.get(FAILURES_URL)
    assert response.status_code in (302, 403)
    assert reverse("layanan_task_failures") == FAILURES_URL


# --- a stale desk form (the other officer already acted): 409, not a silent redirect --------------------------
@pytest.mark.django_db
def test_posting_a_stale_action_form_answers_409_naming_the_current_status(synced_holidays, make_user, client):
    from django.utils.html import escape

    from layanan.core.workflow import TransitionConflict, machine_for

    first, second = make_user("ppid-a", "PPID Utama"), make_user("ppid-b", "PPID Utama")
    ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 5, 4, 9, 0)).ticket
    apply_transition(ticket, "decide", first, outcome="granted_full", note="Diberikan")
    with pytest.raises(TransitionConflict):
        apply_transition(ticket, "decide", second, outcome="granted_full", note="Lagi")
    client.force_login(second)
    url = reverse("layanan_desk_action", args=[ticket.pk, "decide"])
    response = client.post(url, {"outcome": "not_yet_documented", "note": "Terlambat"})
    assert response.status_code == 409
    machine = machine_for("ppid_request")
    with translation.override("id"):
        expected = translation.gettext("The action “%(action)s” is not possible while the ticket is “%(status)s”.") % {
            "action": machine.transition("decide").label,
            "status": machine.state("decided").label,
        }
    assert escape(expected) in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).timeline.filter(action="decide").count() == 1


# --- 4a (every entry point): the WBS API and the site forms answer 503 too, through the shared handlers -----
@pytest.mark.django_db
def test_database_failing_mid_wbs_report_answers_503_and_stores_nothing(synced_holidays, api_client):
    from tests.layanan.conftest import wbs_payload

    wrapper, seen = fail_on_insert("layanan_timelineentry")
    with connection.execute_wrapper(wrapper):
        response = api_client.post("/api/v2/wbs/reports/", wbs_payload(), format="json")
    assert seen and response.status_code == 503
    assert int(response["Retry-After"]) > 0 and "Traceback" not in response.content.decode()
    assert Ticket.objects.count() == 0


@pytest.mark.django_db
def test_database_failing_mid_site_form_shows_the_503_page_and_stores_nothing(synced_holidays, client, settings):
    wrapper, seen = fail_on_insert("layanan_timelineentry")
    upload = SimpleUploadedFile("surat.pdf", PDF_BYTES, content_type="application/pdf")
    data = {**challenge_field(), **ppid_payload(), "attachments": upload}
    with connection.execute_wrapper(wrapper):
        response = client.post("/layanan/permohonan-informasi/", data)
    assert seen and response.status_code == 503
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "BELUM tersimpan" in page and "Traceback" not in page  # Indonesian, says nothing was saved
    assert (Ticket.objects.count(), Attachment.objects.count()) == (0, 0)
    assert private_files(settings) == []


@pytest.mark.django_db
def test_database_failing_on_a_status_lookup_says_unavailable_without_talking_of_a_submission(api_client):
    def fail_every_select(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("SELECT"):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_every_select):
        response = api_client.get("/api/v2/tickets/PPID-2026-000001/", HTTP_X_ACCESS_TOKEN="abc")
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    assert response.json() == {
        "detail": "Layanan sedang tidak tersedia untuk sementara. Silakan coba lagi beberapa menit lagi."
    }
