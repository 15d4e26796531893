"""The PPID registers (Perki 1/2021: register of requests, register of objections) as admin exports (issue 17):
every column the Perki lists, labels never codes, times in WIB without microseconds, the applicant masked unless
the authorised option is taken (and logged), who may export, and the export log in words."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from layanan.core.models.audit import ExportLog
from layanan.core.workflow import apply_transition
from layanan.ppid import intake as ppid_intake
from layanan.ppid.models import EXEMPTION_GROUNDS, OBJECTION_REASONS, ObjectionDetails, PPIDRequestDetails
from layanan.ppid.registers import OBJECTION_COLUMNS, REQUEST_COLUMNS
from tests.layanan.conftest import ppid_payload, wib

pytestmark = pytest.mark.django_db

WIB = {"tz": "WIB"}  # the zone named in the date columns (the default TIME_ZONE)

EXPORT = "/admin/layanan-registers/{}/export/"
REQUESTS, OBJECTIONS = EXPORT.format("ppid_register"), EXPORT.format("objection_register")


@pytest.fixture(autouse=True)
def default_language():
    with translation.override(settings.LANGUAGE_CODE):
        yield


def _denied(response) -> bool:
    """Wagtail answers a PermissionDenied in the admin with a redirect to the dashboard (and a message)."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def _csv(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]], rows[0]


def _step(frozen_now, moment, ticket, action, user, **data):
    frozen_now(moment)
    return apply_transition(ticket, action, user, **data)


@pytest.fixture
def year_2026(settled_holidays, desk_users, frozen_now):
    """Three requests and one objection of 2026 (and one request of 2025 that must not appear).

    R1: received Mon 6 Apr 2026 09:00:07.123456 WIB (microseconds on purpose), granted in part on 13 Apr (ground
        h), delivered on 15 Apr 2026 14:30 WIB.
    R2: received 5 Oct 2026 09:00 WIB, refused on 9 Oct (ground b); objection (reason a) on 19 Oct, rejected
        by the Atasan PPID on 2 Nov 2026 10:00 WIB → Komisi Informasi by Fri 20 Nov 2026 (14 WD, no holiday).
    R3: received 5 Oct 2026 10:00 WIB by e-mail, not held.
    """
    ppid, atasan = desk_users["ppid"], desk_users["atasan"]
    frozen_now(wib(2025, 12, 1, 9, 0))
    old = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2025, 12, 1, 9, 0)).ticket
    moment = wib(2026, 4, 6, 9, 0, 7, 123456)
    frozen_now(moment)
    r1 = ppid_intake.submit_ppid_request(ppid_payload(), received_at=moment).ticket
    r1 = _step(
        frozen_now,
        wib(2026, 4, 13, 10, 0),
        r1,
        "decide",
        ppid,
        outcome="granted_part",
        exemption_ground="h",
        outcome_reason="Nomor rekening dihitamkan.",
        cost="15000",
        payment_method="Transfer PNBP",
        time_needed_days="5",
        note="Terlampir.",
    )
    r1 = _step(frozen_now, wib(2026, 4, 15, 14, 30), r1, "deliver", ppid, note="Dikirim lewat e-mail.")
    frozen_now(wib(2026, 10, 5, 9, 0))
    r2 = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 10, 5, 9, 0)).ticket
    r2 = _step(
        frozen_now,
        wib(2026, 10, 9, 10, 0),
        r2,
        "decide",
        ppid,
        outcome="rejected_exempt",
        exemption_ground="b",
        outcome_reason="Rahasia dagang pihak ketiga.",
        note="Ditolak.",
    )
    frozen_now(wib(2026, 10, 5, 10, 0))
    r3 = ppid_intake.submit_ppid_request(
        ppid_payload(name="Budi Santoso", nik="3273012345670002", email="budi@example.org", phone="0811000222"),
        received_at=wib(2026, 10, 5, 10, 0),
        channel="email",
    ).ticket
    r3 = _step(
        frozen_now, wib(2026, 10, 6, 10, 0), r3, "decide", ppid, outcome="not_held", holding_body="BPS", note="x"
    )
    frozen_now(wib(2026, 10, 19, 9, 0))
    objection = ppid_intake.submit_objection(
        {
            "request_tracking_number": r2.tracking_number,
            "reason": "a",
            "description": "Bukan rahasia dagang.",
            "name": "Siti Aminah",
            "nik": "3171234567890001",
            "email": "siti@example.org",
        },
        received_at=wib(2026, 10, 19, 9, 0),
    ).ticket
    objection = _step(
        frozen_now,
        wib(2026, 11, 2, 10, 0),
        objection,
        "answer",
        atasan,
        decision="rejected",
        answer_ground="Dokumen memuat rahasia dagang.",
        note="Keberatan ditolak.",
    )
    return {"old": old, "R1": r1, "R2": r2, "R3": r3, "O1": objection}


