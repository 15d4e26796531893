"""Serializers of the public ticket API (input validation of submissions; public status output).

Format checks here use the shared validators of ``layanan.core.intake``; cross-field and domain rules (same
applicant, objection window) run in the intake functions, so the API and the operator desk agree.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import SkipField

from layanan.core.intake import validate_nik, validate_phone, validate_upload
from layanan.core.sanitize import LONG_TEXT_MAX, CleanTextField, text_pattern
from layanan.lapor import intake as lapor_intake
from layanan.lapor.models import LaporCategory, LaporDetails
from layanan.ppid import intake as ppid_intake
from layanan.ppid.models import OBJECTION_REASONS, PPIDRequestDetails
from pesan_cms.openapi import NotFutureDateField, SchemaRules, StrictBooleanField, StrictCharField, without_files
from pesan_cms.patterns import alternation

#: What NIKField and PhoneField accept (``validate_nik``, ``validate_phone``; the separators they ignore; a NIK
#: of spaces is blank): OpenAPI ``pattern`` keywords (ASCII separators only: the tidy subset of what is read).
#: The empty string is added by drf-spectacular (``allow_blank``).
NIK_PATTERN = "^(?: +|[ .\\-]*(?:[0-9][ .\\-]*){16})$"
_SEP = "[ ().\\-]*"
PHONE_PATTERN = f"^{_SEP}(?:\\+{_SEP}6{_SEP}2|6{_SEP}2|0)(?:{_SEP}[0-9]){{7,13}}{_SEP}$"


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


class CleanTextFieldSchema(OpenApiSerializerFieldExtension):
    """OpenAPI schema of a ``CleanTextField`` in a request: its ``maxLength`` and the ``pattern`` of what it
    accepts (``layanan.core.sanitize.text_pattern``), so a text the API refuses is one the schema forbids."""

    target_class = CleanTextField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["pattern"] = text_pattern(allow_blank=self.target.allow_blank)
        return schema


@extend_schema_field({"type": "string", "pattern": NIK_PATTERN})
class NIKField(StrictCharField):
    """16-digit NIK (spaces, dots and dashes allowed in input); returned normalised."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not value:
            return value
        return _wrap(validate_nik)(value)


