"""Root URL configuration: admin, API, documents, images, the server-rendered site (Wagtail pages last)."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views.account import PasswordResetView
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views
from pesan_cms.throttling import throttled_password_reset

#: Under /api/ Django's own errors answer JSON too (pesan_cms.exceptions); elsewhere the site's error pages.
handler400 = "pesan_cms.exceptions.bad_request"
handler404 = "pesan_cms.exceptions.page_not_found"
handler500 = "pesan_cms.exceptions.server_error"

urlpatterns = [
    # Wagtail's "forgot password" form, rate-limited (issue 15); the rest of the reset flow is Wagtail's own.
    path(
        "admin/password_reset/",
        throttled_password_reset(PasswordResetView.as_view()),
        name="wagtailadmin_password_reset",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/", include("pesan_cms.api")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    path("cari/", home_views.search, name="site-search"),  # site-wide search (issue 7)
    path("bahasa/<str:language>/", home_views.switch_language, name="site-language"),
    path("", include("layanan.site.urls")),
    path("", include(wagtail_urls)),
]
