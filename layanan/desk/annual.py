"""Admin screens of the PPID annual report's desk records (menu "Laporan & statistik"):

- ``layanan-reports/ppid/narrative/?year=Y``: the narrative sections of the year's report (policy; facilities,
  human resources, budget; constraints; recommendations), edited by the PPID Utama
  (:func:`layanan.ppid.followup.save_annual_narrative`);
- ``layanan-reports/objections/<pk>/follow-up/``: what followed an objection — the answer carried out, the
  Komisi Informasi decision carried out, and its court challenges (PTUN/PN, cassation) with their outcomes —
  for the Atasan PPID and the PPID Utama (:mod:`layanan.ppid.followup`).

Thin: the rules and the permission checks live in :mod:`layanan.ppid.followup`; a view only checks access
first (403) and scopes the objection by ``tickets_visible_to`` (404 for another's).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from layanan.core.access import tickets_visible_to
from layanan.core.links import inspect_url
from layanan.core.reporting import parse_year
from layanan.ppid.disputes import can_record_dispute_outcome
from layanan.ppid.followup import (
    KI_OUTCOMES_TO_CARRY_OUT,
    can_edit_annual_narrative,
    record_answer_carried_out,
    record_court_challenge,
    record_ki_decision_carried_out,
    save_annual_narrative,
)
from layanan.ppid.models import AnnualReportNarrative, CourtChallenge, KomisiInformasiDispute, ObjectionDetails

__all__ = ["annual_urls", "followup_view", "narrative_view"]

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = AnnualReportNarrative
        fields = list(AnnualReportNarrative.SECTIONS)
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in AnnualReportNarrative.SECTIONS}
        help_texts = {
            "policy": _("The body's policy on public information services in the year (Perki 1/2021)."),
            "facilities": _("Service desk, website and other facilities and infrastructure."),
            "staff": _("The PPID's officers: number, roles, training."),
            "budget": _("The budget of the information service and how it was used."),
            "constraints": _("What held the service back, inside the body and outside it."),
            "recommendations": _("Recommendations and the follow-up planned to improve the service."),
        }


def narrative_view(request):
    """Edit the narrative of the annual report of ``year`` (query string; default: the report's default year)."""
    if not can_edit_annual_narrative(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    try:
        year = parse_year(request.GET.get("year") or (today.year - 1 if today.month <= 3 else today.year))
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages), content_type="text/plain; charset=utf-8")
    instance = AnnualReportNarrative.objects.filter(year=year).first()
    form = NarrativeForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        save_annual_narrative(year, request.user, **{name: form.cleaned_data[name] for name in form.fields})
        messages.success(request, gettext("The narrative of %(year)s was saved.") % {"year": year})
        return redirect(reverse("layanan_reports_ppid") + f"?year={year}")
    return TemplateResponse(
        request,
        "layanan/reports/narrative_form.html",
        {"form": form, "year": year, "report_url": reverse("layanan_reports_ppid") + f"?year={year}"},
    )


class CarriedOutForm(forms.Form):
    carried_out_on = forms.DateField(label=_("Carried out on"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CourtChallengeForm(forms.Form):
    court = forms.ChoiceField(label=_("Court"), choices=CourtChallenge.Court.choices)
    filed_by = forms.ChoiceField(label=_("Filed by"), choices=CourtChallenge.FiledBy.choices)
    filed_on = forms.DateField(label=_("Filed on"), widget=DATE_WIDGET)
    case_number = forms.CharField(label=_("Case number"), required=False, max_length=128)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CourtChallenge.Outcome.choices)
    outcome_date = forms.DateField(label=_("Decision date"), required=False, widget=DATE_WIDGET)
    carried_out_on = forms.DateField(label=_("Decision carried out on"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


FORMS = {"answer": CarriedOutForm, "ki": CarriedOutForm, "court": CourtChallengeForm}


def _add_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def followup_view(request, pk: int):
    """What followed objection ``pk``: three forms (``form`` = ``answer``, ``ki`` or ``court``; ``challenge`` =
    the id of the court challenge being corrected, else a new one)."""
    if not can_record_dispute_outcome(request.user):
        raise PermissionDenied
    ticket = get_object_or_404(tickets_visible_to(request.user, "objection").select_related("objection"), pk=pk)
    details: ObjectionDetails = ticket.objection
    dispute = KomisiInformasiDispute.objects.filter(objection=ticket).first()
    challenges = list(CourtChallenge.objects.filter(objection=ticket))
    editing = next((c for c in challenges if str(c.pk) == (request.POST or request.GET).get("challenge")), None)
    initial = {
        "answer": {"carried_out_on": details.answer_carried_out_on},
        "ki": {"carried_out_on": dispute.carried_out_on if dispute else None},
        "court": {
            name: getattr(editing, name)
            for name in ("court", "filed_by", "filed_on", "case_number", "outcome", "outcome_date", "carried_out_on")
        }
        if editing
        else {},
    }
    posted = request.POST.get("form") if request.method == "POST" else None
    forms_ = {
        name: form_class(request.POST if posted == name else None, initial=initial[name], prefix=name)
        for name, form_class in FORMS.items()
    }
    if posted in forms_ and forms_[posted].is_valid():
        data = dict(forms_[posted].cleaned_data)
        try:
            if posted == "answer":
                record_answer_carried_out(ticket, request.user, **data)
            elif posted == "ki":
                record_ki_decision_carried_out(ticket, request.user, **data)
            else:
                record_court_challenge(ticket, request.user, challenge=editing, **data)
        except ValidationError as exc:
            _add_errors(forms_[posted], exc)
        else:
            messages.success(request, gettext("Saved."))
            return redirect(reverse("layanan_reports_followup", args=[ticket.pk]))
    context = {
        "ticket": ticket,
        "details": details,
        "dispute": dispute,
        "challenges": challenges,
        "editing": editing,
        "forms": forms_,
        "answer_to_carry_out": details.decision == ObjectionDetails.Decision.UPHELD,
        "ki_to_carry_out": dispute is not None and dispute.outcome in KI_OUTCOMES_TO_CARRY_OUT,
        "dispute_url": reverse("layanan_reports_dispute", args=[ticket.pk]) if details.dispute_filed_on else "",
        "ticket_url": inspect_url(ticket),
    }
    return TemplateResponse(request, "layanan/reports/followup.html", context)


def annual_urls() -> list:
    """Admin URL patterns of these screens (added to ``layanan.desk.reports.report_urls``)."""
    return [
        path("layanan-reports/ppid/narrative/", narrative_view, name="layanan_reports_narrative"),
        path("layanan-reports/objections/<int:pk>/follow-up/", followup_view, name="layanan_reports_followup"),
    ]
