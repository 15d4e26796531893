"""The Wagtail admin's page chrome, built once instead of on every page (issue 9: the operator desk list under
100 ms p95).

Every admin page renders three pieces of Wagtail's ``wagtailadmin_tags`` that do not depend on the page:

- ``{% sidebar_props %}``: asks every registered menu item whether it is shown to the user (permission checks,
  the desk's unit scopes, the reports menu) and packs the whole menu with telepath, each item's static media
  included — on the desk list, the biggest single cost of the page. It depends only on the user (permissions,
  groups, unit memberships, name and avatar), the language and the registered menu: Wagtail marks the current
  item in the browser.
- ``{% keyboard_shortcuts_dialog %}``: a table of ~30 translated labels rendered through five templates. It
  depends on the language, the user's "keyboard shortcuts" preference, whether the browser is on a Mac (key
  labels) and whether comments are enabled.
- ``{% wagtail_config %}``: the admin's JavaScript settings — URLs, the list of content locales (a query) and
  ~60 translated strings — plus the request's CSRF token and the user's shortcut preference.

:func:`install` (called from ``HomeConfig.ready``, before any admin template is compiled) registers
:func:`cached_sidebar_props`, :func:`cached_keyboard_shortcuts_dialog` and :func:`cached_wagtail_config` under
Wagtail's tag names. Their output is Wagtail's own (the original functions and template render it on a miss;
``tests/layanan/test_admin_sidebar.py`` compares them):

- the sidebar is stored in the shared cache per (access version, user, language) for
  ``PESAN_ADMIN_CACHE_SECONDS`` (300 with Redis; 0 — the default without Redis — turns all of them off, and
  the permission cache of ``pesan_cms.auth`` and the desk's filter caches with them: invalidation must reach
  every worker, which only a shared cache does);
- the dialog and the request-independent part of the config are kept per process, per (language, script
  prefix, the inputs above) and — for the config, whose locale list comes from the database — the access
  version; the CSRF token, the active content locale and the user's preference are filled in per request.

Invalidation: one *access version* (``VERSION_KEY``, the helpers of :mod:`pesan_cms.versions`), bumped at once and on
commit when a model that decides who sees what is saved or deleted or its many-to-many relations change
(``SIDEBAR_MODELS``: users, groups, permissions and their links, Wagtail user profiles, page and collection
permissions, unit memberships, units, content locales) and when a page moves (a user's "Pages" explorer
starts at the highest page they may edit). :func:`access_version` also keys the desk's year filter
(``layanan.desk.wagtail_hooks.desk_years``). The menu is navigation only: every view still checks permissions
itself, so a sidebar at most the lifetime late after a change the signals miss (a raw SQL update, say) shows
a link that answers "permission denied", never data.

A cache outage never fails a page: the pieces are rendered as Wagtail renders them.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from pesan_cms.versions import read as read_version
from pesan_cms.versions import write_new as write_new_version

logger = logging.getLogger(__name__)

VERSION_KEY = "pesan:admin-sidebar:version"
KEY_PREFIX = "pesan:admin-sidebar:"
KEYBOARD_DIALOG_TEMPLATE = "wagtailadmin/shared/keyboard_shortcuts_dialog.html"

#: ``app_label.model`` of the models whose changes can change someone's menu (besides the user model itself,
#: added at run time: ``AUTH_USER_MODEL`` may be a custom one).
SIDEBAR_MODELS = frozenset(
    {
        "auth.group",
        "auth.permission",
        "auth.group_permissions",
        "auth.user_groups",
        "auth.user_user_permissions",
        "wagtailusers.userprofile",
        "wagtailcore.grouppagepermission",
        "wagtailcore.groupcollectionpermission",
        "wagtailcore.locale",
        "home.unitmembership",
        "home.unit",
    }
)

_originals: dict = {}
#: Per-process memo of the request-independent pieces (small: a few languages × a few variants).
_memo: dict = {}
_MAC_RE = re.compile(r"Mac|iPod|iPhone|iPad")  # Wagtail's own test for Mac key labels


def cache_seconds() -> int:
    """Lifetime of the admin caches in seconds (``PESAN_ADMIN_CACHE_SECONDS``: 300 with Redis, else 0 = off;
    off also turns off the per-process memos of the dialog and the config, the permission cache and the desk's
    filter caches)."""
    return int(getattr(settings, "PESAN_ADMIN_CACHE_SECONDS", 0))


def admin_cache():
    return caches[getattr(settings, "PESAN_PUBLIC_CACHE_ALIAS", "default")]


def access_version(request=None) -> str:
    """The version of "who may see what" (bumped on the ``SIDEBAR_MODELS`` changes): a key part of per-user
    caches of what a user's permissions and units decide (the sidebar here, the desk's year filter in
    ``layanan.desk.wagtail_hooks.desk_years``). One cache read, memoised on ``request`` when given; raises if the
    cache is down."""
    if request is None:
        return read_version(admin_cache(), VERSION_KEY)
    version = request.__dict__.get("_pesan_access_version")
    if version is None:
        # the permission backend (pesan_cms.auth) may have read it already for this request's user
        user = request.__dict__.get("user")
        version = getattr(user, "_pesan_access_version", None) if user is not None else None
        if version is None:
            version = read_version(admin_cache(), VERSION_KEY)
        request._pesan_access_version = version
    return version


def sidebar_key(user, request=None) -> str:
    """Cache key of ``user``'s sidebar in the active language, under the current version."""
    return f"{KEY_PREFIX}{access_version(request)}:{user.pk}:{get_language() or ''}"


