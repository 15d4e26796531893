"""Whole-response cache of public reads, for anonymous visitors, with explicit invalidation.

What is cached (``PublicCacheMiddleware``): successful (200) ``GET`` responses of

- the public API: ``/api/v2/pages/``, ``images/``, ``documents/``, ``regulations/``, ``public-information/``,
  ``news/``, ``site/`` and ``statistics/`` (list and detail) — ``PUBLIC_API_PREFIXES``;
- the server-rendered site: pages served by Wagtail (homepage, news/regulation/DIP listings, …), the search
  page and ``/statistik/`` — the views named in ``CACHED_SITE_VIEWS``; never anything under
  ``EXCLUDED_PREFIXES`` (``/admin/``, ``/layanan/``, ``/wbs/``, the rest of ``/api/``, ``/documents/``,
  ``/bahasa/`` (the language switch), static and media files), never another Django view.

Never cached (neither served from nor stored in the cache):

- requests that carry a session cookie (a logged-in user, a visitor who entered a page's password) or an
  ``Authorization`` header — the decision is taken *before* the session and authentication middleware run,
  so a cache hit costs one cache round trip (:func:`lookup`) and no database query;
- responses that set a cookie or carry a CSRF token (see below), say ``Cache-Control: private /
  no-store / no-cache``, are streaming, are not 200, or were produced for an authenticated user.

CSRF tokens: the site's pages carry no form that posts (the language switch is a pair of links,
:func:`home.views.switch_language`), so one stored body serves every visitor and shared caches may keep it. A
response that carries a CSRF token (a form that posts) is never stored: the token is the visitor's own.

Key: scheme, host, full path with query string, ``Accept`` header and the language the response is in —
``Accept-Language``/language cookie for ``/api/`` (Django's negotiation, as :class:`pesan_cms.middleware.
LocaleMiddleware` does), the language cookie else ``LANGUAGE_CODE`` for pages (and, for the statistics, their
version and the date). The versions of what a response shows are stored *with* it (:func:`checks_of`) and compared
on every hit, in the same ``get_many`` as the entry.

Invalidation (issue 20: what shows the change, not everything): a response depends on

- the **global version** (every response's check), bumped by changes that can show anywhere: site settings, units,
  images and documents that are changed or deleted, collections, view restrictions, sites, redirects, a page
  moved, renamed (a new slug changes its URL and its descendants') or deleted, and any other model of the
  content apps (``CONTENT_APPS``) not listed below;
- **tags**, each with its own version, recorded with the stored response and checked on every hit: ``page:<id>``
  (that page), ``type:<app.model>`` (anything listing pages of that type), ``menu`` (the main menu, on every site
  page), ``images`` / ``documents`` (the file listings), and ``pages`` (a response that did not say what it shows:
  any page change). Views add tags with :func:`depends_on`:
  Wagtail's ``before_serve_page`` hook adds :func:`page_tags` (the page, the menu, the page types it lists —
  an index page's tag is bumped by its children; ``public_cache_any_page`` on the home page, which links pages of
  any type), the pages API adds the page or the listed type; DRF lists over one page type are tagged by path
  (``PUBLIC_API``).

A page published, unpublished or saved live bumps :func:`changed_page_tags`: its own tag, its type, its parent,
``pages``, and ``menu`` only when the menu's pages or titles changed (a fingerprint of the menu is compared). A
draft (``save_revision``, revisions, workflow and comments) bumps nothing: the public does not see it. A new
image or document bumps only ``images`` / ``documents``; a news import that adds nothing writes nothing here.
Bumps happen at once *and* again when the transaction commits, so a reader that cached the old state between
the two is invalidated too. The statistics endpoints also follow the statistics version of
``layanan.reports.statistics`` (bumped when any ticket changes) and today's date (WIB).

Lifetime: ``PESAN_PUBLIC_CACHE_SECONDS`` (default 300; 0 turns the cache off). Browsers get
``Cache-Control: public, max-age=PESAN_PUBLIC_CACHE_MAX_AGE`` (default 60 seconds — after a publish, a browser
may show the old page for at most this long; our own cache is invalidated at once), shared caches (a CDN, a
reverse proxy) ``s-maxage=PESAN_PUBLIC_CACHE_SHARED_MAX_AGE`` — purged on publish through Wagtail's
``frontend_cache`` when ``WAGTAILFRONTENDCACHE`` is set (:func:`purge_frontend`) — and an ``ETag``; a
matching ``If-None-Match`` gets a 304 from the cache. Responses carry ``X-Cache: HIT`` or
``MISS``. Time passing is not an invalidation: content computed from the clock (homepage slides with a display
window) shows up to the lifetime late. A cache outage never fails a request: it is served uncached.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import sys
import uuid
from collections.abc import Sequence
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_request, get_supported_language_variant
from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache
from wagtail.models import Page
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from home.absolute_urls import absolute_url, page_url
from home.navigation import menu_entries
from pesan_cms import versions

logger = logging.getLogger(__name__)

#: API paths whose anonymous GET responses are cached, with the tags of what they show beyond what their views
#: declare (:func:`depends_on`): the DRF endpoints over one page type, the file listings.
PUBLIC_API: dict[str, tuple[str, ...]] = {
    "/api/v2/pages/": (),
    "/api/v2/images/": ("images",),
    "/api/v2/documents/": ("documents",),
    "/api/v2/regulations/": ("type:regulasi.regulationpage",),
    "/api/v2/public-information/": ("type:home.publicinformationpage",),
    "/api/v2/news/": ("type:berita.newspage",),
    "/api/v2/site/": (),
    "/api/v2/statistics/": (),
}
PUBLIC_API_PREFIXES = tuple(PUBLIC_API)
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
    "/bahasa/",
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
        # drafts and their review: the public sees only what is published (page_published / a live save)
        "wagtailcore.revision",
        "wagtailcore.workflowstate",
        "wagtailcore.taskstate",
        "wagtailcore.comment",
        "wagtailcore.commentreply",
        "wagtailsearch.indexentry",
        "berita.importrun",
        "berita.importedarticle",
        "berita.importsource",  # the import's configuration and its last-run state: not shown publicly
        "berita.importrule",
        "home.unitmembership",  # who works in a unit: the desk's, not the public's
    }
)
#: Models with a foreign key to a page that are not part of what that page shows: a change bumps the global version
#: (a view restriction hides the page and its descendants from every listing; a site's root page and host decide
#: what every request of that site sees — ``home.memo`` keeps both per global version).
GLOBAL_MODELS = frozenset({"wagtailcore.site", "wagtailcore.pageviewrestriction"})
#: Apps whose model writes bump the public version.
CONTENT_APPS = frozenset(
    {"home", "regulasi", "berita", "wagtailcore", "wagtailimages", "wagtaildocs", "taggit", "wagtailredirects"}
)

VERSION_KEY = "pesan:public-cache:version"
KEY_PREFIX = "pesan:public-cache:2:"  # 2: entries without the CSRF flag (a deploy must not read the old shape)
TAG_PREFIX = "pesan:public-cache:tag:"
MAX_BODY_BYTES = 2 * 1024 * 1024
CACHED_HEADER = "X-Cache"
#: What a rendered ``{% csrf_token %}`` field contains: a response that has it is never stored (:func:`_storable`).
CSRF_FIELD = b'name="csrfmiddlewaretoken"'


def cache_seconds() -> int:
    """Server-side lifetime of a cached response in seconds (``PESAN_PUBLIC_CACHE_SECONDS``, default 300)."""
    return int(getattr(settings, "PESAN_PUBLIC_CACHE_SECONDS", 300))


def browser_max_age() -> int:
    """``max-age`` given to browsers and CDNs, seconds (``PESAN_PUBLIC_CACHE_MAX_AGE``, default 60)."""
    return int(getattr(settings, "PESAN_PUBLIC_CACHE_MAX_AGE", 60))


def cache_backend():
    """The Django cache holding public responses, versions and stored items (``PESAN_PUBLIC_CACHE_ALIAS``)."""
    return caches[getattr(settings, "PESAN_PUBLIC_CACHE_ALIAS", "default")]


def current_version() -> str:
    """The global version every cached response and stored item is checked against (``pesan_cms.versions.read`` of
    ``VERSION_KEY``); raises if the cache is down."""
    return versions.read(cache_backend(), VERSION_KEY)


_REQUEST_VERSION_ATTR = "_pesan_public_version"


def public_version(request) -> str:
    """:func:`current_version` as ``request`` first read it (once per request; the middleware's :func:`lookup` has
    read it already on a miss); raises if the cache is down."""
    version = getattr(request, _REQUEST_VERSION_ATTR, None)
    if version is None:
        version = current_version()
        setattr(request, _REQUEST_VERSION_ATTR, version)
    return version


def shared_max_age() -> int:
    """``s-maxage`` given to shared caches (CDN, reverse proxy), seconds (``PESAN_PUBLIC_CACHE_SHARED_MAX_AGE``)."""
    return int(getattr(settings, "PESAN_PUBLIC_CACHE_SHARED_MAX_AGE", browser_max_age()))


def bump_version(*args, **kwargs) -> None:
    """Invalidate every cached public response at once (stores a new global version; accepts signal arguments).

    A cache outage is logged, not raised: an editor's publish must not fail because Redis is away (entries
    written before the outage may then live until their TTL, ``PESAN_PUBLIC_CACHE_SECONDS``)."""
    versions.write_new(cache_backend(), VERSION_KEY, "public cache")


def bump_now_and_on_commit(using=None) -> None:
    """Bump the global version at once and once more when the current transaction commits."""
    bump_version()
    transaction.on_commit(bump_version, using=using)


# --- Tags: what a response shows ------------------------------------------------------------------------------

#: The tag of a response that did not say what it shows: bumped by every page change.
ANY_PAGE = "pages"
#: Page fields that ``save_revision`` / locking write on the live row without changing what the public sees.
DRAFT_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
        "wagtail_admin_comments",
    }
)
MENU_KEY = "pesan:public-cache:menu-fingerprint"
#: Changed by every tag bump: a response rendered while a bump happened is not stored (it may show the old state
#: under the new versions).
LAST_BUMP_KEY = "pesan:public-cache:last-tag-bump"

_collected: ContextVar[set[str] | None] = ContextVar("pesan_public_cache_tags", default=None)


def depends_on(*tags: str) -> None:
    """Note that the response being rendered shows what ``tags`` name (see the module docstring); a no-op
    outside a request the middleware may cache."""
    collected = _collected.get()
    if collected is not None:
        collected.update(tags)


def type_tag(model) -> str:
    """``type:<app_label.model>`` (lower case) of a page class or instance, or of a label ``"app.Model"``."""
    return f"type:{(model if isinstance(model, str) else model._meta.label).lower()}"


def page_tags(page, *, menu: bool = True) -> set[str]:
    """The tags of a rendering of ``page``: :func:`page_id_tags` of its id, class and the pages it names in
    ``public_cache_related_pages``, and, for the reference site's HTML (``menu=True``), the main menu."""
    specific_class = page.specific_class or type(page)
    related = [getattr(page, f"{name}_id", None) for name in related_page_fields(specific_class)]
    tags = page_id_tags(page.pk, specific_class, related)
    if menu:
        tags.add("menu")
    return tags


