"""URL patterns (see layanan/api/urls.py)."""

urlpatterns: list = []
