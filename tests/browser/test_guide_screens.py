"""The pictures of the guides (issue 21, ``layanan.guides``): Chromium at a fixed 1280×800 viewport walks the tasks
the guides describe, as the officer of each role, on the workshop data — the training set of ``layanan.training``
(the demo officers of ``layanan.demo`` and their tickets, one per service and state, WBS reports and social-media
messages included) and the imported-news queue — and takes one picture per entry of :data:`SCREENS` (the only
names a guide may show; ``tests/layanan/test_guides.py`` checks that) TWICE: with the officer's admin language
(Wagtail's ``UserProfile.preferred_language``) Indonesian, for the Indonesian guides, and English, for the English
ones (:func:`layanan.guides.screenshot_file`: ``<folder>/<name>.png`` and ``<folder>/en/<name>.png``).

Where the pictures go: with ``PESAN_GUIDE_SCREENSHOTS_DIR`` pointed at a folder of this run (``tmp_path``), or
with ``PESAN_WRITE_GUIDES=1`` (``make guides``) at ``docs/guides/screenshots/``, the committed folder the guides
read by default (pictures no longer declared are removed there). Then, in the same test, every guide is opened in
Indonesian and English through the admin menu ("Panduan" / "Guides"): every picture loads (1280 pixels wide) and
every picture the admin served is, byte for byte, a file this run wrote — so an ordinary run of the suite proves
that every picture a guide shows was written by a test in that run.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import UserFactory

from .conftest import PASSWORD
from .test_news_queue import INLINE, queue  # noqa: F401 - the imported-news queue fixture

pytestmark = pytest.mark.browser

#: Picture name -> what it shows (and the role that sees it). A guide may show ``screenshots/<name>.png`` only for
#: these names.
SCREENS: dict[str, str] = {
    "desk-list": "PPID Utama: the list of information requests with due dates",
    "ticket-actions": "PPID Utama: a new request — details, timeline and the action buttons (verify, completion)",
    "dispose-form": "PPID Utama: the disposition form (assign to unit)",
    "extend-form": "PPID Utama: the extension form (once, +7 working days)",
    "annual-report": "PPID Utama, content editor: the PPID annual report page",
    "operator-list": "unit operator: the requests of the own unit only",
    "operator-ticket": "unit operator: an assigned request with 'Start processing'",
    "decide-form": "unit operator: the decision form (written notice)",
    "objections-list": "Atasan PPID: the list of objections",
    "objection-answer": "Atasan PPID: the form answering an objection",
    "lapor-list": "Admin LAPOR: the list of SP4N-LAPOR reports",
    "lapor-verify": "Admin LAPOR: the verification form of a new report",
    "wbs-list": "Inspektorat: the list of WBS reports (training data only)",
    "wbs-ticket": "Inspektorat: a new WBS report with its acknowledgement action",
    "social-queue": "social-media admin: the social-media and e-mail messages to triage",
    "channels": "social-media admin: the channels screen (mailbox, WhatsApp, Instagram, Facebook) and their health",
    "news-queue": "content editor: the queue of imported news with approve / reject",
    "news-preview": "content editor: the review of an imported article with its preview",
}
LANGUAGES = ("id", "en")
VIEWPORT = {"width": 1280, "height": 800}
GUIDE_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "guides" / "screenshots"
WRITE = os.environ.get("PESAN_WRITE_GUIDES") == "1"


@pytest.fixture
def guide_folder(settings, tmp_path):
    """The folder the pictures are written to and the guides read (``PESAN_GUIDE_SCREENSHOTS_DIR``)."""
    if WRITE:
        folder = GUIDE_SCREENSHOTS
        for stale in [*folder.glob("*.png"), *folder.glob("*/*.png")]:
            if stale.stem not in SCREENS:
                stale.unlink()  # a picture no longer declared: no guide may show it
    else:
        folder = tmp_path / "guide-screenshots"
    settings.PESAN_GUIDE_SCREENSHOTS_DIR = str(folder)
    return folder


class Camera:
    """Takes the pictures of one language and remembers what this run wrote (path -> SHA-256)."""

    def __init__(self, language: str, written: dict[Path, str]):
        self.language = language
        self.written = written

    def __call__(self, page, name: str) -> None:
        from layanan.guides import screenshot_file

        assert name in SCREENS, name
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == self.language, "the admin in the officer's language"
        path = screenshot_file(name, self.language)
        assert path not in self.written, f"{name} taken twice in {self.language}"
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path))  # the viewport only: every picture 1280×800
        content = path.read_bytes()
        assert len(content) > 10_000
        self.written[path] = hashlib.sha256(content).hexdigest()


def _officer_page(new_page, username: str, language: str):
    """A page of ``username`` logged in through the login form, with the admin language ``language``."""
    from django.contrib.auth.models import User
    from wagtail.users.models import UserProfile

    user = User.objects.get(username=username)
    user.set_password(PASSWORD)
    user.save()
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    page = new_page(locale="en-GB" if language == "en" else "id-ID")
    page.set_viewport_size(VIEWPORT)
    page.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def _rows(page) -> int:
    return page.locator("table.listing tbody tr").count()


def _label(service: str, action: str) -> str:
    from layanan.core.workflow import machine_for

    return str(machine_for(service).transition(action).label)


def _open_action(page, ticket, action: str) -> None:
    """On ``ticket``'s page, click the button of ``action`` (its label in the active language) and check that its
    form opened under that title."""
    from layanan.core.links import inspect_url

    page.goto(inspect_url(ticket))
    assert ticket.tracking_number in page.locator("h1").inner_text()
    label = _label(ticket.service, action)
    button = page.locator(f"a.button[href='{reverse('layanan_desk_action', args=[ticket.pk, action])}']")
    assert button.inner_text().strip() == label
    button.click()
    page.wait_for_load_state()
    assert label in page.locator("h1").inner_text()
    assert page.locator(f"form button[type=submit]:text-is('{label}')").count() == 1


def _walk(new_page, language: str, take: Camera) -> None:  # noqa: PLR0915 - one screen after the other
    """Every role's main tasks, a picture each, with the admin in ``language``."""
    from django.contrib.auth.models import User

    from berita.models import ImportedArticle
    from home.models import Unit
    from layanan.core.access import tickets_visible_to
    from layanan.core.links import index_url, inspect_url
    from layanan.core.models.tickets import Ticket
    from layanan.desk.reports import REPORT_LABELS

    units = list(Unit.objects.filter(active=True).order_by("sort_order", "code"))
    tickets = Ticket.objects.select_related("unit")

    # PPID Utama: the list, a new request, disposition, extension, the annual report
    page = _officer_page(new_page, "ppid.utama", language)
    page.goto(index_url("ppid_request"))
    assert _rows(page) >= 10
    take(page, "desk-list")
    new = tickets.get(service="ppid_request", status="received", subject__startswith="Daftar Informasi Publik")
    page.goto(inspect_url(new))
    for action in ("verify", "request_completion"):
        assert page.get_by_role("link", name=_label("ppid_request", action), exact=True).is_visible()
    take(page, "ticket-actions")
    verified = tickets.get(service="ppid_request", status="verification")
    _open_action(page, verified, "assign")
    page.locator("select[name=unit]").select_option(str(units[0].pk))
    take(page, "dispose-form")
    in_process = tickets.get(service="ppid_request", status="in_process", unit=units[0], subject__startswith="Data")
    _open_action(page, in_process, "extend")
    page.locator("textarea").first.fill("Dokumen berada di beberapa satuan kerja dan perlu dihimpun.")
    take(page, "extend-form")
    page.goto(reverse("layanan_reports_ppid"))
    assert str(REPORT_LABELS["ppid_annual"]) in page.locator("h1").inner_text()
    assert page.locator("table").count() >= 3
    take(page, "annual-report")

    # the unit operator: only the own unit, start processing, the decision
    page = _officer_page(new_page, "operator.unit1", language)
    page.goto(index_url("ppid_request"))
    own = tickets_visible_to(User.objects.get(username="operator.unit1")).filter(service="ppid_request")
    listing = page.locator("table.listing tbody").inner_text()
    assert _rows(page) == own.count() >= 5
    assert f"({units[0].code})" in listing and f"({units[1].code})" not in listing
    take(page, "operator-list")
    assigned = tickets.get(service="ppid_request", status="assigned", unit=units[0])
    page.goto(inspect_url(assigned))
    assert page.get_by_role("link", name=_label("ppid_request", "start_processing"), exact=True).is_visible()
    take(page, "operator-ticket")
    _open_action(page, in_process, "decide")
    take(page, "decide-form")

    # the Atasan PPID: the objections and the answer to one
    page = _officer_page(new_page, "atasan.ppid", language)
    page.goto(index_url("objection"))
    assert _rows(page) == tickets.filter(service="objection").count() == 5
    take(page, "objections-list")
    _open_action(page, tickets.get(service="objection", status="in_review"), "answer")
    take(page, "objection-answer")

    # the Admin LAPOR: the reports and the verification of a new one
    page = _officer_page(new_page, "admin.lapor", language)
    page.goto(index_url("lapor"))
    assert _rows(page) >= 5
    take(page, "lapor-list")
    _open_action(page, tickets.get(service="lapor", status="received", subject__startswith="Trotoar"), "verify")
    take(page, "lapor-verify")

    # the Inspektorat: the WBS reports (training data only) and a new one
    page = _officer_page(new_page, "inspektorat", language)
    page.goto(index_url("wbs"))
    assert _rows(page) == tickets.filter(service="wbs").count() == 10
    take(page, "wbs-list")
    fresh = tickets.get(service="wbs", status="received")
    page.goto(inspect_url(fresh))
    assert page.get_by_role("link", name=_label("wbs", "acknowledge"), exact=True).is_visible()
    take(page, "wbs-ticket")

    # the social-media admin: the messages to triage; the channels (an administrator's screen)
    page = _officer_page(new_page, "admin.sosmed", language)
    page.goto(index_url("social"))
    assert _rows(page) == tickets.filter(service="social").count() == 3
    assert "SIM keliling" in page.locator("table.listing tbody").inner_text()
    take(page, "social-queue")
    page = _officer_page(new_page, "pelatih", language)
    page.goto(reverse("layanan_channels"))
    assert page.locator("table.layanan-channels tbody tr").count() == 4
    take(page, "channels")

    # the content editor: the imported-news queue and an article's review with its preview
    page = _officer_page(new_page, "redaktur", language)
    viewset = ImportedArticle.snippet_viewset
    page.goto(reverse(viewset.get_url_name("list")))
    article = ImportedArticle.objects.get(slug=INLINE)
    row = page.locator("tr", has=page.get_by_role("link", name=article.title, exact=True))
    assert row.get_by_role("button", name=translation.gettext("Approve")).is_visible()
    assert _rows(page) == ImportedArticle.objects.count()
    take(page, "news-queue")
    review = reverse(viewset.get_url_name("inspect"), args=[article.pk])
    row.locator(f"a[href='{review}#preview-heading']").click()
    page.wait_for_load_state()
    assert page.locator("article.berita-preview img").count() == 3  # the preview: the feature and inline images
    page.goto(review)  # the top of the same page: the decisions first, the preview under them
    assert page.get_by_role("button", name=translation.gettext("Approve")).first.is_visible()
    take(page, "news-preview")


