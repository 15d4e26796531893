"""Desk registration forms of PPID requests and objections received in person, by phone, post or e-mail
(UU 14/2008 Pasal 22(3): such requests are recorded), validated by the same rules as the public API."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from layanan.core.forms import ApplicantForm
from layanan.core.intake import validate_upload
from layanan.ppid.models import OBJECTION_REASONS, PPIDRequestDetails


class PPIDRequestRegisterForm(ApplicantForm):
    """SLIP form for a request received at the desk (walk-in, phone — UU 14/2008 Pasal 22(3) — post, e-mail)."""

    applicant_type = forms.ChoiceField(label=_("Applicant type"), choices=PPIDRequestDetails.ApplicantType.choices)
    nik = forms.CharField(label=_("NIK"), required=False, max_length=32)
    legal_entity_decree = forms.CharField(label=_("Legalisation decree number"), required=False, max_length=128)
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 2}))
    occupation = forms.CharField(label=_("Occupation"), required=False, max_length=128)
    is_proxy = forms.BooleanField(label=_("Filed by a proxy"), required=False)
    power_of_attorney = forms.FileField(label=_("Power of attorney"), required=False)
    information_requested = forms.CharField(label=_("Information requested"), widget=forms.Textarea(attrs={"rows": 4}))
    purpose = forms.CharField(label=_("Purpose of use"), widget=forms.Textarea(attrs={"rows": 2}))
    obtain_method = forms.ChoiceField(label=_("How to obtain"), choices=PPIDRequestDetails.ObtainMethod.choices)
    delivery_method = forms.ChoiceField(label=_("How to receive"), choices=PPIDRequestDetails.DeliveryMethod.choices)

    def clean_power_of_attorney(self):
        upload = self.cleaned_data.get("power_of_attorney")
        return validate_upload(upload) if upload else None


class ObjectionRegisterForm(ApplicantForm):
    """Objection received at the desk (UU 14/2008 Pasal 35–36)."""

    request_tracking_number = forms.CharField(
        label=_("Registration number of the request"),
        max_length=32,
        required=False,  # reason (b), periodic information not published, needs no request (check_objection)
        help_text=_(
            "e.g. PPID-2026-000123. Required, except for reason (b) (periodic information not published), "
            "which needs no request."
        ),
    )
    reason = forms.ChoiceField(label=_("Reason (Pasal 35(1))"), choices=OBJECTION_REASONS.choices)
    description = forms.CharField(label=_("Case and grounds"), widget=forms.Textarea(attrs={"rows": 4}))
    nik = forms.CharField(label=_("NIK"), required=False, max_length=32)
