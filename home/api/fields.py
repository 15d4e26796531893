"""Read-only DRF fields shared by the DRF endpoints and the Wagtail pages API (``api_fields``).

They import no models, so ``home.models`` can use them in ``api_fields``.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from wagtail.rich_text import expand_db_html


class RenditionSchema(serializers.Serializer):
    """Shape of an image rendition (documentation only)."""

    url = serializers.CharField(help_text="URL of the rendition (relative to the media host).")
    full_url = serializers.URLField()
    width = serializers.IntegerField(help_text="pixels")
    height = serializers.IntegerField(help_text="pixels")
    alt = serializers.CharField()


class DocumentSchema(serializers.Serializer):
    """Shape of a downloadable document (documentation only; see ``home.privacy.document_payload``)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.URLField(help_text="Absolute download URL.")
    filename = serializers.CharField()
    extension = serializers.CharField(help_text='Lower case, e.g. "pdf".')
    file_size = serializers.IntegerField(allow_null=True, help_text="bytes")


@extend_schema_field(serializers.CharField(help_text="Display HTML (no <embed>, no linktype=)."))
class HTMLField(serializers.Field):
    """Wagtail rich text (database HTML) as display HTML (``expand_db_html``): no ``<embed``, no ``linktype=``.

    For rich text that does not come straight from a ``RichTextField`` (site settings, fallbacks).
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return expand_db_html(value or "")


@extend_schema_field(DocumentSchema(many=True))
class PublicDocumentsField(serializers.Field):
    """A DIP entry's downloadable documents (``PublicInformationPage.public_documents``): always ``[]`` for
    exempt entries (UU 14/2008 Pasal 17); documents in private collections left out. A listing may put
    ``documents_by_id`` (one query for all rows) into the serializer context."""

    def __init__(self, **kwargs):
        kwargs.update(read_only=True, source="*")
        super().__init__(**kwargs)

    def to_representation(self, page):
        context = self.context or {}
        return page.public_documents(context.get("request"), context.get("documents_by_id"))


class UnitBriefSerializer(serializers.Serializer):
    """``{"code": str, "name": str}`` of a unit."""

    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class PrefetchedTagsField(serializers.Field):
    """Tag names, sorted, read from the prefetched ``tags`` (Wagtail's own field queries once per row)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return sorted(tag.name for tag in value.all())
