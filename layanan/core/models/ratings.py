"""The citizen's rating of a closed ticket: the survey of PermenPANRB 14/2017 (Survei Kepuasan Masyarakat).

The nine elements (*unsur*) of the survey are defined once, in :data:`ELEMENTS` (Lampiran PermenPANRB 14/2017,
"Unsur Survei Kepuasan Masyarakat", a–i, in the regulation's order); the model's score columns, the API
serializer, the site form and the satisfaction report all read them from here. Each element is scored on the
regulation's four-point scale :data:`SCORES` (1 not good … 4 very good).

**Every element is required; there is no "not applicable".** The regulation's method weighs the nine elements
equally (1/9 each) and averages each over the questionnaires; its model questionnaire offers four answers per
element and no "not applicable" (for the cost, the best answer is "free"). A blank element would give the
elements different respondent counts, and in a small period could leave an element with no average at all, so
no index could be computed. Every element is also something the applicant of a closed request or report can
judge: the requirements and procedure they followed, the time it took, what it cost (the service is free apart
from copies or delivery they chose), what they received, how the officers dealt with them, how their
questions and complaints were handled and the channels (the website, the forms) they used.

A rating holds no personal data: the scores, an optional short comment (citizen free text, checked like every
other) and when it was given; who gave it is only the link to the ticket. Retention empties the comment with
the ticket's other free text (``layanan.core.retention``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from layanan.core.models.tickets import Ticket

__all__ = ["COMMENT_MAX_LENGTH", "ELEMENTS", "SCORES", "Element", "ServiceRating", "element"]


@dataclass(frozen=True)
class Element:
    """One element (*unsur*) of the survey: ``code`` (the score's column and the API field), ``number`` (U1–U9,
    the regulation's order), ``label`` (its name in the regulation) and ``question`` (what the applicant is
    asked about it, shown under the element on the form)."""

    code: str
    number: int
    label: str | Promise
    question: str | Promise


#: The nine elements of PermenPANRB 14/2017 (Lampiran, "Unsur Survei Kepuasan Masyarakat" a–i), in order.
ELEMENTS: tuple[Element, ...] = (
    Element(
        "requirements",
        1,
        _("Requirements"),
        _("Were the requirements (identity, documents, forms) suitable for this service?"),
    ),
    Element(
        "procedure",
        2,
        _("Systems, mechanisms and procedures"),
        _("Was the procedure, from filing to the answer, easy to follow?"),
    ),
    Element("completion_time", 3, _("Completion time"), _("Was your request or report handled quickly?")),
    Element(
        "cost",
        4,
        _("Cost/tariff"),
        _(
            "Was the cost fair? The service itself is free of charge; only copies or delivery you chose may "
            "cost something."
        ),
    ),
    Element(
        "product",
        5,
        _("Product specification of the service"),
        _("Did what you received (the information, the answer or the follow-up) match what the service promises?"),
    ),
    Element("competence", 6, _("Competence of the officers"), _("Did the officers know their work?")),
    Element("conduct", 7, _("Conduct of the officers"), _("Were the officers polite and helpful?")),
    Element(
        "complaint_handling",
        8,
        _("Handling of complaints, suggestions and feedback"),
        _("Were your questions, complaints or suggestions taken up?"),
    ),
    Element(
        "facilities",
        9,
        _("Facilities and infrastructure"),
        _("How good were the channels you used (this website, the forms, the service desk)?"),
    ),
)

#: The four-point scale (PermenPANRB 14/2017: 1 not good, 2 not quite good, 3 good, 4 very good).
SCORES: tuple[tuple[int, str | Promise], ...] = (
    (1, pgettext_lazy("satisfaction scale", "Not good")),
    (2, pgettext_lazy("satisfaction scale", "Not quite good")),
    (3, pgettext_lazy("satisfaction scale", "Good")),
    (4, pgettext_lazy("satisfaction scale", "Very good")),
)

#: Longest comment accepted, in characters (after Unicode normalisation).
COMMENT_MAX_LENGTH = 1000


def element(code: str) -> Element:
    """The :class:`Element` with ``code``; ``KeyError`` for an unknown code."""
    for item in ELEMENTS:
        if item.code == code:
            return item
    raise KeyError(code)


def _score(code: str) -> models.PositiveSmallIntegerField:
    item = element(code)
    return models.PositiveSmallIntegerField(format_lazy("U{} {}", item.number, item.label), choices=SCORES)


class ServiceRating(models.Model):
    """The applicant's rating of ``ticket`` (at most one per ticket): a score 1–4 for each of the nine
    :data:`ELEMENTS` (columns named by ``Element.code``), an optional ``comment`` (at most
    :data:`COMMENT_MAX_LENGTH` characters) and ``created_at`` (aware, stored in UTC; the report counts it in the
    WIB period it falls in). Written only by ``layanan.core.ratings.submit_rating``."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="rating", verbose_name=_("ticket"))
    requirements = _score("requirements")
    procedure = _score("procedure")
    completion_time = _score("completion_time")
    cost = _score("cost")
    product = _score("product")
    competence = _score("competence")
    conduct = _score("conduct")
    complaint_handling = _score("complaint_handling")
    facilities = _score("facilities")
    comment = models.CharField(_("comment"), max_length=COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("rated at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{item.code}__gte": 1, f"{item.code}__lte": 4}),
                name=f"layanan_rating_{item.code}_1_4",
            )
            for item in ELEMENTS
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.created_at:%Y-%m-%d}"

    @property
    def scores(self) -> dict[str, int]:
        """``{element code: score}`` in the regulation's order."""
        return {item.code: getattr(self, item.code) for item in ELEMENTS}