def test_request_register_has_every_column_labels_not_codes_and_a_masked_applicant(client, year_2026, desk_users):
    client.force_login(desk_users["ppid"])
    rows, header = _csv(client.get(REQUESTS, {"year": 2026, "format": "csv"}))
    assert header == [str(label).replace("%(tz)s", "WIB") for _key, label in REQUEST_COLUMNS]
    for column in (
        "No.",
        "Registration number",
        "Date received (%(tz)s)",
        "Applicant name",
        "NIK / legalisation decree",
        "Information requested",
        "Purpose of use",
        "How to obtain the information",
        "How to receive it",
        "Decision",
        "Pasal 17 ground",
        "Written notice number",
        "Date delivered (%(tz)s)",
        "Cost (Rp)",
        "How to pay",
        "Officer",
        "Applicant's response",
    ):
        assert _(column).replace("%(tz)s", "WIB") in header, column  # the columns Perki 1/2021 lists
    by_number = {row[_("Registration number")]: row for row in rows}
    assert set(by_number) == {year_2026[k].tracking_number for k in ("R1", "R2", "R3")}  # not the 2025 one
    assert [row[_("No.")] for row in rows] == ["1", "2", "3"]  # oldest first

    r1 = by_number[year_2026["R1"].tracking_number]
    assert r1[_("Date received (%(tz)s)") % WIB] == "2026-04-06 09:00:07"  # WIB, no microseconds
    assert r1[_("Decision")] == PPIDRequestDetails.Outcome.GRANTED_PART.label
    assert r1[_("Pasal 17 ground")] == EXEMPTION_GROUNDS.H.label  # never "h"
    assert r1[_("How to obtain the information")] == PPIDRequestDetails.ObtainMethod.SOFT_COPY.label
    assert r1[_("How to receive it")] == PPIDRequestDetails.DeliveryMethod.EMAIL.label
    assert r1[_("Format given")] == PPIDRequestDetails.ObtainMethod.SOFT_COPY.label  # defaulted to the request's
    assert r1[_("Information held")] == _("yes") and r1[_("Time needed (working days)")] == "5"
    assert r1[_("Written notice number")] == "0001/PPID-PT/2026"
    assert r1[_("Date of the written notice (%(tz)s)") % WIB] == "2026-04-13 10:00:00"
    assert r1[_("Date delivered (%(tz)s)") % WIB] == "2026-04-15 14:30:00"
    assert (r1[_("Cost (Rp)")], r1[_("How to pay")]) == ("15000", "Transfer PNBP")
    assert r1[_("Officer")] == "ppid" and r1[_("How the request was made")] == _("Website")
    assert r1[_("Applicant's response")] == _("no objection")
    # the applicant masked: no name, NIK, address, phone or e-mail in clear
    assert r1[_("Applicant name")] == "S*** A***" and r1[_("NIK / legalisation decree")] == "3171********0001"
    assert (r1[_("Address")], r1[_("Phone")], r1[_("E-mail")]) == ("***", "*********890", "s***@example.org")
    body = "".join(str(v) for row in rows for v in row.values())
    for personal in ("Siti Aminah", "3171234567890001", "Jl. Merdeka", "081234567890", "siti@example.org"):
        assert personal not in body

    r2 = by_number[year_2026["R2"].tracking_number]
    assert r2[_("Pasal 17 ground")] == EXEMPTION_GROUNDS.B.label and r2[_("Decision")] == (
        PPIDRequestDetails.Outcome.REJECTED_EXEMPT.label
    )
    objection = year_2026["O1"].tracking_number
    assert (
        objection in r2[_("Applicant's response")] and str(OBJECTION_REASONS.A.label) in r2[_("Applicant's response")]
    )
    r3 = by_number[year_2026["R3"].tracking_number]
    assert (r3[_("Information held")], r3[_("Body holding the information")]) == (_("no"), "BPS")
    assert r3[_("How the request was made")] == _("E-mail") and r3[_("Applicant name")] == "B*** S***"

    log = ExportLog.objects.get()
    assert (log.report, log.export_format, log.parameters, log.rows, log.personal_data) == (
        "ppid_register",
        "csv",
        {"year": 2026},
        3,
        False,
    )


