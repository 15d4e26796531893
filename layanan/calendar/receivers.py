"""Model signal receivers of the calendar: a saved or deleted holiday, or the cuti bersama switch, sends
:data:`layanan.calendar.workdays.holidays_changed` on commit with the years whose due dates may move.
Connected when ``LayananConfig.ready()`` imports this module.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from layanan.calendar.models import Holiday, WorkCalendarSettings
from layanan.calendar.workdays import notify_holidays_changed


@receiver(post_save, sender=Holiday, dispatch_uid="layanan.holiday_saved")
def _holiday_saved(sender, instance: Holiday, raw=False, **kwargs):
    if raw:  # loaddata
        return
    notify_holidays_changed(instance.affected_years())
    instance._loaded_date = instance.date


@receiver(post_delete, sender=Holiday, dispatch_uid="layanan.holiday_deleted")
def _holiday_deleted(sender, instance: Holiday, **kwargs):
    notify_holidays_changed(instance.affected_years())


@receiver(post_save, sender=WorkCalendarSettings, dispatch_uid="layanan.work_calendar_saved")
def _work_calendar_saved(sender, instance: WorkCalendarSettings, created=False, raw=False, **kwargs):
    old = getattr(instance, "_loaded_cuti", None)
    instance._loaded_cuti = instance.cuti_bersama_is_non_working
    if raw or created or old is None or old == instance.cuti_bersama_is_non_working:
        return
    years = {d.year for d in Holiday.objects.filter(kind=Holiday.Kind.CUTI_BERSAMA).values_list("date", flat=True)}
    if years:
        notify_holidays_changed(years)
