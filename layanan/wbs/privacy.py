"""Nothing identifying kept for WBS traffic: request scrubbing, log filtering and the wrong-code throttle.

**What happens to a WBS request** (paths in ``PESAN_WBS_PRIVATE_PATHS``, default ``/api/v2/wbs/`` and the
reference-site pages under ``/wbs/``):

1. :class:`WbsPrivacyMiddleware` (first in ``MIDDLEWARE``) computes the client address the way DRF does
   (``X-Forwarded-For`` / ``REMOTE_ADDR``, honouring ``NUM_PROXIES``), replaces ``REMOTE_ADDR`` with a
   **pseudonym** — HMAC-SHA256 of the address under a key derived from ``SECRET_KEY`` and today's UTC date,
   so it changes every day and cannot be reversed or linked across days — and deletes the user agent,
   ``X-Forwarded-For``/``X-Real-IP``/``Forwarded`` and similar headers from ``request.META`` (which is the WSGI
   ``environ``: servers that log after the response, such as gunicorn, see the scrubbed values too). A
   cross-site ``Referer`` is deleted; a same-site one is cut to ``scheme://host/`` (enough for the CSRF check of
   the HTML form, nothing about where the reporter came from). Responses get ``Cache-Control: no-store`` and
   ``Referrer-Policy: same-origin`` (no referrer ever leaves the site; ``no-referrer`` would make browsers send
   ``Origin: null`` with the WBS form posts, which Django's CSRF check refuses).
2. Everything after it — views, DRF throttling, ``django.request`` error logs, error e-mails — sees only the
   pseudonym. No model has a field for an address or a user agent, and the timeline records none.
3. :class:`WbsLogFilter` (on the log handlers, ``LOGGING`` in settings) additionally drops the request object
   from log records of WBS paths, so no handler can print headers or the POSTed narrative.
4. :class:`WbsAccessThrottle` (scope ``wbs_access``) counts **wrong** receipt codes only, per pseudonym, in
   the cache (the key holds the pseudonym hashed once more; entries expire after the throttle window). The
   address itself is never written anywhere; the pseudonym lives in the cache for at most the window.

The web server's own access log is outside Django: see ``docs/wbs-privacy.md`` (nginx ``access_log off`` for
these paths; gunicorn with ``--logger-class layanan.wbs.privacy_gunicorn.PrivacyAccessLogger``).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

__all__ = [
    "DEFAULT_PRIVATE_PATHS",
    "IDENTIFYING_HEADERS",
    "WbsAccessThrottle",
    "WbsLogFilter",
    "WbsPrivacyMiddleware",
    "client_pseudonym",
    "is_private_path",
    "private_page",
    "scrub_request",
]

DEFAULT_PRIVATE_PATHS = ("/api/v2/wbs/", "/wbs/")

#: ``request.META`` keys removed from WBS requests (client address and browser fingerprints).
IDENTIFYING_HEADERS = (
    "HTTP_USER_AGENT",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CLIENT_IP",
    "HTTP_X_CLIENT_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_X_CLUSTER_CLIENT_IP",
    "HTTP_FASTLY_CLIENT_IP",
    "HTTP_SEC_CH_UA",
    "HTTP_SEC_CH_UA_MOBILE",
    "HTTP_SEC_CH_UA_PLATFORM",
    "HTTP_SEC_CH_UA_MODEL",
    "HTTP_SEC_CH_UA_FULL_VERSION_LIST",
    "HTTP_SEC_CH_UA_PLATFORM_VERSION",
    "HTTP_DNT",
    "HTTP_FROM",
    "HTTP_VIA",
    "REMOTE_HOST",
    "REMOTE_PORT",
)


def private_paths() -> tuple[str, ...]:
    """URL path prefixes treated as WBS traffic (``PESAN_WBS_PRIVATE_PATHS``)."""
    return tuple(getattr(settings, "PESAN_WBS_PRIVATE_PATHS", DEFAULT_PRIVATE_PATHS))


def is_private_path(path: str | None) -> bool:
    """True when ``path`` (e.g. ``request.path_info``) is WBS traffic."""
    return bool(path) and any(path.startswith(prefix) for prefix in private_paths())


def private_page(request) -> dict:
    """Template context processor: ``{"wbs_private_page": bool}``, true on a WBS page. ``base.html`` then leaves
    the page's address out of its links to other paths (the language switch's ``next``): a request outside
    ``/wbs/`` is logged like any other, and must not name a WBS page in its request line."""
    return {"wbs_private_page": is_private_path(request.path_info)}


def _daily_key(day: datetime.date | None = None) -> bytes:
    day = day or datetime.datetime.now(datetime.UTC).date()
    return hmac.new(
        settings.SECRET_KEY.encode(), f"pesan-wbs-client:{day.isoformat()}".encode(), hashlib.sha256
    ).digest()


def client_pseudonym(address: str | None, day: datetime.date | None = None) -> str:
    """A pseudonym for a client address, stable for one UTC day: ``"wbs-" + 24 hex`` (HMAC-SHA256 under a key
    derived from ``SECRET_KEY`` and the date). Not reversible without the secret; unlinkable across days."""
    digest = hmac.new(_daily_key(day), (address or "-").encode(), hashlib.sha256).hexdigest()
    return f"wbs-{digest[:24]}"


def _reduce_referer(request) -> None:
    referer = request.META.pop("HTTP_REFERER", None)
    if not referer:
        return
    try:
        parts = urlsplit(referer)
        same_site = parts.netloc and parts.netloc == request.get_host()
    except Exception:  # noqa: BLE001 - a malformed header or host is simply dropped
        same_site = False
    if same_site:
        request.META["HTTP_REFERER"] = f"{parts.scheme}://{parts.netloc}/"


def scrub_request(request) -> None:
    """Replace the client address by :func:`client_pseudonym` and delete identifying headers, in place.

    Marks the request (``request.wbs_private = True``). Safe to call twice (the pseudonym is not re-hashed).
    """
    if getattr(request, "wbs_private", False):
        return
    address = BaseThrottle().get_ident(request)
    _reduce_referer(request)
    for key in IDENTIFYING_HEADERS:
        request.META.pop(key, None)
    request.META["REMOTE_ADDR"] = client_pseudonym(address)
    request.__dict__.pop("headers", None)  # ``request.headers`` is cached from META: rebuild it
    request.wbs_private = True


class WbsPrivacyMiddleware:
    """Scrub WBS requests before anything else sees them (see the module docstring). Put it FIRST."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        private = is_private_path(request.path_info)
        if private:
            scrub_request(request)
        response = self.get_response(request)
        if private:
            response["Cache-Control"] = "no-store"
            response["Referrer-Policy"] = "same-origin"
        return response


