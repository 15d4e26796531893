"""DRF endpoints of the home app, mounted under ``/api/v2/`` by ``pesan_cms.api``:

- ``site/``: the organisation's settings and active units;
- ``public-information/`` and ``public-information/<id>/``: the public-information list (DIP);
- ``public-information/exempt/``: the list of exempt information (DIK), without the content;
- ``navigation/``: the site's main menu (``home.api.navigation``).
"""

from django.urls import path

from .exempt import ExemptInformationListView
from .navigation import NavigationView
from .views import PublicInformationDetailView, PublicInformationListView, SiteView

urlpatterns = [
    path("site/", SiteView.as_view(), name="api-site"),
    path("navigation/", NavigationView.as_view(), name="api-navigation"),
    path("public-information/", PublicInformationListView.as_view(), name="api-public-information"),
    path("public-information/exempt/", ExemptInformationListView.as_view(), name="api-exempt-information"),
    path(
        "public-information/<int:pk>/",
        PublicInformationDetailView.as_view(),
        name="api-public-information-detail",
    ),
]
