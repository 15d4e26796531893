"""Panduan (issue 21): the officers' and editors' manual inside the admin, one guide per role.

The guides are Markdown files per language, ``docs/guides/<language>/<slug>.md`` (``id`` first, ``en`` second;
a language without its file falls back to Indonesian), written for the people who use the desk. Two link forms
tie them to the application so they cannot drift silently:

- ``[text](url:<url name>)`` links to an admin screen by its URL name (``django.urls.reverse``); a name that no
  longer exists is an error (:class:`GuideError`), caught by the tests;
- ``![text](screenshots/<name>.png)`` shows a picture of the guide's language: ``<folder>/<name>.png`` for
  Indonesian, ``<folder>/en/<name>.png`` for English (:func:`screenshot_file`; no fallback — a missing picture is a
  404 and fails the tests). The folder is ``settings.PESAN_GUIDE_SCREENSHOTS_DIR`` (default
  ``docs/guides/screenshots/``), written ONLY by the browser test that walks the screens
  (``tests/browser/test_guide_screens.py``, ``make guides``); an ordinary run of that test writes a folder of its
  own, points the setting at it and opens every guide; a test fails when a guide refers to a name no test
  produces.

Markdown is rendered by ``markdown-it-py`` (CommonMark, raw HTML off) and the result cleaned by ``nh3``; the
admin serves the pictures itself (officers only). The workshop PDF prints the pictures across the page width; the
one-page quick reference is text only. Which guides come first: those of the user's own groups
(:data:`GUIDES`, ``Guide.groups``), then the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nh3
from django.conf import settings
from django.contrib.auth.decorators import user_passes_test
from django.http import FileResponse, Http404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from layanan.core.notifications import organisation_name
from layanan.core.printable import (
    Document,
    Picture,
    Section,
    format_datetime,
    issuer,
    issuer_lines,
    pdf_response,
    render_pdf,
)

__all__ = [
    "GUIDES",
    "GUIDE_ROOT",
    "Guide",
    "GuideError",
    "guide_document",
    "guide_source",
    "guides_for",
    "render_guide",
    "screenshot_dir",
    "screenshot_file",
    "screenshot_names",
]

GUIDE_ROOT = Path(settings.BASE_DIR) / "docs" / "guides"
LANGUAGES = ("id", "en")
SCREENSHOT_RE = re.compile(r"!\[[^\]]*\]\(screenshots/([a-z0-9-]+)\.png\)")
_SRC_RE = re.compile(r"screenshots/([a-z0-9-]+)\.png")
_NAME_RE = re.compile(r"^[a-z0-9-]+$")


class GuideError(Exception):
    """A guide refers to something that does not exist (an admin URL name, an unknown guide)."""


class UnknownGuide(GuideError):
    """No guide has this slug (a 404 in the admin)."""


@dataclass(frozen=True)
class Guide:
    """One role's guide: ``slug`` (its file name), ``title`` (English source string), ``groups`` (the Django
    groups whose members see it first: ``layanan.core.access.ROLE_GROUPS`` names, Wagtail's editor groups)."""

    slug: str
    title: str | Promise
    groups: tuple[str, ...]


GUIDES: tuple[Guide, ...] = (
    Guide("ppid-utama", _("Main information officer (PPID Utama)"), ("PPID Utama",)),
    Guide("operator-unit", _("Unit operator (PPID Pelaksana)"), ("Operator Unit",)),
    Guide("atasan-ppid", _("PPID superior (objections)"), ("Atasan PPID",)),
    Guide("admin-lapor", _("SP4N-LAPOR administrator"), ("Admin LAPOR",)),
    Guide("inspektorat", _("Inspectorate (whistleblowing)"), ("Inspektorat (WBS)",)),
    Guide("admin-media-sosial", _("Social-media administrator"), ("Admin Media Sosial",)),
    Guide("editor-konten", _("Content editor"), ("Editors", "Moderators")),
)


def _guide(slug: str) -> Guide:
    for guide in GUIDES:
        if guide.slug == slug:
            return guide
    raise UnknownGuide(f"unknown guide {slug!r}")


def guides_for(user) -> list[tuple[Guide, bool]]:
    """Every guide as ``(guide, own)``: the guides of ``user``'s own groups first (``own`` True), then the others,
    each part in :data:`GUIDES` order."""
    names = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    own = [g for g in GUIDES if names & set(g.groups)]
    return [(g, True) for g in own] + [(g, False) for g in GUIDES if g not in own]


