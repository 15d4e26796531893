"""The import run: candidates, de-duplication, cleaning, rules, broken sources, runs and the command."""

from io import StringIO

import pytest
from django.core.management import call_command

from berita.cleaning import html_to_text
from berita.models import ImportedArticle, ImportRule, ImportRun, NewsCategory
from berita.services import run_import

pytestmark = pytest.mark.django_db

PPID_SLUGS = {
    "integrasikan-layanan-informasi-publik-kemenko-marves-tingkatkan-inovasi-penanganan-aspirasi-dan-pengaduan-masyarakat",
    "sosialisasi-standar-layanan-informasi-publik-bagi-operator-ppid",
}
HOSTILE = "sosialisasi-standar-layanan-informasi-publik-bagi-operator-ppid"
BACA_JUGA = "gelar-peringatan-kemenko-marves-sosialisasikan-konsep-benua-maritim"
OFF_TOPIC = "investasi-wisata-bahari-di-kawasan-timur-terus-tumbuh"


@pytest.mark.parametrize("kind", ["wordpress", "rss", "atom", "html"])
def test_first_run_creates_six_candidates_second_run_nothing_new(make_source, session, kind):
    source = make_source(kind)
    first = run_import(source, session=session)
    assert (first.status, first.fetched, first.new, first.failed) == ("success", 6, 6, 0)
    assert first.error == "" and first.finished_at is not None
    assert ImportedArticle.objects.count() == 6
    source.refresh_from_db()
    assert source.last_error == "" and source.last_run_at and source.last_success_at

    second = run_import(source, session=session)
    assert (second.new, second.updated, second.skipped) == (0, 0, 6)
    assert ImportedArticle.objects.count() == 6
    assert ImportRun.objects.filter(source=source).count() == 2


def test_the_same_article_from_every_adapter_is_one_candidate(make_source, session):
    for kind in ["wordpress", "rss", "atom", "html"]:
        run_import(make_source(kind), session=session)
    assert ImportedArticle.objects.count() == 6
    urls = set(ImportedArticle.objects.values_list("canonical_url", flat=True))
    assert all(u.startswith("https://maritim.go.id/detail/") for u in urls)


def test_changed_article_is_updated_not_duplicated(make_source, session):
    source = make_source("wordpress")
    run_import(source, session=session)
    candidate = ImportedArticle.objects.get(slug=OFF_TOPIC)
    # as if the source had sent the old title last time (what the import wrote, not an editor's change)
    raw = {**candidate.raw, "imported": {"title": "Judul lama", "lead": candidate.lead}}
    ImportedArticle.objects.filter(pk=candidate.pk).update(title="Judul lama", content_hash="x", raw=raw)
    run = run_import(source, session=session)
    assert (run.new, run.updated, run.skipped) == (0, 1, 5)
    candidate.refresh_from_db()
    assert candidate.title == "Investasi Wisata Bahari di Kawasan Timur Terus Tumbuh"


def test_hostile_article_keeps_text_loses_everything_dangerous(make_source, session, fixture_articles):
    for kind in ["wordpress", "rss", "atom", "html"]:
        ImportedArticle.objects.all().delete()
        run_import(make_source(kind, name=f"hostile {kind}"), session=session)
        body = ImportedArticle.objects.get(slug=HOSTILE).body_html
        lowered = body.lower()
        for bad in ("<script", "alert(", "onerror", "onclick", "<iframe", "evil.example", "javascript:", "style=",
                    "<style"):  # fmt: skip
            assert bad not in lowered, (kind, bad, body)
        candidate = ImportedArticle.objects.get(slug=HOSTILE)
        text = candidate.lead + " " + html_to_text(body)
        for kept in ("Operator PPID dari setiap kedeputian", "batas waktu 10 hari kerja"):
            assert kept in text, (kind, kept)
        # The script-only link and the clickable paragraph leave no orphan label behind.
        assert "Unduh materi" not in text and "Daftar hadir" not in text, (kind, text)


