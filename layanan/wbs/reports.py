"""The WBS report for the Inspektorat (Permenko Marves 3/2022): whistleblowing reports received in a year by
violation type (``WbsReportDetails.violation_type``) and by state (the WBS machine's states).

Only the Inspektorat (WBS) role may open it (``reports.access.can_view_report(user, "wbs")``: the
``handle_wbs`` permission held explicitly). Inside the Inspektorat the admin page shows exact counts.
Anything that leaves the Inspektorat — exports by default, the public statistics — suppresses small counts:
a count below ``PESAN_WBS_SUPPRESS_BELOW`` (default 5; zero included) is shown as ``"<5"`` (``null`` with
``"suppressed": true`` in JSON), and a total is suppressed too when exactly one of the cells it sums is
suppressed (it would give that cell away by subtraction).

Queries: two (one grouped count, the permission check aside), whatever the number of reports.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from layanan.core.access import tickets_visible_to
from layanan.core.deadlines import today_wib
from layanan.core.models.tickets import Ticket
from layanan.core.report_access import can_view_report
from layanan.core.reporting import SUPPRESSED_LABEL, Cell, Period, Row, Table, suppress, suppression_threshold
from layanan.core.workflow import machine_for
from layanan.wbs.models import ViolationType

__all__ = [
    "WBSReport",
    "drilldown_queryset",
    "reporter_identity",
    "suppress_group",
    "wbs_public_totals",
    "wbs_queryset",
    "wbs_report",
]


def wbs_queryset(year: int, user=None) -> QuerySet:
    """WBS reports received in ``year`` (WIB) that ``user`` may see (``None``: all, for system use only)."""
    queryset = Ticket.objects.filter(service="wbs") if user is None else tickets_visible_to(user, "wbs")
    return queryset.filter(**Period.year(year).received_filter())


def _states() -> list[tuple[str, str]]:
    return [(s.code, str(s.label)) for s in machine_for("wbs").states]


def _types() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in ViolationType.choices]


def suppress_group(values: list[int], total: int) -> tuple[list[int | None], int | None]:
    """Suppress the ``values`` below the threshold and their ``total`` when it is below the threshold or when
    exactly one value is suppressed. Returns ``(values with None for suppressed, total or None)``."""
    shown = [suppress(v) for v in values]
    hidden = sum(1 for v in shown if v is None)
    shown_total = suppress(total)
    if hidden == 1:
        shown_total = None
    return shown, shown_total


@dataclass
class WBSReport:
    """Counts of WBS reports received in ``year``: ``matrix[(type, state)]``, totals by type, by state and all."""

    year: int
    as_of: datetime.date
    types: list[tuple[str, str]] = field(default_factory=list)
    states: list[tuple[str, str]] = field(default_factory=list)
    matrix: dict[tuple[str, str], int] = field(default_factory=dict)

    report_code = "wbs"

    @property
    def title(self) -> str:
        return gettext("WBS report %(year)s") % {"year": self.year}

    @property
    def legal_basis(self) -> str:
        return "Permenko Marves 3/2022"

    def params(self) -> dict:
        return {"year": self.year}

    def by_type(self) -> dict[str, int]:
        return {t: sum(self.matrix.get((t, s), 0) for s, _l in self.states) for t, _l in self.types}

    def by_state(self) -> dict[str, int]:
        return {s: sum(self.matrix.get((t, s), 0) for t, _l in self.types) for s, _l in self.states}

    @property
    def total(self) -> int:
        return sum(self.matrix.values())

    def tables(self, suppressed: bool = True) -> list[Table]:
        """``by_type`` (count per violation type + total) and ``by_type_state`` (type × state with totals).

        ``suppressed`` (the default, for anything leaving the Inspektorat): small counts read ``"<5"`` and carry
        no drill-down link; ``False`` only for the Inspektorat's own screen or its explicit unsuppressed export.
        """
        by_type, by_state, total = self.by_type(), self.by_state(), self.total

        def cell(value, shown, link):
            if not suppressed:
                return Cell(value, link)
            if shown is None:
                return Cell(None, None, SUPPRESSED_LABEL)
            return Cell(shown, None)

        type_values = [by_type[t] for t, _l in self.types]
        shown_types, shown_total = suppress_group(type_values, total) if suppressed else (type_values, total)
        summary = Table(
            "by_type",
            _("WBS reports by violation type"),
            [_("Count")],
            [
                Row(label, [cell(value, shown, {"type": code})], code)
                for (code, label), value, shown in zip(self.types, type_values, shown_types, strict=True)
            ]
            + [Row(_("All reports"), [cell(total, shown_total, {})], "all", total=True)],
            label_header=_("Violation type"),
        )
        state_codes = [s for s, _l in self.states]
        rows = []
        column_shown: dict[str, list] = {s: [] for s in state_codes}
        for code, label in self.types:
            values = [self.matrix.get((code, s), 0) for s in state_codes]
            shown, shown_row_total = suppress_group(values, by_type[code]) if suppressed else (values, by_type[code])
            for s, v in zip(state_codes, shown, strict=True):
                column_shown[s].append(v)
            cells = [
                cell(v, sv, {"type": code, "state": s}) for s, v, sv in zip(state_codes, values, shown, strict=True)
            ]
            cells.append(cell(by_type[code], shown_row_total, {"type": code}))
            rows.append(Row(label, cells, code))
        totals_row = []
        state_values = [by_state[s] for s in state_codes]
        shown_states, shown_grand = suppress_group(state_values, total) if suppressed else (state_values, total)
        for s, value, shown in zip(state_codes, state_values, shown_states, strict=True):
            if suppressed and sum(1 for v in column_shown[s] if v is None) == 1:
                shown = None  # one hidden cell in the column: its total would reveal it
            totals_row.append(cell(value, shown, {"state": s}))
        totals_row.append(cell(total, shown_grand, {}))
        rows.append(Row(_("All types"), totals_row, "all", total=True))
        matrix = Table(
            "by_type_state",
            _("WBS reports by violation type and state"),
            [label for _s, label in self.states] + [_("Total")],
            rows,
            label_header=_("Violation type"),
            note=_("Counts below %(n)s are shown as <%(n)s outside the Inspektorat.") % {"n": suppression_threshold()}
            if suppressed
            else "",
        )
        return [summary, matrix]


def wbs_report(year: int, user, *, as_of: datetime.date | None = None) -> WBSReport:
    """Count the WBS reports received in ``year`` that ``user`` may see, by violation type and state.

    Raises ``PermissionDenied`` unless ``user`` holds the Inspektorat (WBS) role (``None``: system use).
    """
    if user is not None and not can_view_report(user, "wbs"):
        raise PermissionDenied
    report = WBSReport(year=year, as_of=as_of or today_wib(), types=_types(), states=_states())
    rows = wbs_queryset(year, user).order_by().values_list("wbs__violation_type", "status").annotate(n=Count("pk"))
    for violation_type, status, n in rows:
        report.matrix[(violation_type or "", status)] = report.matrix.get((violation_type or "", status), 0) + n
    return report


def drilldown_queryset(user, year: int, params: dict, as_of=None) -> QuerySet:
    """The WBS reports behind a figure: ``type`` (violation type) and/or ``state``. Inspektorat only."""
    if not can_view_report(user, "wbs"):
        raise PermissionDenied
    types, states = {c for c, _l in _types()}, {c for c, _l in _states()}
    condition = Q()
    for key, value in params.items():
        if key in ("year", "set"):
            continue
        if key == "type" and value in types:
            condition &= Q(wbs__violation_type=value)
        elif key == "state" and value in states:
            condition &= Q(status=value)
        elif key in ("type", "state"):
            raise ValidationError({key: gettext("Enter a valid value.")})
        else:
            raise ValidationError({key: gettext("Unknown filter.")})
    return wbs_queryset(year, user).filter(condition)


def wbs_public_totals(year: int) -> dict:
    """Public WBS figures of ``year``: yearly totals by violation type only, small counts suppressed::

    {"threshold": 5, "total": {"count": int|None, "suppressed": bool},
     "by_type": [{"code", "label", "count": int|None, "suppressed": bool}, ...]}
    """
    report = wbs_report(year, None)
    by_type = report.by_type()
    values = [by_type[code] for code, _l in report.types]
    shown, shown_total = suppress_group(values, report.total)
    return {
        "threshold": suppression_threshold(),
        "total": {"count": shown_total, "suppressed": shown_total is None},
        "by_type": [
            {"code": code, "label": label, "count": value, "suppressed": value is None}
            for (code, label), value in zip(report.types, shown, strict=True)
        ],
    }


def reporter_identity(ticket) -> list:
    """``[name, NIK, e-mail, contact]`` of a WBS reporter (decrypted; NIK is never asked for WBS: empty)."""
    details = getattr(ticket, "wbs", None)
    if details is None:
        return ["", "", "", ""]
    return [details.reporter_name, "", details.reporter_email, details.reporter_contact]
