"""Every adapter returns the same six articles with equal normalised fields."""

from datetime import UTC

import pytest

from berita.cleaning import html_to_text
from berita.importers import get_adapter

KINDS = ["wordpress", "rss", "atom", "html"]


def fetch_all(make_source, session, kind, **fields):
    source = make_source(kind, **fields)
    outcome = get_adapter(source, session).fetch()
    assert outcome.failures == []
    return {a.slug: a for a in outcome.articles}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_each_adapter_reads_the_six_articles(make_source, session, fixture_articles, kind):
    articles = fetch_all(make_source, session, kind)
    assert len(articles) == 6
    for expected in fixture_articles.values():
        article = articles[expected["slug"]]
        assert article.title == expected["title"]
        assert article.published_at == expected["date"]  # same instant
        assert article.published_at.tzinfo is not None
        assert article.canonical_url == f"https://maritim.go.id/detail/{expected['slug']}"
        assert article.author == expected["author"] or kind == "html"  # the HTML pages show no author
        # Categories: RSS lists categories and tags in one <category> list; every adapter has the categories.
        assert set(expected["categories"]) <= set(article.categories)
        if kind in ("wordpress", "atom", "html"):
            assert article.categories == expected["categories"]
        if kind in ("wordpress", "html"):
            assert article.tags == expected["tags"]


@pytest.mark.django_db
def test_adapters_agree_field_by_field(make_source, session):
    results = {kind: fetch_all(make_source, session, kind) for kind in KINDS}
    reference = results["wordpress"]
    for kind, articles in results.items():
        assert set(articles) == set(reference), kind
        for slug, ref in reference.items():
            art = articles[slug]
            assert (art.title, art.published_at, art.canonical_url, art.slug) == (
                ref.title,
                ref.published_at,
                ref.canonical_url,
                ref.slug,
            ), kind
            assert art.body_text == ref.body_text, (kind, slug)
            assert art.lead == ref.lead, (kind, slug)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["wordpress", "rss", "html"])
def test_feature_image_urls(make_source, session, fixture_articles, kind):
    articles = fetch_all(make_source, session, kind)
    for expected in fixture_articles.values():
        image = articles[expected["slug"]].image_url
        if expected["image"]:
            assert image.endswith("/" + expected["image"])
        else:
            assert image == ""


@pytest.mark.django_db
def test_wordpress_dates_are_utc_converted_to_wib_correctly(make_source, session):
    articles = fetch_all(make_source, session, "wordpress")
    article = articles["integrasikan-layanan-informasi-publik-kemenko-marves-tingkatkan-inovasi-penanganan-"
                       "aspirasi-dan-pengaduan-masyarakat"]  # fmt: skip
    # date_gmt 2023-06-08T09:05:00 (UTC) is 16:05 WIB.
    assert article.published_at.astimezone(UTC).hour == 9
    assert article.published_at.astimezone(UTC).utcoffset().total_seconds() == 0


@pytest.mark.django_db
def test_wordpress_follows_total_pages(make_source, session, news_server):
    from tests.berita.conftest import FixtureHandler

    FixtureHandler.hits.clear()
    articles = fetch_all(make_source, session, "wordpress")
    assert len(articles) == 6
    pages = [h for h in FixtureHandler.hits if h.startswith("/wp-json/")]
    assert len(pages) == 2  # page 1 and page 2, never page 3
    assert "_embed" in pages[0] and "page=2" in pages[1]


@pytest.mark.django_db
def test_wordpress_respects_max_pages(make_source, session):
    source = make_source("wordpress", max_pages=1)
    outcome = get_adapter(source, session).fetch()
    assert len(outcome.articles) == 4
    assert outcome.notes  # says it stopped early


@pytest.mark.django_db
def test_html_detail_reached_by_shortlink_is_the_same_article(make_source, session):
    source = make_source("html")
    adapter = get_adapter(source, session)
    by_slug = adapter.article_from_page(
        session.get(
            source.feed_url.replace("/berita", "/detail/hari-maritim-momentum-jadikan-indonesia-mercusuar-dunia")
        ).content,
        source.feed_url.replace("/berita", "/detail/hari-maritim-momentum-jadikan-indonesia-mercusuar-dunia"),
    )
    by_id = adapter.article_from_page(
        session.get(source.feed_url.replace("/berita", "/?p=9120")).content,
        source.feed_url.replace("/berita", "/?p=9120"),
    )
    assert (
        by_slug.canonical_url
        == by_id.canonical_url
        == ("https://maritim.go.id/detail/hari-maritim-momentum-jadikan-indonesia-mercusuar-dunia")
    )
    assert by_slug.slug == by_id.slug


@pytest.mark.django_db
def test_latin1_feed_is_decoded(make_source, session):
    source = make_source("rss", "/broken/latin1.xml")
    outcome = get_adapter(source, session).fetch()
    assert [a.title for a in outcome.articles] == ["Kunjungan ke Kepulauan Seribu - café nelayan"]
    assert outcome.warning == ""


def test_body_text_helper():
    assert html_to_text("<p>a</p><p>b <b>c</b></p>") == "a b c"


@pytest.mark.parametrize(
    ("raw", "utc"),
    [
        ("Kam, 14 Agu 2025 10:00:00 GMT", "2025-08-14 10:00"),
        ("Rab, 14 Mei 2025 10:00:00 +0000", "2025-05-14 10:00"),
        ("Senin, 14 Juli 2025 10:00 WITA", "2025-07-14 02:00"),
        ("Mon, 14 Jul 2025 10:00:00 WIT", "2025-07-14 01:00"),
        ("Rabu, 5 Maret 2025 14:00 WIB", "2025-03-05 07:00"),
        ("14 July 2025 2:30 PM", "2025-07-14 07:30"),
        ("5 Maret 2025 12.15 am", "2025-03-04 17:15"),
        ("Wed, 05 Mar 2025 14:00:00 +0700", "2025-03-05 07:00"),
    ],
)
def test_a_zone_or_am_pm_written_after_the_time_is_honoured(raw, utc):
    from datetime import UTC

    from berita.importers.base import parse_date

    assert parse_date(raw).astimezone(UTC).strftime("%Y-%m-%d %H:%M") == utc