def bump_version(*args, **kwargs) -> None:
    """Invalidate every user's cached sidebar (accepts signal arguments; a cache outage is logged)."""
    write_new_version(admin_cache(), VERSION_KEY, "admin sidebar")


def _user(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def cached_sidebar_props(context):
    """``{% sidebar_props %}`` with a per-user cache: the same ``<script id="wagtail-sidebar-props">`` Wagtail
    renders, from the cache when this user's sidebar in this language was rendered since the last change."""
    request = context.get("request")
    user = _user(request)
    seconds = cache_seconds()
    if seconds <= 0 or user is None:
        return _originals["sidebar_props"](context)
    try:
        key = sidebar_key(user, request)
        cached = admin_cache().get(key)
    except Exception:
        logger.exception("admin sidebar cache unavailable; rendering uncached")
        return _originals["sidebar_props"](context)
    if cached is not None:
        return mark_safe(cached)  # noqa: S308 - Wagtail's own json_script output, stored as rendered
    rendered = _originals["sidebar_props"](context)
    try:
        admin_cache().set(key, str(rendered), seconds)
    except Exception:
        logger.exception("admin sidebar could not be cached")
    return rendered


def _shortcuts_enabled(user) -> bool:
    profile = getattr(user, "wagtail_userprofile", None) if user is not None else None
    return bool(getattr(profile, "keyboard_shortcuts", True)) if profile is not None else True


def cached_keyboard_shortcuts_dialog(context):
    """``{% keyboard_shortcuts_dialog %}``: Wagtail's dialog (its context function and template), rendered once
    per process for each (language, script prefix, shortcuts on/off, Mac or not, comments on/off)."""
    from wagtail.admin.templatetags.wagtailadmin_tags import get_comments_enabled

    request = context.get("request")
    if cache_seconds() <= 0 or request is None:
        return _render_keyboard_dialog(context)
    key = (
        "keyboard-dialog",
        get_language(),
        get_script_prefix(),
        _shortcuts_enabled(_user(request)),
        bool(_MAC_RE.search(request.headers.get("User-Agent", ""))),
        bool(get_comments_enabled()),
    )
    html = _memo.get(key)
    if html is None:
        html = _memo[key] = _render_keyboard_dialog(context)
    return mark_safe(html)  # noqa: S308 - rendered by Wagtail's template


def _render_keyboard_dialog(context) -> str:
    return render_to_string(KEYBOARD_DIALOG_TEMPLATE, _originals["keyboard_shortcuts_dialog"](context))


#: ``wagtail_config`` keys filled in per request; everything else is the same for every request of a language.
_PER_REQUEST_CONFIG = ("CSRF_TOKEN", "ACTIVE_CONTENT_LOCALE", "KEYBOARD_SHORTCUTS_ENABLED")


def cached_wagtail_config(context):
    """``{% wagtail_config %}``: the same dict; its request-independent part (URLs, content locales, translated
    strings) computed once per process for each (language, script prefix, access version), the CSRF token, the
    active content locale and the user's shortcut preference per request."""
    from django.middleware.csrf import get_token

    request = context.get("request")
    if cache_seconds() <= 0 or request is None:
        return _originals["wagtail_config"](context)
    shared = remember(
        request,
        "wagtail-config",
        (get_language(), get_script_prefix()),
        lambda: {k: v for k, v in _originals["wagtail_config"](context).items() if k not in _PER_REQUEST_CONFIG},
    )
    config = dict(shared)
    config["CSRF_TOKEN"] = get_token(request)
    if locale := context.get("locale"):
        config["ACTIVE_CONTENT_LOCALE"] = locale.language_code
    config["KEYBOARD_SHORTCUTS_ENABLED"] = _shortcuts_enabled(getattr(request, "user", None))
    return config


def remember(request, kind: str, parts: tuple, compute):
    """A per-process value for ``(kind, *parts)`` under the current access version: ``compute()`` on the first
    call after a bump (the kind's entries of older versions are dropped then), the same value until the next.
    Computed every time when the access version cannot be read (cache outage). Used for the admin config here
    and the desk's unit filter (``layanan.desk.wagtail_hooks.UnitListFilter``)."""
    try:
        version = access_version(request)
    except Exception:
        logger.exception("admin cache unavailable; computing %s uncached", kind)
        return compute()
    key = (kind, *parts, version)
    value = _memo.get(key)
    if value is None:
        for old in list(_memo):  # a snapshot: another thread may add entries meanwhile
            if old[0] == kind and old[-1] != version:
                _memo.pop(old, None)
        value = _memo[key] = compute()
    return value


#: Saves that touch only these fields change nothing anyone may see: a login (``last_login``), a dismissed
#: Wagtail hint. Ignoring them keeps a login from invalidating every officer's cached menu and permissions.
BOOKKEEPING_FIELDS = frozenset({"last_login", "dismissibles"})


def _on_model_change(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None:
        return
    if meta.label_lower in SIDEBAR_MODELS or sender is get_user_model():
        update_fields = kwargs.get("update_fields")
        if update_fields and set(update_fields) <= BOOKKEEPING_FIELDS:
            return
        bump_version()
        transaction.on_commit(bump_version, using=kwargs.get("using"))


def _on_page_move(sender, **kwargs) -> None:
    bump_version()
    transaction.on_commit(bump_version)


def install() -> None:
    """Register the cached tags under Wagtail's names in its ``wagtailadmin_tags`` library and connect the
    invalidation signals (idempotent; called from ``HomeConfig.ready``)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.admin.templatetags import wagtailadmin_tags
    from wagtail.signals import post_page_move

    if not _originals:
        _originals.update(
            sidebar_props=wagtailadmin_tags.sidebar_props,
            keyboard_shortcuts_dialog=wagtailadmin_tags.keyboard_shortcuts_dialog,
            wagtail_config=wagtailadmin_tags.wagtail_config,
        )
        register = wagtailadmin_tags.register
        register.simple_tag(takes_context=True, name="sidebar_props")(cached_sidebar_props)
        register.simple_tag(takes_context=True, name="keyboard_shortcuts_dialog")(cached_keyboard_shortcuts_dialog)
        register.simple_tag(takes_context=True, name="wagtail_config")(cached_wagtail_config)
    post_save.connect(_on_model_change, dispatch_uid="home.admin_chrome.save")
    post_delete.connect(_on_model_change, dispatch_uid="home.admin_chrome.delete")
    m2m_changed.connect(_on_model_change, dispatch_uid="home.admin_chrome.m2m")
    post_page_move.connect(_on_page_move, dispatch_uid="home.admin_chrome.moved")
