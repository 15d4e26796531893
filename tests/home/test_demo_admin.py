"""Demo content (idempotent, complete) and the admin screens of the home app."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from home import demo
from home.models import (
    HomePage,
    HomePageSlide,
    OrganisationSettings,
    PPIDOfficial,
    PPIDProfilePage,
    PublicInformationPage,
    SocialMediaAccount,
    StandardPage,
    Unit,
)

pytestmark = pytest.mark.django_db

COUNTED = [
    Page,
    get_image_model(),
    get_document_model(),
    Unit,
    HomePageSlide,
    PPIDOfficial,
    SocialMediaAccount,
    Revision,
    Site,
    get_user_model(),
]


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def test_home_seed_builds_the_site_and_is_idempotent():
    out = io.StringIO()
    demo.seed(out)
    first = counts()
    demo.seed(io.StringIO())
    assert counts() == first

    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert (site.hostname, site.port) == ("testserver", 80)  # WAGTAILADMIN_BASE_URL of the test settings
    assert home.title == "Kementerian Koordinator Bidang Kemaritiman dan Investasi"
    assert not Page.objects.filter(depth=2).exact_type(Page).exists()  # Wagtail's welcome page is gone

    org = OrganisationSettings.for_site(site)
    assert org.short_name == "Kemenko Marves"
    assert org.office_hours == "Senin–Jumat 08.00–16.00 WIB"
    assert org.address and org.phone and org.email and org.whatsapp and org.service_charter and org.logo
    assert org.social_accounts.count() >= 3

    slides = home.visible_slides()
    assert len(slides) == 3 and all(slide.image for slide in slides)
    assert PPIDProfilePage.objects.live().count() == 1
    assert StandardPage.objects.live().exists()
    entries = PublicInformationPage.objects.live()
    assert entries.count() >= 8
    assert set(entries.values_list("information_class", flat=True)) == {
        "berkala",
        "serta_merta",
        "setiap_saat",
        "dikecualikan",
    }
    for exempt in entries.filter(information_class="dikecualikan"):
        assert exempt.exemption_ground and exempt.consequence_test and exempt.public_documents() == []
    with open(demo.DEMO_DATA / "units.csv", encoding="utf-8") as handle:
        assert Unit.objects.count() == len(handle.readlines()) - 1
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password("pesan-admin")
    assert user.first_name and user.last_name  # Wagtail's account form (the admin language) requires them
    assert "admin" in out.getvalue() and "pesan-admin" in out.getvalue()


def test_home_seed_keeps_edits():
    demo.seed(io.StringIO())
    org = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    org.name = "Badan Lain"
    org.save()
    Unit.objects.filter(code="DEP1").update(name="Deputi Baru")
    demo.seed(io.StringIO())
    org.refresh_from_db()
    assert org.name == "Badan Lain"
    assert Unit.objects.get(code="DEP1").name == "Deputi Baru"


def test_seed_demo_command_is_idempotent_and_serves_the_site(client):
    call_command("seed_demo", stdout=io.StringIO())
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first

    assert "Kementerian Koordinator Bidang Kemaritiman dan Investasi" in client.get("/").content.decode()
    [home] = client.get("/api/v2/pages/?type=home.HomePage&fields=*").json()["items"]
    assert len(home["slides"]) == 3 and all(s["image"]["url"] for s in home["slides"])
    assert client.get("/api/v2/public-information/").json()["count"] >= 8
    assert client.login(username="admin", password="pesan-admin")
    assert client.get("/admin/").status_code == 200


def test_units_are_editable_in_the_admin_under_unit_kerja(client):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-123456")
    client.force_login(admin)
    Unit.objects.create(code="DEP9", name="Deputi Sembilan")
    dashboard = client.get("/admin/").content.decode()
    assert "Unit kerja" in dashboard

    listing = client.get("/admin/snippets/home/unit/")
    assert listing.status_code == 200
    assert "Deputi Sembilan" in listing.content.decode()

    response = client.post(
        "/admin/snippets/home/unit/add/",
        {
            "code": "DEP7",
            "name": "Deputi Tujuh",
            "kind": "kedeputian",
            "parent": "",
            "email": "dep7@example.go.id",
            "active": "on",
            "sort_order": "70",
        },
    )
    assert response.status_code == 302
    assert Unit.objects.get(code="DEP7").email == "dep7@example.go.id"

    duplicate = client.post(
        "/admin/snippets/home/unit/add/", {"code": "DEP7", "name": "Lagi", "kind": "biro", "sort_order": "1"}
    )
    assert duplicate.status_code == 200  # shown again with an error
    assert Unit.objects.filter(code="DEP7").count() == 1


def test_site_settings_are_editable_in_the_admin(client):
    demo.seed(io.StringIO())
    client.force_login(get_user_model().objects.get(username="admin"))
    site = Site.objects.get(is_default_site=True)
    response = client.get(f"/admin/settings/home/organisationsettings/{site.pk}/")
    assert response.status_code == 200
    assert "Senin–Jumat 08.00–16.00 WIB" in response.content.decode()
