"""Public calendar API: ``GET /api/v2/calendar/deadline/`` and ``GET /api/v2/calendar/holidays/``."""

import pytest
from django.core.cache import cache

from layanan.calendar.models import Holiday, WorkCalendarSettings

DEADLINE = "/api/v2/calendar/deadline/"
HOLIDAYS = "/api/v2/calendar/holidays/"


@pytest.fixture(autouse=True)
def _no_throttle_carry_over():
    cache.clear()
    yield
    cache.clear()


def test_deadline_happy_path(client, synced_holidays):
    response = client.get(DEADLINE, {"start": "2026-03-13T10:00:00+07:00", "days": "10"})
    assert response.status_code == 200
    body = response.json()
    assert body["start"] == "2026-03-13T10:00:00+07:00"
    assert body["counting_from"] == "2026-03-13"
    assert body["due_date"] == "2026-04-06"
    assert body["unit"] == "working" and body["days"] == 10
    assert {"date": "2026-03-19", "name": "Hari Suci Nyepi"} in body["skipped"]
    assert {"date": "2026-03-14", "name": "Sabtu"} in body["skipped"]
    assert body["explanation"].startswith("Diterima 13 Maret 2026 10.00 WIB; dihitung sejak 13 Maret 2026")
    assert body["explanation"].endswith("jatuh tempo 6 April 2026.")


def test_after_hours_and_without_offset_is_wib(client, synced_holidays):
    body = client.get(DEADLINE, {"start": "2026-03-13T17:30:00", "days": 10}).json()
    assert body["start"] == "2026-03-13T17:30:00+07:00"
    assert (body["counting_from"], body["due_date"]) == ("2026-03-16", "2026-04-07")


def test_utc_start_is_normalised_to_wib(client, synced_holidays):
    body = client.get(DEADLINE, {"start": "2026-03-13T09:30:00Z", "days": 10}).json()
    assert body["start"] == "2026-03-13T16:30:00+07:00"
    assert body["counting_from"] == "2026-03-16"


def test_unencoded_plus_sign_in_the_query_string(client, synced_holidays):
    # "+07:00" typed straight into a URL arrives as " 07:00"
    response = client.get(DEADLINE + "?start=2026-03-13T17:30:00+07:00&days=10")
    assert response.status_code == 200
    assert response.json()["start"] == "2026-03-13T17:30:00+07:00"
    assert response.json()["due_date"] == "2026-04-07"


def test_date_only_means_office_opening(client, synced_holidays):
    body = client.get(DEADLINE, {"start": "2026-03-13", "days": 10}).json()
    assert body["start"] == "2026-03-13T08:00:00+07:00"
    assert body["due_date"] == "2026-04-06"
    saturday = client.get(DEADLINE, {"start": "2026-03-14", "days": 10}).json()
    assert saturday["counting_from"] == "2026-03-16"


def test_calendar_unit_and_zero_days(client, synced_holidays):
    body = client.get(DEADLINE, {"start": "2026-03-13T10:00:00+07:00", "days": 60, "unit": "calendar"}).json()
    assert (body["due_date"], body["unit"], body["skipped"]) == ("2026-05-12", "calendar", [])
    zero = client.get(DEADLINE, {"start": "2026-03-19T10:00:00+07:00", "days": 0}).json()
    assert zero["due_date"] == zero["counting_from"] == "2026-03-25"