def test_related_links_and_hashtag_line_are_dropped(make_source, session):
    run_import(make_source("rss"), session=session)
    candidate = ImportedArticle.objects.get(slug=BACA_JUGA)
    text = html_to_text(candidate.body_html)
    assert "Baca juga" not in text and "Tol Laut Menekan" not in text
    assert "#Maritim" not in text and "#SahabatMaritim" not in text
    assert "Konsep benua maritim menempatkan laut" in text
    assert "Baca juga" in candidate.raw["body"]  # the raw body is kept as the source sent it


def test_ppid_keyword_rule_picks_ppid_articles_only(make_source, session):
    ppid = NewsCategory.objects.create(name="PPID", slug="ppid")
    rule = ImportRule.objects.create(name="Berita PPID", keywords="ppid", target_category=ppid)
    run_import(make_source("wordpress"), session=session)
    matched = set(ImportedArticle.objects.filter(matched_rule=rule).values_list("slug", flat=True))
    assert matched >= PPID_SLUGS
    assert OFF_TOPIC not in matched
    hostile = ImportedArticle.objects.get(slug=HOSTILE)
    assert "PPID" in hostile.match_reason and "Berita PPID" in hostile.match_reason
    assert hostile.status == "pending" and hostile.target_category == ppid
    off = ImportedArticle.objects.get(slug=OFF_TOPIC)
    assert off.matched_rule is None and off.match_reason == ""


def test_reject_rule_rejects(make_source, session):
    ImportRule.objects.create(name="Bukan untuk PPID", categories="Investasi", action="reject")
    run_import(make_source("rss"), session=session)
    assert ImportedArticle.objects.get(slug=OFF_TOPIC).status == "rejected"
    assert ImportedArticle.objects.filter(status="pending").count() == 5


def test_rule_bound_to_another_source_is_ignored(make_source, session):
    other = make_source("atom")
    ImportRule.objects.create(name="Hanya atom", keywords="PPID", source=other)
    run_import(make_source("rss"), session=session)
    assert not ImportedArticle.objects.exclude(matched_rule=None).exists()


@pytest.mark.parametrize(
    ("kind", "path", "needle"),
    [
        ("rss", "/broken/truncated.xml", "XML"),
        ("rss", "/broken/html-instead-of-feed.html", "HTML"),
        ("rss", "/broken/empty.xml", ""),
        ("wordpress", "/wp-error/wp-json/wp/v2/posts", "404"),
        ("wordpress", "/wp-error-200/wp-json/wp/v2/posts", "rest_no_route"),
        ("rss", "/error500", "500"),
        ("atom", "/does-not-exist", "404"),
        ("html", "/error500", "500"),
    ],
)
def test_broken_sources_record_an_error_and_keep_the_queue(make_source, session, kind, path, needle):
    good = make_source("rss", name="good")
    run_import(good, session=session)
    assert ImportedArticle.objects.count() == 6
    broken = make_source(kind, path)
    run = run_import(broken, session=session)
    assert run.status in ("failed", "warning")
    assert run.error and needle in run.error
    assert run.new == 0 and run.finished_at
    broken.refresh_from_db()
    assert broken.last_error == run.error
    assert ImportedArticle.objects.count() == 6


def test_timeout_is_recorded(make_source, session):
    source = make_source("rss", "/slow", timeout=1)
    run = run_import(source, session=session)
    assert run.status == "failed"
    source.refresh_from_db()
    assert "1" in source.last_error and source.last_error == run.error


def test_error_messages_are_indonesian_by_default(make_source, session):
    run = run_import(make_source("rss", "/error500"), session=session)
    assert "Galat HTTP 500" in run.error


def test_error_then_success_clears_last_error(make_source, session, news_server):
    source = make_source("rss", "/error500")
    run_import(source, session=session)
    source.feed_url = news_server + "/feed/rss/"
    source.save()
    run_import(source, session=session)
    source.refresh_from_db()
    assert source.last_error == ""


def test_latin1_feed_imports_its_article(make_source, session):
    run = run_import(make_source("rss", "/broken/latin1.xml"), session=session)
    assert (run.status, run.new) == ("success", 1)
    assert ImportedArticle.objects.get().title == "Kunjungan ke Kepulauan Seribu - café nelayan"


