"""Wagtail admin for the news import: candidates (with bulk approve/reject), sources, rules, runs, categories.

Everything is one menu, "Berita impor". The screens call the service functions in ``berita.services``;
approving needs the "change imported article" permission (editors group).

The candidate queue: each row's title opens the review screen (the article as the page will hold it, images
included, with what was not kept, and the decision buttons); each row has "Preview", "Approve" and "Reject"
itself, and the list's bulk actions approve or reject many at once. Times are WIB.
"""

from datetime import datetime

import django_filters
import nh3
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import InspectView, SnippetViewSet, SnippetViewSetGroup

from berita.body import body_parts, lead_repeats_body
from berita.models import ImportedArticle, ImportRule, ImportRun, ImportSource, NewsCategory
from berita.services import ApprovalError, apply_rules, approve, reject, run_import
from pesan_cms import timezones


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


def wib(value) -> str:
    """An aware datetime as the admin shows it: ``5 Maret 2025, 14:00 WIB`` (local time in the institution's zone,
    ``TIME_ZONE``, with its label: WIB, WITA or WIT)."""
    return f"{date_format(timezone.localtime(value), 'j F Y, H:i')} {timezones.label()}"


def _approved_message(request, candidate, page) -> None:
    """Success message of an approval (draft or published, with a link to the page editor) and the images
    the page does not have."""
    edit = [messages.button(reverse("wagtailadmin_pages:edit", args=[page.pk]), gettext("Edit the news page"))]
    if page.live:
        messages.success(request, gettext("Approved and published: “%(title)s”.") % {"title": page.title}, edit)
    else:
        text = gettext("Approved as a draft: “%(title)s”. Review it and publish it in the page editor.")
        messages.success(request, text % {"title": page.title}, edit)
    dropped = candidate.dropped_images
    if dropped:
        text = ngettext(
            "%(count)d image was not kept: %(errors)s",
            "%(count)d images were not kept: %(errors)s",
            len(dropped),
        )
        messages.warning(request, text % {"count": len(dropped), "errors": " ".join(d["error"] for d in dropped)})


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
            _approved_message(request, candidate, page)
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


def _display(value):
    """A field value as an editor reads it: WIB times, lists joined, "—" for nothing."""
    if isinstance(value, datetime):
        return wib(value)
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    if value is None or value == "":
        return "—"
    return value


class CandidateInspectView(InspectView):
    """The review screen: the article as its page will be (lead once, images, what was not kept), the decision
    buttons, then the candidate's details (times in WIB)."""

    page_title = _("Review")

    def get_field_display_value(self, field_name, field):
        return _display(super().get_field_display_value(field_name, field))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        viewset = ImportedArticle.snippet_viewset
        candidate = self.object
        pk = candidate.pk
        parts = body_parts(candidate.body_html, candidate.body_images)
        for part in parts:
            if part.kind == "paragraph":
                part.html = mark_safe(nh3.clean(part.html))  # noqa: S308 - sanitised again here
        context.update(
            approve_url=reverse(viewset.get_url_name("approve"), args=[pk]),
            reject_url=reverse(viewset.get_url_name("reject"), args=[pk]),
            rematch_url=reverse(viewset.get_url_name("rematch"), args=[pk]),
            can_decide=viewset.permission_policy.user_has_permission(self.request.user, "change"),
            body_parts=parts,
            show_lead=bool(candidate.lead) and not lead_repeats_body(candidate.lead, candidate.body_html),
            published_wib=wib(candidate.published_at) if candidate.published_at else "",
            dropped_images=candidate.dropped_images,
        )
        return context


class WibDateTimeColumn(Column):
    """A date-time in WIB with its zone: ``5 Mar 2025, 14:00 WIB``; "—" when empty."""

    cell_template_name = "berita/admin/wib_cell.html"


class CandidateTitleColumn(TitleColumn):
    """The title, linking to the review screen; under it the lead and the decisions: Preview, Approve and
    Reject, right in the list (POST forms that come back to this list, filters kept)."""

    cell_template_name = "berita/admin/candidate_title_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = context["request"]
        viewset = ImportedArticle.snippet_viewset
        context.update(
            csrf_token=get_token(request),
            next_url=request.get_full_path(),
            review_url=reverse(viewset.get_url_name("inspect"), args=[instance.pk]),
            approve_url=reverse(viewset.get_url_name("approve"), args=[instance.pk]),
            reject_url=reverse(viewset.get_url_name("reject"), args=[instance.pk]),
            can_decide=viewset.permission_policy.user_has_permission(request.user, "change"),
            can_approve=instance.news_page_id is None,
            can_reject=instance.status != ImportedArticle.Status.REJECTED,
        )
        return context


class OrDashColumn(Column):
    """A plain column that shows "—" when empty."""

    empty_value_display = "—"


class CandidateSourceColumn(Column):
    """The source, with the source's categories of the article under it (``Berita, Investasi``)."""

    cell_template_name = "berita/admin/candidate_source_cell.html"


class CandidateImagesColumn(Column):
    """How many of the article's images the page will have, and how many were not kept (with why)."""

    cell_template_name = "berita/admin/candidate_images_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        kept = (1 if instance.image_id else 0) + sum(1 for e in instance.body_images or [] if e.get("image"))
        context.update(kept=kept, dropped=instance.dropped_images)
        return context


def _review_url(candidate) -> str:
    return reverse(ImportedArticle.snippet_viewset.get_url_name("inspect"), args=[candidate.pk])


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
        CandidateTitleColumn(
            "title",
            label=_("Title"),
            get_url=_review_url,
            get_title_id=lambda candidate: f"snippet_{candidate.pk}_title",
            sort_key="title",
        ),
        StatusTagColumn("status", label=_("Status"), accessor="get_status_display", primary=False),
        WibDateTimeColumn("published_at", label=_("Published at (WIB)"), sort_key="published_at"),
        CandidateSourceColumn("source", label=_("Source and its categories"), sort_key="source__name"),
        OrDashColumn("matched_rule", label=_("Matched rule")),
        CandidateImagesColumn("images", label=_("Images")),
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
