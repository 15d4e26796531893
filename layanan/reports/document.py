"""A report as one PDF document: title page block, the narrative sections and the computed tables, a signature.

The PPID annual report (UU 14/2008 Pasal 12; Perki 1/2021) is a document, not only figures: its narrative
sections (policy; facilities, staff and budget; constraints; recommendations — ``AnnualReportNarrative``,
edited per year in the admin) stand beside the tables the system computes. :func:`report_sections` gives the
document's order once (the PDF here and the XLSX of :mod:`layanan.reports.exports` follow it); :func:`report_pdf`
renders it with ReportLab, reusing the desk's PDF helpers (embedded Bitstream Vera, paragraph styles, the
signature block: ``layanan.core.printable``). Other reports (LAPOR, WBS, satisfaction) have no narrative: their
PDF is the tables alone.

Shapes: a section is ``(heading, [text paragraphs] | None, [Table])`` — text ``None`` means "no narrative
part"; an empty list means the narrative part was not written (printed as such, never silently left out).
"""

from __future__ import annotations

import io

from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from layanan.core.conf import document_place
from layanan.core.printable import (
    Signature,
    _para,
    _register_fonts,
    _signature,
    _styles,
    format_long_date,
    issuer_lines,
)
from layanan.core.reporting import Table
from layanan.ppid.models import AnnualReportNarrative
from pesan_cms import timezones

__all__ = ["narrative_paragraphs", "report_pdf", "report_sections"]


def narrative_paragraphs(text: str) -> list[str]:
    """``text`` split into paragraphs at blank lines (line breaks inside a paragraph are kept)."""
    return [part.strip() for part in (text or "").replace("\r\n", "\n").split("\n\n") if part.strip()]


#: PPID annual report: (heading, narrative fields, table keys) in the order of Perki 1/2021's report content.
PPID_ANNUAL_LAYOUT = (
    ("policy", ("policy",), ()),
    ("implementation", ("facilities", "staff", "budget"), ()),
    ("service", (), ("summary", "by_channel", "by_unit", "outcomes", "rejections", "time_taken")),
    ("disputes", (), ("objections_by_reason", "objection_decisions", "disputes", "carried_out", "court_challenges")),
    ("constraints", ("constraints",), ()),
    ("recommendations", ("recommendations",), ()),
)


def _headings() -> dict[str, str]:
    return {
        "policy": gettext("1. Information-service policy"),
        "implementation": gettext("2. Implementation: facilities, human resources and budget"),
        "service": gettext("3. Information requests"),
        "disputes": gettext("4. Objections, Komisi Informasi disputes and court challenges"),
        "constraints": gettext("5. Internal and external constraints"),
        "recommendations": gettext("6. Recommendations and follow-up plans"),
    }


def report_sections(report, tables: list[Table]) -> list[tuple[str, list[tuple[str, list[str]]] | None, list[Table]]]:
    """The document's sections: ``[(heading, narrative, tables)]``; ``narrative`` is ``[(sub-heading, paragraphs)]``
    (paragraphs ``[]`` when not written) or ``None``. The PPID annual report follows :data:`PPID_ANNUAL_LAYOUT`
    (tables it does not name go into the last table section); any other report is one section of tables."""
    if report.report_code != "ppid_annual":
        return [(str(report.title), None, list(tables))]
    narrative = getattr(report, "narrative", None) or AnnualReportNarrative(year=report.year)
    texts = {name: (capfirst(heading), text) for name, heading, text in narrative.sections()}
    by_key = {table.key: table for table in tables}
    placed = {key for _code, _fields, keys in PPID_ANNUAL_LAYOUT for key in keys}
    headings = _headings()
    sections = []
    for code, field_names, keys in PPID_ANNUAL_LAYOUT:
        part = [(texts[name][0], narrative_paragraphs(texts[name][1])) for name in field_names] or None
        chosen = [by_key[key] for key in keys if key in by_key]
        if code == "disputes":
            chosen += [table for table in tables if table.key not in placed]
        sections.append((headings[code], part, chosen))
    return sections


