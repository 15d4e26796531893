"""The operator desk in the Wagtail admin: menu "Layanan" (wagtail-modeladmin).

Lists per service (PPID requests, objections, SP4N-LAPOR reports) scoped by ``tickets_visible_to`` with
filters (status, unit, channel, year, deadline), search (tracking number, name, subject), due date and
remaining working days highlighted (overdue red, due within 3 WD amber); an inspect view with the details,
the full timeline, attachments and the workflow actions as buttons; "Add" registers a walk-in / phone / post
submission. Also: LAPOR categories and operator↔unit memberships. The calendar's admin is star-imported.
"""

from __future__ import annotations

import datetime
import re
from contextlib import suppress
from contextvars import ContextVar
from functools import wraps

from django.apps import apps
from django.contrib.admin import RelatedFieldListFilter, SimpleListFilter
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import IntegerField, Max, Min, Value
from django.http import Http404
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import InspectView

from home.admin_chrome import access_version, cache_seconds, remember
from home.models import UnitMembership
from layanan.calendar.workdays import WorkCalendar, add_working_days
from layanan.channels.conversation import deliveries
from layanan.core import conf as desk_conf
from layanan.core import registry
from layanan.core.access import (
    applicant_identity_visible,
    has_service_access,
    may_manage_connectors,
    record_confidential_access,
    tickets_visible_to,
)
from layanan.core.deadlines import remaining_working_days, urgency
from layanan.core.documents import kind_label
from layanan.core.models.retention import RetentionRule
from layanan.core.public import ANSWER_ACTIONS
from layanan.core.report_access import dashboard_visible, reports_for
from layanan.core.workflow import available_transitions, machine_for, open_statuses_q
from layanan.desk.channels import ChannelsMenuItem, channel_urls
from layanan.desk.deletion import guard_bulk_delete, guard_unit_delete, guard_user_delete
from layanan.desk.desk_list import DeskIndexView, DeskURLHelper
from layanan.desk.documents import document_print
from layanan.desk.reports import construct_panels, report_urls
from layanan.desk.views import (
    attachment_download,
    can_register,
    connector_create,
    connector_renew_token,
    register_ticket,
    ticket_action,
)
from layanan.lapor.models import LaporCategory
from layanan.reports.statistics import tickets_version
from layanan.social.models import SocialConnector

#: Timeline actions that record an officer's access (shown in their own card, not in the timeline).
AUDIT_ACTIONS = ("viewed", "file_downloaded")

#: The working calendar shared by the rows of the list being rendered (one holiday query per page, not per row).
_row_calendar: ContextVar = ContextVar("layanan_desk_row_calendar", default=None)


def _calendar_for_rows(span: tuple = ()):
    """The ``WorkCalendar`` shared by the rows of the current list (issue 9): ``WorkCalendar.current()`` (the
    process snapshot: no query) with holidays from ``min(span)`` / 2 years ago to ``max(span)`` / a year ahead
    made sure of in one go — when the snapshot cannot be used, that is one holiday query, whatever the rows."""
    calendar = _row_calendar.get()
    if calendar is None:
        calendar = WorkCalendar.current()
        today = timezone.localdate()
        calendar.preload(
            min([today - datetime.timedelta(days=730), *span]), max([today + datetime.timedelta(days=366), *span])
        )
        _row_calendar.set(calendar)
    return calendar


def admin_column(label):
    """Give a list column method its header label."""

    def decorate(func):
        func.short_description = label
        return func

    return decorate


# --- list filters -------------------------------------------------------------------------------------------
def desk_years(request, model_admin) -> list[int]:
    """Years (``Asia/Jakarta``) spanned by the tickets of ``model_admin``'s list as ``request.user`` sees it,
    newest first; ``[]`` for an empty list. One query (``MIN``/``MAX`` of ``received_at``, each an index probe
    on PostgreSQL), memoised on the request and cached per user and list under the tickets' version
    (``layanan.reports.statistics.tickets_version``: any ticket saved or deleted) and the access version
    (``home.admin_chrome.access_version``: permissions, groups, unit memberships) — exact, never stale; an
    operator paging or re-filtering an unchanged list costs no query for it (issue 9). A cache outage
    computes it."""
    memo = request.__dict__.setdefault("_layanan_desk_years", {})
    key = model_admin.service
    if key not in memo:
        memo[key] = _cached_desk_years(request, model_admin)
    return memo[key]


