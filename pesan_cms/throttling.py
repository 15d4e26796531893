"""Rate limits of the public endpoints (API and reference site), read from settings at call time.

Scopes and their rates live in ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (environment ``THROTTLE_*``, see
``pesan_cms/settings/base.py``):

=============== ====================================================================================== =========
scope           what is counted (per client address, after ``REST_FRAMEWORK["NUM_PROXIES"]`` proxies)  default
=============== ====================================================================================== =========
``submission``  every POST that files something: PPID request, objection, LAPOR report, WBS report,   30/hour
                WBS reporter message (API and site forms)
``lookup``      every ticket status / released-file look-up with tracking number + access token      120/hour
``wbs_access``  WRONG receipt codes only (``layanan.wbs.privacy.WbsAccessThrottle``)                      10/hour
``anon``        public reads that compute something (deadline calculator, holidays, statistics)       1000/hour
``password_``   requests of the admin's "forgot password" e-mail (``admin/password_reset/``, POST)     5/hour
``reset``
``access_``     "forgot my access" requests (site form and API), per client                              5/hour
``recovery``
``access_``     the same, per tracking number and contact (so nobody floods an inbox or blocks the owner) 3/day
``recovery_``
``number``
=============== ====================================================================================== =========

DRF's own throttles copy ``DEFAULT_THROTTLE_RATES`` into a class attribute when the module is imported, so
``override_settings`` (and a settings reload) does not reach them; the classes here read the setting on every
request. Over the limit they answer **429** with ``Retry-After`` (whole seconds) and a message in the
request's language (Indonesian by default; ``Accept-Language: en`` on the API gives English)::

    {"detail": "Terlalu banyak percobaan. Silakan coba lagi dalam 12 menit."}

The client address is DRF's ``get_ident``: ``REMOTE_ADDR`` unless ``NUM_PROXIES`` (environment
``TRUSTED_PROXY_COUNT``) says how many reverse proxies append to ``X-Forwarded-For``. It must match the
deployment: with 0 behind a proxy every visitor shares one bucket; with more than the real number a client
can choose its own address.

When Redis is down the default cache (``pesan_cms.cache``) answers every read with a miss, so these limits are
not enforced during the outage — a citizen's submission is saved and answered 201, not refused for a counter.
The WBS receipt-code throttle reads the strict cache instead (``layanan.wbs.privacy``): guessing codes stays
limited, and during an outage the look-up is answered 503 (``pesan_cms.exceptions``).
"""

from __future__ import annotations

import hashlib
import math

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle

__all__ = [
    "AccessRecoveryNumberThrottle",
    "AccessRecoveryThrottle",
    "AnonThrottle",
    "LookupThrottle",
    "SubmissionThrottle",
    "PasswordResetThrottle",
    "TooManyRequests",
    "throttled_password_reset",
    "retry_message",
    "scope_rate",
    "throttle_wait",
]


def scope_rate(scope: str, default: str | None = None) -> str | None:
    """The rate of ``scope`` (``"30/hour"``) from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``, read now."""
    rates = (getattr(settings, "REST_FRAMEWORK", {}) or {}).get("DEFAULT_THROTTLE_RATES") or {}
    return rates.get(scope, default)


def try_again_text(wait: int) -> str:
    """ "Please try again in N minutes." in the active language — ``wait`` in seconds rounded up to whole minutes,
    or to whole hours from two hours on ("in 24 hours", not "in 1440 minutes"). The one wording of the API's 429,
    the site's 429 pages and the admin's password reset."""
    minutes = max(1, math.ceil(wait / 60))
    if minutes >= 120:
        hours = math.ceil(wait / 3600)
        return ngettext("Please try again in %(hours)s hour.", "Please try again in %(hours)s hours.", hours) % {
            "hours": hours
        }
    return ngettext("Please try again in %(minutes)s minute.", "Please try again in %(minutes)s minutes.", minutes) % {
        "minutes": minutes
    }


def retry_message(wait: int) -> str:
    """ "Too many attempts. Please try again in N minutes." in the active language (:func:`try_again_text`; the
    exact seconds go in ``Retry-After``). Same wording as the site's page."""
    return f"{gettext('Too many attempts')}. {try_again_text(wait)}"


