"""Approving candidates: NewsPage creation, review setting, images, auto-approval, the Wagtail API."""

import pytest
from django.test import override_settings
from wagtail.models import Site

from berita.models import ImportedArticle, ImportRule, NewsCategory, NewsPage, NewsSettings
from berita.services import ApprovalError, approve, reject, run_import

pytestmark = pytest.mark.django_db

WORKSHOP = (
    "integrasikan-layanan-informasi-publik-kemenko-marves-tingkatkan-inovasi-penanganan-aspirasi-dan-pengaduan-"
    "masyarakat"
)
NO_IMAGE = "hari-maritim-momentum-jadikan-indonesia-mercusuar-dunia"


@pytest.fixture
def imported(make_source, session):
    source = make_source("wordpress", credit_name="Kemenko Marves")
    run_import(source, session=session)
    return source


@pytest.fixture
def publish_on_approval(news_index):
    """The site's news settings with review off: approving publishes."""
    settings_obj = NewsSettings.for_site(Site.objects.get(is_default_site=True))
    settings_obj.require_review = False
    settings_obj.save()


def forget_feature_image(candidate, image_url=None):
    """As if the candidate had been imported before images were fetched at import time."""
    candidate.image, candidate.image_error = None, ""
    if image_url:
        candidate.image_url = image_url
    candidate.save()


def test_approve_creates_live_page_visible_in_wagtail_api(
    news_index, imported, session, client, django_user_model, publish_on_approval
):
    editor = django_user_model.objects.create_user("editor", password="x")
    candidate = ImportedArticle.objects.get(slug=WORKSHOP)
    page = approve(candidate, editor, session=session)
    candidate.refresh_from_db()
    assert candidate.status == "published" and candidate.news_page_id == page.pk
    assert candidate.decided_by == editor and candidate.decided_at
    page = NewsPage.objects.get(pk=page.pk)
    assert page.live and page.get_parent().specific == news_index
    assert page.source_name == "Kemenko Marves"
    assert page.source_url == f"https://maritim.go.id/detail/{WORKSHOP}"
    assert page.date == candidate.published_at
    assert sorted(t.name for t in page.tags.all()) == sorted(["PPID", "Keterbukaan Informasi", "SP4N LAPOR", "WBS"])
    assert page.feature_image is not None and page.feature_image.collection.name == "Berita impor"
    assert page.feature_image.width > 0

    response = client.get("/api/v2/pages/", {"type": "berita.NewsPage", "fields": "*", "order": "-date"})
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["title"] for i in items] == [candidate.title]
    item = items[0]
    assert item["source_url"] == page.source_url and item["date"].startswith("2023-06-08T16:05:00")
    assert item["lead"].startswith("Marves - Jakarta, Kamis (08-06-2023). Biro Komunikasi menggelar workshop")
    assert "Biro Komunikasi menggelar workshop" not in item["body"][0]["value"]  # the lead is not repeated
    assert "Layanan yang akan disatukan" in item["body"][0]["value"]
    assert item["feature_image"]["id"] == page.feature_image.pk
    assert item["feature_image_thumbnail"]["url"]


def test_approve_twice_gives_one_page(news_index, imported, session):
    candidate = ImportedArticle.objects.get(slug=WORKSHOP)
    first = approve(candidate, None, session=session)
    second = approve(ImportedArticle.objects.get(pk=candidate.pk), None, session=session)
    assert first.pk == second.pk and NewsPage.objects.count() == 1


def test_review_is_the_default_approval_leaves_a_draft(news_index, imported, session):
    assert not NewsSettings.objects.exists()  # a new install: nothing saved yet
    assert NewsSettings.for_site(Site.objects.get(is_default_site=True)).require_review
    candidate = ImportedArticle.objects.get(slug=NO_IMAGE)
    page = approve(candidate, None, session=session)
    candidate.refresh_from_db()
    assert candidate.status == "approved"
    page.refresh_from_db()
    assert not page.live and page.has_unpublished_changes


def test_image_that_is_not_an_image_keeps_the_article(news_index, imported, session, publish_on_approval):
    candidate = ImportedArticle.objects.get(slug=WORKSHOP)
    forget_feature_image(candidate, "https://maritim.go.id/konten/unggahan/2023/06/not-an-image.jpg")
    page = approve(candidate, None, session=session)
    candidate.refresh_from_db()
    assert page.live and page.feature_image is None
    assert candidate.status == "published" and candidate.image_error


def test_missing_image_keeps_the_article(news_index, imported, session, publish_on_approval):
    candidate = ImportedArticle.objects.get(slug=WORKSHOP)
    forget_feature_image(candidate, "https://maritim.go.id/konten/unggahan/2023/06/hilang.jpg")
    page = approve(candidate, None, session=session)
    candidate.refresh_from_db()
    assert page.live and page.feature_image is None and "404" in candidate.image_error


@override_settings(PESAN_NEWS_MAX_IMAGE_BYTES=1000)
def test_too_big_image_keeps_the_article(news_index, imported, session, publish_on_approval):
    candidate = ImportedArticle.objects.get(slug=WORKSHOP)
    forget_feature_image(candidate)
    page = approve(candidate, None, session=session)
    candidate.refresh_from_db()
    assert page.live and page.feature_image is None and "1000" in candidate.image_error


def test_categories_from_rule_mapping_and_default(news_index, make_source, session):
    ppid = NewsCategory.objects.create(name="PPID", slug="ppid")
    rilis = NewsCategory.objects.create(name="Rilis", slug="rilis")
    umum = NewsCategory.objects.create(name="Umum", slug="umum")
    source = make_source("wordpress", category_mapping={"Siaran Pers": "rilis"}, default_category=umum)
    ImportRule.objects.create(name="PPID", keywords="PPID", target_category=ppid)
    run_import(source, session=session)
    page = approve(ImportedArticle.objects.get(slug=WORKSHOP), None, session=session)
    assert {c.slug for c in page.categories.all()} == {"ppid", "rilis", "umum"}
    assert rilis in page.categories.all()


def test_auto_approve_rule_publishes_during_import(news_index, make_source, session, publish_on_approval):
    ImportRule.objects.create(name="PPID otomatis", keywords="PPID", match_body=False, action="auto_approve")
    run_import(make_source("rss"), session=session)
    published = set(ImportedArticle.objects.filter(status="published").values_list("slug", flat=True))
    assert WORKSHOP in published
    assert "investasi-wisata-bahari-di-kawasan-timur-terus-tumbuh" not in published
    assert NewsPage.objects.live().count() == len(published)
    # A second run neither duplicates pages nor candidates.
    run_import(ImportedArticle.objects.first().source, session=session)
    assert NewsPage.objects.count() == len(published)


def test_approve_without_news_index_fails_clearly(imported, session):
    with pytest.raises(ApprovalError):
        approve(ImportedArticle.objects.first(), None, session=session)
    assert not NewsPage.objects.exists()


def test_reject_unpublishes_and_survives_reimport(news_index, imported, session):
    candidate = ImportedArticle.objects.get(slug=WORKSHOP)
    page = approve(candidate, None, session=session)
    reject(candidate)
    page.refresh_from_db()
    assert not page.live
    run_import(imported, session=session)
    assert ImportedArticle.objects.get(pk=candidate.pk).status == "rejected"