def _table_flowable(table: Table, width: float, styles: dict):
    columns = [str(c) for c in table.columns]
    label_width = min(width * 0.5, width - 22 * mm * len(columns))
    cell_width = (width - label_width) / max(1, len(columns))
    head = [_para(str(table.label_header), styles["label"])] + [_para(c, styles["label"]) for c in columns]
    rows = [head]
    for row in table.rows:
        style = styles["sign_name"] if row.total else styles["base"]  # the bold body style: a total row
        rows.append([_para(str(row.label), style)] + [_para(cell.text, style) for cell in row.cells])
    flowable = PdfTable(rows, colWidths=[label_width] + [cell_width] * len(columns), repeatRows=1)
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#999999")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    flowable.setStyle(TableStyle(commands))
    parts = [_para(str(table.title), styles["heading"]), flowable]
    if table.note:
        parts.append(_para(str(table.note), styles["small"]))
    return KeepTogether(parts) if len(table.rows) <= 12 else parts


def report_pdf(report, tables: list[Table], *, organisation, generated_at, generated_by: str, signatory: str) -> bytes:
    """``report`` as an A4 PDF: issuing body (``organisation``: ``home.OrganisationSettings`` or None) with its
    address, title, legal basis, figures date; then :func:`report_sections` (narrative paragraphs and tables;
    "not written yet" for an empty narrative part); then the signature block ("<place>, <date>",
    ``PESAN_DOCUMENT_PLACE``; ``signatory``, e.g. the PPID Utama; a blank line to sign over) and who generated
    it when (``generated_at``: aware, WIB). Text is extractable (fonts subset with a ToUnicode map)."""
    issuer = organisation.name if organisation is not None else ""
    _register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    width = A4[0] - 36 * mm - 12
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=str(report.title),
        author=issuer,
        subject=report.legal_basis,
        creator=issuer,
        producer="PESAN",
    )
    story = [
        _para(issuer, styles["issuer"]),
        *[_para(line, styles["small"]) for line in issuer_lines(organisation)],
        Spacer(1, 3 * mm),
        _para(str(report.title).upper(), styles["title"]),
        _para(report.legal_basis, styles["subtitle"]),
        _para(
            gettext("Figures as of %(date)s (%(tz)s). Durations in working days.")
            % {"date": formats.date_format(report.as_of, "j F Y"), "tz": timezones.label()},
            styles["small"],
        ),
        Spacer(1, 4 * mm),
    ]
    for heading, narrative, section_tables in report_sections(report, tables):
        story.append(_para(heading, styles["title"] if narrative is not None or section_tables else styles["heading"]))
        for sub_heading, paragraphs in narrative or []:
            if len(narrative) > 1:  # one part only: the section's heading says it
                story.append(_para(sub_heading, styles["heading"]))
            if paragraphs:
                story += [_para(text, styles["base"]) for text in paragraphs]
            else:
                story.append(_para(gettext("(Not written yet.)"), styles["small"]))
        for table in section_tables:
            flowable = _table_flowable(table, width, styles)
            story += flowable if isinstance(flowable, list) else [flowable]
        story.append(Spacer(1, 3 * mm))
    place, when = document_place(), format_long_date(generated_at)
    signature = Signature(place_date=f"{place}, {when}" if place else when, role=signatory, name="")
    story += [
        _signature(signature, styles, width),
        Spacer(1, 6 * mm),
        _para(
            gettext("Generated on %(datetime)s %(tz)s by %(user)s.")
            % {"datetime": generated_at.strftime("%d/%m/%Y %H:%M"), "tz": timezones.label(), "user": generated_by},
            styles["small"],
        ),
    ]
    doc.build(story)
    return buffer.getvalue()
