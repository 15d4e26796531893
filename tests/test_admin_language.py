"""The admin in Indonesian (issue 19): an editor with the default language sees Wagtail's screens in Indonesian.

Django does load Wagtail's ``locale/id_ID`` catalogues for ``LANGUAGE_CODE = "id"`` (Python's gettext expands
"id" to "id_ID"), but they translate about a quarter of Wagtail's strings; ``pesan_cms/locale_admin`` fills the
rest, and what wagtail-modeladmin, django-filter, django-taggit and django-otp lack (docs/admin-language.md).

- Every string of those packages has an Indonesian translation, server side and in Wagtail's JavaScript
  catalogue: after an upgrade the failure lists the new strings to translate in ``pesan_cms/locale_admin``.
- The main screens, logged in through the login form, render without a list of known English strings
  (dashboard, page explorer, page edit and create, validation errors, images, documents, snippets, settings,
  every screen of the admin menu: the desk lists under "Layanan", the reports, …, search, account).
"""

from __future__ import annotations

import ast
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import django_filters
import django_otp
import pytest
import taggit
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from regulasi.models import RegulationIndexPage, RegulationPage

ADMIN_PACKAGES = ("wagtail", "wagtail_modeladmin")
#: Packages without an English catalogue: another language's lists the same message ids.
OTHER_CATALOGUES = [
    Path(django_filters.__file__).parent / "locale/de/LC_MESSAGES/django.po",
    Path(taggit.__file__).parent / "locale/en/LC_MESSAGES/django.po",
    Path(django_otp.__file__).parent / "locale/de/LC_MESSAGES/django.po",
]

