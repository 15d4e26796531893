"""Filters of the public-information list (DIP), shared by ``GET /api/v2/public-information/`` and the rendered
DIP index page (one rule set for both)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import InformationClass, PublicInformationPage, Unit
from ..models.dip import year_validators

#: Years an entry may have (its model's validators): ``year`` outside them is a 400.
YEAR_MIN, YEAR_MAX = (validator.limit_value for validator in year_validators())

#: Fields ``ordering`` accepts (prefix ``-`` for descending; comma-separated for several), and their columns.
ORDERING_FIELDS = ("title", "year", "class", "unit", "published")
_ORDERING_COLUMNS = ("title", "year", "information_class", "unit__code", "first_published_at")


class WholeNumberFilter(django_filters.NumberFilter):
    """``NumberFilter`` for whole numbers (years): ``2008.5`` or ``1e3`` is "Enter a number." (a 400), as the
    schema's ``type: integer`` says, instead of a filter no row can match."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {"invalid": _("Enter a number.")})
        super().__init__(*args, **kwargs)


def search_public_information(queryset, value: str):
    """Entries whose title, summary, person responsible or unit (name/code) contain EVERY word of ``value``
    (case-insensitive). Works the same on SQLite and PostgreSQL."""
    for term in value.split():
        queryset = queryset.filter(
            Q(title__icontains=term)
            | Q(summary__icontains=term)
            | Q(person_responsible__icontains=term)
            | Q(unit__name__icontains=term)
            | Q(unit__code__iexact=term)
        )
    return queryset


class PublicInformationFilter(django_filters.FilterSet):
    """Query parameters:

    - ``class``: ``berkala`` | ``serta_merta`` | ``setiap_saat`` | ``dikecualikan`` (UU 14/2008 Pasal 9–11, 17);
    - ``unit``: a unit code (``DEP1``), case-insensitive; an unknown code is a 400;
    - ``year``: the year the information was made (integer, the range an entry's year may have);
    - ``search``: words that must all occur in title, summary, person responsible or unit;
    - ``ordering``: ``title``, ``year``, ``class``, ``unit``, ``published`` (prefix ``-`` for descending).
    """

    # ``class`` is a Python keyword, so the filter is put into the class namespace by name.
    locals()["class"] = django_filters.ChoiceFilter(
        field_name="information_class", choices=InformationClass.choices, label=_("Information class")
    )
    unit = django_filters.ModelChoiceFilter(
        field_name="unit",
        to_field_name="code",
        queryset=Unit.objects.all(),
        label=_("Unit"),
    )
    year = WholeNumberFilter(field_name="year", label=_("Year"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))
    ordering = django_filters.OrderingFilter(
        fields=tuple(zip(_ORDERING_COLUMNS, ORDERING_FIELDS, strict=True)),
        label=_("Ordering"),
    )

    class Meta:
        model = PublicInformationPage
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        return search_public_information(queryset, value)

    def __init__(self, data=None, *args, **kwargs):
        # Unit codes are matched case-insensitively: normalise before the ModelChoiceField lookup.
        if data is not None and data.get("unit"):
            data = data.copy()
            match = Unit.objects.filter(code__iexact=data["unit"].strip()).values_list("code", flat=True).first()
            if match:
                data["unit"] = match
        super().__init__(data, *args, **kwargs)
