"""One set of absolute URLs (issue 19): every URL of the site in an API answer starts with the configured root URL.

The demo content is seeded with a root URL (``WAGTAILADMIN_BASE_URL``) on an unusual port, the Wagtail ``Site``
is then set to another address (``localhost:80``, as the demo used to be seeded), and every request arrives on a
third host. Each public GET endpoint under ``/api/v2/`` (walked from the URL configuration, list and detail, every
page type, the ``find`` redirect, the draft preview) is fetched and its JSON walked: every absolute URL of the site
(in values and inside rich-text HTML) must have the root URL's scheme, host and port, and rich text has no
root-relative links left. Links to other sites (a news source, a social-media account) are not the site's and
are not checked.
"""

from __future__ import annotations

import io
import json
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.models import Page, Site

from home import demo as home_demo
from home.absolute_urls import site_address
from home.models import StandardPage
from home.preview import create_preview_token

pytestmark = pytest.mark.django_db

ROOT = "http://portal.example.go.id:8123"
#: The host the requests arrive on (a proxy's internal name): must never show in an answer.
REQUEST_HOST = "api-intern.example.go.id:9000"
#: Hosts that are the site under another name; an absolute URL on any of them must be ROOT's.
OWN_HOSTS = {"portal.example.go.id", "api-intern.example.go.id", "localhost", "127.0.0.1", "testserver"}
_URL = re.compile(r"https?://[^\s\"'<>)]+")
_ROOT_RELATIVE_LINK = re.compile(r'\b(?:href|src)="/(?!/)')


@pytest.fixture
def root_url(settings):
    settings.WAGTAILADMIN_BASE_URL = ROOT
    settings.WAGTAILAPI_BASE_URL = ROOT
    return ROOT


@pytest.fixture
def seeded(root_url):
    call_command("seed_demo", stdout=io.StringIO())
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("portal.example.go.id", 8123)  # seeded from the root URL
    Site.objects.filter(pk=site.pk).update(hostname="localhost", port=80)  # and edited away from it later
    return site


