"""WBS endpoints: file a report, open it with the receipt code, the reporter's messages and files.

Thin views: the rules live in ``layanan.wbs.services`` (and ``layanan.wbs.receipt``,
``layanan.core.sanitize``). Every path is
under ``/api/v2/wbs/``, which ``layanan.wbs.privacy.WbsPrivacyMiddleware`` scrubs of client address, user agent
and referrer before these views run. The code travels only in POST bodies (URLs end up in logs).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from home.absolute_urls import absolute_url
from layanan.api.wbs_serializers import (
    WbsAccessSerializer,
    WbsMessageJsonSerializer,
    WbsMessageSerializer,
    WbsReporterViewSerializer,
    WbsReportJsonSerializer,
    WbsReportSerializer,
    WbsSubmissionResponseSerializer,
    WbsViolationTypeSerializer,
)
from layanan.core.public import attachment_response, released_attachment
from layanan.core.sanitize import METADATA_NOTICE
from layanan.wbs import receipt
from layanan.wbs import services as wbs
from layanan.wbs.models import CORRUPTION_GROUPS, ViolationType
from layanan.wbs.privacy import WbsAccessThrottle
from layanan.wbs.receipt import MALFORMED_MESSAGE, NOT_FOUND_MESSAGE
from layanan.wbs.throttling import WbsAccessRateThrottle
from pesan_cms.parsers import FormParser, JSONParser, MultiPartParser
from pesan_cms.throttling import SubmissionThrottle

NO_STORE = {"Cache-Control": "no-store"}


def _django_errors(exc: DjangoValidationError) -> dict:
    return exc.message_dict if hasattr(exc, "error_dict") else {"files": exc.messages}


class WbsReportCreateView(APIView):
    """``POST /api/v2/wbs/reports/`` — file a whistleblowing report (JSON or multipart with evidence files).

    Identity is optional. Answers 201 with the tracking number and the **receipt code, shown once** (32 digits
    in groups of 4; ≈ 83 bits of secret entropy; stored only as an argon2id hash, so it cannot be recovered),
    the acknowledgement due date (7 calendar days, a setting) and the metadata notice. 400 with per-field
    messages (Indonesian by default); nothing is stored on error. Throttle scope ``submission``.
    """

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [SubmissionThrottle]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(
        summary="File a whistleblowing (WBS) report",
        description=(
            "Anonymous by default. Keep the `receipt_code`: it is the only way to follow the report and talk "
            "with the Inspektorat, and it cannot be shown again. Evidence files lose their metadata (EXIF, "
            "document author) before storage. No IP address, user agent or referrer is stored."
        ),
        request={"application/json": WbsReportJsonSerializer, "multipart/form-data": WbsReportSerializer},
        responses={
            201: WbsSubmissionResponseSerializer,
            400: OpenApiResponse(description="Per-field messages (Indonesian by default)."),
            429: OpenApiResponse(description="Too many submissions (throttle scope `submission`)."),
        },
        examples=[
            OpenApiExample(
                "Anonymous report",
                value={
                    "violation_type": "bribery",
                    "what": "Permintaan uang pelicin untuk mempercepat izin.",
                    "where": "Loket perizinan lantai 2",
                    "when": "Maret 2026",
                    "who": "Petugas loket",
                },
                request_only=True,
            )
        ],
        tags=["wbs"],
        auth=[],
    )
    def post(self, request):
        serializer = WbsReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        files = data.pop("files", [])
        channel = data.pop("channel", "web") or "web"
        try:
            submission = wbs.submit_wbs_report(data, files=files, channel=channel)
        except DjangoValidationError as exc:
            raise ValidationError(_django_errors(exc))
        ticket = submission.ticket
        body = {
            "tracking_number": ticket.tracking_number,
            "receipt_code": submission.formatted_code,
            "receipt_code_digits": submission.receipt_code,
            "status": ticket.status,
            "status_label": ticket.status_label,
            "received_at": ticket.received_at,
            "acknowledge_due_date": ticket.due_date,
            "access_url": wbs.wbs_status_url(),
            "files": [
                {"name": f.name, "content_type": f.content_type, "size": f.size, "metadata_removed": True}
                for f in submission.files
            ],
            "metadata_notice": str(METADATA_NOTICE),
            "notice": gettext(
                "Write down or save this receipt code now. It is the only key to your report: it cannot be shown "
                "again or recovered, and we will never ask you for it."
            ),
        }
        return Response(WbsSubmissionResponseSerializer(body).data, status=status.HTTP_201_CREATED, headers=NO_STORE)


class _ReporterAccessView(APIView):
    """Resolves the reporter's key; wrong and unknown codes are counted by ``WbsAccessThrottle``."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [WbsAccessRateThrottle]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = WbsAccessSerializer

    def resolve(self, request):
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        attrs = serializer.validated_data
        try:
            ticket = wbs.resolve_reporter_access(
                code=attrs.get("code") or None,
                tracking_number=attrs.get("tracking_number") or None,
                access_token=attrs.get("access_token") or None,
            )
        except receipt.MalformedCode:
            raise ValidationError({"code": [str(MALFORMED_MESSAGE)]})
        if ticket is None:
            for throttle in self.get_throttles():
                if isinstance(throttle, WbsAccessThrottle):
                    throttle.record_failure(request, self)
            raise NotFound(NOT_FOUND_MESSAGE)
        return ticket, attrs

    def file_url(self, ticket, attachment, request):
        return absolute_url(reverse("layanan-wbs-file", args=[attachment.pk]))


