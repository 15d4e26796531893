"""The satisfaction report (Indeks Kepuasan Masyarakat, IKM): the applicants' ratings of closed tickets, per
rated service and period — PermenPANRB 14/2017 tentang Pedoman Penyusunan Survei Kepuasan Masyarakat.

The cohort is the ratings *given* in the period (a year, a semester or a quarter; WIB dates of
``ServiceRating.created_at``) on tickets of the rated services ``user`` may see
(``layanan.core.report_access.satisfaction_services``; ``None``: all). For each service, and for all of them
pooled: the number of respondents, the average score (NRR) of each of the nine elements, the index (IKM,
25–100) and its quality category A–D (``layanan.core.ratings.satisfaction_index``). No ticket and no comment
appears in the report. One query, whatever the number of ratings.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from layanan.core import registry
from layanan.core.deadlines import today_wib
from layanan.core.models.ratings import ELEMENTS
from layanan.core.ratings import LEGAL_SOURCE, SatisfactionIndex, index_category, period_indexes
from layanan.core.report_access import satisfaction_services
from layanan.core.reporting import Cell, Period, Row, Table

__all__ = [
    "PARTS",
    "SatisfactionReport",
    "parse_part",
    "part_period",
    "public_satisfaction",
    "satisfaction_report",
]

#: Parts of a year the report can cover: ``code -> (first month, month after the last, label)``; ``""``: the year.
PARTS: dict[str, tuple[int, int, object]] = {
    "": (1, 13, _("Whole year")),
    "s1": (1, 7, _("Semester 1 (January–June)")),
    "s2": (7, 13, _("Semester 2 (July–December)")),
    "q1": (1, 4, _("Quarter 1 (January–March)")),
    "q2": (4, 7, _("Quarter 2 (April–June)")),
    "q3": (7, 10, _("Quarter 3 (July–September)")),
    "q4": (10, 13, _("Quarter 4 (October–December)")),
}


def parse_part(value, *, field_name: str = "period") -> str:
    """A part of the year from user input: ``""`` (the year), ``s1``/``s2`` or ``q1``–``q4`` (case-insensitive);
    ``ValidationError({field_name: message})`` for anything else."""
    text = str(value or "").strip().lower()
    if text not in PARTS:
        raise ValidationError({field_name: gettext("Choose the whole year, a semester or a quarter.")})
    return text


def part_period(year: int, part: str) -> Period:
    """The :class:`~layanan.core.reporting.Period` (WIB dates, end exclusive) of ``part`` of ``year``."""
    first, after, _label = PARTS[part]
    end = datetime.date(year + 1, 1, 1) if after == 13 else datetime.date(year, after, 1)
    return Period(datetime.date(year, first, 1), end)


def _number(value: Decimal | None, places: int = 2) -> Cell:
    """A figure with ``places`` decimals, written with a decimal comma (``88,31``); "–" without one."""
    if value is None:
        return Cell(None)
    return Cell(float(value), display=f"{value:.{places}f}".replace(".", ","))


def _text(value) -> Cell:
    return Cell(None, display=str(value)) if value else Cell(None)


@dataclass
class SatisfactionReport:
    """The satisfaction figures of ``year`` (``part``: ``""`` or a semester/quarter code) as of ``as_of``:
    ``services`` (``[(code, label)]``, registry order) and ``indexes`` (``{code or "all": SatisfactionIndex}``)."""

    year: int
    part: str
    as_of: datetime.date
    services: list[tuple[str, str]] = field(default_factory=list)
    indexes: dict[str, SatisfactionIndex] = field(default_factory=dict)

    report_code = "satisfaction"

    @property
    def period_label(self) -> str:
        if not self.part:
            return str(self.year)
        return f"{PARTS[self.part][2]} {self.year}"

    @property
    def title(self) -> str:
        return gettext("Satisfaction index (IKM) %(period)s") % {"period": self.period_label}

    @property
    def legal_basis(self) -> str:
        return "UU 25/2009 Pasal 38; PermenPANRB 14/2017"

    def params(self) -> dict:
        return {"year": self.year, "period": self.part} if self.part else {"year": self.year}

    @property
    def total(self) -> SatisfactionIndex:
        """All the user's rated services pooled (every respondent once)."""
        return self.indexes["all"]

    def _summary_row(self, label, index: SatisfactionIndex, code: str, total: bool = False) -> Row:
        category = index.category
        return Row(
            label,
            [
                Cell(index.respondents),
                _number(index.unit_index, 4),
                _number(index.index),
                _text(category.letter if category else ""),
                _text(category.label if category else ""),
            ],
            code,
            total=total,
        )

    def tables(self) -> list[Table]:
        """The report as :class:`~layanan.core.reporting.Table` objects (admin page, print page, CSV and XLSX):
        a summary per service (respondents, index, IKM, category), then per service the nine elements."""
        method = _(
            "NRR: the average score (1–4) of an element. Index: the nine NRR weighted 1/9 each; IKM = index × 25. "
            "Quality: A 88.31–100 very good, B 76.61–88.30 good, C 65.00–76.60 not quite good, D 25.00–64.99 not "
            "good (%(source)s). Ratings count in the period in which they were given (WIB)."
        ) % {"source": LEGAL_SOURCE}
        rows = [self._summary_row(label, self.indexes[code], code) for code, label in self.services]
        if len(self.services) > 1:
            rows.append(self._summary_row(_("All rated services"), self.total, "all", total=True))
        tables = [
            Table(
                "summary",
                _("Summary"),
                [_("Respondents"), _("Index (1–4)"), _("IKM (25–100)"), _("Quality"), _("Performance")],
                rows,
                label_header=_("Service"),
                note=method,
            )
        ]
        for code, label in self.services:
            index = self.indexes[code]
            element_rows = []
            for item in ELEMENTS:
                converted = index.element_index.get(item.code)
                category = index_category(converted)
                element_rows.append(
                    Row(
                        f"U{item.number} {item.label}",
                        [
                            _number(index.nrr.get(item.code)),
                            _number(index.weighted.get(item.code), 4),
                            _number(converted),
                            _text(category.letter if category else ""),
                        ],
                        item.code,
                    )
                )
            element_rows.append(
                Row(
                    _("Index (sum of the weighted NRR) and IKM"),
                    [
                        Cell(None),
                        _number(index.unit_index, 4),
                        _number(index.index),
                        _text(index.category.letter if index.category else ""),
                    ],
                    "ikm",
                    total=True,
                )
            )
            tables.append(
                Table(
                    f"elements_{code}",
                    gettext("Elements — %(service)s (%(count)d respondents)")
                    % {"service": label, "count": index.respondents},
                    [_("NRR (1–4)"), _("Weighted NRR (× 1/9)"), _("NRR × 25"), _("Quality")],
                    element_rows,
                    label_header=_("Element"),
                )
            )
        return tables


