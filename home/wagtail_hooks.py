"""Admin registration of the home app: units (menu item "Unit kerja"), the Wagtail welcome-page clean-up.

Site settings (``OrganisationSettings``) are registered by ``@register_setting`` in ``models/organisation.py``.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

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
from .wagtail_hooks_security import *  # noqa: E402,F403  (issue 8: "Login lockouts" screen)
