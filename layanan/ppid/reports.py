"""The PPID annual report (laporan tahunan layanan informasi publik; UU 14/2008 Pasal 12; Perki 1/2021 Pasal 56).

For a calendar year Y (WIB), every figure is a query over the tickets ``user`` may see (``tickets_visible_to``;
``user=None`` = every ticket, for the public statistics and tasks):

- **Requests** = PPID requests *received* in Y: total, by channel, by unit (disposition; "not disposed" when
  none), by outcome (granted in full / in part, rejected as exempt, not held, not yet documented, or no
  decision yet), rejections by Pasal 17 ground a–j, extensions used (Pasal 22(8)), **answered late** (the WIB
  date of the decision is after the due date, a valid extension included — an extension taken after the due
  date is none, Pasal 22(8), so a request extended late and answered after its first due date is late even
  where its stored due date predates that rule: :func:`late_despite_extension`) and **overdue, not yet
  answered** (clock still running and the due date before ``as_of``).
- **Time taken** per decided request: working days from day 0 (``Ticket.counting_from``, the day the 10-WD
  count starts) to the WIB date of the decision (``PPIDRequestDetails.decided_at``), counted with the
  working-day calendar (``layanan.calendar.workdays.working_days_between``, through one ``WorkingDayIndex`` of
  the year's dates: a subtraction per request; a decision on day 0 took 0 WD); median,
  mean and max, overall and by outcome.
- **Objections** = objections received in Y: by reason a–g (Pasal 35(1)) with answered and answered late
  (answer after its 30-WD due date, Pasal 36(2)), decisions (upheld / rejected / settled by agreement), overdue.
- **Komisi Informasi disputes** = disputes *filed* in Y (``ObjectionDetails.dispute_filed_on``, Pasal 37) by
  outcome (``KomisiInformasiDispute``; "pending" when no outcome is recorded).
- **Carried out** (Perki 1/2021: the report says whether answers and decisions were carried out): of the
  objections received in Y, the upheld answers (the PPID must act) and how many the desk recorded as carried
  out (``ObjectionDetails.answer_carried_out_on`` on or before ``as_of``); of the disputes filed in Y, the
  decisions that oblige the body (mediation agreement, petition granted in full or in part) and how many were
  carried out (``KomisiInformasiDispute.carried_out_on``).
- **Court challenges** (UU 14/2008 Pasal 47–50) = ``CourtChallenge`` rows *filed* in Y: by outcome, first
  instance (PTUN/PN) and cassation (Supreme Court) apart, and the decisions the body recorded as carried out.
- **Narrative**: the year's ``AnnualReportNarrative`` (policy; facilities, staff, budget; constraints;
  recommendations), edited by the PPID and printed with the tables (``narrative``; ``None`` when not written).

Queries: a fixed handful (aggregates in the database; the working-day durations from one row query and one
calendar), whatever the number of tickets. Every figure carries drill-down filters (``Cell.link``) that
:func:`drilldown_queryset` turns into the queryset of the tickets behind it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from home.models import Unit
from layanan.calendar.workdays import WorkCalendar, to_local
from layanan.core.access import tickets_visible_to
from layanan.core.deadlines import derive_deadline, today_wib
from layanan.core.models.tickets import Channel, Ticket
from layanan.core.reporting import Cell, DurationStats, Period, Row, Table, _tz, duration_stats
from layanan.core.workflow import machine_for
from layanan.ppid.followup import KI_OUTCOMES_TO_CARRY_OUT
from layanan.ppid.models import (
    EXEMPTION_GROUNDS,
    OBJECTION_REASONS,
    AnnualReportNarrative,
    CourtChallenge,
    KomisiInformasiDispute,
    ObjectionDetails,
    PPIDRequestDetails,
)

__all__ = [
    "CountItem",
    "ObjectionFigures",
    "PPIDAnnualReport",
    "drilldown_queryset",
    "late_despite_extension",
    "ppid_annual_report",
]

NONE = "none"


@dataclass
class CountItem:
    """A labelled count: ``code`` (machine key, e.g. ``"web"``, a unit code, ``"none"``), ``label``, ``count``;
    ``link``: the drill-down filters of the tickets counted."""

    code: str
    label: str
    count: int
    link: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"code": self.code, "label": str(self.label), "count": self.count}


@dataclass
class ObjectionReasonRow:
    """Objections for one Pasal 35(1) reason: received, answered, answered late."""

    code: str
    label: str
    received: int
    answered: int
    late: int


@dataclass
class CourtRow:
    """Court challenges with one outcome: at first instance (PTUN/PN) and in cassation (Supreme Court)."""

    code: str
    label: str
    first_instance: int
    cassation: int


@dataclass
class ObjectionFigures:
    """Objections received in the year (UU 14/2008 Pasal 35–36)."""

    received: int = 0
    answered: int = 0
    answered_late: int = 0
    overdue_open: int = 0
    by_reason: list[ObjectionReasonRow] = field(default_factory=list)
    decisions: list[CountItem] = field(default_factory=list)


@dataclass
class PPIDAnnualReport:
    """The figures of the PPID annual report for ``year`` as of ``as_of`` (WIB date). Counts are tickets;
    durations are working days (see the module docstring for every definition)."""

    year: int
    as_of: datetime.date
    requests: int = 0
    decided: int = 0
    by_channel: list[CountItem] = field(default_factory=list)
    by_unit: list[CountItem] = field(default_factory=list)
    outcomes: list[CountItem] = field(default_factory=list)
    exempt_by_ground: list[CountItem] = field(default_factory=list)
    extensions: int = 0
    answered_late: int = 0
    overdue_open: int = 0
    time_taken: DurationStats = field(default_factory=DurationStats)
    time_taken_by_outcome: list[tuple[str, str, DurationStats]] = field(default_factory=list)
    objections: ObjectionFigures = field(default_factory=ObjectionFigures)
    disputes_filed: int = 0
    disputes_by_outcome: list[CountItem] = field(default_factory=list)
    answers_to_carry_out: int = 0
    answers_carried_out: int = 0
    ki_to_carry_out: int = 0
    ki_carried_out: int = 0
    court_filed: int = 0
    court_by_outcome: list[CourtRow] = field(default_factory=list)
    court_carried_out: CourtRow = field(default_factory=lambda: CourtRow("carried_out", "", 0, 0))
    narrative: AnnualReportNarrative | None = None

    report_code = "ppid_annual"

    @property
    def title(self) -> str:
        return gettext("PPID annual report %(year)s") % {"year": self.year}

    @property
    def legal_basis(self) -> str:
        return "UU 14/2008 Pasal 12; Perki 1/2021 Pasal 56"

    def outcome_count(self, code: str) -> int:
        return next((item.count for item in self.outcomes if item.code == code), 0)

    def params(self) -> dict:
        return {"year": self.year}

    # --- presentation: generic tables -------------------------------------------------------------------------
    def tables(self) -> list[Table]:
        """The report as :class:`Table` objects (admin page, print page, CSV and XLSX render these)."""
        outcome = PPIDRequestDetails.Outcome
        count = [str(_("Count"))]
        req, obj, dis = {"set": "requests"}, {"set": "objections"}, {"set": "disputes"}

        def c(value, link):
            return [Cell(value, link)]

        summary = Table(
            "summary",
            _("Summary"),
            count,
            [
                Row(_("Requests received"), c(self.requests, req), "requests"),
                Row(_("Requests decided"), c(self.decided, {**req, "decided": "1"}), "decided"),
                Row(
                    _("Granted in full"),
                    c(self.outcome_count(outcome.GRANTED_FULL), {**req, "outcome": outcome.GRANTED_FULL}),
                    "granted_full",
                ),
                Row(
                    _("Granted in part"),
                    c(self.outcome_count(outcome.GRANTED_PART), {**req, "outcome": outcome.GRANTED_PART}),
                    "granted_part",
                ),
                Row(
                    _("Rejected (exempt information)"),
                    c(self.outcome_count(outcome.REJECTED_EXEMPT), {**req, "outcome": outcome.REJECTED_EXEMPT}),
                    "rejected_exempt",
                ),
                Row(
                    _("Information not held"),
                    c(self.outcome_count(outcome.NOT_HELD), {**req, "outcome": outcome.NOT_HELD}),
                    "not_held",
                ),
                Row(
                    _("Information not yet documented"),
                    c(self.outcome_count(outcome.NOT_YET_DOCUMENTED), {**req, "outcome": outcome.NOT_YET_DOCUMENTED}),
                    "not_yet_documented",
                ),
                Row(_("Extensions used (+7 WD)"), c(self.extensions, {**req, "extended": "1"}), "extensions"),
                Row(_("Answered late"), c(self.answered_late, {**req, "late": "1"}), "answered_late"),
                Row(_("Overdue, not yet answered"), c(self.overdue_open, {**req, "overdue": "1"}), "overdue_open"),
                Row(_("Objections received"), c(self.objections.received, obj), "objections"),
                Row(
                    _("Objections answered"),
                    c(self.objections.answered, {**obj, "answered": "1"}),
                    "objections_answered",
                ),
                Row(
                    _("Objections answered late"),
                    c(self.objections.answered_late, {**obj, "late": "1"}),
                    "objections_answered_late",
                ),
                Row(_("Komisi Informasi disputes filed"), c(self.disputes_filed, dis), "disputes"),
            ],
            label_header=_("Figure"),
        )
        tables = [summary]
        tables.append(
            Table(
                "by_channel",
                _("Requests by channel"),
                count,
                [Row(i.label, c(i.count, {**req, **i.link}), i.code) for i in self.by_channel],
                label_header=_("Channel"),
            )
        )
        tables.append(
            Table(
                "by_unit",
                _("Requests by unit"),
                count,
                [Row(i.label, c(i.count, {**req, **i.link}), i.code) for i in self.by_unit],
                label_header=_("Unit"),
            )
        )
        tables.append(
            Table(
                "outcomes",
                _("Requests by outcome"),
                count,
                [Row(i.label, c(i.count, {**req, **i.link}), i.code) for i in self.outcomes],
                label_header=_("Outcome"),
            )
        )
        rejection_rows = [Row(i.label, c(i.count, {**req, **i.link}), i.code) for i in self.exempt_by_ground]
        rejection_rows += [
            Row(
                _("Information not held"),
                c(self.outcome_count(outcome.NOT_HELD), {**req, "outcome": outcome.NOT_HELD}),
                "not_held",
            ),
            Row(
                _("Information not yet documented"),
                c(self.outcome_count(outcome.NOT_YET_DOCUMENTED), {**req, "outcome": outcome.NOT_YET_DOCUMENTED}),
                "not_yet_documented",
            ),
        ]
        tables.append(
            Table(
                "rejections",
                _("Requests refused, by reason"),
                count,
                rejection_rows,
                label_header=_("Reason (UU 14/2008 Pasal 17)"),
            )
        )
        duration_columns = [_("Decided"), _("Median (WD)"), _("Mean (WD)"), _("Max (WD)")]

        def duration_row(label, code, stats, link):
            return Row(
                label,
                [Cell(stats.count, link), Cell(stats.median), Cell(stats.mean), Cell(stats.max)],
                code,
            )

        tables.append(
            Table(
                "time_taken",
                _("Time taken from day 0 to the decision, in working days"),
                duration_columns,
                [
                    duration_row(label, code, stats, {**req, "outcome": code})
                    for code, label, stats in self.time_taken_by_outcome
                ]
                + [
                    Row(
                        _("All decided requests"),
                        [
                            Cell(self.time_taken.count, {**req, "decided": "1"}),
                            Cell(self.time_taken.median),
                            Cell(self.time_taken.mean),
                            Cell(self.time_taken.max),
                        ],
                        "all",
                        total=True,
                    )
                ],
                label_header=_("Outcome"),
                note=_("Legal limit: 10 working days, extendable once by 7 (UU 14/2008 Pasal 22(7)-(8))."),
            )
        )
        tables.append(
            Table(
                "objections_by_reason",
                _("Objections by reason"),
                [_("Received"), _("Answered"), _("Answered late")],
                [
                    Row(
                        r.label,
                        [
                            Cell(r.received, {**obj, "reason": r.code}),
                            Cell(r.answered, {**obj, "reason": r.code, "answered": "1"}),
                            Cell(r.late, {**obj, "reason": r.code, "late": "1"}),
                        ],
                        r.code,
                    )
                    for r in self.objections.by_reason
                ]
                + [
                    Row(
                        _("All objections"),
                        [
                            Cell(self.objections.received, obj),
                            Cell(self.objections.answered, {**obj, "answered": "1"}),
                            Cell(self.objections.answered_late, {**obj, "late": "1"}),
                        ],
                        "all",
                        total=True,
                    )
                ],
                label_header=_("Reason (UU 14/2008 Pasal 35(1))"),
            )
        )
        tables.append(
            Table(
                "objection_decisions",
                _("Objections by decision"),
                count,
                [Row(i.label, c(i.count, {**obj, **i.link}), i.code) for i in self.objections.decisions]
                + [
                    Row(
                        _("Overdue, not yet answered"),
                        c(self.objections.overdue_open, {**obj, "overdue": "1"}),
                        "overdue_open",
                    )
                ],
                label_header=_("Decision"),
            )
        )
        tables.append(
            Table(
                "disputes",
                _("Komisi Informasi disputes by outcome"),
                count,
                [Row(i.label, c(i.count, {**dis, **i.link}), i.code) for i in self.disputes_by_outcome]
                + [Row(_("All disputes filed"), c(self.disputes_filed, dis), "all", total=True)],
                label_header=_("Outcome"),
                note=_("Disputes filed with the Komisi Informasi in the year (UU 14/2008 Pasal 37)."),
            )
        )
        tables += self.follow_up_tables()
        return tables

    def follow_up_tables(self) -> list[Table]:
        """Whether answers and decisions were carried out, and the court challenges (see the module docstring)."""
        obj, dis, court = {"set": "objections"}, {"set": "disputes"}, {"set": "court"}
        upheld = {**obj, "decision": ObjectionDetails.Decision.UPHELD}
        oblige = {**dis, "obliges": "1"}
        carried = Table(
            "carried_out",
            _("Answers and decisions carried out"),
            [_("To carry out"), _("Carried out"), _("Not yet carried out")],
            [
                Row(
                    _("Objections upheld by the Atasan PPID"),
                    [
                        Cell(self.answers_to_carry_out, upheld),
                        Cell(self.answers_carried_out, {**upheld, "carried_out": "1"}),
                        Cell(self.answers_to_carry_out - self.answers_carried_out, {**upheld, "carried_out": "0"}),
                    ],
                    "objection_answers",
                ),
                Row(
                    _("Komisi Informasi decisions obliging the body"),
                    [
                        Cell(self.ki_to_carry_out, oblige),
                        Cell(self.ki_carried_out, {**oblige, "carried_out": "1"}),
                        Cell(self.ki_to_carry_out - self.ki_carried_out, {**oblige, "carried_out": "0"}),
                    ],
                    "ki_decisions",
                ),
            ],
            label_header=_("Answer or decision"),
            note=_(
                "Objections received and disputes filed in the year; a Komisi Informasi decision obliges the body "
                "when it is a mediation agreement or grants the petition in full or in part (Perki 1/2021)."
            ),
        )
        done = self.court_carried_out
        courts = Table(
            "court_challenges",
            _("Court challenges by outcome"),
            [_("First instance (PTUN / district court)"), _("Cassation (Supreme Court)")],
            [
                Row(
                    r.label,
                    [
                        Cell(r.first_instance, {**court, "level": "first_instance", "outcome": r.code}),
                        Cell(r.cassation, {**court, "level": "cassation", "outcome": r.code}),
                    ],
                    r.code,
                )
                for r in self.court_by_outcome
            ]
            + [
                Row(
                    _("All challenges filed"),
                    [
                        Cell(
                            sum(r.first_instance for r in self.court_by_outcome), {**court, "level": "first_instance"}
                        ),
                        Cell(sum(r.cassation for r in self.court_by_outcome), {**court, "level": "cassation"}),
                    ],
                    "all",
                    total=True,
                ),
                Row(
                    _("Court decisions carried out by the body"),
                    [
                        Cell(done.first_instance, {**court, "level": "first_instance", "carried_out": "1"}),
                        Cell(done.cassation, {**court, "level": "cassation", "carried_out": "1"}),
                    ],
                    "carried_out",
                ),
            ],
            label_header=_("Outcome"),
            note=_("Challenges of Komisi Informasi adjudication decisions filed in the year (UU 14/2008 Pasal 47–50)."),
        )
        return [carried, courts]

    def as_public_dict(self) -> dict:
        """The figures as JSON-ready data without any personal data (public statistics)."""
        return {
            "requests": self.requests,
            "decided": self.decided,
            "by_channel": [i.as_dict() for i in self.by_channel],
            "by_unit": [i.as_dict() | {"code": None if i.code == NONE else i.code} for i in self.by_unit],
            "outcomes": [i.as_dict() for i in self.outcomes],
            "rejections": {
                "exempt_by_ground": [i.as_dict() for i in self.exempt_by_ground],
                "not_held": self.outcome_count("not_held"),
                "not_yet_documented": self.outcome_count("not_yet_documented"),
            },
            "time_taken_working_days": {
                "all": self.time_taken.as_dict(),
                "by_outcome": [
                    {"code": code, "label": str(label)} | s.as_dict() for code, label, s in self.time_taken_by_outcome
                ],
            },
            "extensions": self.extensions,
            "answered_late": self.answered_late,
            "overdue_open": self.overdue_open,
            "objections": {
                "received": self.objections.received,
                "answered": self.objections.answered,
                "answered_late": self.objections.answered_late,
                "overdue_open": self.objections.overdue_open,
                "by_reason": [
                    {
                        "code": r.code,
                        "label": str(r.label),
                        "received": r.received,
                        "answered": r.answered,
                        "late": r.late,
                    }
                    for r in self.objections.by_reason
                ],
                "decisions": [i.as_dict() for i in self.objections.decisions],
            },
            "disputes": {
                "filed": self.disputes_filed,
                "by_outcome": [i.as_dict() for i in self.disputes_by_outcome],
            },
        }


# --- querysets ------------------------------------------------------------------------------------------------
def _scoped(user, service: str) -> QuerySet:
    if user is None:
        return Ticket.objects.filter(service=service)
    return tickets_visible_to(user, service)


def requests_queryset(year: int, user=None) -> QuerySet:
    """PPID requests received in ``year`` (WIB) that ``user`` may see, annotated with ``decided_on`` (WIB date)."""
    return (
        _scoped(user, "ppid_request")
        .filter(**Period.year(year).received_filter())
        .annotate(decided_on=TruncDate("ppid__decided_at", tzinfo=_tz()))
    )


def objections_queryset(year: int, user=None) -> QuerySet:
    """Objections received in ``year`` that ``user`` may see, annotated with ``answered_on`` (WIB date)."""
    return (
        _scoped(user, "objection")
        .filter(**Period.year(year).received_filter())
        .annotate(answered_on=TruncDate("responded_at", tzinfo=_tz()))
    )


def disputes_queryset(year: int, user=None) -> QuerySet:
    """Objections (that ``user`` may see) whose Komisi Informasi dispute was filed in ``year``."""
    period = Period.year(year)
    return _scoped(user, "objection").filter(
        objection__dispute_filed_on__gte=period.start, objection__dispute_filed_on__lt=period.end
    )


def _open_states(service: str) -> list[str]:
    return machine_for(service).open_states()


def _choice(value: str, allowed) -> str:
    if value not in allowed:
        raise ValueError(value)
    return value


def _flag(q: Q):
    """A yes-only filter: the value must be ``1``; returns ``q``."""

    def atom(value: str) -> Q:
        if value not in ("1", "true"):
            raise ValueError(value)
        return q

    return atom


def _yes_no(yes: Q, no: Q):
    """A filter taking ``1`` (``yes``) or ``0`` (``no``)."""

    def atom(value: str) -> Q:
        if value in ("1", "true"):
            return yes
        if value in ("0", "false"):
            return no
        raise ValueError(value)

    return atom


def late_despite_extension(year: int | None = None, calendar=None) -> list[int]:
    """Primary keys of the decided PPID requests (received in ``year``, WIB; None: all) whose extension was
    taken after their first due date — no extension (UU 14/2008 Pasal 22(8), :func:`layanan.core.deadlines.
    extension_counts`) — and that were decided after that first due date: late, although a due date stored
    before the rule (extension included) says otherwise. One query (extended requests only) and one calendar."""
    rows = Ticket.objects.filter(
        service="ppid_request", extended=True, extended_at__isnull=False, ppid__decided_at__isnull=False
    ).select_related("ppid")
    if year is not None:
        rows = rows.filter(**Period.year(year).received_filter())
    calendar = calendar or WorkCalendar.current()  # the process snapshot: no holiday query per row
    late = []
    for ticket in rows:
        derived = derive_deadline(ticket, calendar)
        if derived is None or derived[1] is not None:  # no deadline, or the extension counts
            continue
        if to_local(ticket.ppid.decided_at).date() > derived[0].due_date:
            late.append(ticket.pk)
    return late


def _request_atoms(as_of, year: int | None = None):

    outcomes = PPIDRequestDetails.Outcome

    def unit(v):
        return Q(unit__isnull=True) if v == NONE else Q(unit_id=int(v))

    def outcome(v):
        return Q(ppid__outcome="") if v == NONE else Q(ppid__outcome=_choice(v, outcomes.values))

    return {
        "channel": lambda v: Q(channel=_choice(v, Channel.values)),
        "unit": unit,
        "outcome": outcome,
        "ground": lambda v: Q(
            ppid__outcome=outcomes.REJECTED_EXEMPT, ppid__exemption_ground=_choice(v, EXEMPTION_GROUNDS.values)
        ),
        "decided": _yes_no(Q(ppid__decided_at__isnull=False), Q(ppid__decided_at__isnull=True)),
        "extended": _flag(Q(extended=True)),
        "late": lambda v: _flag(Q(decided_on__gt=F("due_date")) | Q(pk__in=late_despite_extension(year)))(v),
        "overdue": _flag(Q(status__in=_open_states("ppid_request"), due_date__lt=as_of)),
    }


def _objection_atoms(as_of, year: int | None = None):
    def decision(v):
        if v == "settled":
            return Q(responded_at__isnull=False, objection__decision="")
        return Q(objection__decision=_choice(v, ObjectionDetails.Decision.values))

    return {
        "reason": lambda v: Q(objection__reason=_choice(v, OBJECTION_REASONS.values)),
        "answered": _yes_no(Q(responded_at__isnull=False), Q(responded_at__isnull=True)),
        "late": _flag(Q(answered_on__gt=F("due_date"))),
        "decision": decision,
        "overdue": _flag(Q(status__in=_open_states("objection"), due_date__lt=as_of)),
        "carried_out": _yes_no(
            Q(objection__answer_carried_out_on__lte=as_of), ~Q(objection__answer_carried_out_on__lte=as_of)
        ),
    }


def _dispute_atoms(as_of, year: int | None = None):
    def outcome(v):
        if v == KomisiInformasiDispute.Outcome.PENDING:
            return Q(ki_dispute__isnull=True) | Q(ki_dispute__outcome=v)
        return Q(ki_dispute__outcome=_choice(v, KomisiInformasiDispute.Outcome.values))

    return {
        "outcome": outcome,
        "obliges": _flag(Q(ki_dispute__outcome__in=KI_OUTCOMES_TO_CARRY_OUT)),
        "carried_out": _yes_no(Q(ki_dispute__carried_out_on__lte=as_of), ~Q(ki_dispute__carried_out_on__lte=as_of)),
    }


#: Court levels of the report: first instance (PTUN, district court; Pasal 47) and cassation (Pasal 50).
COURT_LEVELS = {
    "first_instance": (CourtChallenge.Court.PTUN, CourtChallenge.Court.PN),
    "cassation": (CourtChallenge.Court.MA,),
}


def _court_filed_q(year: int) -> Q:
    period = Period.year(year)
    return Q(court_challenges__filed_on__gte=period.start, court_challenges__filed_on__lt=period.end)


def court_queryset(year: int, user=None) -> QuerySet:
    """Objections (that ``user`` may see) with a court challenge filed in ``year`` (distinct tickets)."""
    return _scoped(user, "objection").filter(_court_filed_q(year)).distinct()


def _court_atoms(as_of, year: int | None = None):
    """Filters on one challenge: each atom repeats the filing year, so that the conditions combined in one
    ``filter()`` call hold for the same ``CourtChallenge`` row."""
    filed = _court_filed_q(year) if year is not None else Q()
    return {
        "level": lambda v: filed & Q(court_challenges__court__in=COURT_LEVELS[_choice(v, COURT_LEVELS)]),
        "outcome": lambda v: filed & Q(court_challenges__outcome=_choice(v, CourtChallenge.Outcome.values)),
        "carried_out": _flag(filed & Q(court_challenges__carried_out_on__lte=as_of)),
    }


SETS = {
    "requests": (requests_queryset, _request_atoms),
    "objections": (objections_queryset, _objection_atoms),
    "disputes": (disputes_queryset, _dispute_atoms),
    "court": (court_queryset, _court_atoms),
}


def drilldown_queryset(user, year: int, params: dict, as_of: datetime.date | None = None) -> QuerySet:
    """The tickets behind a figure of the report: ``params`` are a cell's ``link`` (``set`` = ``requests``,
    ``objections`` or ``disputes``, then filters such as ``outcome=granted_full``, ``unit=3``, ``late=1``).

    Scoped by ``tickets_visible_to(user)``. Raises ``ValidationError({param: message})`` for an unknown set,
    filter or value.
    """
    as_of = as_of or today_wib()
    name = params.get("set") or "requests"
    if name not in SETS:
        raise ValidationError({"set": gettext("Unknown list.")})
    make_queryset, make_atoms = SETS[name]
    atoms = make_atoms(as_of, year)
    condition = Q()
    for key, value in params.items():
        if key in ("set", "year"):
            continue
        if key not in atoms:
            raise ValidationError({key: gettext("Unknown filter.")})
        try:
            condition &= atoms[key](str(value))
        except (ValueError, TypeError):
            raise ValidationError({key: gettext("Enter a valid value.")}) from None
    return make_queryset(year, user).filter(condition)


# --- the report ---------------------------------------------------------------------------------------------------
def _durations(rows, calendar) -> list[tuple[str, int]]:
    """``[(outcome, working days)]`` from ``(counting_from, decided_at, outcome)`` rows: the working days from day 0
    (a date) to the WIB date of the decision (an aware datetime), 0 for a decision on or before day 0 — the
    calendar's ``working_days_between``, taken from one :class:`~layanan.calendar.workdays.WorkingDayIndex` of the
    rows' dates (one pass over the calendar, then a subtraction per row: issue 20)."""
    rows = [(start, to_local(decided).date(), outcome) for start, decided, outcome in rows if start and decided]
    if not rows:
        return []
    lo = min(min(r[0], r[1]) for r in rows)
    hi = max(max(r[0], r[1]) for r in rows)
    between = calendar.working_day_index(lo, hi).between
    return [(outcome, max(0, between(start, end))) for start, end, outcome in rows]


