"""Failed background tasks in the Wagtail admin (menu Settings → "Failed tasks"): e-mail notifications that
could not be sent (SMTP down, address refused), the daily digest, other django-q2 tasks.

django-q2 keeps a failed task in its ``Failure`` table and, with the ORM/Redis broker, re-queues it after
``Q_CLUSTER["retry"]`` seconds until ``Q_CLUSTER["max_attempts"]``; its own Django admin is not part of
Wagtail, so this page shows the most recent failures to the people who must act on them:

- a notification of a ticket (receipt, workflow step, WBS notice) is shown with the ticket's tracking number
  to officers who may see that ticket (``tickets_visible_to``: a WBS failure only to the Inspektorat);
- failures not tied to a ticket (digest, news import) only to superusers.

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
from layanan.core.models.tickets import TimelineEntry

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


def _first_arg(task) -> int | None:
    try:
        value = (task.args or ())[0]
        return int(value)
    except (IndexError, TypeError, ValueError):
        return None


def _error_line(result) -> str:
    """``"message : Traceback …"`` (django-q2's failure result) → the exception line, e.g.
    ``smtplib.SMTPServerDisconnected: Connection unexpectedly closed``."""
    head, _sep, trace = str(result or "").partition(" : Traceback")
    lines = [line.strip() for line in trace.splitlines() if line.strip()]
    return lines[-1] if lines else head.strip()


def failed_tasks_for(user, limit: int = LIMIT) -> list[FailedTask]:
    """The recent failed tasks ``user`` may see (newest first), with the ticket each one concerns."""
    from django_q.conf import Conf
    from django_q.models import Failure

    failures = list(Failure.objects.order_by("-stopped")[:limit])
    ticket_ids: dict[str, int | None] = {}
    entry_ids = {f.id: _first_arg(f) for f in failures if f.func in ENTRY_ARG_TASKS}
    entries = dict(
        TimelineEntry.objects.filter(pk__in=[e for e in entry_ids.values() if e]).values_list("pk", "ticket")
    )
    for failure in failures:
        if failure.func in TICKET_ARG_TASKS:
            ticket_ids[failure.id] = _first_arg(failure)
        elif failure.func in ENTRY_ARG_TASKS:
            ticket_ids[failure.id] = entries.get(entry_ids.get(failure.id))
    visible = tickets_visible_to(user).filter(pk__in=[t for t in ticket_ids.values() if t]).in_bulk()
    rows = []
    for failure in failures:
        ticket = visible.get(ticket_ids.get(failure.id))
        if ticket is None and not (user.is_superuser and ticket_ids.get(failure.id) is None):
            continue  # a ticket this user may not see, or a system task (superusers only)
        error = _error_line(failure.result)
        rows.append(
            FailedTask(
                id=failure.id,
                label=str(TASK_LABELS.get(failure.func, failure.func)),
                func=failure.func,
                stopped=failure.stopped,
                attempts=failure.attempt_count,
                retrying=not Conf.MAX_ATTEMPTS or failure.attempt_count < Conf.MAX_ATTEMPTS,
                error=error[:300],
                ticket=ticket,
            )
        )
    return rows


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
