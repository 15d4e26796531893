"""``GET /api/v2/regulations/`` and ``GET /api/v2/regulations/<id>/``: the published regulations."""

import re

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.throttling import AnonRateThrottle

from home.api.pagination import PublicLimitOffsetPagination
from home.api.views import PublicRetrieveAPIView, StoredListAPIView
from pesan_cms.openapi import blank_or
from pesan_cms.patterns import SITE_PATTERN, choice_list_pattern
from regulasi.api.filters import (
    ORDERING_KEYS,
    SEARCH_MAX_LENGTH,
    SUBJECT_MAX_LENGTH,
    YEAR_MAX,
    YEAR_MIN,
    RegulationFilterSet,
)
from regulasi.api.serializers import RegulationSerializer
from regulasi.models import RegulationKind, RegulationPage, RegulationStatus

_ORDERING_VALUES = [value for key in ORDERING_KEYS for value in (key, f"-{key}")]
_YEAR = blank_or({"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX})

FILTER_PARAMETERS = [
    OpenApiParameter("kind", OpenApiTypes.STR, enum=[*RegulationKind.values, ""], description="Kind code."),
    OpenApiParameter("year", _YEAR, description="Exact year of the regulation (e.g. 2008)."),
    OpenApiParameter("year_min", _YEAR, description="Year from (inclusive)."),
    OpenApiParameter("year_max", _YEAR, description="Year until (inclusive)."),
    OpenApiParameter("status", OpenApiTypes.STR, enum=[*RegulationStatus.values, ""], description="Legal status."),
    OpenApiParameter(
        "subject",
        {"type": "string", "maxLength": SUBJECT_MAX_LENGTH},
        description="Subject name, any case and spacing (e.g. `Keterbukaan Informasi`), or its slug.",
    ),
    OpenApiParameter(
        "search",
        {"type": "string", "maxLength": SEARCH_MAX_LENGTH},
        description=(
            f"A citation and words (at most {SEARCH_MAX_LENGTH} characters). A kind's name or abbreviation, a "
            "number and a year select by kind, number and year: `UU 14`, `PP 61/2010`, `Undang-Undang Nomor 14 "
            "Tahun 2008`, `14/2008`; the other words must all occur in the title, subject matter (`about`), number "
            "or abstract, case-insensitive (`regulasi.search`)."
        ),
    ),
    OpenApiParameter(
        "ordering",
        {"type": "string", "pattern": choice_list_pattern(ORDERING_KEYS)},
        description=(
            "Sort keys, comma-separated, `-` for descending: "
            + ", ".join(f"`{value}`" for value in _ORDERING_VALUES)
            + ". Default `-year,-issued_on,-number`. Unknown dates sort last; numbers sort numerically."
        ),
    ),
    OpenApiParameter(
        "site",
        {"type": "string", "pattern": SITE_PATTERN},
        description="Site hostname[:port]; default: the requested site. Unknown: 404.",
    ),
]


class RegulationQuerysetMixin:
    """Live, public regulation pages of the request's site (drafts and private pages are never served)."""

    serializer_class = RegulationSerializer
    throttle_classes = [AnonRateThrottle]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, maybe no database yet
            return RegulationPage.objects.none()
        if not re.fullmatch(SITE_PATTERN, self.request.query_params.get("site", "")):
            raise ValidationError({"site": [_("Give the site as host or host:port.")]})
        try:
            return RegulationPage.listable(self.request)
        except Http404 as exc:
            raise NotFound(_("Unknown site.")) from exc
        except ValueError as exc:  # several sites match ?site=host: the port is needed
            raise ValidationError({"site": [_("Several sites match; add the port (host:port).")]}) from exc


@extend_schema(
    tags=["regulations"],
    summary="List regulations",
    description=(
        "Published regulations (UU, PP, Perpres, Permen, PerKI, Kepmen, SE, other) with filters, search, "
        "ordering and limit/offset pagination. Invalid filter values give HTTP 400 with messages per parameter "
        "(Indonesian by default; send `Accept-Language: en` for English)."
    ),
    parameters=FILTER_PARAMETERS,
)
class RegulationListView(RegulationQuerysetMixin, StoredListAPIView):
    """List published regulations: filters ``kind``, ``year``/``year_min``/``year_max``, ``status``,
    ``subject``; ``search``; ``ordering``; ``limit``/``offset``. See ``regulasi.api.filters``.

    Response: ``{"count", "next", "previous", "results": [<RegulationSerializer>]}``. The number of SQL
    queries does not depend on ``limit``.
    """

    filterset_class = RegulationFilterSet
    pagination_class = PublicLimitOffsetPagination


@extend_schema(
    tags=["regulations"],
    summary="One regulation",
    description="A published regulation by page id; 404 for unknown, draft or private pages.",
)
class RegulationDetailView(RegulationQuerysetMixin, PublicRetrieveAPIView):
    """One published regulation by its page id (404 when unknown, a draft or private)."""
