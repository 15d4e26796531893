"""Admin registration of the home app: units (menu item "Unit kerja"), the Wagtail welcome-page clean-up, the name
of Wagtail's reports menu ("Content reports"), what a served page shows for the public cache.

Site settings (``OrganisationSettings``) are registered by ``@register_setting`` in ``models/organisation.py``.
"""

import copy

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import SubmenuMenuItem, reports_menu
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .cache import depends_on, page_tags
from .models import Unit


class UnitFilterSet(WagtailFilterSet):
    class Meta:
        model = Unit
        fields = ["kind", "active"]


class UnitViewSet(SnippetViewSet):
    """Units (unit kerja): the kedeputian, biro, sekretariat and inspektorat that own information and receive
    dispositions. Listed by order, searchable by name and code, filterable by kind and active."""

    model = Unit
    icon = "group"
    menu_label = _("Work units")
    menu_name = "units"
    menu_order = 290
    add_to_admin_menu = True
    list_display = ["code", "name", "kind", "parent", "active"]
    list_export = ["code", "name", "kind", "parent", "email", "active"]
    filterset_class = UnitFilterSet
    search_fields = ["name", "code"]
    ordering = ["sort_order", "code"]


register_snippet(UnitViewSet)


@hooks.register("construct_main_menu")
def name_the_content_reports(request, menu_items):
    """Wagtail's "Reports" menu (locked pages, workflows, site history, aging pages, page types usage) is called
    "Content reports": the service desk's "Service reports" is another item, and two items both called
    "Laporan" left editors guessing. Wagtail's documented hook; the item is found by its menu, not its label."""
    for position, item in enumerate(menu_items):
        if isinstance(item, SubmenuMenuItem) and item.menu is reports_menu:
            renamed = copy.copy(item)  # the registered item is shared by every request: never changed in place
            renamed.label = _("Content reports")
            menu_items[position] = renamed


from .wagtail_hooks_security import *  # noqa: E402,F403  (issue 8: "Login lockouts" screen)


@hooks.register("before_serve_page")
def note_what_the_page_shows(page, request, serve_args, serve_kwargs):
    """The public cache (``home.cache``) records what a served page shows: the page, the menu, the page types it
    lists, so that only their changes make it stale."""
    depends_on(*page_tags(page))
