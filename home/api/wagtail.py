"""Wagtail API v2 router: ``/api/v2/pages/``, ``/api/v2/images/``, ``/api/v2/documents/``.

The viewsets subclass Wagtail's to make the privacy rules explicit and tested here:

- pages: only live pages of the requesting site whose view restrictions (password, login, groups) the
  request satisfies — a restricted page and its descendants never appear to anonymous clients;
- documents and images: nothing in a collection whose view restriction the request does not satisfy
  (private collections, including their sub-collections);
- rich text always leaves as display HTML (``WAGTAILAPI_RICH_TEXT_FORMAT = "html"``) or resolved Markdown:
  the database formats (``db_html``, ``db_markdown``), which contain ``<embed`` / ``linktype=`` or internal
  ``wagtail://`` references, are refused with a 400;
- listings of a single page type load that type's ``api_select_related`` and fetch the documents of all DIP
  entries in one query, so the number of queries does not grow with ``limit``;
- error messages (400 ``{"message": …}``) are in the request's language, Indonesian by default: Wagtail raises
  them in English, :func:`translate_api_error` maps the known ones through gettext (unknown ones pass as they
  are);
- what the OpenAPI schema documents (``home.api.schema``) is what is accepted (issue 15): a page filter naming
  an unknown page is a 404, ``order=random`` works with ``offset`` and ``search``, ``child_of`` with
  ``descendant_of``.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.utils.functional import classproperty
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from wagtail.api.rich_text import APIRichText
from wagtail.api.v2.filters import DescendantOfFilter, OrderingFilter, SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from .. import stored
from ..absolute_urls import encode
from ..cache import ANY_PAGE, depends_on, page_id_tags, page_tags, related_page_fields, type_tag
from ..privacy import restricted_collection_ids, visible_documents, visible_pages
from .absolute import PublicPageSerializer
from .fields import PrefetchedTagsField
from .listing import PageTypeHintMixin
from .pagination import PublicWagtailPagination
from .renditions import RenditionsMixin
from .schema import WagtailEndpointSchema

#: Rich-text formats a client may ask for with ``?rich_text_format=``: both resolve internal links to URLs.
PUBLIC_RICH_TEXT_FORMATS = (APIRichText.FORMAT_HTML, APIRichText.FORMAT_MARKDOWN)


#: Wagtail API v2's English error messages (wagtail.api.v2 filters, pagination, views) -> translatable message.
#: Groups of the pattern become ``%(1)s``, ``%(2)s`` … of the message.
_API_ERRORS = [
    (
        r"query parameter is not an operation or a recognised field: (.+)",
        gettext_lazy("Query parameter is not an operation or a recognised field: %(1)s."),
    ),
    (r"unknown fields: (.+)", gettext_lazy("Unknown fields: %(1)s.")),
    (
        r"field filter error\. '(.*)' is not a valid value for (\w+) \((.*)\)",
        gettext_lazy("“%(1)s” is not a valid value for %(2)s."),
    ),
    (r"cannot order by '(.*)' \((?:unknown|invalid) field\)", gettext_lazy("Cannot order by “%(1)s” (unknown field).")),
    (r"(offset|limit) must be a positive integer", gettext_lazy("%(1)s must be a positive integer.")),
    (r"limit cannot be higher than (\d+)", gettext_lazy("limit cannot be higher than %(1)s.")),
    (
        r"(child_of|descendant_of|ancestor_of|translation_of) must be a positive integer",
        gettext_lazy("%(1)s must be a positive integer."),
    ),
    (r"(parent|descendant|ancestor|translation_of) page doesn't exist", gettext_lazy("That page does not exist.")),
    (r"type doesn't exist", gettext_lazy("This page type does not exist.")),
    (r"search is disabled", gettext_lazy("Search is disabled.")),
    (
        r"random ordering (?:with offset is not supported|cannot be combined with other fields)",
        gettext_lazy("Random ordering cannot be combined with offset or other fields."),
    ),
    (
        r"filtering by (?:tag with a search query|descendant_of with child_of) is not supported",
        gettext_lazy("This combination of filters is not supported."),
    ),
    (
        r"cannot (?:filter|order) by '(.+)' while searching \(field is not indexed\)",
        gettext_lazy("Cannot filter or order by “%(1)s” while searching."),
    ),
    (r"fields error: (.+)", gettext_lazy("Error in the fields parameter: %(1)s")),
]
_API_ERRORS = [(re.compile(pattern, re.DOTALL), message) for pattern, message in _API_ERRORS]


def translate_api_error(message: str) -> str:
    """``message`` of a Wagtail API ``BadRequestError`` in the active language (Indonesian by default) when it
    is one of the known messages (:data:`_API_ERRORS`); otherwise unchanged (our own messages are gettext)."""
    for pattern, translated in _API_ERRORS:
        match = pattern.fullmatch(message)
        if match:
            return str(translated) % {str(i): group for i, group in enumerate(match.groups(), start=1)}
    return message


#: Wagtail's 400 for a page filter (``child_of`` …) naming a page that does not exist (or that this client may not
#: see): a 404 here, as for an unknown ``site`` — the request is well formed, the page is not found (issue 15).
_UNKNOWN_PAGE = re.compile(r"(?:parent|descendant|ancestor|translation_of) page doesn't exist")


class TranslatedErrorsMixin:
    """400/404 answers of the Wagtail API in the request's language (see :func:`translate_api_error`); a page
    filter naming an unknown page is a 404."""

    def handle_exception(self, exc):
        if isinstance(exc, BadRequestError):
            code = status.HTTP_404_NOT_FOUND if _UNKNOWN_PAGE.fullmatch(str(exc)) else status.HTTP_400_BAD_REQUEST
            return Response({"message": translate_api_error(str(exc))}, status=code)
        if isinstance(exc, Http404):
            return Response({"message": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
        return super().handle_exception(exc)


class PublicRichTextMixin(TranslatedErrorsMixin):
    """Refuse ``?rich_text_format=db_html|db_markdown``: clients only ever get resolved HTML or Markdown.

    Also the guards every public Wagtail endpoint shares: an unknown ``search_operator`` or a non-numeric
    ``find?id=`` is a 400, and an ``offset`` past the end is an empty page
    (:class:`~home.api.pagination.PublicWagtailPagination`). A NUL character anywhere in a request is refused
    for every endpoint by :class:`pesan_cms.middleware.RejectNulMiddleware`.
    """

    pagination_class = PublicWagtailPagination

    def get_renderer_context(self):
        """DRF's context, without the ``indent: 4`` Wagtail adds: compact JSON as every other endpoint of the API (a
        third of the bytes, and encoded by the standard library's C encoder — Python's own for indented output was
        a third of a cold typed list's time, issue 20). A client may still ask ``Accept: application/json;
        indent=4``."""
        context = super().get_renderer_context()
        context.pop("indent", None)
        return context

    @classproperty
    def renderer_classes(cls):
        """``REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"]``: JSON only outside development (Wagtail always adds
        the HTML browsable API)."""
        return api_settings.DEFAULT_RENDERER_CLASSES

    def check_query_parameters(self, queryset):
        if self.request.GET.get("search_operator", "and") not in ("and", "or"):  # the backend: ValueError, a 500
            raise BadRequestError(_("search_operator must be “and” or “or”."))
        return super().check_query_parameters(queryset)

    def find_object(self, queryset, request):
        self.resolve_rich_text_format()  # refused here too, not only after the redirect
        value = request.GET.get("id")  # Wagtail passes it to the database as is: "x" or "" would be a 500
        if value is not None and not (value.isascii() and value.isdigit() and int(value) < 2**63):
            raise BadRequestError(_("id must be a whole number."))
        return super().find_object(queryset, request)

    def resolve_rich_text_format(self):
        raw = self.request.GET.get("rich_text_format")
        if raw is not None and raw not in PUBLIC_RICH_TEXT_FORMATS:
            raise BadRequestError(
                _("rich_text_format must be one of: %(formats)s.") % {"formats": ", ".join(PUBLIC_RICH_TEXT_FORMATS)}
            )
        return super().resolve_rich_text_format()


class PublicOrderingFilter(OrderingFilter):
    """Wagtail's ``?order=``, with ``random`` usable wherever the schema allows it: with an ``offset`` (a random
    page of the results; Wagtail refuses the pair) and with ``search`` (:class:`PublicSearchFilter` shuffles the
    matches; Wagtail's search backend cannot sort by ``?``)."""

    def filter_queryset(self, request, queryset, view):
        if request.GET.get("order") == "random":
            return queryset if "search" in request.GET else queryset.order_by("?")
        return super().filter_queryset(request, queryset, view)


class PublicSearchFilter(SearchFilter):
    """Wagtail's ``?search=`` (its checks and messages), with two differences the schema relies on:

    - a double quote is read as a space: SQLite's full-text index (the embedded default) refuses an unbalanced
      one (a 400 "could not be understood" before), and a quote never matches a word (PostgreSQL's
      ``websearch_to_tsquery`` treats it as phrase syntax; plain words are what the API documents); and a
      search of nothing but spaces is the empty search (no matches; on SQLite it was a 500);
    - with ``order=random`` the matches come in random order.
    """

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        if not getattr(settings, "WAGTAILAPI_SEARCH_ENABLED", True):
            raise BadRequestError("search is disabled")
        if getattr(queryset, "_filtered_by_tag", False):
            raise BadRequestError("filtering by tag with a search query is not supported")
        random = request.GET.get("order") == "random"
        try:
            results = get_search_backend().search(
                " ".join(request.GET["search"].replace('"', " ").split()),
                queryset,
                operator=request.GET.get("search_operator"),
                order_by_relevance="order" not in request.GET,
            )
            if random:
                return queryset.filter(pk__in=[match.pk for match in results]).order_by("?")
        except FilterFieldError as exc:
            raise BadRequestError(f"cannot filter by '{exc.field_name}' while searching (field is not indexed)")
        except OrderByFieldError as exc:
            raise BadRequestError(f"cannot order by '{exc.field_name}' while searching (field is not indexed)")
        return results


class PublicDescendantOfFilter(DescendantOfFilter):
    """Wagtail's ``?descendant_of=``, also together with ``child_of`` (Wagtail refuses the pair; both are
    documented, so the answer is the children of ``child_of`` that lie under ``descendant_of``)."""

    def filter_queryset(self, request, queryset, view):
        parent = getattr(queryset, "_filtered_by_child_of", None)
        queryset = super().filter_queryset(request, queryset.all() if parent is not None else queryset, view)
        if parent is not None:
            queryset._filtered_by_child_of = parent  # as ChildOfFilter leaves it, for the page explorer
        return queryset


def _public_filters(backends) -> list:
    replacements = {
        OrderingFilter: PublicOrderingFilter,
        SearchFilter: PublicSearchFilter,
        DescendantOfFilter: PublicDescendantOfFilter,
    }
    return [replacements.get(backend, backend) for backend in backends]


#: Serializer classes of page listings kept per process (``PublicPagesAPIViewSet.get_serializer_class``), emptied when
#: full (``fields`` is free text).
_listing_serializers: dict[tuple, type] = {}
MAX_LISTING_SERIALIZERS = 256


class PublicPagesAPIViewSet(PageTypeHintMixin, PublicRichTextMixin, PagesAPIViewSet):
    """``/api/v2/pages/``: live pages of the requesting site that the request may view.

    Wagtail's base queryset already drops pages under a view restriction the request does not satisfy; this
    subclass keeps that, refuses database rich-text formats, and keeps listings' query count flat.
    """

    schema = WagtailEndpointSchema(
        "pages",
        "Live pages of the requesting site that this client may view (view-restricted pages and their "
        "descendants are left out). Use ?type=app.Model&fields=* for a page type's fields; rich text is HTML.",
    )
    filter_backends = _public_filters(PagesAPIViewSet.filter_backends)
    base_serializer_class = PublicPageSerializer  # html_url under the site's root URL (home.absolute_urls)

    def get_base_queryset(self):
        """The pages this request may see (:func:`home.privacy.visible_pages`: Wagtail's rule, for an anonymous visitor
        without a query); computed once per request (Wagtail asks for it several times). ``?site=`` naming several
        sites: a 400."""
        if not hasattr(self, "_base_queryset"):
            try:
                self._base_queryset = visible_pages(self.request)
            except ValueError as exc:
                raise BadRequestError(str(exc)) from exc
        return self._base_queryset

    def get_object(self):
        page = super().get_object()
        depends_on(*page_tags(page, menu=False))  # the public cache: this page and what it lists
        return page

    def listing_view(self, request):
        """Wagtail's listing; for an anonymous visitor each item comes from :mod:`home.stored` when this version of
        its page was serialised before in the same variant (fields, type, language, …), so a list costs the
        queries that choose its items plus the serialisation of the items not stored yet."""
        types = [name.strip() for name in request.GET.get("type", "").split(",") if name.strip()]
        depends_on(*(type_tag(name) for name in types) if types else (ANY_PAGE,))
        if not stored.enabled(request):
            return super().listing_view(request)
        queryset = self.get_queryset()
        if hasattr(queryset.model, "public_cache_until"):  # items true only until a moment (home pages): computed
            return super().listing_view(request)
        self.check_query_parameters(queryset)
        queryset = self.filter_queryset(queryset)
        page = self.paginate_queryset(queryset)
        if not isinstance(page, QuerySet):  # search results: computed every time
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        self.get_serializer_class()  # unknown fields: the 400 before any item is looked up
        rows = list(stored.id_rows(page))
        ids = [row[0] for row in rows]

        def compute(missing: list[int]) -> dict[int, object]:
            rows = list(queryset.filter(pk__in=missing).order_by())
            return dict(zip((row.pk for row in rows), self.get_serializer(rows, many=True).data, strict=True))

        tags = stored.item_tags(rows, queryset.model)
        variant = stored.variant(request, "api-pages")
        items = stored.fetch_many("api-pages", ids, variant, compute, tags, encode=encode)
        return self.get_paginated_response(items)

    def detail_view(self, request, pk):
        """Wagtail's detail; for an anonymous visitor the answer comes from :mod:`home.stored` when this version of
        the page was serialised before in the same variant (the page must still be one the request may see: that
        is checked by one query every time)."""
        if not stored.enabled(request) or not str(pk).isdigit():
            return super().detail_view(request, pk)
        parent = Page.objects.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen))
        found = (
            self.get_queryset()
            .filter(pk=pk)
            .annotate(parent_id=Subquery(parent.values("pk")[:1]))
            .values_list("content_type_id", "parent_id")
            .first()
        )
        if found is None:
            return super().detail_view(request, pk)  # Wagtail's own 404
        content_type_id, parent_id = found
        specific_class = ContentType.objects.get_for_id(content_type_id).model_class() or Page
        related = ()
        if related_page_fields(specific_class):
            related = stored.id_rows(specific_class.objects.filter(pk=pk)).first()[1:]
        tags = page_id_tags(int(pk), specific_class, related)
        if parent_id:
            tags.add(f"page:{parent_id}")  # meta.parent shows its title
        depends_on(*tags)

        until = None
        if hasattr(specific_class, "public_cache_until"):  # true only until a moment by the clock (slides)
            until = specific_class.objects.get(pk=pk).public_cache_until()

        def compute(missing: list[int]) -> dict[int, object]:
            return {int(pk): self.get_serializer(self.get_object()).data}

        variant = stored.variant(request, "api-page-detail")
        (item,) = stored.fetch_many("api-page-detail", [int(pk)], variant, compute, {int(pk): tags}, until, encode)
        return Response(item)

    def get_queryset(self):
        """Wagtail's queryset (``?type=``'s model, the pages this request may see) with the page type's
        ``api_select_related`` and ``api_prefetch_related``; built once per request (Wagtail asks for it again to
        choose the serializer)."""
        if hasattr(self, "_queryset"):
            return self._queryset
        queryset = super().get_queryset()
        if hasattr(queryset, "select_related"):
            select = ["locale", *getattr(queryset.model, "api_select_related", [])]
            queryset = queryset.select_related(*select)
            # A page type may name relations (M2M, tags, images with renditions) to fetch in bulk.
            prefetch = getattr(queryset.model, "api_prefetch_related", None)
            if prefetch:
                queryset = queryset.prefetch_related(*(prefetch() if callable(prefetch) else prefetch))
        self._queryset = queryset
        return queryset

    def get_serializer_class(self):
        """Wagtail's serializer class for a listing — built anew on every request from the model and ``?fields=``
        (4 ms of a cold list, issue 20) — kept per process for each (model, ``fields``): the same inputs give the same
        class. A detail's class depends on the page found: built every time. Refusals (unknown fields) are not
        kept."""
        if self.action != "listing_view":
            return super().get_serializer_class()
        key = (type(self), self.get_queryset().model, self.request.GET.get("fields"))
        found = _listing_serializers.get(key)
        if found is None:
            found = super().get_serializer_class()
            if len(_listing_serializers) >= MAX_LISTING_SERIALIZERS:
                _listing_serializers.clear()
            _listing_serializers[key] = found
        return found

    def get_serializer(self, *args, **kwargs):
        if kwargs.get("many") and args:
            rows = list(args[0])
            args = (rows, *args[1:])
            doc_ids = [
                doc_id
                for row in rows
                if hasattr(row, "public_documents") and not getattr(row, "is_exempt", False)
                for doc_id in row.document_ids()
            ]
            context = self.get_serializer_context()
            context["documents_by_id"] = visible_documents(doc_ids, self.request)
            kwargs["context"] = context
        return super().get_serializer(*args, **kwargs)


