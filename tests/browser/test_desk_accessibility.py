"""Issue 16: the desk's ticket view (the Wagtail admin's inspect page of a ticket, ``layanan/desk``) is accessible.

axe-core (vendored, see ``test_accessibility.py``) finds no WCAG 2.1 A/AA violation of any impact, in the light,
the dark and the system admin theme — the pinned action bar's labels measured 2.87:1 and "Perpanjang" (extend)
2.01:1 — and each action is exposed ONCE to assistive technology (it used to be listed twice: above the details
and again in the pinned bar, so a screen reader announced every action twice).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.layanan.conftest import ppid_payload

from .conftest import admin_login

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.failureSummary),
  }));
}"""


def _exposed_links(page) -> Counter:
    """Names of the links in the page's accessibility tree (Chromium's, what a screen reader reads), counted."""
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")
    names = Counter()
    for node in tree["nodes"]:
        if node.get("ignored") or node.get("role", {}).get("value") != "link":
            continue
        name = node.get("name", {}).get("value", "")
        names[name] += 1
        description = node.get("description", {}).get("value", "")
        assert not description or description != name, f"{name!r} is also its description (said twice)"
    return names


@pytest.mark.parametrize(
    ("theme", "scheme"),
    [("light", "light"), ("dark", "dark"), ("system", "dark")],
    ids=["light-theme", "dark-theme", "system-theme-dark-screen"],
)
def test_ticket_view_has_no_axe_violation_and_announces_each_action_once(new_page, shot, staff, theme, scheme):
    from django.utils import translation
    from wagtail.users.models import UserProfile

    from layanan.core.links import inspect_url
    from layanan.core.workflow import available_transitions
    from layanan.ppid import intake

    officer = staff("ppid", "PPID Utama")
    profile = UserProfile.get_for_user(officer)
    profile.theme = theme
    profile.save()
    ticket = intake.submit_ppid_request(ppid_payload(), files=[], channel="web").ticket
    with translation.override("id"):
        labels = [str(transition.label) for transition in available_transitions(ticket, officer)]
    assert any(label.startswith("Perpanjang") for label in labels), labels  # the 2.01:1 button is there

    page = new_page(bypass_csp=True)  # only to inject axe-core
    page.emulate_media(color_scheme=scheme)
    admin_login(page, "ppid")
    page.goto(inspect_url(ticket))
    assert f"w-theme-{theme}" in page.locator("html").get_attribute("class")
    shot(page, f"desk-ticket-{theme}")

    # each action once: by role and name, and in the browser's own accessibility tree
    for label in labels:
        assert page.get_by_role("link", name=label, exact=True).count() == 1, label
    exposed = _exposed_links(page)
    assert {label: exposed[label] for label in labels} == dict.fromkeys(labels, 1)
    bar = page.get_by_role("region", name="Tindakan")  # "Actions": a landmark a screen reader jumps to
    assert bar.get_by_role("link").count() == len(labels)
    assert page.locator(".layanan-inspect a.button").count() == 0  # no second copy above the details

    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE, AXE_TAGS)
    assert violations == [], violations

    # keyboard: the link at the top leads to the bar; the next Tab is its first action
    page.locator("a[href='#ticket-actions']").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == labels[0]

    # the action's own page (here: extend) passes too
    extend = next(label for label in labels if label.startswith("Perpanjang"))
    page.get_by_role("link", name=extend, exact=True).focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/action/extend/")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE, AXE_TAGS)
    assert violations == [], violations
