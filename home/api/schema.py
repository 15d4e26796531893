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
