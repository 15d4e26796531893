"""Printable documents of the service desk as data, and their one A4 PDF renderer (ReportLab).

A :class:`Document` is a letterhead (the issuing body from the site settings), a title, an optional number
(``Nomor``), sections of label/value rows, paragraphs, notes and an optional signature block. The same data is
rendered as an A4 PDF by :func:`render_pdf` (ReportLab, Bitstream Vera embedded — the TrueType font ReportLab
ships, which covers Indonesian text — and ``reference`` as a QR code) and as the printable HTML page
``layanan/site/receipt.html`` (print style sheet ``layanan/static/layanan/receipt.css``).

Users: the proof of filing (``layanan.core.receipt_document``), the WBS receipt (``layanan.wbs.filing_receipt``)
and the documents a step issues (``layanan.core.documents``: the PPID's written notice and refusal decision,
the Atasan PPID's answer to an objection, ``layanan.ppid.documents``).

A section's paragraphs may include a :class:`Picture` (an image file printed across the page width with its
caption): the workshop edition of the admin's guides (``layanan.guides``) prints its screenshots so.

Dates and times are printed in the institution's zone (``TIME_ZONE``, WIB by default) with its label.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import formats, translation
from django.utils.translation import gettext
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from wagtail.models import Site

from home.models import OrganisationSettings
from layanan.calendar.workdays import to_local
from pesan_cms import timezones

__all__ = [
    "Document",
    "Picture",
    "Row",
    "Section",
    "Signature",
    "format_date",
    "format_datetime",
    "format_long_date",
    "format_rupiah",
    "issuer",
    "issuer_lines",
    "pdf_response",
    "render_pdf",
    "rows",
    "text_value",
]


@dataclass(frozen=True)
class Row:
    """One line of a document: ``label`` and ``value`` (text; may hold line breaks). ``code``: a number or code
    printed large and monospaced (the tracking number, the WBS receipt code)."""

    label: str
    value: str
    code: bool = False


@dataclass(frozen=True)
class Picture:
    """An image printed across the page width (height in proportion, at most 60 % of the page), ``caption`` in small
    type under it: ``path`` of a PNG or JPEG file (a screenshot of a guide)."""

    path: str
    caption: str = ""


@dataclass(frozen=True)
class Section:
    """A titled group of rows (``heading`` may be ""); ``paragraphs``: text printed after the rows (a decision's
    operative sentence, an explanation), or a :class:`Picture` where it stands among them."""

    heading: str
    rows: tuple[Row, ...]
    paragraphs: tuple[str | Picture, ...] = ()


@dataclass(frozen=True)
class Signature:
    """The signature block of a letter: ``place_date`` ("Jakarta, 10 April 2026"), the signer's ``role`` (the
    office: "Pejabat Pengelola Informasi dan Dokumentasi") and ``name`` (the officer; "" leaves a blank line to
    sign over)."""

    place_date: str
    role: str
    name: str


@dataclass(frozen=True)
class Document:
    """A printable document as data, rendered alike as HTML and PDF.

    ``issuer``: the body's name; ``issuer_lines``: its address and contacts (may be empty); ``title`` and
    ``subtitle``; ``number``: the document's number ("" for none: a receipt is known by its tracking number);
    ``reference``: what the QR code holds (the tracking or document number; "" for none); ``sections``;
    ``notes``: paragraphs printed after the sections (how to follow, what to keep, what the applicant may do
    next); ``issued``: "printed on …" line ("" for none); ``filename`` of the PDF download; ``pdf_title``: the
    PDF's Title metadata; ``signature``: the signature block of a letter (None for a receipt)."""

    issuer: str
    issuer_lines: tuple[str, ...]
    title: str
    subtitle: str
    reference: str
    sections: tuple[Section, ...]
    notes: tuple[str, ...]
    issued: str
    filename: str
    pdf_title: str
    number: str = ""
    signature: Signature | None = None


# --- values -----------------------------------------------------------------------------------------------------
def format_datetime(value: datetime) -> str:
    """``"Selasa, 03/03/2026 06:30 WIB"``: the weekday in the active language, then day/month/year and time
    in the calendar zone (WIB), with its label. Never seconds or microseconds."""
    local = to_local(value)
    return f"{formats.date_format(local, 'l')}, {local:%d/%m/%Y %H:%M} {timezones.label()}"


