"""DRF endpoints of the home app: ``GET /api/v2/site/`` and ``GET /api/v2/public-information/``.

Views stay thin: querysets come from the models, filters from ``filters.py``, the exempt-never-has-a-file rule
from ``PublicInformationPage.public_documents``.
"""

from __future__ import annotations

from django.db import DatabaseError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView
from wagtail.models import Site

from pesan_cms.openapi import blank_or
from pesan_cms.patterns import choice_list_pattern

from .. import stored
from ..absolute_urls import encode
from ..models import InformationClass, OrganisationSettings, PublicInformationPage, Unit
from ..privacy import public, visible_documents
from .filters import ORDERING_FIELDS, YEAR_MAX, YEAR_MIN, PublicInformationFilter
from .pagination import PublicLimitOffsetPagination
from .serializers import PublicInformationSerializer, SiteSerializer

#: Largest id a database integer column can hold; SQLite raises OverflowError beyond it instead of "no row".
MAX_DB_ID = 2**63 - 1


class PublicRetrieveAPIView(generics.RetrieveAPIView):
    """``RetrieveAPIView`` for public detail endpoints: 404 ``{"detail": "Data tidak ditemukan."}`` (in the request's
    language) for a missing id and for an id no database can hold (SQLite raises OverflowError beyond it) —
    never DRF's English "No <Model> matches the given query." and never a 500."""

    def get_object(self):
        if int(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field) or 0) > MAX_DB_ID:
            raise NotFound()
        try:
            return super().get_object()
        except Http404:
            raise NotFound() from None


class StoredListAPIView(generics.ListAPIView):
    """``ListAPIView`` over live pages whose items come from :mod:`home.stored` for anonymous visitors: the filters
    and the paginator choose the page ids (a count and one query of ids), and only the items whose page changed
    since they were last serialised in this variant (query string, language, host) are computed. The answer is the
    one ``ListAPIView`` gives. Subclasses that need the rows of a page before serialising them (documents of all
    rows in one query) override :meth:`prepare_rows`."""

    def prepare_rows(self, rows: list) -> None:
        """Called with the rows about to be serialised (each list page, or the items not stored yet)."""

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if not stored.enabled(request) or not isinstance(queryset, QuerySet) or self.paginator is None:
            return self._serialised_list(queryset)
        rows = self.paginate_queryset(stored.id_rows(queryset))
        ids = [row[0] for row in rows]
        kind = f"api-list:{type(self).__module__}.{type(self).__qualname__}"

        def compute(missing: list[int]) -> dict[int, object]:
            rows = list(queryset.filter(pk__in=missing).order_by())
            self.prepare_rows(rows)
            return dict(zip((row.pk for row in rows), self.get_serializer(rows, many=True).data, strict=True))

        tags = stored.item_tags(rows, queryset.model)
        items = stored.fetch_many(kind, ids, stored.variant(request, kind), compute, tags, encode=encode)
        return self.get_paginated_response(items)

    def _serialised_list(self, queryset):
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        self.prepare_rows(rows)
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)


