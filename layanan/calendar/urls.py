"""Working-day calendar endpoints (mounted under ``/api/v2/`` via ``layanan/api/urls.py``).

- ``GET /api/v2/calendar/deadline/?start=<ISO datetime>&days=<n>[&unit=working|calendar]``
- ``GET /api/v2/calendar/holidays/?year=YYYY``
"""

from django.urls import path

from layanan.calendar.api import DeadlineCalculatorView, HolidayListView

urlpatterns: list = [
    path("calendar/deadline/", DeadlineCalculatorView.as_view(), name="calendar-deadline"),
    path("calendar/holidays/", HolidayListView.as_view(), name="calendar-holidays"),
]
