"""django-q2 on the Redis broker (the production broker): a receipt e-mail task goes through Redis, a worker runs
it, the monitor records its success.

Redis at ``REDIS_TEST_URL`` (default ``redis://127.0.0.1:6379/15``); skipped when it does not answer. The
cluster's pusher, worker and monitor functions run in this process, one after the other (as django-q2's own
tests do), so the worker shares the test's database transaction and the locmem e-mail outbox. The queue has a
name of its own and is deleted afterwards.
"""

from __future__ import annotations

import os
import uuid
from multiprocessing import Event, Queue, Value

import pytest
from django.core import mail

from layanan.ppid import intake as ppid_intake

from .conftest import ppid_payload, wib

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1, socket_timeout=1).ping())
    except (redis.RedisError, OSError):
        return False


pytestmark = pytest.mark.skipif(not _redis_answers(), reason=f"Redis is not reachable at {REDIS_TEST_URL}")


@pytest.fixture
def redis_broker(monkeypatch):
    from django_q.brokers.redis_broker import Redis
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "REDIS", REDIS_TEST_URL)
    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(Conf, "DJANGO_REDIS", None)
    broker = Redis(list_key=f"pesan-test-{uuid.uuid4().hex[:12]}")
    assert broker.ping()
    yield broker
    broker.delete_queue()


def run_cluster_once(broker) -> None:
    """Pull what is queued, run it, record the results (django_q.cluster's three stages, in this process)."""
    from django_q.monitor import monitor
    from django_q.pusher import pusher
    from django_q.worker import worker

    task_queue, result_queue, stop = Queue(), Queue(), Event()
    stop.set()  # one pull from the broker, then stop
    pusher(task_queue, stop, broker=broker)
    task_queue.put("STOP")
    worker(task_queue, result_queue, Value("f", -1))
    result_queue.put("STOP")
    monitor(result_queue, broker=broker)


def test_receipt_email_task_runs_through_the_redis_broker(synced_holidays, redis_broker):
    from django_q.models import Success
    from django_q.tasks import async_task

    ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0)).ticket
    mail.outbox.clear()

    task_id = async_task("layanan.tasks.notify_received", ticket.pk, sync=False, broker=redis_broker)
    assert redis_broker.queue_size() == 1  # really queued in Redis, not run inline
    assert mail.outbox == []

    run_cluster_once(redis_broker)

    assert redis_broker.queue_size() == 0
    assert [message.to for message in mail.outbox] == [[ticket.applicant_email]]
    assert ticket.tracking_number in mail.outbox[0].subject + mail.outbox[0].body
    success = Success.objects.get(id=task_id)
    assert success.func == "layanan.tasks.notify_received" and success.result == 1
