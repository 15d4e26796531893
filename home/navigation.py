"""The site's main menu, shared by the reference site (``{% site_nav %}`` in ``templates/base.html``) and the
navigation API (``GET /api/v2/navigation/``, :mod:`home.api.navigation`).

The menu is the home page's live, public children marked "show in menus", in tree order; under each of them
its own live, public children marked "show in menus" (the API gives them as ``children``; the reference site's
header shows the first level only).
"""

from __future__ import annotations

from wagtail.models import Page, Site

__all__ = ["menu_children", "menu_pages"]


def menu_pages(site: Site) -> list[Page]:
    """The first level of the main menu of ``site`` (specific pages, tree order)."""
    return list(site.root_page.get_children().live().public().in_menu().specific())


def menu_children(site: Site, parents: list[Page]) -> dict[int, list[Page]]:
    """The menu children of each of ``parents`` (pages of the first level), by parent id, in one query: live,
    public, "show in menus" pages one level below them, in tree order."""
    if not parents:
        return {}
    by_path = {parent.path: parent.pk for parent in parents}
    root = site.root_page
    rows = (
        Page.objects.live()
        .public()
        .in_menu()
        .filter(depth=root.depth + 2, path__startswith=root.path)
        .order_by("path")
        .specific()
    )
    children: dict[int, list[Page]] = {parent.pk: [] for parent in parents}
    for page in rows:
        parent_id = by_path.get(page.path[: -Page.steplen])
        if parent_id is not None:
            children[parent_id].append(page)
    return children
