"""DRF endpoints of this app, mounted under ``/api/v2/`` by ``pesan_cms.api``."""

urlpatterns: list = []
