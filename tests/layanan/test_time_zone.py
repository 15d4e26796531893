"""An institution outside WIB (a regional government in Makassar, WITA, or Jayapura, WIT): one setting, TIME_ZONE,
for the count of working days, for "today" and for every time shown with its label (pesan_cms.timezones)."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from layanan.core.deadlines import remaining_working_days, today_wib, urgency
from layanan.core.models.tickets import Ticket
from pesan_cms import timezones
from tests.layanan.conftest import ppid_payload

pytestmark = pytest.mark.django_db

D = datetime.date
MAKASSAR = ZoneInfo("Asia/Makassar")


@pytest.mark.parametrize(
    ("zone", "label"),
    [("Asia/Jakarta", "WIB"), ("Asia/Pontianak", "WIB"), ("Asia/Makassar", "WITA"), ("Asia/Jayapura", "WIT")],
)
def test_the_label_follows_the_zone(settings, zone, label):
    settings.TIME_ZONE = zone
    assert timezones.label() == label
    settings.PESAN_CALENDAR_TIMEZONE_LABEL = "Waktu Setempat"
    assert timezones.label() == "Waktu Setempat"


def test_a_calendar_zone_other_than_time_zone_is_refused_by_the_system_check(settings):
    settings.PESAN_CALENDAR_TIMEZONE = "Asia/Makassar"
    with pytest.raises(SystemCheckError, match="pesan.E001"):
        call_command("check")
    settings.PESAN_CALENDAR_TIMEZONE = settings.TIME_ZONE
    call_command("check")


def test_a_wita_office_counts_shows_and_dates_in_wita(
    settings, client, api_client, synced_holidays, frozen_now, django_capture_on_commit_callbacks
):
    settings.TIME_ZONE = "Asia/Makassar"
    # Friday 4 December 2026 16:30 WITA (15:30 WIB): after the office closed in Makassar
    frozen_now(datetime.datetime(2026, 12, 4, 16, 30, tzinfo=MAKASSAR))
    with django_capture_on_commit_callbacks(execute=True):
        created = api_client.post("/api/v2/ppid/requests/", ppid_payload(), format="json")
    assert created.status_code == 201, created.content
    ticket = Ticket.objects.get(service="ppid_request")
    assert ticket.counting_from == D(2026, 12, 7) and ticket.due_date == D(2026, 12, 21)
    assert "4 Desember 2026 16.30 WITA" in ticket.deadline_explanation
    assert "WIB" not in ticket.deadline_explanation
    receipt = mail.outbox[-1].body
    assert "kami terima pada 4 Desember 2026 16.30 WITA" in receipt and not re.search(r"\d WIB", receipt)
    status = client.post(
        "/layanan/cek-status/",
        {"tracking_number": ticket.tracking_number, "token": created.json()["access_token"]},
    ).content.decode()
    assert "4 Desember 2026, 16:30 WITA" in status and not re.search(r"\d WIB", status)
    # Monday 21 December 23:59 WITA: the last day; 00:30 WITA on the 22nd (still the 21st in Jakarta): overdue
    frozen_now(datetime.datetime(2026, 12, 21, 23, 59, tzinfo=MAKASSAR))
    assert today_wib() == D(2026, 12, 21) and remaining_working_days(ticket) == 0
    frozen_now(datetime.datetime(2026, 12, 22, 0, 30, tzinfo=MAKASSAR))
    assert today_wib() == D(2026, 12, 22)
    assert urgency(ticket) == "overdue"


def test_register_and_export_columns_name_the_zone(settings):
    from layanan.ppid.registers import request_register

    assert "Tanggal diterima (WIB)" in request_register(Ticket.objects.none())[0]
    settings.TIME_ZONE = "Asia/Jayapura"
    headers = request_register(Ticket.objects.none())[0]
    assert "Tanggal diterima (WIT)" in headers and not any("WIB" in h for h in headers)
