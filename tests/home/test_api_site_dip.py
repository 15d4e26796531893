"""/api/v2/site/ and /api/v2/public-information/: fields, filters, errors in Indonesian, flat query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from home.models import SocialMediaAccount, Unit

from .factories import make_document, make_entry, make_image, make_profile, organisation

pytestmark = pytest.mark.django_db


def test_site_endpoint_gives_the_organisation_and_active_units(client, home, units):
    org = organisation(home)
    org.name = "Kementerian Contoh"
    org.short_name = "Kemcon"
    org.logo = make_image("Logo", size=(800, 600))
    org.address = "Jl. Merdeka 1"
    org.phone = "(021) 123"
    org.email = "ppid@contoh.go.id"
    org.whatsapp = "0812 1111 2222"
    org.office_hours = "Senin–Jumat 08.00–16.00 WIB"
    profile = make_profile(home)
    org.service_charter = f'<p>Lihat <a linktype="page" id="{profile.pk}">profil</a>.</p>'
    org.save()
    SocialMediaAccount.objects.create(settings=org, platform="x", handle="@kemcon", url="https://x.com/kemcon")
    Unit.objects.create(code="OLD", name="Unit lama", active=False)
    units["DEP1"].parent = units["SES"]
    units["DEP1"].save()

    data = client.get("/api/v2/site/").json()
    assert data["name"] == "Kementerian Contoh" and data["short_name"] == "Kemcon"
    assert (data["logo"]["width"], data["logo"]["height"]) == (400, 300)
    assert data["logo"]["url"].startswith("/media/images/")
    assert data["whatsapp_url"] == "https://wa.me/6281211112222"
    assert data["office_hours"] == "Senin–Jumat 08.00–16.00 WIB"
    assert data["social_accounts"] == [
        {"platform": "x", "platform_label": "X (Twitter)", "handle": "@kemcon", "url": "https://x.com/kemcon"}
    ]
    assert data["service_charter"] == '<p>Lihat <a href="http://testserver/profil-ppid/">profil</a>.</p>'
    codes = [u["code"] for u in data["units"]]
    assert codes == ["SES", "DEP1", "DEP2", "INSP"]  # display order, inactive left out
    dep1 = next(u for u in data["units"] if u["code"] == "DEP1")
    assert dep1["parent"] == "SES" and dep1["kind"] == "kedeputian" and dep1["kind_label"] == "Kedeputian"


def test_site_endpoint_without_logo(client, home):
    assert client.get("/api/v2/site/").json()["logo"] is None


@pytest.fixture
def entries(dip_index, units):
    made = {
        "renstra": make_entry(
            dip_index,
            units["SES"],
            title="Rencana Strategis",
            year=2020,
            summary="Arah kebijakan lima tahun",
            documents=[make_document("Renstra")],
        ),
        "lkj": make_entry(dip_index, units["SES"], title="Laporan Kinerja", year=2024, summary="Capaian kinerja"),
        "tumpahan": make_entry(
            dip_index,
            units["DEP1"],
            title="Tumpahan Minyak",
            information_class="serta_merta",
            year=2024,
            summary="Penanganan tumpahan minyak di laut",
        ),
        "kerja_sama": make_entry(
            dip_index,
            units["DEP2"],
            title="Perjanjian Kerja Sama",
            information_class="setiap_saat",
            year=2023,
            summary="Daftar perjanjian",
        ),
        "batas": make_entry(
            dip_index,
            units["DEP1"],
            title="Perundingan Batas",
            information_class="dikecualikan",
            year=2024,
            exemption_ground="f",
            consequence_test="Merugikan hubungan luar negeri.",
        ),
        "draf": make_entry(dip_index, units["SES"], title="Draf Laporan", year=2024, publish=False),
    }
    restricted = make_entry(dip_index, units["SES"], title="Internal Saja", year=2024)
    PageViewRestriction.objects.create(page=restricted, restriction_type="password", password="x")
    return made


def titles(client, query=""):
    response = client.get(f"/api/v2/public-information/?{query}")
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def test_list_shows_live_public_entries_in_default_order(client, entries):
    assert titles(client) == [
        "Laporan Kinerja",
        "Rencana Strategis",  # berkala, newest year first
        "Perundingan Batas",  # dikecualikan
        "Tumpahan Minyak",  # serta_merta
        "Perjanjian Kerja Sama",  # setiap_saat
    ]


def test_filters_by_class_unit_year_and_search(client, entries):
    assert titles(client, "class=serta_merta") == ["Tumpahan Minyak"]
    assert titles(client, "unit=dep1") == ["Perundingan Batas", "Tumpahan Minyak"]
    assert titles(client, "year=2024&class=berkala") == ["Laporan Kinerja"]
    assert titles(client, "search=minyak laut") == ["Tumpahan Minyak"]
    assert titles(client, "search=minyak kinerja") == []
    assert titles(client, "search=Deputi Dua") == ["Perjanjian Kerja Sama"]  # by unit name
    assert titles(client, "ordering=year&class=berkala") == ["Rencana Strategis", "Laporan Kinerja"]
    assert titles(client, "ordering=-title&unit=SES") == ["Rencana Strategis", "Laporan Kinerja"]


def test_pagination(client, entries):
    data = client.get("/api/v2/public-information/?limit=2&offset=2").json()
    assert data["count"] == 5
    assert [row["title"] for row in data["results"]] == ["Perundingan Batas", "Tumpahan Minyak"]
    assert "offset=4" in data["next"]


def test_exempt_entry_has_ground_and_test_but_no_documents(client, entries):
    [row] = client.get("/api/v2/public-information/?class=dikecualikan").json()["results"]
    assert row["exemption_ground"] == "f"
    assert row["exemption_ground_label"] == "f. Merugikan kepentingan hubungan luar negeri"
    assert row["consequence_test"] == "Merugikan hubungan luar negeri."
    assert row["documents"] == []
    [renstra] = client.get("/api/v2/public-information/?search=Strategis").json()["results"]
    assert renstra["documents"][0]["title"] == "Renstra"
    assert renstra["information_class_label"] == "Berkala"
    assert renstra["unit"] == {"code": "SES", "name": "Sekretariat"}
    assert renstra["url"].endswith("/dip/rencana-strategis/")


def test_detail_endpoint_hides_drafts(client, entries):
    assert client.get(f"/api/v2/public-information/{entries['lkj'].pk}/").json()["title"] == "Laporan Kinerja"
    assert client.get(f"/api/v2/public-information/{entries['draf'].pk}/").status_code == 404


def test_bad_filters_are_400_with_indonesian_messages(client, entries):
    response = client.get("/api/v2/public-information/?class=rahasia&unit=NOPE&year=abc")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"class", "unit", "year"}
    assert "pilihan yang valid" in errors["class"][0]  # "Masukkan pilihan yang valid. ..."
    assert "pilihan yang valid" in errors["unit"][0]
    assert "bilangan" in errors["year"][0].lower()


def test_exempt_entry_validation(dip_index, units):
    from django.core.exceptions import ValidationError

    from home.models import PublicInformationPage

    page = PublicInformationPage(
        title="X", information_class="dikecualikan", unit=units["SES"], year=2024, summary="s", person_responsible="p"
    )
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean(exclude=TREE_FIELDS)
    assert {"exemption_ground", "consequence_test"} <= set(excinfo.value.message_dict)

    page.exemption_ground, page.consequence_test = "h", "Rahasia pribadi."
    page.public_interest_test, page.exemption_period = "Melindungi pribadi.", "Selama hidup"
    page.decision_number, page.decision_date = "SK-1", datetime.date(2024, 1, 2)
    page.documents = [("document", {"document": make_document("Bocor"), "title": ""})]
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean(exclude=TREE_FIELDS)
    assert set(excinfo.value.message_dict) == {"documents"}
    assert "tidak boleh memiliki dokumen" in excinfo.value.message_dict["documents"][0]

    page.documents = []
    page.full_clean(exclude=TREE_FIELDS)  # valid now

    open_page = PublicInformationPage(
        title="Y",
        information_class="berkala",
        unit=units["SES"],
        year=2024,
        summary="s",
        person_responsible="p",
        exemption_ground="a",
    )
    with pytest.raises(ValidationError) as excinfo:
        open_page.full_clean(exclude=TREE_FIELDS)
    assert set(excinfo.value.message_dict) == {"exemption_ground"}


TREE_FIELDS = ["path", "depth", "slug"]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.fixture
def many_entries(dip_index, units):
    unit_list = list(units.values())
    for i in range(22):
        make_entry(
            dip_index,
            unit_list[i % len(unit_list)],
            title=f"Informasi {i:02d}",
            year=2000 + i,
            information_class=["berkala", "serta_merta", "setiap_saat"][i % 3],
            documents=[make_document(f"Dok {i}a"), make_document(f"Dok {i}b")],
        )


@pytest.mark.parametrize(
    "url",
    [
        "/api/v2/public-information/?limit={n}",
        "/api/v2/pages/?type=home.PublicInformationPage&fields=*&limit={n}",
        "/api/v2/pages/?limit={n}",
        "/api/v2/documents/?limit={n}",
    ],
)
def test_query_count_does_not_grow_with_page_size(client, many_entries, url, settings):
    # Every item computed (stored items, home.stored, would make the second request cheaper than the first;
    # tests/home/test_stored_items.py counts the stored case).
    settings.PESAN_STORED_ITEMS_SECONDS = 0
    client.get(url.format(n=1))  # warm caches (site root paths, content types)
    small, _ = count_queries(client, url.format(n=1))
    large, response = count_queries(client, url.format(n=20))
    body = response.json()
    assert len(body.get("results", body.get("items", []))) == 20
    assert large == small


def test_openapi_schema_describes_the_home_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    assert "/api/v2/site/" in paths and "/api/v2/public-information/" in paths
    params = {p["name"] for p in paths["/api/v2/public-information/"]["get"]["parameters"]}
    assert {"class", "unit", "year", "search", "ordering", "limit", "offset"} <= params
    assert "/api/v2/pages/" in paths and "type" in {p["name"] for p in paths["/api/v2/pages/"]["get"]["parameters"]}
    assert not any(path.startswith("/admin/") for path in paths)
    assert "documents" in schema["components"]["schemas"]["PublicInformation"]["properties"]
