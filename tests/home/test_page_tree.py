"""Page-tree rules: where each page type may live, and the one-per-site types."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import (
    HomePage,
    PPIDProfilePage,
    PublicInformationIndexPage,
    PublicInformationPage,
    StandardPage,
)
from regulasi.models import RegulationIndexPage

from .factories import make_dip_index, make_profile, make_site, make_standard


class PageTreeRulesTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site()

    def test_home_page_lives_under_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_home_page_children_are_the_site_sections(self):
        allowed = set(HomePage.allowed_subpage_models())
        for model in (StandardPage, PPIDProfilePage, PublicInformationIndexPage, RegulationIndexPage):
            self.assertIn(model, allowed)
        self.assertNotIn(PublicInformationPage, allowed)
        self.assertNotIn(HomePage, allowed)

    def test_news_index_is_allowed_under_home_when_the_news_app_defines_it(self):
        from django.apps import apps

        news_index = apps.get_model("berita", "NewsIndexPage")
        self.assertIn(news_index, HomePage.allowed_subpage_models())

    def test_only_one_home_page_under_the_root(self):
        self.assertCanCreateAt(Page, HomePage)  # the type is allowed there ...
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))  # ... but one exists already

    def test_standard_page_nests_under_home_standard_and_profile(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage, PPIDProfilePage})
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
        self.assertCanNotCreateAt(PublicInformationIndexPage, StandardPage)

    def test_ppid_profile_is_one_per_site(self):
        self.assertCanCreateAt(HomePage, PPIDProfilePage)
        make_profile(self.home)
        self.assertFalse(PPIDProfilePage.can_create_at(self.home))

    def test_dip_index_is_one_per_site_and_holds_only_entries(self):
        self.assertCanCreateAt(HomePage, PublicInformationIndexPage)
        index = make_dip_index(self.home)
        self.assertFalse(PublicInformationIndexPage.can_create_at(self.home))
        self.assertAllowedSubpageTypes(PublicInformationIndexPage, {PublicInformationPage})
        self.assertTrue(PublicInformationPage.can_create_at(index))

    def test_dip_entries_only_under_the_dip_index_and_have_no_children(self):
        self.assertAllowedParentPageTypes(PublicInformationPage, {PublicInformationIndexPage})
        self.assertAllowedSubpageTypes(PublicInformationPage, set())
        self.assertCanNotCreateAt(HomePage, PublicInformationPage)
        self.assertCanNotCreateAt(StandardPage, PublicInformationPage)

    def test_profile_page_children_are_standard_pages(self):
        self.assertAllowedSubpageTypes(PPIDProfilePage, {StandardPage})

    def test_nested_standard_page_can_be_created(self):
        parent = make_standard(self.home, title="Tentang", slug="tentang")
        self.assertTrue(StandardPage.can_create_at(parent))
