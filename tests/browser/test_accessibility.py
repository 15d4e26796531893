"""Accessibility (WCAG 2.1 AA target) of the reference site in Chromium on a phone-sized viewport.

axe-core (vendored in ``tests/browser/vendor/``, test-only, MPL-2.0) is injected into each page; the test fails
on any violation of impact "serious" or "critical" under the wcag2a / wcag2aa / wcag21a / wcag21aa rules.
Keyboard: the skip link is the first stop and moves focus to the content; the form's submit button is
reachable with Tab and shows a focus outline. Language: every page switches to English and back.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
  }));
}"""


@pytest.fixture
def site(transactional_db):
    """A small site with one page of every public type: home (with a service shortcut), news list and article,
    regulation list and regulation, DIP list and entry. Returns the URLs to check."""
    from django.utils import timezone

    from berita.models import NewsIndexPage, NewsPage
    from home.models import OrganisationSettings
    from regulasi.models import RegulationIndexPage, RegulationPage
    from tests.home.factories import add_child, make_dip_index, make_entry, make_site, make_units

    home = make_site(title="Kementerian Contoh", intro="<p>Selamat datang di portal PPID.</p>")
    home.service_shortcuts = [
        (
            "shortcut",
            {
                "service": "ppid",
                "title": "Permohonan Informasi",
                "description": "Ajukan permohonan informasi publik.",
                "link": {"page": None, "url": "/layanan/permohonan-informasi/"},
            },
        )
    ]
    home.save_revision().publish()
    org = OrganisationSettings.for_site(home.get_site())
    org.name, org.phone, org.email = "Kementerian Contoh", "(021) 555 0101", "ppid@example.go.id"
    org.save()
    units = make_units()
    news_index = add_child(home, NewsIndexPage(title="Berita", slug="berita"))
    news = add_child(
        news_index,
        NewsPage(
            title="Sosialisasi keterbukaan informasi publik",
            slug="sosialisasi",
            date=timezone.make_aware(datetime.datetime(2026, 3, 4, 9, 0)),
            lead="Operator PPID mengikuti sosialisasi standar layanan informasi publik.",
            body=[("paragraph", "<p>Kegiatan berlangsung di Jakarta.</p>")],
        ),
    )
    reg_index = add_child(home, RegulationIndexPage(title="Regulasi", slug="regulasi"))
    regulation = add_child(
        reg_index,
        RegulationPage(
            title="Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik",
            slug="uu-14-2008",
            kind="uu",
            number="14",
            year=2008,
            about="Keterbukaan Informasi Publik",
            issued_on=datetime.date(2008, 4, 30),
        ),
    )
    dip = make_dip_index(home)
    entry = make_entry(dip, units["SES"], title="Laporan keuangan 2025", summary="Laporan realisasi anggaran.")
    return {
        "home": "/",
        "news list": news_index.url,
        "news page": news.url,
        "regulation list": reg_index.url,
        "regulation page": regulation.url,
        "DIP list": dip.url,
        "DIP entry": entry.url,
        "search results": "/cari/?q=informasi",
        "PPID request form": "/layanan/permohonan-informasi/",
        "status check": "/layanan/cek-status/",
        "WBS form": "/wbs/",
    }


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return [v for v in page.evaluate(RUN_AXE, AXE_TAGS) if v["impact"] in BLOCKING]


def _report(found: dict[str, list[dict]]) -> str:
    lines = []
    for label, violations in found.items():
        for v in violations:
            lines.append(f"{label}: [{v['impact']}] {v['id']} — {v['help']} at {', '.join(v['nodes'])}")
    return "\n".join(lines)


def test_no_serious_or_critical_axe_violations_on_a_phone(new_page, shot, site):
    page = new_page(phone=True, bypass_csp=True)  # the CSP (rightly) refuses the injected axe script
    found = {}
    for label, url in site.items():
        response = page.goto(url)
        assert response.status == 200, (label, url, response.status)
        found[label] = _axe(page)
        shot(page, "a11y-" + label.replace(" ", "-"))
    # the search page really lists results (not an empty page that trivially passes)
    page.goto(site["search results"])
    assert page.locator(".search-result").count() >= 2

    # the PPID request form with errors (error summary, messages next to fields, the anti-robot check's error:
    # its solution is spoilt once solved, as a tampering bot would)
    page.goto(site["PPID request form"])
    page.locator("#id_name").fill("Rina Marlina")
    page.wait_for_selector("#id_altcha_check[data-state=done]")
    page.evaluate("document.getElementById('id_altcha').value = 'salah'")
    page.get_by_role("button", name="Kirim").click()
    page.wait_for_selector("#error-summary")
    assert page.locator("#id_altcha_error").count() == 1
    found["PPID request form with errors"] = _axe(page)
    shot(page, "a11y-ppid-form-errors")

    # the status page with a failed look-up
    page.goto(site["status check"])
    page.locator("#id_tracking_number").fill("PPID-2026-000001")
    page.locator("#id_token").fill("salah")
    page.get_by_role("button", name="Tampilkan status").click()
    page.wait_for_selector("#error-summary")
    found["status check not found"] = _axe(page)

    # the phone menu opened
    page.goto("/")
    page.get_by_role("button", name="Menu").click()
    assert page.locator("#site-nav").is_visible()
    found["home with the menu open"] = _axe(page)
    shot(page, "a11y-menu-open")

    assert not any(found.values()), "\n" + _report(found)


