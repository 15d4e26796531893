"""DRF endpoints of this app, mounted under ``/api/v2/`` by ``pesan_cms.api`` (namespace ``regulasi-api``)."""

from django.urls import path

from regulasi.api.views import RegulationDetailView, RegulationListView

app_name = "regulasi-api"

urlpatterns = [
    path("regulations/", RegulationListView.as_view(), name="regulation-list"),
    path("regulations/<int:pk>/", RegulationDetailView.as_view(), name="regulation-detail"),
]
