"""Serializers of ``/api/v2/site/`` and ``/api/v2/public-information/``. Thin: the rules live in the models
(``PublicInformationPage.public_documents``) and ``home.privacy``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.images.api.fields import ImageRenditionField

from ..absolute_urls import page_url
from ..models import OrganisationSettings, PublicInformationPage, SocialMediaAccount, Unit
from .fields import HTMLField, PublicDocumentsField, RenditionSchema, UnitBriefSerializer


@extend_schema_field(RenditionSchema(allow_null=True))
class LogoField(ImageRenditionField):
    """The logo as a rendition that fits 400×400 px."""

    def __init__(self, **kwargs):
        super().__init__("max-400x400", **kwargs)


class SocialMediaAccountSerializer(serializers.ModelSerializer):
    platform_label = serializers.CharField(source="get_platform_display", read_only=True)

    class Meta:
        model = SocialMediaAccount
        fields = ["platform", "platform_label", "handle", "url"]


class UnitSerializer(serializers.ModelSerializer):
    """``{"code", "name", "kind", "kind_label", "parent": parent code | null, "email"}``."""

    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # null: top level

    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "kind_label", "parent", "email"]


class SiteSerializer(serializers.ModelSerializer):
    """The organisation behind the requesting site, and its active units."""

    logo = LogoField(read_only=True)
    whatsapp_url = serializers.CharField(read_only=True, help_text="wa.me link for the WhatsApp number.")
    social_accounts = SocialMediaAccountSerializer(many=True, read_only=True)
    service_charter = HTMLField(help_text="Service charter (maklumat pelayanan) as display HTML.")
    units = serializers.SerializerMethodField(help_text="Active units, in display order.")

    class Meta:
        model = OrganisationSettings
        fields = [
            "name",
            "short_name",
            "logo",
            "address",
            "phone",
            "email",
            "whatsapp",
            "whatsapp_url",
            "office_hours",
            "social_accounts",
            "service_charter",
            "units",
        ]

    @extend_schema_field(UnitSerializer(many=True))
    def get_units(self, obj):
        units = Unit.objects.filter(active=True).select_related("parent")
        return UnitSerializer(units, many=True, context=self.context).data


class PublicInformationSerializer(serializers.ModelSerializer):
    """One DIP entry. ``exemption_ground``/``consequence_test`` are empty unless the class is ``dikecualikan``;
    ``documents`` is always ``[]`` for exempt entries."""

    url = serializers.SerializerMethodField(help_text="Absolute URL of the entry's page on the site.")
    information_class_label = serializers.CharField(source="get_information_class_display", read_only=True)
    information_format_label = serializers.CharField(source="get_information_format_display", read_only=True)
    exemption_ground_label = serializers.CharField(source="get_exemption_ground_display", read_only=True)
    # declared: a read-only ModelSerializer field loses ``allow_blank``, and "" (not exempt) is a real value
    exemption_ground = serializers.ChoiceField(
        choices=PublicInformationPage._meta.get_field("exemption_ground").choices, allow_blank=True, read_only=True
    )
    unit = UnitBriefSerializer(read_only=True)
    documents = PublicDocumentsField()

    class Meta:
        model = PublicInformationPage
        fields = [
            "id",
            "title",
            "slug",
            "url",
            "information_class",
            "information_class_label",
            "summary",
            "unit",
            "person_responsible",
            "made_when",
            "made_where",
            "information_format",
            "information_format_label",
            "retention_period",
            "year",
            "exemption_ground",
            "exemption_ground_label",
            "consequence_test",
            "documents",
            "first_published_at",
            "last_published_at",
        ]
        read_only_fields = fields

    def get_url(self, page) -> str:
        return page_url(page, self.context.get("request")) or ""
