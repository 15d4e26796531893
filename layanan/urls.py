"""Server-rendered service-desk pages (forms, status), mounted before Wagtail's catch-all."""

urlpatterns: list = []
