"""Desk registration form of SP4N-LAPOR reports received outside the website (or copied from LAPOR!)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from layanan.core.forms import ApplicantForm
from layanan.lapor.models import LaporCategory, LaporDetails


class LaporRegisterForm(ApplicantForm):
    """SP4N-LAPOR report received at the desk."""

    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    classification = forms.ChoiceField(label=_("Classification"), choices=LaporDetails.Classification.choices)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=LaporCategory.objects.filter(active=True), required=False
    )
    location = forms.CharField(label=_("Location"), required=False, max_length=255)
    incident_date = forms.DateField(
        label=_("Date of incident"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    anonymous = forms.BooleanField(label=_("Anonymous"), required=False)
    confidential = forms.BooleanField(label=_("Confidential"), required=False)
    external_id = forms.CharField(label=_("LAPOR! tracking ID"), required=False, max_length=64)
    nik = forms.CharField(label=_("NIK"), required=False, max_length=32)
