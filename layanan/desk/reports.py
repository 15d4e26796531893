"""Admin screens of the reports (menu "Laporan & statistik"): the report pages, their drill-down ticket lists,
downloads (CSV, XLSX, printable HTML; audited), the Komisi Informasi dispute outcome form, the export log and
the dashboard panel. Thin: the figures come from ``layanan.reports``, the files from ``layanan.reports.exports``.

Every view checks ``layanan.core.report_access`` (403 otherwise) and every list is scoped by ``tickets_visible_to``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from laces.components import Component

from layanan.core import registry
from layanan.core.access import may_view_export_log, tickets_visible_to
from layanan.core.links import index_url, inspect_url
from layanan.core.models.audit import ExportLog
from layanan.core.report_access import (
    can_export_personal_data,
    can_unsuppress,
    can_view_report,
    dashboard_visible,
    reports_for,
)
from layanan.core.reporting import parse_month, parse_year
from layanan.desk.annual import annual_urls
from layanan.lapor import reports as lapor_reports
from layanan.lapor.reports import lapor_report
from layanan.ppid import reports as ppid_reports
from layanan.ppid.disputes import can_record_dispute_outcome, record_dispute_outcome
from layanan.ppid.followup import can_edit_annual_narrative
from layanan.ppid.models import KomisiInformasiDispute
from layanan.ppid.reports import ppid_annual_report
from layanan.reports.dashboard import cached_chart_data, desk_counters
from layanan.reports.exports import export_report
from layanan.reports.registers import format_label, parameters_text, register_label, registers_for
from layanan.reports.satisfaction import PARTS, parse_part, satisfaction_report
from layanan.wbs import reports as wbs_reports
from layanan.wbs.reports import wbs_report

__all__ = ["DeskDashboardPanel", "report_urls"]

REPORT_LABELS = {
    "ppid_annual": _("PPID annual report"),
    "lapor_monthly": _("SP4N-LAPOR monthly report"),
    "satisfaction": _("Satisfaction index (IKM)"),
    "wbs": _("WBS report (Inspektorat)"),
}
REPORT_VIEWS = {
    "ppid_annual": "layanan_reports_ppid",
    "lapor_monthly": "layanan_reports_lapor",
    "satisfaction": "layanan_reports_satisfaction",
    "wbs": "layanan_reports_wbs",
}


def _require(request, report: str) -> None:
    if not can_view_report(request.user, report):
        raise PermissionDenied


def _period(request, with_month: bool):
    """``(year, month)`` from the query string (defaults: the current year / month; for the PPID annual report
    the previous year until 31 March, when its report is due). Raises ``ValidationError``."""
    today = timezone.localdate()
    default_year = today.year - 1 if not with_month and today.month <= 3 else today.year
    year = parse_year(request.GET.get("year") or default_year)
    month = None
    if with_month:
        month = parse_month(request.GET.get("month") or today.month)
    return year, month


def _report_period(request, report_code: str):
    """``(year, month or part)`` of ``report_code`` from the query string: the LAPOR report's month, the
    satisfaction report's part of the year (``period``: "" the year, ``s1``/``s2``, ``q1``–``q4``; default the
    current year), else ``None``. Raises ``ValidationError``."""
    if report_code == "satisfaction":
        return parse_year(request.GET.get("year") or timezone.localdate().year), parse_part(request.GET.get("period"))
    return _period(request, with_month=report_code == "lapor_monthly")


def _build(report: str, user, year: int, month: int | None):
    if report == "ppid_annual":
        # The annual report is the body's (and its figures are public statistics anyway): the counts cover every
        # request; the drill-down lists and exported ticket lists stay scoped by ``tickets_visible_to(user)``.
        return ppid_annual_report(year, None)
    if report == "lapor_monthly":
        return lapor_report(year, month, user)
    if report == "wbs":
        return wbs_report(year, user)
    if report == "satisfaction":
        return satisfaction_report(year, month or "", user)  # ``month``: the part of the year
    raise Http404


def _drilldown(report: str, user, year: int, month: int | None, params: dict):
    if report == "ppid_annual":
        return ppid_reports.drilldown_queryset(user, year, params)
    if report == "lapor_monthly":
        return lapor_reports.drilldown_queryset(user, year, month, params)
    if report == "wbs":
        return wbs_reports.drilldown_queryset(user, year, params)
    raise Http404


def _bad_request(request, exc: ValidationError):
    messages_ = (
        [m for values in exc.message_dict.values() for m in values] if hasattr(exc, "error_dict") else exc.messages
    )
    return HttpResponseBadRequest(" ".join(messages_), content_type="text/plain; charset=utf-8")


def _linked_tables(report_code: str, report, tables):
    """Attach ``url`` (drill-down list) to every cell that has filters."""
    base = reverse("layanan_reports_tickets", args=[report_code])
    period = report.params()
    for table in tables:
        for row in table.rows:
            for cell in row.cells:
                cell.url = f"{base}?{urlencode({**period, **cell.link})}" if cell.link is not None else ""
    return tables


def report_view(request, report_code: str):
    """The report page: period form, every table with drill-down links, charts (PPID), download form."""
    _require(request, report_code)
    try:
        year, month = _report_period(request, report_code)
    except ValidationError as exc:
        return _bad_request(request, exc)
    report = _build(report_code, request.user, year, month)
    tables = report.tables(suppressed=False) if report_code == "wbs" else report.tables()
    if report_code == "satisfaction":
        month = None  # the template's month fields are the LAPOR report's
    context = {
        "report": report,
        "report_code": report_code,
        "report_label": REPORT_LABELS[report_code],
        "tables": _linked_tables(report_code, report, tables),
        "year": year,
        "month": month,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 8, -1)),
        "months": [(m, timezone.datetime(2000, m, 1).strftime("%m")) for m in range(1, 13)],
        "export_url": reverse("layanan_reports_export", args=[report_code]),
        "can_personal_data": can_export_personal_data(request.user, report_code),
        "can_unsuppress": can_unsuppress(request.user, report_code),
        "contents": _contents(report_code),
        "parts": [(code, label) for code, (_first, _after, label) in PARTS.items()]
        if report_code == "satisfaction"
        else None,
        "part": report.params().get("period", ""),
    }
    if report_code == "ppid_annual":
        context["charts"] = cached_chart_data(request.user, year)
        context["can_edit_narrative"] = can_edit_annual_narrative(request.user)
    return TemplateResponse(request, "layanan/reports/report.html", context)


def _contents(report_code: str) -> list[tuple[str, str]]:
    if report_code == "ppid_annual":
        return [
            ("summary", gettext("Summary")),
            ("requests", gettext("Requests")),
            ("objections", gettext("Objections")),
        ]
    if report_code == "satisfaction":
        return [("summary", gettext("Summary"))]  # figures only: no ticket behind them is listed
    return [("summary", gettext("Summary")), ("reports", gettext("Reports"))]


def drilldown_view(request, report_code: str):
    """The tickets behind one figure (filters from the query string), scoped to the user; links to the desk."""
    _require(request, report_code)
    params = {k: v for k, v in request.GET.items() if k not in ("year", "month", "p")}
    try:
        year, month = _report_period(request, report_code)
        queryset = _drilldown(report_code, request.user, year, month, params)
    except ValidationError as exc:
        return _bad_request(request, exc)
    queryset = queryset.select_related("unit").order_by("received_at", "pk")
    page = Paginator(queryset, 50).get_page(request.GET.get("p"))

    rows = []
    for ticket in page.object_list:
        try:
            url = inspect_url(ticket)
        except (Http404, NoReverseMatch):  # a service without a desk list: no link
            url = ""
        rows.append((ticket, url))
    back = reverse(REPORT_VIEWS[report_code]) + "?" + urlencode({"year": year, **({"month": month} if month else {})})
    return TemplateResponse(
        request,
        "layanan/reports/tickets.html",
        {
            "report_label": REPORT_LABELS[report_code],
            "rows": rows,
            "page": page,
            "total": page.paginator.count,
            "filters": params,
            "back_url": back,
            "query": urlencode({k: v for k, v in request.GET.items() if k != "p"}),
        },
    )


def export_view(request, report_code: str):
    """Download: ``format`` (csv/xlsx/html), ``content`` (CSV), ``personal_data=1`` and ``unsuppressed=1``
    (explicit options, refused with 403 when the role may not). Writes the audit entry."""
    _require(request, report_code)
    try:
        year, month = _report_period(request, report_code)
    except ValidationError as exc:
        return _bad_request(request, exc)
    report = _build(report_code, request.user, year, month)
    try:
        result = export_report(
            report,
            request.user,
            request.GET.get("format", "csv"),
            personal_data=request.GET.get("personal_data") in ("1", "on", "true"),
            unsuppressed=request.GET.get("unsuppressed") in ("1", "on", "true"),
            content=request.GET.get("content") or "summary",
            request=request,
        )
    except ValidationError as exc:
        return _bad_request(request, exc)
    response = HttpResponse(result.content, content_type=result.content_type)
    disposition = "inline" if result.filename.endswith(".html") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{result.filename}"'
    response["Cache-Control"] = "no-store"
    return response


class DisputeOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"))
    outcome_date = forms.DateField(
        label=_("Outcome date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    register_number = forms.CharField(label=_("Komisi Informasi register number"), required=False, max_length=64)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = KomisiInformasiDispute.Outcome.choices


def dispute_view(request, pk: int):
    """Record the Komisi Informasi's outcome of the dispute on objection ``pk`` (``record_dispute_outcome``)."""
    if not can_record_dispute_outcome(request.user):
        raise PermissionDenied
    ticket = get_object_or_404(tickets_visible_to(request.user, "objection").select_related("objection"), pk=pk)
    existing = getattr(ticket, "ki_dispute", None) if hasattr(ticket, "ki_dispute") else None
    initial = (
        {
            "outcome": existing.outcome,
            "outcome_date": existing.outcome_date,
            "register_number": existing.register_number,
            "note": existing.note,
        }
        if existing
        else {}
    )
    form = DisputeOutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record_dispute_outcome(ticket, request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, gettext("The dispute outcome was recorded."))
            return redirect(reverse("layanan_reports_ppid") + f"?year={ticket.objection.dispute_filed_on.year}")
    return TemplateResponse(request, "layanan/reports/dispute_form.html", {"ticket": ticket, "form": form})


