"""The filter form of the regulation list page (``RegulationIndexPage``): the API's filters
(``regulasi.api.filters.RegulationFilterSet``) as a visitor uses them.

- The form is always bound, also without parameters, so the list comes in the default order "Newest first"
  (``DEFAULT_ORDERING``: year, then date issued, then number, newest first) and not in page-tree order.
- The subject is chosen from the names of the subjects the listed regulations have (a ``<select>``); a subject
  in the address given by name in any case or by slug (``keterbukaan-informasi``, older links) selects it.
- ``active_filter_count`` tells the folded filter panel ("Filter and sort (2 active)") how many are in use.
"""

from __future__ import annotations

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from regulasi.api.filters import RegulationFilterSet
from regulasi.models import RegulationPageTag

#: Fields shown above the fold; the others are in the panel "Filter and sort".
UNFOLDED = ("search",)


def subject_names(queryset) -> list[str]:
    """Names of the subjects of the regulations in ``queryset``, sorted case-insensitively (one query)."""
    names = (
        RegulationPageTag.objects.filter(content_object__in=queryset.values("pk"))
        .values_list("tag__name", flat=True)
        .distinct()
    )
    return sorted(set(names), key=str.casefold)


def page_filterset(request, queryset) -> RegulationFilterSet:
    """The bound filter set of the list page for ``queryset`` (see the module docstring)."""
    names = subject_names(queryset)
    data = request.GET.copy()
    subject = " ".join(data.get("subject", "").split())
    if subject:
        known = {key: name for name in names for key in (name.casefold(), slugify(name))}
        subject = known.get(subject.casefold()) or known.get(slugify(subject)) or subject
        data["subject"] = subject
    filterset = RegulationFilterSet(data, queryset=queryset, request=request)
    choices = [("", _("All subjects")), *((name, name) for name in names)]
    if subject and subject not in names:
        choices.append((subject, subject))
    filterset.form.fields["subject"].widget = forms.Select(choices=choices)
    return filterset


def active_filter_count(filterset) -> int:
    """How many folded filters (every field but the search) have a value."""
    data = filterset.data
    return sum(1 for name in filterset.form.fields if name not in UNFOLDED and data.get(name, "").strip())
