"""Issue 15 item 1: a Redis failure after commit never turns a saved submission into an error, and no notice is
lost (``layanan.core.outbox``).

The rule: a submission is answered 201 with its number whenever it committed, and 503 "not saved" whenever it
did not; a notice that could not be queued stays in the database and is sent later.

django-q2 runs on the real Redis broker here (``REDIS_TEST_URL``, default ``redis://127.0.0.1:6379/15``;
skipped when it does not answer), broken in the two ways seen in production: its queue key holding a string
(``SET django_q:<name>:q x``: every push fails with WRONGTYPE) and Redis refusing connections (stopped),
the cache then refusing too. Transactional tests: ``on_commit`` runs at the real commit, inside the request,
as in production.
"""

from __future__ import annotations

import datetime
import os
import uuid

import pytest
import redis
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_q.conf import Conf

from layanan.core import outbox
from layanan.core.models.outbox import OutboxTask
from layanan.core.models.tickets import Ticket
from tests.layanan.conftest import challenge_field, lapor_payload, ppid_payload, wbs_payload
from tests.layanan.test_failures import fail_on_insert
from tests.layanan.test_q2_redis import run_cluster_once

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
REFUSED_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1: connection refused at once


def _redis_answers() -> bool:
    try:
        return bool(redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1, socket_timeout=1).ping())
    except (redis.RedisError, OSError):
        return False


pytestmark = [
    pytest.mark.skipif(not _redis_answers(), reason=f"Redis is not reachable at {REDIS_TEST_URL}"),
    pytest.mark.django_db(transaction=True),
]

LATER = datetime.timedelta(hours=1)  # past the outbox's grace period


def refused_caches() -> dict:
    """The production cache settings (``pesan_cms/settings/base.py``) with Redis refusing connections."""
    tolerant = {
        "BACKEND": "pesan_cms.cache.OutageTolerantRedisCache",
        "LOCATION": REFUSED_URL,
        "OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
    }
    return {"default": tolerant, "strict": {**tolerant, "BACKEND": "django.core.cache.backends.redis.RedisCache"}}


@pytest.fixture
def redis_queue(monkeypatch):
    """django-q2 on Redis as in production (not run inline), with a queue name of its own."""
    name = f"pesan-outbox-{uuid.uuid4().hex[:10]}"
    monkeypatch.setattr(Conf, "SYNC", False)
    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(Conf, "DJANGO_REDIS", None)
    monkeypatch.setattr(Conf, "REDIS", REDIS_TEST_URL)
    monkeypatch.setattr(Conf, "CLUSTER_NAME", name)
    client = redis.from_url(REDIS_TEST_URL)
    key = f"django_q:{name}:q"
    yield client, key
    client.delete(key)


@pytest.fixture(params=["queue key holds a string", "redis refuses connections"])
def broken_redis(request, redis_queue, monkeypatch):
    """The two outages: the queue key unusable (WRONGTYPE), or Redis stopped (queue AND cache refused)."""
    client, key = redis_queue
    cache_down = override_settings(CACHES=refused_caches())
    if request.param == "queue key holds a string":
        client.set(key, "x")
    else:
        monkeypatch.setattr(Conf, "REDIS", REFUSED_URL)
        cache_down.enable()

    def repair():
        """Redis is back (the key cleared, the server answering)."""
        client.delete(key)
        monkeypatch.setattr(Conf, "REDIS", REDIS_TEST_URL)

    yield repair
    if request.param != "queue key holds a string":
        cache_down.disable()


def _submit_everything(api_client):
    """One submission of each public kind; returns ``[(response, tracking number or None)]``."""
    answers = []
    for url, body in (
        ("/api/v2/ppid/requests/", ppid_payload(email="siti.outbox@example.org")),
        ("/api/v2/lapor/reports/", lapor_payload(email="budi.outbox@example.org")),
        ("/api/v2/wbs/reports/", wbs_payload(email="pelapor.outbox@example.org")),
    ):
        response = api_client.post(url, body, format="json")
        answers.append((response, response.json().get("tracking_number") if response.status_code == 201 else None))
    return answers


