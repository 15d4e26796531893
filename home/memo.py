"""Answers every public read needs that change only with the global public version, kept per process (issue 20).

Every anonymous public read asks Wagtail two questions before it can choose what to show: which ``Site`` serves
this host and port (``Site.find_for_request``: one query, ≈ 5 ms of SQL building and running on the bench
machine) and which pages and collections are under a view restriction (one query each). For an anonymous visitor
(no session cookie, no ``Authorization`` header: :func:`home.cache.anonymous_request`) the answers depend only on
the sites and the restrictions, and every change of a site, a page or collection view restriction, or a page's
place in the tree bumps the **global version** of the public cache (:mod:`home.cache`). So each process keeps the
answers per value of that version (:func:`per_version`), read at most once per request (one cache round trip; none
when the response cache's lookup has read it already).

- :func:`per_version`: ``compute()`` remembered by this process for the current global version, for an anonymous
  request; computed every time for anyone else or when the cache is down.
- :class:`PublicSiteMiddleware`: the site of an anonymous public read from that memo, handed to Wagtail as its
  per-request site (``request._wagtail_site``, **framework internal**: ``Site.find_for_request`` returns it when
  set; ``tests/test_framework_internals.py`` fails loudly if that changes). A fresh ``Site`` instance per request,
  so nothing cached on one request's instance (its root page) reaches another.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable

from wagtail.models import Site

from home import cache as public_cache

__all__ = ["PublicSiteMiddleware", "per_version"]

logger = logging.getLogger(__name__)

#: Entries a process keeps (answers of older versions are dropped with the rest when it is full).
MAX_ENTRIES = 1024
_memo: dict[tuple[str, Hashable], object] = {}


def per_version(request, name: Hashable, compute: Callable[[], object]):
    """``compute()``, remembered by this process under ``name`` for the current global public version when
    ``request`` is anonymous (see the module docstring); computed every time otherwise (``request`` None, a
    session or ``Authorization``, or the cache down). The value is shared between requests: return immutable
    values (tuples, frozensets, plain data)."""
    if request is None or not public_cache.anonymous_request(request):
        return compute()
    try:
        key = (public_cache.public_version(request), name)
    except Exception:
        logger.warning("public version unavailable; computing %s", name, exc_info=True)
        return compute()
    try:
        return _memo[key]
    except KeyError:
        pass
    value = compute()
    if len(_memo) >= MAX_ENTRIES:
        _memo.clear()
    _memo[key] = value
    return value


_SITE_FIELDS = tuple(field.attname for field in Site._meta.concrete_fields)


def _remembered_site(request) -> Site | None:
    """The ``Site`` serving ``request`` (Wagtail's rule: its host and port, else the default site), from
    :func:`per_version`: a new instance each call; ``None`` when no site is configured."""

    def compute():
        site = Site.find_for_request(request)
        return None if site is None else tuple(getattr(site, name) for name in _SITE_FIELDS)

    try:
        where = (request.get_host(), request.get_port())
    except Exception:  # DisallowedHost: Wagtail's own lookup (and Django's 400) decide
        return Site.find_for_request(request)
    values = per_version(request, ("site", where), compute)
    return None if values is None else Site.from_db(Site.objects.db, _SITE_FIELDS, values)


class PublicSiteMiddleware:
    """For an anonymous ``GET`` of a public read (``home.cache``'s rule: the public API and cached site views), the
    request's Wagtail site from :func:`_remembered_site` instead of a query. Placed after
    ``PublicCacheMiddleware`` (a hit never gets here)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method == "GET"
            and public_cache.is_public_path(request.path_info)
            and public_cache.anonymous_request(request)
        ):
            request._wagtail_site = _remembered_site(request)
        return self.get_response(request)
