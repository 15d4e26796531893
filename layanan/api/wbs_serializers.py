"""Serializers of the WBS API (input of reports, access and messages; shapes of the answers).

Format checks only; the rules (required fields, metadata removal, the code check) live in ``layanan.wbs.services``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from layanan.api.ticket_serializers import PublicFileSerializer, PublicTicketSerializer, TextField, UploadField
from layanan.core.sanitize import text_pattern
from layanan.wbs.models import ViolationType
from layanan.wbs.services import MAX_TEXT
from pesan_cms.openapi import SchemaRules, StrictCharField, without_files
from pesan_cms.patterns import not_blank_pattern

FILES_HELP = _(
    "Evidence (multipart, repeat the field): PDF, JPEG or PNG, checked by content. Metadata (EXIF location and "
    "camera, document author) is removed before storage; file names are replaced by bukti-1, bukti-2, …"
)


class _FilesMixin(serializers.Serializer):
    files = serializers.ListField(label=_("Files"), child=UploadField(), required=False, help_text=FILES_HELP)
    attachments = serializers.ListField(
        label=_("Files"), child=UploadField(), required=False, help_text=_("Alias of `files`.")
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        attrs["files"] = list(attrs.get("files") or []) + list(attrs.pop("attachments", None) or [])
        return attrs


def _text(label, *, required=False, help_text="", max_length=MAX_TEXT):
    return TextField(
        label=label,
        required=required,
        allow_blank=not required,
        max_length=max_length,
        help_text=help_text,
        trim_whitespace=True,
    )


class WbsReportSerializer(_FilesMixin):
    """A whistleblowing report (Permenko Marves 3/2022). Identity (``name``, ``contact``, ``email``) is
    optional and never required; leave it out to stay anonymous."""

    violation_type = serializers.ChoiceField(
        label=_("Violation type"),
        choices=ViolationType.choices,
        help_text=_(
            "The KPK's seven corruption groups, abuse of authority, breach of discipline/ethics, "
            "conflict of interest or administrative violation (GET /api/v2/wbs/violation-types/)."
        ),
    )
    what = _text(_("What happened"), required=True)
    where = _text(_("Where"), max_length=1000)
    when = _text(_("When"), max_length=1000, help_text=_("Free text: a date, a period, or “since March 2026”."))
    who = _text(_("Who (reported party)"), help_text=_("Name and/or position of the person(s) reported."))
    unit = _text(_("Unit of the reported party"), max_length=1000)
    how = _text(_("How"), help_text=_("How it was done, and how you know about it."))
    name = _text(_("Your name (optional)"), max_length=255)
    contact = _text(_("Your contact (optional)"), max_length=255, help_text=_("Phone or any other means; optional."))
    email = serializers.EmailField(
        label=_("Your e-mail (optional)"),
        required=False,
        allow_blank=True,
        max_length=254,
        help_text=_("Only for notices that there is news (never the content). Leave it empty to get none."),
    )
    channel = serializers.ChoiceField(
        label=_("Channel"), choices=[("web", "web"), ("api", "api")], default="web", required=False
    )


#: A text that is not blank (``layanan.core.sanitize.BLANK_CATEGORIES``).
VISIBLE = {"type": "string", "pattern": text_pattern(allow_blank=False)}
#: ``code``: 32 digits (spaces, dots and dashes ignored; ``layanan.wbs.receipt.parse_code``) or blank. The last
#: digit is a Damm check digit, which no pattern can state: a mistyped code is a 400.
CODE_PATTERN = "^(?: +|[ .\\-]*(?:[0-9][ .\\-]*){32})$"
#: The key (``validate``): a code, or a tracking number with its access token.
ACCESS_RULE = {
    "anyOf": [
        {"required": ["code"], "properties": {"code": {"type": "string", "pattern": "[0-9]"}}},
        {
            "required": ["tracking_number", "access_token"],
            "properties": {
                "tracking_number": {"type": "string", "pattern": not_blank_pattern()},
                "access_token": {"type": "string", "pattern": not_blank_pattern()},
            },
        },
    ]
}


@extend_schema_field({"type": "string", "maxLength": 80, "pattern": CODE_PATTERN})
class ReceiptCodeField(StrictCharField):
    """The receipt code as typed (see :data:`CODE_PATTERN`)."""


class WbsAccessSerializer(SchemaRules, serializers.Serializer):
    """The reporter's key: the receipt ``code`` — or, for a report transferred in from SP4N-LAPOR, the LAPOR
    ``tracking_number`` with its ``access_token``. Always in the request BODY, never in the URL."""

    schema_rules = ACCESS_RULE

    code = ReceiptCodeField(
        label=_("Receipt code"),
        required=False,
        allow_blank=True,
        max_length=80,
        help_text=_("32 digits; spaces and dashes are ignored."),
    )
    tracking_number = StrictCharField(required=False, allow_blank=True, max_length=32)
    access_token = StrictCharField(required=False, allow_blank=True, max_length=128)

    default_error_messages = {"missing": _("Enter your receipt code.")}

    def validate(self, attrs):
        if not attrs.get("code") and not (attrs.get("tracking_number") and attrs.get("access_token")):
            raise serializers.ValidationError({"code": [self.error_messages["missing"]]})
        return attrs


class WbsMessageSerializer(WbsAccessSerializer, _FilesMixin):
    """A message from the reporter: the key (see ``WbsAccessSerializer``), ``text`` and optional ``files``; a
    text or at least one file (``layanan.wbs.services.add_reporter_message``)."""

    schema_rules = {
        "allOf": [
            ACCESS_RULE,
            {
                "anyOf": [
                    {"required": ["text"], "properties": {"text": VISIBLE}},
                    {"required": ["files"], "properties": {"files": {"minItems": 1}}},
                    {"required": ["attachments"], "properties": {"attachments": {"minItems": 1}}},
                ]
            },
        ]
    }

    text = TextField(label=_("Message"), required=False, allow_blank=True, max_length=MAX_TEXT)

    def validate(self, attrs):
        attrs = WbsAccessSerializer.validate(self, attrs)
        attrs["files"] = list(attrs.get("files") or []) + list(attrs.pop("attachments", None) or [])
        return attrs


#: The ``application/json`` bodies (no files in JSON; ``pesan_cms.openapi.without_files``).
WbsReportJsonSerializer = without_files(WbsReportSerializer)
WbsMessageJsonSerializer = without_files(
    WbsMessageSerializer,
    schema_rules={
        "allOf": [
            ACCESS_RULE,
            {"required": ["text"], "properties": {"text": VISIBLE}},
        ]
    },
)


# --- answers ------------------------------------------------------------------------------------------------
class CleanedFileSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=_("Neutral name under which the file is stored."))
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text=_("bytes, after metadata removal"))
    metadata_removed = serializers.BooleanField()


class WbsSubmissionResponseSerializer(serializers.Serializer):
    """Answer to a report (201). ``receipt_code`` is shown ONCE and is the only key to the report: the body
    cannot recover it. 32 digits (≈ 83 bits of secret entropy), grouped by four for reading aloud."""

    tracking_number = serializers.CharField()
    receipt_code = serializers.CharField()
    receipt_code_digits = serializers.CharField(help_text=_("The same code without spaces."))
    status = serializers.CharField()
    status_label = serializers.CharField()
    received_at = serializers.DateTimeField()
    acknowledge_due_date = serializers.DateField(help_text=_("Acknowledgement due (WIB date; calendar days)."))
    access_url = serializers.CharField()
    files = CleanedFileSerializer(many=True)
    metadata_notice = serializers.CharField()
    notice = serializers.CharField()


class WbsMessageItemSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    sender = serializers.ChoiceField(choices=[("reporter", "reporter"), ("officer", "officer")])
    sender_label = serializers.CharField()
    action = serializers.CharField()
    action_label = serializers.CharField()
    text = serializers.CharField()
    files = PublicFileSerializer(many=True)


class WbsReporterViewSerializer(PublicTicketSerializer):
    """What the reporter sees with the code: status, public timeline, message thread (both directions)."""

    messages = WbsMessageItemSerializer(many=True)
    metadata_notice = serializers.CharField()


class WbsViolationTypeSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    corruption_group = serializers.BooleanField(help_text=_("One of the KPK's seven groups of corruption."))
