"""StreamField blocks of the site pages.

Every block's API representation is what a front end needs to render it without another request: images come
as renditions ``{"url", "full_url", "width", "height", "alt"}``, documents as download links (and only when the
client may see their collection), page links as ``{"id", "title", "url"}``, rich text as display HTML.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.api.fields import ImageRenditionField
from wagtail.images.blocks import ImageChooserBlock

from .privacy import document_is_visible, document_payload, page_is_visible

# --------------------------------------------------------------------------------------------------------------
# Links: a page OR a URL
# --------------------------------------------------------------------------------------------------------------


def validate_link_url(value: str) -> None:
    """Accept an absolute ``http(s)://`` URL, ``mailto:``/``tel:``, or a site-relative path (``/layanan/``).

    Raises ``ValidationError`` otherwise (e.g. ``javascript:`` or a bare word).
    """
    if not value:
        return
    if value.startswith("/") and not value.startswith("//"):
        return
    if value.startswith(("mailto:", "tel:")) and len(value) > 5:
        return
    URLValidator(schemes=["http", "https"], message=_("Enter a full URL (https://…) or a path starting with /."))(value)


def page_payload(page, request=None) -> dict | None:
    """``{"id", "title", "url"}`` of a page, or ``None`` for a missing or unpublished page or one the request
    may not view (view restriction)."""
    if not page_is_visible(page, request):
        return None
    return {"id": page.pk, "title": page.title, "url": page.get_url(request=request)}


class LinkStructValue(blocks.StructValue):
    """Value of a :class:`LinkBlock`; ``href`` is the page URL if a page is chosen, else the URL."""

    def href(self) -> str:
        page = self.get("page")
        if page is not None and page.live:
            return page.url or ""
        return self.get("url") or ""


class LinkBlock(blocks.StructBlock):
    """A link to a page on this site OR to a URL (exactly one of them)."""

    page = blocks.PageChooserBlock(required=False, label=_("page"))
    url = blocks.CharBlock(
        required=False, max_length=500, label=_("URL"), validators=[validate_link_url], help_text=_("Or a URL.")
    )

    class Meta:
        value_class = LinkStructValue
        icon = "link"
        label = _("link")

    def clean(self, value):
        value = super().clean(value)
        if value.get("page") and value.get("url"):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Choose a page or enter a URL, not both."))}
            )
        if self.required and not value.get("page") and not value.get("url"):
            raise StructBlockValidationError(block_errors={"page": ValidationError(_("Choose a page or enter a URL."))})
        return value

    def get_api_representation(self, value, context=None):
        request = (context or {}).get("request")
        page = value.get("page")
        payload = page_payload(page, request)
        if payload is not None:
            return {"page": payload, "url": payload["url"]}
        return {"page": None, "url": value.get("url") or ""}


# --------------------------------------------------------------------------------------------------------------
# Body blocks (StandardPage and friends)
# --------------------------------------------------------------------------------------------------------------


class HeadingBlock(blocks.StructBlock):
    """A section heading (``h2`` or ``h3``; ``h1`` is the page title)."""

    text = blocks.CharBlock(max_length=255, label=_("text"))
    level = blocks.ChoiceBlock(choices=[("h2", _("Heading 2")), ("h3", _("Heading 3"))], default="h2", label=_("level"))

    class Meta:
        icon = "title"
        label = _("heading")
        template = "home/blocks/heading_block.html"


class ImageBlock(blocks.StructBlock):
    """An image with optional caption; API: ``{"image": rendition, "caption": str}``."""

    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(required=False, max_length=255, label=_("caption"))

    API_RENDITION = "max-1200x1200"

    class Meta:
        icon = "image"
        label = _("image")
        template = "home/blocks/image_block.html"

    def get_api_representation(self, value, context=None):
        image = value.get("image")
        return {
            "image": ImageRenditionField(self.API_RENDITION).to_representation(image) if image else None,
            "caption": value.get("caption") or "",
        }


class DocumentBlock(blocks.StructBlock):
    """A downloadable document with an optional display title.

    API: the :func:`home.privacy.document_payload` shape, or ``null`` when the document is in a collection the
    client may not see (it is then also left out of the rendered page).
    """

    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(
        required=False, max_length=255, label=_("title"), help_text=_("Defaults to the file's title.")
    )

    class Meta:
        icon = "doc-full"
        label = _("document")
        template = "home/blocks/document_block.html"

    def get_api_representation(self, value, context=None):
        request = (context or {}).get("request")
        document = value.get("document")
        if not document_is_visible(document, request):
            return None
        return document_payload(document, request, value.get("title") or "")

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        context["visible"] = document_is_visible(value.get("document"), request)
        return context


class QuoteBlock(blocks.StructBlock):
    """A block quote with an optional attribution."""

    quote = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(required=False, max_length=255, label=_("attribution"))

    class Meta:
        icon = "openquote"
        label = _("quote")
        template = "home/blocks/quote_block.html"


class TableWithCaptionBlock(blocks.StructBlock):
    """A table (first row as header, optional) with a caption for screen readers.

    API: ``{"caption": str, "table": {"data": [[cell, ...], ...], "first_row_is_table_header": bool, ...}}``.
    """

    caption = blocks.CharBlock(required=False, max_length=255, label=_("caption"))
    table = TableBlock(label=_("table"), table_options={"startRows": 3, "startCols": 3})

    class Meta:
        icon = "table"
        label = _("table")
        template = "home/blocks/table_block.html"


RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class BodyBlock(blocks.StreamBlock):
    """The body of a standard page: heading, paragraph (rich text), image, document, table, quote."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("paragraph"), icon="pilcrow")
    image = ImageBlock()
    document = DocumentBlock()
    table = TableWithCaptionBlock()
    quote = QuoteBlock()

    class Meta:
        label = _("body")


