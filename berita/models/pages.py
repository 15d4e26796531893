"""News pages: the news index (one per site) and news articles, plus the news category snippet."""

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from rest_framework import serializers
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page
from wagtail.search import index

from berita.body import lead_repeats_body
from home.api.fields import PrefetchedTagsField
from home.models.preview import HeadlessPreviewMixin

NEWS_PER_PAGE = 12

# The list rendition of a news feature image (API lists, homepage cards).
NEWS_THUMBNAIL = "fill-640x360"


class NewsCategory(index.Indexed, models.Model):
    """A news category (kategori berita), e.g. "PPID" or "Siaran Pers"; edited as a Wagtail snippet.

    Shape: ``name`` (unique), ``slug`` (unique, used in URLs and API filters: ``?category=<slug>``),
    ``description``, ``sort_order``.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("news category")
        verbose_name_plural = _("news categories")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name, allow_unicode=True)[:100]
        super().save(*args, **kwargs)


class NewsCategorySerializer(serializers.ModelSerializer):
    """``{"id": 3, "name": "PPID", "slug": "ppid"}``."""

    class Meta:
        model = NewsCategory
        fields = ["id", "name", "slug"]


class NewsIndexPage(HeadlessPreviewMixin, Page):
    """The news list (daftar berita): one per site, directly under the home page; children are NewsPage.

    The server-rendered list paginates (12 per page, ``?page=N``) and filters by ``?category=<slug>`` and
    ``?tag=<name>``; headless clients use ``GET /api/v2/news/`` or
    ``/api/v2/pages/?type=berita.NewsPage&order=-date``.
    """

    show_in_menus_default = True

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["berita.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index page")

    def news(self, category: str | None = None, tag: str | None = None):
        """Live, public NewsPages below this index, newest first; optionally by category slug / tag name."""
        qs = (
            NewsPage.objects.live()
            .public()
            .descendant_of(self)
            .select_related("feature_image")
            .prefetch_related("categories")
            .order_by("-date", "-pk")
        )
        if category:
            qs = qs.filter(categories__slug=category)
        if tag:
            qs = qs.filter(tags__name__iexact=tag)
        return qs.distinct()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        category = request.GET.get("category") or None
        tag = request.GET.get("tag") or None
        paginator = Paginator(self.news(category, tag), NEWS_PER_PAGE)
        context.update(
            news_list=paginator.get_page(request.GET.get("page")),
            categories=NewsCategory.objects.filter(newspage__live=True).distinct(),
            current_category=category,
            current_tag=tag,
        )
        return context


class NewsPageTag(TaggedItemBase):
    """Through model of NewsPage tags."""

    content_object = ParentalKey("berita.NewsPage", on_delete=models.CASCADE, related_name="tagged_items")


class NewsPage(HeadlessPreviewMixin, Page):
    """One news article (berita).

    Fields: ``date`` (publication date-time, aware, stored UTC, shown WIB), ``lead`` (plain-text summary),
    ``body`` (StreamField: paragraph rich text, image, quote), ``feature_image``, ``categories``
    (NewsCategory, many), ``tags``, and for imported articles ``source_name`` / ``source_url`` (credit line).
    """

    date = models.DateTimeField(_("publication date"), default=timezone.now, db_index=True)
    lead = models.TextField(_("lead"), blank=True, help_text=_("One or two sentences shown in lists."))
    body = StreamField(
        [
            ("paragraph", blocks.RichTextBlock(label=_("Paragraph"))),
            ("image", ImageBlock(label=_("Image"))),
            ("quote", blocks.BlockQuoteBlock(label=_("Quote"))),
        ],
        verbose_name=_("body"),
        blank=True,
    )
    feature_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("feature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    categories = ParentalManyToManyField(NewsCategory, verbose_name=_("categories"), blank=True)
    tags = ClusterTaggableManager(verbose_name=_("tags"), through=NewsPageTag, blank=True)
    source_name = models.CharField(_("source name"), max_length=255, blank=True)
    source_url = models.URLField(_("source URL"), max_length=1000, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("lead"),
        FieldPanel("feature_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("categories", widget=forms.CheckboxSelectMultiple), FieldPanel("tags")],
            heading=_("Categories and tags"),
        ),
        MultiFieldPanel([FieldPanel("source_name"), FieldPanel("source_url")], heading=_("Source (imported news)")),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    api_fields = [
        APIField("date"),
        APIField("lead"),
        APIField("body"),
        APIField("feature_image"),
        APIField("feature_image_thumbnail", serializer=ImageRenditionField(NEWS_THUMBNAIL, source="feature_image")),
        APIField("categories", serializer=NewsCategorySerializer(many=True)),
        APIField("tags", serializer=PrefetchedTagsField()),
        APIField("source_name"),
        APIField("source_url"),
    ]

    parent_page_types = ["berita.NewsIndexPage"]
    subpage_types: list = []

    @property
    def lead_in_body(self) -> bool:
        """True when the body's first paragraph repeats the lead (pages imported before the importer took the
        lead out of the body); the page template then shows the lead once, in the body."""
        first = self.body[0] if self.body else None
        if not self.lead or first is None or first.block_type != "paragraph":
            return False
        return lead_repeats_body(self.lead, first.value.source)

    @staticmethod
    def api_prefetch_related():
        """Relations the pages API and ``/api/v2/news/`` fetch in bulk (flat query count at any ``limit``)."""
        return news_prefetches()

    class Meta:
        verbose_name = _("news page")
        verbose_name_plural = _("news pages")


@register_setting(icon="doc-full")
class NewsSettings(BaseSiteSetting):
    """News settings per site: whether approving an imported article publishes it or leaves a draft.

    ``require_review`` defaults to on (a new install, or a site whose settings were never saved): approving
    creates a draft; an editor publishes it from the page editor.
    """

    require_review = models.BooleanField(
        _("publish as draft for review"),
        default=True,
        help_text=_(
            "When on (the default), approving an imported article creates a draft page that an editor reviews and "
            "publishes. When off, approving publishes the page at once."
        ),
    )

    panels = [FieldPanel("require_review")]

    class Meta:
        verbose_name = _("news settings")


def news_prefetches() -> list:
    """Prefetches for lists of NewsPage: feature image with its list rendition, categories and tags."""
    from django.db.models import Prefetch
    from wagtail.images import get_image_model

    images = get_image_model().objects.prefetch_renditions(NEWS_THUMBNAIL)
    return [Prefetch("feature_image", queryset=images), "categories", "tags"]