def ppid_annual_report(year: int, user=None, *, as_of: datetime.date | None = None) -> PPIDAnnualReport:
    """Compute the PPID annual report of ``year`` over the tickets ``user`` may see (``None``: all tickets).

    ``as_of`` (WIB date, default today) decides what is "overdue, not yet answered". Returns a
    :class:`PPIDAnnualReport`. Queries: constant (about ten), independent of the number of tickets.
    """

    as_of = as_of or today_wib()
    report = PPIDAnnualReport(year=year, as_of=as_of)
    outcomes = PPIDRequestDetails.Outcome
    requests = requests_queryset(year, user)
    atoms = _request_atoms(as_of, year)

    aggregates = {
        "requests": Count("pk"),
        "decided": Count("pk", filter=atoms["decided"]("1")),
        "extended": Count("pk", filter=atoms["extended"]("1")),
        "late": Count("pk", filter=atoms["late"]("1")),
        "overdue": Count("pk", filter=atoms["overdue"]("1")),
        "outcome_none": Count("pk", filter=atoms["outcome"](NONE)),
    }
    for code in outcomes.values:
        aggregates[f"outcome_{code}"] = Count("pk", filter=atoms["outcome"](code))
    for code in EXEMPTION_GROUNDS.values:
        aggregates[f"ground_{code}"] = Count("pk", filter=atoms["ground"](code))
    totals = requests.aggregate(**aggregates)

    report.requests = totals["requests"]
    report.decided = totals["decided"]
    report.extensions = totals["extended"]
    report.answered_late = totals["late"]
    report.overdue_open = totals["overdue"]
    report.outcomes = [
        CountItem(code, str(label), totals[f"outcome_{code}"], {"outcome": code}) for code, label in outcomes.choices
    ] + [CountItem(NONE, gettext("No decision yet"), totals["outcome_none"], {"outcome": NONE})]
    report.exempt_by_ground = [
        CountItem(code, str(label), totals[f"ground_{code}"], {"ground": code})
        for code, label in EXEMPTION_GROUNDS.choices
    ]

    by_channel = dict(requests.order_by().values_list("channel").annotate(n=Count("pk")))
    report.by_channel = [
        CountItem(code, str(label), by_channel.get(code, 0), {"channel": code}) for code, label in Channel.choices
    ]

    by_unit = dict(requests.order_by().values_list("unit_id").annotate(n=Count("pk")))
    units = Unit.objects.filter(Q(active=True) | Q(pk__in=[pk for pk in by_unit if pk])).order_by("sort_order", "name")
    report.by_unit = [CountItem(u.code, u.name, by_unit.get(u.pk, 0), {"unit": str(u.pk)}) for u in units]
    report.by_unit.append(CountItem(NONE, gettext("Not yet disposed to a unit"), by_unit.get(None, 0), {"unit": NONE}))

    rows = requests.filter(ppid__decided_at__isnull=False).values_list(
        "counting_from", "ppid__decided_at", "ppid__outcome"
    )
    durations = _durations(list(rows), WorkCalendar.load())
    report.time_taken = duration_stats([d for _o, d in durations])
    report.time_taken_by_outcome = [
        (code, str(label), duration_stats([d for o, d in durations if o == code])) for code, label in outcomes.choices
    ]

    # objections ---------------------------------------------------------------------------------------------------
    objections = objections_queryset(year, user)
    oatoms = _objection_atoms(as_of, year)
    per_reason = {
        reason: (received, answered, late)
        for reason, received, answered, late in objections.order_by()
        .values_list("objection__reason")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=oatoms["answered"]("1")),
            late=Count("pk", filter=oatoms["late"]("1")),
        )
        .values_list("objection__reason", "received", "answered", "late")
    }
    decisions = ObjectionDetails.Decision
    otot = objections.aggregate(
        overdue=Count("pk", filter=oatoms["overdue"]("1")),
        settled=Count("pk", filter=oatoms["decision"]("settled")),
        pending=Count("pk", filter=oatoms["answered"]("0")),
        **{f"decision_{code}": Count("pk", filter=oatoms["decision"](code)) for code in decisions.values},
    )
    figures = report.objections
    figures.by_reason = [
        ObjectionReasonRow(code, str(label), *per_reason.get(code, (0, 0, 0)))
        for code, label in OBJECTION_REASONS.choices
    ]
    figures.received = sum(r.received for r in figures.by_reason)
    figures.answered = sum(r.answered for r in figures.by_reason)
    figures.answered_late = sum(r.late for r in figures.by_reason)
    figures.overdue_open = otot["overdue"]
    figures.decisions = [
        CountItem(code, str(label), otot[f"decision_{code}"], {"decision": code}) for code, label in decisions.choices
    ] + [
        CountItem("settled", gettext("Settled by agreement"), otot["settled"], {"decision": "settled"}),
        CountItem(NONE, gettext("Not yet answered"), otot["pending"], {"answered": "0"}),
    ]

    # Komisi Informasi disputes ------------------------------------------------------------------------------------
    disputes = disputes_queryset(year, user)
    datoms = _dispute_atoms(as_of)
    dis = disputes.aggregate(
        filed=Count("pk"),
        **{
            f"outcome_{code}": Count("pk", filter=datoms["outcome"](code))
            for code in KomisiInformasiDispute.Outcome.values
        },
    )
    report.disputes_filed = dis["filed"]
    report.disputes_by_outcome = [
        CountItem(code, str(label), dis[f"outcome_{code}"], {"outcome": code})
        for code, label in KomisiInformasiDispute.Outcome.choices
    ]
    _follow_up(report, year, user, as_of, objections, disputes)
    return report


