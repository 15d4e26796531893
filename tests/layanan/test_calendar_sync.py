"""The holiday table: ``sync_holidays`` from the ``holidays`` package, the ``holidays_changed`` signal, the admin."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from layanan.calendar import workdays as cal
from layanan.calendar.models import Holiday, WorkCalendarSettings
from layanan.calendar.sync import seed_holidays_after_migrate, sync_coming_year, sync_holidays
from layanan.calendar.workdays import holidays_changed
from tests.layanan.conftest import wib

D = datetime.date

SKB_2026_CUTI_BERSAMA = [
    D(2026, 2, 16),
    D(2026, 3, 18),
    D(2026, 3, 20),
    D(2026, 3, 23),
    D(2026, 3, 24),
    D(2026, 5, 15),
    D(2026, 5, 28),
    D(2026, 12, 24),
]


@pytest.fixture
def signals():
    """Every ``holidays_changed`` sent during the test, as a list of ``years`` frozensets."""
    received = []

    def listener(sender, years, **kwargs):
        received.append(years)

    holidays_changed.connect(listener, dispatch_uid="test-calendar-listener")
    yield received
    holidays_changed.disconnect(dispatch_uid="test-calendar-listener")


@pytest.fixture
def empty_table(db):
    Holiday.objects.all().delete()


# --- sync --------------------------------------------------------------------------------------------------------


def test_sync_fills_national_holidays_and_cuti_bersama_in_indonesian(empty_table):
    out = StringIO()
    call_command("sync_holidays", "--years", "2026", stdout=out)
    rows = {h.date: h for h in Holiday.objects.filter(date__year=2026)}
    cuti = sorted(d for d, h in rows.items() if h.kind == Holiday.Kind.CUTI_BERSAMA)
    assert cuti == SKB_2026_CUTI_BERSAMA
    assert rows[D(2026, 3, 19)].name == "Hari Suci Nyepi"
    assert rows[D(2026, 3, 19)].kind == Holiday.Kind.NATIONAL
    assert rows[D(2026, 4, 3)].name == "Wafat Yesus Kristus"
    assert "Idul Fitri" in rows[D(2026, 3, 21)].name
    assert all(h.source == Holiday.Source.SEEDED and h.is_active and "2026" in h.legal_basis for h in rows.values())
    assert not Holiday.objects.exclude(date__year=2026).exists()
    assert f"{len(rows)} ditambahkan" in out.getvalue()


def test_default_years_are_last_this_and_next_year_in_wib(empty_table, monkeypatch):
    # 31 Dec 2026 18:00 UTC is already 1 Jan 2027 in Jakarta
    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 12, 31, 18, 0, tzinfo=datetime.UTC))
    call_command("sync_holidays", verbosity=0)
    years = {d.year for d in Holiday.objects.values_list("date", flat=True)}
    assert years == {2026, 2027, 2028}


def test_two_names_on_one_date_are_joined(empty_table):
    sync_holidays([2021])  # 13 May 2021: Idul Fitri and Ascension Day
    assert Holiday.objects.get(date=D(2021, 5, 13)).name == "Hari Raya Idul Fitri; Kenaikan Yesus Kristus"


def test_sync_is_idempotent(empty_table):
    first = sync_holidays([2025, 2026, 2027])
    before = list(Holiday.objects.values_list("date", "name", "kind", "source", "legal_basis", "is_active"))
    second = sync_holidays([2025, 2026, 2027])
    after = list(Holiday.objects.values_list("date", "name", "kind", "source", "legal_basis", "is_active"))
    assert before == after
    assert len(first.created) == len(before) > 60
    assert (second.created, second.updated, second.removed) == ([], [], [])
    assert second.unchanged == len(before)


def test_sync_never_touches_manual_rows_and_removes_stale_seeded_ones(empty_table):
    sync_holidays([2026])
    # an admin renamed one seeded row and deactivated another; added a regional holiday
    nyepi = Holiday.objects.get(date=D(2026, 3, 19))
    nyepi.name, nyepi.source = "Hari Suci Nyepi (Tahun Baru Saka 1948)", Holiday.Source.MANUAL
    nyepi.save()
    Holiday.objects.filter(date=D(2026, 5, 15)).update(is_active=False, source=Holiday.Source.MANUAL)
    Holiday.objects.create(date=D(2026, 7, 1), name="Hari Jadi Provinsi", kind=Holiday.Kind.OTHER)
    # a seeded row the package no longer lists, and a seeded row with an outdated name
    Holiday.objects.create(date=D(2026, 7, 2), name="Perkiraan lama", source=Holiday.Source.SEEDED)
    Holiday.objects.filter(date=D(2026, 1, 1)).update(name="Tahun Baru")

    result = sync_holidays([2026])

    assert Holiday.objects.get(date=D(2026, 3, 19)).name == "Hari Suci Nyepi (Tahun Baru Saka 1948)"
    assert Holiday.objects.get(date=D(2026, 5, 15)).is_active is False
    assert Holiday.objects.get(date=D(2026, 7, 1)).source == Holiday.Source.MANUAL
    assert not Holiday.objects.filter(date=D(2026, 7, 2)).exists()
    assert Holiday.objects.get(date=D(2026, 1, 1)).name == "Tahun Baru Masehi"
    assert result.removed == [D(2026, 7, 2)]
    assert result.updated == [D(2026, 1, 1)]
    assert set(result.manual_kept) == {D(2026, 3, 19), D(2026, 5, 15), D(2026, 7, 1)}
    # a sync of other years leaves 2026 alone
    sync_holidays([2027])
    assert Holiday.objects.filter(date=D(2026, 7, 1)).exists()


def test_sync_command_rejects_absurd_years(empty_table):
    with pytest.raises(CommandError):
        call_command("sync_holidays", "--years", "26")


def test_fresh_install_has_holidays_after_migrate(db):
    # the test database was built by ``migrate``: the post_migrate handler seeded it
    this_year = cal.today_local().year
    assert Holiday.objects.filter(date__year=this_year, kind=Holiday.Kind.NATIONAL).exists()
    assert Holiday.objects.filter(date__year=this_year + 1).exists()


def test_post_migrate_seeds_only_an_empty_table(empty_table, settings):
    Holiday.objects.create(date=D(2026, 7, 1), name="Hari Jadi Provinsi", kind=Holiday.Kind.OTHER)
    seed_holidays_after_migrate(using="default")
    assert Holiday.objects.count() == 1
    Holiday.objects.all().delete()
    settings.PESAN_SYNC_HOLIDAYS_ON_MIGRATE = False
    seed_holidays_after_migrate(using="default")
    assert Holiday.objects.count() == 0
    settings.PESAN_SYNC_HOLIDAYS_ON_MIGRATE = True
    seed_holidays_after_migrate(using="default")
    assert Holiday.objects.filter(date__year=cal.today_local().year).count() > 15


# --- holidays_changed ---------------------------------------------------------------------------------------------


def test_sync_sends_holidays_changed_once_on_commit(empty_table, signals, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sync_holidays", "--years", "2025", "2026", verbosity=0)
        assert signals == []  # nothing before commit
    assert signals == [frozenset({2025, 2026})]


def test_resync_with_changes_still_sends_once(signals, django_capture_on_commit_callbacks, synced_holidays):
    Holiday.objects.filter(date__year=2026).delete()
    Holiday.objects.filter(date__year=2027).update(name="x")
    with django_capture_on_commit_callbacks(execute=True):
        sync_holidays([2026, 2027])
    assert signals == [frozenset({2026, 2027})]


def test_manual_holiday_changes_a_due_date_and_fires_once(synced_holidays, signals, django_capture_on_commit_callbacks):
    assert cal.compute_deadline(wib(2026, 3, 13, 10, 0), 10).due_date == D(2026, 4, 6)
    with django_capture_on_commit_callbacks(execute=True):
        Holiday.objects.create(date=D(2026, 3, 16), name="Libur daerah", kind=Holiday.Kind.OTHER)
    assert signals == [frozenset({2026})]
    deadline = cal.compute_deadline(wib(2026, 3, 13, 10, 0), 10)
    assert deadline.due_date == D(2026, 4, 7)
    assert any(s.name == "Libur daerah" for s in deadline.skipped)


def test_moving_a_holiday_to_another_year_reports_both_years(
    synced_holidays, signals, django_capture_on_commit_callbacks
):
    holiday = Holiday.objects.get(date=D(2026, 12, 24))
    with django_capture_on_commit_callbacks(execute=True):
        holiday.date = D(2027, 1, 4)
        holiday.save()
    assert signals == [frozenset({2026, 2027})]
    with django_capture_on_commit_callbacks(execute=True):
        Holiday.objects.get(date=D(2027, 1, 4)).delete()
    assert signals[-1] == frozenset({2027})


def test_rolled_back_changes_send_nothing(synced_holidays, signals, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                Holiday.objects.create(date=D(2026, 7, 1), name="Batal", kind=Holiday.Kind.OTHER)
                raise RuntimeError
        except RuntimeError:
            pass
    assert signals == []


def test_cuti_bersama_switch_sends_holidays_changed(synced_holidays, signals, django_capture_on_commit_callbacks):
    settings_row = WorkCalendarSettings.load()
    with django_capture_on_commit_callbacks(execute=True):
        settings_row.office_end = datetime.time(15, 0)
        settings_row.save()
    assert signals == []  # office hours do not move existing deadlines' holidays
    with django_capture_on_commit_callbacks(execute=True):
        settings_row.cuti_bersama_is_non_working = False
        settings_row.save()
    assert signals == [frozenset({2025, 2026, 2027})]


# --- admin --------------------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, db):
    user = get_user_model().objects.create_superuser("kalender", "kalender@example.org", "pw-kalender-123")
    client.force_login(user)
    return client


def test_admin_lists_holidays_filtered_by_year_and_kind(synced_holidays, admin_client):
    url = reverse("wagtailsnippets_layanan_holiday:list")
    response = admin_client.get(url, {"year": "2026", "kind": "cuti_bersama"})
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Cuti Bersama Hari Suci Nyepi", "Cuti Bersama Tahun Baru Imlek", "Cuti Bersama Hari Raya Natal"):
        assert name in html
    assert "Cuti Bersama Hari Raya Waisak" not in html  # 2025 only: filtered by year
    assert "Wafat Yesus Kristus" not in html  # national in 2026, cuti bersama only in 2027: filtered by kind
    assert "menghitung ulang tanggal jatuh tempo" in html


def test_admin_edit_marks_row_manual_and_says_due_dates_are_recomputed(
    synced_holidays, admin_client, signals, django_capture_on_commit_callbacks
):
    holiday = Holiday.objects.get(date=D(2026, 12, 24))
    url = reverse("wagtailsnippets_layanan_holiday:edit", args=[holiday.pk])
    form = admin_client.get(url)
    assert form.status_code == 200
    assert "menghitung ulang tanggal jatuh tempo" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url,
            {
                "date": "2026-12-24",
                "name": "Cuti Bersama Natal",
                "kind": "cuti_bersama",
                "legal_basis": "SKB 3 Menteri 2025 (revisi)",
                "is_active": "",
            },
            follow=True,
        )
    assert response.status_code == 200
    holiday.refresh_from_db()
    assert (holiday.name, holiday.source, holiday.is_active) == ("Cuti Bersama Natal", "manual", False)
    assert signals == [frozenset({2026})]
    messages = [str(m) for m in response.context["messages"]]
    assert any("dihitung ulang" in m for m in messages)
    # and the sync leaves it as the admin wrote it
    sync_holidays([2026])
    holiday.refresh_from_db()
    assert holiday.name == "Cuti Bersama Natal" and not holiday.is_active


def test_admin_create_holiday_and_settings_page(synced_holidays, admin_client):
    response = admin_client.post(
        reverse("wagtailsnippets_layanan_holiday:add"),
        {
            "date": "2026-07-01",
            "name": "Hari Jadi Provinsi",
            "kind": "other",
            "legal_basis": "Pergub",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Holiday.objects.get(date=D(2026, 7, 1)).source == Holiday.Source.MANUAL
    assert not cal.is_working_day(D(2026, 7, 1))
    duplicate = admin_client.post(
        reverse("wagtailsnippets_layanan_holiday:add"),
        {"date": "2026-07-01", "name": "Dua kali", "kind": "other", "is_active": "on"},
    )
    assert duplicate.status_code == 200  # form error, nothing stored
    assert Holiday.objects.filter(date=D(2026, 7, 1)).count() == 1
    page = admin_client.get(reverse("wagtailsettings:edit", args=["layanan", "workcalendarsettings"]), follow=True)
    assert page.status_code == 200
    assert "Jam kerja" in page.content.decode()


def test_settings_refuse_office_hours_ending_before_they_start(admin_client):
    pk = WorkCalendarSettings.load().pk
    url = reverse("wagtailsettings:edit", args=["layanan", "workcalendarsettings", pk])
    response = admin_client.post(
        url, {"office_start": "16:00", "office_end": "08:00", "cuti_bersama_is_non_working": "on"}
    )
    assert response.status_code == 200
    assert "Jam kerja harus selesai setelah jam mulai" in response.content.decode()
    assert WorkCalendarSettings.load().office_end == datetime.time(16, 0)


def test_the_daily_task_fills_next_year_once_it_is_missing_and_leaves_edited_years_alone(empty_table):
    """An install seeded in 2026 (2025–2027) meets 2028 in December 2027: the daily task adds 2028, so a request
    of 20 January 2028 skips Imlek (26 January 2028) — counted as a working day while 2028 was missing."""
    sync_holidays([2025, 2026, 2027])
    assert sync_coming_year(datetime.date(2026, 12, 7)) is None  # 2026 and 2027 are there: nothing to do
    assert cal.compute_deadline(wib(2028, 1, 20, 10, 0), 10).due_date == datetime.date(2028, 2, 3)
    result = sync_coming_year(datetime.date(2027, 12, 1))
    assert result is not None and result.years == (2028,) and result.created
    assert Holiday.objects.filter(date=datetime.date(2028, 1, 26)).exists()
    assert cal.compute_deadline(wib(2028, 1, 20, 10, 0), 10).due_date == datetime.date(2028, 2, 4)
    # a year with rows, even one entered by hand, is the officers': the task does not touch it
    Holiday.objects.filter(date__year=2028).exclude(date=datetime.date(2028, 1, 26)).delete()
    assert sync_coming_year(datetime.date(2027, 12, 2)) is None
    assert Holiday.objects.filter(date__year=2028).count() == 1


def test_the_daily_holiday_task_is_scheduled_after_migrate(db):
    from django.apps import apps
    from django_q.models import Schedule

    from layanan.core.setup import HOLIDAYS_FUNC, setup_desk_after_migrate

    Schedule.objects.filter(func=HOLIDAYS_FUNC).delete()
    setup_desk_after_migrate(sender=apps.get_app_config("layanan"))
    assert Schedule.objects.filter(func=HOLIDAYS_FUNC, schedule_type=Schedule.DAILY).count() == 1
