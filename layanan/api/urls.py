"""Service-desk endpoints, mounted under ``/api/v2/`` by ``pesan_cms.api``."""

from .calendar_urls import urlpatterns as calendar_urlpatterns
from .ticket_urls import urlpatterns as ticket_urlpatterns

urlpatterns = calendar_urlpatterns + ticket_urlpatterns
from .statistics_urls import urlpatterns as statistics_urlpatterns  # noqa: E402

urlpatterns += statistics_urlpatterns
from .social_urls import urlpatterns as social_urlpatterns  # noqa: E402
from .wbs_urls import urlpatterns as wbs_urlpatterns  # noqa: E402

urlpatterns += wbs_urlpatterns + social_urlpatterns
