"""Wagtail API v2 (/api/v2/pages|images|documents/): fields per page type, HTML rich text, privacy."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from home.absolute_urls import absolute_url
from home.models import HomePageSlide, PPIDOfficial

from .factories import add_child, make_document, make_entry, make_image, make_profile, make_standard, organisation

pytestmark = pytest.mark.django_db


def items(client, query):
    response = client.get(f"/api/v2/pages/?{query}")
    assert response.status_code == 200, response.content
    return response.json()["items"]


def test_home_page_gives_visible_slides_as_renditions_in_order(client, home):
    image = make_image("Laut", size=(2000, 900))
    now = timezone.now()
    HomePageSlide.objects.create(page=home, image=image, title="Kedua", sort_order=2, link_url="https://lapor.go.id")
    HomePageSlide.objects.create(page=home, image=image, title="Pertama", sort_order=1, show_until=now + timedelta(1))
    HomePageSlide.objects.create(page=home, image=image, title="Kedaluwarsa", sort_order=0, show_until=now)
    HomePageSlide.objects.create(page=home, image=image, title="Nanti", sort_order=3, show_from=now + timedelta(1))
    HomePageSlide.objects.create(page=home, image=None, title="Tanpa gambar", sort_order=4)

    [page] = items(client, "type=home.HomePage&fields=*")
    slides = page["slides"]
    assert [s["title"] for s in slides] == ["Pertama", "Kedua"]
    first = slides[0]
    assert first["image"]["url"].startswith("/media/images/")
    assert first["image"]["full_url"].startswith("http")
    assert (first["image"]["width"], first["image"]["height"]) == (1600, 600)
    assert (first["image_mobile"]["width"], first["image_mobile"]["height"]) == (800, 600)
    assert first["show_until"] is not None
    assert slides[1]["link"] == {"page": None, "url": "https://lapor.go.id"}


def test_home_page_slide_link_to_a_page_and_schedule_validation(client, home):
    target = make_standard(home, title="Tujuan", slug="tujuan")
    HomePageSlide.objects.create(page=home, image=make_image("A"), title="Ke halaman", link_page=target)
    [page] = items(client, "type=home.HomePage&fields=slides")
    # absolute under the site's root URL, as every link of the API (home.absolute_urls)
    assert page["slides"][0]["link"]["page"] == {"id": target.pk, "title": "Tujuan", "url": absolute_url("/tujuan/")}

    slide = HomePageSlide(
        page=home,
        image=make_image("B"),
        title="Salah",
        link_page=target,
        link_url="/x/",
        show_from=timezone.now(),
        show_until=timezone.now() - timedelta(hours=1),
    )
    with pytest.raises(Exception) as excinfo:
        slide.full_clean()
    assert set(excinfo.value.message_dict) == {"link_url", "show_until"}


def test_home_page_latest_news_newest_first_limited(client, home):
    news_index_model = apps.get_model("berita", "NewsIndexPage")
    news_model = apps.get_model("berita", "NewsPage")
    news_index = add_child(home, news_index_model(title="Berita", slug="berita"))
    now = timezone.now()
    for days, title in [(5, "Lama"), (1, "Baru"), (3, "Tengah")]:
        add_child(news_index, news_model(title=title, date=now - timedelta(days=days), lead=f"Lead {title}"))
    add_child(news_index, news_model(title="Draf", date=now), publish=False)
    home.latest_news_count = 2
    home.save()

    [page] = items(client, "type=home.HomePage&fields=latest_news")
    assert [n["title"] for n in page["latest_news"]] == ["Baru", "Tengah"]
    assert page["latest_news"][0]["lead"] == "Lead Baru"
    assert page["latest_news"][0]["url"].endswith("/berita/baru/")


def test_featured_regulations_are_links_to_live_regulation_pages(client, home):
    index_model = apps.get_model("regulasi", "RegulationIndexPage")
    regulation_model = apps.get_model("regulasi", "RegulationPage")
    index = add_child(home, index_model(title="Regulasi", slug="regulasi"))
    uu = add_child(
        index,
        regulation_model(title="UU 14/2008", kind="uu", number="14", year=2008, about="Keterbukaan Informasi Publik"),
    )
    draft = add_child(
        index, regulation_model(title="Draf", kind="pp", number="1", year=2020, about="Draf"), publish=False
    )
    home.featured_regulations = [("regulation", uu), ("regulation", draft)]
    home.save()

    [page] = items(client, "type=home.HomePage&fields=featured_regulations")
    values = [block["value"] for block in page["featured_regulations"]]
    assert values[0] == {"id": uu.pk, "title": "UU 14/2008", "url": absolute_url(uu.url)}
    assert values[1] is None  # an unpublished regulation never leaks
    assert [p.pk for p in home.featured_regulation_pages()] == [uu.pk]


def test_rich_text_is_html_everywhere_and_db_formats_are_refused(client, home):
    target = make_standard(home, title="Target", slug="target")
    doc = make_document("Lampiran")
    link = (
        f'<p>Lihat <a linktype="page" id="{target.pk}">halaman</a> dan '
        f'<a linktype="document" id="{doc.pk}">lampiran</a>.</p>'
    )
    home.intro = link
    home.save()
    std = make_standard(home, title="Isi", slug="isi", body=[("paragraph", link)])
    make_profile(home, vision=link)

    for query in (
        "type=home.HomePage&fields=intro",
        "type=home.StandardPage&fields=body",
        "type=home.PPIDProfilePage&fields=vision",
        f"type=home.StandardPage&fields=*&id={std.pk}",
    ):
        body = client.get(f"/api/v2/pages/?{query}").content.decode()
        assert "<embed" not in body and "linktype=" not in body, query
        assert 'href=\\"http://testserver/target/\\"' in body, query  # absolute: the site's root URL (issue 19)

    detail = client.get(f"/api/v2/pages/{std.pk}/").json()
    assert 'href="http://testserver/target/"' in detail["body"][0]["value"]

    response = client.get("/api/v2/pages/?type=home.HomePage&fields=intro&rich_text_format=db_html")
    assert response.status_code == 400
    assert "harus salah satu dari" in response.json()["message"]


def test_standard_page_blocks_in_api(client, home):
    image = make_image("Foto", size=(1600, 1200))
    doc = make_document("SOP")
    std = make_standard(
        home,
        title="Isi",
        slug="isi",
        body=[
            ("heading", {"text": "Judul", "level": "h3"}),
            ("image", {"image": image, "caption": "Keterangan"}),
            ("document", {"document": doc, "title": ""}),
            ("quote", {"quote": "Terbuka", "attribution": "UU"}),
            ("table", {"caption": "T", "table": {"data": [["a", "b"]], "first_row_is_table_header": True}}),
        ],
    )
    body = client.get(f"/api/v2/pages/{std.pk}/").json()["body"]
    by_type = {block["type"]: block["value"] for block in body}
    assert by_type["heading"] == {"text": "Judul", "level": "h3"}
    assert by_type["image"]["caption"] == "Keterangan"
    assert by_type["image"]["image"]["width"] == 1200 and by_type["image"]["image"]["height"] == 900
    assert by_type["document"]["title"] == "SOP"
    assert by_type["document"]["url"].endswith(".pdf") and by_type["document"]["extension"] == "pdf"
    assert by_type["table"]["table"]["data"] == [["a", "b"]]


def test_ppid_profile_fields_and_fallbacks(client, home, units):
    org = organisation(home)
    org.office_hours = "Senin–Jumat 08.00–16.00 WIB"
    org.service_charter = "<p>Maklumat instansi</p>"
    org.save()
    profile = make_profile(
        home,
        mission="<p>Misi</p>",
        structure_image=make_image("Bagan", size=(2400, 1200)),
        legal_basis=[("other", {"title": "UU 14/2008", "url": "https://jdih.example/uu14"})],
    )
    PPIDOfficial.objects.create(page=profile, name="Budi", position="Kepala Biro", role="utama", unit=units["SES"])

    [page] = items(client, "type=home.PPIDProfilePage&fields=*")
    assert page["mission"] == "<p>Misi</p>"
    assert page["service_hours"] == "Senin–Jumat 08.00–16.00 WIB"
    assert page["service_charter"] == "<p>Maklumat instansi</p>"
    assert page["structure_image"]["width"] == 1600
    assert page["officials"][0]["unit"] == {"code": "SES", "name": "Sekretariat"}
    assert page["officials"][0]["role_label"] == "PPID Utama"
    assert page["legal_basis"][0]["value"]["title"] == "UU 14/2008"

    profile.service_charter = "<p>Maklumat khusus PPID</p>"
    profile.save()
    [page] = items(client, "type=home.PPIDProfilePage&fields=service_charter")
    assert page["service_charter"] == "<p>Maklumat khusus PPID</p>"


def test_dip_entry_fields_and_exempt_entries_never_expose_a_file(client, dip_index, units):
    doc = make_document("Renstra")
    make_entry(dip_index, units["SES"], title="Renstra", documents=[doc], made_when="2020", retention_period="5 tahun")
    exempt = make_entry(
        dip_index,
        units["INSP"],
        title="Pemeriksaan",
        information_class="dikecualikan",
        exemption_ground="a",
        consequence_test="Menghambat penegakan hukum.",
    )
    # Even if a file slipped into storage (e.g. a script saving without validation), it never goes out.
    exempt.documents = [("document", {"document": doc, "title": ""})]
    exempt.save(clean=False)

    rows = {row["title"]: row for row in items(client, "type=home.PublicInformationPage&fields=*")}
    assert rows["Renstra"]["documents"][0]["id"] == doc.pk
    assert rows["Renstra"]["unit"] == {"code": "SES", "name": "Sekretariat"}
    assert rows["Renstra"]["information_class_label"] == "Berkala"
    assert rows["Pemeriksaan"]["documents"] == []
    assert rows["Pemeriksaan"]["exemption_ground"] == "a"
    assert rows["Pemeriksaan"]["exemption_ground_label"].startswith("a. Menghambat")
    assert rows["Pemeriksaan"]["consequence_test"] == "Menghambat penegakan hukum."
    detail = client.get(f"/api/v2/pages/{exempt.pk}/").json()
    assert detail["documents"] == []
    assert "/documents/" not in client.get(exempt.url).content.decode()


@pytest.fixture
def private_collection(db):
    root = Collection.get_first_root_node()
    private = root.add_child(name="Rahasia")
    CollectionViewRestriction.objects.create(collection=private, restriction_type=CollectionViewRestriction.LOGIN)
    child = private.add_child(name="Rahasia/Arsip")
    return private, child


def test_documents_in_private_collections_are_hidden_from_anonymous(client, home, private_collection):
    private, sub = private_collection
    public_doc = make_document("Publik")
    secret = make_document("Rahasia", collection=private)
    archived = make_document("Arsip", collection=sub)
    secret_image = make_image("Foto rahasia", collection=private)

    titles = {d["title"] for d in client.get("/api/v2/documents/").json()["items"]}
    assert titles == {"Publik"}
    assert client.get(f"/api/v2/documents/{secret.pk}/").status_code == 404
    assert client.get(f"/api/v2/documents/{archived.pk}/").status_code == 404
    assert client.get(f"/api/v2/images/{secret_image.pk}/").status_code == 404

    std = make_standard(
        home,
        title="Isi",
        slug="isi",
        body=[
            ("document", {"document": secret, "title": ""}),
            ("document", {"document": public_doc, "title": ""}),
        ],
    )
    body = client.get(f"/api/v2/pages/{std.pk}/").json()["body"]
    assert body[0]["value"] is None
    assert body[1]["value"]["id"] == public_doc.pk
    assert "Rahasia" not in client.get("/isi/").content.decode()

    user = get_user_model().objects.create_user("pegawai", password="rahasia-123")
    client.force_login(user)
    titles = {d["title"] for d in client.get("/api/v2/documents/").json()["items"]}
    assert titles == {"Publik", "Rahasia", "Arsip"}


def test_private_document_left_out_of_dip_entry(client, dip_index, units, private_collection):
    private, _ = private_collection
    make_entry(
        dip_index,
        units["SES"],
        title="Campuran",
        documents=[make_document("Terbuka"), make_document("Tertutup", collection=private)],
    )
    [row] = items(client, "type=home.PublicInformationPage&fields=documents")
    assert [d["title"] for d in row["documents"]] == ["Terbuka"]
    [row] = client.get("/api/v2/public-information/").json()["results"]
    assert [d["title"] for d in row["documents"]] == ["Terbuka"]


def test_view_restricted_pages_and_descendants_are_hidden(client, home):
    secret = make_standard(home, title="Internal", slug="internal")
    child = make_standard(secret, title="Anak internal", slug="anak")
    make_standard(home, title="Umum", slug="umum")
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.PASSWORD, password="x")

    titles = {p["title"] for p in items(client, "type=home.StandardPage")}
    assert titles == {"Umum"}
    assert client.get(f"/api/v2/pages/{secret.pk}/").status_code == 404
    assert client.get(f"/api/v2/pages/{child.pk}/").status_code == 404
    assert client.get("/api/v2/pages/find/?html_path=/internal/anak/").status_code == 404

    # A link to the restricted page from a public page does not reveal it either.
    home.featured_regulations = []
    home.save()
    HomePageSlide.objects.create(page=home, image=make_image("S"), title="Slide", link_page=secret)
    [page] = items(client, "type=home.HomePage&fields=slides")
    assert page["slides"][0]["link"]["page"] is None
