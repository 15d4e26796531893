"""Representations stored per version of the page they show (issue 20: reads when the response cache is cold).

When the public response cache (:mod:`home.cache`) has no answer — the first reader after a publish, a query
string nobody asked before, or ``PESAN_PUBLIC_CACHE_SECONDS=0`` — the answer is computed, and most of that work is
the same for every answer that shows a given page: its item in an API list or its detail (rich text expanded,
renditions looked up, tags, categories and documents, links made absolute). Here each such item is computed once
per version of its page and reused by every list, page of a list and repeat of a detail that shows it, until the
page changes: publishing one news page recomputes that page's item, not the nineteen others of the list.

Key: what the item is (``kind``), the page's id, the *variant* (:func:`variant`: the query string without
``offset``/``limit``, the language, the host asked and the root URL) and the names of the item's tags
(``home.cache.page_id_tags``: ``page:<id>``, the pages it names such as a regulation's replacement, ``pages`` for the
home page; a detail also its parent, shown in ``meta.parent``). Stored *with* the item: the versions it was computed
under (``home.cache.checks_of``: the global public version and each tag's), compared on every read in the same
``get_many`` (``home.cache.read_checked``, as the response cache does). So the rules that make a cached response
stale (a publish, unpublish or live save bumps the page's tag; an image, document, snippet, setting or site changed,
a page moved, renamed or deleted bumps the global version) make a stored item stale too: one set of invalidation
rules. The versions are read *before* the item is computed, and every bump happens twice (at once and on commit), so
an item computed from rows that were about to change is stored under versions that no longer hold.

Used only for anonymous requests (:func:`enabled`), as the response cache: a logged-in visitor may see documents of
private collections. ``PESAN_STORED_ITEMS_SECONDS`` (default 300 s, the response cache's lifetime; 0 turns storing
off) bounds how long an item lives: what the tags cannot see (content computed from the clock) is at most that late,
as with the response cache. A cache outage computes every item (a request never fails because Redis is away).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language

from home import cache as public_cache
from home.absolute_urls import root_url

__all__ = [
    "enabled",
    "fetch_many",
    "fragment",
    "id_rows",
    "item_seconds",
    "item_tags",
    "seconds_until",
    "variant",
]

logger = logging.getLogger(__name__)

KEY_PREFIX = "pesan:stored-item:"
#: Query parameters that choose which items a list shows, never what an item looks like.
PAGING_PARAMETERS = frozenset({"offset", "limit"})


def item_seconds() -> int:
    """How long a stored item lives, seconds (``PESAN_STORED_ITEMS_SECONDS``, default 300; 0: off)."""
    return int(getattr(settings, "PESAN_STORED_ITEMS_SECONDS", 300))


def enabled(request) -> bool:
    """True when ``request`` may use stored items: storing is on and the request is an anonymous ``GET``."""
    return item_seconds() > 0 and request.method == "GET" and public_cache.anonymous_request(request)


def _key(*parts) -> str:
    """A short digest of ``parts`` (their ``repr``), for cache keys."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def variant(request, kind: str) -> str:
    """A digest of everything besides the page that shapes an item of ``kind`` for ``request``: the query string
    without :data:`PAGING_PARAMETERS` (``fields``, ``type``, ``rendition``, ``site``, … — any parameter, so one a
    later version adds cannot be forgotten here), the active language, the host asked (page URLs are relative to
    the request's site) and the root URL of absolute links."""
    query = sorted(
        (name, value) for name, values in request.GET.lists() if name not in PAGING_PARAMETERS for value in values
    )
    return _key(kind, query, get_language(), request.get_host(), root_url())


def seconds_until(until: datetime.datetime | None) -> int:
    """How long to store what is true until ``until`` (aware datetime, or None: until it changes): :func:`item_seconds`,
    no longer than until ``until``; 0 when that has passed (or storing is off). Whatever is stored lives no longer,
    so a stored copy is never read after its ``until``."""
    seconds = item_seconds()
    if until is not None:
        seconds = min(seconds, int((until - timezone.now()).total_seconds()))
    return max(seconds, 0)


def id_rows(queryset):
    """``queryset`` (unevaluated, maybe sliced) as rows ``(pk, *ids of the pages its items name)`` — the foreign keys
    of ``home.cache.related_page_fields`` — without its prefetches: what :func:`item_tags` needs."""
    fields = [f"{name}_id" for name in public_cache.related_page_fields(queryset.model)]
    return queryset.prefetch_related(None).values_list("pk", *fields)


def item_tags(rows, model) -> dict[int, set[str]]:
    """``{page id: tags}`` of rows from :func:`id_rows` of pages of ``model`` (``home.cache.page_id_tags``)."""
    return {row[0]: public_cache.page_id_tags(row[0], model, row[1:]) for row in rows}


