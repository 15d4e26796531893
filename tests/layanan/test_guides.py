"""Panduan (issue 21): the guides in the admin. Every officer role sees "Guides" in the menu and its own guide
first; every guide renders in Indonesian and English with working admin links and at least one picture, each the
language's own (taken with the admin in that language) and none missing; a guide shows only pictures the browser
test produces; the pictures are read from ``PESAN_GUIDE_SCREENSHOTS_DIR``; the buttons a guide names exist; the
workshop PDF prints the pictures, the one-page quick reference none."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth.models import Group, User
from django.utils import translation
from pypdf import PdfReader

from layanan import guides
from layanan.core import registry
from layanan.core.access import ROLE_GROUPS, ensure_role_groups
from tests.browser.test_guide_screens import SCREENS
from tests.test_admin_language import menu_items

pytestmark = pytest.mark.django_db

OFFICER_GROUPS = [*ROLE_GROUPS, "Editors", "Moderators"]
OWN_GUIDE = {group: guide.slug for guide in guides.GUIDES for group in guide.groups}


def _officer(group: str) -> User:
    ensure_role_groups()
    user = User.objects.create_user(f"u-{group.lower().replace(' ', '-')[:20]}", password="x")
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.mark.parametrize("group", OFFICER_GROUPS)
def test_every_officer_role_sees_guides_in_the_menu_and_its_own_guide_first(client, group):
    client.force_login(_officer(group))
    home = client.get("/admin/")
    assert home.status_code == 200
    with translation.override("id"):  # the admin's language (no preference set): Indonesian
        label = translation.gettext("Guides")
    assert {"label": label, "url": "/admin/panduan/", "children": []} in menu_items(home.content.decode())
    index = client.get("/admin/panduan/")
    assert index.status_code == 200
    order = re.findall(r'data-guide="([a-z-]+)"', index.content.decode())
    assert order[0] == OWN_GUIDE[group]
    assert sorted(order) == sorted(g.slug for g in guides.GUIDES)


def test_a_user_in_two_roles_gets_both_guides_first_and_an_outsider_no_guides(client):
    user = _officer("Admin LAPOR")
    user.groups.add(Group.objects.get(name="Atasan PPID"))
    assert [g.slug for g, own in guides.guides_for(user) if own] == ["atasan-ppid", "admin-lapor"]
    client.force_login(User.objects.create_user("citizen", password="x"))
    assert client.get("/admin/panduan/").status_code == 302  # no admin access: to the login page


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("slug", [g.slug for g in guides.GUIDES])
def test_every_guide_renders_in_both_languages_without_a_missing_picture(client, slug, language):
    client.force_login(_officer("PPID Utama"))
    page = client.get(f"/admin/panduan/{slug}/", {"lang": language})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<article class="layanan-guide" lang="{language}">' in html
    article = html.split('class="layanan-guide"', 1)[1].split("</article>", 1)[0]
    assert "url:" not in article and "<script" not in article
    images = re.findall(r'<img src="([^"]+)"', article)
    text, used = guides.guide_source(slug, language)
    assert used == language
    names = guides.screenshot_names(text)
    assert names, f"{language}/{slug}.md shows at least one picture"
    assert set(images) == {f"/admin/panduan/gambar/{language}/{name}.png" for name in names}
    for name in names:
        picture = client.get(f"/admin/panduan/gambar/{language}/{name}.png")
        assert picture.status_code == 200 and picture["Content-Type"] == "image/png", name
        content = b"".join(picture.streaming_content)
        assert content[:8] == b"\x89PNG\r\n\x1a\n"
        assert content == guides.screenshot_file(name, language).read_bytes()  # the language's own picture
    for href in re.findall(r'<a href="(/admin/[^"]*)"', article):
        assert client.get(href).status_code in (200, 302), href  # 302: a list that redirects to its filters


def test_guides_show_only_pictures_a_browser_test_produces():
    """Each ``screenshots/<name>.png`` of a guide is declared by ``tests/browser/test_guide_screens.py`` (which
    writes it in both languages) and is in the committed folder in both languages; a name no test produces fails
    here, and so does a declared picture no guide shows."""
    assert guides.screenshot_dir() == guides.GUIDE_ROOT / "screenshots"  # the default: the committed pictures
    for language in guides.LANGUAGES:
        shown = set()
        for guide in guides.GUIDES:
            names = guides.screenshot_names(guides.guide_source(guide.slug, language)[0])
            assert names, f"{language}/{guide.slug}.md shows no picture"
            shown |= names
        assert shown <= set(SCREENS), f"no browser test produces {sorted(shown - set(SCREENS))}"
        assert shown == set(SCREENS), f"no {language} guide shows {sorted(set(SCREENS) - shown)}"
        for name in SCREENS:
            file = guides.screenshot_file(name, language)
            assert file.is_file(), f"run `make guides` to write {file.relative_to(guides.GUIDE_ROOT)}"
    assert guides.screenshot_file("desk-list", "en") == guides.GUIDE_ROOT / "screenshots" / "en" / "desk-list.png"


def test_the_pictures_come_from_the_folder_of_the_setting_in_the_guides_language(client, settings, tmp_path):
    """``PESAN_GUIDE_SCREENSHOTS_DIR`` is the folder the admin serves (the browser test points it at the folder of
    its run); each language has its own picture and there is no fallback to the other language's."""
    settings.PESAN_GUIDE_SCREENSHOTS_DIR = str(tmp_path)
    (tmp_path / "desk-list.png").write_bytes(b"\x89PNG\r\n\x1a\nid")
    client.force_login(_officer("PPID Utama"))
    served = client.get("/admin/panduan/gambar/id/desk-list.png")
    assert served.status_code == 200 and b"".join(served.streaming_content).endswith(b"id")
    assert client.get("/admin/panduan/gambar/en/desk-list.png").status_code == 404  # not taken in English
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "desk-list.png").write_bytes(b"\x89PNG\r\n\x1a\nen")
    served = client.get("/admin/panduan/gambar/en/desk-list.png")
    assert served.status_code == 200 and b"".join(served.streaming_content).endswith(b"en")
    assert client.get("/admin/panduan/gambar/fr/desk-list.png").status_code == 404
    assert client.get("/admin/panduan/gambar/id/ticket-actions.png").status_code == 404


