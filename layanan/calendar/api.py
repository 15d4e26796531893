"""Public working-day calendar endpoints: the deadline calculator and the holiday list.

Thin views: the rules live in :mod:`layanan.calendar.workdays`; these only parse the query string and shape the answer.
"""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from layanan.calendar import conf
from layanan.calendar.models import Holiday
from layanan.calendar.workdays import WorkCalendar, to_local, today_local
from pesan_cms.openapi import blank_or
from pesan_cms.patterns import date_pattern
from pesan_cms.throttling import AnonThrottle

__all__ = ["DeadlineCalculatorView", "HolidayListView"]

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PLUS_AS_SPACE = re.compile(r"^(.*[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")


class WibDateTimeField(serializers.Field):
    """Reads an ISO 8601 datetime or date and returns an aware datetime in WIB.

    A value without offset is WIB; a date only (``2026-03-13``) means the start of office hours that day
    (08:00 WIB by default), i.e. "received during office hours".
    """

    #: Years a start may fall in: deadlines are computed for real submissions (a date near year 9999 would
    #: overflow the date arithmetic: a 500 before issue 15).
    MIN_YEAR, MAX_YEAR = 1970, 2200

    default_error_messages = {
        "invalid": _(
            "Not a valid date/time. Use ISO 8601, e.g. 2026-03-13T10:00:00+07:00, 2026-03-13T03:00:00Z or 2026-03-13."
        ),
        "out_of_range": _("The date must fall between the years {min} and {max}."),
    }

    def to_internal_value(self, data):
        # An unencoded "+07:00" in a query string arrives as " 07:00": put the plus sign back.
        text = _PLUS_AS_SPACE.sub(r"\1+\2", str(data).strip())
        try:
            day = parse_date(text) if _DATE_ONLY.match(text) else None
            moment = None if day else parse_datetime(text)
        except ValueError:
            self.fail("invalid")
        if day is not None:
            moment = datetime.datetime.combine(day, self.context["calendar"].office_hours(day)[0])
        elif moment is None:
            self.fail("invalid")
        if not self.MIN_YEAR <= moment.year <= self.MAX_YEAR:
            self.fail("out_of_range", min=self.MIN_YEAR, max=self.MAX_YEAR)
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=to_local(timezone.now()).tzinfo)
        return to_local(moment)

    def to_representation(self, value):
        return to_local(value).isoformat()


class DeadlineQuerySerializer(serializers.Serializer):
    """Query string of the calculator. Messages come out in the request's language (Indonesian by default)."""

    start = WibDateTimeField(
        help_text=_("Time of receipt, ISO 8601. Without offset: WIB. A date only: 08:00 WIB (office opening)."),
        error_messages={"required": _("This parameter is required.")},
    )
    days = serializers.IntegerField(
        min_value=0,
        help_text=_("Number of days to add (0–366)."),
        error_messages={
            "required": _("This parameter is required."),
            "invalid": _("Must be a whole number."),
            "min_value": _("Must be 0 or more."),
            "max_string_length": _("Must be a whole number."),
        },
    )
    unit = serializers.ChoiceField(
        choices=[(conf.UNIT_WORKING, _("working days")), (conf.UNIT_CALENDAR, _("calendar days"))],
        default=conf.UNIT_WORKING,
        help_text=_("working (hari kerja, default) or calendar (hari kalender)."),
        error_messages={"invalid_choice": _("Unknown unit “{input}”: use working or calendar.")},
    )

    def validate_days(self, value):
        limit = conf.deadline_max_days()
        if value > limit:
            raise serializers.ValidationError(_("Must be at most %(limit)d.") % {"limit": limit})
        return value


class CalendarSkippedDaySerializer(serializers.Serializer):
    date = serializers.DateField(help_text=_("A weekend day or holiday that was not counted."))
    name = serializers.CharField(help_text=_("Why: Sabtu, Minggu or the holiday's name."))


class DeadlineResponseSerializer(serializers.Serializer):
    start = serializers.DateTimeField(help_text=_("The given start, normalised to WIB (+07:00)."))
    counting_from = serializers.DateField(help_text=_("Day 0 (WIB date)."))
    days = serializers.IntegerField()
    unit = serializers.ChoiceField(choices=list(conf.UNITS))
    due_date = serializers.DateField(help_text=_("Due date (inclusive, WIB date)."))
    skipped = CalendarSkippedDaySerializer(many=True)
    skipped_before = CalendarSkippedDaySerializer(
        many=True,
        help_text=_(
            "Non-working days from the date of receipt up to day 0 (a submission after hours or on a day off)."
        ),
    )
    explanation = serializers.CharField(help_text=_("One sentence: received, counted from, skipped days, due."))


ERROR_SCHEMA = inline_serializer(
    "CalendarValidationError",
    {"start": serializers.ListField(child=serializers.CharField(), required=False)},
)


