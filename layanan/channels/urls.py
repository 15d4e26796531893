"""Channel webhooks (mounted under ``/api/v2/`` via ``layanan/api/urls.py``); see ``layanan.channels.views``.

- ``GET/POST /api/v2/channels/whatsapp/webhook/``
- ``GET/POST /api/v2/channels/meta/webhook/`` (Messenger and Instagram)
"""

from django.urls import path

from layanan.channels.views import meta_webhook, whatsapp_webhook

urlpatterns: list = [
    path("channels/whatsapp/webhook/", whatsapp_webhook, name="layanan-channels-whatsapp-webhook"),
    path("channels/meta/webhook/", meta_webhook, name="layanan-channels-meta-webhook"),
]
