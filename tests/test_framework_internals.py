"""Guards of the framework internals PESAN still relies on for speed (issue 14: each one kept only with a test
that fails loudly when the framework changes it). When one of these fails after an upgrade, the code named in
the test's docstring must change with it; do not relax the test.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.backends import ModelBackend
from django.db import connection, transaction
from wagtail.models import Site

from layanan.calendar import workdays
from layanan.reports import statistics
from pesan_cms.cache import OutageTolerantRedisCache, ReusingRedisCacheClient


def _marker():
    """An ``on_commit`` callable to look for."""


@pytest.mark.django_db(transaction=True)
def test_run_on_commit_entries_carry_the_callable_second():
    """``pesan_cms.versions.CommittedVersion`` (used by the statistics and the working calendar) looks for its
    hook in ``connection.run_on_commit`` as the second item of each entry (Django 5.2: ``(savepoint ids,
    callable, robust)``)."""
    with transaction.atomic():
        transaction.on_commit(_marker)
        entries = list(connection.run_on_commit)
        assert entries, "Django no longer keeps on_commit hooks in connection.run_on_commit"
        assert all(isinstance(entry, tuple) and len(entry) >= 2 for entry in entries)
        assert any(entry[1] is _marker for entry in entries)


@pytest.mark.django_db(transaction=True)
def test_the_code_that_reads_run_on_commit_sees_its_own_hook():
    """The two readers find the hook they registered, and forget it when the savepoint that registered it rolls
    back (so a later change registers it again)."""
    with transaction.atomic():
        statistics.statistics_changed()
        assert statistics._pending_token() != ""
        workdays.calendar_changed()
        assert workdays._change_pending()
    with transaction.atomic():
        try:
            with transaction.atomic():
                statistics.statistics_changed()
                workdays.calendar_changed()
                raise RuntimeError
        except RuntimeError:
            pass
        assert statistics._pending_token() == ""
        assert not workdays._change_pending()


@pytest.mark.django_db
def test_model_backend_caches_all_permissions_in_perm_cache(django_user_model):
    """``pesan_cms.auth.CachedPermissionsAxesBackend`` fills ``user._perm_cache``, the attribute Django's
    ``ModelBackend.get_all_permissions`` reads back on the next call; if Django renames it, the cached set
    would be ignored (extra queries) or, worse, a stale one kept."""
    user = django_user_model.objects.create_user("internals", password="x")
    user._perm_cache = {"layanan.sentinel"}
    assert ModelBackend().get_all_permissions(user) == {"layanan.sentinel"}


# --- home.admin_chrome: Wagtail's admin tags replaced by cached ones (issue 9) -----------------------------------
CHROME_TAGS = ("sidebar_props", "keyboard_shortcuts_dialog", "wagtail_config")


def test_wagtails_admin_templates_still_use_the_replaced_tags():
    """``home.admin_chrome.install`` replaces three tags of ``wagtailadmin_tags``; if Wagtail's base templates stop
    using one, or renames it, the replacement silently stops applying (or applies to nothing)."""
    from django.template.loader import get_template

    sources = "".join(
        get_template(name).template.source for name in ("wagtailadmin/admin_base.html", "wagtailadmin/base.html")
    )
    for tag in CHROME_TAGS:
        assert "{% " + tag in sources, f"Wagtail's admin templates no longer use {{% {tag} %}}"


def test_the_replacements_are_installed_over_wagtails_own_functions():
    """The library's tags are ours, and the originals kept for a cache miss are Wagtail's functions that take
    the template context (the calling convention the replacements rely on)."""
    import inspect

    from wagtail.admin.templatetags import wagtailadmin_tags

    from home import admin_chrome

    for tag in CHROME_TAGS:
        compiled = wagtailadmin_tags.register.tags[tag]  # Django's simple_tag wraps the function (``__wrapped__``)
        assert compiled.__wrapped__ is getattr(admin_chrome, f"cached_{tag}"), f"{{% {tag} %}} is not the cached one"
        original = admin_chrome._originals[tag]
        assert original is getattr(wagtailadmin_tags, tag), f"wagtailadmin_tags.{tag} is not the kept original"
        assert original.__module__ == "wagtail.admin.templatetags.wagtailadmin_tags"
        assert next(iter(inspect.signature(original).parameters)) == "context"


def test_redis_cache_builds_its_client_from_the_class_we_set():
    """``pesan_cms.cache.ReusingRedisCache`` sets ``RedisCache._class``, which Django's ``_cache`` property reads to
    build the client: if Django stops reading it, every cache call builds a ``redis.Redis`` again (issue 20)."""
    backend = OutageTolerantRedisCache("redis://127.0.0.1:6379/15", {})
    client = backend._cache
    assert isinstance(client, ReusingRedisCacheClient)
    assert client.get_client("a") is client.get_client("b")  # built once, no connection opened
    assert client.get_client("a", write=True).connection_pool is client._get_connection_pool(True)


def test_wagtail_takes_the_requests_site_from_the_attribute_we_set(rf):
    """``home.memo.PublicSiteMiddleware`` hands Wagtail the site of an anonymous public read by setting
    ``request._wagtail_site``, which ``Site.find_for_request`` returns when present: if Wagtail stops reading it, every
    public read runs its site query again (issue 20)."""
    request = rf.get("/")
    marker = Site(hostname="memo.example", port=80)
    request._wagtail_site = marker
    assert Site.find_for_request(request) is marker


@pytest.mark.django_db
def test_our_copies_of_wagtails_visibility_rules_give_wagtails_answers(rf, settings, django_user_model):
    """``home.privacy.visible_pages`` follows Wagtail's ``get_public_pages_queryset`` and ``home.privacy.public`` its
    ``PageQuerySet.public()``, with what they read kept per process for anonymous visitors (issue 20). Copies of a
    framework's rule: if Wagtail changes its rule, this fails."""
    from django.contrib.auth.models import AnonymousUser, Group
    from wagtail.api.querysets import get_public_pages_queryset
    from wagtail.models import Page, PageViewRestriction

    from home.models import StandardPage
    from home.privacy import public, visible_pages
    from tests.home.factories import add_child, make_site

    settings.ALLOWED_HOSTS = ["*"]
    home = make_site()
    slugs = ("open", "secret", "members", "staff")
    pages = {slug: add_child(home, StandardPage(title=slug, slug=slug)) for slug in slugs}
    add_child(pages["secret"], StandardPage(title="child", slug="child"))
    add_child(home, StandardPage(title="draft", slug="draft"), publish=False)
    password = PageViewRestriction.PASSWORD
    PageViewRestriction.objects.create(page=pages["secret"], restriction_type=password, password="x")
    PageViewRestriction.objects.create(page=pages["members"], restriction_type=PageViewRestriction.LOGIN)
    staff_only = PageViewRestriction.objects.create(page=pages["staff"], restriction_type=PageViewRestriction.GROUPS)
    staff = Group.objects.create(name="Staf")
    staff_only.groups.add(staff)
    other_root = add_child(Page.get_first_root_node(), StandardPage(title="other", slug="other"))
    add_child(other_root, StandardPage(title="other-child", slug="other-child"))
    Site.objects.create(hostname="other.example", port=80, root_page=other_root)
    member = django_user_model.objects.create_user("member", "m@example.org", "pw")
    member.groups.add(staff)

    def ids(queryset):
        return set(queryset.values_list("pk", flat=True))

    cases = [("localhost", {}, None), ("other.example", {}, None), ("localhost", {"site": "other.example"}, None)]
    cases.append(("localhost", {}, member))  # logged in (a session cookie): nothing kept per process
    for host, query, user in cases:
        cookie = {"HTTP_COOKIE": "sessionid=x"} if user else {}
        request = rf.get("/api/v2/pages/", query, HTTP_HOST=host, **cookie)
        request.user, request.session = user or AnonymousUser(), {}
        for model in (Page, StandardPage):
            assert ids(visible_pages(request, model)) == ids(get_public_pages_queryset(request, model)), (host, user)
        assert ids(public(Page.objects.live(), request)) == ids(Page.objects.live().public())
    assert {pages["open"].pk, pages["staff"].pk} <= ids(visible_pages(request))  # the member, last case
    anonymous = rf.get("/api/v2/pages/", HTTP_HOST="localhost")
    anonymous.user, anonymous.session = AnonymousUser(), {}
    seen = ids(visible_pages(anonymous))
    assert pages["open"].pk in seen and not {pages["secret"].pk, pages["members"].pk, pages["staff"].pk} & seen