def _cached_desk_years(request, model_admin) -> list[int]:
    from django.core.cache import cache

    seconds = cache_seconds()
    if seconds <= 0:
        return _desk_years_query(request, model_admin)
    try:
        cache_key = (
            f"layanan:desk-years:{tickets_version()}:{access_version(request)}:{model_admin.service}:{request.user.pk}"
        )
        years = cache.get(cache_key)
    except Exception:  # noqa: BLE001 - the cache is an optimisation; the list must still render
        return _desk_years_query(request, model_admin)
    if years is None:
        years = _desk_years_query(request, model_admin)
        with suppress(Exception):
            cache.set(cache_key, years, seconds)
    return years


def _desk_years_query(request, model_admin) -> list[int]:
    bounds = model_admin.get_queryset(request).order_by().aggregate(first=Min("received_at"), last=Max("received_at"))
    if bounds["first"] is None:
        return []
    first, last = (timezone.localtime(bounds[k]).year for k in ("first", "last"))
    return list(range(last, first - 1, -1))


class UnitListFilter(RelatedFieldListFilter):
    """The "unit" filter (Django's related-field filter: same parameters, choices and markup) with its choices
    — every unit, as Django lists them — kept per process under the access version of ``home.admin_chrome``,
    which a saved or deleted unit bumps: no unit query on every desk page (issue 9)."""

    def field_choices(self, field, request, model_admin):
        if cache_seconds() <= 0:
            return super().field_choices(field, request, model_admin)
        return remember(
            request,
            "unit-choices",
            (field.model._meta.label_lower, field.name),
            lambda: list(super(UnitListFilter, self).field_choices(field, request, model_admin)),
        )


class StatusFilter(SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(s.code, s.label) for s in machine_for(model_admin.service).states]

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


class YearFilter(SimpleListFilter):
    title = _("year received")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        """Every year (WIB) from the oldest to the newest ticket the user can see in this list, newest first.

        Two index probes (MIN/MAX of ``received_at`` on the scoped list), memoised on the request: never a
        DISTINCT over the table (issue 9: 0.6 s at 200,000 tickets). A year between the two with no ticket
        still appears (and then lists nothing); a year outside them does not.
        """
        return [(str(year), str(year)) for year in desk_years(request, model_admin)]

    def queryset(self, request, queryset):
        return (
            queryset.filter(received_at__year=int(self.value()))
            if re.fullmatch(r"[0-9]{4}", self.value() or "")
            else queryset
        )


