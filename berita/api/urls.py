"""DRF endpoints of this app, mounted under ``/api/v2/`` by ``pesan_cms.api``."""

from django.urls import path

from .views import NewsCategoryListView, NewsDetailView, NewsListView

urlpatterns = [
    path("news/", NewsListView.as_view(), name="news-list"),
    path("news/categories/", NewsCategoryListView.as_view(), name="news-categories"),
    path("news/<int:pk>/", NewsDetailView.as_view(), name="news-detail"),
]
