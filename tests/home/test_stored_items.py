"""Stored items (issue 20, ``home.stored``): with the response cache off, a public list or detail computes only the
items whose page changed since they were last serialised, and every change a reader could see still shows at once —
a publish, an image renamed, a linked page given a new slug, a page made private, the language asked; a logged-in
editor never gets an anonymous visitor's item; a cache outage computes everything.

The response cache stays off here (the test settings): every request runs its view."""

from __future__ import annotations

import datetime
import json
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction, Site

from berita.models import NewsIndexPage, NewsPage
from home.models import HomePageSlide, OrganisationSettings, StandardPage
from regulasi.models import RegulationIndexPage, RegulationPage

from .factories import add_child, make_document, make_image, make_profile, make_standard

pytestmark = pytest.mark.django_db

NEWS_FIELDS = "/api/v2/pages/?type=berita.NewsPage&fields=*&limit={n}"


@pytest.fixture
def site(home):
    """A news list of 6 articles (the newest with a picture), a regulation list, and a page whose body links to the
    first article."""
    Site.objects.get(is_default_site=True)
    news_index = add_child(home, NewsIndexPage(title="Berita", slug="berita"))
    picture = make_image(title="Foto Peluncuran")
    articles = []
    for number in range(6):
        article = NewsPage(title=f"Berita {number}", slug=f"berita-{number}", lead=f"Pembuka {number}.")
        article.date = timezone.make_aware(datetime.datetime(2026, 11, number + 1, 9))
        if number == 5:
            article.feature_image = picture
        articles.append(add_child(news_index, article))
    regulations = add_child(home, RegulationIndexPage(title="Regulasi", slug="regulasi"))
    law = add_child(
        regulations, RegulationPage(title="UU 14/2008", slug="uu-14", kind="uu", number="14", year=2008, about="KIP")
    )
    link = f'<p>Baca <a linktype="page" id="{articles[0].pk}">berita pertama</a>.</p>'
    linking = add_child(
        home,
        StandardPage(title="Tautan", slug="tautan", body=json.dumps([{"type": "paragraph", "value": link}])),
    )
    return {"home": home, "news": articles, "picture": picture, "law": law, "linking": linking}


def count(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:300]
    return len(queries), response


def titles(response) -> list[str]:
    body = response.json()
    return [item.get("title") for item in body.get("items", body.get("results", []))]


def test_a_stored_list_costs_the_same_queries_at_any_size_and_less_than_computing_it(client, site):
    client.get(NEWS_FIELDS.format(n=1))  # site root paths, content types
    computed, first = count(client, NEWS_FIELDS.format(n=6))
    stored_small, _ = count(client, NEWS_FIELDS.format(n=1))
    stored_large, again = count(client, NEWS_FIELDS.format(n=6))
    assert again.json() == first.json()
    assert stored_small == stored_large < computed


def test_publishing_one_page_recomputes_its_item_only(client, site):
    url = NEWS_FIELDS.format(n=6)
    client.get(url)
    all_stored, before = count(client, url)
    article = site["news"][3]
    article.title = "Berita 3 (diperbarui)"
    article.save_revision().publish()
    one_computed, after = count(client, url)
    assert "Berita 3 (diperbarui)" in titles(after)
    assert [item for item in after.json()["items"] if item["id"] != article.pk] == [
        item for item in before.json()["items"] if item["id"] != article.pk
    ]
    client.get(url)
    again, _ = count(client, url)
    assert all_stored == again < one_computed


@pytest.mark.parametrize(
    "url",
    ["/api/v2/news/?limit=6", "/api/v2/regulations/", "/api/v2/pages/?type=regulasi.RegulationPage&fields=*"],
)
def test_every_list_shows_a_publish_at_once(client, site, url):
    client.get(url)
    page = site["news"][0] if "news" in url else site["law"]
    page.title = page.title + " — edisi baru"
    page.save_revision().publish()
    assert page.title in titles(client.get(url))


