"""Browser (end-to-end) tests: Playwright for Python driving Debian's Chromium against pytest-django's
``live_server``. Skipped with a clear reason when /usr/bin/chromium or the playwright package is missing.

One browser per test session; each test opens its own contexts (one per person: citizen, officers).
Screenshots of every step go to ``tests/browser/screenshots/`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# The news fixtures (a local HTTP server with the ministry's feed, a routed requests session) for the news flow.
from tests.berita.conftest import make_source, news_server, session  # noqa: F401

CHROMIUM = os.environ.get("PESAN_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 390, "height": 844}
PASSWORD = "pw-Browser-2026!"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None

if sync_playwright is None:
    SKIP_REASON = "playwright is not installed (pip install -r requirements-dev.txt)"
elif not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
    SKIP_REASON = f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set PESAN_CHROMIUM)"
else:
    SKIP_REASON = ""


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))  # live_server sees committed data only
            if SKIP_REASON:
                item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {SKIP_REASON}"))


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session (Debian's, never a downloaded one)."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test body are safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """``new_page(phone=True)``: a page in a fresh context (own cookies) with base URL of the live server."""
    contexts = []

    def make(phone: bool = False, locale: str = "id-ID", bypass_csp: bool = False):
        """``bypass_csp``: only for injecting test tooling (axe-core); every flow runs under the real CSP."""
        viewport = PHONE if phone else {"width": 1280, "height": 900}
        context = browser.new_context(
            base_url=live_server.url,
            bypass_csp=bypass_csp,
            viewport=viewport,
            locale=locale,
            is_mobile=phone,
            has_touch=phone,
            device_scale_factor=2 if phone else 1,
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def shot(request):
    """``shot(page, "step")`` writes ``screenshots/<test>-NN-step.png`` (full page)."""
    counter = {"n": 0}
    name = request.node.name.removeprefix("test_")

    def take(page, step: str):
        counter["n"] += 1
        path = SCREENSHOTS / f"{name}-{counter['n']:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(autouse=True)
def _clean_state(transactional_db):
    """Empty throttle counters; the role groups and what Wagtail's migrations create exist.

    A transactional test ends with a flush, which also removes the rows Wagtail's data migrations made (root
    page, root collection, locale, default site); Django's ``serialized_rollback`` cannot bring them back here
    because Playwright's event loop gives the test body another connection object. So they are recreated.
    """
    from django.conf import settings
    from django.core.cache import cache
    from wagtail.models import Collection, Locale, Page, Site

    from layanan.core.access import ensure_role_groups

    cache.clear()
    ensure_role_groups()
    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    if not Site.objects.exists():
        Site.objects.create(hostname="localhost", root_page=root, is_default_site=True)
    yield
    cache.clear()


@pytest.fixture
def staff(transactional_db):
    """``staff("name", "PPID Utama", units=[unit])``: an admin user in the role group(s), password PASSWORD."""
    from tests.factories import UserFactory

    def make(username, *groups, units=()):
        admin = {"is_staff": True, "permissions": ["access_admin"]}
        return UserFactory(username=username, password=PASSWORD, groups=groups, units=units, **admin)

    return make


def admin_login(page, username: str) -> None:
    """Log ``username`` into the Wagtail admin through its login form."""
    page.goto("/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