def related_page_fields(specific_class) -> tuple[str, ...]:
    """Foreign keys to other pages whose title or URL a rendering of a page of ``specific_class`` shows (a regulation's
    ``replaced_by``): the class's ``public_cache_related_pages``."""
    return tuple(getattr(specific_class, "public_cache_related_pages", ()))


def page_id_tags(page_id: int, specific_class, related_ids=()) -> set[str]:
    """The tags of a rendering of the page ``page_id`` of ``specific_class``: the page (its children's changes bump it
    too: an index page that lists them), each page of ``related_ids`` it shows (a regulation's replacement), the
    types its class names in ``public_cache_shows_types`` (the PPID profile links regulations from its legal basis)
    and :data:`ANY_PAGE` when its class says ``public_cache_any_page`` (the home page links pages of any type)."""
    tags = {f"page:{page_id}"} | {f"page:{related}" for related in related_ids if related}
    tags |= {type_tag(label) for label in getattr(specific_class, "public_cache_shows_types", ())}
    if getattr(specific_class, "public_cache_any_page", False):
        tags.add(ANY_PAGE)
    return tags


def _menu_fingerprint() -> str:
    """A digest of every site's main menu (:func:`home.navigation.menu_entries`)."""
    return hashlib.sha256(repr(menu_entries()).encode()).hexdigest()


