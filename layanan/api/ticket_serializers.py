"""Serializers of the public ticket API (input validation of submissions; public status output).

Format checks here use the shared validators of ``layanan.core.intake``; cross-field and domain rules (same
applicant, objection window) run in the intake functions, so the API and the operator desk agree.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from layanan.core.intake import validate_nik, validate_phone, validate_upload
from layanan.core.sanitize import LONG_TEXT_MAX, CleanTextField
from layanan.lapor.models import LaporCategory, LaporDetails
from layanan.ppid.models import OBJECTION_REASONS, PPIDRequestDetails


def _wrap(validator):
    def run(value):
        try:
            return validator(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages)

    return run


class TextField(CleanTextField):
    """Submitted free text (``layanan.core.sanitize.CleanTextField``): Unicode NFC, control and bidi-override
    characters refused with a field message, a text of only invisible characters counts as blank, and always a
    maximum length (default 10,000 characters)."""


class NIKField(serializers.CharField):
    """16-digit NIK (spaces, dots and dashes allowed in input); returned normalised."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not value:
            return value
        return _wrap(validate_nik)(value)


class PhoneField(serializers.CharField):
    """Indonesian phone number (``08…``, ``62…`` or ``+62…``)."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not value:
            return value
        return _wrap(validate_phone)(value)


class UploadField(serializers.FileField):
    """A PDF/JPEG/PNG (by content; setting ``PESAN_ATTACHMENT_TYPES``) up to ``PESAN_ATTACHMENT_MAX_BYTES``."""

    def to_internal_value(self, data):
        upload = super().to_internal_value(data)
        return _wrap(validate_upload)(upload)


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}], "description": "category id or slug"})
class CategoryField(serializers.Field):
    """A LAPOR category given by id or slug (see ``GET /api/v2/lapor/categories/``)."""

    default_error_messages = {"unknown": _("Unknown category.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, str)):
            self.fail("unknown")
        queryset = LaporCategory.objects.filter(active=True)
        value = str(data).strip()
        # ASCII digits only: str.isdigit() also accepts "²" or "١٢", which int() refuses or reads as another id.
        if value.isascii() and value.isdigit():
            pk = int(value)
            category = queryset.filter(pk=pk).first() if pk < 2**63 else None
        else:
            category = queryset.filter(slug=value[:255]).first()
        if category is None:
            self.fail("unknown")
        return category

    def to_representation(self, value):
        return value.pk


class _ApplicantMixin(serializers.Serializer):
    name = TextField(label=_("Full name"), max_length=255)
    email = serializers.EmailField(label=_("E-mail"), required=False, allow_blank=True)
    phone = PhoneField(label=_("Phone"), required=False, allow_blank=True, max_length=32)
    attachments = serializers.ListField(
        label=_("Attachments"),
        child=UploadField(),
        required=False,
        help_text=_("Supporting files (multipart): PDF, JPEG or PNG, checked by content; size limit per file."),
    )
    channel = serializers.ChoiceField(
        label=_("Channel"), choices=[("web", "web"), ("api", "api")], default="web", required=False
    )


class PPIDRequestSubmissionSerializer(_ApplicantMixin):
    """A public-information request (SLIP form, Perki 1/2021; UU 14/2008 Pasal 22)."""

    applicant_type = serializers.ChoiceField(
        label=_("Applicant type"), choices=PPIDRequestDetails.ApplicantType.choices, default="person"
    )
    nik = NIKField(label=_("NIK"), required=False, allow_blank=True, help_text=_("16 digits; required for a person."))
    legal_entity_decree = TextField(
        label=_("Legalisation decree number"),
        required=False,
        allow_blank=True,
        max_length=128,
        help_text=_("Required for a legal entity."),
    )
    address = TextField(label=_("Address"), max_length=1000)
    occupation = TextField(label=_("Occupation"), required=False, allow_blank=True, max_length=128)
    is_proxy = serializers.BooleanField(label=_("Filed by a proxy"), default=False, required=False)
    power_of_attorney = UploadField(label=_("Power of attorney"), required=False, allow_null=True)
    information_requested = TextField(label=_("Information requested"), max_length=LONG_TEXT_MAX)
    purpose = TextField(label=_("Purpose of use"), max_length=2000)
    obtain_method = serializers.ChoiceField(label=_("How to obtain"), choices=PPIDRequestDetails.ObtainMethod.choices)
    delivery_method = serializers.ChoiceField(
        label=_("How to receive"), choices=PPIDRequestDetails.DeliveryMethod.choices
    )


class ObjectionSubmissionSerializer(_ApplicantMixin):
    """An objection (keberatan) to one of the applicant's requests (UU 14/2008 Pasal 35–36)."""

    request_tracking_number = TextField(
        label=_("Registration number of the request"),
        max_length=32,
        normal_form="NFKC",
        help_text=_("e.g. PPID-2026-000123"),
    )
    reason = serializers.ChoiceField(label=_("Reason (Pasal 35(1))"), choices=OBJECTION_REASONS.choices)
    description = TextField(label=_("Case and grounds of the objection"), max_length=LONG_TEXT_MAX)
    nik = NIKField(
        label=_("NIK"),
        required=False,
        allow_blank=True,
        help_text=_("The NIK given in the request (or give the same e-mail)."),
    )


