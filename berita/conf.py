"""Tunables of the news app. Override any of them in settings (``PESAN_NEWS_...``); defaults live here."""

from django.conf import settings


def _get(name: str, default):
    return getattr(settings, name, default)


def user_agent() -> str:
    """User-Agent sent with every import request."""
    return _get("PESAN_NEWS_USER_AGENT", "PESAN-NewsImporter/1.0 (+https://github.com/pesan; PPID portal)")


def max_response_bytes() -> int:
    """Largest feed/page body accepted, in bytes (default 5 MiB); larger responses fail the fetch."""
    return int(_get("PESAN_NEWS_MAX_RESPONSE_BYTES", 5 * 1024 * 1024))


def max_image_bytes() -> int:
    """Largest image accepted, in bytes (default 8 MiB)."""
    return int(_get("PESAN_NEWS_MAX_IMAGE_BYTES", 8 * 1024 * 1024))


def max_image_pixels() -> int:
    """Largest image accepted, in pixels (width x height, default 40 megapixels)."""
    return int(_get("PESAN_NEWS_MAX_IMAGE_PIXELS", 40_000_000))


def image_collection_name() -> str:
    """Name of the Wagtail collection that receives imported images."""
    return _get("PESAN_NEWS_IMAGE_COLLECTION", "Berita impor")


def default_timeout() -> int:
    """Default HTTP timeout for a new source, in seconds."""
    return int(_get("PESAN_NEWS_DEFAULT_TIMEOUT", 20))


def trusted_hosts() -> list[str]:
    """Host names image downloads may reach on private addresses too (an intranet site), besides the hosts
    typed into each source (``PESAN_NEWS_TRUSTED_HOSTS``, default none)."""
    return list(_get("PESAN_NEWS_TRUSTED_HOSTS", []))