def site_for_request(request) -> Site:
    """The Wagtail site serving ``request`` (by host, else the default site). Raises ``Http404`` if none."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404(_("No site is configured for this host."))
    return site


class SiteView(APIView):
    """``GET /api/v2/site/``: the organisation running the requesting site.

    Name, short name, logo (rendition ≤ 400×400 px), address, phone, e-mail, WhatsApp (+ ``wa.me`` link),
    office hours (free text, e.g. "Senin–Jumat 08.00–16.00 WIB"), social-media accounts, the service charter
    (maklumat pelayanan) as display HTML, and the active units (code, name, kind, parent code, e-mail).
    404 when no Wagtail site is configured for the host.
    """

    serializer_class = SiteSerializer

    @extend_schema(
        summary="Site settings",
        description="Identity, contacts, social accounts, service charter and active units of the organisation "
        "behind the requesting site (chosen by the Host header, else the default site).",
        responses=SiteSerializer,
        tags=["site"],
    )
    def get(self, request):
        settings_obj = OrganisationSettings.for_site(site_for_request(request))
        settings_obj = (
            OrganisationSettings.objects.select_related("logo")
            .prefetch_related("social_accounts")
            .get(pk=settings_obj.pk)
        )
        return Response(SiteSerializer(settings_obj, context={"request": request}).data)


_LIST_PARAMETERS = [
    OpenApiParameter(
        "class",
        OpenApiTypes.STR,
        enum=[*InformationClass.values, ""],
        description="Information class (UU 14/2008 Pasal 9, 10, 11, 17); empty: all.",
    ),
    OpenApiParameter(
        "year",
        blank_or({"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX}),
        description="Year the information was made.",
    ),
    OpenApiParameter(
        "search", OpenApiTypes.STR, description="Words that must all occur in title, summary, person or unit."
    ),
    OpenApiParameter(
        "ordering",
        {"type": "string", "pattern": choice_list_pattern(ORDERING_FIELDS)},
        description="title, year, class, unit or published; prefix '-' for descending; comma-separated for "
        "several. Default: class, newest year, title.",
    ),
]


def unit_parameter() -> OpenApiParameter:
    """``unit``: the codes of the units, read when the schema is generated (an unknown code is a 400)."""
    try:
        codes = sorted(Unit.objects.values_list("code", flat=True))
    except DatabaseError:  # generated without a database (``manage.py spectacular`` before ``migrate``)
        codes = []
    return OpenApiParameter(
        "unit",
        {"type": "string", "enum": [*codes, ""]} if codes else OpenApiTypes.STR,
        description="Code of the unit holding the information, e.g. DEP1 (any letter case).",
    )


def public_information_queryset(request):
    """Live, public (no view restriction) DIP entries of the requesting site, unit loaded, in the default
    order: class, newest year first, title."""
    site = site_for_request(request)
    return (
        public(PublicInformationPage.objects.live(), request)
        .descendant_of(site.root_page)
        .select_related("unit")
        .order_by("information_class", "-year", "title", "pk")
    )


@extend_schema_view(
    get=extend_schema(
        summary="Public-information list (DIP)",
        description="The Daftar Informasi Publik: live, public entries of the requesting site. Exempt "
        "(dikecualikan) entries carry their Pasal 17 ground and consequence test and never a document. "
        "Paginated with limit/offset. Invalid filter values give 400 with a message per parameter.",
        parameters=_LIST_PARAMETERS,
        tags=["public-information"],
    )
)
class PublicInformationListView(StoredListAPIView):
    """``GET /api/v2/public-information/``: the DIP, filterable by ``class``, ``unit``, ``year``, ``search``,
    sortable by ``ordering``, paginated (``limit``/``offset``; default page size 20).

    The number of SQL queries does not depend on the page size: units are joined, documents of all rows are
    fetched in one query.
    """

    serializer_class = PublicInformationSerializer
    filterset_class = PublicInformationFilter
    pagination_class = PublicLimitOffsetPagination

    def schema_parameters(self):
        """Parameters read when the schema is generated (``pesan_cms.openapi.AutoSchema``): the unit codes."""
        return [unit_parameter()]

    def get_queryset(self):
        return public_information_queryset(self.request)

    def prepare_rows(self, rows: list) -> None:
        """The visible documents of all ``rows`` in one query (the serializer reads them from its context)."""
        self._documents_by_id = visible_documents(
            (doc_id for row in rows if not row.is_exempt for doc_id in row.document_ids()), self.request
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["documents_by_id"] = getattr(self, "_documents_by_id", None)
        return context


@extend_schema_view(
    get=extend_schema(summary="One public-information entry (DIP)", tags=["public-information"]),
)
class PublicInformationDetailView(PublicRetrieveAPIView):
    """``GET /api/v2/public-information/<id>/``: one live, public DIP entry of the requesting site (404
    otherwise). Same shape as a list row."""

    serializer_class = PublicInformationSerializer

    def get_queryset(self):
        return public_information_queryset(self.request)
