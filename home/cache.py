"""Whole-response cache of public reads, for anonymous visitors, with explicit invalidation.

What is cached (``PublicCacheMiddleware``): successful (200) ``GET`` responses of

- the public API: ``/api/v2/pages/``, ``images/``, ``documents/``, ``regulations/``, ``public-information/``,
  ``news/``, ``site/`` and ``statistics/`` (list and detail) — ``PUBLIC_API_PREFIXES``;
- the server-rendered site: pages served by Wagtail (homepage, news/regulation/DIP listings, …), the search
  page and ``/statistik/`` — the views named in ``CACHED_SITE_VIEWS``; never anything under
  ``EXCLUDED_PREFIXES`` (``/admin/``, ``/layanan/``, ``/wbs/``, the rest of ``/api/``, ``/documents/``,
  ``/i18n/``, static and media files), never another Django view.

Never cached (neither served from nor stored in the cache):

- requests that carry a session cookie (a logged-in user, a visitor who entered a page's password) or an
  ``Authorization`` header — the decision is taken *before* the session and authentication middleware run,
  so a cache hit costs two cache reads and no database query;
- responses that set a cookie (other than the CSRF cookie, see below), say ``Cache-Control: private /
  no-store / no-cache``, are streaming, are not 200, or were produced for an authenticated user.

CSRF tokens: every site page carries the language switch, a POST form with ``{% csrf_token %}``. The stored
copy holds a placeholder instead of the token, and each hit gets a token of its own: masked from the
visitor's CSRF cookie when they have one, else from a new secret sent in a new ``csrftoken`` cookie — what
Django's ``get_token`` and ``CsrfViewMiddleware`` would have done. No two visitors share a CSRF secret, and
such pages go out as ``Cache-Control: private`` (a shared cache must not keep a token).

Key: scheme, host, full path with query string, ``Accept`` header and the language the response is in —
``Accept-Language``/language cookie for ``/api/`` (Django's negotiation, as :class:`pesan_cms.middleware.
LocaleMiddleware` does), the language cookie else ``LANGUAGE_CODE`` for pages — plus a *version*.

Invalidation: one version number for all public content (:func:`bump_version`), bumped on ``post_save`` /
``post_delete`` of the content apps' models (pages and their revisions' publication, regulations, news,
DIP, site settings, units, images, documents, collections, view restrictions, sites, tags), on
``page_published`` / ``page_unpublished`` / ``post_page_move``. Bumping makes every cached public response
unreachable at once (simple and correct; the old entries expire with their TTL). The statistics endpoints
also follow the statistics version of ``layanan.reports.statistics`` (bumped when any ticket changes) and
today's date (WIB). The bump happens at once *and* again when the transaction commits, so a reader that
cached the old state between the two is invalidated too.

Lifetime: ``PESAN_PUBLIC_CACHE_SECONDS`` (default 300; 0 turns the cache off). Browsers and shared caches
(CDN) get ``Cache-Control: public, max-age=PESAN_PUBLIC_CACHE_MAX_AGE`` (default 60 seconds — after a
publish, a browser may show the old page for at most this long; our own cache is invalidated at once) and an
``ETag``; a matching ``If-None-Match`` gets a 304 from the cache. Responses carry ``X-Cache: HIT`` or
``MISS``. Time passing is not an invalidation: content computed from the clock (homepage slides with a display
window) shows up to the lifetime late. A cache outage never fails a request: it is served uncached.
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_request, get_supported_language_variant

from pesan_cms import versions

logger = logging.getLogger(__name__)

#: API paths whose anonymous GET responses are cached.
PUBLIC_API_PREFIXES = (
    "/api/v2/pages/",
    "/api/v2/images/",
    "/api/v2/documents/",
    "/api/v2/regulations/",
    "/api/v2/public-information/",
    "/api/v2/news/",
    "/api/v2/site/",
    "/api/v2/statistics/",
)
#: Paths whose answers depend on the ticket statistics version and on today's date.
STATISTICS_PREFIXES = ("/api/v2/statistics/", "/statistik/")
#: Site views (URL names) whose anonymous responses are cached: Wagtail pages, the search page, statistics.
CACHED_SITE_VIEWS = frozenset({"wagtail_serve", "site-search", "layanan-site-statistics"})
#: Site paths never cached: the admin, the service desk and WBS, private downloads, forms, static files.
EXCLUDED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/layanan/",
    "/wbs/",
    "/api/",
    "/documents/",
    "/i18n/",
    "/static/",
    "/media/",
    "/favicon.ico",
)
#: Models of the content apps whose writes do not change what the public sees (written on read paths or logs).
IGNORED_MODELS = frozenset(
    {
        "wagtailimages.rendition",
        "wagtailcore.referenceindex",
        "wagtailcore.pagelogentry",
        "wagtailcore.modellogentry",
        "wagtailcore.pagesubscription",
        "wagtailcore.uploadedfile",
        "wagtailsearch.indexentry",
        "berita.importrun",
        "berita.importedarticle",
    }
)
#: Apps whose model writes bump the public version.
CONTENT_APPS = frozenset(
    {"home", "regulasi", "berita", "wagtailcore", "wagtailimages", "wagtaildocs", "taggit", "wagtailredirects"}
)

VERSION_KEY = "pesan:public-cache:version"
KEY_PREFIX = "pesan:public-cache:"
MAX_BODY_BYTES = 2 * 1024 * 1024
CACHED_HEADER = "X-Cache"
#: A rendered ``{% csrf_token %}`` field (Django's masked tokens are 64 letters/digits).
CSRF_FIELD_RE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')
CSRF_PLACEHOLDER = b"\x00pesan-csrf-token\x00"
CSRF_SECRET_RE = re.compile(r"^[A-Za-z0-9]{32}$")


def cache_seconds() -> int:
    """Server-side lifetime of a cached response in seconds (``PESAN_PUBLIC_CACHE_SECONDS``, default 300)."""
    return int(getattr(settings, "PESAN_PUBLIC_CACHE_SECONDS", 300))


def browser_max_age() -> int:
    """``max-age`` given to browsers and CDNs, seconds (``PESAN_PUBLIC_CACHE_MAX_AGE``, default 60)."""
    return int(getattr(settings, "PESAN_PUBLIC_CACHE_MAX_AGE", 60))


def _cache():
    return caches[getattr(settings, "PESAN_PUBLIC_CACHE_ALIAS", "default")]


def current_version() -> str:
    """The version every public cache key includes (``pesan_cms.versions.read`` of ``VERSION_KEY``)."""
    return versions.read(_cache(), VERSION_KEY)


def bump_version(*args, **kwargs) -> None:
    """Invalidate every cached public response at once (stores a new version; accepts signal arguments).

    A cache outage is logged, not raised: an editor's publish must not fail because Redis is away (entries
    written before the outage may then live until their TTL, ``PESAN_PUBLIC_CACHE_SECONDS``)."""
    versions.write_new(_cache(), VERSION_KEY, "public cache")


def bump_now_and_on_commit(using=None) -> None:
    """Bump at once and once more when the current transaction commits (see the module docstring)."""
    bump_version()
    transaction.on_commit(bump_version, using=using)


def _on_model_change(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label not in CONTENT_APPS or meta.label_lower in IGNORED_MODELS:
        return
    bump_now_and_on_commit(using=kwargs.get("using"))


def _on_page_event(sender, **kwargs) -> None:
    bump_now_and_on_commit()


def connect_signals() -> None:
    """Connect the invalidation handlers (idempotent; called from ``HomeConfig.ready``)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.signals import page_published, page_unpublished, post_page_move

    post_save.connect(_on_model_change, dispatch_uid="home.cache.save")
    post_delete.connect(_on_model_change, dispatch_uid="home.cache.delete")
    m2m_changed.connect(_on_model_change, dispatch_uid="home.cache.m2m")
    page_published.connect(_on_page_event, dispatch_uid="home.cache.published")
    page_unpublished.connect(_on_page_event, dispatch_uid="home.cache.unpublished")
    post_page_move.connect(_on_page_event, dispatch_uid="home.cache.moved")


