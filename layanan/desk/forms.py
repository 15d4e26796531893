"""Forms of the operator desk: action forms built from the workflow's input specs, and registration forms
for walk-in / phone / post / e-mail submissions (validated with the same validators as the public API)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from layanan.core.intake import validate_nik, validate_phone, validate_upload
from layanan.core.models.tickets import Channel
from layanan.core.workflow import Transition
from layanan.lapor.models import LaporCategory, LaporDetails
from layanan.ppid.models import OBJECTION_REASONS, PPIDRequestDetails
from layanan.social.models import Platform
from layanan.wbs.models import ViolationType

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


def action_form_class(transition: Transition, ticket) -> type[forms.Form]:
    """A Django form with one field per input of ``transition`` (+ files when the action takes them).

    Values are validated again by ``apply_transition``; the form only gives the officer the right widgets.
    """
    fields: dict[str, forms.Field] = {}
    for spec in transition.inputs:
        common = {"label": spec.label, "required": spec.required, "help_text": spec.help_text}
        if spec.kind in ("choice", "unit", "category"):
            choices = [("", "---------"), *spec.get_choices()]
            field = forms.ChoiceField(choices=choices, **common)
        elif spec.kind == "user":
            users = get_user_model().objects.filter(is_active=True, is_staff=True)
            if ticket.unit_id:
                users = get_user_model().objects.filter(is_active=True, unit_memberships__unit=ticket.unit_id)
            field = forms.ModelChoiceField(queryset=users.order_by("username"), **common)
        elif spec.kind == "date":
            field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        elif spec.kind == "decimal":
            field = forms.DecimalField(min_value=0, decimal_places=0, **common)
        elif spec.kind == "bool":
            common["required"] = False
            field = forms.BooleanField(**common)
        else:
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
        fields[spec.name] = field
    if transition.allows_files:
        fields["files"] = MultipleUploadField(
            label=_("Files"),
            help_text=_("PDF, JPEG or PNG. Released to the applicant when the step is visible to them."),
        )
    return type(f"{transition.action.title()}Form", (forms.Form,), fields)


class _ApplicantForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=OFFICER_CHANNELS)
    name = forms.CharField(label=_("Full name"), max_length=255)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)
    attachments = MultipleUploadField(label=_("Attachments"))

    def clean_phone(self):
        value = self.cleaned_data.get("phone")
        return validate_phone(value) if value else value

    def clean_nik(self):
        value = self.cleaned_data.get("nik")
        return validate_nik(value) if value else value


class PPIDRequestRegisterForm(_ApplicantForm):
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


class ObjectionRegisterForm(_ApplicantForm):
    """Objection received at the desk (UU 14/2008 Pasal 35–36)."""

    request_tracking_number = forms.CharField(label=_("Registration number of the request"), max_length=32)
    reason = forms.ChoiceField(label=_("Reason (Pasal 35(1))"), choices=OBJECTION_REASONS.choices)
    description = forms.CharField(label=_("Case and grounds"), widget=forms.Textarea(attrs={"rows": 4}))
    nik = forms.CharField(label=_("NIK"), required=False, max_length=32)


class LaporRegisterForm(_ApplicantForm):
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


class SocialRegisterForm(forms.Form):
    """A social-media message typed in by an operator (e.g. a direct message read in the platform's app)."""

    platform = forms.ChoiceField(label=_("Platform"), choices=Platform.choices)
    account_handle = forms.CharField(label=_("Official account"), required=False, max_length=128)
    author_handle = forms.CharField(label=_("Author"), required=False, max_length=128)
    message_id = forms.CharField(
        label=_("Message id"),
        required=False,
        max_length=191,
        help_text=_("If known: the same message is then never recorded twice."),
    )
    permalink = forms.URLField(label=_("Permalink"), required=False, max_length=500, assume_scheme="https")
    posted_at = forms.DateTimeField(
        label=_("Posted at"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    attachment_urls = forms.CharField(
        label=_("Attachment URLs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One URL per line; they are stored as links, not downloaded."),
    )

    def clean_attachment_urls(self):
        return [line.strip() for line in (self.cleaned_data.get("attachment_urls") or "").splitlines() if line.strip()]


REGISTER_FORMS = {
    "ppid_request": PPIDRequestRegisterForm,
    "objection": ObjectionRegisterForm,
    "lapor": LaporRegisterForm,
    "wbs": WbsRegisterForm,
    "social": SocialRegisterForm,
}
