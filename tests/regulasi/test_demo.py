"""The demo seed: regulations from the project's CSV, idempotent, reachable through the API."""

import csv
import io

import pytest
from wagtail.models import Page, Site

from regulasi import demo
from regulasi.models import RegulationIndexPage, RegulationPage

pytestmark = pytest.mark.django_db


def _seed():
    out = io.StringIO()
    demo.seed(out)
    return out.getvalue()


def _csv_rows():
    with demo.DATA_FILE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_demo_data_lives_in_the_project_and_matches_the_shared_fixture(fixtures_dir):
    assert demo.DATA_FILE.is_file()
    assert demo.DATA_FILE.read_text(encoding="utf-8") == (fixtures_dir / "seed" / "regulations.csv").read_text(
        encoding="utf-8"
    )


def test_seed_loads_every_row_and_uu_14_2008_is_in_the_api(client, home_page):
    _seed()
    index = RegulationIndexPage.objects.child_of(home_page).get()
    assert index.live
    assert RegulationPage.objects.child_of(index).live().count() == len(_csv_rows())

    response = client.get("/api/v2/regulations/", {"kind": "uu", "year": 2008})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["title"] for item in results] == [
        "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik"
    ]
    uu14 = results[0]
    assert uu14["about"] == "Keterbukaan Informasi Publik"
    assert uu14["issued_on"] == "2008-04-30"
    assert uu14["status"] == "berlaku"
    assert "Keterbukaan Informasi" in [subject["name"] for subject in uu14["subjects"]]


def test_seed_maps_kinds_dates_and_replacements_from_the_csv(home_page):
    _seed()
    rows = _csv_rows()
    for row in rows:
        page = RegulationPage.objects.get(number=row["number"], year=int(row["year"]), about=row["title"])
        assert page.title.startswith(f"{row['kind']} Nomor {row['number']} Tahun {row['year']} tentang ")
        assert page.status == row["status"]
        assert (page.issued_on.isoformat() if page.issued_on else "") == row["issued_on"]
        assert page.live and page.latest_revision_id is not None
        if row["replaced_by"]:
            assert page.replaced_by is not None
            assert f"{page.replaced_by.number}/{page.replaced_by.year}" in row["replaced_by"]
        else:
            assert page.replaced_by is None

    def kind_of(number, year):
        return RegulationPage.objects.get(number=number, year=year).kind

    assert kind_of("14", 2008) == "uu"
    assert kind_of("61", 2010) == "pp"
    assert kind_of("76", 2013) == "perpres"
    assert kind_of("62", 2018) == "permen"  # "Peraturan Menteri PANRB"
    assert kind_of("3", 2022) == "permen"  # "Peraturan Menteri Koordinator ..."
    assert kind_of("1", 2021) == "perki"
    pdp = RegulationPage.objects.get(number="27", year=2022)
    assert "Data Pribadi" in pdp.subjects.names()
    assert "Pelayanan Publik" in RegulationPage.objects.get(number="25", year=2009).subjects.names()


def test_seed_is_idempotent(home_page):
    _seed()
    pages_before = Page.objects.count()
    snapshot = {
        page.pk: (page.title, page.replaced_by_id, page.latest_revision_id, sorted(page.subjects.names()))
        for page in RegulationPage.objects.all()
    }
    _seed()
    assert Page.objects.count() == pages_before
    assert RegulationIndexPage.objects.count() == 1
    assert {
        page.pk: (page.title, page.replaced_by_id, page.latest_revision_id, sorted(page.subjects.names()))
        for page in RegulationPage.objects.all()
    } == snapshot


def test_seed_creates_nothing_when_the_site_root_is_not_a_home_page(db):
    plain = Page.get_first_root_node().add_child(instance=Page(title="Bukan beranda", slug="bukan-beranda"))
    Site.objects.filter(is_default_site=True).update(root_page=plain)
    output = _seed()
    assert "HomePage" in output
    assert not RegulationIndexPage.objects.exists()
    assert not RegulationPage.objects.exists()


def test_seed_after_the_home_seed_finds_its_home_page(db):
    """As ``manage.py seed_demo`` runs it: home first (creates the site's HomePage), then regulasi; twice."""
    home_demo = pytest.importorskip("home.demo")
    for _run in range(2):
        home_demo.seed(io.StringIO())
        _seed()
    home = Site.objects.get(is_default_site=True).root_page
    index = RegulationIndexPage.objects.child_of(home).get()
    assert RegulationPage.objects.child_of(index).filter(kind="uu", number="14", year=2008).count() == 1
    assert RegulationPage.objects.count() == len(_csv_rows())
