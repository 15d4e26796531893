"""``manage.py send_outbox``: run the pending outbox tasks now, in this process (no queue needed).

For an operator after a queue outage, or a cron job on an install without a django-q2 cluster. The cluster's
own schedule (every minute) hands them to the queue instead. See ``layanan.core.outbox``.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from layanan.core.outbox import drain, pending


class Command(BaseCommand):
    help = "Jalankan sekarang pemberitahuan yang tertunda di outbox (tanpa antrean)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="Paling banyak sekian tugas (bawaan 500).")
        parser.add_argument(
            "--all", action="store_true", help="Juga tugas yang baru saja dibuat (tanpa menunggu masa tenggang)."
        )

    def handle(self, *args, limit: int, all: bool, **options):
        now = timezone.now() + datetime.timedelta(days=1) if all else None
        before = pending(now).count()
        done = drain(limit, direct=True, now=now)
        self.stdout.write(f"Outbox: {done} dari {before} tugas tertunda dijalankan.")