def guide_source(slug: str, language: str) -> tuple[str, str]:
    """``(markdown text, language used)`` of guide ``slug`` in ``language`` (``id``/``en``; another language or a
    missing file falls back to Indonesian). Raises :class:`GuideError` for an unknown guide."""
    _guide(slug)
    language = (language or "id").split("-")[0]
    for candidate in (language, "id"):
        file = GUIDE_ROOT / candidate / f"{slug}.md"
        if candidate in LANGUAGES and file.is_file():
            return file.read_text(encoding="utf-8"), candidate
    raise GuideError(f"guide {slug!r} has no Indonesian file")


def screenshot_dir() -> Path:
    """The folder of the guides' pictures: ``settings.PESAN_GUIDE_SCREENSHOTS_DIR`` (default
    ``docs/guides/screenshots/``, written by ``make guides``; a run of the browser test points it at its own)."""
    return Path(getattr(settings, "PESAN_GUIDE_SCREENSHOTS_DIR", None) or GUIDE_ROOT / "screenshots")


def screenshot_file(name: str, language: str) -> Path:
    """The file of picture ``name`` taken with the admin in ``language``: ``<folder>/<name>.png`` for Indonesian
    (the reference language), ``<folder>/<language>/<name>.png`` for another one (English)."""
    folder = screenshot_dir()
    return folder / f"{name}.png" if language == LANGUAGES[0] else folder / language / f"{name}.png"


def screenshot_names(text: str) -> set[str]:
    """The picture names (``screenshots/<name>.png``) a guide's Markdown shows."""
    return set(SCREENSHOT_RE.findall(text))


_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.validateLink = lambda url: True  # ``url:`` links are ours; nh3 below keeps only http(s)/relative ones


def _rewrite(url: str, *, image: bool, language: str = "id") -> str:
    if url.startswith("url:"):
        try:
            return reverse(url.removeprefix("url:"))
        except NoReverseMatch as exc:
            raise GuideError(f"the guide links to an admin screen that does not exist: {url}") from exc
    if image and url.startswith("screenshots/") and url.endswith(".png"):
        name = url.removeprefix("screenshots/").removesuffix(".png")
        if _NAME_RE.match(name):
            return reverse("layanan_guide_screenshot", args=[language, name])
    return url


