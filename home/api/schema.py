"""OpenAPI (drf-spectacular) support for the Wagtail API v2 endpoints and the schema's scope.

Wagtail's viewsets build their serializers per request (``?type=``, ``?fields=``), which drf-spectacular cannot
introspect; :class:`WagtailEndpointSchema` describes them by hand: the query parameters each endpoint accepts and
the listing/detail envelope. The values a parameter may take come from the viewsets themselves when the schema is
generated (the page types; the fields of ``?fields=``; the ``order`` fields the search index can sort by), so the
schema states what ``home.api.wagtail`` accepts (issue 15). :func:`only_public_api` keeps Wagtail's internal admin
API out of the public schema; :func:`document_error_responses` and :func:`multipart_without_null` are
post-processing hooks for every operation.
"""

from __future__ import annotations

import copy

from django.conf import settings
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers
from wagtail.models import Page, get_page_models

from pesan_cms.patterns import SITE_PATTERN, alternation, choice_list_pattern

from .renditions import ClientRenditionSchema


def only_public_api(endpoints, **kwargs):
    """drf-spectacular pre-processing hook: document ``/api/...`` only (not ``/admin/api/...``)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


_RICH_TEXT_FORMAT = OpenApiParameter(
    "rich_text_format",
    OpenApiTypes.STR,
    enum=["html", "markdown"],
    description="Rich text output: display HTML (default) or Markdown with resolved links.",
)
#: Page fields ``order`` accepts with and without ``search`` (database columns the search index can sort by).
PAGE_ORDER_FIELDS = ("id", "title", "show_in_menus", "first_published_at", "locale")
#: The same for images and documents.
FILE_ORDER_FIELDS = ("id", "title")
_PAGE_ID = {"type": "string", "pattern": "^(?:root|[0-9]{1,18})$"}


def _fields_parameter(names) -> OpenApiParameter:
    """``fields``: a comma-separated list of ``names`` (``-name`` drops one), or ``*`` (all) followed by
    ``-name`` items, or ``_`` (none) followed by names — Wagtail's grammar without nested ``name(sub)``."""
    field = alternation(names)
    pattern = rf"^(?:\*(?:,-{field})*|_(?:,{field})*|-?{field}(?:,-?{field})*)?$"
    return OpenApiParameter(
        "fields",
        {"type": "string", "pattern": pattern},
        description="Comma-separated fields to include: " + ", ".join(sorted(names)) + "; '*' for all (then "
        "'-name' items), '_' for none (then names), '-name' to drop one. Pages: a page type's own fields (e.g. "
        "date, lead of berita.NewsPage) need ?type=<that type>; without it the 400 names the type to add.",
    )


def _listing_parameters(order_fields) -> list[OpenApiParameter]:
    return [
        OpenApiParameter(
            "limit",
            {"type": "integer", "minimum": 0, "maximum": settings.WAGTAILAPI_LIMIT_MAX},
            description=f"Page size (default 20, at most {settings.WAGTAILAPI_LIMIT_MAX}).",
        ),
        OpenApiParameter(
            "offset", {"type": "integer", "minimum": 0}, description="Items to skip (past the end: no items)."
        ),
        OpenApiParameter(
            "order",
            {"type": "string", "pattern": choice_list_pattern(order_fields, single=["random"])},
            description="Fields to order by, comma-separated, '-' prefix descending: "
            + ", ".join(order_fields)
            + "; or 'random'.",
        ),
        OpenApiParameter("search", OpenApiTypes.STR, description="Full-text search."),
        OpenApiParameter("search_operator", OpenApiTypes.STR, enum=["and", "or"]),
    ]


def _page_types() -> list[str]:
    return sorted(f"{model._meta.app_label}.{model.__name__}" for model in get_page_models())


def _pages_listing_parameters() -> list[OpenApiParameter]:
    return [
        OpenApiParameter(
            "type",
            {"type": "string", "enum": [*_page_types(), ""]},
            description="Page type, e.g. home.HomePage, home.PublicInformationPage, regulasi.RegulationPage; "
            "required for type-specific fields (empty: all pages).",
        ),
        OpenApiParameter("child_of", _PAGE_ID, description="Page ID or 'root' (an unknown page: 404)."),
        OpenApiParameter("descendant_of", _PAGE_ID, description="Page ID or 'root' (an unknown page: 404)."),
        OpenApiParameter(
            "ancestor_of", {"type": "integer", "minimum": 0}, description="Page ID (an unknown page: 404)."
        ),
        OpenApiParameter(
            "site",
            {"type": "string", "pattern": SITE_PATTERN},
            description="Hostname[:port] of the site (default: the request's; an unknown one: 404).",
        ),
    ]