def _is_public_path(path: str) -> bool:
    if path.startswith(PUBLIC_API_PREFIXES):
        return True
    return not path.startswith(EXCLUDED_PREFIXES)


def _bypass_cookie_names() -> tuple[str, ...]:
    extra = tuple(getattr(settings, "PESAN_PUBLIC_CACHE_BYPASS_COOKIES", ()))
    return (settings.SESSION_COOKIE_NAME, *extra)


def _language(request, is_api: bool) -> str:
    if is_api:
        return get_language_from_request(request)
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        try:
            return get_supported_language_variant(chosen)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


def cache_key(request) -> str | None:
    """The cache key of ``request``, or None when the request must not use the cache (see module docstring)."""
    if request.method != "GET" or cache_seconds() <= 0:
        return None
    path = request.path_info
    if not _is_public_path(path):
        return None
    cookies = request.COOKIES
    if cookies and any(name in cookies for name in _bypass_cookie_names()):
        return None
    meta = request.META
    if "HTTP_AUTHORIZATION" in meta:
        return None
    try:
        host = request.get_host()
    except Exception:  # DisallowedHost: let Django answer it, uncached
        return None
    is_api = path.startswith("/api/")
    parts = [
        current_version(),
        request.scheme,
        host,
        request.get_full_path(),
        meta.get("HTTP_ACCEPT", "") if is_api else "",
        _language(request, is_api),
    ]
    if path.startswith(STATISTICS_PREFIXES):
        # The desk's statistics version (registered by ``layanan.reports.statistics``) and today's date (WIB).
        parts += [versions.get("statistics").current(), timezone.localdate().isoformat()]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return KEY_PREFIX + digest


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if not request.path_info.startswith(PUBLIC_API_PREFIXES):
        match = getattr(request, "resolver_match", None)
        if match is None or match.url_name not in CACHED_SITE_VIEWS:
            return False
    if set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
        return False
    if response.cookies and (settings.CSRF_USE_SESSIONS or not CSRF_FIELD_RE.search(response.content)):
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return len(response.content) <= MAX_BODY_BYTES