def format_date(value: date) -> str:
    """``"Senin, 16/03/2026"`` (a WIB date: due dates are dates in the calendar zone)."""
    return f"{formats.date_format(value, 'l')}, {value:%d/%m/%Y}"


def format_long_date(value: date | datetime) -> str:
    """``"10 April 2026"`` in the active language (a datetime is taken in WIB first): the date of a letter."""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return formats.date_format(value, "j F Y")


def format_rupiah(amount) -> str:
    """``Decimal("50000")`` → ``"Rp 50.000"`` (Indonesian thousands separator, no decimals)."""
    return "Rp " + f"{int(amount or 0):,}".replace(",", ".")


def text_value(value) -> str:
    """A printed value as text: ``True`` → "Yes", ``False``/``None`` → "" (left out), a datetime → WIB date and
    time, a date → ``dd/mm/YYYY``."""
    if value is True:
        return gettext("Yes")
    if value is None or value is False:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value).strip()


def rows(pairs) -> tuple[Row, ...]:
    """:class:`Row`\\ s of ``(label, value)`` pairs (values through :func:`text_value`), empty values left out."""
    result = []
    for label, value in pairs:
        text = text_value(value)
        if text:
            result.append(Row(str(label), text))
    return tuple(result)


def issuer(request=None):
    """The body's ``OrganisationSettings`` (of ``request``'s site, else of the default site), or None."""
    try:
        if request is not None:
            return OrganisationSettings.for_request(request)
        site = Site.objects.filter(is_default_site=True).first()
        return OrganisationSettings.for_site(site) if site is not None else None
    except Exception:  # noqa: BLE001 - a document must not fail for lack of a site setting
        return None


def issuer_lines(org) -> tuple[str, ...]:
    """The letterhead's lines under the body's name: its address on one line, then phone and e-mail."""
    if org is None:
        return ()
    lines = [", ".join(part.strip() for part in org.address.splitlines() if part.strip())]
    contacts = [
        gettext("Phone %(phone)s") % {"phone": org.phone} if org.phone else "",
        gettext("E-mail %(email)s") % {"email": org.email} if org.email else "",
    ]
    lines.append(" · ".join(c for c in contacts if c))
    return tuple(line for line in lines if line)


# --- PDF -------------------------------------------------------------------------------------------------------
FONT, FONT_BOLD = "PesanSans", "PesanSans-Bold"
MONO = "Courier-Bold"  # a standard PDF font: digits and capitals only (tracking numbers, receipt codes)


@lru_cache(maxsize=1)
def _register_fonts() -> None:
    """Embed Bitstream Vera (shipped inside ReportLab, found on its ``TTFSearchPath``): Latin with the accents,
    dashes and quotes Indonesian text uses; subset into each PDF with a ToUnicode map, so text is extractable."""
    pdfmetrics.registerFont(TTFont(FONT, "Vera.ttf"))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, "VeraBd.ttf"))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def _styles() -> dict:
    base = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=13.5, alignment=TA_LEFT)
    return {
        "base": base,
        "issuer": ParagraphStyle("issuer", base, fontName=FONT_BOLD, fontSize=13, leading=16),
        "small": ParagraphStyle("small", base, fontSize=8.5, leading=11, textColor=colors.HexColor("#333333")),
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=16, leading=20, spaceBefore=4),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=12, leading=15),
        "number": ParagraphStyle("number", base, fontSize=11, leading=14, spaceBefore=2),
        "heading": ParagraphStyle(
            "heading", base, fontName=FONT_BOLD, fontSize=11, leading=14, spaceBefore=10, spaceAfter=3
        ),
        "label": ParagraphStyle("label", base, fontSize=9, leading=12, textColor=colors.HexColor("#333333")),
        "code": ParagraphStyle("code", base, fontName=MONO, fontSize=13, leading=16),
        "paragraph": ParagraphStyle("paragraph", base, spaceBefore=4),
        "note": ParagraphStyle("note", base, fontSize=9.5, leading=12.5, spaceBefore=6),
        "sign": ParagraphStyle("sign", base, leading=14),
        "sign_name": ParagraphStyle("sign_name", base, fontName=FONT_BOLD, leading=14),
    }


