"""``/api/v2/statistics/`` (public statistics), included by ``layanan/api/urls.py``."""

from django.urls import path

from layanan.api.statistics import PublicStatisticsView

urlpatterns: list = [path("statistics/", PublicStatisticsView.as_view(), name="layanan-statistics")]
