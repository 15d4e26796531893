"""End to end in Chromium: an editor approves an imported article in the admin and it appears on the homepage.

The feed and its images come from the local fixture server of the news tests (nothing leaves the machine).
"""

from __future__ import annotations

import pytest

from .conftest import admin_login

pytestmark = pytest.mark.browser

WORKSHOP = (
    "integrasikan-layanan-informasi-publik-kemenko-marves-tingkatkan-inovasi-penanganan-aspirasi-dan-pengaduan-"
    "masyarakat"
)


@pytest.fixture
def site_with_news_index(transactional_db):
    """A HomePage as the default site's root with a NewsIndexPage under it."""
    from wagtail.models import Page, Site

    from berita.models import NewsIndexPage
    from home.models import HomePage

    root = Page.get_first_root_node()
    home = HomePage(title="Beranda", slug="beranda-e2e")
    root.add_child(instance=home)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "site_name": "PPID"}
    )
    home.add_child(instance=NewsIndexPage(title="Berita", slug="berita"))
    return home


def test_editor_approves_imported_article(
    new_page,
    shot,
    live_server,
    site_with_news_index,
    make_source,
    session,
    monkeypatch,
):
    from django.contrib.auth.models import User
    from django.urls import reverse

    import berita.services
    from berita.models import ImportedArticle
    from berita.services import run_import

    monkeypatch.setattr(berita.services, "build_session", lambda *a, **k: session)  # images from the fixture server
    from wagtail.models import Site

    from berita.models import NewsSettings

    news_settings = NewsSettings.for_site(Site.objects.get(is_default_site=True))
    news_settings.require_review = False  # this site publishes on approval (the default is a draft for review)
    news_settings.save()
    source = make_source("wordpress", credit_name="Kemenko Marves")
    run_import(source, session=session)
    candidate = ImportedArticle.objects.get(slug=WORKSHOP)
    User.objects.create_superuser("redaktur", "redaktur@example.org", "pw-Browser-2026!")

    visitor = new_page(phone=True)
    visitor.goto("/")
    assert candidate.title not in visitor.content()

    editor = new_page()
    admin_login(editor, "redaktur")
    viewset = ImportedArticle.snippet_viewset
    editor.goto(reverse(viewset.get_url_name("inspect"), args=[candidate.pk]))
    shot(editor, "candidate")
    editor.locator(f"form[action='{reverse(viewset.get_url_name('approve'), args=[candidate.pk])}'] button").click()
    editor.wait_for_load_state()
    shot(editor, "approved")
    candidate.refresh_from_db()
    assert candidate.status == "published"

    visitor.goto("/")
    shot(visitor, "homepage")
    link = visitor.get_by_role("link", name=candidate.title)
    assert link.is_visible()
    link.click()
    visitor.wait_for_load_state()
    assert candidate.title in visitor.content()
    shot(visitor, "article")
