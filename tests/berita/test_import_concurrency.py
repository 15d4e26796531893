"""Two import runs of the same feed at the same moment (issue 8), on PostgreSQL with real threads.

Each article must end as ONE candidate (and, with an auto-approve rule, one news page); the run that loses the
race for an insert treats the article as already seen — neither run fails nor counts a failure. To make the race
certain rather than lucky, both runs are made to miss the existing candidate on their first look, so both try
the INSERT and the unique constraints decide.
"""

import threading

import pytest
from django.db import connection

from berita import services
from berita.importers import build_session
from berita.models import ImportedArticle, ImportRule, ImportRun, NewsPage
from berita.services import run_import
from tests.berita.conftest import RewriteAdapter
from tests.conftest import requires_postgres

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def fixture_session(news_server):
    session = build_session()
    session.mount("https://maritim.go.id/", RewriteAdapter(news_server))
    return session


def run_both(source, news_server):
    """Two ``run_import`` of ``source`` released together; returns ``[(run, exception)]``."""
    barrier = threading.Barrier(2)
    results: list = [(None, None)] * 2

    def target(index):
        try:
            session = fixture_session(news_server)  # one requests session per thread, as two workers would have
            barrier.wait(timeout=30)
            results[index] = (run_import(source, session=session, trigger="schedule"), None)
        except Exception as exc:  # noqa: BLE001 - asserted by the test
            results[index] = (None, exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.fixture
def blind_first_look(monkeypatch):
    """Every thread's first lookup of each article finds nothing (as if both runs looked before either inserted)."""
    original = services._find_existing
    seen = threading.local()
    calls = {"blind": 0}

    def find(source, article):
        keys = seen.__dict__.setdefault("keys", set())
        if article.canonical_url not in keys:
            keys.add(article.canonical_url)
            calls["blind"] += 1
            return None
        return original(source, article)

    monkeypatch.setattr(services, "_find_existing", find)
    return calls


@pytest.mark.parametrize("kind", ["rss", "wordpress"])
def test_two_simultaneous_imports_make_one_candidate_per_article(make_source, news_server, blind_first_look, kind):
    source = make_source(kind)
    for _round in range(2):
        ImportedArticle.objects.all().delete()
        results = run_both(source, news_server)
        assert [exc for _run, exc in results if exc] == []
        runs = [run for run, _exc in results]
        for run in runs:
            assert (run.status, run.failed, run.error) == ("success", 0, ""), run.log
            assert run.new + run.updated + run.skipped == 6
        assert sum(run.new for run in runs) == 6  # every article inserted by exactly one run
        assert ImportedArticle.objects.count() == 6
        assert ImportedArticle.objects.values("canonical_url").distinct().count() == 6
    assert blind_first_look["blind"] == 2 * 2 * 6  # both runs tried every insert, every round
    assert ImportRun.objects.filter(source=source, status="success").count() == 4


@pytest.fixture
def page_root(db):
    """Wagtail's root page and root collection (made by its migrations; a transactional test's flush removed them)."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page

    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")
    if not Page.objects.filter(depth=1).exists():
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        Page.add_root(instance=Page(title="Root", slug="root"))


def test_two_simultaneous_imports_with_auto_approval_publish_each_article_once(
    make_source, news_server, page_root, news_index, blind_first_look
):
    ImportRule.objects.create(name="PPID otomatis", keywords="PPID", match_body=False, action="auto_approve")
    source = make_source("rss")
    results = run_both(source, news_server)
    assert [exc for _run, exc in results if exc] == []
    for run, _exc in results:
        assert run.status == "success" and "failed" not in run.log.lower() and "gagal" not in run.log.lower(), run.log
    approved = ImportedArticle.objects.filter(status__in=["published", "approved"])
    assert approved.count() == 2
    assert NewsPage.objects.count() == 2  # one page per approved article, not one per run
    assert set(NewsPage.objects.values_list("source_url", flat=True)) == set(
        approved.values_list("canonical_url", flat=True)
    )
