"""Desk registration form of WBS reports received by the Inspektorat in person, by phone or by letter."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from layanan.core.forms import OFFICER_CHANNELS, MultipleUploadField
from layanan.core.models.tickets import Channel
from layanan.wbs.models import ViolationType


class WbsRegisterForm(forms.Form):
    """A WBS report received by the Inspektorat in person, by phone or by letter. Identity stays optional;
    the receipt code is shown once afterwards, to hand to the reporter. Files lose their metadata."""

    channel = forms.ChoiceField(
        label=_("Channel"), choices=[c for c in OFFICER_CHANNELS if c[0] != Channel.SOCIAL_MEDIA]
    )
    violation_type = forms.ChoiceField(label=_("Violation type"), choices=ViolationType.choices)
    what = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))
    where = forms.CharField(label=_("Where"), required=False)
    when = forms.CharField(label=_("When"), required=False)
    who = forms.CharField(label=_("Who (reported party)"), required=False)
    unit = forms.CharField(label=_("Unit of the reported party"), required=False)
    how = forms.CharField(label=_("How"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    name = forms.CharField(label=_("Reporter's name (optional)"), required=False)
    contact = forms.CharField(label=_("Reporter's contact (optional)"), required=False)
    email = forms.EmailField(
        label=_("Reporter's e-mail (optional)"),
        required=False,
        help_text=_("Only content-free notices are sent there, and only if the reporter wants them."),
    )
    attachments = MultipleUploadField(label=_("Evidence"), help_text=_("Metadata is removed before storage."))
