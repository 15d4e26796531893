"""The regulation list page as a visitor uses it (issue 19): the default order "Terbaru dahulu" is by date, the
sort options are named in Indonesian, the subject filter works by name, and a citation such as "UU 14" finds the
regulation it cites. The same search rule serves ``GET /api/v2/regulations/``."""

import datetime
import re

import pytest

from regulasi.search import parse_query

pytestmark = pytest.mark.django_db


def listed(response) -> list[str]:
    """The titles of the list page, in order."""
    assert response.status_code == 200
    return re.findall(r'<li class="reg-item">\s*<h2><a href="[^"]*">([^<]*)</a>', response.content.decode())


@pytest.fixture
def demo_like(make_regulation):
    """Regulations created in the order of the demo's CSV (grouped by kind, oldest UU first)."""
    made = {}
    for key, kind, number, year, about, issued, subjects in [
        ("uu14", "uu", "14", 2008, "Keterbukaan Informasi Publik", (2008, 4, 30), ["Keterbukaan Informasi"]),
        ("uu25", "uu", "25", 2009, "Pelayanan Publik", (2009, 7, 18), ["Pelayanan Publik"]),
        ("uu27", "uu", "27", 2022, "Pelindungan Data Pribadi", (2022, 10, 17), ["Data Pribadi"]),
        (
            "pp61",
            "pp",
            "61",
            2010,
            "Pelaksanaan Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik",
            (2010, 8, 23),
            ["Keterbukaan Informasi"],
        ),
        ("perki2021", "perki", "1", 2021, "Standar Layanan Informasi Publik", None, ["Keterbukaan Informasi"]),
        ("permen2022", "permen", "3", 2022, "Pengelolaan Pengaduan Pelanggaran Hukum", (2022, 3, 1), []),
    ]:
        made[key] = make_regulation(
            kind=kind,
            number=number,
            year=year,
            about=about,
            issued_on=datetime.date(*issued) if issued else None,
            subjects=subjects,
        )
    return made


def test_newest_first_is_the_default_order_by_date_not_by_kind(client, index_page, demo_like):
    newest_first = [
        demo_like[key].title for key in ("uu27", "permen2022", "perki2021", "pp61", "uu25", "uu14")
    ]  # 2022-10-17, 2022-03-01, 2021 (no date), 2010, 2009, 2008
    assert listed(client.get(index_page.url)) == newest_first
    # The form sends the empty "Terbaru dahulu" option when a visitor applies filters.
    assert listed(client.get(index_page.url, {"ordering": "", "search": ""})) == newest_first
    assert listed(client.get(index_page.url, {"ordering": "-issued_on"}))[:2] == newest_first[:2]


def test_sort_options_are_named_in_indonesian(client, index_page):
    html = client.get(index_page.url).content.decode()
    options = re.findall(r'<option value="(-?[a-z_]*)"[^>]*>([^<]*)</option>', html.split('name="ordering"')[1])
    assert dict(options) == {
        "": "Terbaru dahulu",
        "year": "Tahun, terlama dahulu",
        "-year": "Tahun, terbaru dahulu",
        "issued_on": "Tanggal ditetapkan, terlama dahulu",
        "-issued_on": "Tanggal ditetapkan, terbaru dahulu",
        "title": "Judul, A ke Z",
        "-title": "Judul, Z ke A",
        "number": "Nomor, terkecil dahulu",
        "-number": "Nomor, terbesar dahulu",
    }
    assert "descending" not in html


def test_subject_filter_offers_and_matches_names(client, index_page, demo_like):
    html = client.get(index_page.url).content.decode()
    subject_select = html.split('name="subject"')[1].split("</select>")[0]
    assert re.findall(r"<option value=\"([^\"]*)\"", subject_select) == [
        "",
        "Data Pribadi",
        "Keterbukaan Informasi",
        "Pelayanan Publik",
    ]
    # Each regulation's subjects link to the list filtered by the subject's name.
    assert 'href="?subject=Keterbukaan%20Informasi"' in html

    kip = {demo_like[key].title for key in ("uu14", "pp61", "perki2021")}
    assert set(listed(client.get(index_page.url, {"subject": "Keterbukaan Informasi"}))) == kip
    assert set(listed(client.get(index_page.url, {"subject": "  keterbukaan   INFORMASI "}))) == kip
    chosen = client.get(index_page.url, {"subject": "keterbukaan-informasi"})  # an older link, by slug
    assert set(listed(chosen)) == kip
    assert '<option value="Keterbukaan Informasi" selected>' in chosen.content.decode()
    assert listed(client.get(index_page.url, {"subject": "Tidak Ada"})) == []


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("UU 14", ["uu14"]),
        ("uu 14/2008", ["uu14"]),
        ("Undang-Undang Nomor 14 Tahun 2008", ["uu14"]),
        ("UU No. 14 Th 2008", ["uu14"]),
        ("PP 61", ["pp61"]),
        ("perki 1 2021", ["perki2021"]),
        ("Permenko 3", ["permen2022"]),
        ("14/2008", ["uu14"]),
        ("UU 2022", ["uu27"]),
        ("UU data pribadi", ["uu27"]),
        ("keterbukaan informasi", ["pp61", "uu14"]),  # plain words: every title with both
        ("UU 99", []),
    ],
)
def test_a_citation_finds_the_regulation_it_cites(client, index_page, demo_like, search, expected):
    found = listed(client.get(index_page.url, {"search": search}))
    assert sorted(found) == sorted(demo_like[key].title for key in expected)


def test_the_api_reads_citations_the_same_way(client, demo_like):
    response = client.get("/api/v2/regulations/", {"search": "UU 14"})
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["results"]] == [demo_like["uu14"].title]


def test_parse_query_rules():
    assert parse_query("UU 14") == parse_query("undang-undang nomor 14")
    query = parse_query("PP 61/2010 tentang pelaksanaan undang-undang")
    assert (query.kind, query.number, query.year) == ("pp", "61", 2010)
    assert query.words == ["tentang", "pelaksanaan", "undang-undang"]  # a second kind name is a word
    perppu = parse_query("Peraturan Pemerintah Pengganti Undang-Undang 1 2020")
    assert perppu.kind is None and perppu.number is None and "pengganti" in perppu.words
    assert parse_query("keterbukaan 2008").words == ["keterbukaan", "2008"]
    assert parse_query("").words == []