def test_html_listing_next_page_failure_does_not_fail_the_run(make_source, session):
    run = run_import(make_source("html"), session=session)
    assert run.status == "success" and run.new == 6
    assert "404" in run.log  # page 2 of the listing did not exist


def test_import_news_command_prints_summary(make_source, session, news_server, monkeypatch):
    source = make_source("rss", name="Situs utama")
    monkeypatch.setattr("berita.services.build_session", lambda: session)
    out = StringIO()
    call_command("import_news", "--source", "Situs utama", stdout=out)
    assert "fetched=6 new=6 updated=0 skipped=0 failed=0" in out.getvalue()
    out = StringIO()
    call_command("import_news", "--url", news_server + "/feed/atom/", "--kind", "atom", stdout=out)
    assert "fetched=6 new=0" in out.getvalue()
    assert ImportedArticle.objects.count() == 6
    out = StringIO()
    call_command("import_news", "--url", news_server + "/error500", "--kind", "rss", stdout=out)
    assert "failed" in out.getvalue() and "500" in out.getvalue()
    assert source.runs.count() == 1


def test_one_article_linked_twice_is_one_candidate(make_source, session):
    run = run_import(make_source("html", "/extra/listing-same-article-twice.html"), session=session)
    assert (run.fetched, run.new, run.skipped) == (2, 1, 1)
    candidate = ImportedArticle.objects.get()
    assert (
        candidate.canonical_url
        == "https://maritim.go.id/detail/hari-maritim-momentum-jadikan-indonesia-mercusuar-dunia"
    )


def test_wrong_encoding_imports_with_a_recorded_warning(make_source, session):
    source = make_source("rss", "/extra/wrong-encoding.xml")
    run = run_import(source, session=session)
    assert run.status == "warning" and run.new == 1
    source.refresh_from_db()
    assert source.last_error == run.error and "pengodean" in run.error.lower()
    assert "nelayan" in ImportedArticle.objects.get().title


def test_wordpress_second_run_is_incremental(make_source, session):
    from tests.berita.conftest import FixtureHandler

    source = make_source("wordpress")
    run_import(source, session=session)
    source.refresh_from_db()
    assert source.last_published_at.isoformat().startswith("2025-07-14T01:45")
    FixtureHandler.hits.clear()
    run_import(source, session=session)
    assert all("after=2025-07-13T08%3A45%3A00" in h for h in FixtureHandler.hits if h.startswith("/wp-json/"))


def test_response_size_cap(make_source, session, settings):
    settings.PESAN_NEWS_MAX_RESPONSE_BYTES = 2000
    run = run_import(make_source("rss"), session=session)
    assert run.status == "failed" and "2000" in run.error


