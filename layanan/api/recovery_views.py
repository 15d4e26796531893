""" "Forgot my access" on the API: ``POST /api/v2/tickets/access-recovery/`` (``layanan.core.recovery``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from layanan.core.numbering import normalise
from layanan.core.recovery import recovery_wait, request_access
from pesan_cms.openapi import StrictCharField
from pesan_cms.parsers import FormParser, JSONParser, MultiPartParser
from pesan_cms.throttling import TooManyRequests

#: The one answer to every well-formed request, matched or not.
SENT_MESSAGE = _(
    "If the tracking number and the contact match a ticket, a new access link has been sent to the e-mail "
    "address given when it was submitted. Once it is sent, the old access token no longer works."
)


class AccessRecoverySerializer(serializers.Serializer):
    """Tracking number + the e-mail address or phone number given when filing."""

    tracking_number = StrictCharField(max_length=32, help_text="e.g. PPID-2026-000123")
    contact = StrictCharField(max_length=254, help_text="The e-mail address or phone number on file.")


class AccessRecoveryView(APIView):
    """``POST /api/v2/tickets/access-recovery/`` — "forgot my access".

    Body ``{"tracking_number": "PPID-2026-000123", "contact": "warga@example.id"}`` (JSON or form). Always
    **202** ``{"detail": "..."}`` for a well-formed body, whether or not the number exists and the contact
    matches (no oracle); the matching, the new token (the old one stops working) and the e-mail with the
    one-click status link happen in the background (``layanan.core.recovery``). 400 with field messages for a
    missing field; 429 over the ``access_recovery`` rate (per client) or ``access_recovery_number`` (per
    tracking number). Whistleblowing (WBS) reports are never recovered this way.
    """

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes: list = []  # both limits are counted by recovery_wait, after the body is read
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        summary="Forgot my access: send a new access link",
        request=AccessRecoverySerializer,
        responses={
            202: inline_serializer("AccessRecoveryAccepted", {"detail": serializers.CharField()}),
            400: OpenApiResponse(description="A field is missing or too long (field messages)."),
            429: OpenApiResponse(description="Too many requests from this client or about this number."),
        },
        tags=["layanan"],
        auth=[],
    )
    def post(self, request):
        serializer = AccessRecoverySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        number = normalise(serializer.validated_data["tracking_number"])
        wait = recovery_wait(request, number, serializer.validated_data["contact"])
        if wait is not None:
            raise TooManyRequests(wait)
        request_access(number, serializer.validated_data["contact"])
        return Response({"detail": str(SENT_MESSAGE)}, status=status.HTTP_202_ACCEPTED)
