"""``GET /api/v2/page_preview/?token=…``: the draft an editor is previewing, for a decoupled front end (issue 19).

The front end receives ``content_type`` and ``token`` in its preview URL (:mod:`home.preview`) and asks this
endpoint with them; the answer has the shape of ``/api/v2/pages/<id>/`` (same fields, ``?fields=`` and
``?rich_text_format=`` work the same), with the draft's unpublished changes. A missing, unknown or expired token,
or a ``content_type`` that is not the draft's, is a 404 ``{"message": …}``. The token is the only credential: it is
given to the editor who clicked Preview and expires after ``PESAN_PREVIEW_TOKEN_SECONDS``.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.response import Response

from ..preview import page_for_token
from .schema import _ITEM, _RICH_TEXT_FORMAT, WagtailEndpointSchema
from .wagtail import PublicPagesAPIViewSet

__all__ = ["PagePreviewAPIViewSet"]


class PagePreviewSchema(WagtailEndpointSchema):
    """OpenAPI description of ``/api/v2/page_preview/``."""

    def get_operation_id(self) -> str:
        return "page_preview"

    def get_summary(self) -> str:
        return "A draft page being previewed (by preview token)"

    def get_override_parameters(self):
        return [
            OpenApiParameter(
                "token",
                OpenApiTypes.STR,
                description="Preview token from the front end's preview URL (?token=). Missing, unknown or "
                "expired: 404.",
            ),
            OpenApiParameter(
                "content_type",
                OpenApiTypes.STR,
                description="The page type from the preview URL (?content_type=, e.g. berita.newspage); optional. "
                "Another type than the draft's: 404.",
            ),
            _RICH_TEXT_FORMAT,
            self._fields_parameter(detail=True),
        ]

    def get_response_serializers(self):
        return {
            200: _ITEM,
            404: OpenApiResponse(description="No draft for this token (missing, unknown or expired)."),
        }


class PagePreviewAPIViewSet(PublicPagesAPIViewSet):
    """The draft page for a preview token, serialised as ``/api/v2/pages/<id>/`` serialises a live page."""

    schema = PagePreviewSchema(
        "page_preview",
        "The draft an editor is previewing in the decoupled front end, in the shape of /api/v2/pages/{id}/, "
        "for the token given to the front end's preview URL (valid for a limited time).",
    )

    def get_object(self):
        if not hasattr(self, "_preview_page"):
            page = page_for_token(self.request.GET.get("token"), self.request.GET.get("content_type"))
            if page is None:
                raise Http404
            self._preview_page = page
        return self._preview_page

    def preview_view(self, request):
        """The draft for ``?token=`` (and ``?content_type=`` when given); 404 otherwise."""
        self.resolve_rich_text_format()  # a refused format is a 400 before anything else
        page = self.get_object()
        # A token-protected draft: no shared cache (CDN, proxy) may keep it.
        return Response(self.get_serializer(page).data, headers={"Cache-Control": "no-store"})

    @classmethod
    def get_urlpatterns(cls):
        return [path("", cls.as_view({"get": "preview_view"}), name="preview")]