#: An item: its fields depend on ``?type=`` and ``?fields=`` (``_`` starts from none, ``-id`` drops one), so none
#: is required.
_ITEM = inline_serializer(
    "WagtailItem",
    fields={
        "id": serializers.IntegerField(required=False),
        "meta": serializers.DictField(
            required=False, help_text="type, detail_url, html_url (pages), download_url (files), ..."
        ),
        "title": serializers.CharField(required=False),
    },
)
_NEXT = serializers.URLField(allow_null=True, help_text="URL of the next page (null on the last).")
_PREVIOUS = serializers.URLField(allow_null=True, help_text="URL of the previous page (null on the first).")
#: One listing shape (``home.api.pagination``): ``meta`` and ``count/next/previous`` on every paginated list.
_LISTING_META = inline_serializer(
    "ListingMeta",
    fields={"total_count": serializers.IntegerField(min_value=0), "next": _NEXT, "previous": _PREVIOUS},
)


def _listing_response(name: str, item) -> serializers.Serializer:
    return inline_serializer(
        name,
        fields={
            "meta": _LISTING_META,
            "items": item.__class__(many=True),
            "count": serializers.IntegerField(min_value=0, help_text="= meta.total_count"),
            "next": _NEXT,
            "previous": _PREVIOUS,
        },
    )


_LISTING_RESPONSE = _listing_response("WagtailListing", _ITEM)
#: An image: ``rendition`` only with ``?rendition=`` (``home.api.renditions``).
_IMAGE_ITEM = inline_serializer(
    "WagtailImageItem",
    fields={
        **_ITEM.fields,
        "width": serializers.IntegerField(required=False, help_text="pixels (original)"),
        "height": serializers.IntegerField(required=False, help_text="pixels (original)"),
        "rendition": ClientRenditionSchema(required=False, help_text="Only with ?rendition=."),
    },
)
_IMAGE_LISTING_RESPONSE = _listing_response("WagtailImageListing", _IMAGE_ITEM)


class WagtailEndpointSchema(AutoSchema):
    """Hand-written description of a Wagtail API v2 endpoint (``pages``, ``images`` or ``documents``)."""

    def __init__(self, endpoint: str, description: str):
        super().__init__()
        self.endpoint = endpoint
        self.endpoint_description = description

    def _kind(self) -> str:
        if self.path.rstrip("/").endswith("/find"):
            return "find"
        return "detail" if "{" in self.path else "listing"

    def _get_serializer(self):
        return None

    def get_request_serializer(self):
        return None

    def get_operation_id(self) -> str:
        return f"{self.endpoint}_{self._kind()}"

    def get_tags(self) -> list[str]:
        return [f"wagtail: {self.endpoint}"]

    def get_description(self) -> str:
        return self.endpoint_description

    def get_summary(self) -> str:
        return {
            "listing": f"List {self.endpoint}",
            "detail": f"One item of {self.endpoint}",
            "find": f"Find one item of {self.endpoint} (redirects to its detail URL)",
        }[self._kind()]

    def _field_names(self, *, detail: bool) -> list[str]:
        """Fields the endpoint serves for its base model (every page type has them), as ``?fields=`` names."""
        viewset = type(self.view)
        model = Page if self.endpoint == "pages" else viewset.model
        names = list(dict.fromkeys(viewset.get_body_fields_names(model) + viewset.get_meta_fields_names(model)))
        return names if detail else [name for name in names if name not in viewset.detail_only_fields]

    def get_override_parameters(self):
        kind = self._kind()
        params = [_RICH_TEXT_FORMAT]
        if kind == "listing":
            params.append(self._fields_parameter(detail=False))
            order_fields = PAGE_ORDER_FIELDS if self.endpoint == "pages" else FILE_ORDER_FIELDS
            params += _listing_parameters(order_fields)
            if self.endpoint == "pages":
                params += _pages_listing_parameters()
        if kind == "find":  # fields and rich_text_format are handed on to the detail URL
            params.append(OpenApiParameter("fields", OpenApiTypes.STR, description="Passed on to the detail URL."))
            params.append(OpenApiParameter("id", {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}))
            if self.endpoint == "pages":
                params.append(OpenApiParameter("html_path", OpenApiTypes.STR, description="Path of the page."))
        if kind == "detail":
            params.append(self._fields_parameter(detail=True))
            params.append(OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH))
        extra = getattr(type(self.view), "schema_extra_parameters", None)  # e.g. ?rendition= of images
        return params + (extra(kind) if extra else [])

    def _fields_parameter(self, *, detail: bool) -> OpenApiParameter:
        return _fields_parameter(self._field_names(detail=detail))

    def get_response_serializers(self):
        kind = self._kind()
        images = self.endpoint == "images"
        if kind == "listing":
            listing = _IMAGE_LISTING_RESPONSE if images else _LISTING_RESPONSE
            return {200: listing, 400: OpenApiResponse(description="Unknown parameter or bad value.")}
        if kind == "find":
            return {302: OpenApiResponse(description="Redirect to the detail URL."), 404: None}
        item = _IMAGE_ITEM if images else _ITEM
        return {200: item, 404: OpenApiResponse(description="Not found or not visible to this client.")}


