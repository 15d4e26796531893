"""Tracking numbers: ``<PREFIX>-<year>-<6 digits>``, e.g. ``PPID-2026-000123``, ``KEB-2026-000007``.

The year is the year of receipt in WIB. One ``TrackingCounter`` row per (prefix, year) is incremented by a
single ``UPDATE … SET last_value = last_value + 1 … RETURNING last_value`` (PostgreSQL, SQLite ≥ 3.35): the
row lock it takes is held until the caller's transaction commits, so concurrent submissions on PostgreSQL
never get the same number, and a rolled-back submission rolls the counter back with it. One round trip and no
savepoint per number (the earlier ``SELECT … FOR UPDATE`` + ``UPDATE`` inside a savepoint took four); see
docs/performance.md. Numbers are unique, not necessarily gap-free on databases that do not roll back the
counter with the submission.

Documents a step issues (written notice, refusal decision, objection answer: ``layanan.core.documents``) are
numbered by the same rule, one sequence per document prefix and WIB year of issue, on counter rows keyed
``doc:<prefix>`` (never a service prefix, which is capitals only): :func:`next_document_number`, formatted by
``PESAN_DOCUMENT_NUMBER_FORMAT`` (default ``0001/PPID-PT/2026``).
"""

from __future__ import annotations

import re
from datetime import datetime

from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone

from layanan.core import registry
from layanan.core.conf import document_number_format
from layanan.core.models.tickets import TrackingCounter
from pesan_cms import timezones


def prefixes() -> dict[str, str]:
    """``{service: tracking-number prefix}`` of every registered service (``ServiceDefinition.prefix``)."""
    return {s.code: s.prefix for s in registry.all_services()}


TRACKING_NUMBER_RE = re.compile(r"^[A-Z]{2,10}-\d{4}-\d{6,}$")

__all__ = [
    "prefixes",
    "TRACKING_NUMBER_RE",
    "format_document_number",
    "format_tracking_number",
    "next_document_number",
    "next_tracking_number",
    "normalise",
]


def format_tracking_number(prefix: str, year: int, value: int) -> str:
    """``("PPID", 2026, 123)`` -> ``"PPID-2026-000123"`` (at least 6 digits)."""
    return f"{prefix}-{year}-{value:06d}"


def normalise(value: str) -> str:
    """Tracking number as typed -> canonical form (trimmed, upper case)."""
    return (value or "").strip().upper()


def _increment(using: str, prefix: str, year: int) -> int | None:
    """Add one to the counter of (prefix, year) and return the new value; None when the row does not exist."""
    connection = connections[using]
    qn = connection.ops.quote_name
    table, v, p, y = (qn(name) for name in (TrackingCounter._meta.db_table, "last_value", "prefix", "year"))
    # Only quoted identifiers are interpolated; the values are parameters.
    sql = f"UPDATE {table} SET {v} = {v} + 1 WHERE {p} = %s AND {y} = %s RETURNING {v}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [prefix, year])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def next_tracking_number(service: str, received_at: datetime | None = None) -> str:
    """Allocate the next tracking number of ``service`` for the WIB year of ``received_at`` (default now).

    Runs in (or joins, without a savepoint) a transaction; the counter row stays locked until it commits.
    The first number of a (prefix, year) creates the counter row. Raises ``KeyError`` for a service without
    a prefix.
    """
    prefix = registry.get(service).prefix
    year = _wib_year(received_at)
    return format_tracking_number(prefix, year, _next_value(prefix, year))


def _wib_year(moment: datetime | None) -> int:
    from zoneinfo import ZoneInfo

    return timezone.localtime(moment or timezone.now(), ZoneInfo(timezones.zone_name())).year


def _next_value(key: str, year: int) -> int:
    """The next value of counter ``(key, year)`` (created at 1), locked until the caller's transaction ends."""
    using = router.db_for_write(TrackingCounter)
    with transaction.atomic(using=using, savepoint=False):
        value = _increment(using, key, year)
        if value is None:
            try:
                with transaction.atomic(using=using):
                    TrackingCounter.objects.using(using).create(prefix=key, year=year, last_value=1)
                value = 1
            except IntegrityError:
                # Another transaction created the row first: increment it (waits for that transaction's lock).
                value = _increment(using, key, year)
        return value


def format_document_number(prefix: str, year: int, value: int) -> str:
    """``("PPID-PT", 2026, 7)`` -> ``"0007/PPID-PT/2026"`` with the default ``PESAN_DOCUMENT_NUMBER_FORMAT``
    (``{number}``, ``{prefix}`` and ``{year}`` are filled in; format specs such as ``{number:04d}`` apply)."""
    return document_number_format().format(number=value, prefix=prefix, year=year)


def next_document_number(prefix: str, issued_at: datetime | None = None) -> str:
    """Allocate the next number of the document kind with ``prefix`` for the WIB year of ``issued_at`` (default
    now): one sequence per (prefix, year), starting at 1, never reused (the counter row ``doc:<prefix>`` stays
    locked until the issuing step commits; a rolled-back step gives its number back)."""
    year = _wib_year(issued_at)
    return format_document_number(prefix, year, _next_value(f"doc:{prefix}"[:16], year))
