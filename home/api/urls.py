"""DRF endpoints of the home app, mounted under ``/api/v2/`` by ``pesan_cms.api``:

- ``site/``: the organisation's settings and active units;
- ``public-information/`` and ``public-information/<id>/``: the public-information list (DIP).
"""

from django.urls import path

from .views import PublicInformationDetailView, PublicInformationListView, SiteView

urlpatterns = [
    path("site/", SiteView.as_view(), name="api-site"),
    path("public-information/", PublicInformationListView.as_view(), name="api-public-information"),
    path(
        "public-information/<int:pk>/",
        PublicInformationDetailView.as_view(),
        name="api-public-information-detail",
    ),
]
