"""Working-day calendar models: the admin-editable ``Holiday`` table and the ``WorkCalendarSettings``.

The holiday table is *seeded* from the ``holidays`` package (:func:`sync_holidays`, ``manage.py
sync_holidays``, and once after ``migrate`` when the table is empty) and then owned by the admins: cuti bersama
change mid-year by ministerial decree (SKB 3 Menteri), so a row edited by hand becomes ``source=manual`` and
no sync ever touches it again.

Every change that can move a due date (a holiday saved or deleted, a sync, the cuti bersama switch) sends
:data:`layanan.calendar.workdays.holidays_changed` on commit with the affected ``years`` — a sync once in all, not once
per row; the ticket engine listens to it and recomputes the due dates of open tickets.
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

__all__ = ["Holiday", "WorkCalendarSettings"]


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

    # Admin panels: ``layanan.calendar.wagtail_hooks.HolidayViewSet``.

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
