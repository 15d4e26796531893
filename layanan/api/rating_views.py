"""The applicant rates a closed ticket: ``POST /api/v2/tickets/<tracking_number>/rating/`` (the satisfaction
survey of PermenPANRB 14/2017; the rules in ``layanan.core.ratings``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from layanan.api.ticket_views import TOKEN_PARAMS, _TokenLookupView
from layanan.core.models.ratings import COMMENT_MAX_LENGTH, ELEMENTS, SCORES
from layanan.core.ratings import RatingRefused, submit_rating
from layanan.core.sanitize import CleanTextField
from pesan_cms.parsers import FormParser, JSONParser, MultiPartParser
from pesan_cms.throttling import SubmissionThrottle

__all__ = ["RatingSerializer", "StoredRatingSerializer", "TicketRatingView"]

SCORE_MESSAGE = _("Choose a score from 1 (not good) to 4 (very good).")


def _score_field(item, **kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=SCORES,
        label=item.label,
        help_text=item.question,
        error_messages={"invalid_choice": SCORE_MESSAGE, "required": SCORE_MESSAGE, "null": SCORE_MESSAGE},
        **kwargs,
    )


class RatingSerializer(serializers.Serializer):
    """A rating: one score per element of PermenPANRB 14/2017 (``requirements``, ``procedure``,
    ``completion_time``, ``cost``, ``product``, ``competence``, ``conduct``, ``complaint_handling``,
    ``facilities``), each 1 (not good) – 4 (very good) and all required, and an optional ``comment`` (at most
    1,000 characters). ``token``: the access token when it is not sent in ``X-Access-Token``."""

    token = serializers.CharField(
        required=False, allow_blank=True, help_text=_("The access token, when it is not sent in X-Access-Token.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in ELEMENTS:
            self.fields[item.code] = _score_field(item)
        self.fields["comment"] = CleanTextField(  # after the scores, as on the form
            label=_("Comment (optional)"),
            max_length=COMMENT_MAX_LENGTH,
            required=False,
            allow_blank=True,
            help_text=_("What went well, what should be better. Do not write personal data here."),
        )


class StoredRatingSerializer(serializers.Serializer):
    """The stored rating (201): the tracking number, the nine scores, the comment and when it was given."""

    tracking_number = serializers.CharField(source="ticket.tracking_number")
    created_at = serializers.DateTimeField(help_text=_("When the rating was given (+07:00)."))
    comment = serializers.CharField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in ELEMENTS:
            self.fields[item.code] = serializers.IntegerField(label=item.label, min_value=1, max_value=4)


RATING_EXAMPLE = OpenApiExample(
    "A rating",
    value={
        "requirements": 4,
        "procedure": 3,
        "completion_time": 3,
        "cost": 4,
        "product": 3,
        "competence": 4,
        "conduct": 4,
        "complaint_handling": 3,
        "facilities": 3,
        "comment": "Jawaban jelas dan cepat.",
    },
    request_only=True,
)


class TicketRatingView(_TokenLookupView):
    """``POST /api/v2/tickets/<tracking_number>/rating/`` — the applicant rates the service on a closed ticket:
    the survey of PermenPANRB 14/2017 (nine elements, each 1–4, all required; an optional comment).

    Token in ``X-Access-Token`` or ``token`` in the body, as for the reply endpoint. Only tickets of rated
    services (PPID requests, SP4N-LAPOR reports) in a final state of their machine; one rating per ticket
    (``layanan.core.ratings.submit_rating``). Answers 201 with the stored rating; 404 for an unknown number or
    a wrong token; 409 when the ticket is not closed, its service is not rated, or it was rated already (a
    sentence in ``detail``); 400 with field messages for a missing or out-of-range score or a refused comment.
    Nothing is stored on any error. The status (``GET /api/v2/tickets/<number>/``) says ``can_rate`` and
    ``rated``. Throttle scope ``submission``.
    """

    parser_classes = [JSONParser, FormParser, MultiPartParser]
    throttle_classes = [SubmissionThrottle]

    @extend_schema(
        summary="Rate the service on a closed ticket (satisfaction survey)",
        parameters=TOKEN_PARAMS,
        request={
            "application/json": RatingSerializer,
            "application/x-www-form-urlencoded": RatingSerializer,
            "multipart/form-data": RatingSerializer,
        },
        responses={
            201: StoredRatingSerializer,
            400: OpenApiResponse(description="A missing or out-of-range score, or a refused comment (field messages)."),
            404: OpenApiResponse(description="Unknown number or wrong token."),
            409: OpenApiResponse(description="Not closed yet, a service that is not rated, or rated already."),
            429: OpenApiResponse(description="Too many submissions (throttle scope `submission`)."),
        },
        examples=[RATING_EXAMPLE],
        tags=["layanan"],
        auth=[],
    )
    def post(self, request, tracking_number):
        ticket = self.get_ticket(request, tracking_number)
        serializer = RatingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            rating = submit_rating(ticket, {e.code: data[e.code] for e in ELEMENTS}, data.get("comment") or "")
        except RatingRefused as exc:
            return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from None
        body = StoredRatingSerializer(rating).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Cache-Control": "no-store"})
