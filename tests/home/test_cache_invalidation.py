"""Invalidation that keeps the cache warm (issue 20, ``home.cache``): a publish makes stale only what shows the
content; a draft, a news import that adds nothing and a change elsewhere leave the cached copies in place; shared
caches get ``s-maxage`` and are purged through Wagtail's ``frontend_cache`` (a local HTTP server stands in for
the purge endpoint of a reverse proxy)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from wagtail.models import Site

from berita.models import NewsIndexPage, NewsPage, NewsSettings
from berita.services import run_import
from home.models import OrganisationSettings, StandardPage
from regulasi.models import RegulationIndexPage, RegulationPage
from tests.berita.conftest import make_source, news_server, session  # noqa: F401 - fixtures

from .factories import add_child

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def public_cache_on(settings):
    settings.PESAN_PUBLIC_CACHE_SECONDS = 300
    settings.PESAN_PUBLIC_CACHE_MAX_AGE = 60


@pytest.fixture
def content(home):
    """A site with a news list (one article), a regulation list (one regulation), an unrelated page and a page in
    the menu; the site settings exist (their first read creates them, which rightly invalidates everything)."""
    site = Site.objects.get(is_default_site=True)
    OrganisationSettings.for_site(site)
    NewsSettings.for_site(site)
    news_index = add_child(home, NewsIndexPage(title="Berita", slug="berita"))
    article = add_child(news_index, NewsPage(title="Peluncuran PPID", slug="peluncuran", lead="Pembuka."))
    regulations = add_child(home, RegulationIndexPage(title="Regulasi", slug="regulasi"))
    law = RegulationPage(title="UU 14/2008", slug="uu-14", kind="uu", number="14", year=2008, about="KIP")
    add_child(regulations, law)
    unrelated = add_child(home, StandardPage(title="Visi dan Misi", slug="visi"))
    about = add_child(home, StandardPage(title="Tentang Kami", slug="tentang", show_in_menus=True))
    return {"home": home, "news_index": news_index, "article": article, "regulations": regulations,
            "unrelated": unrelated, "about": about}  # fmt: skip


def urls(content) -> dict[str, str]:
    return {
        "regulation list (API)": "/api/v2/regulations/",
        "regulation list (page)": content["regulations"].url,
        "unrelated page": content["unrelated"].url,
        "unrelated page (API)": f"/api/v2/pages/{content['unrelated'].pk}/",
        "news list (API)": "/api/v2/news/",
        "news list (page)": content["news_index"].url,
        "news pages (API)": "/api/v2/pages/?type=berita.NewsPage",
        "article": content["article"].url,
        "article (API)": f"/api/v2/pages/{content['article'].pk}/",
        "home page": content["home"].url,
    }


def warm(client, addresses) -> None:
    for address in addresses.values():
        assert client.get(address).status_code == 200
        assert client.get(address)["X-Cache"] == "HIT", address


def served(client, addresses) -> dict[str, str]:
    return {name: client.get(address)["X-Cache"] for name, address in addresses.items()}


def test_publishing_one_news_page_leaves_the_regulations_and_unrelated_pages_cached(client, content):
    addresses = urls(content)
    warm(client, addresses)

    article = content["article"]
    article.title = "Peluncuran PPID (diperbarui)"
    article.save_revision().publish()

    assert served(client, addresses) == {
        "regulation list (API)": "HIT",
        "regulation list (page)": "HIT",
        "unrelated page": "HIT",
        "unrelated page (API)": "HIT",
        "news list (API)": "MISS",
        "news list (page)": "MISS",
        "news pages (API)": "MISS",
        "article": "MISS",
        "article (API)": "MISS",
        "home page": "MISS",  # the home page lists the news
    }
    assert client.get(addresses["news list (API)"]).json()["results"][0]["title"] == "Peluncuran PPID (diperbarui)"
    assert b"Peluncuran PPID (diperbarui)" in client.get(addresses["article"]).content


def test_a_draft_changes_nothing_public(client, content):
    addresses = urls(content)
    warm(client, addresses)
    article = content["article"]
    article.title = "Judul draf"
    article.save_revision()  # saved for review, not published
    assert set(served(client, addresses).values()) == {"HIT"}


def test_a_menu_change_refreshes_every_site_page_and_a_news_publish_does_not(client, content):
    addresses = urls(content)
    warm(client, addresses)
    about = content["about"]
    about.title = "Profil Lembaga"
    about.save_revision().publish()
    response = client.get(addresses["unrelated page"])
    assert response["X-Cache"] == "MISS" and b"Profil Lembaga" in response.content  # the menu shows its title
    assert client.get(addresses["regulation list (API)"])["X-Cache"] == "HIT"  # the API has no menu


def test_a_news_import_that_adds_nothing_invalidates_nothing(client, content, make_source, session):  # noqa: F811
    source = make_source("rss")
    run_import(source, session=session)  # first run: new candidates (not published: nothing public changes)
    addresses = urls(content)
    warm(client, addresses)
    again = run_import(source, session=session)
    assert again.new == 0
    assert set(served(client, addresses).values()) == {"HIT"}


def test_site_settings_still_refresh_everything(client, content):
    addresses = urls(content)
    warm(client, addresses)
    settings_obj = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    settings_obj.name = "Kementerian Baru"
    settings_obj.save()
    assert set(served(client, addresses).values()) == {"MISS"}


class PurgeRecorder(BaseHTTPRequestHandler):
    """Plays a reverse proxy's purge endpoint (Varnish/nginx ``PURGE``): records method, Host and path."""

    received: list[tuple[str, str, str]] = []

    def do_PURGE(self):  # noqa: N802 - the HTTP method
        self.received.append((self.command, self.headers.get("Host", ""), self.path))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def purge_server(settings):
    PurgeRecorder.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_address[1]}",
        }
    }
    settings.PESAN_PUBLIC_CACHE_SHARED_MAX_AGE = 600
    yield PurgeRecorder.received
    server.shutdown()
    server.server_close()


def test_shared_caches_hold_public_responses_and_are_purged_on_publish(
    client, content, purge_server, django_capture_on_commit_callbacks
):
    response = client.get(content["unrelated"].url)
    assert response["Cache-Control"] == "public, max-age=60, s-maxage=600"  # no CSRF token: a CDN may keep it
    api = client.get("/api/v2/regulations/")
    assert api["Cache-Control"] == "public, max-age=60, s-maxage=600"

    article = content["article"]
    article.title = "Peluncuran PPID (diperbarui)"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()

    paths = {path for method, _host, path in purge_server}
    assert {method for method, _host, _path in purge_server} == {"PURGE"}
    assert article.url in paths  # Wagtail's own handler: the page
    assert content["news_index"].url in paths  # its list
    assert f"/api/v2/pages/{article.pk}/" in paths  # and its API detail
    assert content["unrelated"].url not in paths
