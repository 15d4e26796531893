"""In Chromium at desktop width: the editor's queue of imported news — decide from the list, preview a body with
its inline images (and the ones not kept), bulk approval. Screenshots: ``queue``, ``preview``, ``approved``.

The feed and images come from the local fixture server of the news tests (nothing leaves the machine).
"""

from __future__ import annotations

import pytest

from .conftest import PASSWORD, admin_login

pytestmark = pytest.mark.browser

INLINE = "workshop-ppid-dengan-foto-kegiatan"


@pytest.fixture
def queue(transactional_db, make_source, session, monkeypatch):
    """The news index and a queue imported from the RSS fixture and the inline-images fixture."""
    from django.contrib.auth.models import User
    from wagtail.models import Page, Site

    import berita.services
    from berita.models import ImportedArticle, NewsIndexPage
    from berita.services import run_import
    from home.models import HomePage

    monkeypatch.setattr(berita.services, "build_session", lambda *a, **k: session)
    home = HomePage(title="Beranda", slug="beranda-antrean")
    Page.get_first_root_node().add_child(instance=home)
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "site_name": "PPID"}
    )
    home.add_child(instance=NewsIndexPage(title="Berita", slug="berita"))
    run_import(make_source("rss", name="Situs utama"), session=session)
    run_import(make_source("rss", "/extra/inline-images.xml", name="Situs utama (foto)"), session=session)
    User.objects.create_superuser("redaktur", "redaktur@example.org", PASSWORD)
    return ImportedArticle.objects.all()


def test_editor_decides_from_the_queue_with_a_preview(new_page, shot, queue):
    from django.urls import reverse

    from berita.models import ImportedArticle

    viewset = ImportedArticle.snippet_viewset
    editor = new_page()
    admin_login(editor, "redaktur")
    editor.goto(reverse(viewset.get_url_name("list")))
    inline = queue.get(slug=INLINE)
    approve = f"form[action='{reverse(viewset.get_url_name('approve'), args=[inline.pk])}'] button"
    review = reverse(viewset.get_url_name("inspect"), args=[inline.pk])
    row = editor.locator("tr", has=editor.get_by_role("link", name=inline.title, exact=True))
    assert row.locator(approve).is_visible()
    table = editor.locator("table.listing").inner_text()
    assert "09:30 WIB" in row.inner_text() and "None" not in table and "['" not in table
    shot(editor, "queue")

    row.locator(f"a[href='{review}#preview-heading']").click()
    editor.wait_for_load_state()
    preview = editor.locator("article.berita-preview")
    assert preview.locator("img").count() == 3  # the feature image and the two inline images kept
    assert "169.254.169.254" in editor.locator(".help-warning").first.inner_text()  # what was not kept, and why
    shot(editor, "preview")
    editor.goto(review)
    shot(editor, "review")  # the decisions and the images that were not kept, above the preview

    editor.goto(reverse(viewset.get_url_name("list")))
    editor.locator(approve).click()
    editor.wait_for_load_state()
    assert inline.title in editor.locator(".messages").inner_text()
    shot(editor, "approved")
    inline.refresh_from_db()
    assert inline.status == "approved" and inline.news_page is not None  # a draft, for review
