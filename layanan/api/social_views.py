"""Social-media intake endpoint: a connector delivers messages of the official accounts.

``POST /api/v2/social/messages/`` with ``Authorization: Bearer <token>`` (a ``SocialConnector`` created in the
admin; the token is shown once there). Thin view: the rules live in ``layanan.social.services``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from layanan.social import services as social
from layanan.social.models import Platform, SocialConnector
from pesan_cms.parsers import JSONParser


class ConnectorPrincipal:
    """``request.user`` of a request authenticated by a connector token (not a person, no permissions)."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None

    def __init__(self, connector: SocialConnector):
        self.connector = connector

    def __str__(self) -> str:
        return f"connector:{self.connector.name}"

    def has_perm(self, perm, obj=None) -> bool:
        return False


class SocialConnectorAuthentication(BaseAuthentication):
    """``Authorization: Bearer psc_…`` -> ``(ConnectorPrincipal, SocialConnector)``. No header: not
    authenticated (401 through the permission); a malformed header or an unknown/inactive token: 401."""

    def authenticate(self, request):
        header = request.headers.get("Authorization", "")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != "bearer":
            raise AuthenticationFailed(_("Send the connector token as “Authorization: Bearer <token>”."))
        connector = social.authenticate_connector(parts[1])
        if connector is None:
            raise AuthenticationFailed(_("Invalid or inactive connector token."))
        return ConnectorPrincipal(connector), connector

    def authenticate_header(self, request):
        return 'Bearer realm="pesan-social"'


class SocialConnectorScheme(OpenApiAuthenticationExtension):
    target_class = "layanan.api.social_views.SocialConnectorAuthentication"
    name = "socialConnectorToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Token of a social-media connector (admin → Layanan → Konektor media sosial).",
        }


class IsSocialConnector(BasePermission):
    message = _("A connector token is required.")

    def has_permission(self, request, view):
        return isinstance(request.auth, SocialConnector)


ALIASES = {
    "time": "posted_at",
    "timestamp": "posted_at",
    "account": "account_handle",
    "author": "author_handle",
    "id": "message_id",
    "url": "permalink",
    "attachment_urls": "attachments",
}


class SocialMessageSerializer(serializers.Serializer):
    """A message of an official account. ``posted_at`` (alias ``time``): ISO 8601 with offset.
    ``attachments``: URLs (stored, never fetched)."""

    platform = serializers.ChoiceField(label=_("Platform"), choices=Platform.choices)
    account_handle = serializers.CharField(
        label=_("Official account"), required=False, allow_blank=True, max_length=128
    )
    message_id = serializers.CharField(
        label=_("Message id"), max_length=191, help_text=_("The platform's id; the same id twice gives one ticket.")
    )
    permalink = serializers.URLField(label=_("Permalink"), required=False, allow_blank=True, max_length=500)
    author_handle = serializers.CharField(label=_("Author"), required=False, allow_blank=True, max_length=128)
    text = serializers.CharField(label=_("Text"), required=False, allow_blank=True, max_length=20_000)
    posted_at = serializers.DateTimeField(label=_("Posted at"), required=False, allow_null=True)
    attachments = serializers.ListField(
        label=_("Attachment URLs"), child=serializers.URLField(max_length=1000), required=False
    )

    def to_internal_value(self, data):
        if hasattr(data, "items"):
            data = {ALIASES.get(key, key): value for key, value in data.items()}
        return super().to_internal_value(data)


class SocialMessageResponseSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    created = serializers.BooleanField(help_text=_("False when this message id was delivered before."))
    status = serializers.CharField()
    status_label = serializers.CharField()
    received_at = serializers.DateTimeField()
    triage_due_date = serializers.DateField(allow_null=True)


class SocialMessageCreateView(APIView):
    """``POST /api/v2/social/messages/`` — deliver a message; idempotent on (platform, message id).

    201 with the ticket the first time, 200 with the SAME ticket for a repeat (nothing changes). 401 without a
    valid connector token (``WWW-Authenticate: Bearer``). 400 with per-field messages.
    """

    authentication_classes = [SocialConnectorAuthentication]
    permission_classes = [IsSocialConnector]
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Deliver a social-media message (connector)",
        request=SocialMessageSerializer,
        responses={
            201: SocialMessageResponseSerializer,
            200: SocialMessageResponseSerializer,
            400: OpenApiResponse(description="Per-field messages."),
            401: OpenApiResponse(description="Missing or invalid connector token."),
        },
        tags=["social"],
    )
    def post(self, request):
        serializer = SocialMessageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            received = social.receive_social_message(dict(serializer.validated_data), connector=request.auth)
        except DjangoValidationError as exc:
            raise ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            )
        ticket = received.ticket
        body = {
            "tracking_number": ticket.tracking_number,
            "created": received.created,
            "status": ticket.status,
            "status_label": ticket.status_label,
            "received_at": ticket.received_at,
            "triage_due_date": ticket.due_date,
        }
        return Response(
            SocialMessageResponseSerializer(body).data,
            status=status.HTTP_201_CREATED if received.created else status.HTTP_200_OK,
        )
