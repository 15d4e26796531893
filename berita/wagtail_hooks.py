"""Wagtail admin for the news import: candidates (with bulk approve/reject), sources, rules, runs, categories.

Everything is one menu, "Berita impor". The screens call the service functions in ``berita.services``;
approving needs the "change imported article" permission (editors group).
"""

import django_filters
import nh3
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import InspectView, SnippetViewSet, SnippetViewSetGroup

from berita.models import ImportedArticle, ImportRule, ImportRun, ImportSource, NewsCategory
from berita.services import ApprovalError, apply_rules, approve, reject, run_import


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Model permissions minus the actions in ``denied`` (records made by the import, not by hand)."""

    def __init__(self, model, denied):
        super().__init__(model)
        self.denied = set(denied)

    def user_has_permission(self, user, action):
        return action not in self.denied and super().user_has_permission(user, action)


register_permission_policy(ImportedArticle, ReadOnlyPolicy(ImportedArticle, {"add"}))
register_permission_policy(ImportRun, ReadOnlyPolicy(ImportRun, {"add", "change"}))


# --- candidates ----------------------------------------------------------------------------------------------


class CandidateFilterSet(WagtailFilterSet):
    """Filters of the candidate list: status, source, matched rule, target category, source category."""

    source_category = django_filters.CharFilter(
        label=_("Source category"), method="filter_source_category", help_text=_("e.g. Siaran Pers")
    )

    class Meta:
        model = ImportedArticle
        fields = ["status", "source", "matched_rule", "target_category"]

    def filter_source_category(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(categories__icontains=f'"{value}') if value else queryset


def _decide(request, pk, action):
    if not ImportedArticle.snippet_viewset.permission_policy.user_has_permission(request.user, "change"):
        raise PermissionDenied
    candidate = get_object_or_404(ImportedArticle, pk=pk)
    if action == "approve":
        try:
            page = approve(candidate, request.user)
        except ApprovalError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, gettext("Approved: “%(title)s”.") % {"title": page.title})
            if candidate.image_error:
                messages.warning(
                    request, gettext("The image was not imported: %(error)s") % {"error": candidate.image_error}
                )
    elif action == "reject":
        reject(candidate, request.user)
        messages.success(request, gettext("Rejected: “%(title)s”.") % {"title": candidate.title})
    else:  # re-apply rules
        candidate.matched_rule = None
        apply_rules(candidate)
        messages.info(request, candidate.match_reason or gettext("No rule matches."))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse(ImportedArticle.snippet_viewset.get_url_name("list"))
    return redirect(next_url)


class CandidateInspectView(InspectView):
    """Candidate details with the decision buttons and a preview of the cleaned body."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        viewset = ImportedArticle.snippet_viewset
        pk = self.object.pk
        context.update(
            approve_url=reverse(viewset.get_url_name("approve"), args=[pk]),
            reject_url=reverse(viewset.get_url_name("reject"), args=[pk]),
            rematch_url=reverse(viewset.get_url_name("rematch"), args=[pk]),
            body_preview=mark_safe(nh3.clean(self.object.body_html or "")),  # noqa: S308 - sanitised again here
        )
        return context


