"""Synchronisation of the holiday table from the ``holidays`` package (``manage.py sync_holidays``, and once
after ``migrate`` when the table is empty). Rows edited by hand (``source=manual``) are never touched; a sync
sends :data:`layanan.calendar.workdays.holidays_changed` once, on commit, with the years it covered."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from layanan.calendar import conf
from layanan.calendar.models import Holiday
from layanan.calendar.workdays import collect_holiday_changes, today_local

logger = logging.getLogger(__name__)

__all__ = ["HolidaySyncResult", "default_sync_years", "sync_coming_year", "sync_holidays"]


@dataclass
class HolidaySyncResult:
    """What :func:`sync_holidays` did. Dates are ``datetime.date``."""

    years: tuple[int, ...]
    created: list[datetime.date] = field(default_factory=list)
    updated: list[datetime.date] = field(default_factory=list)
    removed: list[datetime.date] = field(default_factory=list)
    unchanged: int = 0
    manual_kept: list[datetime.date] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people, in the active language."""
        span = f"{self.years[0]}–{self.years[-1]}" if len(self.years) > 1 else str(self.years[0])
        return _(
            "Holidays %(span)s: %(created)d created, %(updated)d updated, %(removed)d removed, "
            "%(unchanged)d unchanged, %(manual)d manual rows kept."
        ) % {
            "span": span,
            "created": len(self.created),
            "updated": len(self.updated),
            "removed": len(self.removed),
            "unchanged": self.unchanged,
            "manual": len(self.manual_kept),
        }


def default_sync_years(today: datetime.date | None = None) -> tuple[int, int, int]:
    """Last, this and next year, by today's date in WIB."""
    year = (today or today_local()).year
    return (year - 1, year, year + 1)


def _package_holidays(years) -> dict[datetime.date, tuple[str, str]]:
    """``{date: (name, kind)}`` from the ``holidays`` package: PUBLIC rows are national, GOVERNMENT rows (only
    cuti bersama in Indonesia) are cuti bersama; a date listed in both is national. Several names on one date
    are joined with "; "."""
    import holidays  # heavy import, only needed here

    def fetch(category):
        return holidays.country_holidays(
            conf.holidays_country(),
            subdiv=conf.holidays_subdivision(),
            years=list(years),
            categories=(category,),
            language="id",
        )

    public, government = fetch(holidays.PUBLIC), fetch(holidays.GOVERNMENT)
    result: dict[datetime.date, tuple[str, str]] = {}
    for day in sorted(set(public) | set(government)):
        names: list[str] = []
        for source in (public, government):
            if day in source:
                names += [n for n in source.get_list(day) if n not in names]
        kind = Holiday.Kind.NATIONAL if day in public else Holiday.Kind.CUTI_BERSAMA
        result[day] = ("; ".join(names), kind)
    return result


def _legal_basis(year: int) -> str:
    import holidays

    return (
        f"SKB Menteri Agama, Menteri Ketenagakerjaan dan MenPANRB tentang Hari Libur Nasional dan Cuti Bersama "
        f"Tahun {year} (disalin dari paket holidays {holidays.__version__}; periksa)"
    )


def sync_holidays(years=None) -> HolidaySyncResult:
    """Fill the holiday table for ``years`` (default :func:`default_sync_years`) from the ``holidays`` package.

    In one transaction: creates missing dates; updates seeded rows whose name or kind changed; removes seeded
    rows the package no longer lists for those years (e.g. an estimated date that moved); never touches or
    deletes a ``source=manual`` row. Idempotent. Sends :data:`layanan.calendar.workdays.holidays_changed` exactly once,
    on commit, with ``years``. Returns a :class:`HolidaySyncResult`.
    """
    years = tuple(sorted({int(y) for y in (years or default_sync_years())}))
    if not years:
        raise ValueError("sync_holidays needs at least one year")
    wanted = _package_holidays(years)
    result = HolidaySyncResult(years=years)
    with transaction.atomic(), collect_holiday_changes() as changed_years:
        existing = {h.date: h for h in Holiday.objects.select_for_update().filter(date__year__in=years)}
        to_create = []
        for day, (name, kind) in wanted.items():
            row = existing.get(day)
            if row is None:
                to_create.append(
                    Holiday(date=day, name=name, kind=kind, legal_basis=_legal_basis(day.year), source="seeded")
                )
                result.created.append(day)
            elif row.source == Holiday.Source.MANUAL:
                result.manual_kept.append(day)
            elif (row.name, row.kind) != (name, kind):
                row.name, row.kind = name, kind
                row.save(update_fields=["name", "kind", "updated_at"])
                result.updated.append(day)
            else:
                result.unchanged += 1
        Holiday.objects.bulk_create(to_create)
        stale = [d for d, row in existing.items() if d not in wanted and row.source == Holiday.Source.SEEDED]
        if stale:
            Holiday.objects.filter(date__in=stale, source=Holiday.Source.SEEDED).delete()
            result.removed.extend(sorted(stale))
        result.manual_kept += [d for d, row in existing.items() if d not in wanted and row.source == "manual"]
        result.manual_kept.sort()
        changed_years.update(years)  # sent once, on commit, even when nothing moved (receivers are idempotent)
    logger.info("%s", result.summary())
    return result


def sync_coming_year(today: datetime.date | None = None) -> HolidaySyncResult | None:
    """The daily schedule's task: fill this year and next year (by ``today``, default today in the institution's
    zone) from the ``holidays`` package when the table holds no row of that year at all — so that a due date
    counted across New Year skips the next year's holidays, and an install that runs for years never counts a
    year as having none. A year with any row (seeded or entered in the admin) is left alone: corrections there
    are the officers'. Returns the :class:`HolidaySyncResult`, or ``None`` when nothing was missing."""
    year = (today or today_local()).year
    missing = [y for y in (year, year + 1) if not Holiday.objects.filter(date__year=y).exists()]
    return sync_holidays(missing) if missing else None


def seed_holidays_after_migrate(sender=None, using="default", **kwargs):
    """``post_migrate`` handler: a fresh install gets last, this and next year's holidays.

    Runs only when the holiday table is empty and ``PESAN_SYNC_HOLIDAYS_ON_MIGRATE`` is on; idempotent.
    Connected in ``layanan.apps.LayananConfig.ready``.
    """
    if not conf.sync_holidays_on_migrate() or using != "default":
        return
    if Holiday.objects.using(using).exists():
        return
    result = sync_holidays()
    verbosity = kwargs.get("verbosity", 1)
    if verbosity and verbosity > 1:
        print(result.summary())