@extend_schema_field({"type": "string", "maxLength": 32, "pattern": PHONE_PATTERN})
class PhoneField(StrictCharField):
    """Indonesian phone number (``08…``, ``62…`` or ``+62…``; spaces, dashes, dots and brackets ignored), at
    most 32 characters as sent (not trimmed first: the length the schema states is the length checked)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)  # the value sent, not the digits kept
        value = super().to_internal_value(data)
        if not value:
            return value
        return _wrap(validate_phone)(value)


class UploadField(serializers.FileField):
    """A PDF/JPEG/PNG (by content; setting ``PESAN_ATTACHMENT_TYPES``) up to ``PESAN_ATTACHMENT_MAX_BYTES``."""

    def to_internal_value(self, data):
        upload = super().to_internal_value(data)
        return _wrap(validate_upload)(upload)


class CategoryField(serializers.Field):
    """A LAPOR category given by id or slug (see ``GET /api/v2/lapor/categories/``)."""

    default_error_messages = {"unknown": _("Unknown category.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, str)):
            self.fail("unknown")
        queryset = LaporCategory.objects.filter(active=True)
        value = str(data).strip()
        if not value.isascii() and any("\ud800" <= c <= "\udfff" for c in value):
            self.fail("unknown")  # a lone surrogate cannot be a slug, nor reach the database
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


class CategoryFieldSchema(OpenApiSerializerFieldExtension):
    """``category``: the id (a number, or its digits as text) or the slug of an active category, read when the
    schema is generated (an unknown one is a 400)."""

    target_class = CategoryField

    def map_serializer_field(self, auto_schema, direction):
        try:
            rows = list(LaporCategory.objects.filter(active=True).values_list("pk", "slug"))
        except DatabaseError:  # generated without a database
            rows = []
        if not rows:
            # only null: an integer schema no integer satisfies (an empty enum is not valid OpenAPI)
            return {"type": "integer", "minimum": 1, "maximum": 0, "nullable": True, "description": "none is active"}
        ids = sorted(pk for pk, _slug in rows)
        texts = sorted({slug for _pk, slug in rows} | {str(pk) for pk in ids})
        return {
            "oneOf": [{"type": "integer", "enum": ids}, {"type": "string", "enum": texts}],
            "nullable": self.target.allow_null,
            "description": "category id or slug (GET /api/v2/lapor/categories/)",
        }


#: Cross-field rules as JSON Schema (``pesan_cms.openapi.SchemaRules``), the same as the intake functions'. A
#: choice is narrowed with a ``pattern``, not an ``enum`` (drf-spectacular would name each narrowed enum).
_VISIBLE = {"type": "string", "pattern": text_pattern(allow_blank=False)}
#: ``layanan.core.intake.require_contact``: a (valid) e-mail address or a phone number.
CONTACT_RULE = {
    "anyOf": [
        {"required": ["email"], "properties": {"email": {"type": "string", "minLength": 1}}},
        {"required": ["phone"], "properties": {"phone": {"type": "string", "pattern": "[0-9]"}}},
    ]
}
#: ``check_ppid_request``: a person gives a NIK, a legal entity its decree number.
APPLICANT_RULE = {
    "anyOf": [
        {
            "properties": {
                "applicant_type": {"type": "string", "pattern": "^person$"},
                "nik": {"type": "string", "pattern": "[0-9]"},
            },
            "required": ["nik"],
        },
        {
            "properties": {
                "applicant_type": {"type": "string", "pattern": "^legal_entity$"},
                "legal_entity_decree": _VISIBLE,
            },
            "required": ["applicant_type", "legal_entity_decree"],
        },
    ]
}
_NOT_BY_EMAIL = set(PPIDRequestDetails.DeliveryMethod.values) - {PPIDRequestDetails.DeliveryMethod.EMAIL}
#: ``check_ppid_request``: the information is sent by e-mail only to an e-mail address.
DELIVERY_RULE = {
    "anyOf": [
        {"properties": {"delivery_method": {"type": "string", "pattern": f"^{alternation(_NOT_BY_EMAIL)}$"}}},
        {"required": ["email"], "properties": {"email": {"type": "string", "minLength": 1}}},
    ]
}
#: ``check_ppid_request``: a request filed by a proxy carries the power of attorney (a file: multipart only).
PROXY_RULE = {
    "anyOf": [
        {"properties": {"is_proxy": {"enum": [False]}}},
        {"required": ["power_of_attorney"], "properties": {"power_of_attorney": {"type": "string"}}},
    ]
}


class _CrossFieldRulesMixin:
    """Runs the service's cross-field rules (``cross_check``: an intake ``check_*`` function raising
    ``ValidationError({field: message})``) also when some fields failed their own checks, on the fields that
    passed, so a client or the site form gets every error in one answer (issue 16: NIK and "e-mail or phone" came
    only after everything else was fixed). A field's own error wins over a rule's message for the same field.
    On valid input the intake function runs the rules itself (the desk and the API agree)."""

    cross_check = None

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if self.cross_check is None or not isinstance(exc.detail, dict) or not isinstance(data, Mapping):
                raise  # a body that is not an object (``0``, ``[]``): DRF's own 400, no rule to run
            errors = dict(exc.detail)
            try:
                type(self).cross_check(self._valid_part(data))
            except DjangoValidationError as rules:
                for name, messages in rules.message_dict.items():
                    errors.setdefault(name, messages)
            raise serializers.ValidationError(errors) from None

    def _valid_part(self, data) -> dict:
        """The fields of ``data`` that pass their own checks, validated (those that fail are left out)."""
        part = {}
        for field in self._writable_fields:
            try:
                part[field.field_name] = field.run_validation(field.get_value(data))
            except (serializers.ValidationError, DjangoValidationError, SkipField):
                continue
        return part


class _ApplicantMixin(SchemaRules, _CrossFieldRulesMixin, serializers.Serializer):
    name = TextField(label=_("Full name"), max_length=255)
    email = serializers.EmailField(label=_("E-mail"), required=False, allow_blank=True, max_length=254)
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

    cross_check = staticmethod(ppid_intake.check_ppid_request)
    schema_rules = {"allOf": [CONTACT_RULE, APPLICANT_RULE, DELIVERY_RULE, PROXY_RULE]}

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
    is_proxy = StrictBooleanField(label=_("Filed by a proxy"), default=False, required=False)
    power_of_attorney = UploadField(label=_("Power of attorney"), required=False, allow_null=True)
    information_requested = TextField(label=_("Information requested"), max_length=LONG_TEXT_MAX)
    purpose = TextField(label=_("Purpose of use"), max_length=2000)
    obtain_method = serializers.ChoiceField(label=_("How to obtain"), choices=PPIDRequestDetails.ObtainMethod.choices)
    delivery_method = serializers.ChoiceField(
        label=_("How to receive"), choices=PPIDRequestDetails.DeliveryMethod.choices
    )


class ObjectionSubmissionSerializer(_ApplicantMixin):
    """An objection (keberatan) to one of the applicant's requests (UU 14/2008 Pasal 35–36)."""

    cross_check = staticmethod(ppid_intake.check_objection_fields)
    #: ``check_objection_fields``: the NIK or the e-mail address given in the request; the request's number,
    #: except for reason (b) (periodic information not published), which needs no request.
    schema_rules = {
        "allOf": [
            {
                "anyOf": [
                    {"required": ["nik"], "properties": {"nik": {"type": "string", "pattern": "[0-9]"}}},
                    {"required": ["email"], "properties": {"email": {"type": "string", "minLength": 1}}},
                ]
            },
            {
                "anyOf": [
                    {"required": ["request_tracking_number"], "properties": {"request_tracking_number": _VISIBLE}},
                    {"required": ["reason"], "properties": {"reason": {"enum": ["b"]}}},
                ]
            },
        ]
    }

    request_tracking_number = TextField(
        label=_("Registration number of the request"),
        max_length=32,
        normal_form="NFKC",
        required=False,
        allow_blank=True,
        help_text=_(
            "e.g. PPID-2026-000123. Required, except for reason (b) (periodic information not published), "
            "which needs no request."
        ),
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

    cross_check = staticmethod(lapor_intake.check_lapor_report)
    #: ``check_lapor_report``: unless anonymous, the reporter's name and an e-mail address or phone number.
    schema_rules = {
        "anyOf": [
            {"required": ["anonymous"], "properties": {"anonymous": {"enum": [True]}}},
            {"allOf": [{"required": ["name"], "properties": {"name": _VISIBLE}}, CONTACT_RULE]},
        ]
    }

    title = TextField(label=_("Title"), max_length=255)
    description = TextField(label=_("Description"), max_length=LONG_TEXT_MAX)
    classification = serializers.ChoiceField(label=_("Classification"), choices=LaporDetails.Classification.choices)
    category = CategoryField(label=_("Category"), required=False, allow_null=True)
    location = TextField(label=_("Location"), required=False, allow_blank=True, max_length=255)
    incident_date = NotFutureDateField(label=_("Date of incident"), required=False, allow_null=True)
    name = TextField(
        label=_("Full name"),
        max_length=255,
        required=False,
        allow_blank=True,
        help_text=_("Not needed when anonymous."),
    )
    anonymous = StrictBooleanField(
        label=_("Anonymous"),
        default=False,
        required=False,
        help_text=_(
            "Report without giving who you are (SP4N-LAPOR anonim): no name or contact needed; follow the report "
            "with its tracking number and access token. Any identity you do give is hidden from the unit."
        ),
    )
    confidential = StrictBooleanField(
        label=_("Confidential"), default=False, required=False, help_text=_("Never publish this report.")
    )
    nik = NIKField(label=_("NIK"), required=False, allow_blank=True)


class ApplicantReplySerializer(serializers.Serializer):
    """The applicant's reply or completion (``POST /api/v2/tickets/<number>/messages/``)."""

    token = StrictCharField(
        required=False, allow_blank=True, help_text=_("The access token, when it is not sent in X-Access-Token.")
    )
    text = TextField(label=_("Reply"), max_length=LONG_TEXT_MAX)
    attachments = serializers.ListField(
        label=_("Attachments"),
        child=UploadField(),
        required=False,
        help_text=_("Files (multipart): PDF, JPEG or PNG, checked as for a submission."),
    )


#: The ``application/json`` bodies (no files in JSON; ``pesan_cms.openapi.without_files``): a proxy's request
#: needs its power of attorney, a file, so in JSON ``is_proxy`` is false.
PPIDRequestJsonSerializer = without_files(
    PPIDRequestSubmissionSerializer,
    schema_rules={
        "allOf": [CONTACT_RULE, APPLICANT_RULE, DELIVERY_RULE, {"properties": {"is_proxy": {"enum": [False]}}}]
    },
)
ObjectionJsonSerializer = without_files(ObjectionSubmissionSerializer)
LaporJsonSerializer = without_files(LaporSubmissionSerializer)
ApplicantReplyJsonSerializer = without_files(ApplicantReplySerializer)


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


class PublicDocumentSerializer(serializers.Serializer):
    """A document the body issued by a step (``layanan.core.documents``; UU 14/2008 Pasal 22(7), 36(2))."""

    kind = serializers.CharField(help_text=_("ppid_notice, ppid_refusal or objection_answer."))
    kind_label = serializers.CharField()
    number = serializers.CharField(help_text=_("The document's number, e.g. 0001/PPID-PT/2026."))
    issued_at = serializers.DateTimeField()


class PublicFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text=_("bytes"))
    url = serializers.CharField(help_text=_("Download URL (send the access token too)."))
    document = PublicDocumentSerializer(
        allow_null=True,
        help_text=_("Set when the file is a document the body issued (written notice, refusal decision, answer)."),
    )


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