def _response_from(entry, request):
    status, headers, content, etag, has_token = entry
    if etag and etag in request.META.get("HTTP_IF_NONE_MATCH", ""):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Cache-Control"] = headers.get("Cache-Control", "")
        response[CACHED_HEADER] = "HIT"
        return response
    new_secret = False
    if has_token:
        secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
        if CSRF_SECRET_RE.match(secret):
            request.META["CSRF_COOKIE"] = secret
        else:
            new_secret = True
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content, status=status)
    for name, value in headers.items():
        response[name] = value
    if new_secret:
        response.set_cookie(
            settings.CSRF_COOKIE_NAME,
            request.META["CSRF_COOKIE"],
            max_age=settings.CSRF_COOKIE_AGE,
            domain=settings.CSRF_COOKIE_DOMAIN,
            path=settings.CSRF_COOKIE_PATH,
            secure=settings.CSRF_COOKIE_SECURE,
            httponly=settings.CSRF_COOKIE_HTTPONLY,
            samesite=settings.CSRF_COOKIE_SAMESITE,
        )
    response[CACHED_HEADER] = "HIT"
    return response


class PublicCacheMiddleware:
    """Serve and store anonymous public GET responses (see the module docstring).

    Placed right after ``SecurityMiddleware`` / ``CorsMiddleware`` and before the session, locale and
    authentication middleware, so that a hit skips them; CORS headers are still added per request by the
    outer ``CorsMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cache = _cache()
        try:
            key = cache_key(request)
            entry = cache.get(key) if key is not None else None
        except Exception:  # the cache (Redis) is down: serve uncached rather than fail
            logger.warning("public cache unavailable; serving uncached", exc_info=True)
            return self.get_response(request)
        if key is None:
            return self.get_response(request)
        if entry is not None:
            return _response_from(entry, request)
        response = self.get_response(request)
        if _storable(request, response):
            is_api = request.path_info.startswith("/api/")
            patch_vary_headers(response, ("Accept", "Accept-Language", "Cookie") if is_api else ("Cookie",))
            content, tokens = CSRF_FIELD_RE.subn(rb"\g<1>" + CSRF_PLACEHOLDER + rb"\g<2>", response.content)
            if tokens:  # per-visitor tokens: browsers only, no ETag (the body differs per visitor)
                response["Cache-Control"] = f"private, max-age={browser_max_age()}"
                etag = ""
            else:
                response["Cache-Control"] = f"public, max-age={browser_max_age()}"
                etag = '"' + hashlib.md5(content, usedforsecurity=False).hexdigest() + '"'
                response["ETag"] = etag
            headers = {name: value for name, value in response.items() if name.lower() != "set-cookie"}
            try:
                cache.set(key, (response.status_code, headers, content, etag, bool(tokens)), cache_seconds())
            except Exception:
                logger.warning("public cache unavailable; response not stored", exc_info=True)
            response[CACHED_HEADER] = "MISS"
        return response
