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
  entries in one query, so the number of queries does not grow with ``limit``.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail.api.rich_text import APIRichText
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from ..privacy import restricted_collection_ids, visible_documents
from .fields import PrefetchedTagsField
from .pagination import PublicWagtailPagination
from .schema import WagtailEndpointSchema

#: Rich-text formats a client may ask for with ``?rich_text_format=``: both resolve internal links to URLs.
PUBLIC_RICH_TEXT_FORMATS = (APIRichText.FORMAT_HTML, APIRichText.FORMAT_MARKDOWN)


class PublicRichTextMixin:
    """Refuse ``?rich_text_format=db_html|db_markdown``: clients only ever get resolved HTML or Markdown.

    Also the guards every public Wagtail endpoint shares: a query parameter with a NUL character is a 400
    (the search backends fail on it with a 500), and an ``offset`` past the end is an empty page
    (:class:`~home.api.pagination.PublicWagtailPagination`).
    """

    pagination_class = PublicWagtailPagination

    def check_query_parameters(self, queryset):
        if any("\x00" in key or "\x00" in value for key, value in self.request.GET.items()):
            raise BadRequestError(_("Null characters are not allowed."))
        return super().check_query_parameters(queryset)

    def resolve_rich_text_format(self):
        raw = self.request.GET.get("rich_text_format")
        if raw is not None and raw not in PUBLIC_RICH_TEXT_FORMATS:
            raise BadRequestError(
                _("rich_text_format must be one of: %(formats)s.") % {"formats": ", ".join(PUBLIC_RICH_TEXT_FORMATS)}
            )
        return super().resolve_rich_text_format()


class PublicPagesAPIViewSet(PublicRichTextMixin, PagesAPIViewSet):
    """``/api/v2/pages/``: live pages of the requesting site that the request may view.

    Wagtail's base queryset already drops pages under a view restriction the request does not satisfy; this
    subclass keeps that, refuses database rich-text formats, and keeps listings' query count flat.
    """

    schema = WagtailEndpointSchema(
        "pages",
        "Live pages of the requesting site that this client may view (view-restricted pages and their "
        "descendants are left out). Use ?type=app.Model&fields=* for a page type's fields; rich text is HTML.",
    )

    def get_base_queryset(self):
        # Computed once per request (Wagtail asks for it several times; each time reads every restriction).
        if not hasattr(self, "_base_queryset"):
            self._base_queryset = super().get_base_queryset()
        return self._base_queryset

    def get_queryset(self):
        queryset = super().get_queryset()
        if hasattr(queryset, "select_related"):
            select = ["locale", *getattr(queryset.model, "api_select_related", [])]
            queryset = queryset.select_related(*select)
            # A page type may name relations (M2M, tags, images with renditions) to fetch in bulk.
            prefetch = getattr(queryset.model, "api_prefetch_related", None)
            if prefetch:
                queryset = queryset.prefetch_related(*(prefetch() if callable(prefetch) else prefetch))
        return queryset

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


class PublicImagesAPIViewSet(CollectionFilesMixin, PublicRichTextMixin, ImagesAPIViewSet):
    """``/api/v2/images/``: images outside collections that are private for the request."""

    schema = WagtailEndpointSchema("images", "Images outside private collections, with download_url.")


class PublicDocumentsAPIViewSet(CollectionFilesMixin, PublicRichTextMixin, DocumentsAPIViewSet):
    """``/api/v2/documents/``: documents outside collections that are private for the request (a private
    collection's sub-collections are private too)."""

    schema = WagtailEndpointSchema(
        "documents", "Documents outside private collections (and their sub-collections), with download_url."
    )


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublicImagesAPIViewSet)
api_router.register_endpoint("documents", PublicDocumentsAPIViewSet)
