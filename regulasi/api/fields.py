"""Read-only DRF fields shared by ``/api/v2/regulations/`` and the Wagtail pages API (``api_fields``).

They import no models, so ``regulasi.models`` can use them in ``api_fields``.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from home.absolute_urls import page_url


class PageLinkSchema(serializers.Serializer):
    """Shape of a link to another page: ``{"id": int, "title": str, "url": absolute URL}``."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.URLField()


class DocumentLinkSchema(serializers.Serializer):
    """Shape of a document: ``home.privacy.document_payload`` plus ``size`` (bytes, same as ``file_size``)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.URLField(help_text="Absolute download URL.")
    filename = serializers.CharField()
    extension = serializers.CharField(help_text='Lower case, e.g. "pdf".')
    file_size = serializers.IntegerField(allow_null=True, help_text="File size in bytes; null when unknown.")
    size = serializers.IntegerField(allow_null=True, help_text="Same as file_size (bytes).")


def _request(field):
    return field.context.get("request")


@extend_schema_field(PageLinkSchema(allow_null=True))
class PageLinkField(serializers.Field):
    """A page as ``{id, title, url}``; ``null`` when empty or when the page is not live (drafts never leak)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, page):
        if page is None or not page.live:
            return None
        return {"id": page.pk, "title": page.title, "url": page_url(page, _request(self))}


@extend_schema_field(DocumentLinkSchema(allow_null=True))
class DocumentLinkField(serializers.Field):
    """A Wagtail document as ``{id, title, url, size}``.

    ``null`` when there is none or when it sits in a private collection the client may not see
    (private documents never reach anonymous clients). ``size`` is in bytes (as recorded at upload).
    """

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, document):
        # The privacy rule and the document shape live once, in home.privacy (imported late: it needs the
        # app registry, and this module is imported by models).
        from home.privacy import document_is_visible, document_payload

        request = _request(self)
        if not document_is_visible(document, request):
            return None
        payload = document_payload(document, request)
        payload["size"] = payload["file_size"]
        return payload
