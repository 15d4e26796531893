"""Query budgets: list endpoints, site listings and the operator desk list cost the same number of SQL queries
whatever the data volume (3 vs 30 items) and the page size (5 vs 50), under an absolute cap.

Lists already covered elsewhere are not repeated here: ``/api/v2/public-information/``, ``/api/v2/documents/``,
``/api/v2/pages/`` (plain, DIP with ``fields=*``) in ``tests/home/test_api_site_dip.py``; ``/api/v2/news/`` and
``/api/v2/pages/?type=berita.NewsPage&fields=*`` in ``tests/berita/test_schedule_api.py``; regulations without
filters in ``tests/regulasi/test_api.py``; statistics caching in ``tests/layanan/test_statistics.py``.
"""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Collection, Site

from berita.models import NewsCategory, NewsIndexPage, NewsPage
from home.models import OrganisationSettings, SocialMediaAccount, Unit
from layanan.core.workflow import apply_transition
from layanan.ppid import intake as ppid_intake
from regulasi.models import RegulationIndexPage, RegulationPage
from tests.home.factories import add_child, make_dip_index, make_document, make_entry, make_image, make_site
from tests.layanan import conftest as layanan_fixtures
from tests.layanan.conftest import ppid_payload, wib

# The service-desk fixtures, shared with tests/layanan (this file lives at the top of tests/).
synced_holidays = layanan_fixtures.synced_holidays
units = layanan_fixtures.units
make_user = layanan_fixtures.make_user
desk_users = layanan_fixtures.desk_users

#: No list may ever need more than this many queries, whatever it shows.
CAP = 30
_seq = itertools.count(1)


def count(client, url, **extra) -> tuple[int, object]:
    client.get(url, **extra)  # warm per-process caches and one-off work (renditions, site root paths)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), response


def assert_flat(client, grow, url_small, url_large, expect_large=None, **extra):
    """Measure ``url_small`` with 3 items, grow the data to 30 items, measure ``url_large``; equal and ≤ CAP.

    Two visits first, before any item exists: what every request keeps per process (the site, the site settings, the
    view restrictions: ``home.memo``) is warm in both measurements — the first visit creates the site settings' row,
    a global change."""
    for _ in range(2):
        client.get(url_small, **extra)
    grow(3)
    small, _ = count(client, url_small, **extra)
    grow(30)
    large, response = count(client, url_large, **extra)
    if expect_large is not None:
        assert expect_large(response), "the large page shows the grown data"
    assert large == small, f"{small} queries with 3 items, {large} with 30 ({url_small} vs {url_large})"
    assert large <= CAP


def items_of(response) -> list:
    body = response.json()
    return body.get("items", body.get("results", []))


# --- content builders ------------------------------------------------------------------------------------------
@pytest.fixture
def home(db):
    return make_site()


@pytest.fixture
def news(home):
    index = add_child(home, NewsIndexPage(title="Berita", slug="berita"))
    categories = [NewsCategory.objects.create(name=f"Kategori {i}", slug=f"kategori-{i}") for i in range(3)]
    made: list[NewsPage] = []

    def grow(n):
        while len(made) < n:
            i = len(made)
            page = NewsPage(
                title=f"Berita {i}",
                slug=f"berita-{i}",
                date=timezone.now() - datetime.timedelta(hours=i),
                lead="Ringkasan",
                feature_image=make_image(f"Foto {i}") if i % 2 == 0 else None,
            )
            page.categories.set([categories[i % 3]])
            page.tags.add("PPID", f"Tag {i}")
            made.append(add_child(index, page))

    return grow


@pytest.fixture
def regulations(home):
    index = add_child(home, RegulationIndexPage(title="Regulasi", slug="regulasi"))
    made: list[RegulationPage] = []

    def grow(n):
        while len(made) < n:
            i = len(made)
            page = RegulationPage(
                title=f"Peraturan {i}",
                slug=f"peraturan-{i}",
                kind="permen",
                number=str(i + 1),
                year=2020,
                about=f"Keterbukaan {i}",
                document=make_document(f"Peraturan {i}"),
                replaced_by=made[0] if made else None,
                status="dicabut" if made else "berlaku",
            )
            index.add_child(instance=page)
            page.subjects.add("Keterbukaan Informasi", f"Tema {i}")
            page.save_revision().publish()
            made.append(page)

    return grow


@pytest.fixture
def dip(home):
    unit_list = [Unit.objects.create(code=f"U{i}", name=f"Unit {i}") for i in range(3)]
    index = make_dip_index(home)
    made = []

    def grow(n):
        while len(made) < n:
            i = len(made)
            made.append(
                make_entry(
                    index,
                    unit_list[i % 3],
                    title=f"Informasi {i}",
                    year=2000 + i % 20,
                    documents=[make_document(f"Dok {i}")],
                )
            )

    return grow


