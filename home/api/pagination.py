"""Pagination of the public API: ``?limit=`` is capped and an ``?offset=`` past the end is an empty page.

- :class:`PublicLimitOffsetPagination` (DRF listings: news, public information, regulations): ``limit`` default 20, at
  most 100 — an absurd ``limit`` no longer reaches the database (it overflowed SQLite's 64-bit integers: 500)
  nor returns the whole table.
- :class:`PublicWagtailPagination` (``/api/v2/pages|images|documents/``): Wagtail's own rules, but an
  ``offset`` at or past the number of items answers an empty page instead of slicing the query with a number
  the database cannot hold.
"""

from __future__ import annotations

from rest_framework.pagination import LimitOffsetPagination
from wagtail.api.v2.pagination import WagtailPagination

__all__ = ["PublicLimitOffsetPagination", "PublicWagtailPagination"]


class PublicLimitOffsetPagination(LimitOffsetPagination):
    """``?limit=`` (default 20, at most 100) and ``?offset=``."""

    default_limit = 20
    max_limit = 100


class PublicWagtailPagination(WagtailPagination):
    def paginate_queryset(self, queryset, request, view=None):
        page = super().paginate_queryset(queryset, request, view)  # validates; the slice is still lazy
        if int(request.GET.get("offset", 0)) >= self.total_count:
            return []
        return page