def test_database_refuses_a_second_candidate_for_one_url(make_source):
    from django.db import IntegrityError, transaction

    source = make_source("rss")
    fields = {"source": source, "title": "A", "canonical_url": "https://maritim.go.id/detail/a"}
    ImportedArticle.objects.create(guid="1", slug="a", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportedArticle.objects.create(guid="2", slug="a-2", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportedArticle.objects.create(guid="1", slug="b", source=source, title="B", canonical_url="https://x.id/b")


# --- identity, dates and order of other sites' feeds (session-12 review) -----------------------------------------


def test_articles_whose_addresses_end_alike_are_separate_candidates(make_source, session):
    source = make_source("rss", "/extra/same-last-segment.xml")
    first = run_import(source, session=session)
    assert (first.new, first.updated, first.failed) == (4, 0, 0)
    titles = dict(ImportedArticle.objects.values_list("canonical_url", "title"))
    assert titles["https://maritim.go.id/berita.php?id=101"] == "Berita nomor 101"
    assert titles["https://maritim.go.id/berita.php?id=102"] == "Berita nomor 102"
    assert len(set(ImportedArticle.objects.values_list("slug", flat=True))) == 4
    again = run_import(source, session=session)
    assert (again.new, again.updated, again.skipped) == (0, 0, 4)


def test_a_shared_guid_a_missing_link_and_impossible_dates_lose_no_article(make_source, session):
    source = make_source("rss", "/extra/odd-items.xml")
    run = run_import(source, session=session)
    assert (run.fetched, run.new, run.failed) == (5, 4, 1)  # the item without a link is an item error
    assert run.status == "warning" and "Artikel tanpa URL atau judul dilewati." in run.log
    candidates = {c.title: c for c in ImportedArticle.objects.all()}
    assert set(candidates) == {"Berbagi GUID satu", "Berbagi GUID dua", "Tanggal nol", "Tanggal salah ketik"}
    assert candidates["Berbagi GUID satu"].canonical_url != candidates["Berbagi GUID dua"].canonical_url
    assert candidates["Tanggal nol"].published_at is None
    assert candidates["Tanggal salah ketik"].published_at is None
    assert not ImportedArticle.objects.filter(canonical_url=source.feed_url).exists()
    source.refresh_from_db()
    assert source.last_published_at is not None and source.last_published_at.year == 2026
    again = run_import(source, session=session)
    assert (again.new, again.updated, again.skipped) == (0, 0, 4)


def test_a_feed_listed_oldest_first_gives_its_newest_articles(make_source, session):
    source = make_source("rss", "/extra/oldest-first.xml", max_items=2)
    run = run_import(source, session=session)
    assert run.new == 2
    assert set(ImportedArticle.objects.values_list("title", flat=True)) == {"Urutan 5", "Urutan 4"}


def test_html_entities_and_blank_lines_before_the_declaration_are_read_with_a_warning(make_source, session):
    source = make_source("rss", "/extra/entities-after-blank-lines.xml")
    run = run_import(source, session=session)
    assert run.new == 1 and run.status == "warning"
    assert ImportedArticle.objects.get().title.startswith("Kata")


def test_a_redirect_of_the_feed_to_a_local_address_is_refused(make_source, session, news_server):
    """The source's own host is trusted (an administrator typed it); where the site sends us is not: a redirect
    to another local name (here ``localhost``, the same loopback) is refused, as an image there is (SSRF)."""
    port = news_server.rsplit(":", 1)[1]
    source = make_source("rss", f"/redirect?to=http://localhost:{port}/feed/rss/")
    run = run_import(source, session=session)
    assert run.status == "failed" and "localhost" in run.error
    assert not ImportedArticle.objects.exists()


def test_an_http_only_site_gets_its_images_from_the_address_it_gave(make_source, session, news_server):
    source = make_source("rss", "/extra/http-only.xml")
    run = run_import(source, session=session)
    assert run.new == 1, run.log
    candidate = ImportedArticle.objects.get()
    assert candidate.canonical_url.startswith("https://")  # for recognising the article only
    assert candidate.image_url == f"{news_server}/konten/unggahan/2024/01/seminar-mahasiswa.jpg"
    assert candidate.image is not None and candidate.image_error == ""


def test_an_editors_title_and_lead_survive_the_sources_next_correction(make_source, session, news_server):
    source = make_source("rss", "/extra/correction-before.xml")
    run_import(source, session=session)
    candidate = ImportedArticle.objects.get()
    assert "keterbukan informasi" in candidate.lead + candidate.body_html
    candidate.title, candidate.lead = "Judul disunting editor", "Lead disunting editor."
    candidate.save()  # what the candidate's edit view does
    source.feed_url = f"{news_server}/extra/correction-after.xml"
    source.save()
    run = run_import(source, session=session)
    assert run.updated == 1
    candidate.refresh_from_db()
    assert (candidate.title, candidate.lead) == ("Judul disunting editor", "Lead disunting editor.")
    assert "keterbukaan informasi" in candidate.raw["body"] and "keterbukan" not in candidate.raw["body"]


def test_an_unedited_candidate_follows_the_sources_correction(make_source, session, news_server):
    source = make_source("rss", "/extra/correction-before.xml")
    run_import(source, session=session)
    source.feed_url = f"{news_server}/extra/correction-after.xml"
    source.save()
    assert run_import(source, session=session).updated == 1
    candidate = ImportedArticle.objects.get()
    assert candidate.title == "Sosialisasi keterbukaan informasi"
    assert "keterbukaan informasi" in candidate.lead + candidate.body_html
    assert "keterbukan" not in candidate.lead + candidate.body_html