# --- public API lists ------------------------------------------------------------------------------------------
def test_images_api(client, home):
    made = []

    def grow(n):
        while len(made) < n:
            image = make_image(f"Gambar {len(made)}", collection=Collection.get_first_root_node())
            image.tags.add("PPID")
            made.append(image)

    assert_flat(
        client,
        grow,
        "/api/v2/images/?limit=5&fields=*",
        "/api/v2/images/?limit=50&fields=*",
        lambda r: len(items_of(r)) == 30,
    )


def test_regulations_api_with_filters(client, regulations):
    query = "kind=permen&year_min=2019&status=dicabut&subject=Keterbukaan%20Informasi&search=Keterbukaan"
    assert_flat(
        client,
        regulations,
        f"/api/v2/regulations/?{query}&limit=5",
        f"/api/v2/regulations/?{query}&limit=50",
        lambda r: len(items_of(r)) == 29,
    )


def test_regulation_pages_api_with_all_fields(client, regulations):
    assert_flat(
        client,
        regulations,
        "/api/v2/pages/?type=regulasi.RegulationPage&fields=*&limit=5",
        "/api/v2/pages/?type=regulasi.RegulationPage&fields=*&limit=50",
        lambda r: len(items_of(r)) == 30,
    )


def test_news_pages_api_filtered_by_tag_and_ordered(client, news):
    assert_flat(
        client,
        news,
        "/api/v2/pages/?type=berita.NewsPage&fields=*&tags=PPID&order=-date&limit=5",
        "/api/v2/pages/?type=berita.NewsPage&fields=*&tags=PPID&order=-date&limit=50",
    )


def test_site_api_with_many_units_and_accounts(client, home):
    settings_obj = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    made = []

    def grow(n):
        while len(made) < n:
            i = len(made)
            made.append(Unit.objects.create(code=f"S{i}", name=f"Satuan {i}", email=f"s{i}@example.org"))
            SocialMediaAccount.objects.create(
                settings=settings_obj, platform="instagram", handle=f"akun{i}", url=f"https://example.org/{i}"
            )

    assert_flat(client, grow, "/api/v2/site/", "/api/v2/site/")


def test_statistics_api_does_not_grow_with_tickets(client, synced_holidays, desk_users, units, settings):
    settings.PESAN_STATISTICS_CACHE_SECONDS = 0  # measure the computation, not the cache
    made = []

    def grow(n):
        while len(made) < n:
            ticket = ppid_intake.submit_ppid_request(ppid_payload(), received_at=wib(2026, 3, 2, 9, 0)).ticket
            apply_transition(ticket, "assign", desk_users["ppid"], unit=units[len(made) % 2].pk)
            made.append(ticket)

    assert_flat(client, grow, "/api/v2/statistics/?year=2026", "/api/v2/statistics/?year=2026")


# --- server-rendered listings ------------------------------------------------------------------------------------
def test_homepage_with_latest_news(client, news):
    assert_flat(client, news, "/", "/")


def test_news_index_page(client, news):
    assert_flat(client, news, "/berita/", "/berita/")


def test_regulation_index_page_with_filters(client, regulations):
    assert_flat(client, regulations, "/regulasi/", "/regulasi/?kind=permen&year=2020")


def test_dip_index_page(client, dip):
    from home.models import PublicInformationIndexPage

    dip(1)
    index_url = PublicInformationIndexPage.objects.get().url
    assert_flat(client, dip, index_url, index_url)


# --- operator desk list ------------------------------------------------------------------------------------------
@pytest.fixture
def desk_tickets(synced_holidays, desk_users, units):
    made = []

    def grow(n):
        while len(made) < n:
            i = len(made)
            ticket = ppid_intake.submit_ppid_request(
                ppid_payload(information_requested=f"Dokumen {i}"), received_at=wib(2026, 3, 2 + i % 20, 9, 0)
            ).ticket
            ticket = apply_transition(ticket, "assign", desk_users["ppid"], unit=units[0].pk)
            made.append(ticket)

    return grow


@pytest.mark.parametrize("role", ["op1", "ppid"])
def test_desk_list_filtered_by_unit_and_status(client, desk_tickets, desk_users, units, role):
    client.force_login(desk_users[role])
    base = "/admin/layanan/ppidrequestticket/"
    assert_flat(
        client,
        desk_tickets,
        f"{base}?unit__id__exact={units[0].pk}&status=assigned",
        f"{base}?unit__id__exact={units[0].pk}&status=assigned&deadline=open",
        lambda r: r.content.decode().count("layanan-row--") >= 25,
    )