class DeadlineCalculatorView(APIView):
    """Due date of a submission received at ``start`` plus ``days`` working (or calendar) days.

    Rules (see ``layanan.calendar.workdays``): day 0 is the date of receipt in WIB when it is a working day and the time
    is within office hours (08:00–16:00 WIB by default); otherwise the next working day. Working days are
    Monday–Friday minus national holidays, other days off and (by the admin setting, default on) cuti bersama.
    Public, no authentication. 400 with per-field messages on bad input.
    """

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnonThrottle]

    def schema_parameters(self):
        """The query parameters as :class:`DeadlineQuerySerializer` reads them, with the largest ``days`` of the
        setting in force when the schema is generated."""
        limit = conf.deadline_max_days()
        return [
            OpenApiParameter(
                "start",
                {
                    "type": "string",
                    "pattern": date_pattern(WibDateTimeField.MIN_YEAR, WibDateTimeField.MAX_YEAR, with_time=True),
                },
                required=True,
                description=_(
                    "Time of receipt, ISO 8601 (2026-03-13T10:00:00+07:00, 2026-03-13T03:00:00Z), a year from "
                    "1970 to 2200. Without offset it is WIB; a date only (2026-03-13) means 08:00 WIB, the opening "
                    "of office hours. Encode '+' as %2B in URLs. 29 February is accepted in leap years too."
                ),
            ),
            OpenApiParameter(
                "days",
                {"type": "integer", "minimum": 0, "maximum": limit},
                required=True,
                description=_("Days to add, 0–%(limit)d.") % {"limit": limit},
            ),
            OpenApiParameter(
                "unit",
                OpenApiTypes.STR,
                enum=[*conf.UNITS, ""],
                description=_("working (default, also when empty) or calendar."),
            ),
        ]

    @extend_schema(
        operation_id="calendar_deadline",
        tags=["calendar"],
        summary=_("Compute a legal due date (working days)"),
        responses={200: DeadlineResponseSerializer, 400: ERROR_SCHEMA},
        examples=[
            OpenApiExample(
                "PPID request (UU 14/2008 Pasal 22(7))",
                response_only=True,
                value={
                    "start": "2026-03-13T10:00:00+07:00",
                    "counting_from": "2026-03-13",
                    "days": 10,
                    "unit": "working",
                    "due_date": "2026-04-06",
                    "skipped": [
                        {"date": "2026-03-14", "name": "Sabtu"},
                        {"date": "2026-03-18", "name": "Cuti Bersama Hari Suci Nyepi"},
                    ],
                    "skipped_before": [],
                    "explanation": "Diterima 13 Maret 2026 10.00 WIB; dihitung sejak 13 Maret 2026; +10 hari "
                    "kerja, melewati …; jatuh tempo 6 April 2026.",
                },
            )
        ],
    )
    def get(self, request):
        calendar = WorkCalendar.load(request)
        query = DeadlineQuerySerializer(data=request.query_params, context={"calendar": calendar})
        query.is_valid(raise_exception=True)
        data = query.validated_data
        deadline = calendar.compute_deadline(data["start"], data["days"], data["unit"])
        return Response(
            {
                "start": data["start"].isoformat(),
                "counting_from": deadline.counting_from.isoformat(),
                "days": deadline.days,
                "unit": deadline.unit,
                "due_date": deadline.due_date.isoformat(),
                "skipped": [s.as_dict() for s in deadline.skipped],
                "skipped_before": [s.as_dict() for s in deadline.skipped_before],
                "explanation": deadline.explain(),
            }
        )


class HolidayQuerySerializer(serializers.Serializer):
    """Query string of the holiday list: ``year``, a whole number from 1900 to 2200 (default: this year)."""

    year = serializers.IntegerField(
        required=False,
        help_text=_("Year; default the current year."),
        min_value=1900,
        max_value=2200,
        error_messages={
            "invalid": _("Must be a year, e.g. 2026."),
            "min_value": _("Must be a year, e.g. 2026."),
            "max_value": _("Must be a year, e.g. 2026."),
            "max_string_length": _("Must be a year, e.g. 2026."),
        },
    )


class HolidayItemSerializer(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Holiday.Kind.choices)
    kind_label = serializers.CharField()
    non_working = serializers.BooleanField(
        help_text=_("False for cuti bersama while the office counts it as a working day.")
    )


class HolidayListView(APIView):
    """Active holidays of one year (``?year=YYYY``, default this year in WIB), in date order.

    Each item: ``date``, ``name`` (Indonesian), ``kind`` (``national``, ``cuti_bersama``, ``other``), its label,
    and ``non_working`` (whether deadlines skip it: cuti bersama only while the admin setting is on). Weekends
    are not listed. Public, no authentication.
    """

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnonThrottle]

    def schema_parameters(self):
        """``year`` as :class:`HolidayQuerySerializer` reads it (empty: this year)."""
        year = HolidayQuerySerializer().fields["year"]
        return [
            OpenApiParameter(
                "year",
                blank_or({"type": "integer", "minimum": year.min_value, "maximum": year.max_value}),
                description=_("Year; default (or empty) the current year."),
            )
        ]

    @extend_schema(
        operation_id="calendar_holidays",
        tags=["calendar"],
        summary=_("Holidays of a year"),
        responses={200: HolidayItemSerializer(many=True), 400: ERROR_SCHEMA},
    )
    def get(self, request):
        query = HolidayQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or today_local().year
        calendar = WorkCalendar.load(request)
        rows = Holiday.objects.filter(date__year=year, is_active=True).order_by("date")
        return Response(
            [
                {
                    "date": h.date.isoformat(),
                    "name": h.name,
                    "kind": h.kind,
                    "kind_label": str(h.get_kind_display()),
                    "non_working": h.kind != Holiday.Kind.CUTI_BERSAMA or calendar.cuti_bersama_is_non_working,
                }
                for h in rows
            ]
        )
