"""Schedules follow sources; the news API filters and orders; the task runs the same import."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_q.models import Schedule

from berita.models import ImportedArticle, ImportSource, NewsCategory, NewsPage
from berita.scheduling import sync_all_schedules
from berita.services import approve, run_import
from berita.tasks import import_source

pytestmark = pytest.mark.django_db


def test_schedule_created_once_updated_and_removed():
    source = ImportSource.objects.create(name="Situs", kind="rss", feed_url="https://maritim.go.id/feed/rss/")
    schedules = Schedule.objects.filter(func="berita.tasks.import_source")
    assert schedules.count() == 1
    schedule = schedules.get()
    assert (schedule.schedule_type, schedule.minutes, schedule.args) == (Schedule.MINUTES, 60, f"{source.pk},")

    source.save()
    assert schedules.count() == 1

    source.schedule_cron = "0 */2 * * *"
    source.save()
    schedule = schedules.get()
    assert schedule.schedule_type == Schedule.CRON and schedule.cron == "0 */2 * * *"
    assert schedule.next_run > timezone.now() - timedelta(seconds=1)

    source.enabled = False
    source.save()
    assert not schedules.exists()
    source.enabled = True
    source.save()
    assert schedules.count() == 1
    source.delete()
    assert not schedules.exists()


def test_recording_a_run_does_not_touch_the_schedule(make_source, session):
    source = make_source("rss", enabled=True)
    before = Schedule.objects.get(name=f"berita-import-{source.pk}")
    run_import(source, session=session)
    after = Schedule.objects.get(name=f"berita-import-{source.pk}")
    assert (after.pk, after.next_run) == (before.pk, before.next_run)


def test_sync_all_is_idempotent_and_drops_orphans():
    ImportSource.objects.create(name="A", kind="rss", feed_url="https://a.example/feed/")
    ImportSource.objects.create(name="B", kind="rss", feed_url="https://b.example/feed/", enabled=False)
    Schedule.objects.create(name="berita-import-999", func="berita.tasks.import_source", args="999,")
    sync_all_schedules()
    sync_all_schedules()
    assert list(Schedule.objects.filter(func="berita.tasks.import_source").values_list("name", flat=True)) == [
        f"berita-import-{ImportSource.objects.get(name='A').pk}"
    ]


def test_source_validation_messages():
    source = ImportSource(name="X", kind="html", feed_url="", schedule_cron="tiap jam", selectors={"judul": "h1"})
    with pytest.raises(ValidationError) as info:
        source.full_clean()
    assert {"feed_url", "selectors", "schedule_cron"} <= set(info.value.message_dict)


def test_task_runs_the_import(make_source, session, monkeypatch):
    source = make_source("atom", enabled=True)
    monkeypatch.setattr("berita.services.build_session", lambda: session)
    summary = import_source(source.pk)
    assert "new=6" in summary
    assert source.runs.get().trigger == "schedule"
    assert "no longer exists" in import_source(987654)


@pytest.fixture
def published(news_index, make_source, session):
    ppid = NewsCategory.objects.create(name="PPID", slug="ppid")
    run_import(make_source("wordpress"), session=session)
    pages = {}
    for candidate in ImportedArticle.objects.all():
        page = approve(candidate, None, session=session, publish=True)
        if "PPID" in candidate.categories:
            page.categories.add(ppid)
            page.save_revision().publish()
        pages[candidate.slug] = page
    return pages


def test_news_api_lists_filters_and_orders(client, published):
    response = client.get("/api/v2/news/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 6
    dates = [item["date"] for item in data["results"]]
    assert dates == sorted(dates, reverse=True)
    assert dates[0].startswith("2025-07-14T08:45:00+07:00")

    ppid = client.get("/api/v2/news/", {"category": "ppid"}).json()
    assert [i["slug"] for i in ppid["results"]] == ["sosialisasi-standar-layanan-informasi-publik-bagi-operator-ppid"]
    tagged = client.get("/api/v2/news/", {"tag": "ppid"}).json()
    assert {i["slug"] for i in tagged["results"]} == {
        "sosialisasi-standar-layanan-informasi-publik-bagi-operator-ppid",
        "integrasikan-layanan-informasi-publik-kemenko-marves-tingkatkan-inovasi-penanganan-aspirasi-dan-pengaduan-masyarakat",
    }
    ranged = client.get("/api/v2/news/", {"date_from": "2024-01-01", "date_to": "2025-03-05"}).json()
    assert ranged["count"] == 2
    oldest = client.get("/api/v2/news/", {"ordering": "date"}).json()["results"][0]
    assert oldest["slug"] == "hari-maritim-momentum-jadikan-indonesia-mercusuar-dunia" and oldest["image"] is None
    found = client.get("/api/v2/news/", {"search": "wisata bahari"}).json()
    assert found["count"] == 1 and found["results"][0]["image"] is None
    by_lead = client.get("/api/v2/news/", {"search": "menggelar workshop"}).json()  # words of the lead only
    assert [i["id"] for i in by_lead["results"]] == [
        published[
            "integrasikan-layanan-informasi-publik-kemenko-marves-tingkatkan-inovasi-penanganan-aspirasi-dan-"
            "pengaduan-masyarakat"
        ].pk  # fmt: skip
    ]
    with_image = client.get("/api/v2/news/", {"category": "ppid"}).json()["results"][0]
    assert with_image["image"]["url"].startswith("http") and with_image["image"]["width"] == 640


def test_news_api_detail_and_categories(client, published):
    page = published["sosialisasi-standar-layanan-informasi-publik-bagi-operator-ppid"]
    detail = client.get(f"/api/v2/news/{page.pk}/").json()
    assert "Operator PPID" in detail["lead"] and "Operator PPID" not in detail["body_html"]  # the lead once
    assert "batas waktu 10 hari kerja" in detail["body_html"] and "<script" not in detail["body_html"]
    assert detail["source_url"].startswith("https://maritim.go.id/detail/")
    page.unpublish()
    assert client.get(f"/api/v2/news/{page.pk}/").status_code == 404
    cats = client.get("/api/v2/news/categories/").json()
    assert cats == [{"id": NewsCategory.objects.get().pk, "name": "PPID", "slug": "ppid"}]


def test_news_api_bad_input_is_a_400_in_indonesian(client, published):
    response = client.get("/api/v2/news/", {"date_from": "kemarin", "ordering": "judul"})
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"date_from", "ordering"}
    assert "Masukkan tanggal yang valid" in body["date_from"][0]


def test_wagtail_pages_api_orders_and_filters_news(client, published):
    response = client.get("/api/v2/pages/", {"type": "berita.NewsPage", "order": "-date", "fields": "date,tags"})
    assert response.status_code == 200
    items = response.json()["items"]
    assert len(items) == 6
    assert [i["meta"]["slug"] for i in items][0] == "investasi-wisata-bahari-di-kawasan-timur-terus-tumbuh"
    tagged = client.get("/api/v2/pages/", {"type": "berita.NewsPage", "tags": "PPID"}).json()["items"]
    assert len(tagged) == 2
    assert NewsPage.objects.count() == 6


@pytest.mark.parametrize(
    "url",
    ["/api/v2/news/?limit={n}", "/api/v2/pages/?type=berita.NewsPage&fields=*&limit={n}"],
)
def test_news_list_query_count_does_not_grow_with_page_size(client, published, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(n):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url.format(n=n))
        assert response.status_code == 200
        return len(ctx.captured_queries), response.json()

    count(6)  # warm caches and create the renditions once (site root paths, content types, image files)
    small, _ = count(2)  # the two newest: one with a feature image, one without
    large, body = count(6)
    assert len(body.get("results", body.get("items", []))) == 6
    assert large == small
