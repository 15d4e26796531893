"""The candidate queue as an editor uses it: WIB times, readable values, decide from the list, a preview,
bulk approval without a single download in the request."""

import re

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from berita.models import ImportedArticle, NewsPage
from berita.services import run_import

from .conftest import FixtureHandler

pytestmark = pytest.mark.django_db

HOSTILE = "sosialisasi-standar-layanan-informasi-publik-bagi-operator-ppid"
OFF_TOPIC = "investasi-wisata-bahari-di-kawasan-timur-terus-tumbuh"


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("redaktur", "r@example.com", "x"))
    return client


@pytest.fixture
def queue(news_index, make_source, session):
    run_import(make_source("rss", name="Situs utama"), session=session)
    return ImportedArticle.objects.all()


def url(name, *args):
    return reverse(ImportedArticle.snippet_viewset.get_url_name(name), args=args)


def row_of(html: str, title: str):
    soup = BeautifulSoup(html, "html.parser")
    link = soup.find(lambda tag: tag.name == "a" and tag.get_text(strip=True) == title)
    return link.find_parent("tr")


def test_the_list_shows_wib_times_plain_values_and_decisions(admin_client, queue):
    html = admin_client.get(url("list")).content.decode()
    off_topic = queue.get(slug=OFF_TOPIC)
    row = row_of(html, off_topic.title)
    text = re.sub(r"\s+", " ", row.get_text(" "))
    assert "08:45 WIB" in text  # 14 Jul 2025 08:45 in Jakarta (01:45 UTC in the database)
    assert row.find("time")["datetime"] == "2025-07-14T08:45:00+07:00"
    assert "Berita, Investasi" in text and "['" not in html and "None" not in text
    title_link = row.find(lambda tag: tag.name == "a" and tag.get_text(strip=True) == off_topic.title)
    assert title_link["href"] == url("inspect", off_topic.pk)  # the title opens the review, not the edit form
    assert off_topic.lead[:60] in text  # the lead under the title
    actions = {form["action"] for form in row.find_all("form")}
    assert actions == {url("approve", off_topic.pk), url("reject", off_topic.pk)}
    assert all(form.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"] for form in row.find_all("form"))
    assert row.find("a", href=url("inspect", off_topic.pk) + "#preview-heading")  # the preview, one click away
    hostile = re.sub(r"\s+", " ", row_of(html, queue.get(slug=HOSTILE).title).get_text(" "))
    # the feature image, and the hostile <img src="x"> (the admin speaks Indonesian)
    assert "1 disertakan" in hostile and "1 tidak disertakan" in hostile


def test_approve_and_reject_from_the_list_keep_the_filter(admin_client, queue):
    candidate = queue.get(slug=OFF_TOPIC)
    listing = url("list") + "?status=pending"
    response = admin_client.post(url("approve", candidate.pk), {"next": listing})
    assert response.status_code == 302 and response.url == listing
    candidate.refresh_from_db()
    assert candidate.status == "approved" and not candidate.news_page.live  # a draft for review, by default
    page = BeautifulSoup(admin_client.get(listing).content, "html.parser")
    messages = page.select_one(".messages").get_text(" ")
    assert candidate.title in messages
    editor = reverse("wagtailadmin_pages:edit", args=[candidate.news_page_id])
    assert page.select_one(".messages").find("a", href=editor)  # straight to the draft
    assert candidate.title not in page.select_one("table.listing").get_text(" ")  # no longer pending
    other = queue.get(slug=HOSTILE)
    admin_client.post(url("reject", other.pk), {"next": listing})
    other.refresh_from_db()
    assert other.status == "rejected"


def test_the_review_screen_reads_like_the_page(admin_client, queue):
    candidate = queue.get(slug=OFF_TOPIC)
    html = admin_client.get(url("inspect", candidate.pk)).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    preview = soup.select_one("article.berita-preview")
    text = re.sub(r"\s+", " ", preview.get_text(" "))
    assert text.count(candidate.lead) == 1
    assert "Pemerintah daerah diminta menyiapkan perizinan" in text
    assert "08:45 WIB" in text
    details = re.sub(r"\s+", " ", soup.select_one("main").get_text(" "))
    assert "None" not in details and "['" not in details and "+00:00" not in details
    assert "Berita, Investasi" in details and "Source categories display" not in details
    assert "08:45 WIB" in details.split("Pemerintah daerah")[-1]  # the details' times are WIB too
    for decision in ("approve", "reject"):
        assert soup.find("form", action=url(decision, candidate.pk))


def test_bulk_approval_downloads_nothing_in_the_request(admin_client, queue):
    ids = list(queue.values_list("pk", flat=True))
    assert ImportedArticle.objects.exclude(image=None).count() == 4  # feature images came with the import
    bulk = reverse("wagtail_bulk_action", args=("berita", "importedarticle", "approve"))
    hits = len(FixtureHandler.hits)
    response = admin_client.post(f"{bulk}?" + "&".join(f"id={pk}" for pk in ids))
    assert response.status_code == 302
    assert len(FixtureHandler.hits) == hits
    assert NewsPage.objects.count() == 6 and NewsPage.objects.exclude(feature_image=None).count() == 4
    assert not NewsPage.objects.live().exists()  # drafts for review