class CollectionFilesMixin:
    """Images/documents: hide private collections; prefetch tags so listings cost the same at any ``limit``."""

    def get_queryset(self):
        return (
            self.model.objects.exclude(collection_id__in=restricted_collection_ids(self.request))
            .prefetch_related("tags")
            .order_by("id")
        )

    @classmethod
    def get_field_serializer_overrides(cls, model):
        return {**super().get_field_serializer_overrides(model), "tags": PrefetchedTagsField()}


class PublicImagesAPIViewSet(RenditionsMixin, CollectionFilesMixin, PublicRichTextMixin, ImagesAPIViewSet):
    """``/api/v2/images/``: images outside collections that are private for the request; ``?rendition=``
    adds a client-chosen rendition within the allow-list (:mod:`home.api.renditions`)."""

    schema = WagtailEndpointSchema("images", "Images outside private collections, with download_url.")
    filter_backends = _public_filters(ImagesAPIViewSet.filter_backends)


class PublicDocumentsAPIViewSet(CollectionFilesMixin, PublicRichTextMixin, DocumentsAPIViewSet):
    """``/api/v2/documents/``: documents outside collections that are private for the request (a private
    collection's sub-collections are private too)."""

    schema = WagtailEndpointSchema(
        "documents", "Documents outside private collections (and their sub-collections), with download_url."
    )
    filter_backends = _public_filters(DocumentsAPIViewSet.filter_backends)


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
