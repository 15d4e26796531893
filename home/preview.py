"""Draft preview in a decoupled front end (issue 19), as ``wagtail-headless-preview`` does it.

When the organisation settings of a site (:class:`home.models.OrganisationSettings`) name a front-end preview URL,
an editor clicking "Preview" in the Wagtail admin is sent to that URL with ``?content_type=<app.model>&token=…``
(:class:`home.models.preview.HeadlessPreviewMixin`); the front end then asks
``GET /api/v2/page_preview/?token=…`` (:mod:`home.api.preview`) and gets the draft in the same JSON shape as
``/api/v2/pages/<id>/``. Without a front-end URL the reference site keeps Wagtail's own preview.

A token is 256 random bits (URL-safe text). Only its SHA-256 is stored, as the key of a cache entry holding the
draft as Wagtail's page JSON (``Page.to_json()``), for ``PESAN_PREVIEW_TOKEN_SECONDS`` (default 3600 s); after that,
or with any other token, the API answers 404. The cache is the shared one (Redis, or the file cache of the embedded
default), so every web process sees the token.
"""

from __future__ import annotations

import hashlib
import secrets
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from wagtail.models import Page

__all__ = ["content_type_label", "create_preview_token", "frontend_preview_link", "page_for_token"]

_KEY_PREFIX = "headless-preview:"


def _cache_key(token: str) -> str:
    return _KEY_PREFIX + hashlib.sha256(token.encode()).hexdigest()


def content_type_label(page: Page) -> str:
    """``"<app_label>.<model name>"`` of the page's specific type, lower case (``"berita.newspage"``): the
    ``content_type`` the front end receives and may send back."""
    meta = page.specific_class._meta if page.specific_class else page._meta
    return f"{meta.app_label}.{meta.model_name}"


def create_preview_token(page: Page) -> str:
    """Store ``page`` (a draft, possibly unsaved: the admin's form state) for preview; return its token.

    The token is valid ``settings.PESAN_PREVIEW_TOKEN_SECONDS`` seconds; only its hash is stored.
    """
    token = secrets.token_urlsafe(32)
    entry = {"content_type": content_type_label(page), "pk": page.pk, "page": page.to_json()}
    cache.set(_cache_key(token), entry, timeout=settings.PESAN_PREVIEW_TOKEN_SECONDS)
    return token


def page_for_token(token: str | None, content_type: str | None = None) -> Page | None:
    """The draft page stored for ``token`` (an unsaved instance of its specific type), or ``None`` when the
    token is missing, unknown or expired, or when ``content_type`` is given and is not the page's type. A page
    previewed while being added (never saved) has the id 0."""
    if not token:
        return None
    entry = cache.get(_cache_key(token))
    if not entry or (content_type and content_type.lower() != entry["content_type"]):
        return None
    try:
        model = apps.get_model(entry["content_type"])
    except LookupError:
        return None
    page = model.from_json(entry["page"])
    page.pk = page.id = entry["pk"] or 0  # a page being added has no id yet: 0 (its detail_url leads nowhere)
    return page


def frontend_preview_link(base_url: str, page: Page, token: str) -> str:
    """``base_url`` with ``content_type`` and ``token`` added to its query string (what the front end reads)."""
    query = urlencode({"content_type": content_type_label(page), "token": token})
    return f"{base_url}{'&' if '?' in base_url else '?'}{query}"
