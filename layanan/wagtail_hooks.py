"""Wagtail discovers ``<app>.wagtail_hooks``: the desk's hooks and the calendar's admin live in their packages."""

from layanan import guides  # noqa: F401  (Panduan: the guides' admin views and menu item, issue 21)
from layanan.calendar import wagtail_hooks as calendar_hooks  # noqa: F401
from layanan.desk import registers as desk_registers  # noqa: F401  (the PPID registers register themselves)
from layanan.desk import task_failures  # noqa: F401  (its admin view registers itself)
from layanan.desk import wagtail_hooks as desk_hooks  # noqa: F401