def test_a_link_to_an_admin_screen_that_does_not_exist_is_an_error(monkeypatch, tmp_path):
    (tmp_path / "id").mkdir()
    (tmp_path / "id" / "ppid-utama.md").write_text("[list](url:layanan_no_such_screen)")
    monkeypatch.setattr(guides, "GUIDE_ROOT", tmp_path)
    with pytest.raises(guides.GuideError, match="layanan_no_such_screen"):
        guides.render_guide("ppid-utama", "id")


def test_raw_html_in_a_guide_is_not_rendered(monkeypatch, tmp_path):
    (tmp_path / "id").mkdir()
    (tmp_path / "id" / "ppid-utama.md").write_text("<script>alert(1)</script>\n\n[x](javascript:alert(1)) *ok*")
    monkeypatch.setattr(guides, "GUIDE_ROOT", tmp_path)
    html, _ = guides.render_guide("ppid-utama", "id")
    assert "<script" not in html and "javascript:" not in html and "<em>ok</em>" in html


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_buttons_a_guide_names_exist(language):
    """A bold phrase of a guide without a digit and not ending with ":" names a button of the desk: it must be
    the label of a workflow action (or of the news queue) in that language, so a renamed button shows here."""
    with translation.override(language):
        labels = {str(t.label) for s in registry.all_services() for t in s.machine.transitions}
        labels |= {translation.gettext("Approve"), translation.gettext("Reject")}
    for guide in guides.GUIDES:
        text, _ = guides.guide_source(guide.slug, language)
        for phrase in re.findall(r"\*\*([^*]+)\*\*", text):
            phrase = " ".join(phrase.split())
            if re.search(r"\d", phrase) or phrase.endswith(":"):
                continue
            assert phrase in labels, f"{language}/{guide.slug}.md names a button that does not exist: {phrase}"


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_guide_downloads_as_a_pdf_and_a_one_page_quick_reference(client, language):
    client.force_login(_officer("Operator Unit"))
    for guide in guides.GUIDES:
        full = client.get(f"/admin/panduan/{guide.slug}/pdf/", {"lang": language})
        assert full.status_code == 200 and full["Content-Type"] == "application/pdf"
        assert full["Content-Disposition"] == f'attachment; filename="panduan-{guide.slug}-{language}.pdf"'
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(full.content)).pages)
        title, sections = guides._outline(guides.guide_source(guide.slug, language)[0])
        text = " ".join(text.split())
        assert title.upper() in text and all(heading in text for heading, _ in sections if heading)
        printed = [image for page in PdfReader(io.BytesIO(full.content)).pages for image in page.images]
        shown = guides.screenshot_names(guides.guide_source(guide.slug, language)[0])
        assert len(printed) >= len(shown) >= 1, f"{guide.slug}: the workshop PDF prints the guide's pictures"
        assert {image.image.size for image in printed} == {(1280, 800)}
        quick = client.get(f"/admin/panduan/{guide.slug}/pdf/", {"lang": language, "quick": "1"})
        pages = PdfReader(io.BytesIO(quick.content)).pages
        assert len(pages) == 1, f"{guide.slug}: the quick reference is one page"
        assert not pages[0].images, f"{guide.slug}: the quick reference is text only"
        quick_text = " ".join(pages[0].extract_text().split())
        assert any(lead in quick_text for lead in guides.RULE_LEADS), f"{guide.slug}: the rules are in it"
    assert client.get("/admin/panduan/no-such-guide/pdf/").status_code == 404
