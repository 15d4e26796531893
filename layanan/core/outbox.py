"""The outbox: what must happen after a change commits (notices to the applicant and the units, later the
channel replies) is written in the change's own transaction, then handed to the django-q2 broker.

The rule (issue 15): a submission or a desk step that committed is answered as committed, whatever the broker
does; a notice that could not be queued is kept in the database and sent later, never silently lost.

- :func:`enqueue` (inside the transaction of the change): one :class:`OutboxTask` row, and an ``on_commit``
  hook (``robust``: its failure is logged, never raised into the request) that hands it to the broker
  (:func:`dispatch`). Rolled back with the change: a change that did not happen sends nothing.
- :func:`run` is what the worker executes: it locks the row, skips it when already done, runs the task and
  marks it done in one transaction — a task handed over twice (a retry, a drain racing a slow worker) runs
  once. A task that raises stays pending with its error and is retried by :func:`drain`, up to
  ``PESAN_OUTBOX_MAX_ATTEMPTS`` hand-overs (default 10); after that it waits for an officer (the admin's
  failed-tasks page) and is never dropped.
- :func:`drain` hands over what is pending: rows never handed over (the broker was down) older than
  ``PESAN_OUTBOX_GRACE_SECONDS`` (default 30), and rows handed over more than ``PESAN_OUTBOX_STALE_SECONDS``
  ago (default 900) that did not finish (a lost queue). Scheduled every minute (``layanan.core.setup``);
  ``manage.py send_outbox`` runs the same in the foreground, without the broker (``direct=True``).

Times are UTC (``timezone.now()``).
"""

from __future__ import annotations

import datetime
import functools
import logging
import os

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_q.brokers import get_broker
from django_q.brokers.redis_broker import Redis
from django_q.conf import Conf
from django_q.tasks import async_task

from layanan.core.models.outbox import OutboxTask

__all__ = ["RUN_TASK", "dispatch", "drain", "enqueue", "pending", "run", "shared_broker"]

logger = logging.getLogger(__name__)

#: The django-q2 task that runs an outbox row (dotted path, as the broker stores it).
RUN_TASK = "layanan.core.outbox.run"
#: Modules whose functions may be outbox tasks (a row names its function by dotted path).
ALLOWED_PREFIXES = ("layanan.",)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


_brokers: dict = {}


def shared_broker():
    """The django-q2 Redis broker of this process, reused by every enqueue (``async_task(..., broker=)``), or
    ``None`` for any other broker (``async_task`` then builds its own, as by default).

    Without it each ``async_task`` builds a new broker: a new Redis client, connection pool and TCP connection,
    and redis-py reads its package metadata from disk for the ``CLIENT SETINFO`` of every new connection —
    about 2 ms of CPU per submission (issue 9). Keyed by process id (a forked worker gets its own) and by the
    broker settings (tests change them)."""
    if Conf.SYNC:
        return None
    key = (os.getpid(), Conf.CLUSTER_NAME, str(Conf.REDIS), Conf.DJANGO_REDIS, Conf.BROKER_CLASS, Conf.ORM)
    broker = _brokers.get(key)
    if broker is None:
        broker = get_broker()
        broker = _brokers.setdefault(key, broker if isinstance(broker, Redis) else False)
    return broker or None


def enqueue(func: str, *args, using: str | None = None) -> OutboxTask:
    """Record ``func(*args)`` to run after the current transaction commits (at once in autocommit).

    ``func``: dotted path of a function under ``layanan.``; ``args``: JSON-serialisable. Returns the row.
    ``ValueError`` for a function outside ``layanan``."""
    if not func.startswith(ALLOWED_PREFIXES):
        raise ValueError(f"outbox task outside layanan: {func!r}")
    task = OutboxTask.objects.using(using).create(func=func, args=list(args))
    transaction.on_commit(functools.partial(dispatch, task.pk), using=using, robust=True)
    return task


