"""Downloads of the reports: CSV, XLSX (openpyxl) and a printable HTML page — each one audited (``ExportLog``).

:func:`export_report` is the one entry point (the admin views call it). It renders the report's tables
(``report.tables()``, the same the admin page shows) and, on request, the list of tickets behind the report.

Personal data: the ticket lists never contain names, NIK, e-mail addresses, phone numbers or addresses — unless
``personal_data=True`` was asked for explicitly AND the user may (``reports.access.can_export_personal_data``:
``view_personal_data``; for WBS, the WBS role). WBS exports show counts below the threshold as ``"<5"`` unless
``unsuppressed=True`` was asked for explicitly by the Inspektorat (``can_unsuppress``); a WBS ticket list is
only available unsuppressed. Every export writes one ``ExportLog`` row (who, when, report, format, parameters,
options, rows).

CSV layout (UTF-8 with BOM, comma-separated): summary = one row per figure with the columns
``Bagian, Uraian, Ukuran, Nilai, kode_bagian, kode_uraian``; a ticket list = one row per ticket.
XLSX: a "Keterangan" sheet (title, period, legal basis, generated at/by), the narrative sections (PPID annual
report), one sheet per table (wide layout) and one sheet per ticket list. PDF: the report as one document
(:mod:`layanan.reports.document`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from home.models import OrganisationSettings
from layanan.calendar.workdays import WorkCalendar, to_local
from layanan.core.models.audit import ExportLog
from layanan.core.report_access import can_export_personal_data, can_unsuppress, can_view_report
from layanan.core.reporting import Cell, Table
from layanan.lapor.reports import _period, lapor_queryset
from layanan.ppid.reports import objections_queryset, requests_queryset
from layanan.reports.document import report_pdf, report_sections
from layanan.wbs.reports import reporter_identity, wbs_queryset
from pesan_cms import timezones

__all__ = ["EXPORT_FORMATS", "ExportResult", "export_report", "ticket_lists", "ticket_table"]

EXPORT_FORMATS = ("csv", "xlsx", "html", "pdf")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


@dataclass
class ExportResult:
    """A produced export: ``content`` (bytes), ``content_type``, ``filename`` and its audit ``log`` row."""

    content: bytes
    content_type: str
    filename: str
    log: object


# --- ticket lists -----------------------------------------------------------------------------------------------
def ticket_lists(report, user) -> list[tuple[str, str, object]]:
    """``[(key, title, queryset)]``: the ticket lists behind ``report`` within ``user``'s scope."""
    code = report.report_code
    if code == "ppid_annual":
        return [
            ("requests", gettext("Requests"), requests_queryset(report.year, user)),
            ("objections", gettext("Objections"), objections_queryset(report.year, user)),
        ]
    if code == "lapor_monthly":
        return [("reports", gettext("Reports"), lapor_queryset(_period(report.year, report.month), user))]
    if code == "wbs":
        return [("reports", gettext("Reports"), wbs_queryset(report.year, user))]
    return []


def _date(value):
    """A datetime as a naive WIB datetime without microseconds (a spreadsheet shows it as typed); a date as is."""
    if value is None:
        return None
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0) if hasattr(value, "hour") else value


def _working_days_between(tickets):
    """``between(start, end)`` in working days (``WorkCalendar.working_days_between``) over one
    :class:`~layanan.calendar.workdays.WorkingDayIndex` of every decided PPID request's dates: one pass over the
    calendar, then a subtraction per row (issue 20: an export of a whole year costs what its rows cost)."""
    calendar = WorkCalendar.load()
    dates = [
        day
        for t in tickets
        if t.counting_from and getattr(t, "ppid", None) is not None and t.ppid.decided_at
        for day in (t.counting_from, to_local(t.ppid.decided_at).date())
    ]
    if not dates:
        return calendar.working_days_between
    return calendar.working_day_index(min(dates), max(dates)).between