class TooManyRequests(Throttled):
    """429 with a translated message and ``Retry-After: <seconds>`` (set by DRF from ``wait``)."""

    default_detail = _("Too many attempts")

    def __init__(self, wait: float | None):
        seconds = max(1, math.ceil(wait or 60))
        super().__init__(detail=retry_message(seconds))
        self.wait = seconds


class _RaisingMixin:
    """Raise :class:`TooManyRequests` instead of returning ``False`` (DRF's own message mixes languages)."""

    def allow_request(self, request, view):
        if super().allow_request(request, view):
            return True
        raise TooManyRequests(self.wait())


class _SettingsRateThrottle(_RaisingMixin, SimpleRateThrottle):
    """A per-client throttle of a fixed ``scope`` whose rate is read from settings on each request."""

    scope = ""

    def __init__(self):  # SimpleRateThrottle.__init__ parses the rate once per request: read it fresh here
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_rate(self):
        return scope_rate(self.scope)

    def get_cache_key(self, request, view):
        """The bucket of this client: its address (or, on WBS pages, the day's pseudonym) hashed, so the cache
        never holds either as such (issue 15)."""
        digest = hashlib.sha256(f"{self.scope}:{self.get_ident(request)}".encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": digest}


class SubmissionThrottle(_SettingsRateThrottle):
    """Scope ``submission``: filing anything (requests, objections, reports, WBS reports and messages)."""

    scope = "submission"


class LookupThrottle(_SettingsRateThrottle):
    """Scope ``lookup``: ticket status and released-file downloads with tracking number + access token."""

    scope = "lookup"


class AnonThrottle(_SettingsRateThrottle):
    """Scope ``anon``: public reads that compute something (calculator, holidays, statistics)."""

    scope = "anon"


class PasswordResetThrottle(_SettingsRateThrottle):
    """Scope ``password_reset``: "forgot password" e-mails requested from one client (issue 15: 15 in a row
    were sent)."""

    scope = "password_reset"


class AccessRecoveryThrottle(_SettingsRateThrottle):
    """Scope ``access_recovery``: "forgot my access" requests from one client (``layanan.core.recovery``)."""

    scope = "access_recovery"


class AccessRecoveryNumberThrottle(_SettingsRateThrottle):
    """Scope ``access_recovery_number``: "forgot my access" requests about one tracking number and contact, from anyone.
    The view passes the number as ``ident``."""

    scope = "access_recovery_number"

    def __init__(self, ident: str = ""):
        super().__init__()
        self.ident = ident

    def get_ident(self, request):
        return self.ident or super().get_ident(request)


_SITE_THROTTLES = {
    "submission": SubmissionThrottle,
    "lookup": LookupThrottle,
    "anon": AnonThrottle,
    "password_reset": PasswordResetThrottle,
    "access_recovery": AccessRecoveryThrottle,
    "access_recovery_number": AccessRecoveryNumberThrottle,
}


def throttled_password_reset(view):
    """Wrap Wagtail's admin password-reset view: a POST over the ``password_reset`` rate answers 429 (the
    ``429.html`` page, ``Retry-After``) and sends nothing. ``pesan_cms/urls.py`` mounts it at Wagtail's URL."""

    def password_reset(request, *args, **kwargs):
        if request.method == "POST":
            wait = throttle_wait(request, "password_reset")
            if wait is not None:
                response = render(request, "429.html", {"try_again": try_again_text(wait)}, status=429)
                response["Retry-After"] = str(wait)
                return response
        return view(request, *args, **kwargs)

    return password_reset


def throttle_wait(request, scope: str, ident: str = "") -> int | None:
    """For views that are not DRF views (the reference site): count this request against ``scope``.

    Returns ``None`` when allowed, else the seconds to wait (for ``Retry-After``). Same buckets as the API:
    a client that used its submissions on the API cannot continue through the site form. ``ident``: the bucket of
    a scope not counted per client (``access_recovery_number``: the tracking number and contact).
    """
    try:
        throttle = _SITE_THROTTLES[scope](ident) if ident else _SITE_THROTTLES[scope]()
        throttle.allow_request(request, None)
    except TooManyRequests as exc:
        return exc.wait
    return None
