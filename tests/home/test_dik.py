"""The list of exempt information (DIK): what an exempt DIP entry must carry (UU 14/2008 Pasal 2(4), 17, 20;
Perki 1/2021), the public page ``<DIP>/dikecualikan/`` and ``GET /api/v2/public-information/exempt/`` — listed
without the content of the information, with the decision file only when its collection is public."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction

from home.models import PublicInformationPage

from .factories import make_document, make_entry, make_profile

pytestmark = pytest.mark.django_db

TREE_FIELDS = ["path", "depth", "slug"]
TODAY = timezone.localdate()


@pytest.fixture
def dik(dip_index, units):
    sk = make_document("SK Penetapan DIK")
    root = Collection.get_first_root_node()
    private = root.add_child(name="Internal")
    CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)
    return {
        "batas": make_entry(
            dip_index,
            units["DEP1"],
            title="Posisi Runding Batas Maritim",
            information_class="dikecualikan",
            summary="RAHASIA-ISI posisi runding",
            exemption_ground="f",
            consequence_test="Melemahkan posisi runding.",
            public_interest_test="Kedaulatan lebih penting.",
            exemption_period="Sampai perjanjian ditandatangani",
            exempt_until=TODAY + datetime.timedelta(days=365),
            decision_number="KEP-PPID/12/2024",
            decision_date=datetime.date(2024, 4, 1),
            decision_document=sk,
        ),
        # the period ended yesterday: still listed, as "period ended", and no longer citable
        "lama": make_entry(
            dip_index,
            units["SES"],
            title="Audit Lama",
            information_class="dikecualikan",
            exemption_ground="a",
            exempt_until=TODAY - datetime.timedelta(days=1),
            decision_document=make_document("SK Internal", collection=private),
        ),
        "bank": make_entry(
            dip_index,
            units["SES"],
            title="Data Nasabah",
            information_class="dikecualikan",
            exemption_ground="j",
            ground_statute="UU 7/1992 tentang Perbankan Pasal 40",
        ),
        "open": make_entry(dip_index, units["SES"], title="Renstra", information_class="berkala"),
        "draft": make_entry(dip_index, units["SES"], title="Draf", information_class="dikecualikan", publish=False),
    }


def exempt(client, query=""):
    response = client.get(f"/api/v2/public-information/exempt/?{query}")
    assert response.status_code == 200, response.content
    return response.json()


# --- what an exempt entry must carry --------------------------------------------------------------------------
def test_an_exempt_entry_needs_ground_test_period_and_decision(dip_index, units):
    page = PublicInformationPage(
        title="X", information_class="dikecualikan", unit=units["SES"], year=2024, summary="s", person_responsible="p"
    )
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean(exclude=TREE_FIELDS)
    assert {
        "exemption_ground",
        "consequence_test",
        "public_interest_test",
        "exemption_period",
        "decision_number",
        "decision_date",
    } <= set(excinfo.value.message_dict)

    page.exemption_ground, page.consequence_test, page.public_interest_test = "j", "Bahaya.", "Menutup lebih baik."
    page.exemption_period, page.decision_number = "5 tahun", "KEP-1"
    page.decision_date = TODAY + datetime.timedelta(days=1)  # tomorrow: not yet decided
    page.exempt_until = TODAY
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean(exclude=TREE_FIELDS)
    assert set(excinfo.value.message_dict) == {"ground_statute", "decision_date"}

    page.ground_statute = "UU 7/1992 Pasal 40"
    page.decision_date = datetime.date(2024, 4, 1)
    page.exempt_until = datetime.date(2024, 3, 31)  # the day before the decision
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean(exclude=TREE_FIELDS)
    assert set(excinfo.value.message_dict) == {"exempt_until"}

    page.exempt_until = datetime.date(2024, 4, 1)  # the decision's own day: valid
    page.full_clean(exclude=TREE_FIELDS)
    assert page.ground_citation == "UU 14/2008 Pasal 17 huruf j jo. UU 7/1992 Pasal 40"


def test_in_force_ends_after_the_last_day():
    page = PublicInformationPage(information_class="dikecualikan", exempt_until=datetime.date(2026, 6, 30))
    assert page.exemption_in_force(datetime.date(2026, 6, 30)) is True
    assert page.exemption_in_force(datetime.date(2026, 7, 1)) is False
    page.exempt_until = None  # ends with an event, not a date
    assert page.exemption_in_force(datetime.date(2099, 1, 1)) is True
    page.information_class = "berkala"
    assert page.exemption_in_force(datetime.date(2026, 1, 1)) is False


# --- the API -----------------------------------------------------------------------------------------------------
def test_api_lists_the_live_exempt_entries_without_their_content(client, dik):
    data = exempt(client)
    assert data["count"] == 3
    # order: ground, then title (a, f, j)
    assert [row["title"] for row in data["results"]] == ["Audit Lama", "Posisi Runding Batas Maritim", "Data Nasabah"]
    rows = {row["title"]: row for row in data["results"]}
    batas = rows["Posisi Runding Batas Maritim"]
    assert "summary" not in batas and "documents" not in batas
    assert "RAHASIA-ISI" not in str(data)
    assert batas["exemption_ground"] == "f"
    assert batas["ground_citation"] == "UU 14/2008 Pasal 17 huruf f"
    assert batas["consequence_test"] == "Melemahkan posisi runding."
    assert batas["public_interest_test"] == "Kedaulatan lebih penting."
    assert batas["exemption_period"] == "Sampai perjanjian ditandatangani"
    assert batas["in_force"] is True
    assert (batas["decision_number"], batas["decision_date"]) == ("KEP-PPID/12/2024", "2024-04-01")
    assert batas["decision_document"]["title"] == "SK Penetapan DIK"
    assert batas["unit"] == {"code": "DEP1", "name": "Deputi Satu"}
    assert rows["Audit Lama"]["in_force"] is False
    assert rows["Audit Lama"]["decision_document"] is None  # its collection is private
    assert rows["Data Nasabah"]["ground_statute"] == "UU 7/1992 tentang Perbankan Pasal 40"


def test_api_filters(client, dik):
    def titles(query):
        return [row["title"] for row in exempt(client, query)["results"]]

    assert titles("ground=j") == ["Data Nasabah"]
    assert titles("in_force=false") == ["Audit Lama"]
    assert titles("in_force=true") == ["Posisi Runding Batas Maritim", "Data Nasabah"]
    assert titles("unit=dep1") == ["Posisi Runding Batas Maritim"]
    assert titles("search=perbankan") == ["Data Nasabah"]
    assert titles("search=RAHASIA-ISI") == []  # the summary is not searched either
    assert exempt(client, "limit=1&offset=1")["results"][0]["title"] == "Posisi Runding Batas Maritim"
    response = client.get("/api/v2/public-information/exempt/?ground=z&in_force=maybe&unit=NOPE")
    assert response.status_code == 400
    assert set(response.json()) == {"ground", "in_force", "unit"}


def test_api_query_count_does_not_grow_with_the_page(client, dik, dip_index, units):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v2/public-information/exempt/").status_code == 200
        return len(ctx.captured_queries)

    count()  # warm the per-process caches (site, collections)
    before = count()
    for n in range(5):
        make_entry(
            dip_index,
            units["SES"],
            title=f"Tambahan {n}",
            information_class="dikecualikan",
            decision_document=make_document(f"SK {n}"),
        )
    assert count() == before


def test_schema_documents_the_endpoint(client):
    schema = client.get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v2/public-information/exempt/"]["get"]
    assert {"ground", "in_force", "unit", "search", "limit", "offset"} <= {p["name"] for p in operation["parameters"]}


# --- the page ----------------------------------------------------------------------------------------------------
def test_dik_page_lists_entries_and_is_linked_from_the_dip_and_the_profile(client, dik, home, dip_index):
    html = client.get("/dip/dikecualikan/").content.decode()
    for text in (
        "Posisi Runding Batas Maritim",
        "Melemahkan posisi runding.",
        "Kedaulatan lebih penting.",
        "Sampai perjanjian ditandatangani",
        "KEP-PPID/12/2024",
        "UU 7/1992 tentang Perbankan Pasal 40",
        "Data Nasabah",
    ):
        assert text in html
    assert "RAHASIA-ISI" not in html and "Renstra" not in html and "Draf" not in html
    assert html.count("/documents/") == 1  # the public SK only; the private one is not linked
    assert "/dip/dikecualikan/" in client.get("/dip/").content.decode()
    make_profile(home)
    assert "/dip/dikecualikan/" in client.get("/profil-ppid/").content.decode()
    entry_page = client.get(dik["batas"].url).content.decode()
    assert "KEP-PPID/12/2024" in entry_page and "/dip/dikecualikan/" in entry_page
