"""The regulation filters, shared by ``GET /api/v2/regulations/`` and ``RegulationIndexPage``'s form.

Query parameters (all optional, combined with AND):

- ``kind``: a kind code (``uu``, ``pp``, ``perpres``, ``permen``, ``perki``, ``kepmen``, ``se``, ``other``)
- ``year``: exact year (a whole number, 1800–2200); ``year_min`` / ``year_max``: inclusive range
- ``status``: ``berlaku``, ``diubah`` or ``dicabut``
- ``subject``: a subject tag by name (case and spacing ignored: ``keterbukaan informasi``) or by slug
  (``keterbukaan-informasi``)
- ``search``: a citation and words (``regulasi.search.parse_query``): a kind name or abbreviation ("UU",
  "Undang-Undang", "PerKI"), a number and a year ("UU 14", "PP 61/2010", "Nomor 14 Tahun 2008") select by kind,
  number and year; the other words must all occur in the title, "tentang" text, number or abstract
  (case-insensitive)
- ``ordering``: ``year``, ``issued_on``, ``title``, ``number``, each optionally prefixed with ``-`` for
  descending, comma-separated for several keys. Default: newest year first, then latest issued, then
  highest number. Unknown dates sort last either way; ``number`` sorts numerically by its leading digits.

Invalid values give per-field errors (HTTP 400 in the API, messages beside the form on the page).
"""

import re

import django_filters
from django import forms
from django.db.models import F, Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from home.api.filters import WholeNumberFilter
from regulasi.models import RegulationKind, RegulationPage, RegulationPageTag, RegulationStatus, number_sort_key
from regulasi.search import parse_query

SEARCH_MAX_LENGTH = 200
SUBJECT_MAX_LENGTH = 100
#: Years ``year``, ``year_min`` and ``year_max`` accept (whole numbers; anything else is a 400).
YEAR_MIN, YEAR_MAX = 1800, 2200
SEARCH_MAX_WORDS = 10

#: ordering parameter → the expressions it sorts by (ascending form).
ORDERING_KEYS = {
    "year": [F("year")],
    "issued_on": [F("issued_on")],
    "title": [F("title")],
    "number": [F("number_sort"), F("number")],
}
DEFAULT_ORDERING = ["-year", "-issued_on", "-number"]


def number_condition(number: str, year: int | None) -> Q:
    """Regulations with ``number`` (of ``year``, if given). A number of digits is compared by value with the
    leading digits of the written number (``number_sort``: "14" finds "14", "014" and "14/2008"); any other is
    compared as written, case-insensitive ("14a" finds "14A"; "14a" of 2010 also finds a number written "14A/2010")."""
    condition = Q(number_sort=number_sort_key(number)) if number.isdigit() else Q(number__iexact=number)
    if year:
        condition = (condition & Q(year=year)) | Q(number__iexact=f"{number}/{year}")
    return condition


def order_expressions(params: list[str]) -> list:
    """Turn ``["-year", "title"]`` into ORDER BY expressions; nulls last; a final ``pk`` makes it stable."""
    expressions = []
    for param in params:
        descending = param.startswith("-")
        for expression in ORDERING_KEYS[param.lstrip("-")]:
            expressions.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True))
    expressions.append(F("pk").asc())
    return expressions


class RegulationOrderingFilter(django_filters.OrderingFilter):
    """``ordering`` with numeric sorting of numbers and unknown dates last (see ``order_expressions``)."""

    def filter(self, qs, value):
        params = [param for param in (value or []) if param]
        return qs.order_by(*order_expressions(params or DEFAULT_ORDERING))


class RegulationFilterSet(django_filters.FilterSet):
    """Filters for regulation pages. Bind it to a queryset from ``RegulationPage.listable(request)``."""

    search = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text=_("Words to look for in the title, subject matter, number and abstract."),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=RegulationKind.choices, empty_label=_("All kinds"), help_text=_("Kind code.")
    )
    year = WholeNumberFilter(
        label=_("Year"), field_name="year", min_value=YEAR_MIN, max_value=YEAR_MAX, widget=forms.NumberInput
    )
    year_min = WholeNumberFilter(
        label=_("From year"), field_name="year", lookup_expr="gte", min_value=YEAR_MIN, max_value=YEAR_MAX
    )
    year_max = WholeNumberFilter(
        label=_("Until year"), field_name="year", lookup_expr="lte", min_value=YEAR_MIN, max_value=YEAR_MAX
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=RegulationStatus.choices, empty_label=_("All statuses")
    )
    subject = django_filters.CharFilter(
        label=_("Subject"),
        method="filter_subject",
        max_length=SUBJECT_MAX_LENGTH,
        help_text=_("Subject slug or name."),
    )
    ordering = RegulationOrderingFilter(
        label=_("Sort by"),
        fields=[(key, key) for key in ORDERING_KEYS],
        field_labels={  # both directions named, in the reader's words (not "… (descending)")
            "year": _("Year, oldest first"),
            "-year": _("Year, newest first"),
            "issued_on": _("Date issued, oldest first"),
            "-issued_on": _("Date issued, newest first"),
            "title": _("Title, A to Z"),
            "-title": _("Title, Z to A"),
            "number": pgettext_lazy("regulation", "Number, lowest first"),
            "-number": pgettext_lazy("regulation", "Number, highest first"),
        },
        empty_label=_("Newest first"),
    )

    class Meta:
        model = RegulationPage
        fields: list[str] = []

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("ordering"):
            # OrderingFilter only runs when a value is given; the default ordering applies otherwise.
            queryset = queryset.order_by(*order_expressions(DEFAULT_ORDERING))
        return queryset

    def filter_subject(self, queryset, name, value: str):
        value = " ".join(value.split())
        tagged = RegulationPageTag.objects.filter(
            Q(tag__name__iexact=value) | Q(tag__slug=value) | Q(tag__slug=slugify(value))
        )
        return queryset.filter(pk__in=tagged.values("content_object_id"))

    def filter_search(self, queryset, name, value: str):
        query = parse_query(value)  # a citation ("UU 14", "PP 61/2010") becomes kind, number and year
        if query.kind:
            queryset = queryset.filter(kind=query.kind)
        if query.number:
            queryset = queryset.filter(number_condition(query.number, query.year))
        elif query.year:
            queryset = queryset.filter(year=query.year)
        for word in query.words[:SEARCH_MAX_WORDS]:
            condition = (
                Q(title__icontains=word)
                | Q(about__icontains=word)
                | Q(number__icontains=word)
                | Q(abstract__icontains=word)
            )
            cited = re.fullmatch(r"(.+)/(\d{4})", word)
            if cited:
                condition |= Q(number__iexact=cited.group(1), year=int(cited.group(2)))
            queryset = queryset.filter(condition)
        return queryset
