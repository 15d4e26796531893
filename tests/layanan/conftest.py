"""Fixtures of the service-desk tests (shared: calendar and tickets; add fixtures by appending)."""

import datetime
import struct
import zlib
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


def minimal_pdf(extra_objects: tuple[bytes, ...] = (), catalog_extra: bytes = b"", page_extra: bytes = b"") -> bytes:
    """A one-page PDF with a correct cross-reference table and no document information (hand-written, so its
    bytes are known): objects 1 catalog, 2 pages, 3 page, then ``extra_objects`` as 4, 5, …"""
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + page_extra + b">>",
        *extra_objects,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


PDF_BYTES = minimal_pdf()


def objstm_pdf(hidden: bytes) -> bytes:
    """A PDF 1.5 whose /OpenAction (object 5) lives inside a compressed object stream: its names never
    appear in the file's bytes, only to a parser."""
    header = b"5 0 "
    objstm_data = zlib.compress(header + hidden)
    out = bytearray(b"%PDF-1.5\n")
    offsets = {}

    def obj(number, body):
        offsets[number] = len(out)
        out.extend(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    obj(1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>")
    obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    obj(
        4,
        b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(objstm_data))
        + objstm_data
        + b"\nendstream",
    )
    xref_offset = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    for n in (1, 2, 3, 4):
        rows.append(struct.pack(">BIH", 1, offsets[n], 0))
    rows.append(struct.pack(">BIH", 2, 4, 0))  # object 5: in object stream 4, index 0
    rows.append(struct.pack(">BIH", 1, xref_offset, 0))  # object 6: the xref stream itself
    data = b"".join(rows)
    out.extend(
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(data)
        + data
        + b"\nendstream\nendobj\n"
    )
    out.extend(b"startxref\n%d\n%%%%EOF\n" % xref_offset)
    return bytes(out)


def minimal_png() -> bytes:
    """A valid 1 × 1 transparent PNG (CRCs computed, so every decoder reads it)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00\x00\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


PNG_BYTES = minimal_png()


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


# --- the site forms' anti-robot check (issue 16: ALTCHA proof of work, layanan.site.challenge) ------------------


def embedded_challenge(html: str) -> dict:
    """The challenge a form page embeds (``data-challenge`` of the check's box), as the ALTCHA JSON object."""
    import html as html_lib
    import json
    import re

    found = re.search(r'data-challenge="([^"]+)"', html)
    assert found, "no anti-robot challenge on the page"
    return json.loads(html_lib.unescape(found.group(1)))


def solve_challenge(challenge: dict) -> str:
    """The base64 payload that solves ``challenge``, found for real by the altcha package (what the site's script
    does in the browser; the test settings keep ``PESAN_CHALLENGE_MAX_NUMBER`` tiny)."""
    from altcha.v1 import Payload
    from altcha.v1 import solve_challenge as altcha_solve

    solution = altcha_solve(challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxnumber"])
    assert solution is not None, "challenge not solvable"
    return Payload(
        challenge["algorithm"], challenge["challenge"], solution.number, challenge["salt"], challenge["signature"]
    ).to_base64()


def challenge_field(html: str | None = None) -> dict:
    """``{"altcha": payload}`` for ONE post of a site form: the challenge embedded in ``html`` (a form page) solved,
    or, without ``html``, a fresh one from the server (``layanan.site.challenge.new_challenge``). A solution is
    accepted once, so call it for every post."""
    from layanan.site.challenge import new_challenge

    return {"altcha": solve_challenge(embedded_challenge(html) if html is not None else new_challenge())}


# --- a fixed "now" (issue 17: rules that depend on today, e.g. no extension after the due date) ------------------


@pytest.fixture
def frozen_now(monkeypatch):
    """``frozen_now(dt)`` makes ``django.utils.timezone.now()`` return ``dt`` (an aware datetime, e.g. ``wib(…)``)
    for the rest of the test: the moment of a submission or of a desk step."""
    from django.utils import timezone

    def freeze(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return freeze