def test_a_detail_shows_a_publish_and_a_page_made_private_is_gone(client, site):
    law = site["law"]
    url = f"/api/v2/pages/{law.pk}/"
    assert client.get(url).json()["title"] == "UU 14/2008"
    law.title = "UU 14/2008 tentang KIP"
    law.save_revision().publish()
    assert client.get(url).json()["title"] == "UU 14/2008 tentang KIP"
    PageViewRestriction.objects.create(page=law, restriction_type="password", password="rahasia")
    assert client.get(url).status_code == 404
    assert "UU 14/2008 tentang KIP" not in titles(client.get("/api/v2/regulations/"))


def test_a_renamed_image_shows_in_every_stored_item(client, site):
    url = NEWS_FIELDS.format(n=6)
    with_picture = site["news"][5].pk

    def picture_title():
        (item,) = [item for item in client.get(url).json()["items"] if item["id"] == with_picture]
        return item["feature_image"]["title"]

    assert picture_title() == "Foto Peluncuran"
    site["picture"].title = "Foto Peluncuran PPID"
    site["picture"].save()
    assert picture_title() == "Foto Peluncuran PPID"


def test_a_linked_page_with_a_new_slug_changes_the_link_in_the_stored_item(
    client, site, django_capture_on_commit_callbacks
):
    url = f"/api/v2/pages/{site['linking'].pk}/"
    assert "/berita/berita-0/" in json.dumps(client.get(url).json())
    first = site["news"][0]
    first.slug = "peluncuran-ppid"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail announces a new slug when it commits
        first.save_revision().publish()
    body = json.dumps(client.get(url).json())
    assert "/berita/peluncuran-ppid/" in body and "/berita/berita-0/" not in body


def test_each_language_gets_its_own_item(client, site):
    url = "/api/v2/regulations/"
    indonesian = client.get(url, HTTP_ACCEPT_LANGUAGE="id").json()["results"][0]
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]
    assert indonesian != english  # the kind's label is translated
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="id").json()["results"][0] == indonesian


def test_a_logged_in_officer_never_gets_the_anonymous_item(client, site, django_user_model):
    """A document in a collection private to logged-in users: the anonymous item leaves it out, a logged-in officer
    gets it (the same page, the same second), and the anonymous item stays without it."""
    private = Collection.get_first_root_node().add_child(name="Internal")
    CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)
    internal = make_document("Naskah internal", collection=private)
    body = [("document", {"document": internal, "title": ""})]
    page = make_standard(site["home"], title="Isi", slug="isi", body=body)
    url = f"/api/v2/pages/{page.pk}/"
    assert client.get(url).json()["body"][0]["value"] is None
    client.force_login(django_user_model.objects.create_user("pegawai", password="rahasia-123"))
    assert client.get(url).json()["body"][0]["value"]["id"] == internal.pk
    client.logout()
    assert client.get(url).json()["body"][0]["value"] is None


def test_a_cache_outage_computes_every_item(client, site, monkeypatch):
    import home.cache

    class BrokenCache:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("redis is down")

            return fail

    url = NEWS_FIELDS.format(n=6)
    expected = client.get(url).json()
    monkeypatch.setattr(home.cache, "cache_backend", BrokenCache)
    assert client.get(url).json() == expected
    assert client.get(f"/api/v2/pages/{site['law'].pk}/").json()["title"] == "UU 14/2008"
    assert client.get("/").status_code == 200


def test_the_home_page_shows_a_new_article_and_a_new_menu_entry_at_once(client, site):
    home = site["home"]
    assert "Berita 5" in client.get(home.url).content.decode()
    article = NewsPage(title="Kabar Terbaru Hari Ini", slug="kabar", lead="Baru.")
    article.date = timezone.make_aware(datetime.datetime(2026, 12, 1, 9))
    add_child(NewsIndexPage.objects.get(), article)
    page = client.get(home.url).content.decode()
    assert "Kabar Terbaru Hari Ini" in page
    about = add_child(home, StandardPage(title="Profil Singkat", slug="profil-singkat", show_in_menus=True))
    assert "Profil Singkat" in client.get(site["linking"].url).content.decode()  # the header of another page
    about.title = "Profil Lengkap"
    about.save_revision().publish()
    other = client.get(site["linking"].url).content.decode()
    assert "Profil Lengkap" in other and "Profil Singkat" not in other


