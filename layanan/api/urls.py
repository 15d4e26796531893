"""Service-desk endpoints, mounted under ``/api/v2/`` by ``pesan_cms.api``."""

from .calendar_urls import urlpatterns as calendar_urlpatterns
from .ticket_urls import urlpatterns as ticket_urlpatterns

urlpatterns = calendar_urlpatterns + ticket_urlpatterns
