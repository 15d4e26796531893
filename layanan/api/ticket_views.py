"""Public ticket endpoints: submissions (PPID request, objection, LAPOR report), token-protected status and
released files, LAPOR categories. Thin views: the rules live in ``layanan.core.intake`` and ``layanan.core.public``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from home.absolute_urls import absolute_url
from layanan.api.ticket_serializers import (
    ApplicantReplyJsonSerializer,
    ApplicantReplySerializer,
    LaporCategorySerializer,
    LaporJsonSerializer,
    LaporSubmissionSerializer,
    ObjectionJsonSerializer,
    ObjectionSubmissionSerializer,
    PPIDRequestJsonSerializer,
    PPIDRequestSubmissionSerializer,
    PublicTicketSerializer,
    SubmissionResponseSerializer,
)
from layanan.core.conf import api_base_url
from layanan.core.deadlines import derive_deadline
from layanan.core.notifications import status_url
from layanan.core.public import attachment_response, find_ticket_for_token, public_ticket_data, released_attachment
from layanan.core.workflow import ReplyNotAwaited, TransitionError, applicant_reply
from layanan.lapor import intake as lapor_intake
from layanan.lapor.models import LaporCategory
from layanan.ppid import intake as ppid_intake
from pesan_cms.openapi import StrictCharField
from pesan_cms.parsers import FormParser, JSONParser, MultiPartParser
from pesan_cms.throttling import LookupThrottle, SubmissionThrottle

NOT_FOUND_MESSAGE = _("Ticket not found, or the access token does not match.")

ERROR_EXAMPLE = OpenApiExample(
    "Validation errors",
    value={"nik": ["NIK harus terdiri atas 16 digit angka."], "email": ["Masukkan alamat email yang valid."]},
    response_only=True,
    status_codes=["400"],
)
TOKEN_PARAMS = [
    OpenApiParameter(
        "X-Access-Token",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        required=False,
        description="Access token returned once at submission. Never in the query string (URLs land in access "
        "logs); where a header cannot be sent, POST it as `token` in the body.",
    ),
]
TOKEN_BODY = inline_serializer(
    "AccessTokenBody",
    fields={"token": StrictCharField(help_text="Access token returned once at submission.")},
)


#: One instance per output serializer class and process (see :func:`render`).
_renderers: dict = {}


def render(serializer_class, data: dict) -> dict:
    """``serializer_class(data).data`` without building the serializer's fields again for every answer.

    DRF deep-copies every declared field (and those of nested serializers) each time a serializer is created —
    about a third of the CPU of a status lookup (issue 9). Output serializers keep no per-call state, so one
    instance per class is made once per process and its ``to_representation`` reused: the same JSON as
    ``.data`` (``tests/layanan/test_hot_paths.py`` compares them)."""
    serializer = _renderers.get(serializer_class)
    if serializer is None:
        serializer = _renderers.setdefault(serializer_class, serializer_class())
    return serializer.to_representation(data)


def submission_response(submission, request) -> dict:
    """Shape of a 201 answer (``SubmissionResponseSerializer``). The deadline is the one computed at
    registration (``Submission.deadline``); it is derived again only when the submission carries none."""
    ticket = submission.ticket
    base, extension = getattr(submission, "deadline", None) or derive_deadline(ticket)
    return {
        "tracking_number": ticket.tracking_number,
        "access_token": submission.access_token,
        "service": ticket.service,
        "status": ticket.status,
        "status_label": ticket.status_label,
        "received_at": ticket.received_at,
        "due_date": ticket.due_date,
        "deadline": {
            "counting_from": base.counting_from,
            "due_date": ticket.due_date,
            "days": base.days,
            "unit": base.unit,
            "legal_source": base.legal_source,
            "skipped": [{"date": s.date, "name": s.name} for s in base.skipped],
            "explanation": ticket.deadline_explanation,
            "extended": extension is not None,
        },
        # for a client: the JSON status endpoint (send the token in X-Access-Token); for a person: the page
        "status_url": api_base_url() + reverse("layanan-ticket-status", args=[ticket.tracking_number]),
        "status_page_url": status_url(ticket),
    }


class _SubmissionView(APIView):
    """Common POST handling: validate the serializer, register through the intake function, answer 201."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [SubmissionThrottle]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = None
    submit = None

    def post(self, request, *args, **kwargs):
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        files = data.pop("attachments", []) or []
        channel = data.pop("channel", "web") or "web"
        try:
            submission = type(self).submit(data, files=files, channel=channel)
        except DjangoValidationError as exc:
            raise ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            )
        body = render(SubmissionResponseSerializer, submission_response(submission, request))
        return Response(body, status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"})


def _submission_schema(summary: str, description: str, serializer, json_serializer):
    """The schema of a submission: ``serializer`` (multipart, files included) and its ``json_serializer``
    variant (``pesan_cms.openapi.without_files``), both with their cross-field rules."""
    return extend_schema(
        summary=summary,
        description=description,
        request={"application/json": json_serializer, "multipart/form-data": serializer},
        responses={
            201: SubmissionResponseSerializer,
            400: OpenApiResponse(description="Per-field messages (Indonesian by default)."),
            429: OpenApiResponse(description="Too many submissions (throttle scope `submission`)."),
            503: OpenApiResponse(description="Database unavailable: nothing was saved; retry after `Retry-After` s."),
        },
        examples=[ERROR_EXAMPLE],
        tags=["layanan"],
        auth=[],
    )


class PPIDRequestCreateView(_SubmissionView):
    """``POST /api/v2/ppid/requests/`` — file a public-information request (UU 14/2008 Pasal 22).

    JSON or multipart (``attachments`` repeated; ``power_of_attorney`` when ``is_proxy``). Answers 201 with the
    tracking number (``PPID-YYYY-NNNNNN``), the access token (shown once), the due date (10 working days,
    Pasal 22(7), WIB) and its explanation. 400 with per-field messages; nothing stored on error.
    """

    serializer_class = PPIDRequestSubmissionSerializer
    submit = staticmethod(ppid_intake.submit_ppid_request)

    @_submission_schema(
        "File a public-information request",
        "Person: `nik` (16 digits). Legal entity: `applicant_type=legal_entity` + `legal_entity_decree`. "
        "E-mail or phone required. Due date: 10 working days from receipt (UU 14/2008 Pasal 22(7)); a "
        "submission after office hours (WIB) or on a non-working day counts from the next working day.",
        PPIDRequestSubmissionSerializer,
        PPIDRequestJsonSerializer,
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class ObjectionCreateView(_SubmissionView):
    """``POST /api/v2/ppid/objections/`` — file an objection (keberatan, UU 14/2008 Pasal 35–36).

    ``request_tracking_number`` must be a request of the same applicant (same NIK or e-mail as in the request);
    filed within 30 working days of the decision (or of the due date of an unanswered request). 201 with
    ``KEB-YYYY-NNNNNN``, token and due date (30 WD, Pasal 36(2)); 400 names the last allowed date when late.
    """

    serializer_class = ObjectionSubmissionSerializer
    submit = staticmethod(ppid_intake.submit_objection)

    @_submission_schema(
        "File an objection to a request",
        "Reasons `a`–`g` of UU 14/2008 Pasal 35(1). The request must be the applicant's own and the objection "
        "filed within 30 working days (Pasal 36(1)).",
        ObjectionSubmissionSerializer,
        ObjectionJsonSerializer,
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class LaporReportCreateView(_SubmissionView):
    """``POST /api/v2/lapor/reports/`` — file an SP4N-LAPOR report (aspiration, complaint, information request).

    ``anonymous`` hides the reporter from the unit handling it; ``confidential`` keeps it from every public
    output. 201 with ``LAPOR-YYYY-NNNNNN``, token, and the verification due date (3 WD, setting).
    """

    serializer_class = LaporSubmissionSerializer
    submit = staticmethod(lapor_intake.submit_lapor_report)

    @_submission_schema(
        "File an SP4N-LAPOR report",
        "`classification`: aspirasi, pengaduan or permintaan_informasi; `category`: id or slug from "
        "`/api/v2/lapor/categories/`.",
        LaporSubmissionSerializer,
        LaporJsonSerializer,
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


def _token(request) -> str:
    """The access token of a look-up: the ``X-Access-Token`` header, or ``token`` in a POST body. A token in
    the query string is ignored (issue 15: it would be written to every access log on the way)."""
    header = request.headers.get("X-Access-Token")
    if header:
        return header
    if request.method == "POST" and hasattr(request.data, "get"):
        return str(request.data.get("token") or "")
    return ""


class _TokenLookupView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LookupThrottle]

    def get_ticket(self, request, tracking_number):
        ticket = find_ticket_for_token(tracking_number, _token(request))
        if ticket is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        return ticket


class TicketStatusView(_TokenLookupView):
    """``GET /api/v2/tickets/<tracking_number>/`` — the applicant's view of a ticket, with the access token.

    Token in the ``X-Access-Token`` header (``GET``), or ``{"token": ...}`` in the body (``POST``; never in the
    query string). Returns status, applicant-visible timeline, due date
    (WIB date), answers and released files. An unknown number and a wrong token both answer 404 with the same
    body. Throttle scope ``lookup``.
    """

    @extend_schema(
        summary="Ticket status for the applicant",
        parameters=TOKEN_PARAMS,
        responses={200: PublicTicketSerializer, 404: OpenApiResponse(description="Unknown number or wrong token.")},
        tags=["layanan"],
        auth=[],
    )
    def get(self, request, tracking_number):
        ticket = self.get_ticket(request, tracking_number)
        requested = tracking_number  # after a transfer the files are fetched with the number the token belongs to

        def file_url(ticket, attachment, request):
            path = reverse("layanan-ticket-file", args=[requested, attachment.pk])
            return absolute_url(path)

        data = render(PublicTicketSerializer, public_ticket_data(ticket, request, file_url=file_url))
        return Response(data, headers={"Cache-Control": "no-store"})

    @extend_schema(
        summary="Ticket status for the applicant (token in the body)",
        request=TOKEN_BODY,
        responses={200: PublicTicketSerializer, 404: OpenApiResponse(description="Unknown number or wrong token.")},
        tags=["layanan"],
        auth=[],
    )
    def post(self, request, tracking_number):
        return self.get(request, tracking_number)


class TicketMessageView(_TokenLookupView):
    """``POST /api/v2/tickets/<tracking_number>/messages/`` — the applicant answers the body's question or sends
    what their request lacked (PPID "needs completion", LAPOR "awaiting the reporter's reply"), with files.

    Token in ``X-Access-Token`` or ``token`` in the body. The ticket leaves its waiting state through the
    service's own transition (``layanan.core.workflow.applicant_reply``), the handling unit or officers are told.
    Answers 201 with the ticket as ``GET /api/v2/tickets/<number>/`` shows it; 404 for an unknown number or a
    wrong token; 409 when the ticket is not waiting for a reply; 400 with field messages for empty text or a
    refused file. Nothing is stored on any error. Throttle scope ``submission``.
    """

    parser_classes = [JSONParser, MultiPartParser, FormParser]
    throttle_classes = [SubmissionThrottle]

    @extend_schema(
        summary="Reply to the body or complete a request",
        parameters=TOKEN_PARAMS,
        request={"application/json": ApplicantReplyJsonSerializer, "multipart/form-data": ApplicantReplySerializer},
        responses={
            201: PublicTicketSerializer,
            400: OpenApiResponse(description="Empty text or a refused file (field messages)."),
            404: OpenApiResponse(description="Unknown number or wrong token."),
            409: OpenApiResponse(description="The ticket is not waiting for a reply."),
        },
        tags=["layanan"],
        auth=[],
    )
    def post(self, request, tracking_number):
        ticket = self.get_ticket(request, tracking_number)
        serializer = ApplicantReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            updated = applicant_reply(ticket, data["text"], files=data.get("attachments") or [])
        except ReplyNotAwaited as exc:
            return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
        except TransitionError as exc:
            errors = {("attachments" if k == "files" else k): [v] for k, v in exc.errors.items()}
            raise ValidationError(errors or {"text": [exc.message]}) from None
        data = render(PublicTicketSerializer, public_ticket_data(updated, request))
        return Response(data, status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"})


FILE_RESPONSES = {
    (200, "application/octet-stream"): OpenApiTypes.BINARY,
    404: OpenApiResponse(description="Not found."),
}


class TicketFileView(_TokenLookupView):
    """``GET /api/v2/tickets/<tracking_number>/files/<id>/`` — download a file released to the applicant
    (``POST`` with ``{"token": ...}`` where a header cannot be sent).

    Same token rules as the status endpoint; files not released to the applicant answer 404.
    """

    @extend_schema(
        summary="Download a released file",
        parameters=TOKEN_PARAMS,
        responses=FILE_RESPONSES,
        tags=["layanan"],
        auth=[],
    )
    def get(self, request, tracking_number, file_id):
        ticket = self.get_ticket(request, tracking_number)
        attachment = released_attachment(ticket, file_id)
        if attachment is None:
            raise NotFound(NOT_FOUND_MESSAGE)
        return attachment_response(attachment, no_store=True)

    @extend_schema(
        summary="Download a released file (token in the body, e.g. from a form)",
        request=TOKEN_BODY,
        responses=FILE_RESPONSES,
        tags=["layanan"],
        auth=[],
    )
    def post(self, request, tracking_number, file_id):
        return self.get(request, tracking_number, file_id)


class LaporCategoryListView(generics.ListAPIView):
    """``GET /api/v2/lapor/categories/`` — active SP4N-LAPOR categories (flat; ``parent`` gives the tree)."""

    permission_classes = [AllowAny]
    serializer_class = LaporCategorySerializer
    pagination_class = None
    queryset = LaporCategory.objects.filter(active=True).select_related("parent")

    @extend_schema(summary="SP4N-LAPOR categories", tags=["layanan"], auth=[])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
