"""The pictures of the guides (issue 21, ``layanan.guides``): Chromium at a fixed 1280×800 viewport walks the
screens the guides describe on the ``make run`` demo data (``layanan.demo``) and takes one picture per entry of
:data:`SCREENS` — the only names a guide may show (``tests/layanan/test_guides.py`` checks that).

With ``PESAN_WRITE_GUIDES=1`` (``make guides``) the pictures are written to ``docs/guides/screenshots/``, the
folder the guides read; otherwise to ``tests/browser/screenshots/guide-<name>.png`` (git-ignored), so an
ordinary run of the suite proves that every picture can still be produced without touching the committed ones.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import UserFactory

from .conftest import PASSWORD, SCREENSHOTS, admin_login
from .test_news_queue import queue  # noqa: F401 - the imported-news queue fixture

pytestmark = pytest.mark.browser

#: Picture name -> what it shows. A guide may show ``screenshots/<name>.png`` only for these names.
SCREENS: dict[str, str] = {
    "desk-list": "the list of information requests with due dates (PPID Utama, unit operator)",
    "ticket-actions": "an extended request in process: details, timeline and the action buttons",
    "news-queue": "the editor's queue of imported news with approve / reject",
    "channels": "the channels screen (mailbox, WhatsApp, Instagram, Facebook) and their health",
}
VIEWPORT = {"width": 1280, "height": 800}
GUIDE_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "guides" / "screenshots"


def _target(name: str) -> Path:
    if os.environ.get("PESAN_WRITE_GUIDES") == "1":
        return GUIDE_SCREENSHOTS / f"{name}.png"
    return SCREENSHOTS / f"guide-{name}.png"


def test_the_guides_pictures_are_taken_from_the_screens_they_describe(new_page, queue):  # noqa: F811
    from layanan import demo
    from layanan.core.models.tickets import Ticket

    demo.seed(io.StringIO())
    UserFactory(username="pelatih", password=PASSWORD, is_superuser=True, is_staff=True)
    taken = set()

    def take(page, name: str) -> None:
        assert name in SCREENS, name
        page.wait_for_load_state("networkidle")
        path = _target(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(path))  # the viewport only: every picture 1280×800
        assert path.stat().st_size > 10_000
        taken.add(name)

    page = new_page()
    page.set_viewport_size(VIEWPORT)
    admin_login(page, "pelatih")

    page.goto(reverse("layanan_ppidrequestticket_modeladmin_index"))
    assert page.locator("table.listing tbody tr").count() >= 4
    take(page, "desk-list")

    extended = Ticket.objects.get(service="ppid_request", extended=True)
    page.goto(reverse("layanan_ppidrequestticket_modeladmin_inspect", args=[extended.pk]))
    assert page.get_by_text(extended.tracking_number).first.is_visible()
    take(page, "ticket-actions")

    page.goto(reverse("wagtailsnippets_berita_importedarticle:list"))
    assert page.locator("table.listing tbody tr").count() >= 1
    take(page, "news-queue")

    page.goto(reverse("layanan_channels"))
    assert page.locator("table.layanan-channels tbody tr").count() == 4
    take(page, "channels")

    assert taken == set(SCREENS), "every declared picture is taken by this test"

    # the guide shows its pictures (served by the admin, allowed by the CSP), each 1280 pixels wide
    page.goto(reverse("layanan_guide", args=["ppid-utama"]))
    assert page.locator("article.layanan-guide img").count() == 2
    page.wait_for_load_state("networkidle")
    loaded = "[...document.querySelectorAll('article.layanan-guide img')].map(i => i.complete && i.naturalWidth)"
    assert page.evaluate(loaded) == [1280, 1280]
