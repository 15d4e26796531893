"""The site's main menu, shared by the reference site (``{% site_nav %}`` in ``templates/base.html``) and the
navigation API (``GET /api/v2/navigation/``, :mod:`home.api.navigation`).

The menu is the home page's live, public children marked "show in menus", in tree order; under each of them
its own live, public children marked "show in menus" (the API gives them as ``children``; the reference site's
header shows the first level only).
"""

from __future__ import annotations

from wagtail.models import Page, Site

__all__ = ["menu_children", "menu_entries", "menu_pages"]


def _menu_candidates():
    """What the menu is made of: live, public pages marked "show in menus"."""
    return Page.objects.live().public().in_menu()


def menu_pages(site: Site) -> list[Page]:
    """The first level of the main menu of ``site`` (specific pages, tree order)."""
    return list(_menu_candidates().child_of(site.root_page).specific())


def menu_children(site: Site, parents: list[Page]) -> dict[int, list[Page]]:
    """The menu children of each of ``parents`` (pages of the first level), by parent id, in one query: live,
    public, "show in menus" pages one level below them, in tree order."""
    if not parents:
        return {}
    by_path = {parent.path: parent.pk for parent in parents}
    root = site.root_page
    rows = _menu_candidates().filter(depth=root.depth + 2, path__startswith=root.path).order_by("path").specific()
    children: dict[int, list[Page]] = {parent.pk: [] for parent in parents}
    for page in rows:
        parent_id = by_path.get(page.path[: -Page.steplen])
        if parent_id is not None:
            children[parent_id].append(page)
    return children


def menu_entries() -> list[tuple]:
    """Every site's menu as ``(site id, page id, title, url path)`` rows in tree order (one query per site): what a
    cache compares to tell whether the menu changed (``home.cache``)."""
    rows = []
    for site in Site.objects.select_related("root_page"):
        root = site.root_page
        pages = _menu_candidates().filter(depth__in=(root.depth + 1, root.depth + 2), path__startswith=root.path)
        rows += [(site.pk, *row) for row in pages.order_by("path").values_list("pk", "title", "url_path")]
    return rows