class SourceInspectView(InspectView):
    """Source details with "Import now" and the recent runs."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            run_url=reverse(ImportSource.snippet_viewset.get_url_name("run"), args=[self.object.pk]),
            recent_runs=self.object.runs.all()[:10],
        )
        return context


class CandidateViewSet(SnippetViewSet):
    model = ImportedArticle
    icon = "download"
    menu_label = _("Candidates")
    list_display = [
        "title",
        "source",
        StatusTagColumn("status", label=_("Status"), accessor="get_status_display", primary=False),
        DateColumn("published_at", label=_("Published at")),
        Column("source_categories_display", label=_("Source categories")),
        "matched_rule",
    ]
    filterset_class = CandidateFilterSet
    search_fields = ["title", "canonical_url"]
    search_backend_name = None
    ordering = ["-published_at"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = CandidateInspectView
    inspect_template_name = "berita/admin/candidate_inspect.html"
    inspect_view_fields = [
        "status",
        "source",
        "canonical_url",
        "published_at",
        "author",
        "source_categories_display",
        "tags",
        "matched_rule",
        "match_reason",
        "target_category",
        "news_page",
        "image_url",
        "image_error",
        "decided_by",
        "decided_at",
        "first_seen",
        "last_seen",
    ]
    panels = [FieldPanel("title"), FieldPanel("lead"), FieldPanel("target_category")]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("approve/<int:pk>/", require_POST(lambda r, pk: _decide(r, pk, "approve")), name="approve"),
            path("reject/<int:pk>/", require_POST(lambda r, pk: _decide(r, pk, "reject")), name="reject"),
            path("rematch/<int:pk>/", require_POST(lambda r, pk: _decide(r, pk, "rematch")), name="rematch"),
        ]


class CandidateBulkAction(SnippetBulkAction):
    models = [ImportedArticle]
    template_name = "berita/admin/bulk_confirm.html"

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission(self.request.user, "change")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action_label": self.display_name}


class ApproveBulkAction(CandidateBulkAction):
    display_name = _("Approve")
    action_type = "approve"
    aria_label = _("Approve the selected candidates")
    action_priority = 10

    @classmethod
    def execute_action(cls, objects, **kwargs):
        view = kwargs["self"]
        done = 0
        for candidate in objects:
            try:
                approve(candidate, view.request.user)
                done += 1
            except ApprovalError as exc:
                messages.error(view.request, str(exc))
                break
        return done, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d candidate approved.", "%(count)d candidates approved.", num_parent_objects) % {
            "count": num_parent_objects
        }


class RejectBulkAction(CandidateBulkAction):
    display_name = _("Reject")
    action_type = "reject"
    aria_label = _("Reject the selected candidates")
    action_priority = 20

    @classmethod
    def execute_action(cls, objects, **kwargs):
        for candidate in objects:
            reject(candidate, kwargs["self"].request.user)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext("%(count)d candidate rejected.", "%(count)d candidates rejected.", num_parent_objects) % {
            "count": num_parent_objects
        }


hooks.register("register_bulk_action", ApproveBulkAction)
hooks.register("register_bulk_action", RejectBulkAction)


# --- sources, rules, runs, categories ---------------------------------------------------------------------


def _run_source(request, pk):
    if not ImportSource.snippet_viewset.permission_policy.user_has_permission(request.user, "change"):
        raise PermissionDenied
    source = get_object_or_404(ImportSource, pk=pk)
    run = run_import(source, trigger="admin")
    summary = f"{source.name}: {run.summary()}"
    if run.error:
        messages.warning(request, f"{summary} — {run.error}")
    else:
        messages.success(request, summary)
    return redirect(ImportSource.snippet_viewset.get_url_name("list"))


class SourceViewSet(SnippetViewSet):
    model = ImportSource
    icon = "link-external"
    menu_label = _("Sources")
    list_display = [
        "name",
        Column("get_kind_display", label=_("Kind")),
        "enabled",
        DateColumn("last_run_at", label=_("Last run")),
        Column("last_error", label=_("Last error")),
    ]
    list_filter = ["kind", "enabled"]
    search_fields = ["name", "feed_url", "base_url"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_class = SourceInspectView
    inspect_template_name = "berita/admin/source_inspect.html"
    inspect_view_fields = [
        "name",
        "kind",
        "fetch_url",
        "enabled",
        "schedule_cron",
        "schedule_minutes",
        "last_run_at",
        "last_success_at",
        "last_error",
        "last_published_at",
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("run/<int:pk>/", require_POST(_run_source), name="run")]


class RuleViewSet(SnippetViewSet):
    model = ImportRule
    icon = "tasks"
    menu_label = _("Rules")
    list_display = [
        "name",
        "enabled",
        "order",
        "source",
        Column("get_action_display", label=_("Action")),
        "target_category",
    ]
    list_filter = ["enabled", "action", "source"]
    search_fields = ["name", "keywords", "categories"]
    search_backend_name = None


class RunViewSet(SnippetViewSet):
    model = ImportRun
    icon = "history"
    menu_label = _("Import runs")
    list_display = [
        Column("__str__", label=_("Run")),
        StatusTagColumn("status", label=_("Status"), accessor="get_status_display", primary=False),
        "fetched",
        "new",
        "updated",
        "skipped",
        "failed",
        Column("error", label=_("Error")),
    ]
    list_filter = ["status", "source", "trigger"]
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = ["source", "trigger", "status", "started_at", "finished_at", "fetched", "new", "updated",
                           "skipped", "failed", "error", "log"]  # fmt: skip


class CategoryViewSet(SnippetViewSet):
    model = NewsCategory
    icon = "tag"
    menu_label = _("News categories")
    list_display = ["name", "slug"]
    search_fields = ["name"]
    search_backend_name = None


class NewsImportGroup(SnippetViewSetGroup):
    menu_label = _("News import")
    menu_icon = "download"
    menu_order = 250
    items = (CandidateViewSet, SourceViewSet, RuleViewSet, RunViewSet, CategoryViewSet)


register_snippet(NewsImportGroup)
