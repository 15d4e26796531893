"""``GET /api/v2/public-information/exempt/``: the list of exempt information (DIK, daftar informasi yang
dikecualikan) — the exempt DIP entries without their content, as the reference site's ``<DIP>/dikecualikan/``
page lists them and as the Komisi Informasi's annual e-Monev looks for them.

Thin: the rows come from :func:`home.models.dip.exempt_information`, the in-force rule from
``PublicInformationPage.exemption_in_force`` (UU 14/2008 Pasal 20), the decision file's privacy from
``home.privacy``. Same listing shape as ``/api/v2/public-information/`` (``count``, ``next``, ``previous``,
``results``; ``limit``/``offset``).
"""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers

from ..absolute_urls import page_url
from ..models import Pasal17Ground, PublicInformationPage, Unit
from ..models.dip import exempt_information
from .fields import DocumentSchema, UnitBriefSerializer
from .pagination import PublicLimitOffsetPagination
from .views import public_information_queryset, unit_parameter

__all__ = ["ExemptInformationFilter", "ExemptInformationListView", "ExemptInformationSerializer"]


class ExemptInformationFilter(django_filters.FilterSet):
    """Query parameters of the DIK:

    - ``ground``: a Pasal 17 letter ``a``–``j``;
    - ``unit``: a unit code (``DEP1``), any letter case; an unknown code is a 400;
    - ``in_force``: ``true`` — the exemption holds today (WIB date): no end date, or ending today or later;
      ``false`` — its period has ended (``exempt_until`` before today) and the PPID has still to review it;
    - ``search``: words that must all occur in the title, the unit (name or code) or the statute of ground j.
    """

    ground = django_filters.ChoiceFilter(
        field_name="exemption_ground", choices=Pasal17Ground.choices, label=_("Pasal 17 ground")
    )
    unit = django_filters.ModelChoiceFilter(
        field_name="unit", to_field_name="code", queryset=Unit.objects.all(), label=_("Unit")
    )
    in_force = django_filters.ChoiceFilter(
        choices=(("true", _("Yes")), ("false", _("No"))), method="filter_in_force", label=_("In force")
    )
    search = django_filters.CharFilter(method="filter_search", label=_("Search"))

    class Meta:
        model = PublicInformationPage
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        # Unit codes are matched case-insensitively, as in the DIP filters.
        if data is not None and data.get("unit"):
            data = data.copy()
            match = Unit.objects.filter(code__iexact=data["unit"].strip()).values_list("code", flat=True).first()
            if match:
                data["unit"] = match
        super().__init__(data, *args, **kwargs)

    def filter_in_force(self, queryset, name, value):
        today = timezone.localdate()
        in_force = Q(exempt_until__isnull=True) | Q(exempt_until__gte=today)
        return queryset.filter(in_force) if value == "true" else queryset.exclude(in_force)

    def filter_search(self, queryset, name, value):
        for term in value.split():
            queryset = queryset.filter(
                Q(title__icontains=term)
                | Q(unit__name__icontains=term)
                | Q(unit__code__iexact=term)
                | Q(ground_statute__icontains=term)
            )
        return queryset


@extend_schema_field(DocumentSchema(allow_null=True))
class DecisionFileField(serializers.Field):
    """The decision file (SK penetapan), or ``null`` when there is none or its collection is private."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, page):
        return page.public_decision((self.context or {}).get("request"))


class ExemptInformationSerializer(serializers.ModelSerializer):
    """One DIK row: what is withheld (title, unit), why (Pasal 17 ground; for j the statute; the consequence
    test: harm and public-interest weighing), for how long (period as decided, last day if it ends on a date,
    ``in_force`` on today's WIB date) and by which decision (SK penetapan number, date, file). Never the
    summary or a document of the information itself."""

    url = serializers.SerializerMethodField(help_text="Absolute URL of the entry's page on the site.")
    unit = UnitBriefSerializer(read_only=True)
    exemption_ground = serializers.ChoiceField(choices=Pasal17Ground.choices, read_only=True)
    exemption_ground_label = serializers.CharField(source="get_exemption_ground_display", read_only=True)
    ground_citation = serializers.CharField(
        read_only=True, help_text='The ground as cited in a refusal, e.g. "UU 14/2008 Pasal 17 huruf h".'
    )
    in_force = serializers.SerializerMethodField(
        help_text="True while the exemption holds (no end date, or exempt_until is today or later; WIB date)."
    )
    decision_document = DecisionFileField()

    class Meta:
        model = PublicInformationPage
        fields = [
            "id",
            "title",
            "url",
            "unit",
            "exemption_ground",
            "exemption_ground_label",
            "ground_statute",
            "ground_citation",
            "consequence_test",
            "public_interest_test",
            "exemption_period",
            "exempt_until",
            "in_force",
            "decision_number",
            "decision_date",
            "decision_document",
        ]
        read_only_fields = fields

    def get_url(self, page) -> str:
        return page_url(page, self.context.get("request")) or ""

    def get_in_force(self, page) -> bool:
        return page.exemption_in_force(self.context.get("today"))


@extend_schema_view(
    get=extend_schema(
        summary="List of exempt information (DIK)",
        description="The exempt (dikecualikan) entries of the requesting site's public-information list: Pasal 17 "
        "ground (for j the statute), consequence test (harm and public-interest weighing), exemption period "
        "(UU 14/2008 Pasal 20) and the PPID's decision (SK penetapan number, date, file). Without the content of "
        "the information. Ordered by ground, then title. Paginated with limit/offset; invalid filter values give "
        "400 with a message per parameter.",
        parameters=[
            OpenApiParameter(
                "ground", OpenApiTypes.STR, enum=[*Pasal17Ground.values, ""], description="Pasal 17 letter a–j."
            ),
            OpenApiParameter(
                "in_force",
                OpenApiTypes.STR,
                enum=["true", "false", ""],
                description="true: the exemption holds today (WIB); false: its period has ended.",
            ),
            OpenApiParameter(
                "search", OpenApiTypes.STR, description="Words that must all occur in title, unit or statute."
            ),
        ],
        tags=["public-information"],
    )
)
class ExemptInformationListView(generics.ListAPIView):
    """``GET /api/v2/public-information/exempt/``: the DIK of the requesting site (live, public, exempt
    entries), filterable by ``ground``, ``unit``, ``in_force``, ``search``; paginated (``limit``/``offset``,
    default 20). Queries: a fixed handful whatever the page size (unit and decision file joined)."""

    serializer_class = ExemptInformationSerializer
    filterset_class = ExemptInformationFilter
    pagination_class = PublicLimitOffsetPagination

    def schema_parameters(self):
        """The unit codes, read when the schema is generated."""
        return [unit_parameter()]

    def get_queryset(self):
        return exempt_information(public_information_queryset(self.request))

    def get_serializer_context(self):
        return super().get_serializer_context() | {"today": timezone.localdate()}
