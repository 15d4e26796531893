"""The whole-response cache of public reads (home/cache.py): hits, invalidation, and what is never cached."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import path
from wagtail.models import Site

from berita.models import ImportedArticle, NewsIndexPage, NewsSettings
from berita.services import approve
from home import cache as home_cache
from home.models import OrganisationSettings, StandardPage
from layanan.ppid import intake as ppid_intake
from pesan_cms.urls import urlpatterns as project_urlpatterns
from regulasi.models import RegulationIndexPage, RegulationPage

from .factories import add_child


@pytest.fixture(autouse=True)
def public_cache_on(settings):
    settings.PESAN_PUBLIC_CACHE_SECONDS = 300
    settings.PESAN_PUBLIC_CACHE_MAX_AGE = 60


@pytest.fixture(autouse=True)
def site_settings_exist(request):
    """Site settings rows exist (``for_site`` creates them on first read, which rightly invalidates the cache)."""
    if "home" in request.fixturenames or "page" in request.fixturenames:
        request.getfixturevalue("home")
        site = Site.objects.get(is_default_site=True)
        OrganisationSettings.for_site(site)
        NewsSettings.for_site(site)


@pytest.fixture
def page(home):
    return add_child(home, StandardPage(title="Tentang Kami", slug="tentang"))


def get(client, url, **extra):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    return response, len(ctx.captured_queries)


def titles(response):
    return [item["title"] for item in response.json()["items"]]


PAGES = "/api/v2/pages/?type=home.StandardPage&fields=*"


def test_second_anonymous_get_is_served_from_the_cache_without_queries(client, page):
    first, first_queries = get(client, PAGES)
    assert first.status_code == 200 and first["X-Cache"] == "MISS" and first_queries > 0
    second, second_queries = get(client, PAGES)
    assert second["X-Cache"] == "HIT" and second_queries == 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == "id"
    assert second["Cache-Control"] == "public, max-age=60, s-maxage=60"  # no purge configured: as browsers
    assert "Accept-Language" in second["Vary"]

    not_modified, _ = get(client, PAGES, HTTP_IF_NONE_MATCH=second["ETag"])
    assert not_modified.status_code == 304


class CountingCache:
    """The real cache backend, with the name of every method called on it recorded in ``calls``."""

    def __init__(self, backend):
        self.backend, self.calls = backend, []

    def __getattr__(self, name):
        self.calls.append(name)
        return getattr(self.backend, name)


def test_a_hit_costs_one_cache_round_trip_and_still_sees_a_publish(client, page, monkeypatch):
    """Issue 20: the entry and every version that proves it current (global, tags) come in one ``get_many`` once the
    process has seen the entry stored; the versions live in the entry, so a publish still makes it stale at once."""
    counting = CountingCache(home_cache.cache_backend())
    monkeypatch.setattr(home_cache, "cache_backend", lambda: counting)
    assert client.get(PAGES)["X-Cache"] == "MISS"
    counting.calls.clear()
    hit = client.get(PAGES)
    assert hit["X-Cache"] == "HIT" and counting.calls == ["get_many"]

    page.title = "Tentang Kami (baru)"
    page.save_revision().publish()
    fresh = client.get(PAGES)
    assert fresh["X-Cache"] == "MISS" and "Tentang Kami (baru)" in titles(fresh)
    counting.calls.clear()
    assert client.get(PAGES)["X-Cache"] == "HIT" and counting.calls == ["get_many"]


def csrf_token_in(response) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', response.content.decode())
    assert match, "the page has a form that posts"
    return match.group(1)


def test_homepage_html_is_one_public_body_for_every_visitor(client, home):
    first, _ = get(client, "/")
    assert first.status_code == 200 and first["X-Cache"] == "MISS"
    second, queries = get(client, "/")
    assert second["X-Cache"] == "HIT" and queries == 0
    assert second.content == first.content
    # No form posts from it (the language switch is links), so no CSRF cookie and a CDN may keep it.
    assert b"csrfmiddlewaretoken" not in second.content and not second.cookies
    assert second["Cache-Control"] == f"public, max-age=60, s-maxage={home_cache.shared_max_age()}"
    assert second["ETag"] == first["ETag"]


def test_language_switch_serves_the_cached_page_in_the_chosen_language(client, home):
    assert get(client, "/")[0]["X-Cache"] == "MISS"
    switched = client.get("/bahasa/en/", {"next": "/"})
    assert switched.status_code == 302 and switched["Location"] == "/"
    assert "no-store" in switched["Cache-Control"] and switched.cookies["django_language"].value == "en"
    english = client.get("/")
    assert english["X-Cache"] == "MISS" and b'<html lang="en"' in english.content
    assert client.get("/")["X-Cache"] == "HIT"
    client.get("/bahasa/id/", {"next": "/"})
    indonesian = client.get("/")
    assert indonesian["X-Cache"] == "HIT" and b'<html lang="id"' in indonesian.content


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""])
def test_language_switch_goes_back_only_to_this_site(client, home, target):
    response = client.get("/bahasa/en/", {"next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_language_switch_refuses_a_language_the_site_does_not_offer(client, home):
    response = client.get("/bahasa/fr/", {"next": "/"})
    assert response.status_code == 404 and "django_language" not in response.cookies


def test_edit_publish_and_unpublish_invalidate(client, page):
    assert titles(client.get(PAGES)) == ["Tentang Kami"]
    assert client.get(PAGES)["X-Cache"] == "HIT"

    page.title = "Profil Lembaga"
    page.save_revision().publish()
    assert titles(client.get(PAGES)) == ["Profil Lembaga"]
    assert client.get(f"/api/v2/pages/{page.pk}/").json()["title"] == "Profil Lembaga"
    assert client.get(f"/api/v2/pages/{page.pk}/")["X-Cache"] == "HIT"

    page.unpublish()
    assert titles(client.get(PAGES)) == []
    assert client.get(f"/api/v2/pages/{page.pk}/").status_code == 404

    page.refresh_from_db()
    page.save_revision().publish()
    assert titles(client.get(PAGES)) == ["Profil Lembaga"]


def test_page_html_changes_after_publish(client, page):
    assert b"Tentang Kami" in client.get(page.url).content
    page.title = "Profil Lembaga"
    page.save_revision().publish()
    response = client.get(page.url)
    assert response["X-Cache"] == "MISS" and b"Profil Lembaga" in response.content


def test_regulation_save_invalidates_the_regulations_api(client, home):
    index = add_child(home, RegulationIndexPage(title="Regulasi", slug="regulasi"))
    regulation = add_child(
        index, RegulationPage(title="UU 14/2008", slug="uu-14-2008", kind="uu", number="14", year=2008, about="KIP")
    )
    url = "/api/v2/regulations/?year=2008"
    assert [r["about"] for r in client.get(url).json()["results"]] == ["KIP"]
    assert client.get(url)["X-Cache"] == "HIT"
    regulation.about = "Keterbukaan Informasi Publik"
    regulation.save_revision().publish()
    assert [r["about"] for r in client.get(url).json()["results"]] == ["Keterbukaan Informasi Publik"]


def test_news_approval_invalidates_the_news_listing(client, home):
    add_child(home, NewsIndexPage(title="Berita", slug="berita"))
    url = "/api/v2/pages/?type=berita.NewsPage"
    assert titles(client.get(url)) == []
    assert client.get(url)["X-Cache"] == "HIT"
    candidate = ImportedArticle.objects.create(
        guid="g-1", canonical_url="https://contoh.go.id/berita/1", title="Peluncuran PPID", slug="peluncuran-ppid"
    )
    approve(candidate, None, publish=True)
    assert titles(client.get(url)) == ["Peluncuran PPID"]


def test_site_settings_save_invalidates_the_site_endpoint(client, home):
    assert client.get("/api/v2/site/").status_code == 200
    assert client.get("/api/v2/site/")["X-Cache"] == "HIT"
    settings_obj = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    settings_obj.name = "Kementerian Baru"
    settings_obj.save()
    response = client.get("/api/v2/site/")
    assert response["X-Cache"] == "MISS" and response.json()["name"] == "Kementerian Baru"


def test_logged_in_users_never_get_or_fill_the_cache(client, page, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "e@example.org", "x")
    assert titles(client.get(PAGES)) == ["Tentang Kami"]  # cached for anonymous visitors
    StandardPage.objects.filter(pk=page.pk).update(title="Diam-diam diubah")  # no signal: cache not bumped

    client.force_login(user)
    response = client.get(PAGES)
    assert "X-Cache" not in response and titles(response) == ["Diam-diam diubah"]
    client.logout()

    other = type(client)()
    assert titles(other.get(PAGES)) == ["Tentang Kami"]  # anonymous: still the cached copy (TTL)


def test_a_logged_in_response_is_not_stored(client, page, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "e@example.org", "x")
    client.force_login(user)
    client.get(PAGES)
    anonymous = type(client)()
    assert anonymous.get(PAGES)["X-Cache"] == "MISS"


@pytest.mark.parametrize(
    "url",
    ["/layanan/", "/layanan/cek-status/", "/wbs/", "/admin/login/", "/api/v2/wbs/violation-types/", "/api/schema/"],
)
def test_service_desk_wbs_and_admin_are_never_cached(client, home, url):
    client.get(url)
    response = client.get(url)
    assert "X-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_language_variants_are_cached_separately(client, page):
    indonesian = client.get("/api/v2/regulations/?kind=ordonansi")
    english = client.get("/api/v2/regulations/?kind=ordonansi", HTTP_ACCEPT_LANGUAGE="en")
    assert indonesian.status_code == english.status_code == 400  # errors are never cached, but are translated
    assert client.get(PAGES)["Content-Language"] == "id"
    english = client.get(PAGES, HTTP_ACCEPT_LANGUAGE="en")
    assert english["X-Cache"] == "MISS" and english["Content-Language"] == "en"
    assert client.get(PAGES, HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "en"
    assert client.get(PAGES)["Content-Language"] == "id"

    client.get("/")
    client.cookies["django_language"] = "en"
    english_page = client.get("/")
    assert english_page["X-Cache"] == "MISS" and english_page["Content-Language"] == "en"


def test_responses_that_set_a_cookie_are_never_stored(client, page, monkeypatch):
    original = StandardPage.serve

    def serve_with_cookie(self, request, *args, **kwargs):
        response = original(self, request, *args, **kwargs)
        response.set_cookie("tracking", "secret")
        return response

    monkeypatch.setattr(StandardPage, "serve", serve_with_cookie)
    client.get(page.url)
    response = client.get(page.url)
    assert response.cookies["tracking"].value == "secret" and "X-Cache" not in response
    monkeypatch.undo()

    stored = client.get(page.url)
    replay = client.get(page.url)
    assert stored["X-Cache"] == "MISS" and replay["X-Cache"] == "HIT"
    assert "tracking" not in replay.cookies


def test_requests_with_a_session_cookie_bypass_the_cache(client, page):
    client.get(PAGES)
    client.cookies["sessionid"] = "whatever"
    assert "X-Cache" not in client.get(PAGES)


def test_zero_seconds_turns_the_cache_off(client, page, settings):
    settings.PESAN_PUBLIC_CACHE_SECONDS = 0
    client.get(PAGES)
    assert "X-Cache" not in client.get(PAGES)


def plain_view(request):
    from django.http import JsonResponse

    return JsonResponse({"ok": True})


def form_view(request):
    from django.template import engines

    template = engines["django"].from_string('<form method="post">{% csrf_token %}<button>Kirim</button></form>')
    return HttpResponse(template.render({}, request))


#: ``/formulir/`` is served under a cached site view's name: a page of the site with a form that posts.
urlpatterns = [path("plain/", plain_view), path("formulir/", form_view, name="site-search"), *project_urlpatterns]


@pytest.mark.urls(__name__)
def test_a_page_with_a_form_that_posts_is_never_stored(home):
    """A CSRF token is the visitor's own: such a page is answered fresh to each visitor, each with a working
    token."""
    from django.test import Client

    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    pages = [visitor.get("/formulir/") for visitor in visitors + visitors]
    assert home_cache.is_public_path("/formulir/")  # a path the cache serves and stores …
    assert not any("X-Cache" in page for page in pages)  # … but this answer is neither stored nor served from it
    secrets = {visitor.cookies["csrftoken"].value for visitor in visitors}
    assert len(secrets) == 2  # no shared CSRF secret
    assert csrf_token_in(pages[0]) != csrf_token_in(pages[1])


@pytest.mark.urls(__name__)
def test_other_django_views_are_not_cached(client, home):
    client.get("/plain/")
    assert "X-Cache" not in client.get("/plain/")
    assert client.get("/")["X-Cache"] == "MISS"  # pages are still cached under this URLconf


@pytest.mark.urls(__name__)
def test_other_django_views_never_touch_the_cache(client, home, monkeypatch):
    """A view that is never stored costs no cache round trip either (the bench's floor, a health check): the
    middleware decides by the URL, as it decides what to store."""
    import home.cache

    touched = []

    class CountingCache:
        def __getattr__(self, name):
            touched.append(name)
            raise AssertionError(f"cache.{name} called for a view that is never cached")

    monkeypatch.setattr(home.cache, "cache_backend", CountingCache)
    assert client.get("/plain/").json() == {"ok": True}
    assert touched == []


class BrokenCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("redis is down")

        return fail


def test_a_cache_outage_serves_uncached_and_publishing_still_works(client, page, monkeypatch):
    import home.cache

    monkeypatch.setattr(home.cache, "cache_backend", BrokenCache)
    response = client.get(PAGES)
    assert response.status_code == 200 and "X-Cache" not in response
    page.title = "Tetap Terbit"
    page.save_revision().publish()  # the invalidation failing does not fail the publish
    assert titles(client.get(PAGES)) == ["Tetap Terbit"]


def test_statistics_follow_ticket_changes(client, db):
    from tests.layanan.conftest import ppid_payload, wib

    url = "/api/v2/statistics/?year=2026"
    assert client.get(url).json()["ppid"]["requests"] == 0
    assert client.get(url)["X-Cache"] == "HIT"
    ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0))
    response = client.get(url)
    assert response["X-Cache"] == "MISS" and response.json()["ppid"]["requests"] == 1
