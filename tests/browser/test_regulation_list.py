"""The regulation list on a phone (issue 19): the search box, then one button that unfolds the filters and the
sort order (a native ``<details>``: it works without JavaScript); on a wide screen the filters are open. A
visitor finds "UU 14" and filters by a subject's name. Screenshots: tests/browser/screenshots/regulation_*."""

import datetime

from playwright.sync_api import expect

from regulasi.models import RegulationIndexPage, RegulationPage, default_slug, default_title
from tests.browser.conftest import PHONE
from tests.home.factories import make_site

REGULATIONS = [
    ("uu", "14", 2008, "Keterbukaan Informasi Publik", datetime.date(2008, 4, 30), ["Keterbukaan Informasi"]),
    ("uu", "25", 2009, "Pelayanan Publik", datetime.date(2009, 7, 18), ["Pelayanan Publik"]),
    ("uu", "27", 2022, "Pelindungan Data Pribadi", datetime.date(2022, 10, 17), ["Data Pribadi"]),
    ("perki", "1", 2021, "Standar Layanan Informasi Publik", None, ["Keterbukaan Informasi"]),
]


def regulation_list() -> RegulationIndexPage:
    home = make_site()
    index = home.add_child(instance=RegulationIndexPage(title="Regulasi", slug="regulasi"))
    for kind, number, year, about, issued_on, subjects in REGULATIONS:
        page = index.add_child(
            instance=RegulationPage(
                title=default_title(kind, number, year, about),
                slug=default_slug(kind, number, year, about),
                kind=kind,
                number=number,
                year=year,
                about=about,
                issued_on=issued_on,
            )
        )
        page.subjects.add(*subjects)
        page.save_revision().publish()
    return index


def titles(page) -> list[str]:
    return page.locator(".reg-item h2").all_inner_texts()


def test_on_a_phone_the_filters_fold_behind_one_button(new_page, shot):
    regulation_list()
    page = new_page(phone=True)
    page.goto("/regulasi/")
    fold = page.locator("details.reg-filter__more > summary")
    expect(page.get_by_label("Cari", exact=True)).to_be_visible()
    expect(fold).to_have_text("Saring dan urutkan")
    expect(page.get_by_label("Jenis")).to_be_hidden()
    assert titles(page)[0].startswith("Undang-Undang Nomor 27 Tahun 2022")  # newest first
    shot(page, "list")

    fold.click()
    expect(page.get_by_label("Jenis")).to_be_visible()
    page.get_by_label("Subjek").select_option("Keterbukaan Informasi")
    page.get_by_label("Urutkan").select_option(label="Tahun, terlama dahulu")
    shot(page, "filters")
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_url("**subject=Keterbukaan+Informasi**")
    assert titles(page) == [
        "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik",
        "Peraturan Komisi Informasi Nomor 1 Tahun 2021 tentang Standar Layanan Informasi Publik",
    ]
    expect(fold).to_have_text("Saring dan urutkan (2 aktif)")
    expect(page.get_by_label("Jenis")).to_be_hidden()  # folded again: the results come first
    shot(page, "filtered")

    page.get_by_label("Cari", exact=True).fill("UU 14")
    page.get_by_label("Cari", exact=True).press("Enter")
    page.wait_for_url("**search=UU+14**")
    assert titles(page) == ["Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik"]
    shot(page, "search")


def test_the_fold_works_without_javascript(browser, live_server):
    regulation_list()
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/regulasi/")
        expect(page.get_by_label("Jenis")).to_be_hidden()
        page.locator("details.reg-filter__more > summary").click()
        expect(page.get_by_label("Jenis")).to_be_visible()
    finally:
        context.close()


def test_on_a_wide_screen_the_filters_are_open(new_page, shot):
    regulation_list()
    page = new_page()
    page.goto("/regulasi/")
    expect(page.get_by_label("Jenis")).to_be_visible()
    expect(page.locator("details.reg-filter__more > summary")).to_be_hidden()
    shot(page, "wide")