def ticket_table(queryset, *, personal_data: bool = False) -> tuple[list[str], list[list]]:
    """``(headers, rows)`` of a ticket list (one query; working days with one calendar).

    Columns: tracking number, service, received (WIB), channel, unit, status, due date, extended, then per
    service (PPID: outcome, Pasal 17 ground, decided (WIB), working days taken, late; objection: request,
    reason, decision, answered (WIB), late; LAPOR: classification, category, verified, closed) and, only with
    ``personal_data``, name, NIK, e-mail, phone (WBS: the reporter identity fields of its detail model). The working
    days taken of all rows come from one pass over the calendar (:func:`_working_days_between`).
    """
    tickets = list(
        queryset.select_related("unit", "ppid", "objection__request", "lapor__category", "wbs").order_by(
            "received_at", "pk"
        )
    )
    services = {t.service for t in tickets}
    zone = {"tz": timezones.label()}  # date columns name the institution's zone: "(WIB)", "(WITA)", "(WIT)"
    headers = [
        gettext("Tracking number"),
        gettext("Service"),
        gettext("Received (%(tz)s)") % zone,
        gettext("Channel"),
        gettext("Unit"),
        gettext("Status"),
        gettext("Due date"),
        gettext("Extended"),
    ]
    if "ppid_request" in services:
        headers += [
            gettext("Outcome"),
            gettext("Pasal 17 ground"),
            gettext("Decided (%(tz)s)") % zone,
            gettext("Working days taken"),
            gettext("Late"),
        ]
    if "objection" in services:
        headers += [
            gettext("Request"),
            gettext("Reason"),
            gettext("Decision"),
            gettext("Answered (%(tz)s)") % zone,
            gettext("Late"),
        ]
    if "lapor" in services:
        headers += [
            gettext("Classification"),
            gettext("Category"),
            gettext("Verified (%(tz)s)") % zone,
            gettext("Closed (%(tz)s)") % zone,
        ]
    if personal_data:
        headers += [gettext("Name"), gettext("NIK"), gettext("E-mail"), gettext("Phone")]
    between = _working_days_between(tickets) if "ppid_request" in services else None
    yes, no = gettext("yes"), gettext("no")
    rows = []
    for t in tickets:
        row = [
            t.tracking_number,
            t.get_service_display(),
            _date(t.received_at),
            t.get_channel_display(),
            t.unit.name if t.unit else "",
            t.status_label,
            t.due_date,
            yes if t.extended else no,
        ]
        if "ppid_request" in services:
            details = getattr(t, "ppid", None)
            decided = details.decided_at if details else None
            taken = late = None
            if decided and t.counting_from:
                decided_on = to_local(decided).date()
                taken = max(0, between(t.counting_from, decided_on))
                late = yes if t.due_date and decided_on > t.due_date else no
            row += [
                details.get_outcome_display() if details and details.outcome else "",
                details.get_exemption_ground_display() if details and details.exemption_ground else "",
                _date(decided),
                taken,
                late,
            ]
        if "objection" in services:
            details = getattr(t, "objection", None)
            answered_late = None
            if t.responded_at and t.due_date:
                answered_late = yes if to_local(t.responded_at).date() > t.due_date else no
            row += [
                details.request.tracking_number if details and details.request else "",
                details.get_reason_display() if details else "",
                details.get_decision_display() if details and details.decision else "",
                _date(t.responded_at),
                answered_late,
            ]
        if "lapor" in services:
            details = getattr(t, "lapor", None)
            row += [
                details.get_classification_display() if details else "",
                details.category.name if details and details.category else "",
                _date(details.verified_at) if details else None,
                _date(t.closed_at) if t.status == "closed" else None,
            ]
        if personal_data:
            row += _identity(t)
        rows.append(row)
    return headers, rows


def _identity(ticket) -> list:
    """Name, NIK, e-mail, phone of the applicant (WBS: from its encrypted detail model, when present)."""
    if ticket.service == "wbs":
        return reporter_identity(ticket)
    return [ticket.applicant_name, ticket.applicant_nik, ticket.applicant_email, ticket.applicant_phone]


# --- renderers --------------------------------------------------------------------------------------------------
def _cell_value(cell: Cell):
    if cell.display is not None:
        return cell.display
    return cell.value