class LaporSubmissionSerializer(_ApplicantMixin):
    """An SP4N-LAPOR report: aspiration, complaint or information request (Perpres 76/2013)."""

    title = TextField(label=_("Title"), max_length=255)
    description = TextField(label=_("Description"), max_length=LONG_TEXT_MAX)
    classification = serializers.ChoiceField(label=_("Classification"), choices=LaporDetails.Classification.choices)
    category = CategoryField(label=_("Category"), required=False, allow_null=True)
    location = TextField(label=_("Location"), required=False, allow_blank=True, max_length=255)
    incident_date = serializers.DateField(label=_("Date of incident"), required=False, allow_null=True)
    name = TextField(
        label=_("Full name"),
        max_length=255,
        required=False,
        allow_blank=True,
        help_text=_("Not needed when anonymous."),
    )
    anonymous = serializers.BooleanField(
        label=_("Anonymous"),
        default=False,
        required=False,
        help_text=_(
            "Report without giving who you are (SP4N-LAPOR anonim): no name or contact needed; follow the report "
            "with its tracking number and access token. Any identity you do give is hidden from the unit."
        ),
    )
    confidential = serializers.BooleanField(
        label=_("Confidential"), default=False, required=False, help_text=_("Never publish this report.")
    )
    nik = NIKField(label=_("NIK"), required=False, allow_blank=True)


class ApplicantReplySerializer(serializers.Serializer):
    """The applicant's reply or completion (``POST /api/v2/tickets/<number>/messages/``)."""

    token = serializers.CharField(
        required=False, allow_blank=True, help_text=_("The access token, when it is not sent in X-Access-Token.")
    )
    text = TextField(label=_("Reply"), max_length=LONG_TEXT_MAX)
    attachments = serializers.ListField(
        label=_("Attachments"),
        child=UploadField(),
        required=False,
        help_text=_("Files (multipart): PDF, JPEG or PNG, checked as for a submission."),
    )


# --- output -------------------------------------------------------------------------------------------------
class SkippedDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField()


class DeadlineSerializer(serializers.Serializer):
    """How the due date was computed (WIB dates; ``unit`` working or calendar days)."""

    counting_from = serializers.DateField()
    due_date = serializers.DateField()
    days = serializers.IntegerField()
    unit = serializers.CharField()
    legal_source = serializers.CharField()
    skipped = SkippedDaySerializer(many=True)
    explanation = serializers.CharField()
    extended = serializers.BooleanField()


class SubmissionResponseSerializer(serializers.Serializer):
    """Answer to a submission (201). ``access_token`` is shown ONCE: store it with the tracking number."""

    tracking_number = serializers.CharField()
    access_token = serializers.CharField()
    service = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    received_at = serializers.DateTimeField()
    due_date = serializers.DateField()
    deadline = DeadlineSerializer()
    status_url = serializers.CharField(help_text=_("The JSON status endpoint (send the token in X-Access-Token)."))
    status_page_url = serializers.CharField(
        help_text=_("The page where a person follows the ticket (PESAN_STATUS_URL; the site's status page).")
    )


class PublicFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text=_("bytes"))
    url = serializers.CharField(help_text=_("Download URL (send the access token too)."))


class PublicTimelineEntrySerializer(serializers.Serializer):
    """One step as the applicant reads it: ``action_label`` is the step's public name (never an officer's
    command), ``status_label`` the public name of the state it led to."""

    at = serializers.DateTimeField()
    action = serializers.CharField()
    action_label = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    note = serializers.CharField()
    files = PublicFileSerializer(many=True)


class PublicTicketSerializer(serializers.Serializer):
    """What the applicant sees with a valid token: status, public timeline, due date, answers, released files.

    Never: NIK or other personal data, internal notes, officers' names, internal files.
    ``details`` depends on the service: PPID ``outcome``/``exemption_ground``/``outcome_reason``/
    ``holding_body``/``cost``; objection ``request_tracking_number``/``reason``/``decision``/
    ``komisi_informasi_deadline``; LAPOR ``classification``/``category``/``location``.
    """

    tracking_number = serializers.CharField()
    service = serializers.CharField()
    service_label = serializers.CharField()
    subject = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(help_text=_("The status as the applicant reads it."))
    status_help = serializers.CharField(help_text=_("One sentence on what happens now (may be empty)."))
    is_open = serializers.BooleanField()
    awaits_reply = serializers.BooleanField(
        help_text=_("The body waits for the applicant: reply with POST /api/v2/tickets/<number>/messages/.")
    )
    received_at = serializers.DateTimeField()
    due_date = serializers.DateField(allow_null=True)
    remaining_working_days = serializers.IntegerField(
        allow_null=True, help_text=_("Working days left (negative when overdue); null when no clock runs.")
    )
    overdue_working_days = serializers.IntegerField(help_text=_("Working days past the due date (0 if not)."))
    extended = serializers.BooleanField()
    extension_reason = serializers.CharField()
    deadline_explanation = serializers.CharField()
    details = serializers.DictField()
    answers = PublicTimelineEntrySerializer(many=True)
    timeline = PublicTimelineEntrySerializer(many=True)
    files = PublicFileSerializer(many=True)


class LaporCategorySerializer(serializers.ModelSerializer):
    """A LAPOR category (``parent`` id or null; ``full_name`` "Parent › Child")."""

    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = LaporCategory
        fields = ["id", "name", "slug", "parent", "full_name"]


__all__ = [
    "LaporCategorySerializer",
    "LaporSubmissionSerializer",
    "ObjectionSubmissionSerializer",
    "PPIDRequestSubmissionSerializer",
    "PublicTicketSerializer",
    "SubmissionResponseSerializer",
]
