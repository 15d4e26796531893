"""Working-day calendar models: the admin-editable ``Holiday`` table and the ``WorkCalendarSettings``.

The holiday table is *seeded* from the ``holidays`` package (:func:`sync_holidays`, ``manage.py
sync_holidays``, and once after ``migrate`` when the table is empty) and then owned by the admins: cuti bersama
change mid-year by ministerial decree (SKB 3 Menteri), so a row edited by hand becomes ``source=manual`` and
no sync ever touches it again.

Every change that can move a due date (a holiday saved or deleted, a sync, the cuti bersama switch) sends
:data:`layanan.calendar.holidays_changed` on commit with the affected ``years`` — a sync once in all, not once
per row; the ticket engine listens to it and recomputes the due dates of open tickets.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from layanan import conf
from layanan.calendar import collect_holiday_changes, notify_holidays_changed, today_local

__all__ = ["Holiday", "HolidaySyncResult", "WorkCalendarSettings", "default_sync_years", "sync_holidays"]

logger = logging.getLogger(__name__)

RECOMPUTE_HELP = _(
    "Saving, deleting or deactivating a holiday recomputes the due dates of every open ticket in that year. "
    "A holiday edited here is marked as manual and is never overwritten by the automatic synchronisation."
)


class Holiday(models.Model):
    """A non-working date (besides Saturday and Sunday) in the office's calendar.

    ``kind``: ``national`` (libur nasional), ``cuti_bersama`` (collective leave; counted as non-working only when
    :attr:`WorkCalendarSettings.cuti_bersama_is_non_working`), ``other`` (e.g. a regional holiday or an office
    closure; always non-working). Inactive rows are ignored by every computation but kept, so a sync does not
    bring back a holiday an admin switched off. Legal basis: the yearly SKB 3 Menteri on national holidays and
    cuti bersama.
    """

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National holiday")
        CUTI_BERSAMA = "cuti_bersama", _("Collective leave (cuti bersama)")
        OTHER = "other", _("Other day off")

    class Source(models.TextChoices):
        SEEDED = "seeded", _("Synchronised from the holidays package")
        MANUAL = "manual", _("Entered or edited by an admin")

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=255, help_text=_("In Indonesian, e.g. “Hari Suci Nyepi”."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NATIONAL)
    legal_basis = models.TextField(
        _("legal basis"),
        blank=True,
        help_text=_("The decree that sets this day, e.g. “SKB 3 Menteri No. … Tahun 2025”."),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to make this date a working day again without deleting it.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Admin panels: ``layanan.wagtail_hooks_calendar.HolidayViewSet``.

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_date = instance.__dict__.get("date")
        return instance

    @property
    def year(self) -> int:
        """Calendar year of the date (used by the admin's year filter)."""
        return self.date.year

    def affected_years(self) -> set[int]:
        """Years whose due dates this row can move: the current date's year and, after an edit, the old one."""
        years = {self.date.year} if self.date else set()
        old = getattr(self, "_loaded_date", None)
        if old:
            years.add(old.year)
        return years


@receiver(post_save, sender=Holiday, dispatch_uid="layanan.holiday_saved")
def _holiday_saved(sender, instance: Holiday, raw=False, **kwargs):
    if raw:  # loaddata
        return
    notify_holidays_changed(instance.affected_years())
    instance._loaded_date = instance.date


@receiver(post_delete, sender=Holiday, dispatch_uid="layanan.holiday_deleted")
def _holiday_deleted(sender, instance: Holiday, **kwargs):
    notify_holidays_changed(instance.affected_years())


@register_setting(icon="date", name="kalender-kerja")
class WorkCalendarSettings(BaseGenericSetting):
    """Office hours and the cuti bersama switch used by every deadline ("Kalender kerja" in Settings).

    ``office_start``/``office_end``: local (WIB) times; a submission at or after ``office_end`` or on a
    non-working day counts from the next working day (domain reference "Working days"). Switching
    ``cuti_bersama_is_non_working`` sends ``holidays_changed`` for every year that has cuti bersama rows.
    """

    office_start = models.TimeField(_("office hours start"), default=datetime.time(8, 0))
    office_end = models.TimeField(
        _("office hours end"),
        default=datetime.time(16, 0),
        help_text=_("Submissions at or after this time (WIB) count from the next working day."),
    )
    cuti_bersama_is_non_working = models.BooleanField(
        _("collective leave (cuti bersama) is a non-working day"),
        default=True,
        help_text=_("Changing this recomputes the due dates of every open ticket."),
    )

    panels = [
        HelpPanel(
            content=_(
                "Working days are Monday to Friday minus active holidays. These settings apply to every deadline "
                "of the service desk (PPID, objections, SP4N-LAPOR, WBS)."
            )
        ),
        MultiFieldPanel([FieldPanel("office_start"), FieldPanel("office_end")], heading=_("Office hours (WIB)")),
        FieldPanel("cuti_bersama_is_non_working"),
    ]

    class Meta:
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendar")

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_cuti = instance.__dict__.get("cuti_bersama_is_non_working")
        return instance

    def clean(self):
        super().clean()
        if self.office_start and self.office_end and self.office_end <= self.office_start:
            raise ValidationError({"office_end": _("Office hours must end after they start.")})


@receiver(post_save, sender=WorkCalendarSettings, dispatch_uid="layanan.work_calendar_saved")
def _work_calendar_saved(sender, instance: WorkCalendarSettings, created=False, raw=False, **kwargs):
    old = getattr(instance, "_loaded_cuti", None)
    instance._loaded_cuti = instance.cuti_bersama_is_non_working
    if raw or created or old is None or old == instance.cuti_bersama_is_non_working:
        return
    years = {d.year for d in Holiday.objects.filter(kind=Holiday.Kind.CUTI_BERSAMA).values_list("date", flat=True)}
    if years:
        notify_holidays_changed(years)


# --- Synchronisation from the ``holidays`` package -------------------------------------------------------------


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
    deletes a ``source=manual`` row. Idempotent. Sends :data:`layanan.calendar.holidays_changed` exactly once,
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