def satisfaction_report(
    year: int, part: str = "", user=None, *, as_of: datetime.date | None = None
) -> SatisfactionReport:
    """The :class:`SatisfactionReport` of ``part`` of ``year`` for ``user`` (the rated services they may see;
    ``None``: all). ``part``: see :data:`PARTS`."""
    period = part_period(year, part)
    codes = satisfaction_services(user)
    services = [(code, str(registry.get(code).label)) for code in codes]
    indexes = period_indexes(period.start_at, period.end_at, codes)
    return SatisfactionReport(year, part, as_of or today_wib(), services, indexes)


def public_satisfaction(year: int) -> dict:
    """The public block of the statistics (``GET /api/v2/statistics/`` ``satisfaction``): the ratings given in
    ``year`` (WIB) per rated service and pooled — respondents, IKM (25–100, or null without respondents) and
    its category letter. Nothing that identifies a ticket or a person."""
    report = satisfaction_report(year)

    def block(index: SatisfactionIndex) -> dict:
        return {
            "respondents": index.respondents,
            "ikm": float(index.index) if index.index is not None else None,
            "category": index.category.letter if index.category else None,
        }

    return {
        **block(report.total),
        "by_service": [
            {"code": code, "label": label, **block(report.indexes[code])} for code, label in report.services
        ],
    }
