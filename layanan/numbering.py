"""Tracking numbers: ``<PREFIX>-<year>-<6 digits>``, e.g. ``PPID-2026-000123``, ``KEB-2026-000007``.

The year is the year of receipt in WIB. One ``TrackingCounter`` row per (prefix, year) is incremented under
``SELECT … FOR UPDATE``, so concurrent submissions on PostgreSQL never get the same number; the counter row
stays locked until the caller's transaction commits. Numbers are unique, not necessarily gap-free (a rolled
back submission may leave a gap on databases that do not roll back the counter with it).
"""

from __future__ import annotations

import re
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from .conf import calendar_timezone

#: Prefix per service. WBS and social-media tickets get theirs here too.
PREFIXES: dict[str, str] = {
    "ppid_request": "PPID",
    "objection": "KEB",
    "lapor": "LAPOR",
    "wbs": "WBS",
    "social": "SOSMED",
}

TRACKING_NUMBER_RE = re.compile(r"^[A-Z]{2,10}-\d{4}-\d{6,}$")

__all__ = ["PREFIXES", "TRACKING_NUMBER_RE", "format_tracking_number", "next_tracking_number", "normalise"]


def format_tracking_number(prefix: str, year: int, value: int) -> str:
    """``("PPID", 2026, 123)`` -> ``"PPID-2026-000123"`` (at least 6 digits)."""
    return f"{prefix}-{year}-{value:06d}"


def normalise(value: str) -> str:
    """Tracking number as typed -> canonical form (trimmed, upper case)."""
    return (value or "").strip().upper()


def next_tracking_number(service: str, received_at: datetime | None = None) -> str:
    """Allocate the next tracking number of ``service`` for the WIB year of ``received_at`` (default now).

    Runs in (or joins) a transaction; raises ``KeyError`` for a service without a prefix.
    """
    from zoneinfo import ZoneInfo

    from .models import TrackingCounter

    prefix = PREFIXES[service]
    year = timezone.localtime(received_at or timezone.now(), ZoneInfo(calendar_timezone())).year
    with transaction.atomic():
        counter = TrackingCounter.objects.select_for_update().filter(prefix=prefix, year=year).first()
        if counter is None:
            try:
                with transaction.atomic():
                    counter = TrackingCounter.objects.create(prefix=prefix, year=year, last_value=0)
            except IntegrityError:
                # Another transaction created the row first; wait for its lock.
                counter = TrackingCounter.objects.select_for_update().get(prefix=prefix, year=year)
        counter.last_value += 1
        counter.save(update_fields=["last_value"])
        return format_tracking_number(prefix, year, counter.last_value)