def export_log_view(request):
    """The audit log of report exports (superusers and holders of ``layanan.view_exportlog``)."""
    if not may_view_export_log(request.user):
        raise PermissionDenied
    page = Paginator(ExportLog.objects.all(), 50).get_page(request.GET.get("p"))
    rows = [
        (
            log,
            str(REPORT_LABELS[log.report]) if log.report in REPORT_LABELS else register_label(log.report),
            format_label(log.export_format),
            parameters_text(log.parameters),
        )
        for log in page
    ]
    return TemplateResponse(request, "layanan/reports/export_log.html", {"page": page, "rows": rows})


def index_view(request):
    """The reports menu: the reports the user may open, and the charts of their scope."""
    available = reports_for(request.user)
    if not available and not dashboard_visible(request.user):
        raise PermissionDenied
    try:
        year = parse_year(request.GET.get("year") or timezone.localdate().year)
    except ValidationError as exc:
        return _bad_request(request, exc)
    return TemplateResponse(
        request,
        "layanan/reports/index.html",
        {
            "reports": [(code, REPORT_LABELS[code], reverse(REPORT_VIEWS[code])) for code in available],
            "charts": cached_chart_data(request.user, year),
            "year": year,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 8, -1)),
            "show_log": may_view_export_log(request.user),
            "show_registers": bool(registers_for(request.user)),
        },
    )