def _menu_changed() -> bool:
    """True when the main menu differs from the last fingerprint (stored anew); True when the cache is down."""
    fingerprint = _menu_fingerprint()
    try:
        cache = cache_backend()
        if cache.get(MENU_KEY) == fingerprint:
            return False
        cache.set(MENU_KEY, fingerprint, None)
    except Exception:
        logger.warning("public cache unavailable; menu fingerprint not compared", exc_info=True)
    return True


def changed_page_tags(page) -> set[str]:
    """The tags a change of the live ``page`` makes stale: the page, its type, its parent, :data:`ANY_PAGE`,
    and ``menu`` when the main menu's pages or titles changed (compared with the last fingerprint)."""
    tags = {f"page:{page.pk}", type_tag(page.specific_class or type(page)), ANY_PAGE}
    parent_path = page.path[: -Page.steplen]
    if parent_path:
        parent_id = Page.objects.filter(path=parent_path).values_list("pk", flat=True).first()
        if parent_id is not None:
            tags.add(f"page:{parent_id}")
    if _menu_changed():
        tags.add("menu")
    return tags


def checks_of(tags) -> dict[str, str]:
    """What a response or stored item showing ``tags`` is valid under: ``{cache key: value}`` of the global version
    (:data:`VERSION_KEY`) and of each tag's version (``TAG_PREFIX + tag``), read in one ``get_many`` (a missing one is
    created: the global version time-based as :mod:`pesan_cms.versions` does, a tag's random). It stays valid while
    every key still holds its value. Raises if the cache is down."""
    cache = cache_backend()
    keys = [VERSION_KEY, *(TAG_PREFIX + tag for tag in sorted(set(tags)))]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, versions.new_value() if key == VERSION_KEY else uuid.uuid4().hex, None)
        found.update(cache.get_many(missing))
    return {key: str(found[key]) for key in keys}