def test_objection_register_xlsx_parsed_back(client, year_2026, desk_users):
    client.force_login(desk_users["atasan"])
    response = client.get(OBJECTIONS, {"year": 2026, "format": "xlsx"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('objection-register-2026.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    info, sheet = workbook.worksheets
    meta = {row[0]: row[1] for row in info.iter_rows(values_only=True)}
    assert meta[_("Year received")] == "2026" and "Perki 1/2021" in meta[_("Legal basis")]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header == [str(label).replace("%(tz)s", "WIB") for _key, label in OBJECTION_COLUMNS]
    [values] = rows[1:]
    row = dict(zip(header, values, strict=True))
    o1, r2 = year_2026["O1"], year_2026["R2"]
    assert (row[_("Objection number")], row[_("Request number")]) == (o1.tracking_number, r2.tracking_number)
    assert row[_("Date received (%(tz)s)") % WIB] == datetime.datetime(2026, 10, 19, 9, 0)
    assert row[_("Reason for the objection (Pasal 35(1))")] == OBJECTION_REASONS.A.label  # never "a"
    assert row[_("Decision of the Atasan PPID")] == ObjectionDetails.Decision.REJECTED.label
    assert row[_("Ground of the answer")] == "Dokumen memuat rahasia dagang."
    assert row[_("Answer number")] == "0001/PPID-TK/2026"
    assert row[_("Date of the answer (%(tz)s)") % WIB] == datetime.datetime(2026, 11, 2, 10, 0)
    # 14 WD after Mon 2 Nov 2026: 3–6, 9–13, 16–20 Nov → Fri 20 Nov 2026
    assert row[_("Komisi Informasi deadline (%(tz)s)") % WIB] == datetime.datetime(2026, 11, 20, 0, 0)
    assert row[_("Atasan PPID (officer)")] == "atasan" and row[_("Applicant's response")] == _("no dispute filed")
    assert row[_("Information requested")] == "Salinan laporan realisasi anggaran 2025"
    assert row[_("Applicant name")] == "S*** A***"


def test_personal_data_needs_the_permission_and_the_option_and_is_logged(client, year_2026, desk_users, make_user):
    client.force_login(desk_users["ppid"])  # PPID Utama holds view_personal_data
    rows, _header = _csv(client.get(REQUESTS, {"year": 2026, "format": "csv", "personal_data": "1"}))
    r1 = next(row for row in rows if row[_("Registration number")] == year_2026["R1"].tracking_number)
    assert (r1[_("Applicant name")], r1[_("NIK / legalisation decree")]) == ("Siti Aminah", "3171234567890001")
    assert (r1[_("Address")], r1[_("Phone")]) == ("Jl. Merdeka No. 1, Jakarta Pusat", "081234567890")
    assert ExportLog.objects.get().personal_data

    clerk = make_user("clerk")  # handles PPID requests, may not see personal data
    clerk.user_permissions.add(
        Permission.objects.get(codename="handle_ppid"), Permission.objects.get(codename="access_admin")
    )
    client.force_login(clerk)
    assert _denied(client.get(REQUESTS, {"year": 2026, "format": "csv", "personal_data": "1"}))
    assert client.get(REQUESTS, {"year": 2026, "format": "csv"}).status_code == 200
    assert ExportLog.objects.filter(personal_data=True).count() == 1


def test_who_may_export_the_registers(client, year_2026, desk_users):
    for role in ("op1", "lapor"):  # a unit operator, the LAPOR admin: not the PPID's books
        client.force_login(desk_users[role])
        assert _denied(client.get(REQUESTS, {"year": 2026, "format": "csv"}))
        assert _denied(client.get("/admin/layanan-registers/"))
        assert "ppid-registers" not in client.get("/admin/").content.decode()
    assert not ExportLog.objects.exists()
    client.force_login(desk_users["ppid"])
    page = client.get("/admin/layanan-registers/").content.decode()
    assert 'id="register-ppid_register"' in page and 'id="register-objection_register"' in page
    assert "ppid-registers" in client.get("/admin/").content.decode()  # the admin menu item
    assert client.get(REQUESTS, {"year": 2026, "format": "pdf"}).status_code == 400
    assert client.get(REQUESTS, {"year": "26", "format": "csv"}).status_code == 400
    assert client.get(EXPORT.format("wbs"), {"year": 2026}).status_code == 400


def test_export_log_shows_words_not_a_python_dict(client, year_2026, desk_users, django_user_model):
    client.force_login(desk_users["ppid"])
    client.get(REQUESTS, {"year": 2026, "format": "xlsx"})
    client.get("/admin/layanan-reports/ppid_annual/export/", {"year": 2025, "format": "csv", "content": "requests"})
    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(boss)
    html = client.get("/admin/layanan-reports/exports/").content.decode()
    assert "{&#x27;" not in html and "{'" not in html  # no dict
    assert f"{_('Year')}: 2026" in html and f"{_('Content')}: {_('Requests')}" in html
    assert _("Register of information requests") in html and _("PPID annual report") in html
