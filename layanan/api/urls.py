"""Service-desk endpoints, mounted under ``/api/v2/`` by ``pesan_cms.api``."""

from layanan.api.ticket_urls import urlpatterns as ticket_urlpatterns
from layanan.calendar.urls import urlpatterns as calendar_urlpatterns

urlpatterns = calendar_urlpatterns + ticket_urlpatterns
from layanan.api.statistics_urls import urlpatterns as statistics_urlpatterns  # noqa: E402

urlpatterns += statistics_urlpatterns
from layanan.api.social_urls import urlpatterns as social_urlpatterns  # noqa: E402
from layanan.api.wbs_urls import urlpatterns as wbs_urlpatterns  # noqa: E402

urlpatterns += wbs_urlpatterns + social_urlpatterns
from layanan.channels.urls import urlpatterns as channel_urlpatterns  # noqa: E402

urlpatterns += channel_urlpatterns  # Meta webhooks (issue 18)