def bump_tags(tags) -> None:
    """New versions for ``tags``: every stored response that shows one of them is stale (a cache outage is
    logged, not raised)."""
    if not tags:
        return
    try:
        stamp = uuid.uuid4().hex
        cache_backend().set_many({**{TAG_PREFIX + tag: stamp for tag in tags}, LAST_BUMP_KEY: stamp}, None)
    except Exception:
        logger.exception("public cache tags %s not bumped", sorted(tags))


def bump_tags_now_and_on_commit(tags, using=None) -> None:
    """:func:`bump_tags` at once and once more when the current transaction commits."""
    tags = frozenset(tags)
    bump_tags(tags)
    transaction.on_commit(lambda: bump_tags(tags), using=using)


def purge_frontend(page) -> None:
    """Ask the CDN / reverse proxy (Wagtail's ``frontend_cache``, ``WAGTAILFRONTENDCACHE``) to drop what shows
    ``page`` besides the page itself (which Wagtail's own handler purges): its parent's page and the page's
    API detail. Lists with query strings are held for ``s-maxage`` only. Errors are logged by Wagtail."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    urls = [absolute_url(f"/api/v2/pages/{page.pk}/")]
    parent = page.get_parent()
    if parent is not None and parent.depth > 1:
        parent_url = page_url(parent)
        if parent_url:
            urls.append(parent_url)
    purge_urls_from_cache(urls)


# --- Signals ----------------------------------------------------------------------------------------------------


def _page_model(model) -> bool:
    return isinstance(model, type) and issubclass(model, Page)


def _parent_page_fields(model):
    """Foreign keys (ParentalKey, …) of ``model`` to a page type: its rows are part of that page."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and field.many_to_one and _page_model(field.related_model)
    ]


