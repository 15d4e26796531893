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
from django.db import InterfaceError, OperationalError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import status
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
    return exception_handler(exc, context)


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
