"""Things that must exist after ``migrate`` (role groups, the digest schedule) and signal receivers.

Connected in ``LayananConfig.ready()``; every handler is idempotent.
"""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone

from layanan.core import conf as desk_conf
from layanan.core.access import ensure_role_groups
from layanan.core.retention import ensure_rules
from layanan.core.workflow import recompute_open_tickets

logger = logging.getLogger(__name__)

DIGEST_SCHEDULE_NAME = "layanan: rekap harian tiket lewat/dekat batas waktu"
DIGEST_FUNC = "layanan.tasks.send_daily_digest"
RETENTION_SCHEDULE_NAME = "layanan: retensi data (pemberitahuan dan penghapusan data pribadi)"
RETENTION_FUNC = "layanan.core.retention.run"
OUTBOX_SCHEDULE_NAME = "layanan: kirim ulang pemberitahuan yang tertunda (outbox)"
OUTBOX_FUNC = "layanan.core.outbox.drain"


def ensure_digest_schedule() -> None:
    """Create the django-q2 daily digest ``Schedule`` once (by name); an existing row is left as edited."""
    from django_q.models import Schedule

    if Schedule.objects.filter(name=DIGEST_SCHEDULE_NAME).exists():
        return
    now = timezone.localtime()
    first = now.replace(hour=desk_conf.digest_hour(), minute=0, second=0, microsecond=0)
    if first <= now:
        first += datetime.timedelta(days=1)
    Schedule.objects.create(
        name=DIGEST_SCHEDULE_NAME,
        func=DIGEST_FUNC,
        schedule_type=Schedule.DAILY,
        next_run=first,
        repeats=-1,
    )


def ensure_outbox_schedule() -> None:
    """Create the django-q2 ``Schedule`` that hands pending outbox tasks to the queue every minute
    (``layanan.core.outbox.drain``), once (by name); an existing row is left as edited."""
    from django_q.models import Schedule

    if Schedule.objects.filter(name=OUTBOX_SCHEDULE_NAME).exists():
        return
    Schedule.objects.create(
        name=OUTBOX_SCHEDULE_NAME, func=OUTBOX_FUNC, schedule_type=Schedule.MINUTES, minutes=1, repeats=-1
    )


def ensure_retention_schedule() -> None:
    """Create the daily django-q2 ``Schedule`` of ``layanan.core.retention.run`` (02:00 WIB) once, by name."""
    from django_q.models import Schedule

    if Schedule.objects.filter(name=RETENTION_SCHEDULE_NAME).exists():
        return
    now = timezone.localtime()
    first = now.replace(hour=2, minute=0, second=0, microsecond=0)
    if first <= now:
        first += datetime.timedelta(days=1)
    Schedule.objects.create(
        name=RETENTION_SCHEDULE_NAME, func=RETENTION_FUNC, schedule_type=Schedule.DAILY, next_run=first, repeats=-1
    )


def setup_desk_after_migrate(sender=None, using="default", verbosity=1, **kwargs) -> None:
    """``post_migrate`` handler: permissions of this app, role groups, digest and outbox schedules
    (idempotent)."""
    from django.contrib.auth.management import create_permissions

    # The layanan app comes before django.contrib.auth in INSTALLED_APPS: make sure our permissions exist.
    create_permissions(sender, verbosity=0, using=using)
    ensure_role_groups()
    ensure_digest_schedule()
    ensure_outbox_schedule()
    ensure_retention_schedule()
    ensure_rules()


def recompute_on_holidays_changed(sender=None, years=None, **kwargs) -> None:
    """``holidays_changed`` receiver: re-derive the due dates of open tickets for the ``years`` touched."""
    moved = recompute_open_tickets(years)
    logger.info("holidays_changed(years=%s): %s due dates moved", sorted(years or ()), moved)