def _on_model_change(sender, instance=None, created=False, update_fields=None, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label not in CONTENT_APPS or meta.label_lower in IGNORED_MODELS:
        return
    using = kwargs.get("using")
    deleted = kwargs.get("signal") is post_delete
    if _page_model(sender):
        if deleted:
            bump_now_and_on_commit(using=using)
        elif update_fields and set(update_fields) <= DRAFT_FIELDS:
            return  # save_revision / locking: a draft
        elif instance is not None and instance.live:
            bump_tags_now_and_on_commit(changed_page_tags(instance), using=using)
        # a page that is not live: nothing public changed (unpublishing sends page_unpublished)
        return
    if created and meta.label_lower in ("wagtailimages.image", "wagtaildocs.document"):
        bump_tags_now_and_on_commit({"images" if meta.app_label == "wagtailimages" else "documents"}, using=using)
        return  # a new file is shown nowhere yet but in the file listings
    if created and meta.label_lower == "taggit.tag":
        return  # a new tag name is shown once a page uses it (that page's save bumps it)
    if meta.label_lower in GLOBAL_MODELS:
        bump_now_and_on_commit(using=using)  # who sees what, or which site answers: anything may show it
        return
    parents = _parent_page_fields(sender) if instance is not None else []
    if parents:  # a row of a page (its tags, its inline items): that page and its listings
        tags = {ANY_PAGE}
        for field in parents:
            page_id = getattr(instance, field.attname, None)
            if page_id is not None:
                tags |= {f"page:{page_id}", type_tag(field.related_model)}
        bump_tags_now_and_on_commit(tags, using=using)
        return
    bump_now_and_on_commit(using=using)


def _on_page_published(sender, instance, **kwargs) -> None:
    # Publishing saved the live page (post_save → :func:`_on_model_change` bumped its tags): the CDN remains.
    transaction.on_commit(lambda: purge_frontend(instance))


def _on_page_unpublished(sender, instance, **kwargs) -> None:
    # An unpublished page is saved not live, which _on_model_change leaves alone: its tags are bumped here.
    bump_tags_now_and_on_commit(changed_page_tags(instance))
    transaction.on_commit(lambda: purge_frontend(instance))


def _on_page_moved(sender, **kwargs) -> None:
    bump_now_and_on_commit()  # URLs change: every link to the page and its descendants (also a new slug)


def connect_signals() -> None:
    """Connect the invalidation handlers (idempotent; called from ``HomeConfig.ready``)."""
    post_save.connect(_on_model_change, dispatch_uid="home.cache.save")
    post_delete.connect(_on_model_change, dispatch_uid="home.cache.delete")
    m2m_changed.connect(_on_model_change, dispatch_uid="home.cache.m2m")
    page_published.connect(_on_page_published, dispatch_uid="home.cache.published")
    page_unpublished.connect(_on_page_unpublished, dispatch_uid="home.cache.unpublished")
    post_page_move.connect(_on_page_moved, dispatch_uid="home.cache.moved")
    page_slug_changed.connect(_on_page_moved, dispatch_uid="home.cache.slug_changed")


def is_public_path(path: str) -> bool:
    """True when a response to ``path`` may be in the cache: the public API, or a site path served by one of
    :data:`CACHED_SITE_VIEWS` (the rule :func:`_storable` applies after the view) — any other path (a health check,
    ``robots.txt``, a form's view) skips the cache's round trips altogether."""
    if path.startswith(PUBLIC_API_PREFIXES):
        return True
    if path.startswith(EXCLUDED_PREFIXES):
        return False
    return _served_by_cached_view(get_urlconf() or settings.ROOT_URLCONF, path)


@functools.lru_cache(maxsize=4096)
def _served_by_cached_view(urlconf: str, path: str) -> bool:
    """Whether ``path`` resolves, under ``urlconf``, to one of :data:`CACHED_SITE_VIEWS` (remembered per process:
    resolving ``/`` walks every pattern before Wagtail's catch-all)."""
    try:
        return resolve(path, urlconf).url_name in CACHED_SITE_VIEWS
    except Resolver404:
        return False


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


def anonymous_request(request) -> bool:
    """True when ``request`` carries no session (or other bypass) cookie and no ``Authorization`` header: an
    anonymous visitor, decided before the session and authentication middleware run."""
    cookies = request.COOKIES
    if cookies and any(name in cookies for name in _bypass_cookie_names()):
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def cache_key(request) -> str | None:
    """The cache key of ``request``, or None when the request must not use the cache (see module docstring)."""
    if request.method != "GET" or cache_seconds() <= 0:
        return None
    path = request.path_info
    if not is_public_path(path):
        return None
    if not anonymous_request(request):
        return None
    meta = request.META
    try:
        host = request.get_host()
    except Exception:  # DisallowedHost: let Django answer it, uncached
        return None
    is_api = path.startswith("/api/")
    parts = [
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


#: Per process: the check keys (:func:`checks_of`) each cached response or stored item was last seen stored under, by
#: its key — so a hit reads the entry and everything that proves it current in one ``get_many``. Only a hint: a hit
#: whose entry names other keys reads those too (a second round trip). Emptied when it holds :data:`REMEMBERED_KEYS`.
_check_keys: dict[str, tuple[str, ...]] = {}
REMEMBERED_KEYS = 20_000


def _remember(key: str, checks) -> None:
    """Note the check keys of the entry stored under ``key`` (:data:`_check_keys`)."""
    if len(_check_keys) >= REMEMBERED_KEYS:
        _check_keys.clear()
    _check_keys[key] = tuple(sys.intern(name) for name in checks)  # a few tag keys, shared by many entries


def read_checked(cache, keys: Sequence[str]) -> tuple[dict[str, tuple], dict]:
    """``(entries, found)``: of the entries stored under ``keys`` — tuples whose last element is the checks they were
    stored under (:func:`checks_of`) — those whose every check still holds its value (any other is stale: something it
    shows changed); ``found`` the values read on the way (:data:`VERSION_KEY` and :data:`LAST_BUMP_KEY` among them).
    One ``get_many`` when this process has seen the entries before (it remembers their check keys), two otherwise.
    Raises if the cache is down. Used by the response cache (:func:`lookup`) and ``home.stored``."""
    asked = {*keys, VERSION_KEY, LAST_BUMP_KEY}
    for key in keys:
        asked.update(_check_keys.get(key, ()))
    found = cache.get_many(list(asked))
    entries = {key: found.pop(key) for key in keys if key in found}
    rest = {name for entry in entries.values() for name in entry[-1] if name not in asked}
    if rest:
        found.update(cache.get_many(list(rest)))
    current = {}
    for key, entry in entries.items():
        checks = entry[-1]
        if _check_keys.get(key) != tuple(checks):
            _remember(key, checks)
        if all(found.get(name) == value for name, value in checks.items()):
            current[key] = entry
    return current, found


def lookup(cache, key: str) -> tuple[tuple | None, dict]:
    """``(entry, found)``: the stored response of ``key`` when it is still current (:func:`read_checked`), else
    ``None``; ``found`` the values read on the way (for a miss to store under)."""
    entries, found = read_checked(cache, [key])
    return entries.get(key), found


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    # Which paths may be stored at all was decided before the view ran (is_public_path, through cache_key).
    if response.cookies or CSRF_FIELD in response.content:  # per visitor: a cookie, a CSRF token of theirs
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return len(response.content) <= MAX_BODY_BYTES


def _response_from(entry, request):
    status, headers, content, etag, _checks = entry
    if etag and etag in request.META.get("HTTP_IF_NONE_MATCH", ""):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Cache-Control"] = headers.get("Cache-Control", "")
        response[CACHED_HEADER] = "HIT"
        return response
    response = HttpResponse(content, status=status)
    for name, value in headers.items():
        response[name] = value
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
        cache = cache_backend()
        try:
            key = cache_key(request)
            entry, found = lookup(cache, key) if key is not None else (None, {})
            if key is not None and entry is None:
                if VERSION_KEY not in found:
                    found[VERSION_KEY] = current_version()  # first use (or a flushed cache): created before rendering
                setattr(request, _REQUEST_VERSION_ATTR, found[VERSION_KEY])
        except Exception:  # the cache (Redis) is down: serve uncached rather than fail
            logger.warning("public cache unavailable; serving uncached", exc_info=True)
            return self.get_response(request)
        if key is None:
            return self.get_response(request)
        if entry is not None:
            return _response_from(entry, request)
        collecting = _collected.set(set())
        try:
            response = self.get_response(request)
            tags = _collected.get()
        finally:
            _collected.reset(collecting)
        if _storable(request, response):
            self._store(cache, key, request, response, tags, found)
        return response

    @staticmethod
    def _store(cache, key, request, response, tags: set[str], before: dict) -> None:
        """Store ``response`` under ``key``, valid while the versions of what it shows are those read *before* it was
        rendered (``before``: the global version and the last tag bump); not stored if either moved meanwhile (it
        may show the old state)."""
        path = request.path_info
        is_api = path.startswith("/api/")
        for prefix, path_tags in PUBLIC_API.items():
            if path.startswith(prefix):
                tags |= set(path_tags)
        patch_vary_headers(response, ("Accept", "Accept-Language", "Cookie") if is_api else ("Cookie",))
        content = response.content
        response["Cache-Control"] = f"public, max-age={browser_max_age()}, s-maxage={shared_max_age()}"
        etag = '"' + hashlib.md5(content, usedforsecurity=False).hexdigest() + '"'
        response["ETag"] = etag
        headers = dict(response.items())
        response[CACHED_HEADER] = "MISS"
        try:
            checks = checks_of(tags or {ANY_PAGE})
            if checks[VERSION_KEY] != before.get(VERSION_KEY) or cache.get(LAST_BUMP_KEY) != before.get(LAST_BUMP_KEY):
                return  # content changed while this response was rendered: it may show the old state
            cache.set(key, (response.status_code, headers, content, etag, checks), cache_seconds())
            _remember(key, checks)
        except Exception:
            logger.warning("public cache unavailable; response not stored", exc_info=True)
