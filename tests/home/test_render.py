"""Every page type renders on the reference site and in the Wagtail preview, in Indonesian, with its content."""

from datetime import timedelta

from django.utils import timezone
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.models import HomePageSlide, SocialMediaAccount

from .factories import (
    make_dip_index,
    make_document,
    make_entry,
    make_image,
    make_profile,
    make_site,
    make_standard,
    make_units,
    organisation,
)


class RenderTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_site(title="Kementerian Contoh", intro="<p>Selamat datang di PPID.</p>")
        org = organisation(cls.home)
        org.name = "Kementerian Koordinator Contoh"
        org.short_name = "Kemenko Contoh"
        org.phone = "(021) 555 0100"
        org.email = "ppid@contoh.go.id"
        org.whatsapp = "0812-3456-7890"
        org.office_hours = "Senin–Jumat 08.00–16.00 WIB"
        org.service_charter = "<p>Kami sanggup melayani sesuai standar.</p>"
        org.save()
        SocialMediaAccount.objects.create(
            settings=org, platform="instagram", handle="@contoh", url="https://instagram.com/contoh"
        )
        cls.units = make_units()
        cls.image = make_image("Slide satu")
        cls.profile = make_profile(cls.home, show_in_menus=True, vision="<p>Visi keterbukaan.</p>")
        cls.standard = make_standard(
            cls.home,
            title="Tata Cara",
            slug="tata-cara",
            show_in_menus=True,
            body=[
                ("heading", {"text": "Langkah pertama", "level": "h2"}),
                ("paragraph", "<p>Isi formulir.</p>"),
                ("quote", {"quote": "Informasi publik bersifat terbuka.", "attribution": "UU 14/2008"}),
                (
                    "table",
                    {
                        "caption": "Jangka waktu",
                        "table": {"data": [["Tahap", "Hari"], ["Jawaban", "10"]], "first_row_is_table_header": True},
                    },
                ),
                ("image", {"image": cls.image, "caption": "Gambar contoh"}),
                ("document", {"document": make_document("Formulir"), "title": "Unduh formulir"}),
            ],
        )
        cls.index = make_dip_index(cls.home, show_in_menus=True)
        cls.open_entry = make_entry(
            cls.index, cls.units["SES"], title="Laporan Keuangan", documents=[make_document("Laporan Keuangan 2024")]
        )
        cls.exempt_entry = make_entry(
            cls.index,
            cls.units["INSP"],
            title="Hasil Pemeriksaan",
            information_class="dikecualikan",
            exemption_ground="a",
            consequence_test="Dapat menghambat proses penegakan hukum.",
        )
        HomePageSlide.objects.create(page=cls.home, image=cls.image, title="Slide tampil", sort_order=0)
        HomePageSlide.objects.create(
            page=cls.home,
            image=cls.image,
            title="Slide nanti",
            sort_order=1,
            show_from=timezone.now() + timedelta(days=3),
        )

    def test_every_page_type_is_renderable(self):
        for page in (self.home, self.profile, self.standard, self.index, self.open_entry, self.exempt_entry):
            with self.subTest(page=page.specific_class.__name__):
                self.assertPageIsRenderable(page)

    def preview_data(self, page):
        """The edit form's POST data for ``page`` (StreamField forms are built by JavaScript in the admin)."""
        common = {"title": page.title, "slug": page.slug}
        kind = page.specific_class.__name__
        if kind == "HomePage":
            return nested_form_data(
                {
                    **common,
                    "intro": rich_text("<p>Pratinjau beranda</p>"),
                    "slides": inline_formset(
                        [
                            {
                                "image": self.image.pk,
                                "title": "Slide pratinjau",
                                "caption": "",
                                "link_page": "",
                                "link_url": "/dip/",
                                "show_from": "",
                                "show_until": "",
                            }
                        ]
                    ),
                    "service_shortcuts": streamfield(
                        [
                            (
                                "shortcut",
                                {
                                    "service": "ppid",
                                    "title": "Permohonan",
                                    "description": "",
                                    "link": {"page": "", "url": "/a/"},
                                },
                            )
                        ]
                    ),
                    "featured_regulations": streamfield([]),
                    "latest_news_count": "3",
                }
            )
        if kind == "StandardPage":
            return nested_form_data(
                {
                    **common,
                    "intro": "Pengantar",
                    "body": streamfield(
                        [
                            ("heading", {"text": "Judul pratinjau", "level": "h2"}),
                            ("paragraph", rich_text("<p>Paragraf</p>")),
                        ]
                    ),
                }
            )
        if kind == "PPIDProfilePage":
            return nested_form_data(
                {
                    **common,
                    "vision": rich_text("<p>Visi</p>"),
                    "mission": rich_text("<p>Misi</p>"),
                    "legal_basis": streamfield([("other", {"title": "UU 14/2008", "url": ""})]),
                    "duties_and_functions": rich_text(""),
                    "structure_image": "",
                    "officials": inline_formset(
                        [{"name": "Budi", "position": "PPID Utama", "role": "utama", "unit": "", "photo": ""}]
                    ),
                    "service_hours": "",
                    "contact": rich_text(""),
                    "service_charter": rich_text(""),
                    "sop_documents": streamfield([]),
                }
            )
        if kind == "PublicInformationIndexPage":
            return nested_form_data({**common, "intro": rich_text("<p>DIP</p>")})
        entry = page.specific
        return nested_form_data(
            {
                **common,
                "information_class": entry.information_class,
                "summary": entry.summary,
                "unit": entry.unit_id,
                "person_responsible": entry.person_responsible,
                "made_when": "",
                "made_where": "",
                "information_format": "soft",
                "retention_period": "",
                "year": entry.year,
                "exemption_ground": entry.exemption_ground,
                "ground_statute": entry.ground_statute,
                "consequence_test": entry.consequence_test,
                "public_interest_test": entry.public_interest_test,
                "exemption_period": entry.exemption_period,
                "exempt_until": entry.exempt_until or "",
                "decision_number": entry.decision_number,
                "decision_date": entry.decision_date or "",
                "decision_document": entry.decision_document_id or "",
                "documents": streamfield([]),
            }
        )

    def test_every_page_type_is_previewable(self):
        for page in (self.home, self.profile, self.standard, self.index, self.open_entry, self.exempt_entry):
            with self.subTest(page=page.specific_class.__name__):
                self.assertPageIsPreviewable(page, post_data=self.preview_data(page))

    def test_admin_form_refuses_a_document_on_exempt_information(self):
        data = self.preview_data(self.exempt_entry)
        data.update(
            nested_form_data(
                {
                    "documents": streamfield(
                        [
                            ("document", {"document": make_document("Bocoran").pk, "title": ""}),
                        ]
                    )
                }
            )
        )
        data["title"], data["slug"] = "Dikecualikan baru", "dikecualikan-baru"
        self.client.force_login(self.create_superuser("checker"))
        response = self.client.post(
            f"/admin/pages/add/home/publicinformationpage/{self.index.pk}/", {**data, "action-publish": "1"}
        )
        self.assertEqual(response.status_code, 200)  # form shown again with errors, nothing saved
        self.assertFalse(self.index.get_children().filter(slug="dikecualikan-baru").exists())
        self.assertContains(response, "dokumen", status_code=200)

    def test_admin_form_creates_a_valid_entry(self):
        data = self.preview_data(self.open_entry)
        data["title"], data["slug"] = "Entri baru", "entri-baru"
        self.client.force_login(self.create_superuser("creator"))
        self.assertCanCreate(self.index, type(self.open_entry), data)

    def test_every_page_type_opens_in_the_admin_editor(self):
        # (assertPageIsEditable cannot post StreamField forms, which are built by JavaScript.)
        self.client.force_login(self.create_superuser("editor"))
        for page in (self.home, self.profile, self.standard, self.index, self.open_entry, self.exempt_entry):
            with self.subTest(page=page.specific_class.__name__):
                response = self.client.get(f"/admin/pages/{page.pk}/edit/")
                self.assertEqual(response.status_code, 200)
        response = self.client.get(f"/admin/pages/add/home/publicinformationpage/{self.index.pk}/")
        self.assertEqual(response.status_code, 200)

    def test_layout_shows_organisation_nav_contacts_and_language_switch(self):
        html = self.client.get("/").content.decode()
        self.assertIn("Kementerian Koordinator Contoh", html)
        self.assertIn('lang="id"', html)
        self.assertIn('href="/tata-cara/"', html)  # nav from the home page's children in menus
        self.assertIn('href="/dip/"', html)
        self.assertIn("tel:(021)5550100", html)
        self.assertIn("https://wa.me/6281234567890", html)
        self.assertIn("mailto:ppid@contoh.go.id", html)
        self.assertIn("https://instagram.com/contoh", html)
        self.assertIn("/profil-ppid/#maklumat-pelayanan", html)
        self.assertIn('href="/bahasa/en/?next=/"', html)  # the language switch: links, no form
        self.assertIn("Lewati ke konten", html)  # Indonesian by default

    def test_language_switch_turns_the_layout_english(self):
        response = self.client.get("/bahasa/en/", {"next": "/"})
        self.assertEqual(response.status_code, 302)
        html = self.client.get("/").content.decode()
        self.assertIn('lang="en"', html)
        self.assertIn("Skip to content", html)

    def test_home_shows_only_slides_visible_now(self):
        html = self.client.get("/").content.decode()
        self.assertIn("Slide tampil", html)
        self.assertNotIn("Slide nanti", html)
        self.assertIn("Selamat datang di PPID.", html)

    def test_standard_page_renders_each_block(self):
        html = self.client.get("/tata-cara/").content.decode()
        for text in (
            "<h2>Langkah pertama</h2>",
            "Isi formulir.",
            "<blockquote>",
            "<table",
            "Gambar contoh",
            "Unduh formulir",
        ):
            self.assertIn(text, html)

    def test_profile_falls_back_to_organisation_charter_and_hours(self):
        html = self.client.get("/profil-ppid/").content.decode()
        self.assertIn('id="maklumat-pelayanan"', html)
        self.assertIn("Kami sanggup melayani sesuai standar.", html)
        self.assertIn("Senin–Jumat 08.00–16.00 WIB", html)
        self.assertIn("Visi keterbukaan.", html)

    def test_exempt_entry_shows_ground_and_consequence_but_no_file(self):
        html = self.client.get(self.exempt_entry.url).content.decode()
        self.assertIn("Dapat menghambat proses penegakan hukum.", html)
        self.assertIn("Pasal 17", html)
        self.assertNotIn("/documents/", html)

    def test_open_entry_links_its_document(self):
        html = self.client.get(self.open_entry.url).content.decode()
        self.assertIn("/documents/", html)
        self.assertIn("Laporan Keuangan 2024", html)

    def test_dip_index_filters_by_class(self):
        html = self.client.get("/dip/?class=dikecualikan").content.decode()
        self.assertIn("Hasil Pemeriksaan", html)
        self.assertNotIn("Laporan Keuangan", html)
        html = self.client.get("/dip/?unit=ses").content.decode()
        self.assertIn("Laporan Keuangan", html)
        self.assertNotIn("Hasil Pemeriksaan", html)
