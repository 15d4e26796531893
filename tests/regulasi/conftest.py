"""Fixtures for the regulation tests: a site whose root is a HomePage, an index page and a page factory."""

import itertools

import pytest
from django.utils.text import slugify
from wagtail.models import Page, Site

from home.models import HomePage
from regulasi.models import RegulationIndexPage, RegulationPage

_counter = itertools.count(1)


@pytest.fixture
def home_page(db):
    """A HomePage under the tree root, made the default site's root page."""
    root = Page.get_first_root_node()
    home = HomePage(title="Beranda", slug=f"beranda-{next(_counter)}")
    root.add_child(instance=home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    else:
        site.root_page = home
        site.save()
    Site.clear_site_root_paths_cache()
    return home


@pytest.fixture
def index_page(home_page):
    index = RegulationIndexPage(title="Regulasi", slug="regulasi", intro="<p>Dasar hukum PPID.</p>")
    home_page.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def make_regulation(index_page):
    """Factory: ``make_regulation(kind="uu", number="14", year=2008, about="...", **fields)`` → live page.

    ``subjects`` (list of names) are tagged; ``live=False`` leaves a draft.
    """

    def make(kind="uu", number="1", year=2020, about="Contoh", subjects=(), live=True, parent=None, **fields):
        title = fields.pop("title", None) or f"{kind.upper()} Nomor {number} Tahun {year} tentang {about}"
        page = RegulationPage(
            title=title,
            slug=slugify(f"{kind}-{number}-{year}-{about}-{next(_counter)}"),
            kind=kind,
            number=number,
            year=year,
            about=about,
            live=live,
            **fields,
        )
        (parent or index_page).add_child(instance=page)
        if subjects:
            page.subjects.add(*subjects)
            page.save()
        if live:
            page.save_revision().publish()
        else:
            page.save_revision()
        return RegulationPage.objects.get(pk=page.pk)

    return make