def dispatch(task_id: int, *, broker=None) -> bool:
    """Hand outbox row ``task_id`` to the django-q2 broker; True when the broker took it. A broker error is
    recorded on the row (``last_error``) and logged, not raised: the row stays pending for :func:`drain`."""
    try:
        async_task(RUN_TASK, task_id, broker=broker or shared_broker())
    except Exception as exc:  # noqa: BLE001 - any broker failure (Redis refused, wrong key type, timeout)
        logger.warning("outbox task %s kept for later: the queue refused it (%s)", task_id, exc)
        OutboxTask.objects.filter(pk=task_id).update(last_error=f"queue: {exc}"[:2000])
        return False
    OutboxTask.objects.filter(pk=task_id, done_at__isnull=True).update(
        enqueued_at=timezone.now(), attempts=F("attempts") + 1
    )
    return True


def run(task_id: int):
    """Run outbox row ``task_id`` once (the worker's entry point): lock it, skip it when done, run it, mark it
    done — all in one transaction. Returns the task's result (None when skipped). Re-raises the task's error
    after recording it (django-q2 then records the failure too); a task function with a ``record_failure(*args,
    error=exc)`` attribute is told of its failure after the rollback, outside any transaction of the task. The
    error is written after the failed transaction rolled back — written inside it, it was rolled back with it and
    the row showed no error (issue 16 review)."""
    func = args = None
    try:
        with transaction.atomic():
            task = OutboxTask.objects.select_for_update().filter(pk=task_id, done_at__isnull=True).first()
            if task is None:
                return None
            func, args = import_string(task.func), task.args
            with transaction.atomic():
                result = func(*args)
            OutboxTask.objects.filter(pk=task_id).update(done_at=timezone.now(), last_error="")
            return result
    except Exception as exc:
        try:
            OutboxTask.objects.filter(pk=task_id, done_at__isnull=True).update(last_error=f"task: {exc!r}"[:2000])
        except Exception:  # noqa: BLE001 - the database itself may be what failed; the task's error is raised below
            logger.warning("outbox task %s: could not record its error", task_id, exc_info=True)
        record_failure = getattr(func, "record_failure", None)
        if record_failure is not None:  # e.g. a channel send records the error on its channel (issue 18)
            try:
                record_failure(*args, error=exc)
            except Exception:  # noqa: BLE001 - as above: never hide the task's own error
                logger.warning("outbox task %s: its failure hook failed", task_id, exc_info=True)
        raise


def pending(now: datetime.datetime | None = None):
    """Rows :func:`drain` would hand over at ``now`` (oldest first)."""
    now = now or timezone.now()
    grace = datetime.timedelta(seconds=_setting("PESAN_OUTBOX_GRACE_SECONDS", 30))
    stale = datetime.timedelta(seconds=_setting("PESAN_OUTBOX_STALE_SECONDS", 900))
    return (
        OutboxTask.objects.filter(done_at__isnull=True, attempts__lt=_setting("PESAN_OUTBOX_MAX_ATTEMPTS", 10))
        .filter(Q(enqueued_at__isnull=True, created_at__lte=now - grace) | Q(enqueued_at__lte=now - stale))
        .order_by("created_at", "pk")
    )


def drain(limit: int = 500, *, direct: bool = False, now: datetime.datetime | None = None) -> int:
    """Hand over (or, ``direct``, run here) up to ``limit`` pending rows; returns how many were handed over
    or ran. Stops handing over at the first broker refusal (the broker is still down)."""
    done = 0
    for task_id in list(pending(now).values_list("pk", flat=True)[:limit]):
        if direct:
            OutboxTask.objects.filter(pk=task_id).update(attempts=F("attempts") + 1, enqueued_at=timezone.now())
            try:
                run(task_id)
            except Exception:  # noqa: BLE001 - recorded on the row by run(); go on with the next one
                logger.exception("outbox task %s failed", task_id)
                continue
            done += 1
        elif dispatch(task_id):
            done += 1
        else:
            break
    return done
