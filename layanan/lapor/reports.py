"""The SP4N-LAPOR monthly report (statistik pengaduan bulanan; PermenPANRB 62/2018; Perpres 76/2013).

The cohort is the SP4N-LAPOR reports *received* in the period (a calendar month, or a year for the public
statistics) that ``user`` may see (``tickets_visible_to``; ``None`` = all), and what has become of them as of
``as_of`` (WIB date, default today):

- **received**, by classification (aspiration, complaint, information request);
- **verified**: the LAPOR admin verified it (``LaporDetails.verified_at`` set);
- **forwarded**: not our authority, forwarded to another body (status ``not_our_authority``);
- **archived**: spam / unclear (status ``archived``);
- **completed**: follow-up finished and closed (status ``closed``);
- **handled as information requests**: classified as a request for public information and made a PPID request
  (status ``to_ppid``), counted under UU 14/2008 from then on;
- **on hold**: put on hold at intake (status ``on_hold``), counted apart from the reports in process;
- **in process**: none of the final states yet, and not on hold;
- **overdue**: the clock still runs (verification, first response or completion still owed) and the due date
  is before ``as_of``;
- **completion time**: working days from day 0 of receipt (``layanan.calendar.workdays.counting_start`` of
  ``received_at``) to the WIB date of closing, for the completed reports: mean (and median, max).

The same columns are given by category (``LaporCategory``, "›"-joined path) and by unit (disposition).
Queries: a fixed handful, whatever the number of reports.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from home.models import Unit
from layanan.calendar.workdays import WorkCalendar, to_local
from layanan.core.access import tickets_visible_to
from layanan.core.deadlines import today_wib
from layanan.core.models.tickets import Ticket
from layanan.core.reporting import Cell, DurationStats, Period, Row, Table, duration_stats
from layanan.core.workflow import machine_for
from layanan.lapor.models import LaporCategory, LaporDetails

__all__ = ["LaporFigures", "LaporReport", "drilldown_queryset", "lapor_report", "lapor_queryset"]

NONE = "none"
MEASURES = ("received", "verified", "forwarded", "archived", "completed", "to_ppid", "on_hold", "in_process", "overdue")


def _final_states() -> list[str]:
    return [s.code for s in machine_for("lapor").states if s.final]


def _open_states() -> list[str]:
    return machine_for("lapor").open_states()


def measure_q(measure: str, as_of: datetime.date) -> Q:
    """The condition of one measure (see the module docstring); ``ValueError`` for an unknown measure."""
    if measure == "received":
        return Q()
    if measure == "verified":
        return Q(lapor__verified_at__isnull=False)
    if measure == "forwarded":
        return Q(status="not_our_authority")
    if measure == "archived":
        return Q(status="archived")
    if measure == "completed":
        return Q(status="closed")
    if measure == "to_ppid":
        return Q(status="to_ppid")
    if measure == "on_hold":
        return Q(status="on_hold")
    if measure == "in_process":
        return ~Q(status__in=[*_final_states(), "on_hold"])
    if measure == "overdue":
        return Q(status__in=_open_states(), due_date__lt=as_of)
    raise ValueError(measure)


@dataclass
class LaporFigures:
    """The measures of one group (all reports, a category or a unit); ``completion`` in working days."""

    code: str
    label: str
    received: int = 0
    verified: int = 0
    forwarded: int = 0
    archived: int = 0
    completed: int = 0
    to_ppid: int = 0
    on_hold: int = 0
    in_process: int = 0
    overdue: int = 0
    completion: DurationStats = field(default_factory=DurationStats)
    link: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        data = {m: getattr(self, m) for m in MEASURES}
        data["average_completion_working_days"] = self.completion.mean
        return {"code": None if self.code == NONE else self.code, "label": str(self.label)} | data


@dataclass
class LaporReport:
    """SP4N-LAPOR figures for ``period`` (a month when ``month`` is set, else the year) as of ``as_of``."""

    year: int
    month: int | None
    as_of: datetime.date
    total: LaporFigures = field(default_factory=lambda: LaporFigures("all", ""))
    by_classification: list[tuple[str, str, int]] = field(default_factory=list)
    by_category: list[LaporFigures] = field(default_factory=list)
    by_unit: list[LaporFigures] = field(default_factory=list)

    report_code = "lapor_monthly"

    @property
    def period_label(self) -> str:
        if self.month:
            return formats.date_format(datetime.date(self.year, self.month, 1), "F Y")
        return str(self.year)

    @property
    def title(self) -> str:
        return gettext("SP4N-LAPOR report %(period)s") % {"period": self.period_label}

    @property
    def legal_basis(self) -> str:
        return "Perpres 76/2013; PermenPANRB 62/2018"

    def params(self) -> dict:
        return {"year": self.year, "month": self.month} if self.month else {"year": self.year}

    def _columns(self):
        return [
            _("Received"),
            _("Verified"),
            _("Forwarded"),
            _("Archived"),
            _("Completed"),
            _("Information requests (PPID)"),
            _("On hold"),
            _("In process"),
            _("Overdue"),
            _("Mean completion (WD)"),
        ]

    def _row(self, figures: LaporFigures, total: bool = False) -> Row:
        cells = [Cell(getattr(figures, m), {**figures.link, "measure": m}) for m in MEASURES]
        cells.append(Cell(figures.completion.mean, {**figures.link, "measure": "completed"}))
        return Row(figures.label, cells, figures.code, total=total)

    def tables(self) -> list[Table]:
        """The report as :class:`Table` objects (admin page, print page, CSV and XLSX)."""
        total = self.total
        summary = Table(
            "summary",
            _("Summary"),
            [_("Count")],
            [
                Row(_("Reports received"), [Cell(total.received, {})], "received"),
                *[
                    Row(label, [Cell(count, {"classification": code})], f"classification_{code}")
                    for code, label, count in self.by_classification
                ],
                Row(_("Verified"), [Cell(total.verified, {"measure": "verified"})], "verified"),
                Row(
                    _("Forwarded (not our authority)"),
                    [Cell(total.forwarded, {"measure": "forwarded"})],
                    "forwarded",
                ),
                Row(_("Archived"), [Cell(total.archived, {"measure": "archived"})], "archived"),
                Row(_("Completed"), [Cell(total.completed, {"measure": "completed"})], "completed"),
                Row(
                    _("Handled as information requests (PPID)"),
                    [Cell(total.to_ppid, {"measure": "to_ppid"})],
                    "to_ppid",
                ),
                Row(_("On hold"), [Cell(total.on_hold, {"measure": "on_hold"})], "on_hold"),
                Row(_("In process"), [Cell(total.in_process, {"measure": "in_process"})], "in_process"),
                Row(_("Overdue"), [Cell(total.overdue, {"measure": "overdue"})], "overdue"),
                Row(
                    _("Mean completion time (working days)"),
                    [Cell(total.completion.mean, {"measure": "completed"})],
                    "completion_mean",
                ),
                Row(
                    _("Median completion time (working days)"),
                    [Cell(total.completion.median, {"measure": "completed"})],
                    "completion_median",
                ),
                Row(
                    _("Longest completion time (working days)"),
                    [Cell(total.completion.max, {"measure": "completed"})],
                    "completion_max",
                ),
            ],
            label_header=_("Figure"),
        )
        by_category = Table(
            "by_category",
            _("By category"),
            self._columns(),
            [self._row(f) for f in self.by_category] + [self._row(self.total, total=True)],
            label_header=_("Category"),
        )
        by_unit = Table(
            "by_unit",
            _("By unit"),
            self._columns(),
            [self._row(f) for f in self.by_unit] + [self._row(self.total, total=True)],
            label_header=_("Unit"),
        )
        return [summary, by_category, by_unit]

    def as_public_dict(self) -> dict:
        """JSON-ready totals without personal data (public statistics)."""
        data = self.total.as_dict()
        data.pop("code")
        data.pop("label")
        data["completion_working_days"] = self.total.completion.as_dict()
        data["by_classification"] = [
            {"code": code, "label": str(label), "count": count} for code, label, count in self.by_classification
        ]
        data["by_category"] = [f.as_dict() for f in self.by_category]
        return data


def lapor_queryset(period: Period, user=None) -> QuerySet:
    """SP4N-LAPOR reports received in ``period`` that ``user`` may see (``None``: all)."""
    queryset = Ticket.objects.filter(service="lapor") if user is None else tickets_visible_to(user, "lapor")
    return queryset.filter(**period.received_filter())


def _period(year: int, month: int | None) -> Period:
    return Period.month(year, month) if month else Period.year(year)


def drilldown_queryset(user, year: int, month: int | None, params: dict, as_of=None) -> QuerySet:
    """The reports behind a figure: ``params`` among ``measure`` (one of ``MEASURES``), ``classification``,
    ``category`` (id or ``none``), ``unit`` (id or ``none``). Scoped by ``tickets_visible_to(user)``.
    Raises ``ValidationError({param: message})`` for an unknown filter or value."""
    as_of = as_of or today_wib()
    condition = Q()
    for key, value in params.items():
        value = str(value)
        try:
            if key in ("year", "month", "set"):
                continue
            if key == "measure":
                condition &= measure_q(value, as_of)
            elif key == "classification":
                if value not in LaporDetails.Classification.values:
                    raise ValueError(value)
                condition &= Q(lapor__classification=value)
            elif key == "category":
                condition &= Q(lapor__category__isnull=True) if value == NONE else Q(lapor__category_id=int(value))
            elif key == "unit":
                condition &= Q(unit__isnull=True) if value == NONE else Q(unit_id=int(value))
            else:
                raise ValidationError({key: gettext("Unknown filter.")})
        except (ValueError, TypeError):
            raise ValidationError({key: gettext("Enter a valid value.")}) from None
    return lapor_queryset(_period(year, month), user).filter(condition)


def _annotations(as_of) -> dict:
    return {m: Count("pk", filter=measure_q(m, as_of)) if m != "received" else Count("pk") for m in MEASURES}


def _fill(figures: LaporFigures, values: dict) -> LaporFigures:
    for m in MEASURES:
        setattr(figures, m, values.get(m, 0) or 0)
    return figures


def lapor_report(year: int, month: int | None = None, user=None, *, as_of: datetime.date | None = None) -> LaporReport:
    """Compute the SP4N-LAPOR report for ``month`` of ``year`` (or the whole year when ``month`` is None) over
    the reports ``user`` may see (``None``: all). Returns a :class:`LaporReport`; constant number of queries."""

    as_of = as_of or today_wib()
    report = LaporReport(year=year, month=month, as_of=as_of)
    queryset = lapor_queryset(_period(year, month), user)
    annotations = _annotations(as_of)

    classes = LaporDetails.Classification
    totals = queryset.aggregate(
        **annotations,
        **{f"class_{code}": Count("pk", filter=Q(lapor__classification=code)) for code in classes.values},
    )
    _fill(report.total, totals)
    report.total.label = gettext("All reports")
    report.by_classification = [(code, str(label), totals[f"class_{code}"]) for code, label in classes.choices]

    # completion times (WD) of the completed reports, by category and unit, from one row query
    rows = list(
        queryset.filter(measure_q("completed", as_of), closed_at__isnull=False).values_list(
            "received_at", "closed_at", "lapor__category_id", "unit_id"
        )
    )
    durations: list[tuple[int | None, int | None, int]] = []
    if rows:
        calendar = WorkCalendar.load()
        lo = min(to_local(r[0]).date() for r in rows)
        hi = max(max(to_local(r[0]).date(), to_local(r[1]).date()) for r in rows)
        # day 0 may fall after the last closing date (closed after hours): the index reaches past it
        between = calendar.working_day_index(lo, hi + datetime.timedelta(days=WorkCalendar.CHUNK_DAYS + 31)).between
        for received_at, closed_at, category_id, unit_id in rows:
            start = calendar.counting_start(received_at)
            taken = max(0, between(start, to_local(closed_at).date()))
            durations.append((category_id, unit_id, taken))
    report.total.completion = duration_stats([d for _c, _u, d in durations])

    # by category
    per_category = {
        row["lapor__category_id"]: row
        for row in queryset.order_by().values("lapor__category_id").annotate(**annotations)
    }
    categories = {c.pk: c for c in LaporCategory.objects.all()}
    for category_id, values in per_category.items():
        if category_id is None:
            continue
        category = categories.get(category_id)
        label = _category_path(category, categories) if category else str(category_id)
        figures = _fill(LaporFigures(str(category_id), label, link={"category": str(category_id)}), values)
        figures.completion = duration_stats([d for c, _u, d in durations if c == category_id])
        report.by_category.append(figures)
    report.by_category.sort(key=lambda f: f.label.lower())
    if None in per_category:
        figures = _fill(LaporFigures(NONE, gettext("No category"), link={"category": NONE}), per_category[None])
        figures.completion = duration_stats([d for c, _u, d in durations if c is None])
        report.by_category.append(figures)

    # by unit
    per_unit = {row["unit_id"]: row for row in queryset.order_by().values("unit_id").annotate(**annotations)}
    units = Unit.objects.filter(pk__in=[pk for pk in per_unit if pk]).order_by("sort_order", "name")
    for unit in units:
        figures = _fill(LaporFigures(unit.code, unit.name, link={"unit": str(unit.pk)}), per_unit[unit.pk])
        figures.completion = duration_stats([d for _c, u, d in durations if u == unit.pk])
        report.by_unit.append(figures)
    if None in per_unit:
        figures = _fill(LaporFigures(NONE, gettext("Not yet disposed to a unit"), link={"unit": NONE}), per_unit[None])
        figures.completion = duration_stats([d for _c, u, d in durations if u is None])
        report.by_unit.append(figures)
    return report


def _category_path(category, categories: dict) -> str:
    """``Parent › Child`` from an in-memory map (no query per category)."""
    names, node, seen = [], category, set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        names.append(node.name)
        node = categories.get(node.parent_id)
    return " › ".join(reversed(names))
