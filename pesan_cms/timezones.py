"""The institution's time zone: one setting for counting, showing and "today".

Indonesia has three zones: WIB (``Asia/Jakarta``, ``Asia/Pontianak``), WITA (``Asia/Makassar``) and WIT
(``Asia/Jayapura``). An install sets its zone once, in the environment variable ``TIME_ZONE`` (default
``Asia/Jakarta``): Django's ``TIME_ZONE`` setting follows it, so every local time the product shows, every "today"
(``timezone.localdate()``: overdue, reminders, windows) and every working-day count (``layanan.calendar``) use the
same zone. Times are stored in UTC.

- :func:`zone_name`: the IANA name (``settings.TIME_ZONE``).
- :func:`label`: the short name shown after a time ("WIB", "WITA", "WIT"): ``PESAN_CALENDAR_TIMEZONE_LABEL``
  (environment ``TIME_ZONE_LABEL``) when set, else :data:`INDONESIAN_LABELS` for the zone, else the zone's own
  abbreviation (``tzname``) now.
- :func:`check_zone_settings`: a system check (``manage.py check``, run by ``migrate`` and the server) that an
  older ``PESAN_CALENDAR_TIMEZONE`` setting, if still given, names the same zone as ``TIME_ZONE``: deadlines
  counted in one zone and "today" read in another would make a ticket overdue an hour early or late.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import checks

__all__ = ["INDONESIAN_LABELS", "check_zone_settings", "label", "zone_name"]

#: The legal short names of Indonesia's time zones (Keppres 41/1987), by IANA zone.
INDONESIAN_LABELS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


def zone_name() -> str:
    """The institution's IANA time zone (``settings.TIME_ZONE``, e.g. ``"Asia/Makassar"``)."""
    return settings.TIME_ZONE


def label() -> str:
    """Short name of :func:`zone_name` shown to people after a time: ``"WIB"``, ``"WITA"``, ``"WIT"``, or the
    zone's abbreviation for a zone outside Indonesia; ``PESAN_CALENDAR_TIMEZONE_LABEL`` overrides it."""
    explicit = getattr(settings, "PESAN_CALENDAR_TIMEZONE_LABEL", "")
    if explicit:
        return explicit
    name = zone_name()
    return INDONESIAN_LABELS.get(name) or datetime.datetime.now(ZoneInfo(name)).tzname() or name


@checks.register(checks.Tags.compatibility)
def check_zone_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """``pesan.E001`` when ``PESAN_CALENDAR_TIMEZONE`` is set to another zone than ``TIME_ZONE``."""
    calendar_zone = getattr(settings, "PESAN_CALENDAR_TIMEZONE", None)
    if calendar_zone and calendar_zone != settings.TIME_ZONE:
        return [
            checks.Error(
                f"PESAN_CALENDAR_TIMEZONE ({calendar_zone}) differs from TIME_ZONE ({settings.TIME_ZONE}).",
                hint="Set the institution's zone once, in the environment variable TIME_ZONE (e.g. Asia/Makassar), "
                "and remove PESAN_CALENDAR_TIMEZONE.",
                id="pesan.E001",
            )
        ]
    return []