def test_keyboard_skip_link_then_tab_to_the_submit_button(new_page, site):
    page = new_page(phone=True)
    page.goto(site["PPID request form"])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # from the content, Tab reaches the submit button (honeypot skipped) and it shows a focus outline
    for _ in range(80):
        page.keyboard.press("Tab")
        active = page.evaluate(
            "(() => { const e = document.activeElement; return [e.tagName, e.type || '', e.textContent.trim(), "
            "e.name || '', getComputedStyle(e).outlineStyle]; })()"
        )
        assert active[3] != "website", "the honeypot must not be reachable with the keyboard"
        if active[0] == "BUTTON" and active[1] == "submit" and active[2] == "Kirim":
            assert active[4] != "none"
            break
    else:
        pytest.fail("the submit button was not reached with Tab")


def test_english_switch_on_every_site_page(new_page, site):
    """Switch to English with the header's language links on each page: the page (and its form labels) is
    English, then back to Indonesian."""
    page = new_page()  # desktop: the language links are in the visible header
    form_labels = {
        "PPID request form": ("label[for=id_name]", "Full name"),
        "status check": ("label[for=id_tracking_number]", "Tracking number"),
        "WBS form": ("#id_altcha_label", "Anti-robot check"),
        "search results": ("label[for=search-q]", "Search news, regulations, public information and pages"),
    }
    for label, url in site.items():
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "id", label
        page.locator(".lang-switch a[hreflang=en]").click()
        page.wait_for_selector("html[lang=en]")
        assert page.url == url or page.url.endswith(url), label  # back on the same page, query string included
        assert page.inner_text(".skip-link") == "Skip to content", label
        if label in form_labels:
            selector, english = form_labels[label]
            assert page.inner_text(selector).startswith(english), label
        page.locator(".lang-switch a[hreflang=id]").click()
        page.wait_for_selector("html[lang=id]")
        assert page.inner_text(".skip-link") == "Lewati ke konten", label


def test_anti_robot_check_announces_its_status_once_under_the_csp(new_page, site):
    """The check (our static script and Web Worker, under the real CSP) starts when the citizen starts typing,
    says "checking…" then "done" in ONE polite live region, shows no picture and sets no cookie."""
    page = new_page(phone=True)
    page.goto(site["WBS form"])
    box = page.locator("#id_altcha_check")
    assert box.get_attribute("data-state") == "idle"  # nothing runs before the citizen starts
    assert page.locator("[aria-live]").count() == 1
    assert not page.locator(".challenge__nojs").is_visible()  # the no-JavaScript notice is for no-JavaScript
    page.evaluate(  # record every text the live region gets (what a screen reader is given to announce)
        "() => { const s = document.querySelector('[data-challenge-status]'); window.announced = [];"
        " new MutationObserver(() => announced.push(s.textContent))"
        ".observe(s, {childList: true, characterData: true, subtree: true}); }"
    )
    page.locator("#id_what").press_sequentially("Pungutan liar di loket.")
    page.wait_for_selector("#id_altcha_check[data-state=done]", timeout=10_000)
    assert page.input_value("#id_altcha")  # the base64 payload, ready for the post
    status = page.locator("[data-challenge-status]")
    assert status.is_visible() and status.get_attribute("role") == "status"
    announced = [text for text in page.evaluate("window.announced") if text]
    assert announced == [box.get_attribute("data-msg-working"), box.get_attribute("data-msg-done")]
    assert status.inner_text() == box.get_attribute("data-msg-done")
    assert page.locator(".challenge img, .challenge audio").count() == 0
    assert {c["name"] for c in page.context.cookies()} <= {"csrftoken"}
