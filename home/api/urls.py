"""DRF endpoints of the home app (site settings, units, public-information list), under ``/api/v2/``."""

urlpatterns: list = []
