"""The database or the cache failing mid-request: a clear "try again" answer (503 + ``Retry-After``), never a
traceback.

A submission runs in one transaction (``layanan.core.intake``), so when PostgreSQL goes away, restarts or a lock
times out, nothing was stored and its files were deleted; the citizen must be told exactly that. Both entry
points use :func:`database_unavailable`:

- the API (every DRF view): ``REST_FRAMEWORK["EXCEPTION_HANDLER"] = "pesan_cms.exceptions.api_exception_handler"``
  → ``503 {"detail": "..."}`` in the request's language;
- the server-rendered site and the admin: :class:`DatabaseUnavailableMiddleware` → the ``503.html`` page.

The same answer when the cache (Redis) cannot answer and nothing else caught it (``CACHE_ERRORS``): what
commits never depends on the cache (after-commit work goes through ``layanan.core.outbox``, throttles fail
open), so such a request saved nothing.

Every other exception keeps its usual handling (DRF's handler for the API, Django's ``500.html`` otherwise).
"""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import status
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)

#: Seconds a client is asked to wait (``Retry-After``) when the database is unavailable.
RETRY_AFTER_SECONDS = 60
UNAVAILABLE_MESSAGE = _(
    "The service is temporarily unavailable and your submission was NOT saved. Please try again in a few minutes."
)
#: For a read (GET/HEAD/OPTIONS): nothing was being saved, so nothing is said about a submission.
UNAVAILABLE_READ_MESSAGE = _("The service is temporarily unavailable. Please try again in a few minutes.")


def unavailable_message(request):
    """The 503 text for ``request``: the "NOT saved" wording for writes, the plain one for reads."""
    method = getattr(request, "method", "POST")
    return UNAVAILABLE_READ_MESSAGE if method in ("GET", "HEAD", "OPTIONS") else UNAVAILABLE_MESSAGE


#: Fragments of SQLite FTS5 query-syntax errors (``fts5: syntax error near …``, ``unterminated string``, …).
FTS_SYNTAX_MARKERS = ("fts5", "match", "unterminated string", "unknown special query")
SEARCH_SYNTAX_MESSAGE = _("The search words could not be understood. Use plain words without quotes or symbols.")


def search_syntax_error(exc: BaseException) -> bool:
    """True for a full-text query the database refused (SQLite FTS5 syntax such as an unbalanced ``"``) —
    bad input, not an outage. PostgreSQL's ``websearch_to_tsquery`` never raises these."""
    text = str(exc).lower()
    return isinstance(exc, OperationalError) and any(marker in text for marker in FTS_SYNTAX_MARKERS)


#: Errors meaning "the cache (Redis) cannot answer now": refused, timed out, wrong key type, read-only replica.
CACHE_ERRORS = (redis.RedisError, ConnectionError, TimeoutError)


def database_unavailable(exc: BaseException) -> bool:
    """True for errors meaning "the database or the cache cannot answer now" (connection lost, shut down, lock
    timeout, Redis refused)."""
    if isinstance(exc, CACHE_ERRORS):
        return True
    return isinstance(exc, OperationalError | InterfaceError) and not search_syntax_error(exc)


def api_exception_handler(exc, context):
    """DRF exception handler: 400 ``{"search": [...]}`` for a full-text query the database refused, 503 +
    ``Retry-After`` for an unavailable database, else DRF's default."""
    if search_syntax_error(exc):
        return Response({"search": [str(SEARCH_SYNTAX_MESSAGE)]}, status=status.HTTP_400_BAD_REQUEST)
    if database_unavailable(exc):
        logger.exception("API request failed: database or cache unavailable")
        return Response(
            {"detail": str(unavailable_message(context.get("request")))},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
        )
    if isinstance(exc, ValidationError):
        exc.detail = _translate_untranslatable(exc.detail)
    return exception_handler(exc, context)


#: DRF messages written without gettext (so no catalogue can translate them), by their error code.
UNTRANSLATABLE = {"null": ("No data provided", _("No data was sent: send a JSON object."))}


def _translate_untranslatable(detail):
    """``detail`` with DRF's untranslatable messages (:data:`UNTRANSLATABLE`, e.g. a JSON ``null`` body) replaced by
    translated ones; everything else unchanged."""
    if isinstance(detail, list):
        return [_translate_untranslatable(item) for item in detail]
    if isinstance(detail, dict):
        return {key: _translate_untranslatable(value) for key, value in detail.items()}
    if isinstance(detail, ErrorDetail) and detail.code in UNTRANSLATABLE:
        english, translated = UNTRANSLATABLE[detail.code]
        if str(detail) == english:
            return ErrorDetail(str(translated), code=detail.code)
    return detail


class DatabaseUnavailableMiddleware:
    """Site and admin: an unavailable database renders ``503.html`` (status 503, ``Retry-After``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        if not database_unavailable(exc):
            return None
        logger.exception("Request failed: database or cache unavailable")
        response = TemplateResponse(
            request, "503.html", {"message": unavailable_message(request)}, status=status.HTTP_503_SERVICE_UNAVAILABLE
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response.render()


# --- Django's own error pages under /api/: JSON instead of HTML (issue 15) -----------------------------------
API_PREFIX = "/api/"


def _api_error(request, status_code: int, message) -> JsonResponse | None:
    """A JSON error ``{"detail": message}`` for a request under ``/api/``; None for any other path."""
    if not getattr(request, "path", "").startswith(API_PREFIX):
        return None
    return JsonResponse({"detail": str(message)}, status=status_code, headers={"Cache-Control": "no-store"})


def bad_request(request, exception=None):
    """``handler400``: under ``/api/`` a JSON answer — 413 for a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, 400
    for too many fields or another unreadable request; elsewhere Django's page (``400.html``)."""
    if isinstance(exception, RequestDataTooBig):
        limit = formats.number_format(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024), 1)
        response = _api_error(
            request, 413, _("The request is larger than the limit of %(limit)s MB.") % {"limit": limit}
        )
    elif isinstance(exception, TooManyFieldsSent):
        response = _api_error(request, 400, _("The request has too many fields."))
    else:
        response = _api_error(request, 400, _("The request could not be read."))
    return response or defaults.bad_request(request, exception)


def page_not_found(request, exception=None):
    """``handler404``: ``{"detail": "Tidak ditemukan."}`` under ``/api/`` (an unknown endpoint or id); elsewhere
    the site's ``404.html``."""
    return _api_error(request, 404, _("Not found.")) or defaults.page_not_found(request, exception)


def server_error(request):
    """``handler500``: a JSON answer without any detail of the error under ``/api/``; elsewhere ``500.html``."""
    message = _("An internal error occurred and was recorded. Please try again later.")
    return _api_error(request, 500, message) or defaults.server_error(request)
