"""Fixtures for the news tests: a local HTTP server that serves tests/fixtures/news like the ministry's site.

Routes (all on http://127.0.0.1:<port>):
- ``/wp-json/wp/v2/posts?page=K`` → wordpress/posts-page{K}.json with ``X-WP-Total: 6``, ``X-WP-TotalPages: 2``;
  page 3+ answers 400 ``rest_post_invalid_page_number`` (as WordPress does). ``/single/wp-json/wp/v2/posts`` →
  posts.json in one page.
- ``/feed/rss/``, ``/feed/atom/``; ``/berita`` (listing; ``?page=2`` is a 404), ``/detail/<slug>`` and
  ``/?p=<id>`` (detail pages); ``/konten/unggahan/YYYY/MM/<file>`` (media); ``/broken/<file>``;
  ``/wp-error/wp-json/wp/v2/posts`` (the WordPress error body with status 404, as WordPress sends it);
  ``/slow`` (answers after 3 s), ``/error500``, ``/redirect?to=<url>`` (a 302 to ``url``).
The ``session`` fixture routes ``https://maritim.go.id/…`` (the URLs inside the fixtures: images, links) to the
same server, so nothing ever leaves the machine.
"""

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

import pytest
from requests.adapters import HTTPAdapter
from wagtail.models import Page, Site

NEWS = Path(__file__).resolve().parent.parent / "fixtures" / "news"


def _detail_files() -> dict[str, Path]:
    slugs = {}
    for path in (NEWS / "html").glob("detail-*.html"):
        match = re.search(r'rel="canonical" href="[^"]*/detail/([^"]+)"', path.read_text())
        slugs[match.group(1)] = path
    return slugs


class FixtureHandler(BaseHTTPRequestHandler):
    details = _detail_files()
    hits: list[str] = []

    def log_message(self, *args):  # keep pytest output clean
        pass

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: C901, N802 - a router
        FixtureHandler.hits.append(self.path)
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        path = url.path
        xml = "application/rss+xml"
        if path == "/wp-json/wp/v2/posts":
            page = int(query.get("page", ["1"])[0])
            if page > 2:
                body = b'{"code":"rest_post_invalid_page_number","message":"...","data":{"status":400}}'
                return self._send(400, body, "application/json")
            body = (NEWS / "wordpress" / f"posts-page{page}.json").read_bytes()
            return self._send(200, body, "application/json", {"X-WP-Total": "6", "X-WP-TotalPages": "2"})
        if path == "/single/wp-json/wp/v2/posts":
            body = (NEWS / "wordpress" / "posts.json").read_bytes()
            return self._send(200, body, "application/json", {"X-WP-Total": "6", "X-WP-TotalPages": "1"})
        if path == "/wp-error/wp-json/wp/v2/posts":
            return self._send(404, (NEWS / "broken" / "wordpress-error.json").read_bytes(), "application/json")
        if path == "/wp-error-200/wp-json/wp/v2/posts":
            return self._send(200, (NEWS / "broken" / "wordpress-error.json").read_bytes(), "application/json")
        if path == "/feed/rss/":
            return self._send(200, (NEWS / "rss" / "feed.xml").read_bytes(), xml)
        if path == "/feed/atom/":
            return self._send(200, (NEWS / "atom" / "feed.xml").read_bytes(), "application/atom+xml")
        if path == "/berita":
            if query.get("page", ["1"])[0] != "1":
                return self._send(404, b"<html><title>404</title></html>", "text/html")
            return self._send(200, (NEWS / "html" / "listing.html").read_bytes(), "text/html; charset=utf-8")
        if path.startswith("/detail/") and path[len("/detail/") :] in self.details:
            return self._send(200, self.details[path[len("/detail/") :]].read_bytes(), "text/html; charset=utf-8")
        if path == "/" and "p" in query:
            file = NEWS / "html" / f"detail-{query['p'][0]}.html"
            if file.exists():
                return self._send(200, file.read_bytes(), "text/html; charset=utf-8")
        if path.startswith("/konten/unggahan/"):
            file = NEWS / "media" / Path(path).name
            if file.exists():
                return self._send(200, file.read_bytes(), "image/jpeg")
        if path.startswith("/broken/"):
            file = NEWS / "broken" / Path(path).name
            if file.exists():
                return self._send(200, file.read_bytes(), "application/xml")
        if path.startswith("/extra/"):
            file = Path(__file__).resolve().parent.parent / "fixtures" / "news_extra" / Path(path).name
            if file.exists():
                return self._send(200, file.read_bytes(), "application/octet-stream")
        if path == "/slow":
            time.sleep(3)
            return self._send(200, (NEWS / "rss" / "feed.xml").read_bytes(), xml)
        if path == "/redirect" and "to" in query:
            return self._send(302, b"", "text/plain", {"Location": query["to"][0]})
        if path == "/error500":
            return self._send(500, b"<html><title>500 Internal Server Error</title></html>", "text/html")
        return self._send(404, b"Not found", "text/plain")


