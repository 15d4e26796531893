"""An editor types a regulation's kind, number, year and subject matter once (issue 19): the title is composed
from them when left empty, follows them while it is the composed one, and stays as typed once edited."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import nested_form_data, rich_text

from regulasi.models import RegulationPage, default_slug, default_title

pytestmark = pytest.mark.django_db


def form(**fields):
    data = {
        "title": "",
        "slug": "",
        "kind": "uu",
        "number": "14",
        "year": 2008,
        "about": "Keterbukaan Informasi Publik",
        "issued_on": "2008-04-30",
        "status": "berlaku",
        "subjects": "",
        "abstract": rich_text(""),
        **fields,
    }
    return nested_form_data(data)


def test_default_title_rule():
    assert default_title("uu", "14", 2008, "Keterbukaan Informasi Publik") == (
        "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik"
    )
    assert default_title("perki", " 1 ", 2021, "Standar Layanan") == (
        "Peraturan Komisi Informasi Nomor 1 Tahun 2021 tentang Standar Layanan"
    )
    assert default_title("other", "1", 2020, "Apa saja") == ""  # "Lainnya" is no name to cite by
    assert default_title("uu", "", 2008, "KIP") == default_title("uu", "14", None, "KIP") == ""
    assert default_slug("uu", "14", 2008, "Keterbukaan Informasi Publik") == "uu-14-2008-keterbukaan-informasi-publik"


def test_the_title_is_composed_in_indonesian_whatever_the_editors_language():
    with translation.override("en"):
        assert default_title("pp", "61", 2010, "Pelaksanaan").startswith("Peraturan Pemerintah Nomor 61")


def test_an_empty_title_and_slug_are_composed_on_create(admin_client, index_page):
    url = reverse("wagtailadmin_pages:add", args=["regulasi", "regulationpage", index_page.pk])
    page = admin_client.get(url).content.decode()
    assert 'placeholder="Judul (disusun otomatis bila dikosongkan)"' in page
    response = admin_client.post(url, form(**{"action-publish": "publish"}))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    created = RegulationPage.objects.child_of(index_page).get()
    assert created.title == "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik"
    assert created.slug == "uu-14-2008-keterbukaan-informasi-publik"
    assert created.live


def test_the_composed_title_follows_a_corrected_number_until_edited(admin_client, make_regulation):
    page = make_regulation(kind="uu", number="41", year=2008, about="Keterbukaan Informasi Publik")
    page.title = default_title("uu", "41", 2008, "Keterbukaan Informasi Publik")
    page.save_revision().publish()
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])

    response = admin_client.post(url, form(title=page.title, slug=page.slug, number="14"))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.get_latest_revision_as_object().title.startswith("Undang-Undang Nomor 14 Tahun 2008")
    assert page.slug != "uu-14-2008-keterbukaan-informasi-publik"  # a saved slug is kept: links keep working

    edited = "Undang-Undang Republik Indonesia Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik"
    admin_client.post(url, form(title=edited, slug=page.slug))
    admin_client.post(url, form(title=edited, slug=page.slug, about="KIP"))
    assert RegulationPage.objects.get(pk=page.pk).get_latest_revision_as_object().title == edited


def test_a_kind_other_needs_a_typed_title(admin_client, index_page):
    url = reverse("wagtailadmin_pages:add", args=["regulasi", "regulationpage", index_page.pk])
    response = admin_client.post(url, form(kind="other"))
    assert response.status_code == 200
    assert "Ketik judulnya" in response.content.decode()
    assert not RegulationPage.objects.exists()

    typed = admin_client.post(url, form(kind="other", title="Instruksi Menteri Nomor 2 Tahun 2020 tentang X"))
    assert typed.status_code == 302
    assert RegulationPage.objects.get().title == "Instruksi Menteri Nomor 2 Tahun 2020 tentang X"
