"""``GET /api/v2/statistics/?year=YYYY``: public statistics of the service desk (thin view).

The figures come from ``layanan.reports.statistics.cached_public_statistics`` (cached, invalidated when tickets
change); nothing in the answer identifies a person.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import render
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from layanan.core.reporting import earliest_year, parse_year
from layanan.reports.statistics import cached_public_statistics
from pesan_cms.openapi import blank_or
from pesan_cms.throttling import AnonThrottle

_COUNT = inline_serializer(
    "StatisticsCount",
    fields={
        "code": serializers.CharField(allow_null=True),
        "label": serializers.CharField(),
        "count": serializers.IntegerField(),
    },
)
_DURATION = inline_serializer(
    "StatisticsDuration",
    fields={
        "count": serializers.IntegerField(help_text="Decided requests."),
        "median": serializers.FloatField(allow_null=True, help_text="Working days."),
        "mean": serializers.FloatField(allow_null=True, help_text="Working days, one decimal."),
        "max": serializers.IntegerField(allow_null=True, help_text="Working days."),
    },
)
_SUPPRESSIBLE = inline_serializer(
    "StatisticsSuppressedCount",
    fields={
        "count": serializers.IntegerField(allow_null=True, help_text="null when suppressed."),
        "suppressed": serializers.BooleanField(help_text="True when the count is below the threshold."),
    },
)
STATISTICS_RESPONSE = inline_serializer(
    "PublicStatistics",
    fields={
        "year": serializers.IntegerField(),
        "generated_at": serializers.DateTimeField(help_text="When the figures were computed (+07:00)."),
        "as_of": serializers.DateField(help_text="Date (WIB) against which 'overdue' is judged."),
        "suppress_below": serializers.IntegerField(
            help_text="Restricted services' (WBS) counts below this are published as null with suppressed true."
        ),
        "services": serializers.ListField(
            child=inline_serializer(
                "StatisticsService",
                fields={
                    "code": serializers.CharField(help_text="Service code (ppid_request, objection, lapor, ...)."),
                    "label": serializers.CharField(),
                    "received": serializers.IntegerField(
                        allow_null=True, help_text="Tickets received in the year (WIB); null when suppressed."
                    ),
                    "suppressed": serializers.BooleanField(
                        help_text="True when a restricted service's (WBS) count is below the threshold."
                    ),
                },
            ),
            help_text="Every registered service, in menu order.",
        ),
        "ppid": inline_serializer(
            "StatisticsPPID",
            fields={
                "requests": serializers.IntegerField(help_text="Requests received in the year."),
                "decided": serializers.IntegerField(),
                "by_channel": _COUNT.__class__(many=True),
                "by_unit": _COUNT.__class__(many=True, help_text="code null: not yet disposed to a unit."),
                "outcomes": _COUNT.__class__(many=True, help_text="code 'none': no decision yet."),
                "rejections": inline_serializer(
                    "StatisticsRejections",
                    fields={
                        "exempt_by_ground": _COUNT.__class__(many=True, help_text="UU 14/2008 Pasal 17 a–j."),
                        "not_held": serializers.IntegerField(),
                        "not_yet_documented": serializers.IntegerField(),
                    },
                ),
                "time_taken_working_days": inline_serializer(
                    "StatisticsTimeTaken",
                    fields={"all": _DURATION, "by_outcome": serializers.ListField(child=serializers.DictField())},
                ),
                "extensions": serializers.IntegerField(help_text="Extensions used (Pasal 22(8))."),
                "answered_late": serializers.IntegerField(help_text="Decided after the due date."),
                "overdue_open": serializers.IntegerField(help_text="Not decided, due date passed."),
                "objections": serializers.DictField(
                    help_text="received, answered, answered_late, overdue_open, by_reason (a–g), decisions."
                ),
                "disputes": serializers.DictField(help_text="Komisi Informasi disputes filed in the year, by outcome."),
            },
        ),
        "lapor": serializers.DictField(
            help_text="SP4N-LAPOR reports received in the year: received, verified, forwarded, archived, completed, "
            "to_ppid (made PPID requests), on_hold, in_process, overdue, average_completion_working_days, "
            "completion_working_days, by_classification, by_category."
        ),
        "satisfaction": inline_serializer(
            "StatisticsSatisfaction",
            fields={
                "respondents": serializers.IntegerField(help_text="Ratings given in the year (WIB), all services."),
                "ikm": serializers.FloatField(
                    allow_null=True, help_text="Satisfaction index 25–100 (PermenPANRB 14/2017); null if none."
                ),
                "category": serializers.CharField(allow_null=True, help_text="Quality category A–D; null if none."),
                "by_service": serializers.ListField(
                    child=serializers.DictField(),
                    help_text="{code, label, respondents, ikm, category} per rated service (PPID, SP4N-LAPOR).",
                ),
            },
        ),
        "wbs": inline_serializer(
            "StatisticsWBS",
            fields={
                "threshold": serializers.IntegerField(help_text="Counts below this are suppressed."),
                "total": _SUPPRESSIBLE,
                "by_type": serializers.ListField(
                    child=serializers.DictField(), help_text="{code, label, count (null if suppressed), suppressed}"
                ),
            },
        ),
    },
)


class PublicStatisticsView(APIView):
    """Public statistics of a year: PPID figures (UU 14/2008 Pasal 12), SP4N-LAPOR totals, WBS totals by type.

    Counts are tickets received in the calendar year (WIB); durations are working days from day 0 to the
    decision. No personal data. WBS counts below the threshold are ``null`` with ``"suppressed": true``.
    Cached; a change to any ticket invalidates the cache.
    """

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnonThrottle]

    def schema_parameters(self):
        """``year``: its bounds as :func:`layanan.core.reporting.parse_year` reads them when the schema is
        generated (the first report year setting, this year in WIB)."""
        first, last = earliest_year(), timezone.localdate().year
        return [
            OpenApiParameter(
                "year",
                blank_or({"type": "integer", "minimum": first, "maximum": last}),
                OpenApiParameter.QUERY,
                required=False,
                description=f"Four-digit year from {first} to the current year (default or empty: the current year).",
            )
        ]

    @extend_schema(
        operation_id="statistics_retrieve",
        tags=["statistics"],
        summary="Public statistics of a year",
        responses={
            200: STATISTICS_RESPONSE,
            400: OpenApiResponse(
                description="Bad year (message in Indonesian).",
                examples=[
                    OpenApiExample(
                        "Bad year", value={"year": ["Masukkan tahun berupa empat digit angka, misalnya 2026."]}
                    )
                ],
            ),
        },
    )
    def get(self, request):
        raw = request.query_params.get("year")
        try:
            year = parse_year(raw if raw not in (None, "") else timezone.localdate().year)
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from None
        return Response(cached_public_statistics(year))


def public_statistics_page(request):
    """``/statistik/?tahun=YYYY`` — the public statistics as a page of the reference site (same figures as the
    API, from the same cache). A bad year shows the Indonesian message with status 400."""
    current = timezone.localdate().year
    raw = request.GET.get("tahun") or request.GET.get("year") or current
    error, status = "", 200
    try:
        year = parse_year(raw, field_name="tahun")
    except DjangoValidationError as exc:
        error, status, year = " ".join(exc.message_dict["tahun"]), 400, current
    context = {
        "stats": cached_public_statistics(year),
        "year": year,
        "years": list(range(current, max(current - 8, 2009), -1)),
        "error": error,
        "api_url": f"/api/v2/statistics/?year={year}",
    }
    return render(request, "layanan/reports/public_statistics.html", context, status=status)
