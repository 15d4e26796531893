"""Demo content for news: an import source, rules, the news index and published news — without network.

``seed(stdout)`` is idempotent. It imports ``berita/demo_data/rss.xml`` (a copy of the fixture feed) through
the normal RSS adapter, with a local transport that answers ``https://maritim.go.id/...`` from
``berita/demo_data/``, then approves what the rules picked. The source is disabled, so ``make run`` never
calls out; enable it in the admin to import from the real site.
"""

from pathlib import Path

from wagtail.models import Site

from berita.importers import build_session
from berita.importers.local import LocalFileAdapter
from berita.models import ImportedArticle, ImportRule, ImportSource, NewsCategory, NewsIndexPage
from berita.services import approve, run_import

DATA = Path(__file__).resolve().parent / "demo_data"
SITE = "https://maritim.go.id/"


def demo_session():
    """A requests session whose https://maritim.go.id/ answers from ``berita/demo_data``."""
    session = build_session()
    session.mount(SITE, LocalFileAdapter({"/feed/rss/": DATA / "rss.xml", "/konten/unggahan/*": DATA / "media"}))
    return session


def seed(stdout) -> None:
    """Create (or find) the demo news setup and report what exists."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        stdout.write("berita: no default site (run the home seed first); skipped")
        return
    home = site.root_page.specific
    index = NewsIndexPage.objects.descendant_of(home).first()
    if index is None:
        index = NewsIndexPage(
            title="Berita",
            slug="berita",
            intro="<p>Berita keterbukaan informasi publik dari situs utama kementerian.</p>",
        )
        home.add_child(instance=index)
        index.save_revision().publish()

    categories = {}
    for order, (name, slug) in enumerate([("Berita", "berita"), ("PPID", "ppid"), ("Siaran Pers", "siaran-pers"),
                                          ("Kemaritiman", "kemaritiman")]):  # fmt: skip
        categories[slug], _created = NewsCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "sort_order": order}
        )

    source, _created = ImportSource.objects.get_or_create(
        name="Kemenko Marves (RSS)",
        defaults={
            "kind": ImportSource.Kind.RSS,
            "credit_name": "Kemenko Marves",
            "base_url": "https://maritim.go.id",
            "feed_url": SITE + "feed/rss/",
            "enabled": False,
            "schedule_minutes": 60,
            "category_mapping": {"Siaran Pers": "siaran-pers", "PPID": "ppid"},
            "default_category": categories["berita"],
        },
    )
    ImportRule.objects.get_or_create(
        name="Berita PPID",
        defaults={
            "order": 10,
            "keywords": "PPID\nKeterbukaan Informasi\nInformasi Publik",
            "action": ImportRule.Action.SUGGEST,
            "target_category": categories["ppid"],
        },
    )
    ImportRule.objects.get_or_create(
        name="Kemaritiman",
        defaults={
            "order": 20,
            "keywords": "maritim\nkemaritiman",
            "match_body": False,
            "action": ImportRule.Action.SUGGEST,
            "target_category": categories["kemaritiman"],
        },
    )

    session = demo_session()
    run = run_import(source, session=session, trigger="demo")
    picked = ImportedArticle.objects.filter(source=source, matched_rule__isnull=False, news_page__isnull=True)
    picked = picked.exclude(status=ImportedArticle.Status.REJECTED)
    for candidate in picked:
        approve(candidate, None, session=session, publish=True)
    published = ImportedArticle.objects.filter(source=source, status=ImportedArticle.Status.PUBLISHED).count()
    pending = ImportedArticle.objects.filter(source=source, status=ImportedArticle.Status.PENDING).count()
    stdout.write(f"berita: import {run.summary()}; {published} published, {pending} waiting for an editor")
