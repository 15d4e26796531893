"""The project's URLs plus ``/bench/bare/``: the floor every figure is divided by (same gunicorn, same run)."""

from django.http import JsonResponse
from django.urls import path

from pesan_cms.urls import urlpatterns as project_urlpatterns


def bare(request):
    """``GET /bench/bare/`` -> ``{"ok": true}``: the full middleware stack, no database query, no template."""
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *project_urlpatterns]
