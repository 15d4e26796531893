"""The one API router of PESAN, mounted at ``/api/``.

- ``/api/v2/pages/``, ``/api/v2/images/``, ``/api/v2/documents/``: Wagtail API v2 (see ``home.api``).
- ``/api/v2/...``: DRF endpoints contributed by each app's ``<app>/api/urls.py``.
- ``/api/schema/`` (OpenAPI 3, drf-spectacular) and ``/api/docs/`` (Swagger UI served locally, no CDN).
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from home.api.wagtail import api_router

urlpatterns = [
    path("v2/", api_router.urls),
    path("v2/", include("home.api.urls")),
    path("v2/", include("regulasi.api.urls")),
    path("v2/", include("layanan.api.urls")),
    path("v2/", include("berita.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Split view: the Swagger UI set-up script is served as a file, not inline (Content-Security-Policy).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html"),  # no Google Fonts
        name="api-redoc",
    ),
]