def report_urls() -> list:
    """Admin URL patterns of the reports (registered by ``wagtail_hooks``)."""
    return [
        path("layanan-reports/", index_view, name="layanan_reports_index"),
        path("layanan-reports/ppid/", report_view, {"report_code": "ppid_annual"}, name="layanan_reports_ppid"),
        path("layanan-reports/lapor/", report_view, {"report_code": "lapor_monthly"}, name="layanan_reports_lapor"),
        path("layanan-reports/wbs/", report_view, {"report_code": "wbs"}, name="layanan_reports_wbs"),
        path(
            "layanan-reports/satisfaction/",
            report_view,
            {"report_code": "satisfaction"},
            name="layanan_reports_satisfaction",
        ),
        path("layanan-reports/<slug:report_code>/tickets/", _checked(drilldown_view), name="layanan_reports_tickets"),
        path("layanan-reports/<slug:report_code>/export/", _checked(export_view), name="layanan_reports_export"),
        path("layanan-reports/disputes/<int:pk>/", dispute_view, name="layanan_reports_dispute"),
        path("layanan-reports/exports/", export_log_view, name="layanan_reports_export_log"),
        *annual_urls(),  # the annual report's narrative, what followed an objection (court challenges)
    ]


def _checked(view):
    def wrapped(request, report_code: str):
        if report_code not in REPORT_LABELS:
            raise Http404
        return view(request, report_code)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# --- dashboard panel ----------------------------------------------------------------------------------------------
class DeskDashboardPanel(Component):
    """Wagtail dashboard panel: the officer's open / overdue / due-soon / received-this-month tickets per service
    (within ``tickets_visible_to``), each linked to the desk list with the matching filter, and the charts."""

    name = "layanan_desk"
    order = 90
    template_name = "layanan/reports/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    @property
    def media(self):
        return forms.Media(
            css={"all": ["layanan/reports.css"]},
            js=["layanan/vendor/chart.umd.js", "layanan/reports.js"],
        )

    def get_context_data(self, parent_context=None):

        user = self.request.user
        counters = desk_counters(user)
        rows = []
        for item in counters.by_service:
            try:
                url = index_url(item.service)
            except (registry.UnknownService, NoReverseMatch):  # a service without a desk list: no link
                url = ""
            rows.append((item, url))
        year = counters.today.year
        return {
            "counters": counters,
            "rows": rows,
            "charts": cached_chart_data(user, year),
            "reports_url": reverse("layanan_reports_index"),
        }


def construct_panels(request, panels) -> None:
    """``construct_homepage_panels`` hook body: add the desk panel for officers."""
    if dashboard_visible(request.user):
        panels.append(DeskDashboardPanel(request))
