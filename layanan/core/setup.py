"""Things that must exist after ``migrate`` (role groups, the digest schedule) and signal receivers.

Connected in ``LayananConfig.ready()``; every handler is idempotent.
"""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone
from django_q.models import Schedule

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
MAILBOX_SCHEDULE_NAME = "layanan: baca kotak surat e-mail (kanal e-mail)"
MAILBOX_FUNC = "layanan.channels.email_in.poll_mailbox"  # by name: core does not import channels
HOLIDAYS_SCHEDULE_NAME = "layanan: hari libur tahun depan (kalender kerja)"
HOLIDAYS_FUNC = "layanan.calendar.sync.sync_coming_year"


def ensure_schedule(name: str, func: str, *, daily_at: int | None = None, every_minutes: int | None = None) -> None:
    """Create the django-q2 ``Schedule`` ``name`` running ``func`` once (by name; an existing row is left as an
    administrator edited it): daily at ``daily_at`` o'clock (WIB) or every ``every_minutes`` minutes."""
    if Schedule.objects.filter(name=name).exists():
        return
    if every_minutes is not None:
        Schedule.objects.create(name=name, func=func, schedule_type=Schedule.MINUTES, minutes=every_minutes, repeats=-1)
        return
    now = timezone.localtime()
    first = now.replace(hour=daily_at or 0, minute=0, second=0, microsecond=0)
    if first <= now:
        first += datetime.timedelta(days=1)
    Schedule.objects.create(name=name, func=func, schedule_type=Schedule.DAILY, next_run=first, repeats=-1)


def ensure_digest_schedule() -> None:
    """The daily overdue/due-soon digest, at ``desk_conf.digest_hour()`` WIB."""
    ensure_schedule(DIGEST_SCHEDULE_NAME, DIGEST_FUNC, daily_at=desk_conf.digest_hour())


def setup_desk_after_migrate(sender=None, using="default", verbosity=1, **kwargs) -> None:
    """``post_migrate`` handler: permissions of this app, role groups, digest, outbox, retention, mailbox and
    coming-year holiday schedules (idempotent)."""
    from django.contrib.auth.management import create_permissions

    # The layanan app comes before django.contrib.auth in INSTALLED_APPS: make sure our permissions exist.
    create_permissions(sender, verbosity=0, using=using)
    ensure_role_groups()
    ensure_digest_schedule()
    ensure_schedule(OUTBOX_SCHEDULE_NAME, OUTBOX_FUNC, every_minutes=1)  # hands waiting notices to the queue
    ensure_schedule(RETENTION_SCHEDULE_NAME, RETENTION_FUNC, daily_at=2)  # retention at 02:00 WIB
    ensure_schedule(MAILBOX_SCHEDULE_NAME, MAILBOX_FUNC, every_minutes=2)  # does nothing while the channel is off
    ensure_schedule(HOLIDAYS_SCHEDULE_NAME, HOLIDAYS_FUNC, daily_at=1)  # next year's holidays once they are missing
    ensure_rules()


def recompute_on_holidays_changed(sender=None, years=None, **kwargs) -> None:
    """``holidays_changed`` receiver: re-derive the due dates of open tickets for the ``years`` touched."""
    moved = recompute_open_tickets(years)
    logger.info("holidays_changed(years=%s): %s due dates moved", sorted(years or ()), moved)