# --------------------------------------------------------------------------------------------------------------
# Home page and PPID profile blocks
# --------------------------------------------------------------------------------------------------------------


class ServiceShortcutBlock(blocks.StructBlock):
    """A shortcut on the home page to one of the services (PPID request, LAPOR complaint, WBS report)."""

    SERVICES = [
        ("ppid", _("Public-information request (PPID)")),
        ("lapor", _("Complaint or aspiration (SP4N-LAPOR!)")),
        ("wbs", _("Whistleblowing (WBS)")),
        ("other", _("Other")),
    ]

    service = blocks.ChoiceBlock(choices=SERVICES, default="ppid", label=_("service"))
    title = blocks.CharBlock(max_length=80, label=_("title"))
    description = blocks.TextBlock(required=False, max_length=300, label=_("description"))
    link = LinkBlock(label=_("link"))

    class Meta:
        icon = "link"
        label = _("service shortcut")


class PageLinkBlock(blocks.PageChooserBlock):
    """A page chooser whose API output is ``{"id", "title", "url"}`` (``null`` for an unpublished page)."""

    def get_api_representation(self, value, context=None):
        return page_payload(value, (context or {}).get("request"))


class ExternalLegalBasisBlock(blocks.StructBlock):
    """A legal basis that is not (yet) a regulation page on this site: title + optional URL."""

    title = blocks.CharBlock(max_length=300, label=_("title"))
    url = blocks.URLBlock(required=False, label=_("URL"))

    class Meta:
        icon = "link-external"
        label = _("other legal basis")


class LegalBasisBlock(blocks.StreamBlock):
    """Legal basis of the PPID: links to regulation pages (``regulasi.RegulationPage``) or external ones."""

    regulation = PageLinkBlock(page_type="regulasi.RegulationPage", label=_("regulation"), icon="doc-full")
    other = ExternalLegalBasisBlock()


class FeaturedRegulationsBlock(blocks.StreamBlock):
    """Regulations featured on the home page, in the editor's order."""

    regulation = PageLinkBlock(page_type="regulasi.RegulationPage", label=_("regulation"), icon="doc-full")


class DocumentsBlock(blocks.StreamBlock):
    """A list of downloadable documents."""

    document = DocumentBlock()