def test_the_home_page_content_lives_no_longer_than_its_next_slide_change(rf, site):
    from django.contrib.auth.models import AnonymousUser

    from home import stored

    request = rf.get("/")
    request.user = AnonymousUser()
    soon = timezone.now() + datetime.timedelta(minutes=3)
    assert 0 < stored.seconds_until(soon) <= 180
    assert stored.seconds_until(timezone.now()) == 0
    assert stored.seconds_until(None) == stored.item_seconds()
    renders = []

    def render():
        renders.append(1)
        return "<p>isi</p>"

    for _ in range(2):  # already past: rendered every time, never stored
        assert stored.fragment(request, "past", {"page:1"}, render, until=timezone.now) == "<p>isi</p>"
    assert len(renders) == 2
    for _ in range(2):  # a slide changes in three minutes: stored until then
        assert stored.fragment(request, "soon", {"page:1"}, render, until=lambda: soon) == "<p>isi</p>"
    assert len(renders) == 3
    home = site["home"]
    assert home.public_cache_until() is None  # no slide with a schedule: only changes make it stale
    opens = timezone.now() + datetime.timedelta(hours=2)
    HomePageSlide.objects.create(page=home, image=site["picture"], title="Nanti", show_from=opens)
    assert home.public_cache_until() == opens


def test_the_home_page_api_shows_a_new_article_at_once(client, site):
    """The home page's item lists pages of any type (``latest_news``): any publish makes it stale."""
    url = f"/api/v2/pages/{site['home'].pk}/"
    assert "Berita 5" in [item["title"] for item in client.get(url).json()["latest_news"]]
    article = NewsPage(title="Kabar Terbaru Hari Ini", slug="kabar", lead="Baru.")
    article.date = timezone.make_aware(datetime.datetime(2026, 12, 1, 9))
    add_child(NewsIndexPage.objects.get(), article)
    assert client.get(url).json()["latest_news"][0]["title"] == "Kabar Terbaru Hari Ini"


def test_a_renamed_replacement_shows_in_the_replaced_regulation(client, site):
    """A revoked regulation names the one that replaced it (title and URL): renaming the replacement shows in the
    replaced one's list item and detail, in both APIs."""
    law = site["law"]
    successor = add_child(
        law.get_parent(),
        RegulationPage(title="UU 1/2026", slug="uu-1-2026", kind="uu", number="1", year=2026, about="KIP baru"),
    )
    law.status, law.replaced_by = "dicabut", successor
    law.save_revision().publish()
    urls = ["/api/v2/regulations/", "/api/v2/pages/?type=regulasi.RegulationPage&fields=*", f"/api/v2/pages/{law.pk}/"]

    def replaced_by_titles():
        found = []
        for url in urls:
            body = client.get(url).json()
            items = body.get("results", body.get("items", [body]))
            found += [item["replaced_by"]["title"] for item in items if item["id"] == law.pk]
        return found

    assert replaced_by_titles() == ["UU 1/2026"] * 3
    successor.title = "UU 1/2026 tentang KIP"
    successor.save_revision().publish()
    assert replaced_by_titles() == ["UU 1/2026 tentang KIP"] * 3


def test_a_renamed_parent_shows_in_the_detail(client, site):
    article = site["news"][0]
    url = f"/api/v2/pages/{article.pk}/"
    assert client.get(url).json()["meta"]["parent"]["title"] == "Berita"
    index = NewsIndexPage.objects.get()
    index.title = "Berita Kementerian"
    index.save_revision().publish()
    assert client.get(url).json()["meta"]["parent"]["title"] == "Berita Kementerian"


def test_the_ppid_profile_shows_a_renamed_or_unpublished_regulation_of_its_legal_basis(client, site):
    law = site["law"]
    profile = make_profile(site["home"], legal_basis=[("regulation", law)])
    url = f"/api/v2/pages/{profile.pk}/"
    client.get(url)  # the first read creates the site's settings (a change of everything)
    assert client.get(url).json()["legal_basis"][0]["value"]["title"] == "UU 14/2008"
    law.title = "UU 14/2008 tentang KIP"
    law.save_revision().publish()
    assert client.get(url).json()["legal_basis"][0]["value"]["title"] == "UU 14/2008 tentang KIP"
    law.unpublish()
    assert client.get(url).json()["legal_basis"][0]["value"] is None