class NextStepSerializer(serializers.Serializer):
    """One thing the applicant can do next (``layanan.core.public.next_steps``)."""

    code = serializers.CharField()
    label = serializers.CharField()
    explanation = serializers.CharField()
    until = serializers.DateField(allow_null=True)


class PublicTicketSerializer(serializers.Serializer):
    """What the applicant sees with a valid token: status, public timeline, due date, answers, released files.

    Never: NIK or other personal data, internal notes, officers' names, internal files.
    ``details`` depends on the service: PPID ``outcome``/``exemption_ground``/``outcome_reason``/
    ``holding_body``/``cost``/``delivery_due_date``/``delivered_at``; objection ``request_tracking_number``
    (null for reason b without a request)/``reason``/``decision``/``komisi_informasi_deadline``; LAPOR
    ``classification``/``category``/``location``.
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
    can_rate = serializers.BooleanField(
        help_text=_(
            "The ticket is closed and its service is rated: the applicant may rate it once with "
            "POST /api/v2/tickets/<number>/rating/ (PermenPANRB 14/2017)."
        )
    )
    rated = serializers.BooleanField(help_text=_("The applicant has rated the ticket."))
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
    next_steps = NextStepSerializer(
        many=True,
        help_text="What the applicant can do next when an answer is refused, late or missing: `objection` (PPID "
        "request; the objection form with `request_tracking_number` filled in), `komisi_informasi` (objection), "
        "`ombudsman` (LAPOR). `until`: last date (WIB) to take the step, or null.",
    )
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