def _para(text: str, style) -> Paragraph:
    """A paragraph of plain text (escaped; line breaks kept)."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _picture(picture: Picture, styles, width: float):
    """``picture`` scaled to ``width`` (at most 60 % of the page's height), with its caption, kept together."""
    image_width, image_height = ImageReader(picture.path).getSize()
    scale = min(width / image_width, A4[1] * 0.6 / image_height)
    block = [Spacer(1, 2 * mm), Image(picture.path, width=image_width * scale, height=image_height * scale)]
    if picture.caption:
        block.append(_para(picture.caption, styles["small"]))
    return KeepTogether([*block, Spacer(1, 2 * mm)])


def _qr(value: str, size: float) -> Drawing:
    widget = QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _signature(signature: Signature, styles, width: float):
    """The signature block at the right half of the page: place and date, office, space to sign, name."""
    block = [
        _para(signature.place_date, styles["sign"]),
        _para(signature.role, styles["sign"]),
        Spacer(1, 18 * mm),
        _para(signature.name or "(" + "." * 40 + ")", styles["sign_name"]),
    ]
    table = Table([["", block]], colWidths=[width / 2, width / 2])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([Spacer(1, 6 * mm), table])


def render_pdf(document: Document, *, author: str | None = None, neutral: bool = False) -> bytes:
    """``document`` as an A4 PDF (bytes). Metadata: Title ``document.pdf_title``, Author ``author`` (default:
    the issuing body), Subject the subtitle, Creator the issuing body. ``neutral`` (WBS): Author, Creator,
    Producer and Subject empty and no creation time (ReportLab's ``invariant`` mode: fixed dates, a document id
    derived from the content), so the file says nothing of who made it, or when, beyond what it prints."""
    _register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    width = A4[0] - 36 * mm - 12  # the page between the margins, less the frame's own padding (6 pt a side)
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=document.pdf_title,
        author="" if neutral else (author if author is not None else document.issuer),
        subject="" if neutral else document.subtitle,
        creator="" if neutral else document.issuer,
        producer="" if neutral else "PESAN",
        invariant=1 if neutral else 0,
        lang=translation.get_language() or None,
    )
    head = [_para(document.issuer, styles["issuer"])]
    head += [_para(line, styles["small"]) for line in document.issuer_lines]
    head += [Spacer(1, 4 * mm), _para(document.title.upper(), styles["title"])]
    if document.number:
        head.append(_para(gettext("Number: %(number)s") % {"number": document.number}, styles["number"]))
    if document.subtitle:
        head.append(_para(document.subtitle, styles["subtitle"]))
    story = []
    if document.reference:
        qr_size = 30 * mm
        table = Table([[head, _qr(document.reference, qr_size)]], colWidths=[width - qr_size, qr_size])
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        story.append(table)
    else:
        story += head
    story.append(Spacer(1, 3 * mm))
    label_width = 52 * mm
    for section in document.sections:
        # The heading is the table's first row, so it is never left alone at the foot of a page; a long value
        # (a request of several pages) splits inside its row.
        table_rows = [[_para(section.heading, styles["heading"]), ""]]
        table_rows += [
            [_para(row.label, styles["label"]), _para(row.value, styles["code" if row.code else "base"])]
            for row in section.rows
        ]
        table = Table(table_rows, colWidths=[label_width, width - label_width], splitInRow=1)
        table.setStyle(
            TableStyle(
                [
                    ("SPAN", (0, 0), (1, 0)),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#999999")),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        if len(table_rows) > 1 and table_rows[1][1].wrap(width - label_width, A4[1])[1] < 120:
            table.setStyle(TableStyle([("NOSPLIT", (0, 0), (-1, 1))]))  # heading with its first (short) row
        story.append(table)
        story += [
            _picture(item, styles, width) if isinstance(item, Picture) else _para(item, styles["paragraph"])
            for item in section.paragraphs
        ]
    story.append(Spacer(1, 3 * mm))
    story += [_para(note, styles["note"]) for note in document.notes]
    if document.signature is not None:
        story.append(_signature(document.signature, styles, width))
    if document.issued:
        story.append(_para(document.issued, styles["small"]))
    doc.build(story)
    return buffer.getvalue()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF download: ``application/pdf``, ``attachment``, ``nosniff``, ``Cache-Control: no-store`` (a document
    holds personal data; no cache may keep it)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
