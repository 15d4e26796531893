"""Building blocks shared by the reports: periods, duration statistics, small-count suppression, tables.

A report module (``ppid``, ``lapor``, ``wbs``) computes its figures with a handful of aggregate queries (the
number of queries does not grow with the number of tickets) and returns a dataclass. Its ``tables()`` turn it
into :class:`Table` objects — the one shape the admin page, the printable page, CSV and XLSX all render. Each
:class:`Cell` may carry ``link`` parameters: the filters that select the tickets behind the figure (the
report's ``drilldown_queryset`` turns them back into a queryset, scoped by ``tickets_visible_to``).
"""

from __future__ import annotations

import datetime
import statistics
import zoneinfo
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pesan_cms import timezones

__all__ = [
    "Cell",
    "DurationStats",
    "Period",
    "Row",
    "SUPPRESSED_LABEL",
    "Table",
    "duration_stats",
    "parse_month",
    "parse_year",
    "suppress",
    "suppression_threshold",
]

#: What a suppressed small count shows in anything leaving the Inspektorat.
SUPPRESSED_LABEL = "<5"


def _tz() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(timezones.zone_name())


def suppression_threshold() -> int:
    """Counts below this are suppressed outside the Inspektorat (``PESAN_WBS_SUPPRESS_BELOW``, default 5)."""
    return int(getattr(settings, "PESAN_WBS_SUPPRESS_BELOW", 5))


def suppress(value: int | None) -> int | None:
    """``value`` or ``None`` when it is below :func:`suppression_threshold` (0 included: the rule is literal)."""
    if value is None or value < suppression_threshold():
        return None
    return value


def earliest_year() -> int:
    """First year a report or statistic may be asked for (``PESAN_REPORTS_FIRST_YEAR``, default 2010: UU 14/2008
    took effect on 30 April 2010)."""
    return int(getattr(settings, "PESAN_REPORTS_FIRST_YEAR", 2010))


def parse_year(value, *, field_name: str = "year") -> int:
    """A report year from user input: an integer from :func:`earliest_year` to the current year (WIB).

    Raises ``ValidationError({field_name: Indonesian message})`` for anything else.
    """
    current = timezone.localdate().year
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit()) or len(text) != 4:
        raise ValidationError({field_name: gettext("Enter a year as four digits, e.g. %(year)s.") % {"year": current}})
    year = int(text)
    if not earliest_year() <= year <= current:
        raise ValidationError(
            {
                field_name: gettext("The year must be between %(first)s and %(last)s.")
                % {"first": earliest_year(), "last": current}
            }
        )
    return year


def parse_month(value, *, field_name: str = "month") -> int:
    """A month number 1–12 from user input; ``ValidationError({field_name: message})`` otherwise."""
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 12:
        raise ValidationError({field_name: gettext("Enter a month from 1 to 12.")})
    return int(text)


@dataclass(frozen=True)
class Period:
    """A reporting period ``[start, end)`` of WIB dates; ``start_at``/``end_at`` are the aware bounds."""

    start: datetime.date
    end: datetime.date  # exclusive

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        end = datetime.date(year + 1, 1, 1) if month == 12 else datetime.date(year, month + 1, 1)
        return cls(datetime.date(year, month, 1), end)

    @property
    def start_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.start, datetime.time.min, tzinfo=_tz())

    @property
    def end_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.end, datetime.time.min, tzinfo=_tz())

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)

    def received_filter(self, prefix: str = "") -> dict:
        """Keyword filter "received in this period" for a ticket queryset (``prefix`` e.g. ``"request__"``)."""
        return {f"{prefix}received_at__gte": self.start_at, f"{prefix}received_at__lt": self.end_at}


@dataclass(frozen=True)
class DurationStats:
    """Statistics of durations in working days: ``count`` of tickets, ``median``, ``mean`` (1 decimal) and
    ``max``; all ``None`` when ``count`` is 0."""

    count: int = 0
    median: float | None = None
    mean: float | None = None
    max: int | None = None

    def as_dict(self) -> dict:
        return {"count": self.count, "median": self.median, "mean": self.mean, "max": self.max}


def _round1(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def duration_stats(values: list[int]) -> DurationStats:
    """:class:`DurationStats` of a list of working-day durations (median of an even count is the midpoint)."""
    if not values:
        return DurationStats()
    return DurationStats(
        count=len(values),
        median=_round1(statistics.median(values)),
        mean=_round1(statistics.fmean(values)),
        max=max(values),
    )


@dataclass
class Cell:
    """One figure. ``value`` (int/float, ``None`` = none or suppressed), ``display`` overrides how it reads
    (e.g. ``"<5"``), ``link``: drill-down filters (``{"set": "requests", "outcome": "granted_full"}``)."""

    value: int | float | None
    link: dict | None = None
    display: str | None = None

    @property
    def text(self) -> str:
        if self.display is not None:
            return self.display
        if self.value is None:
            return "–"
        if isinstance(self.value, float):
            return f"{self.value:.1f}".replace(".", ",")
        return str(self.value)


@dataclass
class Row:
    """A labelled row of cells; ``code`` is a machine-readable key of the row (e.g. the outcome code)."""

    label: str | Promise
    cells: list[Cell]
    code: str = ""
    total: bool = False


@dataclass
class Table:
    """A titled table: ``columns`` are the headers of the cells (the label column header is ``label_header``)."""

    key: str
    title: str | Promise
    columns: list[str | Promise]
    rows: list[Row]
    label_header: str | Promise = field(default_factory=lambda: _("Item"))
    note: str | Promise = ""

    def column_keys(self) -> list[str]:
        return [str(c) for c in self.columns]
