"""Wagtail admin of the working-day calendar: Settings → "Hari libur" (holidays) and "Kalender kerja".

``WorkCalendarSettings`` registers itself (``@register_setting`` in ``layanan.calendar.models``). The holiday
list filters by year, kind, source and active; every screen says that edits recompute open tickets' due dates
(the model's signals send ``holidays_changed``). A holiday saved through the admin becomes ``source=manual``
so ``sync_holidays`` never overwrites it.

Star-imported by ``layanan/wagtail_hooks.py``.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, DeleteView, EditView, SnippetViewSet

from layanan.calendar.models import RECOMPUTE_HELP, Holiday
from layanan.calendar.workdays import WEEKDAY_NAMES

__all__ = ["HolidayViewSet"]

RECOMPUTE_NOTICE = _("Due dates of open tickets in %(years)s are being recomputed.")


def _year_choices():
    years = Holiday.objects.dates("date", "year", order="DESC")
    return [(d.year, str(d.year)) for d in years]


class HolidayFilterSet(WagtailFilterSet):
    year = django_filters.ChoiceFilter(label=_("Year"), choices=_year_choices, method="filter_year")

    class Meta:
        model = Holiday
        fields = ["year", "kind", "source", "is_active"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(date__year=value) if value else queryset


class HolidayAdminForm(WagtailAdminModelForm):
    """Marks every row saved through the admin as ``manual`` so the synchronisation leaves it alone."""

    def save(self, commit=True):
        self.instance.source = Holiday.Source.MANUAL
        return super().save(commit=commit)


class _RecomputeMessageMixin:
    def get_success_message(self, *args):
        message = super().get_success_message(*args)
        years = ", ".join(str(y) for y in sorted(self.object.affected_years()))
        notice = RECOMPUTE_NOTICE % {"years": years}
        return f"{message} {notice}" if message else notice


class HolidayCreateView(_RecomputeMessageMixin, CreateView):
    pass


class HolidayEditView(_RecomputeMessageMixin, EditView):
    pass


class HolidayDeleteView(_RecomputeMessageMixin, DeleteView):
    pass


class WeekdayColumn(Column):
    def get_value(self, instance):
        return WEEKDAY_NAMES[instance.date.weekday()]


class HolidayViewSet(SnippetViewSet):
    """Settings → Hari libur."""

    model = Holiday
    icon = "date"
    menu_label = _("Holidays")
    menu_name = "holidays"
    add_to_settings_menu = True
    add_to_admin_menu = False
    list_per_page = 50
    ordering = ["date"]
    copy_view_enabled = False
    inspect_view_enabled = False
    filterset_class = HolidayFilterSet
    search_fields = ["name", "legal_basis"]
    index_template_name = "layanan/calendar/holiday_index.html"
    add_view_class = HolidayCreateView
    edit_view_class = HolidayEditView
    delete_view_class = HolidayDeleteView
    list_display = [
        Column("date", label=_("Date"), sort_key="date"),
        WeekdayColumn("weekday", label=_("Day")),
        Column("name", label=_("Name"), sort_key="name"),
        Column("kind", label=_("Kind"), accessor="get_kind_display", sort_key="kind"),
        Column("source", label=_("Source"), accessor="get_source_display"),
        BooleanColumn("is_active", label=_("Active")),
    ]
    edit_handler = ObjectList(
        [
            HelpPanel(content=RECOMPUTE_HELP),
            FieldPanel("date"),
            FieldPanel("name"),
            FieldPanel("kind"),
            FieldPanel("legal_basis"),
            FieldPanel("is_active"),
        ],
        base_form_class=HolidayAdminForm,
    )


register_snippet(HolidayViewSet)
