"""Page types of the PPID site: home page (beranda) with its slider, and the standard page.

The PPID profile page is in ``profile.py``, the public-information list (DIP) pages in ``dip.py``. Page-tree
rules:

- ``HomePage``: directly under the root, one per site; children: standard pages, the PPID profile, the DIP
  index, the regulations index (``regulasi``) and the news index (``berita``).
- ``StandardPage``: under the home page, another standard page or the PPID profile.
- ``PPIDProfilePage``: one, under the home page.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..blocks import (
    BodyBlock,
    FeaturedRegulationsBlock,
    ServiceShortcutBlock,
    page_payload,
    validate_link_url,
)
from .base import TolerantSubpageTypesMixin, optional_model
from .preview import HeadlessPreviewMixin

INTRO_FEATURES = ["bold", "italic", "link", "ol", "ul", "document-link"]


# ==============================================================================================================
# Home page and its slider
# ==============================================================================================================


class HomePage(HeadlessPreviewMixin, TolerantSubpageTypesMixin, Page):
    """The site's home page (beranda). One per site, directly under the root.

    Holds the hero slider (:class:`HomePageSlide`, ordered, each optionally scheduled), an intro, shortcuts to
    the three services (PPID request, SP4N-LAPOR! complaint, WBS report), the latest news (read from
    ``berita.NewsPage`` when that app is installed) and featured regulations (``regulasi.RegulationPage``).
    """

    #: The home page lists news and regulations and links pages of any type (slides, shortcuts): any page change
    #: makes its cached copies stale (home.cache.page_tags).
    public_cache_any_page = True

    intro = RichTextField(_("intro"), blank=True, features=INTRO_FEATURES)
    service_shortcuts = StreamField(
        [("shortcut", ServiceShortcutBlock())],
        verbose_name=_("service shortcuts"),
        blank=True,
        max_num=6,
        help_text=_("Links to the PPID request, SP4N-LAPOR! complaint and WBS report forms."),
    )
    featured_regulations = StreamField(
        FeaturedRegulationsBlock(), verbose_name=_("featured regulations"), blank=True, max_num=12
    )
    latest_news_count = models.PositiveSmallIntegerField(
        _("number of latest news items"), default=3, validators=[MinValueValidator(0), MaxValueValidator(12)]
    )

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.StandardPage",
        "home.PPIDProfilePage",
        "home.PublicInformationIndexPage",
        "regulasi.RegulationIndexPage",
        "berita.NewsIndexPage",
    ]
    max_count_per_parent = 1

    content_panels = Page.content_panels + [
        InlinePanel("slides", heading=_("Slider"), label=_("slide")),
        FieldPanel("intro"),
        FieldPanel("service_shortcuts"),
        FieldPanel("featured_regulations"),
        FieldPanel("latest_news_count"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = _("home page")

    # -- rules -------------------------------------------------------------------------------------------------

    def visible_slides(self, now=None) -> list[HomePageSlide]:
        """Slides to show at ``now`` (aware datetime, default: now), in the editor's order.

        A slide is visible when it has an image and ``show_from <= now < show_until`` (an empty bound is
        open). Works on unsaved previews too (reads the in-memory inline objects).
        """
        now = now or timezone.now()
        return [slide for slide in self.slides.all() if slide.is_visible(now)]

    def slides_change_at(self, now=None):
        """The next moment after ``now`` (aware datetime, default: now) when a slide appears or disappears by its
        schedule, or ``None``: how long a rendering of the slider stays true."""
        now = now or timezone.now()
        moments = [
            moment
            for slide in self.slides.all()
            for moment in (slide.show_from, slide.show_until)
            if moment is not None and moment > now
        ]
        return min(moments, default=None)

    def public_cache_until(self):
        """Until when a rendering of this page stays true by the clock (``home.stored``): its next slide change."""
        return self.slides_change_at()

    def latest_news(self, limit: int | None = None) -> list:
        """The newest live, public news pages of this site (``berita.NewsPage``), newest first.

        Ordered by the news page's ``date`` field when it has one, otherwise by ``first_published_at``.
        ``limit`` defaults to :attr:`latest_news_count`. Returns ``[]`` while the news app has no ``NewsPage``.
        """
        news_model = optional_model("berita", "NewsPage")
        limit = self.latest_news_count if limit is None else limit
        if news_model is None or not limit or not self.pk:
            return []
        field_names = {f.name for f in news_model._meta.get_fields()}
        order = ["-date", "-first_published_at"] if "date" in field_names else ["-first_published_at"]
        qs = news_model.objects.live().public().descendant_of(self).order_by(*order, "-pk")
        if "feature_image" in field_names:
            qs = qs.select_related("feature_image")
        return list(qs[:limit])

    def featured_regulation_pages(self) -> list[Page]:
        """The featured regulation pages that are live, in the editor's order (unpublished ones skipped)."""
        pages = [block.value for block in self.featured_regulations if block.value is not None]
        return [page.specific for page in pages if page.live]

    def service_shortcut_items(self) -> list:
        """The service shortcuts (``StructValue`` with ``service``, ``title``, ``description``, ``link``)."""
        return [block.value for block in self.service_shortcuts]

    def get_context(self, request, *args, **kwargs):
        """``slides``, ``latest_news`` and ``featured_regulations``, each read when the template first uses it (a
        stored rendering of the content, ``home.stored``, uses none of them; :meth:`public_cache_until` bounds how
        long that rendering lives)."""
        context = super().get_context(request, *args, **kwargs)
        context["slides"] = SimpleLazyObject(self.visible_slides)
        context["latest_news"] = SimpleLazyObject(self.latest_news)
        context["featured_regulations"] = SimpleLazyObject(self.featured_regulation_pages)
        return context


