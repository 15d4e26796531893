"""The list of exempt information (DIK) on a phone: a visitor opens the public-information list (DIP), follows
its link to the DIK and reads, for each exempt entry, the Pasal 17 ground, the consequence test, the exemption
period and the PPID's decision — without the content of the information. Screenshots:
tests/browser/screenshots/test_dik_list_on_a_phone-*."""

import datetime

from playwright.sync_api import expect

from tests.home.factories import make_dip_index, make_document, make_entry, make_site, make_units


def dik_site():
    home = make_site()
    units = make_units()
    index = make_dip_index(home, title="Daftar Informasi Publik")
    make_entry(index, units["SES"], title="Rencana Strategis 2025–2029")
    make_entry(
        index,
        units["DEP1"],
        title="Dokumen Perundingan Batas Maritim dengan Negara Tetangga",
        information_class="dikecualikan",
        summary="ISI-RAHASIA posisi runding",
        exemption_ground="f",
        consequence_test="Membuka posisi runding dapat melemahkan kedudukan Indonesia dalam perundingan.",
        public_interest_test="Menjaga posisi runding melindungi kedaulatan, kepentingan yang lebih besar.",
        exemption_period="Sampai perjanjian ditandatangani, paling lama 10 tahun",
        exempt_until=datetime.date(2034, 3, 31),
        decision_number="KEP-PPID/12/2024",
        decision_date=datetime.date(2024, 4, 1),
        decision_document=make_document("Keputusan PPID KEP-PPID/12/2024"),
    )
    make_entry(
        index,
        units["SES"],
        title="Data Kependudukan Pemohon Layanan",
        information_class="dikecualikan",
        exemption_ground="j",
        ground_statute="UU 24/2013 tentang Administrasi Kependudukan Pasal 79",
        consequence_test="Membuka data kependudukan melanggar kewajiban menjaga kerahasiaannya.",
        public_interest_test="Undang-undang menutup data ini.",
        exemption_period="Selama data disimpan",
        decision_number="KEP-PPID/3/2025",
        decision_date=datetime.date(2025, 2, 10),
    )


def test_dik_list_on_a_phone(new_page, shot):
    dik_site()
    page = new_page(phone=True)
    page.goto("/dip/")
    page.locator("a[href$='/dip/dikecualikan/']").first.click()
    page.wait_for_url("**/dip/dikecualikan/")
    expect(page.locator("h1")).to_be_visible()
    items = page.locator(".dik-item")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("KEP-PPID/12/2024")
    expect(items.nth(1)).to_contain_text("UU 24/2013 tentang Administrasi Kependudukan Pasal 79")
    assert "ISI-RAHASIA" not in page.content() and "Rencana Strategis" not in page.content()
    # nothing is wider than the phone's screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "dik")
