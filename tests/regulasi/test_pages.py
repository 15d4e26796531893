"""Page-tree rules, admin creation, validation, rendering and preview of the regulation page types."""

import datetime

from django.core.exceptions import ValidationError
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text

from home.models import HomePage
from regulasi.models import (
    RegulationIndexPage,
    RegulationKind,
    RegulationPage,
    RegulationStatus,
    kind_from_label,
    number_sort_key,
)


class RegulationPageTreeTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        root = Page.get_first_root_node()
        cls.home = root.add_child(instance=HomePage(title="Beranda", slug="beranda-reg"))
        site = Site.objects.get(is_default_site=True)
        site.root_page = cls.home
        site.save()
        cls.index = cls.home.add_child(instance=RegulationIndexPage(title="Regulasi", slug="regulasi"))
        cls.uu14 = cls.index.add_child(
            instance=RegulationPage(
                title="Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik",
                slug="uu-14-2008",
                kind=RegulationKind.UU,
                number="14",
                year=2008,
                about="Keterbukaan Informasi Publik",
                issued_on=datetime.date(2008, 4, 30),
                abstract="<p>Menjamin hak warga negara untuk mengetahui.</p>",
            )
        )
        cls.uu14.subjects.add("Keterbukaan Informasi")
        cls.uu14.save()

    def setUp(self):
        super().setUp()
        Site.clear_site_root_paths_cache()

    def test_tree_rules(self):
        self.assertAllowedParentPageTypes(RegulationIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(RegulationIndexPage, {RegulationPage})
        self.assertAllowedParentPageTypes(RegulationPage, {RegulationIndexPage})
        self.assertAllowedSubpageTypes(RegulationPage, set())
        self.assertCanCreateAt(HomePage, RegulationIndexPage)
        self.assertCanNotCreateAt(Page, RegulationPage)
        self.assertCanNotCreateAt(HomePage, RegulationPage)

    def test_only_one_index_per_home_page(self):
        self.assertFalse(RegulationIndexPage.can_create_at(self.home))
        other_home = Page.get_first_root_node().add_child(instance=HomePage(title="Situs lain", slug="situs-lain"))
        self.assertTrue(RegulationIndexPage.can_create_at(other_home))

    def test_editor_can_create_a_regulation_in_the_admin(self):
        self.login()
        self.assertCanCreate(
            self.index,
            RegulationPage,
            nested_form_data(
                {
                    "title": "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
                    "slug": "uu-25-2009",
                    "kind": "uu",
                    "number": "25",
                    "year": 2009,
                    "about": "Pelayanan Publik",
                    "issued_on": "2009-07-18",
                    "status": "berlaku",
                    "subjects": '"Pelayanan Publik", Keterbukaan',
                    "abstract": rich_text("<p>Ringkasan.</p>"),
                }
            ),
        )
        created = RegulationPage.objects.get(slug="uu-25-2009")
        self.assertTrue(created.live)
        self.assertEqual(sorted(tag.name for tag in created.subjects.all()), ["Keterbukaan", "Pelayanan Publik"])

    def test_editor_can_create_the_index_in_the_admin(self):
        other_home = Page.get_first_root_node().add_child(instance=HomePage(title="Situs dua", slug="situs-dua"))
        self.login()
        self.assertCanCreate(
            other_home,
            RegulationIndexPage,
            nested_form_data({"title": "Peraturan", "slug": "peraturan", "intro": rich_text("<p>Daftar.</p>")}),
        )

    def test_pages_render_and_preview(self):
        self.assertPageIsRenderable(self.index)
        self.assertPageIsRenderable(self.uu14)
        self.assertPageIsPreviewable(self.index)
        self.assertPageIsPreviewable(self.uu14)
        self.assertPageIsEditable(self.uu14)

    def test_regulation_page_shows_its_facts_in_indonesian(self):
        response = self.client.get(self.uu14.url)
        self.assertContains(response, "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik")
        self.assertContains(response, "30 April 2008")
        self.assertContains(response, "Keterbukaan Informasi")
        self.assertContains(response, "Menjamin hak warga negara")
        self.assertContains(response, "Tanggal ditetapkan")

    def test_revoked_regulation_links_to_its_replacement(self):
        new = self.index.add_child(
            instance=RegulationPage(
                title="PerKI 1/2021", slug="perki-1-2021", kind="perki", number="1", year=2021, about="SLIP"
            )
        )
        old = self.index.add_child(
            instance=RegulationPage(
                title="PerKI 1/2010",
                slug="perki-1-2010",
                kind="perki",
                number="1",
                year=2010,
                about="SLIP",
                status=RegulationStatus.REVOKED,
                replaced_by=new,
            )
        )
        response = self.client.get(old.url)
        self.assertContains(response, "Peraturan ini telah dicabut")
        self.assertContains(response, f'href="{new.url}"')
        self.assertContains(self.client.get(new.url), f'href="{old.url}"')

    def test_index_lists_children_with_server_side_filters(self):
        self.index.add_child(
            instance=RegulationPage(
                title="Peraturan Pemerintah Nomor 61 Tahun 2010",
                slug="pp-61",
                kind="pp",
                number="61",
                year=2010,
                about="Pelaksanaan UU KIP",
            )
        )
        response = self.client.get(self.index.url)
        self.assertContains(response, "Peraturan Pemerintah Nomor 61 Tahun 2010")
        self.assertContains(response, self.uu14.title)
        self.assertContains(response, 'name="kind"')
        self.assertContains(response, 'name="search"')

        filtered = self.client.get(self.index.url, {"kind": "pp"})
        self.assertContains(filtered, "Peraturan Pemerintah Nomor 61 Tahun 2010")
        self.assertNotContains(filtered, self.uu14.title)

        by_subject = self.client.get(self.index.url, {"subject": "keterbukaan-informasi", "year": 2008})
        self.assertContains(by_subject, self.uu14.title)
        self.assertNotContains(by_subject, "Nomor 61 Tahun 2010")

        searched = self.client.get(self.index.url, {"search": "keterbukaan"})
        self.assertContains(searched, self.uu14.title)
        self.assertNotContains(searched, "Nomor 61 Tahun 2010")

    def test_index_shows_form_errors_instead_of_failing(self):
        response = self.client.get(self.index.url, {"kind": "ordonansi", "year": "abc"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "bukan salah satu dari pilihan yang tersedia")
        self.assertNotContains(response, self.uu14.title)

    def test_index_survives_a_bogus_site_parameter(self):
        response = self.client.get(self.index.url, {"site": "tidak-ada.example"})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, self.uu14.title)

    def test_index_hides_drafts_and_private_regulations(self):
        draft = RegulationPage(
            title="Rancangan Peraturan X",
            slug="rancangan-x",
            kind="other",
            number="1",
            year=2026,
            about="Rancangan",
            live=False,
        )
        self.index.add_child(instance=draft)
        private = self.index.add_child(
            instance=RegulationPage(
                title="Peraturan Internal Y", slug="internal-y", kind="other", number="2", year=2026, about="Internal"
            )
        )
        PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
        response = self.client.get(self.index.url)
        self.assertContains(response, self.uu14.title)
        self.assertNotContains(response, "Rancangan Peraturan X")
        self.assertNotContains(response, "Peraturan Internal Y")

    def test_index_paginates_and_keeps_filters_in_links(self):
        for n in range(25):
            self.index.add_child(
                instance=RegulationPage(
                    title=f"Surat Edaran Nomor {n + 1}",
                    slug=f"se-{n + 1}",
                    kind="se",
                    number=str(n + 1),
                    year=2020,
                    about="Edaran",
                )
            )
        first = self.client.get(self.index.url, {"kind": "se"})
        self.assertEqual(len(first.context["regulations"].object_list), 20)
        self.assertContains(first, "kind=se&amp;page=2")
        second = self.client.get(self.index.url, {"kind": "se", "page": 2})
        self.assertEqual(len(second.context["regulations"].object_list), 5)


class RegulationValidationTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        home = Page.get_first_root_node().add_child(instance=HomePage(title="Beranda", slug="beranda-val"))
        cls.index = home.add_child(instance=RegulationIndexPage(title="Regulasi", slug="regulasi"))

    def _page(self, slug, **fields):
        defaults = {"title": slug, "slug": slug, "kind": "perki", "number": "1", "year": 2010, "about": "SLIP"}
        return self.index.add_child(instance=RegulationPage(**{**defaults, **fields}))

    def test_regulation_in_force_cannot_name_a_replacement(self):
        new = self._page("baru", year=2021)
        old = self._page("lama")
        old.replaced_by = new
        with self.assertRaises(ValidationError) as caught:
            old.full_clean()
        self.assertIn("replaced_by", caught.exception.message_dict)

    def test_revoked_or_amended_regulation_may_name_its_replacement(self):
        new = self._page("baru", year=2021)
        for status in (RegulationStatus.REVOKED, RegulationStatus.AMENDED):
            old = self._page(f"lama-{status}", status=status)
            old.replaced_by = new
            old.full_clean()
        revoked_without_replacement = self._page("dicabut-saja", status=RegulationStatus.REVOKED)
        revoked_without_replacement.full_clean()

    def test_regulation_cannot_replace_itself(self):
        page = self._page("diri", status=RegulationStatus.REVOKED)
        page.replaced_by = page
        with self.assertRaises(ValidationError) as caught:
            page.full_clean()
        self.assertIn("replaced_by", caught.exception.message_dict)

    def test_replacement_chain_cannot_form_a_cycle(self):
        a = self._page("a", status=RegulationStatus.REVOKED)
        b = self._page("b", status=RegulationStatus.REVOKED, replaced_by=a)
        a.replaced_by = b
        with self.assertRaises(ValidationError) as caught:
            a.full_clean()
        self.assertIn("replaced_by", caught.exception.message_dict)

    def test_year_must_be_plausible(self):
        page = RegulationPage(title="x", slug="x", kind="uu", number="1", year=20080, about="x")
        with self.assertRaises(ValidationError) as caught:
            page.full_clean(exclude=["path", "depth"])
        self.assertIn("year", caught.exception.message_dict)


def test_kind_from_label_maps_names_abbreviations_and_issuers():
    assert kind_from_label("Undang-Undang") == "uu"
    assert kind_from_label("  peraturan   pemerintah ") == "pp"
    assert kind_from_label("Peraturan Presiden") == "perpres"
    assert kind_from_label("Peraturan Menteri PANRB") == "permen"
    assert kind_from_label("Peraturan Menteri Koordinator Bidang Kemaritiman dan Investasi") == "permen"
    assert kind_from_label("Peraturan Komisi Informasi") == "perki"
    assert kind_from_label("Keputusan Menteri Keuangan") == "kepmen"
    assert kind_from_label("Surat Edaran Sekretaris Jenderal") == "se"
    assert kind_from_label("Perpres") == "perpres"
    assert kind_from_label("UU") == "uu"
    assert kind_from_label("Peraturan Pemerintah Pengganti Undang-Undang") == "other"
    assert kind_from_label("Peraturan Daerah") == "other"
    assert kind_from_label("Peraturan Pemerintahan Desa") == "other"


def test_kind_display_names_are_indonesian():
    assert dict(RegulationKind.choices) == {
        "uu": "Undang-Undang",
        "pp": "Peraturan Pemerintah",
        "perpres": "Peraturan Presiden",
        "permen": "Peraturan Menteri",
        "perki": "Peraturan Komisi Informasi",
        "kepmen": "Keputusan Menteri",
        "se": "Surat Edaran",
        "other": "Lainnya",
    }


def test_number_sort_key_uses_leading_digits():
    assert number_sort_key("14") == 14
    assert number_sort_key("3/2022") == 3
    assert number_sort_key("IV") == 0
    assert sorted(["14", "2", "1"], key=number_sort_key) == ["1", "2", "14"]