def _read_every_guide(new_page, language: str, written: dict[Path, str], started: float) -> set[str]:
    """Open every guide through the admin menu with the admin in ``language``; every picture loads and is a file
    this run wrote. Returns the names of the pictures shown."""
    from layanan import guides

    page = _officer_page(new_page, "ppid.utama", language)
    served = []
    page.on("response", lambda r: served.append(r) if "/admin/panduan/gambar/" in r.url else None)
    menu = page.locator("a[href='/admin/panduan/']", has_text=translation.gettext("Guides")).first

    def open_guides() -> None:  # through the admin menu's "Panduan" / "Guides"
        menu.click()
        page.wait_for_url("**/admin/panduan/")

    open_guides()
    order = page.locator("ul.layanan-guides li").evaluate_all("items => items.map(i => i.dataset.guide)")
    assert order[0] == "ppid-utama" and sorted(order) == sorted(g.slug for g in guides.GUIDES)
    shown = set()
    for slug in order:
        open_guides()
        served.clear()
        page.locator(f"li[data-guide='{slug}'] a").click()
        page.wait_for_url(f"**/admin/panduan/{slug}/")
        page.wait_for_load_state("networkidle")
        article = page.locator("article.layanan-guide")
        assert article.get_attribute("lang") == language
        images = article.locator("img")
        assert images.count() >= 1, f"{language}/{slug}: every guide shows at least one picture"
        widths = images.evaluate_all("images => images.map(i => i.complete && i.naturalWidth)")
        assert widths == [VIEWPORT["width"]] * images.count(), f"{language}/{slug}: a picture did not load"
        sources = images.evaluate_all("images => images.map(i => new URL(i.src).pathname)")
        text, used = guides.guide_source(slug, language)
        assert used == language
        names = guides.screenshot_names(text)
        assert {reverse("layanan_guide_screenshot", args=[language, n]) for n in names} == set(sources)
        responses = {urlsplit(r.url).path: r for r in served}
        assert set(responses) == set(sources), f"{language}/{slug}: each picture was served by the admin"
        for name in names:
            file = guides.screenshot_file(name, language)
            body = responses[reverse("layanan_guide_screenshot", args=[language, name])].body()
            assert file in written, f"{file} was not written by this run"
            assert file.stat().st_mtime >= started, f"{file} is older than this run"
            assert hashlib.sha256(body).hexdigest() == written[file], f"{language}/{slug}: {name} is not this run's"
        shown |= names
    return shown


def test_every_guide_shows_pictures_this_run_took_of_its_role_in_its_language(
    new_page,
    queue,  # noqa: F811
    guide_folder,
    settings,
):
    from layanan import training
    from layanan.guides import screenshot_file

    started = time.time() - 1  # the file system's clock may round down
    settings.PESAN_TRAINING_MODE = True
    training.reset()
    UserFactory(username="pelatih", password=PASSWORD, is_superuser=True, is_staff=True)

    written: dict[Path, str] = {}
    for language in LANGUAGES:
        with translation.override(language):
            _walk(new_page, language, Camera(language, written))
    expected = {screenshot_file(name, language) for name in SCREENS for language in LANGUAGES}
    assert set(written) == expected, "every declared picture is taken in both languages"
    assert all(path.is_relative_to(guide_folder) for path in written)

    for language in LANGUAGES:
        with translation.override(language):
            shown = _read_every_guide(new_page, language, written, started)
        assert shown == set(SCREENS), f"every picture taken is shown by a guide in {language}"
