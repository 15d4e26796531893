"""Pagination of the public API: ``?limit=`` is capped and an ``?offset=`` past the end is an empty page.

- :class:`PublicLimitOffsetPagination` (DRF listings: news, public information, regulations): ``limit`` default 20, at
  most 100 — an absurd ``limit`` no longer reaches the database (it overflowed SQLite's 64-bit integers: 500)
  nor returns the whole table; a ``limit`` or ``offset`` that is not a whole number in range is a 400.
- :class:`PublicWagtailPagination` (``/api/v2/pages|images|documents/``): Wagtail's own rules, but an
  ``offset`` at or past the number of items answers an empty page instead of slicing the query with a number
  the database cannot hold.
"""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from wagtail.api.v2.pagination import WagtailPagination

__all__ = ["PublicLimitOffsetPagination", "PublicWagtailPagination"]


class PublicLimitOffsetPagination(LimitOffsetPagination):
    """``?limit=`` (a whole number from 1; default 20; more than 100 is served as 100) and ``?offset=`` (a whole
    number from 0; past the end: an empty page). Anything else is a 400 naming the parameter — DRF's own
    paginator would quietly serve the default page for ``limit=abc`` or ``offset=-5``, which the schema
    forbids (issue 15: the schema and the validation agree)."""

    default_limit = 20
    max_limit = 100

    def _whole_number(self, request, name: str, minimum: int) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return None
        try:
            return serializers.IntegerField(min_value=minimum).run_validation(raw)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({name: exc.detail}) from None

    def get_limit(self, request):
        limit = self._whole_number(request, self.limit_query_param, 1)
        return self.default_limit if limit is None else min(limit, self.max_limit)

    def get_offset(self, request):
        return self._whole_number(request, self.offset_query_param, 0) or 0

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = (
                    f"Number of results per page (default {self.default_limit}; more than {self.max_limit} is "
                    f"served as {self.max_limit})."
                )
            elif parameter["name"] == self.offset_query_param:
                parameter["schema"]["minimum"] = 0
                parameter["description"] = "Number of results to skip (past the end: an empty page)."
        return parameters


class PublicWagtailPagination(WagtailPagination):
    def paginate_queryset(self, queryset, request, view=None):
        page = super().paginate_queryset(queryset, request, view)  # validates; the slice is still lazy
        if int(request.GET.get("offset", 0)) >= self.total_count:
            return []
        return page