#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"): = + - @, tab, CR.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value):
    """``value`` safe for a CSV cell: a text starting with a formula trigger gets a leading apostrophe
    (``=HYPERLINK(...)`` → ``'=HYPERLINK(...)``), so a spreadsheet shows it as text and never runs it. Numbers,
    dates and None pass unchanged (a negative number is a number, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _csv_bytes(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["" if v is None else spreadsheet_text(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _append_as_text(sheet, values: list) -> None:
    """Append a row; a text cell is stored as text, never as a formula, whatever it starts with (openpyxl
    would store ``=…`` as a formula), and marked "quote prefix" so editing it in Excel keeps it text."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
            cell.data_type = "s"
            cell.quotePrefix = True


def summary_rows(tables: list[Table]) -> list[list]:
    """The tidy summary: header + one row per figure (see the module docstring)."""
    rows = [[gettext("Section"), gettext("Item"), gettext("Measure"), gettext("Value"), "kode_bagian", "kode_uraian"]]
    for table in tables:
        for row in table.rows:
            for column, cell in zip(table.columns, row.cells, strict=False):
                rows.append([str(table.title), str(row.label), str(column), _cell_value(cell), table.key, row.code])
    return rows


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(title: str, used: set) -> str:
    base = _SHEET_BAD.sub(" ", title)[:31].strip() or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _xlsx_bytes(
    meta: list[tuple[str, str]], tables: list[Table], lists: list[tuple[str, list, list]], narrative=()
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    workbook = Workbook()
    info = workbook.active
    used: set = set()
    info.title = _sheet_title(gettext("Information"), used)
    for label, value in meta:
        _append_as_text(info, [label, value])
        info.cell(row=info.max_row, column=1).font = bold
    info.column_dimensions["A"].width = 28
    info.column_dimensions["B"].width = 70
    if narrative:  # the report's narrative sections, in the document's order (``report_sections``)
        sheet = workbook.create_sheet(_sheet_title(gettext("Narrative"), used))
        for heading, parts in narrative:
            _append_as_text(sheet, [heading])
            sheet.cell(row=sheet.max_row, column=1).font = bold
            for sub_heading, paragraphs in parts:
                _append_as_text(sheet, [sub_heading, "\n\n".join(paragraphs) or gettext("(Not written yet.)")])
                sheet.cell(row=sheet.max_row, column=1).font = bold
        sheet.column_dimensions["A"].width = 40
        sheet.column_dimensions["B"].width = 100
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(str(table.title), used))
        _append_as_text(sheet, [str(table.label_header), *[str(c) for c in table.columns]])
        for cell in sheet[1]:
            cell.font = bold
        for row in table.rows:
            _append_as_text(sheet, [str(row.label), *[_cell_value(c) for c in row.cells]])
            if row.total:
                for cell in sheet[sheet.max_row]:
                    cell.font = bold
        if table.note:
            sheet.append([])
            _append_as_text(sheet, [str(table.note)])
        sheet.column_dimensions["A"].width = 48
    for title, headers, rows in lists:
        sheet = workbook.create_sheet(_sheet_title(title, used))
        _append_as_text(sheet, headers)
        for cell in sheet[1]:
            cell.font = bold
        for row in rows:
            _append_as_text(sheet, row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the entry point --------------------------------------------------------------------------------------------
def export_report(
    report,
    user,
    export_format: str,
    *,
    personal_data: bool = False,
    unsuppressed: bool = False,
    content: str = "summary",
    request=None,
) -> ExportResult:
    """Produce ``report`` (a report dataclass: ``PPIDAnnualReport``, ``LaporReport``, ``WBSReport``) as
    ``export_format`` (``csv``, ``xlsx`` or ``html``) for ``user`` and write the ``ExportLog`` row.

    ``content`` (CSV only): ``summary`` (default) or the key of one ticket list (``requests``, ``objections``
    for PPID; ``reports`` for LAPOR and WBS). XLSX holds the summary, the narrative sections (PPID annual
    report) and every ticket list; HTML is the printable summary with a signature block; PDF is the report as
    one document — narrative and tables in the order of :func:`layanan.reports.document.report_sections`, with
    a signature block (no ticket list, no personal data). ``personal_data`` / ``unsuppressed``: the explicit options.

    Raises ``PermissionDenied`` when the user may not open the report or may not take an option, and
    ``ValidationError({field: message})`` for an unknown format or content.
    """
    code = report.report_code
    if not can_view_report(user, code):
        raise PermissionDenied
    if personal_data and not can_export_personal_data(user, code):
        raise PermissionDenied(gettext("You may not export personal data."))
    if unsuppressed and not can_unsuppress(user, code):
        raise PermissionDenied(gettext("You may not export unsuppressed counts."))
    if export_format not in EXPORT_FORMATS:
        raise ValidationError({"format": gettext("Choose CSV, XLSX, HTML or PDF.")})
    tables = report.tables(suppressed=not unsuppressed) if code == "wbs" else report.tables()
    lists_available = code != "wbs" or unsuppressed
    available = {key: (title, qs) for key, title, qs in ticket_lists(report, user)} if lists_available else {}
    if export_format == "csv" and content != "summary" and content not in available:
        raise ValidationError({"content": gettext("Unknown content.")})

    generated_at = timezone.localtime()
    base = "-".join(
        [code.replace("_", "-"), *[f"{v:02d}" if k == "month" else str(v) for k, v in report.params().items()]]
    )
    row_count = 0
    if export_format == "csv":
        if content == "summary":
            data = _csv_bytes(summary_rows(tables))
            filename = f"{base}.csv"
        else:
            headers, rows = ticket_table(available[content][1], personal_data=personal_data)
            row_count = len(rows)
            data = _csv_bytes([headers, *rows])
            filename = f"{base}-{content}.csv"
    elif export_format == "xlsx":
        lists = []
        for title, queryset in available.values():
            headers, rows = ticket_table(queryset, personal_data=personal_data)
            row_count += len(rows)
            lists.append((title, headers, rows))
        meta = _meta(report, user, generated_at, personal_data, unsuppressed)
        narrative = [(heading, part) for heading, part, _tables in report_sections(report, tables) if part]
        data = _xlsx_bytes(meta, tables, lists, narrative)
        filename = f"{base}.xlsx"
        content = "all"
    elif export_format == "pdf":
        data = report_pdf(
            report,
            tables,
            organisation=_organisation(request),
            generated_at=generated_at,
            generated_by=user.get_full_name() or user.get_username(),
            signatory=_signatory(code),
        )
        filename = f"{base}.pdf"
        content = "summary"
    else:
        data = render_to_string(
            "layanan/reports/print.html",
            {
                "report": report,
                "tables": tables,
                "generated_at": generated_at,
                "generated_by": user,
                "organisation": _organisation(request),
                "suppressed": code == "wbs" and not unsuppressed,
                "signatory": _signatory(code),
            },
            request=request,
        ).encode("utf-8")
        filename = f"{base}.html"
        content = "summary"
    with transaction.atomic():
        log = ExportLog.objects.create(
            user=user,
            username=user.get_username(),
            at=generated_at,
            report=code,
            export_format=export_format,
            parameters={**report.params(), "content": content},
            personal_data=bool(personal_data),
            unsuppressed=bool(unsuppressed),
            rows=row_count,
        )
    return ExportResult(data, CONTENT_TYPES[export_format], filename, log)


def _meta(report, user, generated_at, personal_data, unsuppressed) -> list[tuple[str, str]]:
    meta = [
        (gettext("Report"), str(report.title)),
        (gettext("Legal basis"), report.legal_basis),
        (gettext("Generated at"), f"{generated_at:%Y-%m-%d %H:%M} {timezones.label()}"),
        (gettext("Generated by"), user.get_full_name() or user.get_username()),
        (gettext("Figures as of"), report.as_of.isoformat()),
    ]
    if report.report_code == "wbs" and not unsuppressed:
        meta.append((gettext("Small counts"), gettext("Counts below 5 are shown as <5.")))
    if personal_data:
        meta.append((gettext("Personal data"), gettext("Contains personal data: handle under UU 27/2022.")))
    return meta


def _organisation(request):
    try:
        if request is not None:
            return OrganisationSettings.for_request(request)
        from wagtail.models import Site

        site = Site.objects.filter(is_default_site=True).first()
        return OrganisationSettings.for_site(site) if site else None
    except Exception:  # noqa: BLE001 - the print page must not fail for lack of a site setting
        return None


SIGNATORIES = {
    "ppid_annual": _("PPID Utama"),
    "lapor_monthly": _("SP4N-LAPOR administrator"),
    "wbs": _("Inspector"),
}


def _signatory(code: str) -> str:
    return str(SIGNATORIES.get(code, ""))