def _api_routes() -> list[str]:
    """Every GET route under ``/api/v2/`` as a path with Django's converters left in (``<int:pk>``)."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return ["/" + route.replace("^", "") for route in walk(get_resolver().url_patterns) if route.startswith("api/v2/")]


def _get(client, url):
    return client.get(url, HTTP_HOST=REQUEST_HOST)


def _strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def _relative_link_values(value, key=""):
    """Root-relative values of link keys (``url``, ``href``, ``*_url``) — a rendition's ``url`` beside its
    ``full_url`` excepted."""
    if isinstance(value, dict):
        for name, item in value.items():
            if name == "url" and "full_url" in value:
                continue
            yield from _relative_link_values(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from _relative_link_values(item, key)
    elif isinstance(value, str) and (key in ("url", "href") or key.endswith("_url")) and value[:1] == "/" != value[1:2]:
        yield f"{key}={value}"


def _check(url: str, body, problems: list[str]) -> None:
    root = urlsplit(ROOT)
    problems.extend(f"{url}: root-relative {found}" for found in _relative_link_values(body))
    for text in _strings(body):
        for found in _URL.findall(text):
            parts = urlsplit(found)
            if parts.hostname in OWN_HOSTS and (parts.scheme, parts.netloc) != (root.scheme, root.netloc):
                problems.append(f"{url}: {found}")
        if _ROOT_RELATIVE_LINK.search(text):
            problems.append(f"{url}: root-relative link in HTML: {text[:120]}")


def _first_id(body) -> int | None:
    rows = body.get("items") or body.get("results") or [] if isinstance(body, dict) else body
    return rows[0]["id"] if rows and isinstance(rows[0], dict) and "id" in rows[0] else None


def test_every_api_answer_uses_one_root_url(client, seeded):
    checked, problems = [], []
    routes = _api_routes()
    listings = {}
    for route in routes:
        if "<" in route or route.endswith("/find/") or "webhook" in route:
            continue
        response = _get(client, route)
        if response.status_code != 200 or not response["Content-Type"].startswith("application/json"):
            continue  # POST-only forms (405), endpoints that need parameters or a token
        body = response.json()
        listings[route] = body
        _check(route, body, problems)
        checked.append(route)

    for route in routes:  # detail routes: the first item of the listing beside them
        if route.count("<") != 1 or "<int:" not in route:
            continue
        listing = route.split("<", 1)[0]
        item_id = _first_id(listings.get(listing, {}))
        if item_id is None:
            continue
        url = re.sub(r"<int:\w+>", str(item_id), route)
        response = _get(client, url)
        assert response.status_code == 200, (url, response.content[:300])
        _check(url, response.json(), problems)
        checked.append(url)

    # One detail answer per page type (every field: ?fields=* is the default of a detail answer).
    for page in {type(page): page for page in Page.objects.live().specific().filter(depth__gt=1)}.values():
        url = f"/api/v2/pages/{page.pk}/"
        response = _get(client, url)
        assert response.status_code == 200, (url, response.content[:300])
        _check(url, response.json(), problems)
        checked.append(f"{url} ({type(page).__name__})")
    assert len([c for c in checked if c.endswith("Page)")]) >= 9  # home, standard, profile, DIP x2, news x2, …

    # The find redirects: their Location.
    page = Page.objects.live().filter(depth=3).first()
    for url in ["/api/v2/pages/find/?html_path=/", f"/api/v2/pages/find/?id={page.pk}"]:
        response = _get(client, url)
        assert response.status_code == 302, url
        _check(url, [response["Location"]], problems)
        assert response["Location"].startswith(ROOT + "/api/v2/pages/")
        checked.append(url)

    # The draft preview of a front end.
    token = create_preview_token(page.specific)
    url = f"/api/v2/page_preview/?token={token}"
    _check(url, _get(client, url).json(), problems)

    expected = {"/api/v2/pages/", "/api/v2/images/", "/api/v2/documents/", "/api/v2/news/", "/api/v2/regulations/"}
    expected |= {"/api/v2/public-information/", "/api/v2/public-information/exempt/", "/api/v2/site/"}
    assert expected <= set(checked), expected - set(checked)
    assert not problems, "\n".join(problems)


def test_pages_api_links_in_rich_text_and_files_share_the_root_url(client, seeded):
    """The three URLs the issue saw disagree, and a rich-text link, in one answer of the pages API."""
    entry = next(
        page
        for page in Page.objects.live().specific()
        if type(page).__name__ == "PublicInformationPage" and page.document_ids()
    )
    body = _get(client, f"/api/v2/pages/{entry.pk}/").json()
    text = json.dumps(body)
    assert body["meta"]["detail_url"] == f"{ROOT}/api/v2/pages/{entry.pk}/"
    assert body["meta"]["html_url"].startswith(ROOT + "/")
    assert f'"url": "{ROOT}/documents/' in text
    assert REQUEST_HOST not in text and "localhost" not in text


def test_rich_text_links_are_absolute_in_the_api_and_relative_on_the_site(client, root_url, home):
    target = home.add_child(instance=StandardPage(title="Tujuan", slug="tujuan"))
    page = home.add_child(
        instance=StandardPage(
            title="Dengan tautan",
            slug="dengan-tautan",
            body=[("paragraph", f'<p>Lihat <a linktype="page" id="{target.pk}">tujuan</a>.</p>')],
        )
    )
    body = _get(client, f"/api/v2/pages/{page.pk}/").json()
    assert f'<a href="{ROOT}/tujuan/">tujuan</a>' in json.dumps(body["body"], ensure_ascii=False).replace('\\"', '"')
    html = _get(client, "/dengan-tautan/").content.decode()
    assert '<a href="/tujuan/">tujuan</a>' in html  # the reference site keeps root-relative links


def test_demo_site_follows_the_root_url(settings):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8765"
    assert site_address() == ("127.0.0.1", 8765)
    home_demo.seed(io.StringIO())
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8765)
