"""Serializer of ``/api/v2/regulations/``: thin, read-only; the rules live in ``regulasi.models``."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse
from wagtail.rich_text import expand_db_html

from home.absolute_urls import absolute_url, page_url
from regulasi.api.fields import DocumentLinkField, PageLinkField
from regulasi.models import RegulationPage


class SubjectSerializer(serializers.Serializer):
    """A subject tag: ``{"name": "Keterbukaan Informasi", "slug": "keterbukaan-informasi"}``."""

    name = serializers.CharField()
    slug = serializers.SlugField(help_text="Use as the `subject` filter value.")


class RegulationMetaSerializer(serializers.Serializer):
    """Page metadata, as in the Wagtail pages API (times in ISO 8601 with offset)."""

    type = serializers.CharField(help_text='Always "regulasi.RegulationPage".')
    detail_url = serializers.URLField(help_text="This regulation in this API.")
    html_url = serializers.URLField(help_text="The regulation's page on the website.")
    slug = serializers.SlugField()
    first_published_at = serializers.DateTimeField(allow_null=True)
    last_published_at = serializers.DateTimeField(allow_null=True)
    seo_title = serializers.CharField()
    search_description = serializers.CharField()


class RegulationSerializer(serializers.ModelSerializer):
    """One regulation.

    ``kind``/``status`` are stable codes with Indonesian ``*_display`` names; ``issued_on`` is a date or null
    (unknown); ``replaced_by`` is ``{id, title, url}`` or null; ``subjects`` a list of ``{name, slug}``;
    ``document`` ``{id, title, url, filename, extension, file_size, size}`` (sizes in bytes) or null;
    ``abstract`` display HTML (links resolved, no ``<embed>``); ``url`` the page on the website.
    """

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    replaced_by = PageLinkField(allow_null=True)
    subjects = SubjectSerializer(many=True, read_only=True)
    document = DocumentLinkField(allow_null=True)
    abstract = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    meta = serializers.SerializerMethodField()

    class Meta:
        model = RegulationPage
        fields = [
            "id",
            "title",
            "kind",
            "kind_display",
            "number",
            "year",
            "about",
            "issued_on",
            "status",
            "status_display",
            "replaced_by",
            "subjects",
            "document",
            "abstract",
            "url",
            "meta",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_abstract(self, page) -> str:
        return expand_db_html(page.abstract) if page.abstract else ""

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, page) -> str | None:
        return page_url(page, self.context.get("request"))

    @extend_schema_field(RegulationMetaSerializer)
    def get_meta(self, page) -> dict:
        request = self.context.get("request")
        return {
            "type": f"{page._meta.app_label}.{page.__class__.__name__}",
            "detail_url": absolute_url(reverse("regulasi-api:regulation-detail", args=[page.pk])),
            "html_url": page_url(page, request),
            "slug": page.slug,
            "first_published_at": serializers.DateTimeField().to_representation(page.first_published_at)
            if page.first_published_at
            else None,
            "last_published_at": serializers.DateTimeField().to_representation(page.last_published_at)
            if page.last_published_at
            else None,
            "seo_title": page.seo_title,
            "search_description": page.search_description,
        }
