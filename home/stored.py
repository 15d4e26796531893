"""Representations stored per version of the page they show (issue 20: reads when the response cache is cold).

When the public response cache (:mod:`home.cache`) has no answer — the first reader after a publish, a query
string nobody asked before, or ``PESAN_PUBLIC_CACHE_SECONDS=0`` — the answer is computed, and most of that work is
the same for every answer that shows a given page: its item in an API list or its detail (rich text expanded,
renditions looked up, tags, categories and documents, links made absolute). Here each such item is computed once
per version of its page and reused by every list, page of a list and repeat of a detail that shows it, until the
page changes: publishing one news page recomputes that page's item, not the nineteen others of the list.

Key: what the item is (``kind``), the page's id, the *variant* (:func:`variant`: the query string without
``offset``/``limit``, the language, the host asked and the root URL) and versions from :mod:`home.cache` — the
global public version and the versions of the item's tags (``home.cache.page_id_tags``: ``page:<id>``, the pages it
names such as a regulation's replacement, ``pages`` for the home page; a detail also its parent, shown in
``meta.parent``). So the rules that make a cached
response stale (a publish, unpublish or live save bumps the page's tag; an image, document, snippet, setting or
site changed, a page moved, renamed or deleted bumps the global version) make a stored item stale too: one set of
invalidation rules. The versions are read *before* the item is computed, and every bump happens twice (at once and
on commit), so an item computed from rows that were about to change is stored under a version nobody reads again.

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
    "fragment_seconds_and_version",
    "id_rows",
    "item_seconds",
    "item_tags",
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


def variant(request, kind: str) -> str:
    """A digest of everything besides the page that shapes an item of ``kind`` for ``request``: the query string
    without :data:`PAGING_PARAMETERS` (``fields``, ``type``, ``rendition``, ``site``, … — any parameter, so one a
    later version adds cannot be forgotten here), the active language, the host asked (page URLs are relative to
    the request's site) and the root URL of absolute links."""
    query = sorted(
        (name, value) for name, values in request.GET.lists() if name not in PAGING_PARAMETERS for value in values
    )
    raw = repr((kind, query, get_language(), request.get_host(), root_url()))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _seconds_until(until: datetime.datetime | None) -> int:
    """:func:`item_seconds`, no longer than until ``until``; 0 when that has passed (or storing is off)."""
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
) -> list:
    """The items of ``page_ids`` in that order: stored ones from the cache, the others from ``compute(missing ids)``
    (a dict id → item; computed items are stored). An id ``compute`` leaves out is left out of the answer (a page
    that stopped being public between the two queries). ``tags``: what each item shows (``home.cache.page_id_tags``:
    the page, the pages it names, ``pages`` for the home page); default ``page:<id>``. ``until`` (aware datetime): the
    items stop being true then by the clock (a slide's display window) — stored no longer; already passed: computed.

    Cost: two cache round trips (tag versions, items) and one ``set_many`` when something was computed."""
    if not page_ids:
        return []
    seconds = _seconds_until(until)
    if not seconds:
        computed = compute(list(page_ids))
        return [computed[page_id] for page_id in page_ids if page_id in computed]
    tags = tags or {}
    item_tags = {page_id: sorted(tags.get(page_id) or {f"page:{page_id}"}) for page_id in page_ids}
    cache = public_cache.cache_backend()
    try:
        versions = public_cache.tag_versions({tag for names in item_tags.values() for tag in names})
        global_version = public_cache.current_version()
        keys = {
            page_id: f"{KEY_PREFIX}{kind}:{page_id}:{variant_key}:{global_version}:"
            + hashlib.sha256(repr([versions[tag] for tag in item_tags[page_id]]).encode()).hexdigest()[:24]
            for page_id in page_ids
        }
        found = cache.get_many(list(keys.values()))
    except Exception:
        logger.warning("stored items unavailable; computing them", exc_info=True)
        computed = compute(list(page_ids))
        return [computed[page_id] for page_id in page_ids if page_id in computed]
    missing = [page_id for page_id in page_ids if keys[page_id] not in found]
    computed = compute(missing) if missing else {}
    if computed:
        try:
            cache.set_many({keys[page_id]: item for page_id, item in computed.items()}, seconds)
        except Exception:
            logger.warning("stored items not written", exc_info=True)
    items = []
    for page_id in page_ids:
        if keys[page_id] in found:
            items.append(found[keys[page_id]])
        elif page_id in computed:
            items.append(computed[page_id])
    return items


def fragment_seconds_and_version(
    request, tags: Iterable[str], vary: object = "", until: datetime.datetime | None = None
) -> tuple[int, str | None]:
    """``(seconds, version)`` of a stored HTML fragment for ``request``: the version digests the global public
    version, the versions of ``tags`` (:mod:`home.cache`: ``menu``, ``page:<id>``, ``type:<app.model>``, …),
    ``vary`` (what else it shows, e.g. the current path), the language, the host and the root URL; ``seconds`` is
    :func:`item_seconds`, no longer than until ``until`` (aware datetime: when the fragment stops being true, e.g. a
    slide's display window). ``(0, None)``: not to be stored (not an anonymous ``GET``, storing off, ``until``
    passed, or the cache down)."""
    if request is None or not enabled(request):
        return 0, None
    seconds = _seconds_until(until)
    if not seconds:
        return 0, None
    try:
        tag_list = sorted(set(tags))
        found = public_cache.tag_versions(tag_list)
        parts = (public_cache.current_version(), [found[tag] for tag in tag_list], str(vary))
    except Exception:
        logger.warning("stored fragments unavailable; rendering", exc_info=True)
        return 0, None
    raw = repr((*parts, get_language(), request.get_host(), root_url()))
    return seconds, hashlib.sha256(raw.encode()).hexdigest()[:32]


def fragment(request, name: str, tags: Iterable[str], render: Callable[[], str], **options) -> str:
    """The HTML fragment ``name`` (header, footer, the home page's content, …): the stored one of this version
    (:func:`fragment_seconds_and_version`; ``options``: ``vary``, ``until``), else ``render()``, stored. Never
    stored, only rendered, when it may not be (a logged-in visitor, storing off, the cache down)."""
    seconds, version = fragment_seconds_and_version(request, tags, **options)
    if not seconds:
        return render()
    key = f"{KEY_PREFIX}fragment:{name}:{version}"
    cache = public_cache.cache_backend()
    try:
        html = cache.get(key)
    except Exception:
        html = None
    if html is None:
        html = render()
        try:
            cache.set(key, html, seconds)
        except Exception:
            logger.warning("stored fragment %s not written", name, exc_info=True)
    return html
