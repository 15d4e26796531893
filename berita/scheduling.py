"""django-q2 schedules for import sources: one ``Schedule`` per enabled source, kept in step idempotently.

``sync_schedule(source)`` creates or updates the schedule named ``berita-import-<pk>`` (calling
``berita.tasks.import_source(<pk>)``) when the source is enabled, and deletes it when it is disabled;
``remove_schedule(source)`` deletes it. Cron expressions are evaluated in the project time zone (WIB).
"""

from django.utils import timezone
from django_q.models import Schedule

TASK = "berita.tasks.import_source"


def schedule_name(source) -> str:
    return f"berita-import-{source.pk}"


def _next_cron_run(expression: str):
    from croniter import croniter  # noqa: PLC0415

    return croniter(expression, timezone.localtime()).get_next(type(timezone.localtime()))


def sync_schedule(source) -> Schedule | None:
    """Create/update (enabled) or delete (disabled) the source's schedule; returns it or ``None``.

    Saving twice leaves exactly one schedule; an unchanged source leaves the schedule (and its next run) alone.
    """
    name = schedule_name(source)
    if not source.enabled:
        Schedule.objects.filter(name=name).delete()
        return None
    if source.schedule_cron:
        wanted = {"schedule_type": Schedule.CRON, "cron": source.schedule_cron, "minutes": None}
    else:
        wanted = {"schedule_type": Schedule.MINUTES, "minutes": max(1, source.schedule_minutes or 60), "cron": None}
    wanted.update(func=TASK, args=f"{source.pk},", repeats=-1)
    schedules = list(Schedule.objects.filter(name=name).order_by("pk"))
    for extra in schedules[1:]:
        extra.delete()
    schedule = schedules[0] if schedules else None
    if schedule is None:
        schedule = Schedule(name=name, **wanted)
        schedule.next_run = _next_cron_run(source.schedule_cron) if source.schedule_cron else timezone.now()
        schedule.save()
        return schedule
    changed = {k: v for k, v in wanted.items() if getattr(schedule, k) != v}
    if changed:
        for key, value in changed.items():
            setattr(schedule, key, value)
        if {"schedule_type", "cron", "minutes"} & set(changed):
            schedule.next_run = _next_cron_run(source.schedule_cron) if source.schedule_cron else timezone.now()
        schedule.save()
    return schedule


def remove_schedule(source) -> None:
    """Delete the source's schedule (if any)."""
    Schedule.objects.filter(name=schedule_name(source)).delete()


def sync_all_schedules() -> None:
    """Bring every source's schedule in step (run after ``migrate``); removes schedules of deleted sources."""
    from berita.models import ImportSource  # noqa: PLC0415

    for source in ImportSource.objects.all():
        sync_schedule(source)
    known = {schedule_name(s) for s in ImportSource.objects.filter(enabled=True)}
    Schedule.objects.filter(func=TASK).exclude(name__in=known).delete()