# --- multipart bodies (issue 15) ------------------------------------------------------------------------------
def multipart_without_null(result, generator, request, public, **kwargs):
    """drf-spectacular post-processing hook: a multipart form cannot carry JSON's ``null`` (a client leaves the
    field out, or sends it empty, which reads as null), so the ``multipart/form-data`` body of an operation
    refers to a copy of its component (``<Name>Multipart``) whose properties are not ``nullable``. The JSON
    body keeps ``null``."""
    schemas = (result.get("components") or {}).get("schemas") or {}
    for operations in (result.get("paths") or {}).values():
        for operation in operations.values():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            form = ((body or {}).get("content") or {}).get("multipart/form-data") or {}
            name = ((form.get("schema") or {}).get("$ref") or "").rpartition("/")[2]
            properties = (schemas.get(name) or {}).get("properties") or {}
            nullable = [prop for prop, schema in properties.items() if schema.get("nullable")]
            if not nullable:
                continue
            copy_name = f"{name}Multipart"
            if copy_name not in schemas:
                schemas[copy_name] = copy.deepcopy(schemas[name])
                for prop in nullable:
                    del schemas[copy_name]["properties"][prop]["nullable"]
            form["schema"] = {"$ref": f"#/components/schemas/{copy_name}"}
    return result


# --- documented error answers (issue 8: schemathesis found them undocumented) ------------------------------------
_ERROR_BODY = {"type": "object", "additionalProperties": True}


def document_error_responses(result, generator, request, public, **kwargs):
    """drf-spectacular post-processing hook: document the error answers every public operation can give.

    - 400 (messages per parameter/field) on operations with query parameters or a request body;
    - 404 on operations with a path parameter or a ``site`` query parameter (unknown id / site);
    - 429 (``Retry-After``) on operations of views with throttle classes;
    - integer path parameters get ``minimum: 0`` (Django's ``<int:>`` converter matches digits only: a
      negative id is not routed to the API at all).

    Already documented codes are left as they are. Error bodies are JSON objects (``{"detail": ...}``,
    ``{"message": ...}`` for Wagtail, or ``{field: [messages]}``).
    """
    views = {}
    for path, _regex, method, callback in getattr(generator, "endpoints", None) or []:
        views[(path, method.lower())] = getattr(callback, "cls", None)
    for path, operations in (result.get("paths") or {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            params = operation.get("parameters") or []
            for param in params:
                if param.get("in") == "path" and (param.get("schema") or {}).get("type") == "integer":
                    param["schema"].setdefault("minimum", 0)
            wanted = {}
            if any(p.get("in") == "query" for p in params) or "requestBody" in operation:
                wanted["400"] = "Invalid input: messages per parameter or field (Indonesian by default)."
            if any(p.get("in") == "path" for p in params) or any(p.get("name") == "site" for p in params):
                wanted["404"] = "Not found (unknown id or site, or not visible to this client)."
            view = views.get((path, method))
            if view is not None and getattr(view, "throttle_classes", None):
                wanted["429"] = "Too many requests; retry after the number of seconds in `Retry-After`."
            for code, description in wanted.items():
                responses.setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": _ERROR_BODY}}}
                )
    return result