def test_admin_settings_are_used(client, synced_holidays):
    calendar_settings = WorkCalendarSettings.load()
    calendar_settings.cuti_bersama_is_non_working = False
    calendar_settings.save()
    body = client.get(DEADLINE, {"start": "2026-03-13T10:00:00+07:00", "days": 10}).json()
    assert body["due_date"] == "2026-03-30"


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"days": 10}, "start", "Parameter ini wajib diisi."),
        ({"start": "", "days": 10}, "start", "Bukan tanggal/waktu yang sah"),
        ({"start": "kemarin sore", "days": 10}, "start", "Bukan tanggal/waktu yang sah"),
        ({"start": "2026-02-30T10:00:00", "days": 10}, "start", "Bukan tanggal/waktu yang sah"),
        ({"start": "2026-03-13T25:00:00+07:00", "days": 10}, "start", "Bukan tanggal/waktu yang sah"),
        ({"start": "2026-03-13T10:00:00+07:00"}, "days", "Parameter ini wajib diisi."),
        ({"start": "2026-03-13T10:00:00+07:00", "days": "sepuluh"}, "days", "Harus berupa bilangan bulat."),
        ({"start": "2026-03-13T10:00:00+07:00", "days": "2.5"}, "days", "Harus berupa bilangan bulat."),
        ({"start": "2026-03-13T10:00:00+07:00", "days": "-1"}, "days", "Tidak boleh kurang dari 0."),
        ({"start": "2026-03-13T10:00:00+07:00", "days": "367"}, "days", "Paling banyak 366."),
        ({"start": "2026-03-13T10:00:00+07:00", "days": 10, "unit": "weeks"}, "unit", "Satuan “weeks” tidak dikenal"),
    ],
)
def test_bad_input_gives_400_with_indonesian_per_field_messages(client, synced_holidays, params, field, message):
    response = client.get(DEADLINE, params)
    assert response.status_code == 400
    errors = response.json()
    assert field in errors
    assert any(message in m for m in errors[field])


def test_several_bad_fields_are_reported_together(client, db):
    errors = client.get(DEADLINE, {"start": "x", "days": "-3", "unit": "jam"}).json()
    assert set(errors) == {"start", "days", "unit"}


def test_messages_follow_accept_language(client, db):
    response = client.get(DEADLINE, {"days": 10}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["start"] == ["This parameter is required."]


def test_holidays_of_a_year(client, synced_holidays):
    response = client.get(HOLIDAYS, {"year": 2026})
    assert response.status_code == 200
    items = response.json()
    dates = [i["date"] for i in items]
    assert dates == sorted(dates) and all(d.startswith("2026-") for d in dates)
    by_date = {i["date"]: i for i in items}
    assert by_date["2026-03-19"]["name"] == "Hari Suci Nyepi"
    assert by_date["2026-03-19"]["kind"] == "national"
    assert by_date["2026-02-16"]["kind"] == "cuti_bersama" and by_date["2026-02-16"]["non_working"] is True
    Holiday.objects.filter(date="2026-04-03").update(is_active=False)
    assert "2026-04-03" not in [i["date"] for i in client.get(HOLIDAYS, {"year": 2026}).json()]


def test_holidays_bad_year(client, db):
    response = client.get(HOLIDAYS, {"year": "dua ribu"})
    assert response.status_code == 400
    assert response.json()["year"] == ["Harus berupa tahun, mis. 2026."]


def test_openapi_schema_documents_the_calculator(client, db):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    operation = schema["paths"]["/api/v2/calendar/deadline/"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["start"]["required"] and params["days"]["required"]
    assert set(params["unit"]["schema"]["enum"]) == {"working", "calendar", ""}  # empty: the default (working)
    assert params["days"]["schema"]["minimum"] == 0 and params["start"]["schema"]["pattern"]
    assert "200" in operation["responses"] and "400" in operation["responses"]
    assert "/api/v2/calendar/holidays/" in schema["paths"]


@pytest.mark.django_db
@pytest.mark.parametrize("start", ["9999-12-31", "9999-12-31T23:59:59+07:00", "0001-01-01", "1899-05-05"])
def test_a_start_far_outside_any_real_submission_is_a_clear_400(api_client, start):
    response = api_client.get(DEADLINE, {"start": start, "days": 30})
    assert response.status_code == 400
    assert "1970" in response.json()["start"][0] and "2200" in response.json()["start"][0]
