"""``GET /api/v2/regulations/`` (DRF) and the regulation page types in the Wagtail pages API."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from regulasi.models import RegulationStatus

LIST_URL = "/api/v2/regulations/"

pytestmark = pytest.mark.django_db


def _get(client, params=None, **headers):
    response = client.get(LIST_URL, params or {}, **headers)
    return response


def _titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


def _document(title="Salinan", collection=None, content=b"%PDF-1.4 test document\n"):
    document_model = get_document_model()
    document = document_model(title=title, collection=collection or Collection.get_first_root_node())
    document.file.save(f"{title.lower().replace(' ', '-')}.pdf", ContentFile(content), save=False)
    document.file_size = len(content)
    document.save()
    return document


def _private_collection():
    collection = Collection.get_first_root_node().add_child(name="Internal")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.PASSWORD, password="rahasia"
    )
    return collection


def test_list_item_has_every_documented_field(client, make_regulation):
    newer = make_regulation(kind="perki", number="1", year=2021, about="Standar Layanan Informasi Publik")
    document = _document("Salinan PerKI 1 2010")
    old = make_regulation(
        kind="perki",
        number="1",
        year=2010,
        about="Standar Layanan Informasi Publik",
        status=RegulationStatus.REVOKED,
        replaced_by=newer,
        issued_on=datetime.date(2010, 4, 30),
        subjects=["Keterbukaan Informasi"],
        document=document,
        abstract=f'<p>Diganti <a linktype="page" id="{newer.pk}">PerKI 1/2021</a>.</p>',
    )

    response = _get(client, {"year": 2010})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["results"][0]
    assert item["id"] == old.pk
    assert item["title"] == old.title
    assert item["kind"] == "perki"
    assert item["kind_display"] == "Peraturan Komisi Informasi"
    assert item["number"] == "1"
    assert item["year"] == 2010
    assert item["about"] == "Standar Layanan Informasi Publik"
    assert item["issued_on"] == "2010-04-30"
    assert item["status"] == "dicabut"
    assert item["replaced_by"]["id"] == newer.pk
    assert item["replaced_by"]["title"] == newer.title
    assert item["replaced_by"]["url"].startswith("http") and item["replaced_by"]["url"].endswith(f"/{newer.slug}/")
    assert item["subjects"] == [{"name": "Keterbukaan Informasi", "slug": "keterbukaan-informasi"}]
    assert item["document"]["title"] == "Salinan PerKI 1 2010"
    assert item["document"]["size"] == document.file_size
    assert item["document"]["url"].startswith("http") and item["document"]["url"].endswith(".pdf")
    # Rich text reaches clients as display HTML: internal links resolved, no Wagtail-internal markup.
    assert "<embed" not in item["abstract"] and "linktype=" not in item["abstract"]
    assert f'href="http://testserver{newer.url}"' in item["abstract"]  # absolute: the root URL (issue 19)
    assert item["url"].endswith(f"/regulasi/{old.slug}/")
    assert item["meta"]["type"] == "regulasi.RegulationPage"
    assert item["meta"]["detail_url"].endswith(f"/api/v2/regulations/{old.pk}/")
    assert item["meta"]["slug"] == old.slug


def test_detail_returns_one_regulation_and_404_for_drafts(client, make_regulation):
    live = make_regulation(number="14", year=2008, about="Keterbukaan Informasi Publik")
    draft = make_regulation(number="99", year=2024, about="Rancangan", live=False)

    response = client.get(f"{LIST_URL}{live.pk}/")
    assert response.status_code == 200
    assert response.json()["title"] == live.title
    assert client.get(f"{LIST_URL}{draft.pk}/").status_code == 404
    assert client.get(f"{LIST_URL}987654/").status_code == 404


def test_empty_issued_on_and_replaced_by_are_null(client, make_regulation):
    make_regulation(number="61", year=2010, about="Pelaksanaan UU 14/2008")
    item = _get(client).json()["results"][0]
    assert item["issued_on"] is None
    assert item["replaced_by"] is None
    assert item["document"] is None
    assert item["subjects"] == []


@pytest.mark.parametrize("kind", ["uu", "pp", "perpres", "permen", "perki", "kepmen", "se", "other"])
def test_filter_by_kind(client, make_regulation, kind):
    wanted = make_regulation(kind=kind, number="7", year=2019, about="Yang dicari")
    other_kind = "pp" if kind == "uu" else "uu"
    make_regulation(kind=other_kind, number="7", year=2019, about="Yang lain")
    assert _titles(_get(client, {"kind": kind})) == [wanted.title]


def test_filter_by_year_and_year_range(client, make_regulation):
    a = make_regulation(number="1", year=2008, about="A")
    b = make_regulation(number="2", year=2010, about="B")
    c = make_regulation(number="3", year=2022, about="C")
    assert _titles(_get(client, {"year": 2010})) == [b.title]
    assert set(_titles(_get(client, {"year_min": 2009}))) == {b.title, c.title}
    assert set(_titles(_get(client, {"year_max": 2010}))) == {a.title, b.title}
    assert _titles(_get(client, {"year": 1999})) == []


def test_filter_by_status(client, make_regulation):
    in_force = make_regulation(number="1", about="Berlaku")
    amended = make_regulation(number="2", about="Diubah", status=RegulationStatus.AMENDED)
    revoked = make_regulation(number="3", about="Dicabut", status=RegulationStatus.REVOKED)
    assert _titles(_get(client, {"status": "berlaku"})) == [in_force.title]
    assert _titles(_get(client, {"status": "diubah"})) == [amended.title]
    assert _titles(_get(client, {"status": "dicabut"})) == [revoked.title]


def test_filter_by_subject_slug_or_name(client, make_regulation):
    pdp = make_regulation(number="27", year=2022, about="Pelindungan Data Pribadi", subjects=["Data Pribadi"])
    both = make_regulation(number="14", year=2008, about="KIP", subjects=["Keterbukaan Informasi", "Data Pribadi"])
    make_regulation(number="25", year=2009, about="Pelayanan Publik", subjects=["Pelayanan Publik"])
    assert set(_titles(_get(client, {"subject": "data-pribadi"}))) == {pdp.title, both.title}
    assert _titles(_get(client, {"subject": "keterbukaan informasi"})) == [both.title]
    assert _titles(_get(client, {"subject": "tidak-ada"})) == []


def test_combined_filters_and(client, make_regulation):
    wanted = make_regulation(kind="uu", number="14", year=2008, about="KIP", subjects=["Keterbukaan Informasi"])
    make_regulation(kind="uu", number="25", year=2009, about="PP", subjects=["Keterbukaan Informasi"])
    make_regulation(kind="pp", number="61", year=2008, about="Pelaksanaan", subjects=["Keterbukaan Informasi"])
    params = {"kind": "uu", "year": 2008, "subject": "keterbukaan-informasi", "status": "berlaku"}
    assert _titles(_get(client, params)) == [wanted.title]


def test_search_matches_all_words_in_title_about_number_and_abstract(client, make_regulation):
    kip = make_regulation(
        number="14",
        year=2008,
        about="Keterbukaan Informasi Publik",
        title="Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik",
    )
    wbs = make_regulation(
        kind="permen",
        number="3/2022",
        year=2022,
        about="Pengelolaan Pengaduan",
        title="Peraturan Menteri Nomor 3/2022 tentang Pengelolaan Pengaduan",
        abstract="<p>Mengatur <b>whistleblowing</b> di lingkungan kementerian.</p>",
    )
    make_regulation(number="25", year=2009, about="Pelayanan Publik", title="UU 25/2009 tentang Pelayanan Publik")

    assert _titles(_get(client, {"search": "informasi keterbukaan"})) == [kip.title]
    assert _titles(_get(client, {"search": "KETERBUKAAN"})) == [kip.title]
    assert _titles(_get(client, {"search": "14/2008"})) == [kip.title]
    assert _titles(_get(client, {"search": "whistleblowing"})) == [wbs.title]
    assert _titles(_get(client, {"search": "3/2022"})) == [wbs.title]
    assert _titles(_get(client, {"search": "informasi pelayanan"})) == []


def test_ordering(client, make_regulation):
    r2 = make_regulation(number="2", year=2010, about="Beta", issued_on=datetime.date(2010, 5, 1), title="B dua")
    r14 = make_regulation(number="14", year=2008, about="Alfa", issued_on=None, title="A empat belas")
    r1 = make_regulation(number="1", year=2021, about="Gama", issued_on=datetime.date(2021, 1, 2), title="C satu")

    assert _titles(_get(client, {"ordering": "number"})) == [r1.title, r2.title, r14.title]
    assert _titles(_get(client, {"ordering": "-number"})) == [r14.title, r2.title, r1.title]
    assert _titles(_get(client, {"ordering": "year"})) == [r14.title, r2.title, r1.title]
    assert _titles(_get(client, {"ordering": "-year"})) == [r1.title, r2.title, r14.title]
    assert _titles(_get(client, {"ordering": "title"})) == [r14.title, r2.title, r1.title]
    # Unknown dates sort last in both directions.
    assert _titles(_get(client, {"ordering": "issued_on"})) == [r2.title, r1.title, r14.title]
    assert _titles(_get(client, {"ordering": "-issued_on"})) == [r1.title, r2.title, r14.title]
    # Default: newest year first.
    assert _titles(_get(client)) == [r1.title, r2.title, r14.title]


def test_pagination_limit_offset(client, make_regulation):
    pages = [make_regulation(number=str(n), year=2000 + n, about=f"Ke-{n}") for n in range(1, 6)]
    newest_first = [page.title for page in reversed(pages)]

    first = _get(client, {"limit": 2})
    assert first.json()["count"] == 5
    assert _titles(first) == newest_first[:2]
    assert "offset=2" in first.json()["next"]
    assert first.json()["previous"] is None
    assert _titles(_get(client, {"limit": 2, "offset": 4})) == newest_first[4:]
    assert _get(client, {"limit": 2, "offset": 4}).json()["next"] is None


def test_drafts_and_private_pages_are_not_listed(client, make_regulation, index_page):
    public = make_regulation(number="1", about="Publik")
    make_regulation(number="2", about="Draf", live=False)
    private = make_regulation(number="3", about="Rahasia")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")

    assert _titles(_get(client)) == [public.title]
    assert client.get(f"{LIST_URL}{private.pk}/").status_code == 404


def test_document_in_private_collection_is_hidden(client, make_regulation):
    hidden = _document("Draf internal", collection=_private_collection())
    make_regulation(number="1", about="Dengan dokumen internal", document=hidden)
    item = _get(client).json()["results"][0]
    assert item["document"] is None


def test_unpublished_replacement_is_not_revealed(client, make_regulation):
    draft = make_regulation(number="2", year=2025, about="Pengganti (draf)", live=False)
    make_regulation(number="1", year=2010, about="Lama", status=RegulationStatus.REVOKED, replaced_by=draft)
    item = _get(client).json()["results"][0]
    assert item["replaced_by"] is None


def test_query_count_does_not_grow_with_page_size(client, make_regulation):
    replacement = make_regulation(number="100", year=2024, about="Pengganti")
    for n in range(12):
        make_regulation(
            number=str(n + 1),
            year=2000 + n,
            about=f"Peraturan {n}",
            subjects=["Keterbukaan Informasi", f"Tema {n}"],
            document=_document(f"Dokumen {n}"),
            status=RegulationStatus.REVOKED,
            replaced_by=replacement,
            abstract=f"<p>Ringkasan <b>{n}</b>.</p>",
        )
    _get(client, {"limit": 1})  # warm caches that are not per-request (site root paths)

    with CaptureQueriesContext(connection) as small:
        assert len(_titles(_get(client, {"limit": 2}))) == 2
    with CaptureQueriesContext(connection) as large:
        assert len(_titles(_get(client, {"limit": 13}))) == 13
    # ≤: the first list that shows a document also reads the private collections, which an anonymous visitor's
    # later requests take from home.memo.
    assert len(large) <= len(small), [q["sql"] for q in large.captured_queries]


def test_invalid_filters_give_400_with_indonesian_messages_by_default(client, index_page):
    response = _get(client, {"kind": "ordonansi", "year": "dua-ribu", "ordering": "harga"})
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"kind", "year", "ordering"}
    assert "bukan salah satu dari pilihan yang tersedia" in errors["kind"][0]
    assert errors["year"] == ["Masukkan sebuah bilangan."]


def test_error_messages_follow_accept_language(client, index_page):
    response = _get(client, {"kind": "ordonansi"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Select a valid choice" in response.json()["kind"][0]


def test_unknown_site_is_a_404_in_indonesian(client, make_regulation):
    make_regulation()
    response = _get(client, {"site": "tidak-ada.example"})
    assert response.status_code == 404
    assert response.json() == {"detail": "Situs tidak dikenal."}


def test_too_long_search_is_a_400_not_a_500(client, index_page):
    response = _get(client, {"search": "x" * 500})
    assert response.status_code == 400
    assert "search" in response.json()


def test_wagtail_pages_api_exposes_regulation_fields(client, make_regulation):
    newer = make_regulation(kind="perki", number="1", year=2021, about="SLIP")
    old = make_regulation(
        kind="perki",
        number="1",
        year=2010,
        about="SLIP lama",
        status=RegulationStatus.REVOKED,
        replaced_by=newer,
        subjects=["Keterbukaan Informasi"],
        abstract=f'<p>Lihat <a linktype="page" id="{newer.pk}">penggantinya</a>.</p>',
    )
    response = client.get(f"/api/v2/pages/{old.pk}/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["kind"] == "perki"
    assert body["kind_display"] == "Peraturan Komisi Informasi"
    assert body["number"] == "1" and body["year"] == 2010 and body["about"] == "SLIP lama"
    assert body["status"] == "dicabut" and body["status_display"] == "dicabut"
    assert body["replaced_by"]["id"] == newer.pk and body["replaced_by"]["title"] == newer.title
    assert body["subjects"] == ["Keterbukaan Informasi"]
    assert "linktype=" not in body["abstract"] and "<embed" not in body["abstract"]
    assert 'href="' in body["abstract"]


def test_wagtail_pages_api_exposes_index_intro(client, index_page):
    response = client.get(f"/api/v2/pages/{index_page.pk}/")
    assert response.status_code == 200
    assert response.json()["intro"] == "<p>Dasar hukum PPID.</p>"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v2/regulations/", "/api/v2/public-information/", "/api/v2/news/"])
def test_missing_detail_answers_404_in_the_clients_language(client, path):
    indonesian = client.get(f"{path}987654/")
    english = client.get(f"{path}987654/", HTTP_ACCEPT_LANGUAGE="en")
    assert indonesian.status_code == english.status_code == 404
    assert indonesian.json() == {"detail": "Data tidak ditemukan."}
    assert english.json() == {"detail": "Not found."}
