"""Site-wide search ``/cari/``: every public page type, nothing private or unpublished, paginated, labelled."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import PageViewRestriction

from berita.models import NewsIndexPage, NewsPage
from home.views import SEARCH_PAGE_SIZE
from regulasi.models import RegulationIndexPage, RegulationPage
from tests.conftest import requires_postgres

from .factories import add_child, make_entry, make_profile, make_standard

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_pages(home, units, dip_index):
    """One live page of every type mentioning "anggaran", plus a draft and a restricted page that also do."""
    news_index = add_child(home, NewsIndexPage(title="Berita", slug="berita"))
    reg_index = add_child(home, RegulationIndexPage(title="Regulasi", slug="regulasi"))
    pages = {
        "news": add_child(
            news_index,
            NewsPage(
                title="Rapat koordinasi",
                slug="rapat",
                date=timezone.make_aware(datetime.datetime(2026, 3, 4, 9, 0)),
                lead="Pembahasan realisasi anggaran triwulan pertama.",
            ),
        ),
        "regulation": add_child(
            reg_index,
            RegulationPage(
                title="Peraturan Menteri Nomor 7 Tahun 2024 tentang Pengelolaan Anggaran",
                slug="permen-7-2024",
                kind="permen",
                number="7",
                year=2024,
                about="Pengelolaan Anggaran",
                issued_on=datetime.date(2024, 5, 2),
            ),
        ),
        "dip": make_entry(
            dip_index, units["SES"], title="Laporan keuangan 2025", summary="Laporan realisasi anggaran tahunan."
        ),
        "standard": make_standard(home, title="Tentang kami", slug="tentang", intro="Transparansi anggaran publik."),
        "profile": make_profile(home, vision="<p>Terwujudnya pengelolaan anggaran yang terbuka.</p>"),
    }
    pages["draft"] = add_child(
        news_index, NewsPage(title="Draf anggaran rahasia", slug="draf", lead="anggaran"), publish=False
    )
    pages["restricted"] = make_standard(home, title="Anggaran internal", slug="internal", intro="anggaran")
    PageViewRestriction.objects.create(page=pages["restricted"], restriction_type="login")
    return pages


def test_search_finds_every_public_page_type_with_label_date_and_snippet(client, site_pages):
    response = client.get("/cari/", {"q": "anggaran"})
    assert response.status_code == 200
    html = response.content.decode()
    found = {r.page.pk for r in response.context["results"]}
    expected = {site_pages[k].pk for k in ("news", "regulation", "dip", "standard", "profile")}
    assert expected <= found
    # drafts and view-restricted pages are never found
    assert site_pages["draft"].pk not in found and site_pages["restricted"].pk not in found
    assert "Draf anggaran rahasia" not in html and "Anggaran internal" not in html
    by_pk = {r.page.pk: r for r in response.context["results"]}
    news = by_pk[site_pages["news"].pk]
    assert news.type_label == "Halaman berita"  # Indonesian by default
    assert news.snippet == "Pembahasan realisasi anggaran triwulan pertama."
    assert by_pk[site_pages["regulation"].pk].date == datetime.date(2024, 5, 2)
    assert "2 Mei 2024" in html and "4 Maret 2026" in html
    assert by_pk[site_pages["dip"].pk].snippet == "Laporan realisasi anggaran tahunan."
    assert 'href="/regulasi/permen-7-2024/"' in html


def test_search_form_is_labelled_and_linked_from_the_header(client, home):
    html = client.get("/cari/").content.decode()
    assert '<label for="search-q">' in html and 'id="search-q"' in html
    assert 'role="search"' in html
    # the header of every page has a labelled search box pointing here
    home_html = client.get("/").content.decode()
    assert 'action="/cari/"' in home_html and 'for="header-search-q"' in home_html


def test_search_words_must_all_match(client, site_pages):
    response = client.get("/cari/", {"q": "anggaran triwulan"})
    assert [r.page.pk for r in response.context["results"]] == [site_pages["news"].pk]
    response = client.get("/cari/", {"q": "kata-yang-tidak-ada"})
    assert response.context["results"] == []
    with translation.override("id"):
        nothing = gettext("Nothing found. Try other or fewer words.")
    assert nothing in response.content.decode()


def test_search_paginates_with_the_query_kept(client, home):
    news_index = add_child(home, NewsIndexPage(title="Berita", slug="berita"))
    for i in range(SEARCH_PAGE_SIZE + 3):
        add_child(news_index, NewsPage(title=f"Sosialisasi keterbukaan {i}", slug=f"sos-{i}"))
    first = client.get("/cari/", {"q": "sosialisasi"})
    assert len(first.context["results"]) == SEARCH_PAGE_SIZE
    assert first.context["page_obj"].paginator.count == SEARCH_PAGE_SIZE + 3
    assert 'href="?q=sosialisasi&amp;page=2"' in first.content.decode()
    second = client.get("/cari/", {"q": "sosialisasi", "page": "2"})
    assert len(second.context["results"]) == 3
    assert not {r.page.pk for r in first.context["results"]} & {r.page.pk for r in second.context["results"]}
    # nonsense page numbers never fail
    assert client.get("/cari/", {"q": "sosialisasi", "page": "abc"}).status_code == 200
    assert len(client.get("/cari/", {"q": "sosialisasi", "page": "99"}).context["results"]) == 3


def test_empty_and_overlong_queries(client, home):
    response = client.get("/cari/", {"q": "   "})
    assert response.status_code == 200 and response.context["results"] is None
    response = client.get("/cari/", {"q": "a" * 5000})
    assert response.status_code == 200 and len(response.context["query"]) == 200


def test_search_page_in_english(client, site_pages):
    client.get("/bahasa/en/", {"next": "/cari/"})
    response = client.get("/cari/", {"q": "anggaran"})
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Search news, regulations, public information and pages" in html
    labels = {r.type_label for r in response.context["results"]}
    assert "News page" in labels


@requires_postgres
def test_indonesian_stemming_on_postgres(client, home):
    """PostgreSQL's ``indonesian`` snowball stemmer: "peraturan", "diatur" and "aturan" share the stem "atur"."""
    page = make_standard(home, title="Tata tertib", slug="tata-tertib", intro="Jam layanan diatur oleh pimpinan.")
    response = client.get("/cari/", {"q": "peraturan"})
    assert page.pk in {r.page.pk for r in response.context["results"]}
    response = client.get("/cari/", {"q": "keterbukaan"})
    assert page.pk not in {r.page.pk for r in response.context["results"]}
