"""The applicant rates a closed ticket, and the satisfaction index (IKM) of the ratings — PermenPANRB 14/2017
tentang Pedoman Penyusunan Survei Kepuasan Masyarakat Unit Penyelenggara Pelayanan Publik.

- Who may rate (:func:`rating_state`): the ticket's service is ``ratable`` in the service registry (PPID
  requests and SP4N-LAPOR reports; never WBS), its status is a ``final`` state of the service's machine, and it
  was not rated yet — one rating per ticket, given with the ticket's access token (the API and the status page
  find the ticket with ``layanan.core.public.find_ticket_for_token``).
- :func:`submit_rating` checks and stores a rating in one transaction (the ticket row locked): the nine
  elements of :data:`layanan.core.models.ratings.ELEMENTS`, each 1–4, all required, and an optional comment
  (citizen free text: ``layanan.core.sanitize.normalise_text``, at most ``COMMENT_MAX_LENGTH`` characters).
- :func:`satisfaction_index` computes the index of a set of ratings (the regulation's method, see there);
  :func:`index_category` gives its quality category (*mutu pelayanan*) A–D; :func:`period_indexes` aggregates
  the ratings given in a period per service (one query) for the satisfaction report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from layanan.core import registry
from layanan.core.models.ratings import COMMENT_MAX_LENGTH, ELEMENTS, SCORES, ServiceRating
from layanan.core.models.tickets import Ticket
from layanan.core.sanitize import normalise_text

__all__ = [
    "CATEGORIES",
    "LEGAL_SOURCE",
    "Category",
    "RatingRefused",
    "SatisfactionIndex",
    "index_category",
    "index_of",
    "period_indexes",
    "rating_state",
    "satisfaction_index",
    "submit_rating",
]

#: Where the elements, the scale, the method and the categories come from.
LEGAL_SOURCE = "PermenPANRB 14/2017, Lampiran (Survei Kepuasan Masyarakat)"

#: :func:`rating_state` values.
UNAVAILABLE, OPEN, RATED = "unavailable", "open", "rated"

TWO_PLACES, FOUR_PLACES = Decimal("0.01"), Decimal("0.0001")


class RatingRefused(Exception):
    """The ticket cannot be rated (any more): not closed, its service is not rated, or it was rated already.
    ``message``: one sentence for the applicant (Indonesian by default). Answered 409; nothing was stored."""

    def __init__(self, message):
        self.message = str(message)
        super().__init__(self.message)


def _closed_and_ratable(ticket) -> bool:
    definition = registry.find(ticket.service)
    return definition is not None and definition.ratable and definition.machine.state(ticket.status).final


def rating_state(ticket) -> str:
    """``"open"``: the applicant may rate ``ticket`` now; ``"rated"``: they did; ``"unavailable"``: its service is
    not rated or it is not closed (a final state of its machine). One query, only for a closed ticket of a
    rated service."""
    if not _closed_and_ratable(ticket):
        return UNAVAILABLE
    return RATED if ServiceRating.objects.filter(ticket_id=ticket.pk).exists() else OPEN


def _refusal(ticket) -> str | Promise:
    definition = registry.find(ticket.service)
    if definition is None or not definition.ratable:
        return _("This service is not rated.")
    status = definition.machine.state(ticket.status).citizen_label
    return _("The ticket can be rated once it is closed (status now: %(status)s).") % {"status": status}


def _clean(scores: Mapping, comment) -> tuple[dict[str, int], str]:
    """The scores as integers 1–4 and the comment as stored; ``ValidationError({field: [message]})``."""
    errors: dict[str, list] = {}
    cleaned: dict[str, int] = {}
    allowed = {value for value, _label in SCORES}
    for item in ELEMENTS:
        raw = scores.get(item.code)
        if raw in (None, ""):
            errors[item.code] = [gettext("Choose a score for “%(element)s”.") % {"element": item.label}]
            continue
        try:
            value = int(str(raw).strip())
        except (TypeError, ValueError):
            value = None
        if value not in allowed or isinstance(raw, bool | float):
            errors[item.code] = [gettext("Choose a score from 1 (not good) to 4 (very good).")]
            continue
        cleaned[item.code] = value
    text = comment if isinstance(comment, str) else ""
    try:
        text = normalise_text(text).strip()
    except ValidationError as exc:
        errors["comment"] = exc.messages
    else:
        if len(text) > COMMENT_MAX_LENGTH:
            errors["comment"] = [
                gettext("Keep the comment to at most %(max)d characters (it has %(length)d).")
                % {"max": COMMENT_MAX_LENGTH, "length": len(text)}
            ]
    if errors:
        raise ValidationError(errors)
    return cleaned, text


def submit_rating(ticket, scores: Mapping, comment: str = "") -> ServiceRating:
    """Store the applicant's rating of ``ticket``: ``scores`` maps every element code of
    :data:`~layanan.core.models.ratings.ELEMENTS` to 1–4 (integers or their digits), ``comment`` is optional.

    One transaction with the ticket's row locked, so of two ratings sent at once exactly one is stored. Raises
    :class:`RatingRefused` (409) when the ticket's service is not rated, the ticket is not in a final state of
    its machine, or it was rated already; ``ValidationError({field: [message]})`` (400) for a missing or
    out-of-range score or a refused comment. Nothing is stored on any error. Returns the new rating.

    The caller has checked the access token (``layanan.core.public.find_ticket_for_token``)."""
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().filter(pk=ticket.pk).first()
        if locked is None:
            raise RatingRefused(_("Ticket not found."))
        if not _closed_and_ratable(locked):
            raise RatingRefused(_refusal(locked))
        if ServiceRating.objects.filter(ticket=locked).exists():
            raise RatingRefused(_("This ticket has already been rated. Thank you, one rating per ticket is kept."))
        cleaned, text = _clean(scores, comment)
        try:
            with transaction.atomic():
                return ServiceRating.objects.create(ticket=locked, comment=text, **cleaned)
        except IntegrityError:  # rated in the meantime (a database without row locks)
            raise RatingRefused(
                _("This ticket has already been rated. Thank you, one rating per ticket is kept.")
            ) from None


# --- the index ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Category:
    """A quality category (*mutu pelayanan*) of the index: ``letter`` A–D, the lowest index of its band
    (``minimum``, on the 25–100 scale) and its name (``label``, the unit's performance: very good … not good)."""

    letter: str
    minimum: Decimal
    label: str | Promise

    def __str__(self) -> str:
        return f"{self.letter} ({self.label})"


#: PermenPANRB 14/2017, Lampiran, table "Nilai Persepsi, Interval IKM, Interval Konversi IKM, Mutu Pelayanan
#: dan Kinerja Unit Pelayanan": converted index 88.31–100.00 A (very good), 76.61–88.30 B (good), 65.00–76.60
#: C (not quite good), 25.00–64.99 D (not good) — on the unconverted 1–4 scale 3.5324–4.00, 3.0644–3.532,
#: 2.60–3.064 and 1.00–2.5996.
CATEGORIES: tuple[Category, ...] = (
    Category("A", Decimal("88.31"), pgettext_lazy("satisfaction scale", "Very good")),
    Category("B", Decimal("76.61"), pgettext_lazy("satisfaction scale", "Good")),
    Category("C", Decimal("65.00"), pgettext_lazy("satisfaction scale", "Not quite good")),
    Category("D", Decimal("25.00"), pgettext_lazy("satisfaction scale", "Not good")),
)


def index_category(index: Decimal | None) -> Category | None:
    """The :data:`CATEGORIES` band of ``index`` (25–100, two decimals; ``None`` gives ``None``). The bands meet at
    two decimals (64.99 | 65.00), so the index is rounded to two decimals (half up) before it is placed."""
    if index is None:
        return None
    index = Decimal(index).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    for category in CATEGORIES:
        if index >= category.minimum:
            return category
    return CATEGORIES[-1]


def _decimal(value: Fraction, places: Decimal) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(places, rounding=ROUND_HALF_UP)


def _two(value: Fraction) -> Decimal:
    return _decimal(value, TWO_PLACES)


@dataclass(frozen=True)
class SatisfactionIndex:
    """The index of a set of ratings (see :func:`satisfaction_index`).

    ``respondents``: how many ratings; ``nrr``: ``{element code: average score 1.00–4.00}`` (two decimals);
    ``weighted``: ``{element code: nrr × 1/9}`` (four decimals, the regulation's "NRR tertimbang");
    ``element_index``: ``{element code: nrr × 25}`` (25.00–100.00, two decimals, placed in the same bands);
    ``unit_index``: the weighted average of the nine NRR (1.00–4.00, four decimals: the regulation's
    "nilai indeks"); ``index``: the index converted to 25–100 (two decimals, the IKM); ``category``:
    its :class:`Category`. With no respondent every figure is ``None``."""

    respondents: int
    nrr: dict[str, Decimal | None] = field(default_factory=dict)
    weighted: dict[str, Decimal | None] = field(default_factory=dict)
    element_index: dict[str, Decimal | None] = field(default_factory=dict)
    unit_index: Decimal | None = None
    index: Decimal | None = None
    category: Category | None = None


def satisfaction_index(score_sums: Mapping[str, int], respondents: int) -> SatisfactionIndex:
    """The satisfaction index (IKM) of ``respondents`` ratings whose scores add up to ``score_sums[code]`` per
    element — PermenPANRB 14/2017, Lampiran, "Metode pengolahan data":

    - NRR (*nilai rata-rata*) of an element = the sum of its scores / the number of respondents;
    - every element weighs the same: 1/9 (the regulation writes the weight rounded, "0,11"; the exact 1/9 is
      used, so that a perfect score gives 100.00, not 99.90);
    - index = Σ NRR × 1/9 (1–4), converted to 25–100 by × 25: IKM = Σ NRR / 9 × 25;
    - category (*mutu pelayanan*) from the converted index: :func:`index_category`.

    Computed exactly (fractions) and rounded half up only at the end, each figure on its own (the NRR are
    shown with two decimals; the index is not computed from the rounded NRR). Every rating scores all nine
    elements (``layanan.core.models.ratings``), so the respondents are the same for every element.
    ``ValueError`` when a sum lies outside what ``respondents`` scores of 1–4 can give."""
    if respondents <= 0:
        empty = {e.code: None for e in ELEMENTS}
        return SatisfactionIndex(respondents=0, nrr=empty, weighted=dict(empty), element_index=dict(empty))
    averages: dict[str, Fraction] = {}
    for item in ELEMENTS:
        total = int(score_sums.get(item.code) or 0)
        if not respondents <= total <= 4 * respondents:
            raise ValueError(f"{item.code}: {total} is not the sum of {respondents} scores of 1-4")
        averages[item.code] = Fraction(total, respondents)
    weight = Fraction(1, len(ELEMENTS))
    unit = sum((nrr * weight for nrr in averages.values()), Fraction(0))
    index = _two(unit * 25)
    return SatisfactionIndex(
        respondents=respondents,
        nrr={code: _two(nrr) for code, nrr in averages.items()},
        weighted={code: _decimal(nrr * weight, FOUR_PLACES) for code, nrr in averages.items()},
        element_index={code: _two(nrr * 25) for code, nrr in averages.items()},
        unit_index=_decimal(unit, FOUR_PLACES),
        index=index,
        category=index_category(index),
    )


def index_of(ratings: Iterable[Mapping[str, int]]) -> SatisfactionIndex:
    """:func:`satisfaction_index` of ratings given as ``{element code: score}`` mappings
    (``ServiceRating.scores``)."""
    sums = {e.code: 0 for e in ELEMENTS}
    count = 0
    for scores in ratings:
        count += 1
        for item in ELEMENTS:
            sums[item.code] += int(scores[item.code])
    return satisfaction_index(sums, count)


def period_indexes(start_at, end_at, services: Iterable[str]) -> dict[str, SatisfactionIndex]:
    """``{service: SatisfactionIndex}`` of the ratings given from ``start_at`` (inclusive) to ``end_at``
    (exclusive; aware datetimes, a report period in WIB) on tickets of ``services``, plus ``"all"`` for all of
    them pooled (every respondent counted once, whatever the service). A service without ratings gets an index
    with 0 respondents. One query."""
    services = list(services)
    rows = (
        ServiceRating.objects.filter(ticket__service__in=services, created_at__gte=start_at, created_at__lt=end_at)
        .order_by()
        .values("ticket__service")
        .annotate(respondents=Count("pk"), **{f"sum_{e.code}": Sum(e.code) for e in ELEMENTS})
    )
    by_service = {row["ticket__service"]: row for row in rows}
    result: dict[str, SatisfactionIndex] = {}
    pooled = {e.code: 0 for e in ELEMENTS}
    pooled_count = 0
    for service in services:
        row = by_service.get(service)
        if row is None:
            result[service] = satisfaction_index({}, 0)
            continue
        sums = {e.code: row[f"sum_{e.code}"] for e in ELEMENTS}
        result[service] = satisfaction_index(sums, row["respondents"])
        pooled_count += row["respondents"]
        for code, value in sums.items():
            pooled[code] += value
    result["all"] = satisfaction_index(pooled, pooled_count)
    return result
