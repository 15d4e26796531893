"""Serializers of the news API (read-only)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from berita.models import NewsCategory, NewsPage
from berita.models.pages import NEWS_THUMBNAIL
from home.absolute_urls import absolute_url, page_url
from home.api.fields import PrefetchedTagsField


class CategorySerializer(serializers.ModelSerializer):
    """A news category: ``{"id", "name", "slug"}``."""

    class Meta:
        model = NewsCategory
        fields = ["id", "name", "slug"]


class NewsListSerializer(serializers.ModelSerializer):
    """One news page in a list. ``date`` is ISO 8601 with the WIB offset; ``image`` is a 640×360 rendition."""

    url = serializers.SerializerMethodField(help_text=_("Public URL of the page on this site."))
    image = serializers.SerializerMethodField()
    categories = CategorySerializer(many=True, read_only=True)
    tags = PrefetchedTagsField()

    class Meta:
        model = NewsPage
        fields = [
            "id",
            "title",
            "slug",
            "url",
            "date",
            "lead",
            "image",
            "categories",
            "tags",
            "source_name",
            "source_url",
        ]

    def get_url(self, page) -> str:
        return page_url(page, self.context.get("request")) or ""

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "id": {"type": "integer"},
                "url": {"type": "string"},
                "width": {"type": "integer"},
                "height": {"type": "integer"},
                "alt": {"type": "string"},
            },
        }
    )
    def get_image(self, page):
        if not page.feature_image:
            return None
        rendition = page.feature_image.get_rendition(NEWS_THUMBNAIL)
        url = absolute_url(rendition.url)
        return {
            "id": page.feature_image.pk,
            "url": url,
            "width": rendition.width,
            "height": rendition.height,
            "alt": page.feature_image.default_alt_text if hasattr(page.feature_image, "default_alt_text") else "",
        }


class NewsDetailSerializer(NewsListSerializer):
    """One news page with its body as display HTML (``body_html``)."""

    body_html = serializers.SerializerMethodField()

    class Meta(NewsListSerializer.Meta):
        fields = NewsListSerializer.Meta.fields + ["body_html"]

    @extend_schema_field(OpenApiTypes.STR)
    def get_body_html(self, page) -> str:
        return str(page.body.render_as_block()) if page.body else ""