#: English an editor must never read in the Indonesian admin (whole words, case-sensitive). Wagtail's own
#: strings the issue found plus the commonest labels of the screens below.
KNOWN_ENGLISH = [
    "Pages",
    "Search all pages",
    "Help",
    "This field is required",
    "Dashboard",
    "Save draft",
    "Publish",
    "Unpublish",
    "Images",
    "Documents",
    "Snippets",
    "Settings",
    "Reports",
    "Exploring",
    "created in",
    "Current page status",
    "Add child page",
    "Edit",
    "Delete",
    "Cancel",
    "Preview",
    "Comments",
    "Sort by",
    "Show filters",
    "Select all",
    "More actions",
    "Bulk actions",
    "Choose a page",
    "Collection",
    "Privacy",
    "Page type",
    "Last updated",
    "Editor Guide",
    "editor guide",
    "Shortcuts",
    "Keyboard shortcuts",
    "Toggle sidebar",
    "Main menu",
    "Account",
    "Log out",
    "could not be saved",
    "could not be created",
    "validation errors",
    "new items in this menu",
    "A comma-separated list of tags",
    "descending",
]
KNOWN_ENGLISH_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(s) for s in KNOWN_ENGLISH) + r")(?![\w-])")
SIDEBAR_RE = re.compile(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', re.S)


def po_entries(path: Path):
    """``(context, msgid, msgid_plural)`` of every entry of a PO file but the header (a small reader)."""
    entry: dict = {}
    field = None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line or line.startswith("#"):
            if not line and entry.get("msgid"):
                yield entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural")
            if not line:
                entry, field = {}, None
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if field:
                entry[field] += ast.literal_eval(line)
        elif keyword in ("msgctxt", "msgid", "msgid_plural"):
            field, entry[keyword] = keyword, ast.literal_eval(rest)
        else:  # msgstr, msgstr[n]
            field = None


def english_catalogues(domain: str = "django") -> list[Path]:
    """The English catalogues (every message id) of the installed Wagtail apps and wagtail-modeladmin."""
    found = []
    for config in apps.get_app_configs():
        if config.name.split(".")[0] in ADMIN_PACKAGES:
            path = Path(config.path) / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
            if path.exists():
                found.append(path)
    return found


def catalogue_key(context, msgid, plural):
    key = f"{context}\x04{msgid}" if context else msgid
    return (key, 0) if plural is not None else key


def test_django_loads_wagtails_id_ID_catalogue_for_id():
    """The reason ``locale_admin`` only fills gaps: Wagtail's own Indonesian is used (not in our catalogue)."""
    with translation.override("id"):
        assert translation.gettext("Save draft") == "Simpan konsep"  # from wagtail/admin/locale/id_ID only
    ours = Path(__file__).resolve().parents[1] / "pesan_cms/locale_admin/id/LC_MESSAGES/django.po"
    assert "Save draft" not in {msgid for _ctx, msgid, _plural in po_entries(ours)}


def test_every_string_of_the_admin_packages_has_indonesian():
    catalogue = trans_real.translation("id")._catalog  # Django's merged catalogue: apps, LOCALE_PATHS, Django
    missing = []
    for path in english_catalogues() + OTHER_CATALOGUES:
        assert path.exists(), path
        for context, msgid, plural in po_entries(path):
            if catalogue_key(context, msgid, plural) not in catalogue:
                missing.append(f"{path.parts[-5]}: {context + ' | ' if context else ''}{msgid}")
    assert len(english_catalogues()) >= 10
    assert missing == [], (
        f"{len(missing)} strings of the admin packages have no Indonesian; translate them in "
        f"pesan_cms/locale_admin/id/LC_MESSAGES/django.po: {missing[:20]}"
    )


@pytest.mark.django_db
def test_every_javascript_string_of_the_admin_has_indonesian(admin_client):
    response = admin_client.get(reverse("wagtailadmin_javascript_catalog"), HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    match = re.search(r"const newcatalog = (\{.*?\});\n", response.content.decode(), re.S)
    assert match, "Django's JavaScript catalogue format"
    served = json.loads(match.group(1))
    [path] = english_catalogues("djangojs")
    missing = [
        msgid
        for context, msgid, plural in po_entries(path)
        if (f"{context}\x04{msgid}" if context else msgid) not in served
    ]
    assert missing == [], f"translate in pesan_cms/locale_admin/id/LC_MESSAGES/djangojs.po: {missing[:20]}"
    assert served["Insert a block"] == "Sisipkan blok"


class VisibleText(HTMLParser):
    """What a person reads or hears: text outside scripts and styles, and labels, placeholders, titles, alts."""

    SKIP = {"script", "style", "template"}
    ATTRIBUTES = {"aria-label", "placeholder", "title", "alt", "data-w-tooltip-content-value"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        self.parts.extend(value for name, value in attrs if name in self.ATTRIBUTES and value)
        if tag == "input":
            values = dict(attrs)
            if values.get("type") in ("submit", "button") and values.get("value"):
                self.parts.append(values["value"])

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.parts.append(data.strip())


def menu_items(html: str) -> list[dict]:
    """Every item of the admin menu (Wagtail's sidebar props): ``{"label", "url", "children"}``."""

    def walk(node):
        if isinstance(node, list):
            return [item for child in node for item in walk(child)]
        if not isinstance(node, dict):
            return []
        kind, args = node.get("_type", ""), node.get("_args") or []
        if kind.endswith("MenuItem") and args and isinstance(args[0], dict):
            return [{"label": args[0].get("label", ""), "url": args[0].get("url", ""), "children": walk(args[1:])}]
        return [item for value in (args if kind else node.values()) for item in walk(value)]

    match = SIDEBAR_RE.search(html)
    assert match, "the admin page carries Wagtail's sidebar props"
    return walk(json.loads(match.group(1)))


def flatten(items):
    for item in items:
        yield item
        yield from flatten(item["children"])


def readable(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    labels = [item["label"] for item in flatten(menu_items(html))] if SIDEBAR_RE.search(html) else []
    return "\n".join(parser.parts + labels)


def english_in(html: str) -> list[str]:
    return sorted({match.group(1) for match in KNOWN_ENGLISH_RE.finditer(readable(html))})


def test_the_english_detector_finds_english():
    html = '<main><h1>Pages</h1><p>Bidang ini wajib diisi.</p><input placeholder="Search all pages…"></main>'
    assert english_in(html) == ["Pages", "Search all pages"]
    assert english_in("<p>Halaman, Cari di semua halaman…, Bantuan</p>") == []


@pytest.fixture
def demo_admin(client, db):
    """The demo content (``seed_demo``) and its superuser logged in through the admin's login form."""
    call_command("seed_demo", stdout=io.StringIO())
    login = client.get(reverse("wagtailadmin_login"))
    assert english_in(login.content.decode()) == []
    response = client.post(reverse("wagtailadmin_login"), {"username": "admin", "password": "pesan-admin"})
    assert response.status_code == 302, "the demo superuser logs in"
    return client


def screens() -> dict[str, str]:
    """The main screens of the demo, beside every link of the admin menu."""
    home = Site.objects.get(is_default_site=True).root_page
    index = RegulationIndexPage.objects.first()
    regulation = RegulationPage.objects.first()
    news = Page.objects.filter(content_type__model="newspage").first()
    image = get_image_model().objects.first()
    document = get_document_model().objects.first()
    return {
        "dashboard": reverse("wagtailadmin_home"),
        "page explorer": reverse("wagtailadmin_explore", args=[home.pk]),
        "edit the home page": reverse("wagtailadmin_pages:edit", args=[home.pk]),
        "edit a regulation": reverse("wagtailadmin_pages:edit", args=[regulation.pk]),
        "edit a news article": reverse("wagtailadmin_pages:edit", args=[news.pk]),
        "choose a page type": reverse("wagtailadmin_pages:add_subpage", args=[home.pk]),
        "create a regulation": reverse("wagtailadmin_pages:add", args=["regulasi", "regulationpage", index.pk]),
        "page history": reverse("wagtailadmin_pages:history", args=[regulation.pk]),
        "search": reverse("wagtailadmin_pages:search") + "?q=regulasi",
        "images": reverse("wagtailimages:index"),
        "edit an image": reverse("wagtailimages:edit", args=[image.pk]),
        "documents": reverse("wagtaildocs:index"),
        "edit a document": reverse("wagtaildocs:edit", args=[document.pk]),
        "account": reverse("wagtailadmin_account"),
    }


@pytest.mark.django_db
def test_the_main_admin_screens_speak_indonesian(demo_admin):
    client = demo_admin
    found: dict[str, list[str]] = {}

    def visit(name, url):
        response = client.get(url, follow=True)
        assert response.status_code == 200, f"{name}: {url} answered {response.status_code}"
        html = response.content.decode()
        if english := english_in(html):
            found[f"{name} ({url})"] = english
        return html

    dashboard = visit("dashboard", reverse("wagtailadmin_home"))
    menu = [item for item in flatten(menu_items(dashboard)) if item["url"].startswith("/admin/")]
    assert {"Layanan", "Laporan layanan", "Laporan konten", "Pengaturan"} <= {
        item["label"] for item in flatten(menu_items(dashboard))
    }
    for item in menu:
        visit(f"menu: {item['label']}", item["url"])
    for name, url in screens().items():
        visit(name, url)
    assert len(menu) >= 20, "the desk lists under Layanan, the reports, the settings, the snippets"
    assert found == {}, (
        f"English in the Indonesian admin: {found}. A string of the project: `make messages` and translate it in "
        "its app's catalogue; of Wagtail or another package: pesan_cms/locale_admin (docs/admin-language.md)."
    )


@pytest.mark.django_db
def test_validation_messages_are_indonesian(demo_admin):
    regulation = RegulationPage.objects.first()
    url = reverse("wagtailadmin_pages:edit", args=[regulation.pk])
    form = {"title": "", "slug": regulation.slug, "kind": "other", "number": "", "year": "", "about": ""}
    response = demo_admin.post(url, {**form, "status": "berlaku", "subjects": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Halaman tidak dapat disimpan karena ada kesalahan validasi." in html
    assert "wajib diisi" in html
    assert english_in(html) == []
