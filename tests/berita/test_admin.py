"""The Wagtail admin screens of the news import: listing, filters, preview, single and bulk decisions."""

import pytest
from django.urls import reverse

from berita.models import ImportedArticle, ImportRule, ImportSource, NewsPage
from berita.services import run_import

pytestmark = pytest.mark.django_db

HOSTILE = "sosialisasi-standar-layanan-informasi-publik-bagi-operator-ppid"


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", "x")
    client.force_login(user)
    return client


@pytest.fixture
def candidates(news_index, make_source, session, monkeypatch):
    monkeypatch.setattr("berita.services.build_session", lambda: session)
    ImportRule.objects.create(name="PPID", keywords="PPID")
    run_import(make_source("rss", name="Situs utama"), session=session)
    return ImportedArticle.objects.all()


def url(name, *args):
    return reverse(ImportedArticle.snippet_viewset.get_url_name(name), args=args)


def test_candidate_list_and_filters(admin_client, candidates):
    response = admin_client.get(url("list"))
    assert response.status_code == 200
    assert "Investasi Wisata Bahari" in response.content.decode()
    rule = ImportRule.objects.get()
    filtered = admin_client.get(url("list"), {"matched_rule": rule.pk}).content.decode()
    assert "Operator PPID" in filtered and "Investasi Wisata Bahari" not in filtered
    by_status = admin_client.get(url("list"), {"status": "rejected"}).content.decode()
    assert "Operator PPID" not in by_status
    by_category = admin_client.get(url("list"), {"source_category": "Investasi"}).content.decode()
    assert "Investasi Wisata Bahari" in by_category and "Operator PPID" not in by_category


def test_inspect_shows_clean_preview_and_reason(admin_client, candidates):
    candidate = candidates.get(slug=HOSTILE)
    html = admin_client.get(url("inspect", candidate.pk)).content.decode()
    assert "batas waktu 10 hari kerja" in html and "Daftar hadir" not in html
    assert "Aturan “PPID”: kata kunci “PPID” di judul" in html  # the reason, in Indonesian
    assert "alert(" not in html and "evil.example" not in html


def test_single_approve_and_reject(admin_client, candidates):
    candidate = candidates.get(slug=HOSTILE)
    response = admin_client.post(url("approve", candidate.pk))
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == "approved" and not candidate.news_page.live  # a draft for review by default
    assert candidate.decided_by.username == "admin"
    response = admin_client.post(url("reject", candidate.pk), {"next": "https://evil.example/"})
    assert response.url == url("list")
    candidate.refresh_from_db()
    assert candidate.status == "rejected" and not NewsPage.objects.get().live


def test_bulk_approve_and_reject(admin_client, candidates):
    ids = list(candidates.filter(matched_rule__isnull=False).values_list("pk", flat=True))
    bulk = reverse("wagtail_bulk_action", args=("berita", "importedarticle", "approve"))
    query = "&".join(f"id={pk}" for pk in ids)
    assert admin_client.get(f"{bulk}?{query}").status_code == 200  # confirmation page
    response = admin_client.post(f"{bulk}?{query}")
    assert response.status_code == 302
    assert NewsPage.objects.count() == len(ids)
    others = list(candidates.filter(matched_rule__isnull=True).values_list("pk", flat=True))
    reject = reverse("wagtail_bulk_action", args=("berita", "importedarticle", "reject"))
    admin_client.post(f"{reject}?" + "&".join(f"id={pk}" for pk in others))
    assert ImportedArticle.objects.filter(status="rejected").count() == len(others)


def test_candidates_cannot_be_added_by_hand(admin_client, candidates):
    assert admin_client.get(url("add")).status_code in (302, 403)


def test_source_screens_and_import_now(admin_client, candidates):
    source = ImportSource.objects.get()
    viewset = ImportSource.snippet_viewset
    listing = admin_client.get(reverse(viewset.get_url_name("list")))
    assert listing.status_code == 200 and "Situs utama" in listing.content.decode()
    inspect = admin_client.get(reverse(viewset.get_url_name("inspect"), args=[source.pk]))
    assert inspect.status_code == 200
    response = admin_client.post(reverse(viewset.get_url_name("run"), args=[source.pk]))
    assert response.status_code == 302
    assert source.runs.count() == 2
    assert admin_client.get(reverse(viewset.get_url_name("edit"), args=[source.pk])).status_code == 200
    for model in ("importrule", "importrun", "newscategory"):
        assert admin_client.get(reverse(f"wagtailsnippets_berita_{model}:list")).status_code == 200


def test_adding_a_source_in_the_admin_schedules_it_and_validates(admin_client):
    from django_q.models import Schedule

    add = reverse(ImportSource.snippet_viewset.get_url_name("add"))
    form = {
        "name": "Situs WordPress",
        "credit_name": "",
        "kind": "wordpress",
        "base_url": "https://maritim.go.id",
        "feed_url": "",
        "enabled": "on",
        "schedule_cron": "",
        "schedule_minutes": "30",
        "default_category": "",
        "category_mapping": "{}",
        "selectors": "{}",
        "timeout": "20",
        "max_items": "50",
        "max_pages": "3",
    }
    response = admin_client.post(add, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    source = ImportSource.objects.get(name="Situs WordPress")
    assert source.fetch_url == "https://maritim.go.id/wp-json/wp/v2/posts"
    assert Schedule.objects.get(name=f"berita-import-{source.pk}").minutes == 30

    bad = admin_client.post(add, {**form, "name": "Rusak", "kind": "html", "schedule_cron": "setiap jam"})
    assert bad.status_code == 200
    assert not ImportSource.objects.filter(name="Rusak").exists()
    assert "Ekspresi cron tidak valid" in bad.content.decode()
