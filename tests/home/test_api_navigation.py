"""The navigation API (/api/v2/navigation/), pages by path (/api/v2/pages/find/?html_path=), one listing shape
on every paginated list, and the hint for type-specific fields without ?type= (issue 19)."""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from wagtail.models import PageViewRestriction

from home.absolute_urls import root_url

from .factories import add_child, make_dip_index, make_entry, make_standard

pytestmark = pytest.mark.django_db


def _menu_page(parent, title, slug, in_menu=True, **fields):
    return make_standard(parent, title=title, slug=slug, show_in_menus=in_menu, **fields)


def test_navigation_is_the_menu_of_the_reference_site_with_children(client, home):
    about = _menu_page(home, "Tentang", "tentang")
    _menu_page(about, "Visi", "visi")
    _menu_page(about, "Tersembunyi", "tersembunyi", in_menu=False)
    secret = _menu_page(about, "Rahasia", "rahasia")
    PageViewRestriction.objects.create(page=secret, restriction_type="password", password="x")
    _menu_page(home, "Kontak", "kontak")
    _menu_page(home, "Arsip", "arsip", in_menu=False)

    response = client.get("/api/v2/navigation/")
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    root = root_url()  # the API's one root URL (home.absolute_urls)
    assert [item["title"] for item in items] == ["Beranda", "Tentang", "Kontak", "Layanan daring", "Cek status tiket"]
    assert [child["title"] for child in items[1]["children"]] == ["Visi"]
    assert items[1]["page"]["type"] == "home.StandardPage"
    assert items[1]["page"]["detail_url"].endswith(f"/api/v2/pages/{about.pk}/")
    assert items[1]["url"] == f"{root}/tentang/"
    assert items[1]["children"][0]["url"] == f"{root}/tentang/visi/"
    assert items[3] == {
        "title": "Layanan daring",
        "url": f"{root}/layanan/",
        "kind": "link",
        "page": None,
        "children": [],
    }

    # the reference site renders the same first level, in the same order
    html = client.get("/").content.decode()
    nav = html.split('id="site-nav"', 1)[1].split("</ul>", 1)[0]
    for item in items:
        assert f">{item['title']}</a>" in nav
    assert nav.index(">Tentang<") < nav.index(">Kontak<") < nav.index(">Layanan daring<")


def test_navigation_query_count_does_not_grow_with_the_menu(client, home, django_assert_max_num_queries):
    for i in range(6):
        page = _menu_page(home, f"Menu {i}", f"menu-{i}")
        _menu_page(page, f"Sub {i}", f"sub-{i}")
    with django_assert_max_num_queries(12):
        items = client.get("/api/v2/navigation/").json()["items"]
    assert len(items) == 9 and all(len(item["children"]) == 1 for item in items[1:7])


def test_find_by_html_path_redirects_to_the_page(client, home):
    about = _menu_page(home, "Tentang", "tentang")
    visi = _menu_page(about, "Visi", "visi")
    response = client.get("/api/v2/pages/find/", {"html_path": "/tentang/visi/"})
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    assert detail.json()["id"] == visi.pk
    assert client.get("/api/v2/pages/find/", {"html_path": "/tidak-ada/"}).status_code == 404


def test_find_by_html_path_keeps_restricted_pages_hidden(client, home):
    secret = _menu_page(home, "Rahasia", "rahasia")
    PageViewRestriction.objects.create(page=secret, restriction_type="password", password="x")
    assert client.get("/api/v2/pages/find/", {"html_path": "/rahasia/"}).status_code == 404


# --- one listing shape ---------------------------------------------------------------------------------------
def test_wagtail_listing_has_count_next_previous_and_meta_links(client, home):
    for i in range(5):
        make_standard(home, title=f"H{i}", slug=f"h{i}")
    body = client.get("/api/v2/pages/?type=home.StandardPage&limit=2&offset=2").json()
    assert body["count"] == body["meta"]["total_count"] == 5
    assert len(body["items"]) == 2
    assert body["next"] == body["meta"]["next"]
    assert "offset=4" in body["next"] and "limit=2" in body["next"]
    assert body["previous"] == body["meta"]["previous"]
    assert "offset" not in body["previous"] and "limit=2" in body["previous"]
    last = client.get(body["next"]).json()
    assert [len(last["items"]), last["next"]] == [1, None]


def test_drf_listing_has_meta_as_the_wagtail_listings(client, home, units):
    index = make_dip_index(home)
    for i in range(3):
        make_entry(index, units["DEP1"], title=f"Informasi {i}", slug=f"informasi-{i}")
    body = client.get("/api/v2/public-information/?limit=2").json()
    assert body["count"] == body["meta"]["total_count"] == 3
    assert body["meta"]["next"] == body["next"] and "offset=2" in body["next"]
    assert body["meta"]["previous"] is None
    assert len(body["results"]) == 2


def test_common_listing_shape_on_every_paginated_list(client, home):
    for url in ("/api/v2/pages/", "/api/v2/images/", "/api/v2/documents/", "/api/v2/news/", "/api/v2/regulations/"):
        body = client.get(url).json()
        assert {"count", "next", "previous", "meta"} <= set(body), url
        assert set(body["meta"]) == {"total_count", "next", "previous"}, url
        assert body["count"] == body["meta"]["total_count"], url


def test_type_specific_fields_without_type_say_which_type_to_add(client, home):
    news_index = add_child(home, apps.get_model("berita", "NewsIndexPage")(title="Berita", slug="berita"))
    add_child(news_index, apps.get_model("berita", "NewsPage")(title="A", date=timezone.now() - timedelta(1)))
    response = client.get(f"/api/v2/pages/?child_of={news_index.pk}&fields=date,lead")
    assert response.status_code == 400
    message = response.json()["message"]
    assert "berita.NewsPage" in message and "type=berita.NewsPage" in message
    # asking as the message says works
    ok = client.get(f"/api/v2/pages/?child_of={news_index.pk}&type=berita.NewsPage&fields=date,lead")
    assert ok.status_code == 200 and ok.json()["items"][0]["lead"] is not None


def test_schema_describes_navigation_renditions_and_the_listing_shape():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths, components = schema["paths"], schema["components"]["schemas"]
    navigation = paths["/api/v2/navigation/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert navigation == {"$ref": "#/components/schemas/Navigation"}
    assert "children" in components["NavigationItem"]["properties"]
    for path in ("/api/v2/images/", "/api/v2/images/{id}/"):
        params = {param["name"]: param for param in paths[path]["get"]["parameters"]}
        assert re.fullmatch(params["rendition"]["schema"]["pattern"].strip("^$"), "width-800|format-webp")
    finds = {param["name"] for param in paths["/api/v2/pages/find/"]["get"]["parameters"]}
    assert "html_path" in finds
    for name in ("WagtailListing", "WagtailImageListing", "PaginatedRegulationList", "PaginatedNewsListList"):
        properties = components[name]["properties"]
        assert {"count", "next", "previous", "meta"} <= set(properties), name
