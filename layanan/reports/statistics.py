"""Public statistics of a year (``GET /api/v2/statistics/?year=YYYY``): the public PPID figures, the SP4N-LAPOR
totals and the WBS yearly totals by violation type, with no personal data, cached.

- :func:`public_statistics` computes the figures (all tickets; nothing that names a person, no NIK, no contact
  data, no free text). WBS only as yearly totals by type with small-count suppression (counts below
  ``PESAN_WBS_SUPPRESS_BELOW``, default 5, are ``null`` with ``"suppressed": true``).
- :func:`cached_public_statistics` serves them from the Django cache under a *version key*; every save or
  delete of a service-desk row (tickets, their details, disputes; not the export log) bumps the version — at
  once and again on commit — so the next request recomputes. Entries also expire after
  ``PESAN_STATISTICS_CACHE_SECONDS`` (default 3600), because "overdue" moves with the date.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from ..deadlines import today_wib

__all__ = [
    "VERSION_KEY",
    "bump_statistics_version",
    "cached_public_statistics",
    "connect_signals",
    "public_statistics",
]

VERSION_KEY = "layanan:statistics:version"
#: Models whose changes do NOT change any statistic.
IGNORED_MODELS = {"exportlog", "trackingcounter", "timelineentry", "attachment", "unitmembership"}


def cache_seconds() -> int:
    """Lifetime of a cached statistics answer in seconds (``PESAN_STATISTICS_CACHE_SECONDS``, default 3600)."""
    return int(getattr(settings, "PESAN_STATISTICS_CACHE_SECONDS", 3600))


def public_statistics(year: int, *, as_of: datetime.date | None = None) -> dict:
    """The public figures of ``year`` (see the module docstring) as JSON-ready data::

    {"year", "generated_at" (ISO, +07:00), "as_of" (date), "ppid": {...PPIDAnnualReport.as_public_dict()},
     "lapor": {...LaporReport.as_public_dict()}, "wbs": {"threshold", "total", "by_type": [...]}}
    """
    from .lapor import lapor_report
    from .ppid import ppid_annual_report
    from .wbs import wbs_public_totals

    as_of = as_of or today_wib()
    return {
        "year": year,
        "generated_at": timezone.localtime().isoformat(),
        "as_of": as_of.isoformat(),
        "ppid": ppid_annual_report(year, None, as_of=as_of).as_public_dict(),
        "lapor": lapor_report(year, None, None, as_of=as_of).as_public_dict(),
        "wbs": wbs_public_totals(year),
    }


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def cached_public_statistics(year: int) -> dict:
    """:func:`public_statistics` from the cache (key: version, year, language, today's date)."""
    key = f"layanan:statistics:{_version()}:{year}:{get_language() or 'id'}:{today_wib().isoformat()}"
    data = cache.get(key)
    if data is None:
        data = public_statistics(year)
        cache.set(key, data, cache_seconds())
    return data


def bump_statistics_version(*args, **kwargs) -> None:
    """Invalidate every cached statistics answer (a new version key)."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _on_change(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label != "layanan" or meta.model_name in IGNORED_MODELS:
        return
    bump_statistics_version()
    # A concurrent request may have cached the old figures before our transaction committed.
    transaction.on_commit(bump_statistics_version, using=kwargs.get("using"))


def connect_signals() -> None:
    """Connect the invalidation to ``post_save``/``post_delete`` of the service-desk models (idempotent)."""
    from django.db.models.signals import post_delete, post_save

    post_save.connect(_on_change, dispatch_uid="layanan.reports.statistics.save")
    post_delete.connect(_on_change, dispatch_uid="layanan.reports.statistics.delete")
