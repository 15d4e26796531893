"""Failed background tasks in the Wagtail admin (menu Settings → "Failed tasks"): e-mail notifications that
could not be sent (SMTP down, address refused), the daily digest, other django-q2 tasks.

django-q2 keeps a failed task in its ``Failure`` table and, with the ORM/Redis broker, re-queues it after
``Q_CLUSTER["retry"]`` seconds until ``Q_CLUSTER["max_attempts"]``; its own Django admin is not part of
Wagtail, so this page shows the most recent failures to the people who must act on them:

- a notification of a ticket (receipt, workflow step, WBS notice) is shown with the ticket's tracking number
  to officers who may see that ticket (``tickets_visible_to``: a WBS failure only to the Inspektorat);
- failures not tied to a ticket (digest, news import) only to superusers;
- notices waiting in the outbox because the queue refused them (``layanan.core.outbox``: Redis down), with
  the queue's error, until they are handed over — a notice is never dropped silently.

A notice runs as the outbox task ``layanan.core.outbox.run(<outbox id>)``; its row names the real task
(``layanan.tasks.notify_received``, …) and arguments, which is what this page reads.

Access: superusers and officers holding a service-wide desk permission (``ServiceDefinition.permissions``);
403 otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from layanan.core.access import has_desk_perm, service_permissions, tickets_visible_to
from layanan.core.links import inspect_url
from layanan.core.models.outbox import OutboxTask
from layanan.core.models.tickets import TimelineEntry
from layanan.core.outbox import RUN_TASK

__all__ = ["FailedTask", "failed_tasks_for", "may_view_task_failures", "task_failures_view"]

#: How many recent failures are read (newest first).
LIMIT = 100

#: Task functions whose first argument is a ticket id / a timeline entry id.
TICKET_ARG_TASKS = {"layanan.tasks.notify_received", "layanan.tasks.notify_wbs_reporter"}
ENTRY_ARG_TASKS = {"layanan.tasks.notify_step"}

TASK_LABELS = {
    "layanan.tasks.notify_received": _("Receipt e-mail"),
    "layanan.tasks.notify_step": _("Step notification e-mail"),
    "layanan.tasks.notify_wbs_reporter": _("WBS reporter notice"),
    "layanan.tasks.send_daily_digest": _("Daily digest"),
}


@dataclass
class FailedTask:
    """One failed task as shown: ``ticket`` (or None), ``attempts``, ``retrying`` (django-q2 will try again)."""

    id: str
    label: str
    func: str
    stopped: datetime
    attempts: int
    retrying: bool
    error: str
    ticket: object | None = None


def may_view_task_failures(user) -> bool:
    """Superusers and officers with a service-wide desk permission."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    codenames = {c for codes in service_permissions().values() for c in codes}
    return any(has_desk_perm(user, c) for c in codenames)


def _first_arg(args) -> int | None:
    try:
        return int((args or ())[0])
    except (IndexError, TypeError, ValueError):
        return None


@dataclass
class _Row:
    """A failure or a waiting outbox row, reduced to what the page needs."""

    id: str
    func: str
    args: tuple
    stopped: datetime
    attempts: int
    retrying: bool
    error: str


def _rows(limit: int) -> list[_Row]:
    """Recent django-q2 failures (an outbox run shown as the task it ran) and the outbox rows the queue
    refused, newest first."""
    from django_q.conf import Conf
    from django_q.models import Failure

    failures = list(Failure.objects.order_by("-stopped")[:limit])
    outbox_ids = [_first_arg(f.args) for f in failures if f.func == RUN_TASK]
    outbox = OutboxTask.objects.in_bulk([pk for pk in outbox_ids if pk])
    rows = []
    for failure in failures:
        func, args = failure.func, tuple(failure.args or ())
        if func == RUN_TASK:
            task = outbox.get(_first_arg(args))
            if task is None or task.done_at is not None:
                continue  # sent since (a later retry or drain succeeded)
            func, args = task.func, tuple(task.args)
        rows.append(
            _Row(
                id=str(failure.id),
                func=func,
                args=args,
                stopped=failure.stopped,
                attempts=failure.attempt_count,
                retrying=not Conf.MAX_ATTEMPTS or failure.attempt_count < Conf.MAX_ATTEMPTS,
                error=_error_line(failure.result),
            )
        )
    waiting = OutboxTask.objects.filter(done_at__isnull=True, last_error__startswith="queue:").order_by("-pk")
    for task in waiting[:limit]:
        rows.append(
            _Row(
                id=f"outbox-{task.pk}",
                func=task.func,
                args=tuple(task.args),
                stopped=task.created_at,
                attempts=task.attempts,
                retrying=True,
                error=task.last_error.removeprefix("queue: "),
            )
        )
    rows.sort(key=lambda row: row.stopped, reverse=True)
    return rows[:limit]


def _error_line(result) -> str:
    """``"message : Traceback …"`` (django-q2's failure result) → the exception line, e.g.
    ``smtplib.SMTPServerDisconnected: Connection unexpectedly closed``."""
    head, _sep, trace = str(result or "").partition(" : Traceback")
    lines = [line.strip() for line in trace.splitlines() if line.strip()]
    return lines[-1] if lines else head.strip()


def failed_tasks_for(user, limit: int = LIMIT) -> list[FailedTask]:
    """The recent failed tasks and the notices waiting for the queue that ``user`` may see (newest first), with
    the ticket each one concerns."""
    rows = _rows(limit)
    ticket_ids: dict[str, int | None] = {}
    entry_ids = {row.id: _first_arg(row.args) for row in rows if row.func in ENTRY_ARG_TASKS}
    entries = dict(
        TimelineEntry.objects.filter(pk__in=[e for e in entry_ids.values() if e]).values_list("pk", "ticket")
    )
    for row in rows:
        if row.func in TICKET_ARG_TASKS:
            ticket_ids[row.id] = _first_arg(row.args)
        elif row.func in ENTRY_ARG_TASKS:
            ticket_ids[row.id] = entries.get(entry_ids.get(row.id))
    visible = tickets_visible_to(user).filter(pk__in=[t for t in ticket_ids.values() if t]).in_bulk()
    shown = []
    for row in rows:
        ticket = visible.get(ticket_ids.get(row.id))
        if ticket is None and not (user.is_superuser and ticket_ids.get(row.id) is None):
            continue  # a ticket this user may not see, or a system task (superusers only)
        shown.append(
            FailedTask(
                id=row.id,
                label=str(TASK_LABELS.get(row.func, row.func)),
                func=row.func,
                stopped=row.stopped,
                attempts=row.attempts,
                retrying=row.retrying,
                error=row.error[:300],
                ticket=ticket,
            )
        )
    return shown


def task_failures_view(request):
    """``/admin/layanan-desk/task-failures/``: the table of recent failed tasks (403 without access)."""
    if not may_view_task_failures(request.user):
        raise PermissionDenied

    rows = failed_tasks_for(request.user)
    for row in rows:
        row.ticket_url = inspect_url(row.ticket) if row.ticket is not None else ""
    return TemplateResponse(request, "layanan/desk/task_failures.html", {"rows": rows})


class TaskFailuresMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view_task_failures(request.user)


@hooks.register("register_admin_urls")
def register_task_failure_urls():
    return [path("layanan-desk/task-failures/", task_failures_view, name="layanan_task_failures")]


@hooks.register("register_settings_menu_item")
def register_task_failures_menu_item():
    return TaskFailuresMenuItem(_("Failed tasks"), reverse("layanan_task_failures"), icon_name="warning", order=900)
