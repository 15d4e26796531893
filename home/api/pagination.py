"""Pagination of the public API: ``?limit=`` is capped and an ``?offset=`` past the end is an empty page.

- :class:`PublicLimitOffsetPagination` (DRF listings: news, public information, regulations): ``limit`` default 20, at
  most 100 — an absurd ``limit`` no longer reaches the database (it overflowed SQLite's 64-bit integers: 500)
  nor returns the whole table; a ``limit`` or ``offset`` that is not a whole number in range is a 400.
- :class:`PublicWagtailPagination` (``/api/v2/pages|images|documents/``): Wagtail's own rules, but an
  ``offset`` at or past the number of items answers an empty page instead of slicing the query with a number
  the database cannot hold.

One listing shape (issue 19, ``docs/api.md``): every paginated list carries both envelopes, so a client reads
the same keys everywhere — ``count``, ``next``, ``previous`` (DRF's) and ``meta: {total_count, next,
previous}`` (Wagtail's, with the links added). Only the array keeps its family's name: ``items`` on the Wagtail
endpoints, ``results`` on the others (renaming it would break existing clients).
"""

from __future__ import annotations

from collections import OrderedDict

from django.conf import settings
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from wagtail.api.v2.pagination import WagtailPagination

from ..absolute_urls import absolute_url, rebased

__all__ = ["PublicLimitOffsetPagination", "PublicWagtailPagination"]


#: ``meta`` of every paginated list (OpenAPI 3.0).
META_SCHEMA = {
    "type": "object",
    "required": ["total_count", "next", "previous"],
    "properties": {
        "total_count": {"type": "integer", "minimum": 0, "description": "Number of items over all pages."},
        "next": {"type": "string", "format": "uri", "nullable": True, "description": "URL of the next page."},
        "previous": {"type": "string", "format": "uri", "nullable": True, "description": "URL of the previous page."},
    },
}


def _meta(total: int, next_url: str | None, previous_url: str | None) -> OrderedDict:
    return OrderedDict([("total_count", total), ("next", next_url), ("previous", previous_url)])


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

    def get_paginated_response(self, data):
        """DRF's ``{count, next, previous, results}`` plus ``meta: {total_count, next, previous}``."""
        response = super().get_paginated_response(data)
        for key in ("next", "previous"):  # DRF builds them from the request's host: the site's root URL instead
            response.data[key] = rebased(response.data[key])
        response.data["meta"] = _meta(self.count, response.data["next"], response.data["previous"])
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["meta"] = META_SCHEMA
        schema["required"] = sorted({*schema.get("required", ()), "count", "results", "meta"})
        return schema

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
    """Wagtail's pagination; the answer is ``{meta: {total_count, next, previous}, items, count, next,
    previous}`` (links built as DRF's, from the request URL with ``offset`` replaced)."""

    def paginate_queryset(self, queryset, request, view=None):
        page = super().paginate_queryset(queryset, request, view)  # validates; the slice is still lazy
        self.request = request
        self.offset = int(request.GET.get("offset", 0))
        self.limit = int(request.GET.get("limit", min(20, settings.WAGTAILAPI_LIMIT_MAX)))  # as Wagtail reads it
        if self.offset >= self.total_count:
            return []
        return page

    def _links(self) -> tuple[str | None, str | None]:
        url = absolute_url(self.request.get_full_path())  # the site's root URL, not the request's host
        next_url = None
        if self.limit and self.offset + self.limit < self.total_count:
            next_url = replace_query_param(url, "offset", self.offset + self.limit)
        previous_url = None
        if self.offset > 0 and self.limit:
            previous_offset = self.offset - self.limit
            previous_url = (
                remove_query_param(url, "offset")
                if previous_offset <= 0
                else replace_query_param(url, "offset", previous_offset)
            )
        return next_url, previous_url

    def get_paginated_response(self, data):
        next_url, previous_url = self._links()
        return Response(
            OrderedDict(
                [
                    ("meta", _meta(self.total_count, next_url, previous_url)),
                    ("items", data),
                    ("count", self.total_count),
                    ("next", next_url),
                    ("previous", previous_url),
                ]
            )
        )
