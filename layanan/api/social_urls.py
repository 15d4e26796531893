"""Social-media intake endpoint (mounted under ``/api/v2/`` via ``layanan/api/urls.py``).

- ``POST /api/v2/social/messages/`` with ``Authorization: Bearer <connector token>``
"""

from django.urls import path

from layanan.api.social_views import SocialMessageCreateView

urlpatterns: list = [
    path("social/messages/", SocialMessageCreateView.as_view(), name="layanan-social-message-create"),
]