class WbsLogFilter(logging.Filter):
    """Logging filter: drop the ``request`` attribute of records about WBS paths (keeps the record itself).

    Django attaches the request to ``django.request``/``django.security`` records; error handlers print its
    headers and POST data from it. For WBS paths the record keeps its message (method, path, status) only.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path_info", None) or getattr(request, "path", None)
        if request is not None and isinstance(path, str) and is_private_path(path):
            record.request = None
        return True


class WbsAccessThrottle(SimpleRateThrottle):
    """Rate limit of WRONG receipt codes (scope ``wbs_access``), per client pseudonym.

    Rate: ``PESAN_WBS_ACCESS_RATE`` if set, else ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["wbs_access"]``,
    else ``"10/hour"``. Successful look-ups are not counted; a view calls :meth:`record_failure` after a wrong
    or unknown code. Once the limit is reached every request of that client answers 429 with ``Retry-After``
    until the oldest failure leaves the window — right codes included, so guessing cannot continue.
    """

    scope = "wbs_access"
    default_rate = "10/hour"

    @property
    def cache(self):
        """The strict cache (``CACHES["strict"]``): while Redis is down this raises instead of forgetting the
        failures, so code guessing stays limited (answered 503, ``pesan_cms.exceptions``)."""
        return caches["strict"]

    def __init__(self):  # the rate is read from settings on every request (not DRF's import-time copy)
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_rate(self):
        rates = (getattr(settings, "REST_FRAMEWORK", {}) or {}).get("DEFAULT_THROTTLE_RATES") or {}
        return getattr(settings, "PESAN_WBS_ACCESS_RATE", None) or rates.get(self.scope) or self.default_rate

    def get_cache_key(self, request, view):
        ident = self.get_ident(request) or "-"
        if not str(ident).startswith("wbs-"):
            ident = client_pseudonym(ident)
        # The pseudonym hashed once more: the cache never holds even the day's pseudonym as such.
        digest = hashlib.sha256(f"{self.scope}:{ident}".encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": digest}

    def throttle_success(self):
        return True  # a request is only counted when it turns out to be a failure

    def record_failure(self, request, view=None) -> None:
        """Count one wrong code for this client (call after the check failed)."""
        key = self.get_cache_key(request, view)
        now = self.timer()
        history = [t for t in self.cache.get(key, []) if t > now - self.duration]
        history.insert(0, now)
        self.cache.set(key, history, self.duration)