class SlideSerializer(serializers.Serializer):
    """API shape of one slide.

    ``{"id", "title", "caption", "image": rendition 1600×600 (cropped), "image_mobile": rendition 800×600,
    "link": {"page": {"id","title","url"}|null, "url": str}, "show_from", "show_until"}`` (ISO 8601, +07:00).
    """

    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    caption = serializers.CharField()
    image = ImageRenditionField("fill-1600x600-c100")
    image_mobile = ImageRenditionField("fill-800x600-c100", source="image")
    link = serializers.SerializerMethodField()
    show_from = serializers.DateTimeField()
    show_until = serializers.DateTimeField()

    def get_link(self, slide) -> dict:
        page_data = page_payload(slide.link_page, self.context.get("request"))
        if page_data is not None:
            return {"page": page_data, "url": page_data["url"]}
        return {"page": None, "url": slide.link_url}


class NewsItemSerializer(serializers.Serializer):
    """``{"id", "title", "url", "date", "lead", "image"}`` of a news page.

    ``date`` is ISO 8601 with offset (the news ``date``, else ``first_published_at``); ``lead`` the news
    lead or the page's search description; ``image`` the feature image as a 640×360 rendition or ``null``.
    """

    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    url = serializers.SerializerMethodField()
    date = serializers.SerializerMethodField()
    lead = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()

    def get_lead(self, page) -> str:
        return getattr(page, "lead", "") or page.search_description or ""

    def get_image(self, page) -> dict | None:
        image = getattr(page, "feature_image", None)
        return ImageRenditionField("fill-640x360-c100").to_representation(image) if image else None

    def get_url(self, page) -> str:
        return page.get_url(request=self.context.get("request")) or ""

    def get_date(self, page) -> str | None:
        value = getattr(page, "date", None) or page.first_published_at
        return value.isoformat() if value else None


HomePage.api_fields = [
    APIField("intro"),
    APIField("slides", serializer=SlideSerializer(source="visible_slides", many=True, read_only=True)),
    APIField("service_shortcuts"),
    APIField("featured_regulations"),
    APIField("latest_news", serializer=NewsItemSerializer(many=True, read_only=True)),
]


class HomePageSlide(Orderable):
    """One slide of the home page's hero slider: image, title, caption, link (page or URL), schedule."""

    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="slides")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("image"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=120)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("link to a page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    link_url = models.CharField(_("or link to a URL"), max_length=500, blank=True, validators=[validate_link_url])
    show_from = models.DateTimeField(_("show from"), null=True, blank=True)
    show_until = models.DateTimeField(_("show until"), null=True, blank=True)

    panels = [
        FieldPanel("image"),
        FieldPanel("title"),
        FieldPanel("caption"),
        MultiFieldPanel([PageChooserPanel("link_page"), FieldPanel("link_url")], heading=_("Link")),
        FieldRowPanel([FieldPanel("show_from"), FieldPanel("show_until")], heading=_("Schedule")),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("slide")
        verbose_name_plural = _("slides")

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.link_page_id and self.link_url:
            errors["link_url"] = _("Choose a page or enter a URL, not both.")
        if self.show_from and self.show_until and self.show_until <= self.show_from:
            errors["show_until"] = _("'Show until' must be later than 'show from'.")
        if errors:
            raise ValidationError(errors)

    def is_visible(self, now) -> bool:
        """True when the slide has an image and ``now`` lies in ``[show_from, show_until)``."""
        if self.image_id is None:
            return False
        if self.show_from and now < self.show_from:
            return False
        return not (self.show_until and now >= self.show_until)

    @property
    def href(self) -> str:
        """The link target: the chosen live page's URL, else the URL, else ``""``."""
        if self.link_page is not None and self.link_page.live:
            return self.link_page.url or ""
        return self.link_url


# ==============================================================================================================
# Standard page
# ==============================================================================================================


class StandardPage(HeadlessPreviewMixin, Page):
    """A content page with a free body: headings, paragraphs, images, documents, tables and quotes."""

    intro = models.TextField(_("intro"), blank=True, help_text=_("One or two sentences shown under the title."))
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    parent_page_types = ["home.HomePage", "home.StandardPage", "home.PPIDProfilePage"]
    subpage_types = ["home.StandardPage"]
    show_in_menus_default = True

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    api_fields = [APIField("intro"), APIField("body")]

    class Meta:
        verbose_name = _("standard page")