@pytest.fixture(scope="session")
def news_server():
    """Base URL (``http://127.0.0.1:<port>``) of the fixture server; runs for the whole test session."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), FixtureHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class RewriteAdapter(HTTPAdapter):
    """Sends requests for the real site's host to the local fixture server instead."""

    def __init__(self, target: str):
        super().__init__()
        self.target = urlsplit(target)

    def send(self, request, **kwargs):
        parts = urlsplit(request.url)
        request.url = urlunsplit((self.target.scheme, self.target.netloc, parts.path, parts.query, ""))
        return super().send(request, **kwargs)


@pytest.fixture
def session(news_server):
    """A requests session like the importer's, with maritim.go.id routed to the fixture server."""
    from berita.importers import build_session

    s = build_session()
    s.mount("https://maritim.go.id/", RewriteAdapter(news_server))
    s.mount("http://maritim.go.id/", RewriteAdapter(news_server))
    return s


@pytest.fixture
def fixture_articles():
    """The six fixture articles as written by articles.py (the expected values)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("news_articles", NEWS / "articles.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {a["id"]: a for a in module.ARTICLES}


HTML_SELECTORS = {
    "item_link": ".news-card a.news-card__link",
    "title": "h1.detail__title",
    "date": ".detail__date",
    "body": ".detail__content",
    "image": ".detail__image img",
    "categories": ".detail__category",
    "tags": ".detail__tag",
    "next_page": "a.pagination__next",
}


@pytest.fixture
def make_source(db, news_server):
    """``make_source(kind, path, **fields)`` → a saved ImportSource pointing at the fixture server."""
    from berita.models import ImportSource

    def make(kind: str, path: str = "", **fields):
        defaults = {
            "wordpress": "/wp-json/wp/v2/posts",
            "rss": "/feed/rss/",
            "atom": "/feed/atom/",
            "html": "/berita",
        }
        fields.setdefault("name", f"{kind} {path or defaults[kind]}")
        fields.setdefault("enabled", False)
        fields.setdefault("timeout", 5)
        if kind == "html":
            fields.setdefault("selectors", dict(HTML_SELECTORS))
        return ImportSource.objects.create(kind=kind, feed_url=news_server + (path or defaults[kind]), **fields)

    return make


@pytest.fixture
def news_index(db):
    """A HomePage as the default site's root with a NewsIndexPage under it."""
    from berita.models import NewsIndexPage
    from home.models import HomePage

    root = Page.get_first_root_node()
    home = HomePage(title="Beranda", slug="beranda-test")
    root.add_child(instance=home)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "site_name": "PPID"}
    )
    index = NewsIndexPage(title="Berita", slug="berita")
    home.add_child(instance=index)
    return index


def load_json(name: str):
    return json.loads((NEWS / "wordpress" / name).read_text())