def _follow_up(report: PPIDAnnualReport, year: int, user, as_of, objections: QuerySet, disputes: QuerySet) -> None:
    """Carried-out answers and decisions, court challenges and the narrative (four queries)."""
    oatoms, datoms = _objection_atoms(as_of, year), _dispute_atoms(as_of, year)
    upheld = oatoms["decision"](ObjectionDetails.Decision.UPHELD)
    answers = objections.aggregate(
        due=Count("pk", filter=upheld), done=Count("pk", filter=upheld & oatoms["carried_out"]("1"))
    )
    report.answers_to_carry_out, report.answers_carried_out = answers["due"], answers["done"]
    ki = disputes.aggregate(
        due=Count("pk", filter=datoms["obliges"]("1")),
        done=Count("pk", filter=datoms["obliges"]("1") & datoms["carried_out"]("1")),
    )
    report.ki_to_carry_out, report.ki_carried_out = ki["due"], ki["done"]

    period = Period.year(year)
    challenges = CourtChallenge.objects.filter(
        objection__in=_scoped(user, "objection"), filed_on__gte=period.start, filed_on__lt=period.end
    )
    counts: dict[tuple[str, str], int] = {}
    carried = {"first_instance": 0, "cassation": 0}
    for court, outcome, carried_out_on in challenges.values_list("court", "outcome", "carried_out_on"):
        level = "cassation" if court in COURT_LEVELS["cassation"] else "first_instance"
        counts[(level, outcome)] = counts.get((level, outcome), 0) + 1
        if carried_out_on is not None and carried_out_on <= as_of:
            carried[level] += 1
    report.court_by_outcome = [
        CourtRow(code, str(label), counts.get(("first_instance", code), 0), counts.get(("cassation", code), 0))
        for code, label in CourtChallenge.Outcome.choices
    ]
    report.court_filed = sum(counts.values())
    report.court_carried_out = CourtRow(
        "carried_out",
        gettext("Court decisions carried out by the body"),
        carried["first_instance"],
        carried["cassation"],
    )
    report.narrative = AnnualReportNarrative.objects.filter(year=year).first()
