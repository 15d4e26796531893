"""OpenAPI (drf-spectacular) support for the Wagtail API v2 endpoints and the schema's scope.

Wagtail's viewsets build their serializers per request (``?type=``, ``?fields=``), which drf-spectacular cannot
introspect; :class:`WagtailEndpointSchema` describes them by hand: the query parameters each endpoint accepts and
the listing/detail envelope. :func:`only_public_api` keeps Wagtail's internal admin API out of the public schema.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers


def only_public_api(endpoints, **kwargs):
    """drf-spectacular pre-processing hook: document ``/api/...`` only (not ``/admin/api/...``)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/")]


_COMMON = [
    OpenApiParameter(
        "fields",
        OpenApiTypes.STR,
        description="Comma-separated fields to include; '*' for all, "
        "'-name' to drop one, 'name(sub)' for nested fields.",
    ),
    OpenApiParameter(
        "rich_text_format",
        OpenApiTypes.STR,
        enum=["html", "markdown"],
        description="Rich text output: display HTML (default) or Markdown with resolved links.",
    ),
]
_LISTING = [
    OpenApiParameter("limit", OpenApiTypes.INT, description="Page size (max 100, default 20)."),
    OpenApiParameter("offset", OpenApiTypes.INT, description="Items to skip."),
    OpenApiParameter("order", OpenApiTypes.STR, description="Field to order by; '-' prefix descending; 'random'."),
    OpenApiParameter("search", OpenApiTypes.STR, description="Full-text search."),
    OpenApiParameter("search_operator", OpenApiTypes.STR, enum=["and", "or"]),
]
_PAGES_LISTING = [
    OpenApiParameter(
        "type",
        OpenApiTypes.STR,
        description="Page type(s), e.g. home.HomePage, "
        "home.PublicInformationPage, regulasi.RegulationPage; required for type-specific fields.",
    ),
    OpenApiParameter("child_of", OpenApiTypes.STR, description="Page ID or 'root'."),
    OpenApiParameter("descendant_of", OpenApiTypes.INT, description="Page ID."),
    OpenApiParameter("ancestor_of", OpenApiTypes.INT, description="Page ID."),
    OpenApiParameter("site", OpenApiTypes.STR, description="Hostname of the site (default: the request's)."),
]

_ITEM = inline_serializer(
    "WagtailItem",
    fields={
        "id": serializers.IntegerField(),
        "meta": serializers.DictField(help_text="type, detail_url, html_url (pages), download_url (files), ..."),
        "title": serializers.CharField(),
    },
)
_LISTING_RESPONSE = inline_serializer(
    "WagtailListing",
    fields={
        "meta": inline_serializer("WagtailListingMeta", fields={"total_count": serializers.IntegerField()}),
        "items": _ITEM.__class__(many=True),
    },
)


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

    def get_override_parameters(self):
        kind = self._kind()
        params = list(_COMMON)
        if kind == "listing":
            params += _LISTING
            if self.endpoint == "pages":
                params += _PAGES_LISTING
        if kind == "find":
            params.append(OpenApiParameter("id", OpenApiTypes.INT))
            if self.endpoint == "pages":
                params.append(OpenApiParameter("html_path", OpenApiTypes.STR, description="Path of the page."))
        if kind == "detail":
            params.append(OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH))
        return params

    def get_response_serializers(self):
        kind = self._kind()
        if kind == "listing":
            return {200: _LISTING_RESPONSE, 400: OpenApiResponse(description="Unknown parameter or bad value.")}
        if kind == "find":
            return {302: OpenApiResponse(description="Redirect to the detail URL."), 404: None}
        return {200: _ITEM, 404: OpenApiResponse(description="Not found or not visible to this client.")}


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