ACCESS_RESPONSES = {
    400: OpenApiResponse(description="Missing key, or a mistyped code (check digit)."),
    404: OpenApiResponse(description="No report matches (the same answer for unknown and wrong codes)."),
    429: OpenApiResponse(description="Too many wrong codes from this client (scope `wbs_access`); see Retry-After."),
}


class WbsAccessView(_ReporterAccessView):
    """``POST /api/v2/wbs/access/`` ``{"code": "…"}`` — the report's status, public timeline and message thread.

    A report moved to SP4N-LAPOR answers with the LAPOR report. Wrong codes answer 404 exactly like unknown ones
    and count towards the ``wbs_access`` limit (default 10 per hour per client; 429 with ``Retry-After``).
    """

    @extend_schema(
        summary="Open a WBS report with the receipt code",
        request=WbsAccessSerializer,
        responses={200: WbsReporterViewSerializer, **ACCESS_RESPONSES},
        tags=["wbs"],
        auth=[],
    )
    def post(self, request):
        ticket, _attrs = self.resolve(request)
        data = wbs.reporter_view(ticket, request, file_url=self.file_url)
        return Response(WbsReporterViewSerializer(data).data, headers=NO_STORE)


class WbsMessageCreateView(_ReporterAccessView):
    """``POST /api/v2/wbs/messages/`` ``{"code", "text", "files"}`` — add the reporter's message to the thread.

    Files are checked and stripped of metadata like the evidence of a report. Answers 201 with the whole
    updated view (status, thread). A report waiting for more information returns to initial review.
    """

    serializer_class = WbsMessageSerializer
    throttle_classes = [WbsAccessRateThrottle, SubmissionThrottle]  # a valid code may not flood the thread

    @extend_schema(
        summary="Send a message to the Inspektorat",
        request={"application/json": WbsMessageJsonSerializer, "multipart/form-data": WbsMessageSerializer},
        responses={201: WbsReporterViewSerializer, **ACCESS_RESPONSES},
        tags=["wbs"],
        auth=[],
    )
    def post(self, request):
        ticket, attrs = self.resolve(request)
        try:
            wbs.add_reporter_message(ticket, attrs.get("text") or "", attrs.get("files") or [])
        except DjangoValidationError as exc:
            raise ValidationError(_django_errors(exc))
        ticket.refresh_from_db()
        data = wbs.reporter_view(ticket, request, file_url=self.file_url)
        return Response(WbsReporterViewSerializer(data).data, status=status.HTTP_201_CREATED, headers=NO_STORE)


class WbsFileView(_ReporterAccessView):
    """``POST /api/v2/wbs/files/<id>/`` ``{"code"}`` — download a file of the thread (the reporter's own
    evidence or a file the Inspektorat sent). Same key and limits as ``/wbs/access/``; other files 404."""

    @extend_schema(
        summary="Download a file of the WBS thread",
        request=WbsAccessSerializer,
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **ACCESS_RESPONSES},
        tags=["wbs"],
        auth=[],
    )
    def post(self, request, file_id: int):
        ticket, _attrs = self.resolve(request)
        attachment = released_attachment(ticket, file_id)
        if attachment is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        return attachment_response(attachment, no_store=True)


class WbsViolationTypeListView(APIView):
    """``GET /api/v2/wbs/violation-types/`` — the violation types a report can name (for a form's select)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        summary="WBS violation types",
        responses={200: WbsViolationTypeSerializer(many=True)},
        tags=["wbs"],
        auth=[],
    )
    def get(self, request):
        rows = [
            {"value": value, "label": str(label), "corruption_group": value in CORRUPTION_GROUPS}
            for value, label in ViolationType.choices
        ]
        return Response(WbsViolationTypeSerializer(rows, many=True).data)
