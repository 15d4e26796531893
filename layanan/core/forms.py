"""Form pieces shared by the desk's registration forms of every service: the channels an officer records
(walk-in, phone, post, e-mail), a multiple-file upload field, and the applicant's contact fields."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from layanan.core.intake import validate_nik, validate_phone, validate_upload
from layanan.core.models.tickets import Channel

#: Channels an officer records (web/API submissions come through the public API).
OFFICER_CHANNELS = [
    (c.value, c.label) for c in (Channel.WALK_IN, Channel.PHONE, Channel.POST, Channel.EMAIL, Channel.SOCIAL_MEDIA)
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleUploadField(forms.FileField):
    """Several files in one input; each checked by content and size (``layanan.core.intake.validate_upload``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        checked, errors = [], []
        for upload in files:
            try:
                checked.append(validate_upload(upload))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        if self.required and not checked:
            raise ValidationError(self.error_messages["required"], code="required")
        return checked


class ApplicantForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=OFFICER_CHANNELS)
    name = forms.CharField(label=_("Full name"), max_length=255)
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)
    attachments = MultipleUploadField(label=_("Attachments"))

    def clean_phone(self):
        value = self.cleaned_data.get("phone")
        return validate_phone(value) if value else value

    def clean_nik(self):
        value = self.cleaned_data.get("nik")
        return validate_nik(value) if value else value
