"""Builders for the home tests: a site with a HomePage, units, locally generated images and documents."""

from __future__ import annotations

import datetime
import io

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from home.models import (
    HomePage,
    OrganisationSettings,
    PPIDProfilePage,
    PublicInformationIndexPage,
    PublicInformationPage,
    StandardPage,
    Unit,
)


def make_image(title="Gambar", size=(640, 480), colour=(10, 80, 140), collection=None):
    buf = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buf, format="PNG")
    image = get_image_model()(title=title, collection=collection or Collection.get_first_root_node())
    image.file = ImageFile(io.BytesIO(buf.getvalue()), name=f"{title.lower().replace(' ', '-')}.png")
    image.save()
    return image


def make_document(title="Dokumen", collection=None, content=b"%PDF-1.4 test\n"):
    document = get_document_model()(title=title, collection=collection or Collection.get_first_root_node())
    document.file = ContentFile(content, name=f"{title.lower().replace(' ', '-')}.pdf")
    document._set_document_file_metadata()
    document.save()
    return document


def make_site(title="Kementerian Contoh", **home_fields) -> HomePage:
    """Root → HomePage, the default Site pointing at it, Wagtail's welcome page removed."""
    root = Page.get_first_root_node()
    home = HomePage(title=title, slug="beranda", **home_fields)
    root.add_child(instance=home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.save()
    for page in root.get_children().exact_type(Page):
        page.delete()
    home.refresh_from_db()
    return home


def make_units() -> dict[str, Unit]:
    rows = [
        ("SES", "Sekretariat", Unit.Kind.SEKRETARIAT),
        ("DEP1", "Deputi Satu", Unit.Kind.KEDEPUTIAN),
        ("DEP2", "Deputi Dua", Unit.Kind.KEDEPUTIAN),
        ("INSP", "Inspektorat", Unit.Kind.INSPEKTORAT),
    ]
    return {
        code: Unit.objects.create(code=code, name=name, kind=kind, sort_order=i)
        for i, (code, name, kind) in enumerate(rows)
    }


def add_child(parent, page, publish=True):
    parent.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    else:
        page.live = False
        page.save()
    page.refresh_from_db()
    return page


def make_dip_index(home, **fields) -> PublicInformationIndexPage:
    fields.setdefault("title", "Daftar Informasi Publik")
    fields.setdefault("slug", "dip")
    return add_child(home, PublicInformationIndexPage(**fields))


def make_entry(index, unit, *, title, information_class="berkala", year=2024, documents=(), publish=True, **fields):
    fields.setdefault("summary", f"Ringkasan {title}")
    fields.setdefault("person_responsible", "Kepala Biro")
    if information_class == "dikecualikan":
        fields.setdefault("exemption_ground", "h")
        fields.setdefault("consequence_test", "Membuka informasi ini mengungkap rahasia pribadi.")
        fields.setdefault("public_interest_test", "Melindungi pribadi lebih besar manfaatnya daripada membukanya.")
        fields.setdefault("exemption_period", "Selama orang yang bersangkutan hidup")
        fields.setdefault("decision_number", "SK-PPID/1/2024")
        fields.setdefault("decision_date", datetime.date(2024, 1, 15))
    page = PublicInformationPage(
        title=title,
        information_class=information_class,
        unit=unit,
        year=year,
        documents=[("document", {"document": doc, "title": ""}) for doc in documents],
        **fields,
    )
    return add_child(index, page, publish=publish)


def make_standard(parent, **fields) -> StandardPage:
    fields.setdefault("title", "Halaman")
    return add_child(parent, StandardPage(**fields))


def make_profile(home, **fields) -> PPIDProfilePage:
    fields.setdefault("title", "Profil PPID")
    fields.setdefault("slug", "profil-ppid")
    return add_child(home, PPIDProfilePage(**fields))


def organisation(home) -> OrganisationSettings:
    return OrganisationSettings.for_site(home.get_site())