def test_with_redis_broken_every_committed_submission_is_answered_201_and_its_notice_waits(
    broken_redis, redis_queue, api_client, synced_holidays
):
    mail.outbox.clear()
    answers = _submit_everything(api_client)

    assert [r.status_code for r, _n in answers] == [201, 201, 201], [r.content[:300] for r, _n in answers]
    numbers = [n for _r, n in answers]
    assert all(numbers)
    assert answers[2][0].json()["receipt_code"]  # the whistleblower got the one-time receipt code
    for number in numbers:  # each stored exactly once
        assert Ticket.objects.filter(tracking_number=number).count() == 1
    assert Ticket.objects.count() == 3

    # every notice is in the outbox, none sent, none handed over
    tasks = list(OutboxTask.objects.order_by("pk"))
    assert [t.func for t in tasks] == [
        "layanan.tasks.notify_received",
        "layanan.tasks.notify_received",
        "layanan.tasks.notify_wbs_reporter",
    ]
    assert all(t.done_at is None and t.enqueued_at is None and t.last_error.startswith("queue:") for t in tasks)
    assert mail.outbox == []

    # a submission whose transaction fails: 503 "not saved", nothing stored, nothing in the outbox
    wrapper, seen = fail_on_insert("layanan_timelineentry")
    with connection.execute_wrapper(wrapper):
        failed = api_client.post("/api/v2/ppid/requests/", ppid_payload(), format="json")
    assert seen and failed.status_code == 503 and "detail" in failed.json()
    assert Ticket.objects.count() == 3 and OutboxTask.objects.count() == 3

    # while Redis is still broken, the scheduled drain hands nothing over and loses nothing
    assert outbox.drain(now=timezone.now() + LATER) == 0
    assert OutboxTask.objects.filter(done_at__isnull=True).count() == 3

    # Redis is back: the next drain hands the three notices to the queue, a worker sends them
    broken_redis()
    assert outbox.drain(now=timezone.now() + LATER) == 3
    broker = outbox.shared_broker()
    assert broker is not None and broker.queue_size() == 3
    while broker.queue_size():
        run_cluster_once(broker)  # one task per pull
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["budi.outbox@example.org", "pelapor.outbox@example.org", "siti.outbox@example.org"]
    assert not OutboxTask.objects.filter(done_at__isnull=True).exists()
    assert outbox.drain(now=timezone.now() + LATER) == 0  # nothing is sent twice


def test_a_healthy_queue_sends_at_once_and_a_task_handed_over_twice_runs_once(redis_queue, api_client, synced_holidays):
    mail.outbox.clear()
    response = api_client.post("/api/v2/ppid/requests/", ppid_payload(email="sekali@example.org"), format="json")
    assert response.status_code == 201
    task = OutboxTask.objects.get()
    assert task.enqueued_at is not None and task.attempts == 1 and task.last_error == ""
    broker = outbox.shared_broker()
    assert broker.queue_size() == 1
    outbox.dispatch(task.pk)  # a second hand-over (a drain racing a slow worker)
    run_cluster_once(broker)
    run_cluster_once(broker)
    assert [m.to for m in mail.outbox] == [["sekali@example.org"]]
    assert OutboxTask.objects.get().done_at is not None


def test_send_outbox_command_runs_what_waits_without_a_queue(broken_redis, api_client, synced_holidays):
    mail.outbox.clear()
    assert (
        api_client.post("/api/v2/ppid/requests/", ppid_payload(email="nanti@example.org"), format="json").status_code
        == 201
    )
    assert mail.outbox == []
    call_command("send_outbox", "--all")
    assert [m.to for m in mail.outbox] == [["nanti@example.org"]]
    assert OutboxTask.objects.get().done_at is not None


def test_a_task_outside_the_desk_is_refused():
    with pytest.raises(ValueError):
        outbox.enqueue("os.system", "true")


def test_the_site_form_shows_the_receipt_while_redis_is_down(redis_queue, monkeypatch, client, synced_holidays):
    """The citizen's web form during an outage: saved, redirected to the confirmation with the number and the
    access token (the session falls back to the database), the receipt e-mail waiting in the outbox."""
    monkeypatch.setattr(Conf, "REDIS", REFUSED_URL)
    cached_db = "django.contrib.sessions.backends.cached_db"
    with override_settings(CACHES=refused_caches(), SESSION_ENGINE=cached_db):
        data = {**challenge_field(), **ppid_payload(email="warga.web@example.org")}
        response = client.post("/layanan/permohonan-informasi/", data)
        assert response.status_code == 302, response.content[:300]
        page = client.get(response["Location"])
        assert page.status_code == 200
    ticket = Ticket.objects.get()
    assert ticket.tracking_number in page.content.decode()
    task = OutboxTask.objects.get()
    assert task.func == "layanan.tasks.notify_received" and task.done_at is None


def test_wbs_code_guessing_stays_limited_while_redis_is_down(api_client, synced_holidays):
    """The receipt-code throttle reads the strict cache: during an outage a look-up is refused with 503 (try
    again), never let through unlimited and never a 500."""
    with override_settings(CACHES=refused_caches()):
        response = api_client.post("/api/v2/wbs/access/", {"code": "1234-5678-9012-3456"}, format="json")
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    assert set(response.json()) == {"detail"}


def test_a_failing_task_keeps_its_error_on_the_row(db):
    """The error of a task that raised is recorded on its row (it was written inside the transaction that the
    failure rolled back, so the row used to show none) and the row stays pending for the next drain."""
    task = OutboxTask.objects.create(func="layanan.tasks.notify_received", args=["not-a-ticket-id"])
    with pytest.raises(ValueError):
        outbox.run(task.pk)
    task.refresh_from_db()
    assert task.done_at is None and task.last_error.startswith("task: ValueError")
