"""The Wagtail admin chrome built once (issue 9, ``home.admin_chrome``): the per-user sidebar, the keyboard
shortcuts dialog and the admin config.

What an officer must never notice: another user's menu, a menu in the wrong language, or a menu that does not
follow a change of their permissions. What they do notice: every admin page is faster, because the menu is
built once per user and language instead of on every page.
"""

import json
import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from home import admin_chrome
from layanan.desk.wagtail_hooks import ReportsMenuItem

pytestmark = pytest.mark.django_db

DASHBOARD = "/admin/"
SIDEBAR_RE = re.compile(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', re.S)


def sidebar_text(response) -> str:
    assert response.status_code == 200
    match = SIDEBAR_RE.search(response.content.decode())
    assert match, "the admin page carries Wagtail's sidebar props"
    json.loads(match.group(1))  # still valid JSON
    return match.group(1)


def reports_link_in(text: str) -> bool:
    return json.dumps(reverse("layanan_reports_index"))[1:-1] in text


@pytest.fixture
def editor(db):
    """A page editor: may use the admin, has no desk and so no "Reports" menu item."""
    group = Group.objects.create(name="Sidebar editors")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    user = User.objects.create_user("sidebar.editor", "editor@example.org", "pw-Editor-2026!")
    user.groups.add(group)
    return user


@pytest.fixture
def is_shown_calls(monkeypatch):
    """Counts how often the "Reports" menu item is asked whether it is shown (once per sidebar build)."""
    calls = []
    original = ReportsMenuItem.is_shown

    def counting(self, request):
        calls.append(request.user.username)
        return original(self, request)

    monkeypatch.setattr(ReportsMenuItem, "is_shown", counting)
    return calls


def test_the_menu_is_built_once_per_user_and_served_the_same(client, desk_users, is_shown_calls):
    client.force_login(desk_users["ppid"])
    first = sidebar_text(client.get(DASHBOARD))
    second = sidebar_text(client.get("/admin/layanan/ppidrequestticket/"))
    assert first == second
    assert reports_link_in(first)
    assert is_shown_calls == ["ppid"]


def test_each_user_gets_their_own_menu(client, desk_users, editor, is_shown_calls):
    client.force_login(desk_users["ppid"])
    ppid_menu = sidebar_text(client.get(DASHBOARD))
    client.force_login(editor)
    editor_menu = sidebar_text(client.get(DASHBOARD))
    assert reports_link_in(ppid_menu)
    assert not reports_link_in(editor_menu)
    assert "sidebar.editor" in editor_menu and "sidebar.editor" not in ppid_menu
    assert is_shown_calls == ["ppid", "sidebar.editor"]


def test_a_permission_change_shows_on_the_next_page(client, editor, make_user):
    make_user("someone", "PPID Utama")  # creates the role groups
    client.force_login(editor)
    assert not reports_link_in(sidebar_text(client.get(DASHBOARD)))

    editor.groups.add(Group.objects.get(name="PPID Utama"))
    assert reports_link_in(sidebar_text(client.get(DASHBOARD)))

    editor.groups.remove(Group.objects.get(name="PPID Utama"))
    assert not reports_link_in(sidebar_text(client.get(DASHBOARD)))


def test_a_change_to_the_users_name_shows_on_the_next_page(client, editor):
    client.force_login(editor)
    sidebar_text(client.get(DASHBOARD))
    editor.first_name = "Siti"
    editor.save()
    assert '"name": "Siti"' in sidebar_text(client.get(DASHBOARD))


def test_the_menu_is_cached_per_language(desk_users):
    request = RequestFactory().get(DASHBOARD)
    request.user = desk_users["ppid"]
    template = Template("{% load wagtailadmin_tags %}{% sidebar_props %}")
    rendered = {}
    for language in ("id", "en", "id"):
        with translation.override(language):
            rendered.setdefault(language, []).append(template.render(Context({"request": request})))
    assert '"Laporan layanan"' in rendered["id"][0] and '"Service reports"' not in rendered["id"][0]
    assert '"Service reports"' in rendered["en"][0]
    assert rendered["id"][0] == rendered["id"][1]


def test_zero_seconds_builds_the_menu_on_every_page(client, desk_users, is_shown_calls, settings):
    settings.PESAN_ADMIN_CACHE_SECONDS = 0
    client.force_login(desk_users["ppid"])
    client.get(DASHBOARD)
    client.get(DASHBOARD)
    assert is_shown_calls == ["ppid", "ppid"]


class BrokenCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache down")

        return fail


def test_a_cache_outage_still_renders_the_menu(client, desk_users, monkeypatch, is_shown_calls):
    monkeypatch.setattr(admin_chrome, "admin_cache", lambda: BrokenCache())
    client.force_login(desk_users["ppid"])
    assert reports_link_in(sidebar_text(client.get(DASHBOARD)))
    assert reports_link_in(sidebar_text(client.get(DASHBOARD)))
    assert is_shown_calls == ["ppid", "ppid"]


# --- keyboard shortcuts dialog and admin config: Wagtail's own output, built once -------------------------------
def wagtail_render(template_text: str, request, **context) -> str:
    """Render ``template_text`` with the chrome cache off (Wagtail's own tags run) and on (ours, twice)."""
    template = Template("{% load wagtailadmin_tags %}" + template_text)
    return template.render(Context({"request": request, **context}))


@pytest.fixture
def admin_request(desk_users):
    def make(user_agent="Mozilla/5.0 (X11; Linux x86_64)"):
        request = RequestFactory().get(DASHBOARD, HTTP_USER_AGENT=user_agent)
        request.user = desk_users["ppid"]
        return request

    return make


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("agent", ["Mozilla/5.0 (X11; Linux x86_64)", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)"])
def test_keyboard_dialog_is_wagtails_own(admin_request, settings, language, agent):
    with translation.override(language):
        settings.PESAN_ADMIN_CACHE_SECONDS = 0
        stock = wagtail_render("{% keyboard_shortcuts_dialog %}", admin_request(agent))
        settings.PESAN_ADMIN_CACHE_SECONDS = 300
        first = wagtail_render("{% keyboard_shortcuts_dialog %}", admin_request(agent))
        second = wagtail_render("{% keyboard_shortcuts_dialog %}", admin_request(agent))
    assert stock == first == second
    assert ("⌘" in stock) == ("Mac" in agent)  # the Mac key labels stay per platform
    assert ("Pintasan keyboard" in stock or "Keyboard shortcuts" in stock) and 'id="keyboard-shortcuts-dialog"' in stock


def test_keyboard_dialog_follows_the_users_preference(admin_request, desk_users):
    from wagtail.users.models import UserProfile

    request = admin_request()
    assert "disabled" not in wagtail_render("{% keyboard_shortcuts_dialog %}", request).lower()
    profile = UserProfile.get_for_user(desk_users["ppid"])
    profile.keyboard_shortcuts = False
    profile.save()
    request = admin_request()
    request.user = User.objects.get(pk=desk_users["ppid"].pk)
    with translation.override("en"):
        assert "currently disabled" in wagtail_render("{% keyboard_shortcuts_dialog %}", request)


def config(request, **context) -> dict:
    rendered = wagtail_render('{% wagtail_config as config %}{{ config|json_script:"c" }}', request, **context)
    return json.loads(re.search(r">(.*)</script>", rendered, re.S).group(1))


def test_admin_config_is_wagtails_own_with_a_token_per_request(admin_request, settings):
    settings.PESAN_ADMIN_CACHE_SECONDS = 0
    stock = config(admin_request())
    settings.PESAN_ADMIN_CACHE_SECONDS = 300
    first, second = config(admin_request()), config(admin_request())
    for data in (stock, first, second):
        assert data.pop("CSRF_TOKEN")  # each request its own token
    assert stock == first == second
    assert [locale["code"] for locale in stock["LOCALES"]]


def test_admin_config_follows_new_content_locales(admin_request):
    from wagtail.models import Locale

    Locale.objects.filter(language_code="en").delete()
    before = {locale["code"] for locale in config(admin_request())["LOCALES"]}
    Locale.objects.create(language_code="en")
    after = {locale["code"] for locale in config(admin_request())["LOCALES"]}
    assert "en" not in before and after == before | {"en"}


# --- permissions cached per officer (pesan_cms.auth.CachedPermissionsAxesBackend) -------------------------------
PERMISSION_SQL = "AUTH_PERMISSION"


def permission_queries(client, url) -> tuple[int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    return status, sum(1 for q in ctx.captured_queries if PERMISSION_SQL in q["sql"].upper())


def test_an_officers_permissions_are_loaded_once_and_follow_changes(client, desk_users):
    ppid = desk_users["ppid"]
    client.force_login(ppid)
    url = "/admin/layanan/ppidrequestticket/"
    assert permission_queries(client, url)[0] == 200
    assert permission_queries(client, url) == (200, 0)  # from the cache: no permission query

    group = Group.objects.get(name="PPID Utama")
    ppid.groups.remove(group)  # revoked: the very next page is refused (back to the login/dashboard)
    assert permission_queries(client, url)[0] in (302, 403)
    ppid.groups.add(group)  # granted again
    assert permission_queries(client, url)[0] == 200


def test_a_deactivated_officer_is_out_at_once(client, desk_users):
    ppid = desk_users["ppid"]
    client.force_login(ppid)
    assert client.get("/admin/layanan/ppidrequestticket/").status_code == 200
    ppid.is_active = False
    ppid.save()
    assert client.get("/admin/layanan/ppidrequestticket/").status_code in (302, 403)


def test_superusers_permissions_are_never_cached(desk_users, django_user_model):
    from pesan_cms.auth import KEY_PREFIX, CachedPermissionsAxesBackend

    admin = django_user_model.objects.create_superuser("root.admin", "root@example.org", "pw-Root-2026!")
    officer = desk_users["ppid"]
    backend = CachedPermissionsAxesBackend()
    for user in (admin, officer):
        assert backend.get_all_permissions(django_user_model.objects.get(pk=user.pk))  # both hold permissions
    version = admin_chrome.access_version()
    assert admin_chrome.admin_cache().get(f"{KEY_PREFIX}{version}:{officer.pk}") is not None  # an officer: cached
    assert admin_chrome.admin_cache().get(f"{KEY_PREFIX}{version}:{admin.pk}") is None  # a superuser: never


def test_a_login_does_not_invalidate_every_officers_caches(client, desk_users):
    from django.contrib.auth.signals import user_logged_in

    client.force_login(desk_users["ppid"])
    url = "/admin/layanan/ppidrequestticket/"
    client.get(url)
    version = admin_chrome.access_version()
    user_logged_in.send(sender=User, request=None, user=desk_users["op1"])  # another officer logs in
    assert admin_chrome.access_version() == version
    assert permission_queries(client, url) == (200, 0)


def test_without_the_admin_caches_permissions_are_read_on_every_page(client, desk_users, settings):
    settings.PESAN_ADMIN_CACHE_SECONDS = 0  # the default without Redis
    client.force_login(desk_users["ppid"])
    url = "/admin/layanan/ppidrequestticket/"
    client.get(url)
    status, queries = permission_queries(client, url)
    assert status == 200 and queries >= 1


@pytest.mark.parametrize("language", ["id", "en"])
def test_sidebar_is_wagtails_own(admin_request, settings, language):
    """The cached ``{% sidebar_props %}`` is byte for byte what Wagtail renders (guard of the replaced tag)."""
    with translation.override(language):
        settings.PESAN_ADMIN_CACHE_SECONDS = 0
        stock = wagtail_render("{% sidebar_props %}", admin_request())
        settings.PESAN_ADMIN_CACHE_SECONDS = 300
        first = wagtail_render("{% sidebar_props %}", admin_request())
        second = wagtail_render("{% sidebar_props %}", admin_request())
    assert stock == first == second
    assert 'id="wagtail-sidebar-props"' in stock
