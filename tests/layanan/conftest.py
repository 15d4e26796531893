"""Fixtures of the service-desk tests (shared: calendar and tickets; add fixtures by appending)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

WIB = ZoneInfo("Asia/Jakarta")


def wib(*args) -> datetime.datetime:
    """``wib(2026, 3, 13, 10, 0)``: an aware datetime in Asia/Jakarta."""
    return datetime.datetime(*args, tzinfo=WIB)


# --- working-day calendar -------------------------------------------------------------------------------------


@pytest.fixture
def synced_holidays(db):
    """The holiday table emptied and refilled by ``manage.py sync_holidays`` (holidays package) for 2025-2027."""
    from layanan.calendar.models import Holiday

    Holiday.objects.all().delete()
    call_command("sync_holidays", "--years", "2025", "2026", "2027", verbosity=0)
    return Holiday.objects.all()


@pytest.fixture
def work_calendar(db):
    """The "Kalender kerja" settings row (defaults: 08:00-16:00 WIB, cuti bersama off work)."""
    from layanan.calendar.models import WorkCalendarSettings

    return WorkCalendarSettings.load()


# --- tickets (service desk) -----------------------------------------------------------------------------------

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def ppid_payload(**overrides) -> dict:
    """A valid PPID request body (person, NIK, e-mail) for ``POST /api/v2/ppid/requests/``."""
    data = {
        "name": "Siti Aminah",
        "nik": "3171234567890001",
        "address": "Jl. Merdeka No. 1, Jakarta Pusat",
        "phone": "081234567890",
        "email": "siti@example.org",
        "occupation": "Peneliti",
        "information_requested": "Salinan laporan realisasi anggaran 2025",
        "purpose": "Penelitian kebijakan fiskal",
        "obtain_method": "soft_copy",
        "delivery_method": "email",
    }
    data.update(overrides)
    return data


def lapor_payload(**overrides) -> dict:
    """A valid SP4N-LAPOR report body for ``POST /api/v2/lapor/reports/``."""
    data = {
        "title": "Jalan rusak di depan kantor layanan",
        "description": "Lubang besar membahayakan pengendara sejak dua minggu.",
        "classification": "pengaduan",
        "location": "Jl. Sudirman, Jakarta",
        "name": "Budi Santoso",
        "nik": "3201234567890002",
        "email": "budi@example.org",
        "phone": "+6281298765432",
    }
    data.update(overrides)
    return data


@pytest.fixture
def units(db):
    """Two active units with disposition e-mails."""
    from tests.factories import UnitFactory

    one = UnitFactory(code="T-DEP1", name="Kedeputian Satu", email="dep1@example.org")
    two = UnitFactory(code="T-DEP2", name="Kedeputian Dua", email="dep2@example.org")
    return one, two


@pytest.fixture
def make_user(db):
    """``make_user("name", "PPID Utama", units=[unit])``: an active staff user in the role group(s)."""
    from django.contrib.auth.models import Group, User

    from home.models import UnitMembership
    from layanan.core.access import ensure_role_groups

    ensure_role_groups()

    def make(username, *groups, units=(), email=None):
        user = User.objects.create_user(username, email or f"{username}@example.org", "pw-Desk-2026!")
        for name in groups:
            user.groups.add(Group.objects.get(name=name))
        for unit in units:
            UnitMembership.objects.create(user=user, unit=unit)
        return User.objects.get(pk=user.pk)  # fresh permission cache

    return make


@pytest.fixture
def desk_users(make_user, units):
    """One user per role: ppid (PPID Utama), op1/op2 (Operator Unit of unit 1/2), atasan, lapor."""
    one, two = units
    return {
        "ppid": make_user("ppid", "PPID Utama"),
        "op1": make_user("op1", "Operator Unit", units=[one]),
        "op2": make_user("op2", "Operator Unit", units=[two]),
        "atasan": make_user("atasan", "Atasan PPID"),
        "lapor": make_user("lapor", "Admin LAPOR"),
    }


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(autouse=True)
def _no_throttle_cache_leak():
    """Throttle counters live in the cache: start every test from an empty cache."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def run_pending_on_commit():
    """Run and drop the on-commit callbacks queued so far in the test transaction (e.g. the holiday seed's
    ``holidays_changed`` batch), so later changes queue callbacks of their own."""
    from django.db import connection

    pending = list(connection.run_on_commit)
    connection.run_on_commit.clear()
    for _sids, callback, _robust in pending:
        callback()


@pytest.fixture
def settled_holidays(synced_holidays):
    """``synced_holidays`` with its pending ``holidays_changed`` notification already delivered."""
    run_pending_on_commit()
    return synced_holidays


# --- WBS and social-media intake (issue 4) --------------------------------------------------------------------


def wbs_payload(**overrides) -> dict:
    """A valid anonymous WBS report body for ``POST /api/v2/wbs/reports/``."""
    data = {
        "violation_type": "bribery",
        "what": "Petugas loket meminta uang pelicin Rp2 juta untuk mempercepat izin.",
        "where": "Loket perizinan lantai 2",
        "when": "Maret 2026",
        "who": "Petugas loket berinisial AB",
        "unit": "Biro Perizinan",
        "how": "Diminta secara lisan saat menyerahkan berkas.",
    }
    data.update(overrides)
    return data


def dump_database_text() -> str:
    """Every value of every column of every table, as one string (bytes decoded as latin-1)."""
    from django.db import connection

    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if value is None:
                        continue
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("latin-1")
                    chunks.append(str(value))
    return "\n".join(chunks)


@pytest.fixture
def inspektorat(make_user):
    """A user in the "Inspektorat (WBS)" role."""
    return make_user("inspektur", "Inspektorat (WBS)")


@pytest.fixture
def social_admin(make_user):
    """A user in the "Admin Media Sosial" role."""
    return make_user("humas", "Admin Media Sosial")
