"""Figures of the operator dashboard panel and its charts, always within ``tickets_visible_to(user)``.

- :func:`desk_counters`: per service the user handles — open (deadline clock running), overdue (clock running,
  due date before today), due soon (clock running, due today or within ``PESAN_DUE_SOON_WD`` working days,
  default 3) and received this month (WIB). One query, reading only open tickets and the month's.
- :func:`chart_data`: for a year, tickets received per month by service, PPID outcomes, and the distribution
  of PPID response times in working days (day 0 → decision; buckets from the legal limits: half the 10-WD
  limit, the limit, the limit plus the 7-WD extension, beyond). Three queries plus one calendar.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import formats
from django.utils.translation import get_language, gettext

from layanan.calendar import workdays
from layanan.calendar.conf import get_deadline_rule
from layanan.calendar.workdays import WorkCalendar, add_working_days
from layanan.core import conf as desk_conf
from layanan.core import registry
from layanan.core.access import desk_scope, tickets_visible_to
from layanan.core.deadlines import today_wib
from layanan.core.reporting import Period, _tz
from layanan.core.workflow import open_statuses_q
from layanan.ppid.models import PPIDRequestDetails
from layanan.ppid.reports import _durations
from layanan.reports.statistics import cache_seconds, tickets_version
from pesan_cms.exceptions import CACHE_ERRORS

__all__ = ["ServiceCounters", "cached_chart_data", "chart_data", "desk_counters", "response_time_buckets"]

logger = logging.getLogger(__name__)


@dataclass
class ServiceCounters:
    """Counters of one service (``service`` code and label), or of all (``service`` = ``"all"``)."""

    service: str
    label: str
    open: int = 0
    overdue: int = 0
    due_soon: int = 0
    received_this_month: int = 0


@dataclass
class DeskCounters:
    total: ServiceCounters
    by_service: list[ServiceCounters] = field(default_factory=list)
    today: datetime.date | None = None
    due_soon_days: int = 3


def desk_counters(user, today: datetime.date | None = None) -> DeskCounters:
    """The dashboard counters of ``user``'s scope as of ``today`` (WIB date, default today)."""

    today = today or today_wib()
    days = desk_conf.due_soon_working_days()
    horizon = add_working_days(today, days).due_date
    month = Period.month(today.year, today.month)
    running = open_statuses_q()
    received = Q(**month.received_filter())
    # Only rows some counter counts are read (issue 20): the open tickets and the month's — through the
    # (service, status, due_date) and (service, -received_at) indexes — not the whole archive.
    services = [s.code for s in registry.all_services()]
    rows = (
        tickets_visible_to(user)
        .filter(running | Q(received, service__in=services))
        .order_by()
        .values("service")
        .annotate(
            open=Count("pk", filter=running),
            overdue=Count("pk", filter=running & Q(due_date__lt=today)),
            due_soon=Count("pk", filter=running & Q(due_date__gte=today, due_date__lte=horizon)),
            received_this_month=Count("pk", filter=received),
        )
    )
    by_service = {row["service"]: row for row in rows}
    total = ServiceCounters("all", gettext("All my tickets"))
    result = DeskCounters(total=total, today=today, due_soon_days=days)
    for code, label in ((s.code, s.label) for s in registry.all_services()):
        row = by_service.get(code)
        if row is None:
            continue
        counters = ServiceCounters(
            code, str(label), row["open"], row["overdue"], row["due_soon"], row["received_this_month"]
        )
        result.by_service.append(counters)
        for name in ("open", "overdue", "due_soon", "received_this_month"):
            setattr(total, name, getattr(total, name) + getattr(counters, name))
    return result