def fetch_many(
    kind: str,
    page_ids: Sequence[int],
    variant_key: str,
    compute: Callable[[list[int]], dict[Hashable, object]],
    tags: Mapping[int, set[str]] | None = None,
    until: datetime.datetime | None = None,
    encode: Callable[[object], object] | None = None,
) -> list:
    """The items of ``page_ids`` in that order: stored ones from the cache, the others from ``compute(missing ids)``
    (a dict id → item; computed items are stored). An id ``compute`` leaves out is left out of the answer (a page
    that stopped being public between the two queries). ``tags``: what each item shows (``home.cache.page_id_tags``:
    the page, the pages it names, ``pages`` for the home page); default ``page:<id>``. ``until`` (aware datetime): the
    items stop being true then by the clock (a slide's display window) — stored no longer; already passed: computed.
    ``encode``: applied to each computed item before it is stored and answered (the API stores items as rendered
    JSON, ``home.absolute_urls.encode``).

    Cost: one cache round trip when this process has seen the items before (:func:`home.cache.read_checked`: the
    items and the versions they were stored under, in one ``get_many``), one more to read the versions when something
    is computed, and one ``set_many`` to store it."""
    if not page_ids:
        return []
    if encode is not None:
        compute = _encoded(compute, encode)
    seconds = seconds_until(until)
    if not seconds:
        computed = compute(list(page_ids))
        return [computed[page_id] for page_id in page_ids if page_id in computed]
    tags = tags or {}
    item_tags = {page_id: sorted(tags.get(page_id) or {f"page:{page_id}"}) for page_id in page_ids}
    keys = {page_id: f"{KEY_PREFIX}{kind}:{page_id}:{variant_key}:{_key(item_tags[page_id])}" for page_id in page_ids}
    cache = public_cache.cache_backend()
    try:
        found, _values = public_cache.read_checked(cache, list(keys.values()))
        missing = [page_id for page_id in page_ids if keys[page_id] not in found]
        # The versions are read before the missing items are computed (see the module docstring).
        checks = public_cache.checks_of({tag for page_id in missing for tag in item_tags[page_id]}) if missing else {}
    except Exception:
        logger.warning("stored items unavailable; computing them", exc_info=True)
        computed = compute(list(page_ids))
        return [computed[page_id] for page_id in page_ids if page_id in computed]
    computed = compute(missing) if missing else {}
    if computed:
        entries = {keys[page_id]: (item, _checks_for(checks, item_tags[page_id])) for page_id, item in computed.items()}
        try:
            cache.set_many(entries, seconds)
        except Exception:
            logger.warning("stored items not written", exc_info=True)
    items = []
    for page_id in page_ids:
        if keys[page_id] in found:
            items.append(found[keys[page_id]][0])
        elif page_id in computed:
            items.append(computed[page_id])
    return items


def _checks_for(checks: Mapping[str, str], tags: Iterable[str]) -> dict[str, str]:
    """The part of ``checks`` (:func:`home.cache.checks_of`) an item showing ``tags`` is valid under."""
    names = [public_cache.VERSION_KEY, *(public_cache.TAG_PREFIX + tag for tag in tags)]
    return {name: checks[name] for name in names}


def _encoded(compute, encode):
    def encoded(missing: list[int]) -> dict[Hashable, object]:
        return {page_id: encode(item) for page_id, item in compute(missing).items()}

    return encoded


def fragment(
    request,
    name: str,
    tags: Iterable[str],
    render: Callable[[], str],
    vary: object = "",
    until: Callable[[], datetime.datetime | None] | datetime.datetime | None = None,
) -> str:
    """The HTML fragment ``name`` (header, footer, the home page's content, …) for ``request``: the stored one while
    what it shows has not changed — the global public version and the versions of ``tags`` (:mod:`home.cache`:
    ``menu``, ``page:<id>``, ``type:<app.model>``, …) it was stored under — else ``render()``, stored. One fragment
    per name, ``tags``, ``vary`` (what else it shows, e.g. the current path), language, host and root URL. ``until``:
    when the fragment stops being true by the clock (a slide's display window; a datetime or a callable giving one,
    called only when storing): stored no longer. Rendered, never stored, when it may not be (a logged-in visitor,
    storing off, the cache down). One cache round trip when this process has seen the fragment before."""
    if request is None or not enabled(request):
        return render()
    tags = sorted(set(tags))
    key = f"{KEY_PREFIX}fragment:{name}:{_key(tags, str(vary), get_language(), request.get_host(), root_url())}"
    cache = public_cache.cache_backend()
    try:
        found, _values = public_cache.read_checked(cache, [key])
        if key in found:
            return found[key][0]
        checks = public_cache.checks_of(tags)  # before rendering: a change meanwhile makes the copy stale at once
    except Exception:
        logger.warning("stored fragments unavailable; rendering", exc_info=True)
        return render()
    html = render()
    seconds = seconds_until(until() if callable(until) else until)
    if seconds:
        try:
            cache.set(key, (html, checks), seconds)
        except Exception:
            logger.warning("stored fragment %s not written", name, exc_info=True)
    return html