def render_guide(slug: str, language: str) -> tuple[str, str]:
    """``(safe HTML, language used)`` of a guide: Markdown → HTML with admin links resolved and pictures served
    by the admin (the pictures of the language used), cleaned by nh3. Raises :class:`GuideError` for a link to an
    admin URL name that does not exist."""
    text, used = guide_source(slug, language)
    tokens = _markdown.parse(text)
    for token in tokens:
        for child in token.children or ():
            if child.type == "link_open":
                child.attrSet("href", _rewrite(str(child.attrGet("href") or ""), image=False))
            elif child.type == "image":
                child.attrSet("src", _rewrite(str(child.attrGet("src") or ""), image=True, language=used))
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    clean = nh3.clean(
        html,
        tags={"h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "a", "img", "strong", "em", "code", "blockquote", "hr"},
        attributes={"a": {"href"}, "img": {"src", "alt"}},
        url_schemes={"http", "https"},
    )
    return mark_safe(clean), used  # noqa: S308 - cleaned by nh3 just above


# --- printable (PDF) ---------------------------------------------------------------------------------------------
#: Lead-ins of the bullets that state a task's legal rule or deadline (kept in the one-page quick reference).
RULE_LEADS = ("Dasar hukum", "Tenggat", "Legal rule", "Deadline")


def _inline_text(token) -> str:
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


@dataclass(frozen=True)
class Shot:
    """A picture in a guide's outline: ``name`` (``screenshots/<name>.png``) and its ``alt`` text."""

    name: str
    alt: str


def _outline(text: str) -> tuple[str, list[tuple[str, list[str | Shot]]]]:
    """``(title, [(heading, [paragraph, "• item" or Shot, ...]), ...])`` of a guide's Markdown, pictures (:class:`Shot`)
    where they stand."""
    title, sections = "", [("", [])]
    tokens = _markdown.parse(text)
    in_item = 0
    for index, token in enumerate(tokens):
        if token.type == "list_item_open":
            in_item += 1
        elif token.type == "list_item_close":
            in_item -= 1
        elif token.type == "inline":
            opener = tokens[index - 1]
            line = _inline_text(token)
            for child in token.children or ():
                match = _SRC_RE.fullmatch(str(child.attrGet("src") or "")) if child.type == "image" else None
                if match:
                    sections[-1][1].append(Shot(match.group(1), child.content))
            if opener.type == "heading_open" and opener.tag == "h1":
                title = line
            elif opener.type == "heading_open":
                sections.append((line, []))
            elif line:
                sections[-1][1].append(f"• {line}" if in_item else line)
    return title, [(heading, lines) for heading, lines in sections if heading or lines]


def _printed(line: str | Shot, language: str) -> str | Picture | None:
    """A line of the outline as the PDF prints it: text as it is, a picture as a :class:`Picture` of the
    language's file (None when the file is missing: the admin's page and the tests report that)."""
    if isinstance(line, str):
        return line
    file = screenshot_file(line.name, language)
    return Picture(str(file), line.alt) if file.is_file() else None


def guide_document(slug: str, language: str, *, quick: bool = False, request=None) -> Document:
    """Guide ``slug`` as a printable :class:`~layanan.core.printable.Document` for workshops, with its pictures
    (the language's own) across the page width. ``quick``: the one-page quick reference, text only — per task
    only the bullets stating its legal rule and deadline (:data:`RULE_LEADS`). Raises :class:`GuideError` for an
    unknown guide."""
    guide = _guide(slug)
    text, used = guide_source(slug, language)
    title, sections = _outline(text)
    with translation.override(used):
        if quick:
            sections = [
                (
                    heading,
                    [
                        line
                        for line in lines
                        if isinstance(line, str) and line.removeprefix("• ").startswith(RULE_LEADS)
                    ],
                )
                for heading, lines in sections
                if heading
            ]
            subtitle = gettext("Quick reference: each task with its legal rule and deadline")
        else:
            subtitle = gettext("Guide for the workshops")
        org = issuer(request)
        kind = "ringkas" if quick else "panduan"
        return Document(
            issuer=org.name if org is not None else organisation_name(),
            issuer_lines=issuer_lines(org),
            title=title or str(guide.title),
            subtitle=subtitle,
            reference="",
            sections=tuple(
                Section(heading, (), tuple(p for p in (_printed(line, used) for line in lines) if p is not None))
                for heading, lines in sections
            ),
            notes=(),
            issued=gettext("Printed on %(datetime)s.") % {"datetime": format_datetime(timezone.now())},
            filename=f"{kind}-{slug}-{used}.pdf",
            pdf_title=title or str(guide.title),
        )


# --- admin views and menu -----------------------------------------------------------------------------------------
def _officer(user) -> bool:
    return user.is_active and user.is_authenticated and user.has_perm("wagtailadmin.access_admin")


@user_passes_test(_officer)
def guide_index(request):
    """The list of guides, the user's own roles first."""
    return TemplateResponse(request, "layanan/guides/index.html", {"guides": guides_for(request.user)})


@user_passes_test(_officer)
def guide_detail(request, slug: str):
    """One guide in the admin's language (``?lang=id|en`` shows the other one). 404 for an unknown guide."""
    try:
        guide = _guide(slug)
    except UnknownGuide as exc:
        raise Http404 from exc
    html, used = render_guide(slug, request.GET.get("lang") or get_language() or "id")
    other = "en" if used == "id" else "id"
    return TemplateResponse(
        request,
        "layanan/guides/detail.html",
        {"guide": guide, "body": html, "language": used, "other_language": other},
    )


@user_passes_test(_officer)
def guide_pdf(request, slug: str):
    """Guide ``slug`` as a PDF download (``?lang=id|en``; ``?quick=1``: the one-page quick reference)."""
    try:
        document = guide_document(
            slug,
            request.GET.get("lang") or get_language() or "id",
            quick=bool(request.GET.get("quick")),
            request=request,
        )
    except UnknownGuide as exc:
        raise Http404 from exc
    return pdf_response(render_pdf(document), document.filename)


@user_passes_test(_officer)
def guide_screenshot(request, language: str, name: str):
    """A picture of the guides in ``language`` (:func:`screenshot_file`); 404 when no test has written it."""
    if language not in LANGUAGES or not _NAME_RE.match(name):
        raise Http404
    file = screenshot_file(name, language)
    if not file.is_file():
        raise Http404
    return FileResponse(file.open("rb"), content_type="image/png")


class GuidesMenuItem(MenuItem):
    """ "Guides" (Panduan): shown to everyone who may open the admin."""

    def is_shown(self, request):
        return _officer(request.user)


@hooks.register("register_admin_urls")
def register_guide_urls():
    return [
        path("panduan/", guide_index, name="layanan_guides"),
        path("panduan/<slug:slug>/", guide_detail, name="layanan_guide"),
        path("panduan/<slug:slug>/pdf/", guide_pdf, name="layanan_guide_pdf"),
        path("panduan/gambar/<slug:language>/<slug:name>.png", guide_screenshot, name="layanan_guide_screenshot"),
    ]


@hooks.register("register_admin_menu_item")
def register_guides_menu_item():
    return GuidesMenuItem(_("Guides"), reverse("layanan_guides"), name="guides", icon_name="help", order=10000)