def response_time_buckets() -> list[tuple[int, int | None, str]]:
    """``[(low, high or None, label)]`` working-day buckets built from the PPID answer and extension rules."""
    limit = get_deadline_rule("ppid", "answer").days
    extended = limit + get_deadline_rule("ppid", "extension").days
    half = max(1, limit // 2)
    return [
        (0, half, gettext("%(low)s–%(high)s WD") % {"low": 0, "high": half}),
        (half + 1, limit, gettext("%(low)s–%(high)s WD") % {"low": half + 1, "high": limit}),
        (limit + 1, extended, gettext("%(low)s–%(high)s WD (extended)") % {"low": limit + 1, "high": extended}),
        (extended + 1, None, gettext("more than %(days)s WD") % {"days": extended}),
    ]


def chart_data(user, year: int) -> dict:
    """Chart.js-ready data for ``year`` within ``user``'s scope::

        {"per_month": {"labels": [12 month names], "datasets": [{"label", "service", "data": [12 ints]}]},
         "outcomes": {"labels": [...], "codes": [...], "data": [...], "rows": [[label, n], ...]},
         "response_times": {"labels": [...], "data": [...], "rows": [[label, n], ...]}}

    Every series also feeds the table fallback of the chart (screen readers, printing).
    """

    period = Period.year(year)
    visible = tickets_visible_to(user).filter(**period.received_filter())
    months = [formats.date_format(datetime.date(year, m, 1), "M") for m in range(1, 13)]
    counts: dict[str, list[int]] = {}
    for service, month, n in (
        visible.order_by()
        .annotate(month=TruncMonth("received_at", tzinfo=_tz()))
        .values_list("service", "month")
        .annotate(n=Count("pk"))
    ):
        counts.setdefault(service, [0] * 12)[month.month - 1] += n
    datasets = [
        {"label": str(label), "service": code, "data": counts[code]}
        for code, label in ((s.code, s.label) for s in registry.all_services())
        if code in counts
    ]

    ppid = visible.filter(service="ppid_request")
    outcome_counts = dict(ppid.order_by().values_list("ppid__outcome").annotate(n=Count("pk")))
    outcome_choices = [*PPIDRequestDetails.Outcome.choices, ("", gettext("No decision yet"))]
    outcomes = {
        "labels": [str(label) for _code, label in outcome_choices],
        "codes": [code or "none" for code, _label in outcome_choices],
        "data": [outcome_counts.get(code, 0) for code, _label in outcome_choices],
    }

    rows = list(
        ppid.filter(ppid__decided_at__isnull=False).values_list("counting_from", "ppid__decided_at", "ppid__outcome")
    )
    durations = [d for _o, d in _durations(rows, WorkCalendar.load())] if rows else []
    buckets = response_time_buckets()
    response_times = {
        "labels": [label for _lo, _hi, label in buckets],
        "data": [sum(1 for d in durations if lo <= d and (hi is None or d <= hi)) for lo, hi, _label in buckets],
    }
    outcomes["rows"] = list(zip(outcomes["labels"], outcomes["data"], strict=True))
    response_times["rows"] = list(zip(response_times["labels"], response_times["data"], strict=True))
    return {
        "year": year,
        "per_month": {"labels": months, "datasets": datasets},
        "outcomes": outcomes,
        "response_times": response_times,
    }


def cached_chart_data(user, year: int) -> dict:
    """:func:`chart_data` of ``user`` for ``year``, from the cache when nothing it counts has changed.

    Key: the officer's :func:`layanan.core.access.desk_scope` (so officers of the same scope share an entry, and a
    changed scope — another unit, a role taken away — never reads the old one), the ticket version
    (:func:`layanan.reports.statistics.tickets_version`, bumped when any service-desk row changes, as the public
    statistics use it), the working-calendar version (the response times are working days), the deadline rules
    (the buckets), the year and the language. Lifetime ``PESAN_STATISTICS_CACHE_SECONDS`` (default 3600).

    Computed here and never kept: a scope that includes a restricted service (WBS: not even monthly counts of
    reports leave the database, ``docs/wbs-privacy.md``), an empty scope, or a cache that cannot answer."""
    scope = desk_scope(user)
    if scope.empty or scope.includes_restricted():
        return chart_data(user, year)
    try:
        parts = [
            repr(scope),
            tickets_version(),
            workdays.VERSION.current(),
            repr(response_time_buckets()),
            str(year),
            get_language() or "id",
        ]
        key = "layanan:dashboard-charts:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
        data = cache.get(key)
    except CACHE_ERRORS:
        logger.warning("dashboard charts: cache unavailable, computed uncached", exc_info=True)
        return chart_data(user, year)
    if data is None:
        data = chart_data(user, year)
        try:
            cache.set(key, data, cache_seconds())
        except CACHE_ERRORS:
            logger.warning("dashboard charts: not stored, cache unavailable", exc_info=True)
    return data