def test_the_home_page_api_drops_a_slide_when_its_window_closes(client, site):
    """A slide's display window is time, not a change: the stored item lives no longer than the window."""
    home = site["home"]
    HomePageSlide.objects.create(
        page=home, image=site["picture"], title="Sebentar", show_until=timezone.now() + datetime.timedelta(seconds=2)
    )
    url = f"/api/v2/pages/{home.pk}/"
    assert [slide["title"] for slide in client.get(url).json()["slides"]] == ["Sebentar"]
    time.sleep(2.2)
    assert client.get(url).json()["slides"] == []
    assert "Sebentar" not in client.get(home.url).content.decode()


def sql_of(client, url) -> list[str]:
    """The SQL of the queries ``GET url`` runs, lower case."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"].lower() for query in queries.captured_queries]


def test_what_every_public_read_asks_is_kept_per_version_and_a_change_shows_at_once(client, site):
    """``home.memo``: the site, the view restrictions and the organisation's settings are not read again by the
    next anonymous visitor; a change of any of them shows at once (each bumps the global version)."""
    home, law = site["home"], site["law"]
    settings_ = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))  # created: a global change
    client.get(home.url)
    again = sql_of(client, home.url)
    assert not [q for q in again if "organisationsettings" in q or "wagtailcore_site" in q], again

    settings_.name = "Kementerian Contoh Baru"
    settings_.save()
    page = client.get(home.url).content.decode()
    assert "<title>" in page and "— Kementerian Contoh Baru</title>" in page

    listed = "/api/v2/pages/?type=regulasi.RegulationPage"
    assert law.pk in [item["id"] for item in client.get(listed).json()["items"]]
    assert not [q for q in sql_of(client, listed) if "pageviewrestriction" in q]
    PageViewRestriction.objects.create(page=law, restriction_type="password", password="rahasia")
    assert law.pk not in [item["id"] for item in client.get(listed).json()["items"]]
    assert "UU 14/2008" not in titles(client.get("/api/v2/regulations/"))

    site_row = Site.objects.get(is_default_site=True)
    site_row.root_page = site["news"][0].get_parent()  # the news index now answers this host
    site_row.save()
    assert [item["id"] for item in client.get(listed).json()["items"]] == []


@pytest.mark.parametrize("kind", ["typed", "detail", "news", "regulations"])
def test_stored_items_are_spliced_in_as_rendering_would_write_them(client, site, settings, monkeypatch, kind):
    """Items are stored as rendered JSON (``home.absolute_urls.EncodedJSON``) and spliced into the answer: the bytes
    are those of an answer computed from scratch; asked indented, the same data comes indented."""
    from home import stored
    from home.absolute_urls import EncodedJSON

    fetched = []
    fetch_many = stored.fetch_many

    def recording(*args, **kwargs):
        items = fetch_many(*args, **kwargs)
        fetched.append(items)
        return items

    monkeypatch.setattr(stored, "fetch_many", recording)
    url = {
        "typed": NEWS_FIELDS.format(n=6),
        "detail": f"/api/v2/pages/{site['news'][5].pk}/",
        "news": "/api/v2/news/",
        "regulations": "/api/v2/regulations/",
    }[kind]
    client.get(url)
    fetched.clear()
    spliced = client.get(url).content
    # The path, not only the result: what the store answered is rendered JSON, spliced without a second encode.
    assert fetched and fetched[0] and all(isinstance(item, EncodedJSON) for item in fetched[0])
    settings.PESAN_STORED_ITEMS_SECONDS = 0
    computed = client.get(url).content
    assert spliced == computed and b'"http://' in spliced  # absolute links inside the stored items too
    settings.PESAN_STORED_ITEMS_SECONDS = 300
    indented = client.get(url, HTTP_ACCEPT="application/json; indent=4").content
    assert json.loads(indented) == json.loads(computed) and b'\n    "' in indented
