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
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
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


#: Field-name prefixes of the weekdays that can have their own office hours (index = ``date.weekday()``).
WEEKDAY_FIELDS = ("monday", "tuesday", "wednesday", "thursday", "friday")

WEEKDAY_HOURS_HELP = _(
    "Leave empty to use the general office hours. A submission at or after the end time of its weekday counts "
    "from the next working day."
)


@register_setting(icon="date", name="kalender-kerja")
class WorkCalendarSettings(BaseGenericSetting):
    """Office hours and the cuti bersama switch used by every deadline ("Kalender kerja" in Settings).

    ``office_start``/``office_end``: local (WIB) times; a submission at or after ``office_end`` or on a
    non-working day counts from the next working day (domain reference "Working days"). ``<weekday>_start`` and
    ``<weekday>_end`` (Monday to Friday, optional): that weekday's own hours, e.g. a Friday that closes at
    16:30; an empty one takes the general time (:meth:`hours_by_weekday`). Switching
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
    # Office hours of one weekday (issue 17: many offices close later on Friday). Empty: the general hours above.
    monday_start = models.TimeField(_("Monday: start"), null=True, blank=True, help_text=WEEKDAY_HOURS_HELP)
    monday_end = models.TimeField(_("Monday: end"), null=True, blank=True, help_text=WEEKDAY_HOURS_HELP)
    tuesday_start = models.TimeField(_("Tuesday: start"), null=True, blank=True, help_text=WEEKDAY_HOURS_HELP)
    tuesday_end = models.TimeField(_("Tuesday: end"), null=True, blank=True, help_text=WEEKDAY_HOURS_HELP)
    wednesday_start = models.TimeField(_("Wednesday: start"), null=True, blank=True, help_text=WEEKDAY_HOURS_HELP)
    wednesday_end = models.TimeField(_("Wednesday: end"), null=True, blank=True, help_text=WEEKDAY_HOURS_HELP)
    thursday_start = models.TimeField(_("Thursday: start"), null=True, blank=True, help_text=WEEKDAY_HOURS_HELP)
    thursday_end = models.TimeField(_("Thursday: end"), null=True, blank=True, help_text=WEEKDAY_HOURS_HELP)
    friday_start = models.TimeField(_("Friday: start"), null=True, blank=True, help_text=WEEKDAY_HOURS_HELP)
    friday_end = models.TimeField(_("Friday: end"), null=True, blank=True, help_text=WEEKDAY_HOURS_HELP)

    panels = [
        HelpPanel(
            content=_(
                "Working days are Monday to Friday minus active holidays. These settings apply to every deadline "
                "of the service desk (PPID, objections, SP4N-LAPOR, WBS)."
            )
        ),
        MultiFieldPanel([FieldPanel("office_start"), FieldPanel("office_end")], heading=_("Office hours (WIB)")),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel(f"{day}_start"), FieldPanel(f"{day}_end")]) for day in WEEKDAY_FIELDS],
            heading=_("Office hours per weekday (WIB, optional)"),
            help_text=WEEKDAY_HOURS_HELP,
        ),
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

    def hours_by_weekday(self) -> dict[int, tuple[datetime.time, datetime.time]]:
        """``{weekday: (start, end)}`` for Monday (0) to Sunday (6), WIB times: a weekday's own hours where set,
        else the general ``office_start``/``office_end`` (Saturday and Sunday always the general ones; they are
        not working days anyway)."""
        hours = {}
        for weekday in range(7):
            prefix = WEEKDAY_FIELDS[weekday] if weekday < len(WEEKDAY_FIELDS) else None
            start = getattr(self, f"{prefix}_start", None) if prefix else None
            end = getattr(self, f"{prefix}_end", None) if prefix else None
            hours[weekday] = (start or self.office_start, end or self.office_end)
        return hours

    def clean(self):
        super().clean()
        if self.office_start and self.office_end and self.office_end <= self.office_start:
            raise ValidationError({"office_end": _("Office hours must end after they start.")})
        errors = {}
        for weekday, (start, end) in self.hours_by_weekday().items():
            if weekday < len(WEEKDAY_FIELDS) and start and end and end <= start:
                errors[f"{WEEKDAY_FIELDS[weekday]}_end"] = _("Office hours must end after they start.")
        if errors:
            raise ValidationError(errors)
