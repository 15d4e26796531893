"""The Content-Security-Policy is one the real screens pass (issue 8): open the public site, the WBS pages, the
API docs and the Wagtail admin (login, dashboard, page editor, service desk) in Chromium and collect every CSP
violation — from the ``securitypolicyviolation`` event (installed before any page script) and from the console.
"""

from __future__ import annotations

import io

import pytest

from .conftest import PASSWORD

COLLECT = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


def _watch(page, found: list):
    page.add_init_script(COLLECT)
    page.on(
        "console",
        lambda message: (
            found.append(f"console: {message.text}")
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
            else None
        ),
    )


def _visit(page, path: str, found: list, shot=None):
    response = page.goto(path)
    assert response is not None and response.status < 400, (path, response and response.status)
    assert response.headers.get("content-security-policy"), path
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # late violations (lazy scripts, styles set by scripts)
    found.extend(f"{path}: {v}" for v in page.evaluate("window.__cspViolations"))
    if shot:
        shot(page, path.strip("/").replace("/", "-") or "home")


@pytest.fixture
def demo_site(transactional_db):
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())


def test_public_site_wbs_and_api_docs_pass_the_policy(new_page, demo_site, shot):
    from berita.models import NewsPage

    found: list[str] = []
    page = new_page()
    _watch(page, found)
    news = NewsPage.objects.live().first()
    paths = ["/", "/layanan/permohonan-informasi/", "/layanan/cek-status/", "/wbs/", "/wbs/akses/", "/api/docs/"]
    if news is not None:
        paths.insert(1, news.url)
    for path in paths:
        _visit(page, path, found, shot)
    assert found == [], "\n".join(found)


def test_admin_screens_pass_the_policy(new_page, demo_site, staff, shot):
    from django.contrib.auth.models import User
    from wagtail.models import Page

    from layanan.core.links import index_url, inspect_url
    from layanan.core.models.tickets import Ticket

    User.objects.create_superuser("kepala", "kepala@example.org", PASSWORD)
    found: list[str] = []
    page = new_page()
    _watch(page, found)
    _visit(page, "/admin/login/", found)
    page.fill("input[name=username]", "kepala")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    paths = ["/admin/"]
    editable = Page.objects.filter(depth__gt=1).live().order_by("-depth").first()
    if editable is not None:
        paths.append(f"/admin/pages/{editable.pk}/edit/")
    paths.append(index_url("ppid_request"))
    ticket = Ticket.objects.filter(service="ppid_request").first()
    if ticket is not None:
        paths.append(inspect_url(ticket))
    for path in paths:
        _visit(page, path, found, shot)
    assert len(paths) >= 4, paths  # the demo content gave us a page to edit and a ticket to inspect
    assert found == [], "\n".join(found)