class DeadlineFilter(SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Overdue")),
            ("due_soon", _("Due within %(days)s working days") % {"days": desk_conf.due_soon_working_days()}),
            ("open", _("Clock running")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        today = timezone.localdate()
        running = queryset.filter(open_statuses_q())
        if value == "overdue":
            return running.filter(due_date__lt=today)
        if value == "due_soon":
            horizon = add_working_days(today, desk_conf.due_soon_working_days()).due_date
            return running.filter(due_date__gte=today, due_date__lte=horizon)
        if value == "open":
            return running
        return queryset


# --- permissions, buttons, views ----------------------------------------------------------------------------
class GuardedURLsMixin:
    """Every URL a desk ModelAdmin registers passes one check before its view runs — the URLs modeladmin adds by
    itself (edit, delete, history, and any a later version adds) as much as the list and the inspect page:

    - a URL about one object (``instance_pk``) answers 404 unless the object is in ``guarded_queryset(request)``
      (tickets: ``tickets_visible_to``, the one scoping function), so enumerating pks reads nothing;
    - then the user must be allowed the list (``permission_helper.user_can_list``), else ``PermissionDenied``
      (Wagtail answers with a redirect to the dashboard and its "no permission" message).

    ``tests/test_permission_matrix.py`` walks the URL resolver for every pattern these admins register.
    """

    def guarded_queryset(self, request):
        """The objects ``request.user`` may open one by one through this admin's URLs."""
        return self.model._default_manager.all()

    def get_admin_urls_for_registration(self):
        return tuple(
            URLPattern(pattern.pattern, self._guarded(pattern.callback), pattern.default_args, pattern.name)
            for pattern in super().get_admin_urls_for_registration()
        )

    def _guarded(self, view):
        @wraps(view)
        def guarded_view(request, *args, **kwargs):
            instance_pk = kwargs.get("instance_pk")
            if instance_pk is not None:
                try:
                    found = self.guarded_queryset(request).filter(pk=unquote(instance_pk)).exists()
                except (ValueError, TypeError, ValidationError):  # not a pk of this model
                    found = False
                if not found:
                    raise Http404
            if not self.permission_helper.user_can_list(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded_view


class TicketPermissionHelper(PermissionHelper):
    """Model permissions are not what counts here: the service permissions and unit scoping are."""

    def user_can_list(self, user):
        return has_service_access(user, self.model.objects.service)

    def user_can_create(self, user):
        return can_register(user, self.model.objects.service)

    def user_can_inspect_obj(self, user, obj):
        if getattr(obj, "desk_listed_for", None) == user.pk:  # a row of the user's own scoped list
            return True
        return tickets_visible_to(user).filter(pk=obj.pk).exists()

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class TicketInspectView(InspectView):
    """Inspect view that loads the ticket through ``tickets_visible_to``: another unit's ticket is a 404."""

    def dispatch(self, request, *args, **kwargs):
        visible = tickets_visible_to(request.user, self.model.objects.service)
        if not visible.filter(pk=self.instance.pk).exists():
            raise Http404
        if request.method == "GET":
            record_confidential_access(self.instance, request.user, "viewed")  # WBS: every opening is audited
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ticket = self.instance
        user = self.request.user
        remaining = ticket.remaining_working_days() if ticket.due_date else None
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "ticket": ticket,
                "identity_visible": applicant_identity_visible(ticket, user),
                "nik": ticket.nik_for(user),
                "timeline": _with_deliveries(
                    ticket,
                    ticket.timeline.exclude(action__in=AUDIT_ACTIONS)
                    .select_related("actor")
                    .prefetch_related("attachments"),
                ),
                "audit_log": ticket.timeline.filter(action__in=AUDIT_ACTIONS).select_related("actor").order_by("-at")
                if ticket.machine.confidential
                else [],
                "attachments": ticket.attachments.select_related("uploaded_by"),
                "documents": [(d, kind_label(d.kind)) for d in ticket.documents.select_related("attachment")],
                "transitions": available_transitions(ticket, user),
                "urgency": ticket.urgency(),
                "remaining": remaining,
                "overdue_days": -remaining if remaining is not None and remaining < 0 else 0,
                "answer_actions": ANSWER_ACTIONS,
                "details": getattr(ticket, registry.get(ticket.service).detail_relation, None),
                "confidential": ticket.machine.confidential,
                "derived": ticket.derived_tickets.all(),
                "objections": ticket.objections.all() if ticket.service == "ppid_request" else [],
            }
        )
        return context


def _with_deliveries(ticket, entries) -> list:
    """The timeline entries, each with ``deliveries``: the channel envelopes of its message (how it arrived or left
    and its delivery status; ``layanan.channels.conversation.deliveries``)."""
    found = deliveries(ticket)
    entries = list(entries)
    for entry in entries:
        entry.deliveries = found.get(entry.pk, [])
    return entries


class TicketAdmin(GuardedURLsMixin, ModelAdmin):
    """Common list/inspect configuration of the ticket lists (one per registered service, ``desk_admin_class``).

    Tickets are never edited or deleted through modeladmin (every change is a workflow step), and their history
    is the timeline on the inspect page: modeladmin's history view is off.
    """

    service = ""
    history_view_enabled = False
    #: Detail relations the list's columns read (loaded with the rows).
    list_select_related_details: tuple[str, ...] = ()
    index_view_class = DeskIndexView  # one filtered count, no count of the whole list (issue 9)
    url_helper_class = DeskURLHelper  # row URLs from one reversed pattern per action (issue 9)
    index_template_name = "layanan/desk/index.html"
    inspect_view_enabled = True
    inspect_view_class = TicketInspectView
    inspect_template_name = "layanan/desk/inspect.html"
    permission_helper_class = TicketPermissionHelper
    list_display = (
        "tracking_column",
        "subject",
        "applicant_column",
        "status_column",
        "channel",
        "unit",
        "received_column",
        "due_column",
    )
    list_filter = (StatusFilter, ("unit", UnitListFilter), "channel", YearFilter, DeadlineFilter)
    #: Never read by a list row (``DeskIndexView`` defers them; ``tests/test_query_budgets.py`` would see a
    #: query per row if one were): long texts, contact data, the encrypted NIK (so a list page decrypts no NIK
    #: at all), the hashes, and the deadline's and the ticket's bookkeeping the columns do not show.
    list_defer = (
        "description",
        "deadline_explanation",
        "extension_reason",
        "applicant_email",
        "applicant_phone",
        "applicant_nik",
        "applicant_nik_hash",
        "access_token_hash",
        "deadline_rule",
        "deadline_start",
        "deadline_days",
        "deadline_unit",
        "deadline_legal_source",
        "extended",
        "extension_days",
        "extension_legal_source",
        "extended_by",
        "extended_at",
        "extension_in_time",
        "assignee",
        "origin",
        "responded_at",
        "closed_at",
        "created_at",
        "updated_at",
    )
    search_fields = ("tracking_number", "applicant_name", "subject")
    list_per_page = 25
    menu_icon = "form"

    def guarded_queryset(self, request):
        """Tickets of this service the user may open (``tickets_visible_to``)."""
        return tickets_visible_to(request.user, self.service, queryset=self.model.objects.all())

    def get_queryset(self, request):
        """The user's scoped list (``tickets_visible_to``), newest first; built once per request (the list view,
        its filters and the year choices all start from it)."""
        memo = request.__dict__.setdefault("_layanan_desk_queryset", {})
        if self.service not in memo:
            _row_calendar.set(None)  # a fresh calendar for this request's rows (loaded on first use)
            memo[self.service] = (
                tickets_visible_to(request.user, self.service, queryset=self.model.objects.all())
                .select_related("unit", *self.list_select_related_details)
                # Rows are already scoped to the user: the permission helper need not query per row.
                .annotate(desk_listed_for=Value(request.user.pk, output_field=IntegerField()))
                .order_by("-received_at", "-pk")
            )
        return memo[self.service].all()

    def get_search_handler(self, request, search_fields=None):
        """The service's own search handler for this request (``DeskOptions.search_handler``), else Wagtail's."""
        own = registry.get(self.service).desk.search_handler
        handler = own(request, search_fields or self.get_search_fields(request)) if own is not None else None
        return handler or super().get_search_handler(request, search_fields)

    def get_index_view_extra_css(self):
        return ["layanan/desk.css"]

    def get_inspect_view_extra_css(self):
        return ["layanan/desk.css"]

    def prepare_rows(self, request, rows) -> None:
        """Called by ``DeskIndexView`` with the page's rows before they render: loads the rows' calendar once,
        spanning every date their deadline columns need (old overdue tickets included)."""
        dates = [d for obj in rows for d in (obj.due_date, obj.counting_from) if d]
        _calendar_for_rows(span=(min(dates), max(dates)) if dates else ())

    def get_extra_attrs_for_row(self, obj, context):
        return {"class": f"layanan-row layanan-row--{self._urgency(obj)}"}

    def create_view(self, request):
        return register_ticket(request, self.service)

    # --- columns ---
    def _urgency(self, obj) -> str:
        cache = getattr(obj, "_urgency_cache", None)
        if cache is None:
            cache = obj._urgency_cache = urgency(obj, calendar=_calendar_for_rows())
        return cache

    @admin_column(_("tracking number"))
    def tracking_column(self, obj):
        return format_html("<strong>{}</strong>", obj.tracking_number)

    @admin_column(_("applicant"))
    def applicant_column(self, obj):
        display = registry.get(self.service).desk.applicant_display
        shown = display(obj) if display is not None else None
        return obj.applicant_name if shown is None else shown

    @admin_column(_("status"))
    def status_column(self, obj):
        return obj.status_label

    @admin_column(_("received"))
    def received_column(self, obj):
        return timezone.localtime(obj.received_at).strftime("%d-%m-%Y %H:%M")

    @admin_column(_("due date"))
    def due_column(self, obj):
        if not obj.due_date:
            return "—"
        urgency = self._urgency(obj)
        if urgency == "stopped":
            return format_html(
                '<span class="layanan-due layanan-due--stopped">{}</span>', obj.due_date.strftime("%d-%m-%Y")
            )

        remaining = remaining_working_days(obj, calendar=_calendar_for_rows())
        if remaining < 0:
            label = _("%(days)s WD overdue") % {"days": -remaining}
        elif remaining == 0:
            label = _("due today")
        else:
            label = _("%(days)s WD left") % {"days": remaining}
        return format_html(
            '<span class="layanan-due layanan-due--{}">{} <small>({})</small></span>',
            urgency,
            obj.due_date.strftime("%d-%m-%Y"),
            label,
        )


#: Middle columns and filters of a desk list, by their names in ``registry.DeskOptions``.
STANDARD_COLUMNS = {
    "subject": "subject",
    "applicant": "applicant_column",
    "status": "status_column",
    "channel": "channel",
    "unit": "unit",
}
STANDARD_FILTERS = {"unit": ("unit", UnitListFilter)}


def _column_method(function):
    """A service's own column ``(ticket) -> str`` as a ModelAdmin method (modeladmin lists by name)."""

    def column(self, obj):
        return function(obj)

    column.short_description = getattr(function, "short_description", function.__name__)
    return column


def desk_admin_class(service: registry.ServiceDefinition) -> type[TicketAdmin]:
    """The desk list (a :class:`TicketAdmin`) of ``service``, built from its ``registry.DeskOptions`` and its
    proxy model (``layanan.<proxy_model>``). ``LookupError`` when the proxy model does not exist."""
    desk = service.desk
    attrs = {
        "__module__": __name__,
        "__doc__": f"Desk list of the {service.code} service (built from the service registry).",
        "model": apps.get_model("layanan", service.proxy_model),
        "service": service.code,
        "menu_label": desk.menu_label,
        "menu_icon": desk.menu_icon,
        "list_select_related_details": tuple(desk.select_related),
        "search_fields": tuple(desk.search_fields),
        "list_filter": (
            StatusFilter,
            *(STANDARD_FILTERS.get(name, name) for name in desk.filters),
            YearFilter,
            DeadlineFilter,
        ),
    }
    columns = []
    for column in desk.columns:
        if callable(column):
            name = f"{service.code}_{column.__name__}"
            attrs[name] = _column_method(column)
            columns.append(name)
        else:
            columns.append(STANDARD_COLUMNS[column])
    attrs["list_display"] = ("tracking_column", *columns, "received_column", "due_column")
    return type(f"{service.proxy_model.title()}Admin", (TicketAdmin,), attrs)


def desk_admin_classes() -> list[type[TicketAdmin]]:
    """One desk list per registered service that has ``desk`` options, in registry order."""
    return [desk_admin_class(service) for service in registry.all_services() if service.desk is not None]


class SocialConnectorPermissionHelper(PermissionHelper):
    """Connectors are managed by holders of ``handle_social`` (and superusers)."""

    def _allowed(self, user):
        return may_manage_connectors(user)

    def user_can_list(self, user):
        return self._allowed(user)

    def user_can_create(self, user):
        return self._allowed(user)

    def user_can_edit_obj(self, user, obj):
        return self._allowed(user)

    def user_can_delete_obj(self, user, obj):
        return False  # deactivate instead: delivered messages keep pointing at it


class SocialConnectorButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if self.permission_helper.user_can_edit_obj(self.request.user, obj):
            buttons.append(
                {
                    "url": reverse("layanan_social_connector_renew", args=[obj.pk]),
                    "label": str(_("New token")),
                    "classname": "button button-small button-secondary",
                    "title": str(_("Issue a new token (the old one stops working)")),
                }
            )
        return buttons


class SocialConnectorAdmin(GuardedURLsMixin, ModelAdmin):
    """Connectors allowed to deliver messages to ``POST /api/v2/social/messages/``; the token is shown once."""

    model = SocialConnector
    menu_label = _("Social-media connectors")
    menu_icon = "link"
    permission_helper_class = SocialConnectorPermissionHelper
    button_helper_class = SocialConnectorButtonHelper
    list_display = ("name", "platform", "account_handle", "token_prefix", "active", "last_used_at")
    list_filter = ("platform", "active")
    search_fields = ("name", "account_handle")
    form_fields_exclude = ("token_hash", "token_prefix", "created_by", "last_used_at")

    def create_view(self, request):
        return connector_create(request, self)


class LaporCategoryAdmin(GuardedURLsMixin, ModelAdmin):
    model = LaporCategory
    menu_label = _("LAPOR categories")
    menu_icon = "list-ul"
    list_display = ("full_name", "slug", "active")
    list_filter = ("active",)
    search_fields = ("name", "slug")


class RetentionRulePermissionHelper(PermissionHelper):
    """One rule per registered service, created by ``retention.ensure_rules``: edited, never added or deleted."""

    def user_can_create(self, user):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class RetentionRuleAdmin(GuardedURLsMixin, ModelAdmin):
    """Settings of data retention per service (``layanan.core.retention``): superusers (model permissions)."""

    model = RetentionRule
    permission_helper_class = RetentionRulePermissionHelper
    menu_label = _("Data retention")
    menu_icon = "time"
    list_display = ("service_label", "keep_years", "action", "notice_days", "active")
    form_fields_exclude = ("service",)
    inspect_view_enabled = False

    @admin_column(_("service"))
    def service_label(self, obj):
        definition = registry.find(obj.service)
        return definition.label if definition else obj.service


class UnitMembershipAdmin(GuardedURLsMixin, ModelAdmin):
    model = UnitMembership
    menu_label = _("Unit operators")
    menu_icon = "group"
    list_display = ("user", "unit")
    list_filter = ("unit",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "unit__name", "unit__code")


def desk_group_class() -> type[ModelAdminGroup]:
    """The admin menu "Layanan": one list per registered service (``desk_admin_classes``), then the LAPOR
    categories, the unit operators and the social-media connectors."""
    return type(
        "LayananGroup",
        (ModelAdminGroup,),
        {
            "__module__": __name__,
            "menu_label": _("Services"),
            "menu_icon": "form",
            "menu_order": 250,
            "items": (
                *desk_admin_classes(),
                LaporCategoryAdmin,
                UnitMembershipAdmin,
                SocialConnectorAdmin,
                RetentionRuleAdmin,
            ),
        },
    )


LayananGroup = modeladmin_register(desk_group_class())


def registered_desk_admin(service: str) -> type[TicketAdmin]:
    """The desk list class of ``service`` registered with Wagtail at start-up; ``LookupError`` if it has none."""
    for item in LayananGroup.items:
        if getattr(item, "service", None) == service:
            return item
    raise LookupError(service)


@hooks.register("register_admin_urls")
def register_desk_urls():
    return [
        path("layanan-desk/<int:pk>/action/<slug:action>/", ticket_action, name="layanan_desk_action"),
        path("layanan-desk/register/<slug:service>/", register_ticket, name="layanan_desk_register"),
        path("layanan-desk/attachment/<int:pk>/", attachment_download, name="layanan_desk_attachment"),
        path("layanan-desk/document/<int:pk>/print/", document_print, name="layanan_desk_document_print"),
        path(
            "layanan-desk/social-connector/<int:pk>/renew/",
            connector_renew_token,
            name="layanan_social_connector_renew",
        ),
    ]


# --- officers who acted and units in use are kept (issue 15; layanan.desk.deletion) ---------------------------
hooks.register("before_delete_user", guard_user_delete)
hooks.register("before_delete_snippet", guard_unit_delete)
hooks.register("before_bulk_action", guard_bulk_delete)


# --- reports and statistics (issue 6): menu, admin URLs, dashboard panel -------------------------------------------
@hooks.register("register_admin_urls")
def register_report_urls():
    return report_urls()


class ReportsMenuItem(MenuItem):
    """Shown to officers who may open a report or have a desk scope (``layanan.core.report_access``)."""

    def is_shown(self, request):
        return bool(reports_for(request.user)) or dashboard_visible(request.user)


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    # "Service reports", not "Reports": Wagtail's own "Reports" menu is another item ("Content reports").
    return ReportsMenuItem(
        _("Service reports"),
        reverse("layanan_reports_index"),
        name="service-reports",
        icon_name="table",
        order=260,
    )


@hooks.register("construct_homepage_panels")
def add_desk_dashboard_panel(request, panels):
    construct_panels(request, panels)


# --- failed background tasks (issue 8): admin URL and Settings menu item, registered by the module ----------------


# --- channels (issue 18): the "Kanal" screen, Settings menu (layanan.desk.channels) --------------------------------
@hooks.register("register_admin_urls")
def register_channel_urls():
    return channel_urls()


@hooks.register("register_settings_menu_item")
def register_channels_menu_item():
    return ChannelsMenuItem(_("Channels"), reverse("layanan_channels"), name="channels", icon_name="mail", order=890)
