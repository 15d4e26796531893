"""Public statistics of a year (``GET /api/v2/statistics/?year=YYYY``): the tickets received per service, and
each service's own public block (the public PPID figures, the SP4N-LAPOR totals, the WBS yearly totals by
violation type), with no personal data, cached.

- :func:`public_statistics` computes the figures (all tickets; nothing that names a person, no NIK, no contact
  data, no free text). The services and their blocks come from the service registry
  (``ServiceDefinition.public_statistics``); a service that registers no block still appears in ``services``.
  WBS only as yearly totals by type with small-count suppression (counts below ``PESAN_WBS_SUPPRESS_BELOW``,
  default 5, are ``null`` with ``"suppressed": true``); so is the received count of every restricted service.
- :func:`cached_public_statistics` serves them from the Django cache under a *version key*. A transaction that
  saves or deletes service-desk rows (tickets, their details, disputes; not the export log, timeline, files)
  bumps the version ONCE, when it commits (one ``on_commit`` hook per transaction, however many rows it
  writes; at once in autocommit), so the next request after the commit recomputes — a submission costs one
  cache write, not one per saved row (issue 9). Until it commits, that transaction reads the statistics under
  a private key of its own (a fresh token per change; nothing another request can see), so it sees its own
  changes and other requests keep the committed figures; a rollback leaves the version alone. Entries also
  expire after ``PESAN_STATISTICS_CACHE_SECONDS`` (default 3600), because "overdue" moves with the date.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

from layanan.core import registry
from layanan.core.deadlines import today_wib
from layanan.core.models.tickets import Ticket
from layanan.core.reporting import Period, suppress, suppression_threshold
from layanan.reports.satisfaction import public_satisfaction
from pesan_cms import versions

__all__ = [
    "VERSION_KEY",
    "bump_statistics_version",
    "tickets_version",
    "cached_public_statistics",
    "connect_signals",
    "public_statistics",
    "statistics_changed",
]

VERSION_KEY = "layanan:statistics:version"
#: Models whose changes do NOT change any statistic.
IGNORED_MODELS = {"exportlog", "trackingcounter", "timelineentry", "attachment", "message", "outboxtask"}


def cache_seconds() -> int:
    """Lifetime of a cached statistics answer in seconds (``PESAN_STATISTICS_CACHE_SECONDS``, default 3600)."""
    return int(getattr(settings, "PESAN_STATISTICS_CACHE_SECONDS", 3600))


def public_statistics(year: int, *, as_of: datetime.date | None = None) -> dict:
    """The public figures of ``year`` (see the module docstring) as JSON-ready data::

    {"year", "generated_at" (ISO, +07:00), "as_of" (date), "suppress_below" (int),
     "services": [{"code", "label", "received": int | None, "suppressed": bool}, ...],
     "ppid": {...PPIDAnnualReport.as_public_dict()}, "lapor": {...LaporReport.as_public_dict()},
     "wbs": {"threshold", "total", "by_type": [...]}, ...one block per service that registers one,
     "satisfaction": {"respondents", "ikm", "category", "by_service": [...]}}  (PermenPANRB 14/2017)

    ``received``: tickets received in the calendar year (WIB); ``null`` with ``suppressed`` for a restricted
    service (WBS) below the suppression threshold.
    """

    as_of = as_of or today_wib()
    data = {
        "year": year,
        "generated_at": timezone.localtime().isoformat(),
        "as_of": as_of.isoformat(),
        "suppress_below": suppression_threshold(),
        "services": service_totals(year),
    }
    for service in registry.all_services():
        if service.public_statistics is not None:
            data[service.statistics_key or service.code] = service.public_statistics(year, as_of)
    data["satisfaction"] = public_satisfaction(year)
    return data


def service_totals(year: int) -> list[dict]:
    """Tickets received in ``year`` (WIB) per registered service, in registry order (one query):
    ``[{"code", "label", "received", "suppressed"}]``; a restricted service's count below the threshold is
    ``None`` with ``"suppressed": True`` (``layanan.core.reporting.suppress``)."""
    counts = dict(
        Ticket.objects.filter(**Period.year(year).received_filter())
        .order_by()
        .values_list("service")
        .annotate(n=Count("pk"))
    )
    rows = []
    for service in registry.all_services():
        received = counts.get(service.code, 0)
        if service.restricted:
            received = suppress(received)
        rows.append(
            {"code": service.code, "label": str(service.label), "received": received, "suppressed": received is None}
        )
    return rows


def tickets_version() -> str:
    """A string that changes whenever service-desk rows change (committed: the shared version; inside a
    transaction that changed rows: plus its private token). Key part of anything cached from ticket data (the
    statistics here, the desk's year filter in ``layanan.desk.wagtail_hooks.desk_years``). One cache read."""
    return VERSION.current()


def cached_public_statistics(year: int) -> dict:
    """:func:`public_statistics` from the cache (key: version, year, language, today's date)."""
    key = f"layanan:statistics:{tickets_version()}:{year}:{get_language() or 'id'}:{today_wib().isoformat()}"
    data = cache.get(key)
    if data is None:
        data = public_statistics(year)
        cache.set(key, data, cache_seconds())
    return data


def bump_statistics_version(*args, **kwargs) -> None:
    """Invalidate every cached statistics answer (a new version key). One cache write."""
    VERSION.bump()


def _committed() -> None:
    """``on_commit`` hook of a transaction that changed service-desk rows (registered once per transaction)."""
    bump_statistics_version()


#: The statistics version (``pesan_cms.versions``): also read by the public response cache (``home.cache``).
VERSION = versions.CommittedVersion("statistics", VERSION_KEY, hook=_committed)


def _pending_token(using: str | None = None) -> str:
    """The private token of this connection's open transaction if it changed statistics and has not committed
    (its :func:`_committed` hook is registered); otherwise ``""``."""
    return VERSION.pending_token(using)


def statistics_changed(using: str | None = None) -> None:
    """Note a change that can move the public figures: in autocommit, bump the version now; inside a
    transaction, give it a fresh private token and register ONE :func:`_committed` hook (deduplicated: the
    hook is looked up on the connection, so a savepoint rollback that dropped it lets the next change
    register it again)."""
    VERSION.changed(using)


def _on_change(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label != "layanan" or meta.model_name in IGNORED_MODELS:
        return
    statistics_changed(using=kwargs.get("using"))


def connect_signals() -> None:
    """Connect the invalidation to ``post_save``/``post_delete`` of the service-desk models (idempotent)."""
    post_save.connect(_on_change, dispatch_uid="layanan.reports.statistics.save")
    post_delete.connect(_on_change, dispatch_uid="layanan.reports.statistics.delete")
