"""The one API router of PESAN, mounted at ``/api/``.

- ``/api/v2/pages/``, ``/api/v2/images/``, ``/api/v2/documents/``: Wagtail API v2 (see ``home.api``);
  ``/api/v2/page_preview/``: a draft by preview token (``home.api.preview``).
- ``/api/v2/...``: DRF endpoints contributed by each app's ``<app>/api/urls.py``.
- ``/api/schema/`` (OpenAPI 3, drf-spectacular) and ``/api/docs/`` (Swagger UI served locally, no CDN).
- anything else ending in ``/``: a JSON 404 for every method.
"""

from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from home.api.preview import PagePreviewAPIViewSet
from home.api.wagtail import api_router
from pesan_cms.exceptions import page_not_found


@csrf_exempt  # nothing is changed: a POST here gets the same JSON 404, not a CSRF 403 page
def unknown_endpoint(request, path=""):
    """Any other URL under ``/api/`` ending in ``/`` (any method; e.g. ``/api/v2/wbs/files/abc/``, whose id is
    not a number): the JSON 404 of ``pesan_cms.exceptions.page_not_found`` — not the site's pages below, which
    would answer a POST with an HTML CSRF 403. Slash-less URLs are left to ``ApiTrailingSlashMiddleware``."""
    return page_not_found(request)


# The draft preview of a decoupled front end (home.api.preview), registered after pages so that page links in
# answers still point to /api/v2/pages/<id>/.
api_router.register_endpoint("page_preview", PagePreviewAPIViewSet)

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
    re_path(r"^(?P<path>(?:.*/)?)$", unknown_endpoint),  # last: only what nothing above matched
]
