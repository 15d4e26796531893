"""Regulation pages: the legal basis a PPID portal publishes (UU 14/2008 Pasal 9(2)(a) and PerKI 1/2021).

Page tree: ``home.HomePage`` → one ``RegulationIndexPage`` → many ``RegulationPage`` (no children).
The same filter rules (``regulasi.api.filters.RegulationFilterSet``) serve the index page and
``GET /api/v2/regulations/``.
"""

import re

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from rest_framework import serializers
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, TitleFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from home.api.fields import PrefetchedTagsField
from home.models.preview import HeadlessPreviewMixin
from home.privacy import visible_pages
from regulasi.api.fields import DocumentLinkField, PageLinkField

ABSTRACT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]

#: How many regulations the index page shows per page.
INDEX_PAGE_SIZE = 20


class RegulationKind(models.TextChoices):
    """Kind (jenis) of a regulation, with stable codes. Hierarchy per UU 12/2011 Pasal 7–8."""

    UU = "uu", _("Undang-Undang")
    PP = "pp", _("Peraturan Pemerintah")
    PERPRES = "perpres", _("Peraturan Presiden")
    PERMEN = "permen", _("Peraturan Menteri")
    PERKI = "perki", _("Peraturan Komisi Informasi")
    KEPMEN = "kepmen", _("Keputusan Menteri")
    SE = "se", _("Surat Edaran")
    OTHER = "other", _("Lainnya")


class RegulationStatus(models.TextChoices):
    """Legal status of a regulation."""

    IN_FORCE = "berlaku", _("berlaku")
    AMENDED = "diubah", _("diubah")
    REVOKED = "dicabut", _("dicabut")


# Full Indonesian names and common abbreviations, longest first so that e.g. "Peraturan Pemerintah Pengganti
# Undang-Undang" (Perppu, not a PP) and "Peraturan Menteri Koordinator ..." resolve correctly.
_KIND_PREFIXES: list[tuple[str, str]] = [
    ("peraturan pemerintah pengganti undang-undang", RegulationKind.OTHER),
    ("peraturan komisi informasi", RegulationKind.PERKI),
    ("peraturan pemerintah", RegulationKind.PP),
    ("peraturan presiden", RegulationKind.PERPRES),
    ("peraturan menteri", RegulationKind.PERMEN),
    ("keputusan menteri", RegulationKind.KEPMEN),
    ("surat edaran", RegulationKind.SE),
    ("undang-undang", RegulationKind.UU),
    ("undang undang", RegulationKind.UU),
]
_KIND_ABBREVIATIONS = {
    "uu": RegulationKind.UU,
    "pp": RegulationKind.PP,
    "perpres": RegulationKind.PERPRES,
    "permen": RegulationKind.PERMEN,
    "permenko": RegulationKind.PERMEN,
    "perki": RegulationKind.PERKI,
    "kepmen": RegulationKind.KEPMEN,
    "se": RegulationKind.SE,
    "other": RegulationKind.OTHER,
}


def kind_from_label(label: str) -> str:
    """Map a kind as people write it to its code.

    Accepts the full name, optionally followed by the issuer ("Peraturan Menteri PANRB" → ``"permen"``,
    "Peraturan Komisi Informasi" → ``"perki"``), a code or a common abbreviation ("UU", "Perpres").
    Anything unknown (including Perppu) is ``"other"``. Case and surrounding spaces are ignored.
    """
    text = " ".join(label.split()).lower()
    if text in _KIND_ABBREVIATIONS:
        return _KIND_ABBREVIATIONS[text]
    for prefix, code in _KIND_PREFIXES:
        if text == prefix or text.startswith(prefix + " "):
            return code
    return RegulationKind.OTHER


def compose_title(kind_label: str, number: str, year: int, about: str) -> str:
    """The full display title: ``"<kind label> Nomor <number> Tahun <year> tentang <about>"``.

    ``kind_label`` is the name as the regulation itself writes it (e.g. "Peraturan Menteri PANRB").
    """
    return f"{kind_label} Nomor {number} Tahun {year} tentang {about}"


def kind_name(kind: str) -> str:
    """The Indonesian name of a kind code as titles write it ("uu" → "Undang-Undang"), whatever the active
    language (a regulation's title is Indonesian). ``""`` for an unknown code."""
    if kind not in RegulationKind.values:
        return ""
    with translation.override("id"):
        return str(RegulationKind(kind).label)


def default_title(kind: str, number: str, year: int | None, about: str) -> str:
    """The title a regulation gets when the editor leaves it empty: ``compose_title`` of the kind's name, number,
    year and "tentang" text, e.g. ``default_title("uu", "14", 2008, "Keterbukaan Informasi Publik")`` →
    "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik".

    ``""`` when a part is missing or the kind is "other" (``Lainnya`` is no name to cite a regulation by: such a
    title is typed). The kind's name has no issuer ("Peraturan Menteri", not "Peraturan Menteri PANRB"); an
    editor adds it by editing the composed title.
    """
    number, about = (number or "").strip(), (about or "").strip()
    if kind == RegulationKind.OTHER or not (kind_name(kind) and number and year and about):
        return ""
    return compose_title(kind_name(kind), number, year, about)


def default_slug(kind: str, number: str, year: int, about: str) -> str:
    """The short slug of a regulation: ``"<kind>-<number>-<year>-<about>"`` slugified, at most 80 characters
    (``"uu-14-2008-keterbukaan-informasi-publik"``). The demo seed uses it too."""
    return slugify(f"{kind}-{number}-{year}-{about}")[:80].strip("-")


def number_sort_key(number: str) -> int:
    """Leading digits of a regulation number as an integer ("14" → 14, "3/2022" → 3, "IV" → 0).

    Used so that ordering by number gives 1, 2, 14 rather than the string order 1, 14, 2.
    """
    match = re.match(r"\s*(\d+)", number or "")
    return min(int(match.group(1)), 2_000_000_000) if match else 0


class RegulationIndexPage(HeadlessPreviewMixin, Page):
    """The list of regulations (one per home page). Lists its live, public children with the filter form.

    Template context: ``filter`` (the bound ``RegulationFilterSet`` of ``regulasi.listing.page_filterset``;
    ``filter.form`` renders the form), ``active_filters`` (how many folded filters are in use),
    ``regulations`` (a Django ``Page`` of ``RegulationPage`` objects, ``INDEX_PAGE_SIZE`` per page,
    ``?page=N``) and ``query_string`` (the current filters without ``page``, for pagination links).
    """

    show_in_menus_default = True

    intro = RichTextField(_("introduction"), blank=True, features=ABSTRACT_FEATURES)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["regulasi.RegulationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("regulation index page")
        verbose_name_plural = _("regulation index pages")

    def get_context(self, request, *args, **kwargs):
        from regulasi.listing import active_filter_count, page_filterset

        context = super().get_context(request, *args, **kwargs)
        try:
            queryset = RegulationPage.listable(request).child_of(self)
        except (ValueError, Http404):  # a bogus ?site= parameter: show nothing rather than fail
            queryset = RegulationPage.objects.none()
        filterset = page_filterset(request, queryset)  # bound even without parameters: the default order applies
        results = filterset.qs if filterset.is_valid() else queryset.none()
        paginator = Paginator(results, INDEX_PAGE_SIZE)
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=filterset,
            active_filters=active_filter_count(filterset),
            regulations=paginator.get_page(request.GET.get("page")),
            query_string=query.urlencode(),
        )
        return context


class RegulationPageTag(TaggedItemBase):
    """A subject (tag) of a regulation, e.g. "Keterbukaan Informasi"."""

    content_object = ParentalKey("regulasi.RegulationPage", on_delete=models.CASCADE, related_name="tagged_items")


class RegulationPageForm(WagtailAdminPageForm):
    """The admin form of a regulation: its title is composed from kind, number, year and "tentang" text, so an
    editor types them once (Wagtail's documented ``base_form_class``).

    The rule: an empty title becomes ``default_title`` of the submitted fields; a saved title that still equals
    the title composed from the saved fields follows them when they change (correct the number, the title
    follows); a title the editor changed is kept as typed. An empty slug becomes ``default_slug``. A kind
    "other" (or a missing part) composes nothing: the title must then be typed (an error on ``title``).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "slug"):
            if name in self.fields:
                self.fields[name].required = False
        page = self.instance
        self._title_follows = bool(page.pk) and page.title == default_title(
            page.kind, page.number, page.year, page.about
        )

    def clean(self):
        data = self.cleaned_data
        title = (data.get("title") or "").strip()
        parts = (data.get("kind"), data.get("number"), data.get("year"), data.get("about"))
        composed = default_title(*parts)
        if composed and (not title or (self._title_follows and title == self.instance.title)):
            data["title"] = title = composed
        if not title:
            self.add_error(
                "title",
                _(
                    "Type the title: it is composed only from a kind other than “Lainnya”, a number, a year and "
                    "what the regulation is about."
                ),
            )
        elif not data.get("slug") and composed:
            data["slug"] = default_slug(*parts)
        return super().clean()


class RegulationPage(HeadlessPreviewMixin, Page):
    """One regulation (peraturan): kind, number, year, what it is about, status, replacement, subjects, PDF.

    - ``title`` is the full display title, e.g. "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan
      Informasi Publik"; ``about`` is the part after "tentang". In the admin the title is composed from kind,
      number, year and ``about`` when left empty and follows them until edited (``RegulationPageForm``).
    - ``number`` is a string ("14", "1", "3/2022"); ``year`` an integer; ``issued_on`` (date of enactment,
      *ditetapkan*) may be unknown (null).
    - ``status``: berlaku / diubah / dicabut. ``replaced_by`` names the regulation that revokes or amends this
      one; it is allowed only when the status is diubah or dicabut, and may not point to itself or form a cycle
      (``clean()`` raises ``ValidationError`` keyed by field).
    """

    kind = models.CharField(_("kind"), max_length=16, choices=RegulationKind.choices, default=RegulationKind.OTHER)
    number = models.CharField(_("number"), max_length=64, help_text=_('As written, e.g. "14" or "3/2022".'))
    number_sort = models.PositiveIntegerField(default=0, editable=False, db_index=True)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1800), MaxValueValidator(2200)], db_index=True
    )
    about = models.CharField(
        _("about (tentang)"),
        max_length=500,
        help_text=_('What the regulation is about, e.g. "Keterbukaan Informasi Publik".'),
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True, help_text=_("Leave empty if unknown."))
    status = models.CharField(
        _("status"), max_length=16, choices=RegulationStatus.choices, default=RegulationStatus.IN_FORCE, db_index=True
    )
    replaced_by = models.ForeignKey(
        "regulasi.RegulationPage",
        verbose_name=_("replaced or amended by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        help_text=_("Only for a regulation that is amended (diubah) or revoked (dicabut)."),
    )
    subjects = ClusterTaggableManager(_("subjects"), through=RegulationPageTag, blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document (PDF)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    abstract = RichTextField(_("abstract"), blank=True, features=ABSTRACT_FEATURES)

    content_panels = [
        TitleFieldPanel(
            "title",
            placeholder=_("Title (composed when left empty)"),
            help_text=_(
                "Leave it empty: it is composed from kind, number, year and what the regulation is about, and "
                "follows them until you change it, e.g. to add the issuer (“Peraturan Menteri PANRB …”)."
            ),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("number"), FieldPanel("year")]),
                FieldPanel("about"),
                FieldPanel("issued_on"),
            ],
            heading=_("Identity"),
        ),
        MultiFieldPanel([FieldPanel("status"), FieldPanel("replaced_by")], heading=_("Status")),
        FieldPanel("subjects"),
        FieldPanel("document"),
        FieldPanel("abstract"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("about"),
        index.SearchField("number"),
        index.SearchField("abstract"),
        index.AutocompleteField("about"),
        index.FilterField("kind"),
        index.FilterField("year"),
        index.FilterField("status"),
    ]
    #: Pages a rendering of a regulation names (``home.cache``): the replacement's title and URL.
    public_cache_related_pages = ("replaced_by",)

    api_fields = [
        APIField("kind"),
        APIField("kind_display", serializer=serializers.CharField(source="get_kind_display")),
        APIField("number"),
        APIField("year"),
        APIField("about"),
        APIField("issued_on"),
        APIField("status"),
        APIField("status_display", serializer=serializers.CharField(source="get_status_display")),
        APIField("replaced_by", serializer=PageLinkField()),
        APIField("subjects", serializer=PrefetchedTagsField()),
        APIField("document", serializer=DocumentLinkField()),
        APIField("abstract"),
    ]

    #: Read by home.api.wagtail.PublicPagesAPIViewSet so /api/v2/pages/?type=regulasi.RegulationPage stays flat.
    api_select_related = ["replaced_by", "document"]
    api_prefetch_related = ["subjects"]

    parent_page_types = ["regulasi.RegulationIndexPage"]
    subpage_types: list[str] = []
    base_form_class = RegulationPageForm

    class Meta:
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")

    @classmethod
    def listable(cls, request):
        """Live, public regulations of the request's site, with everything a listing shows pre-fetched.

        Excludes drafts and pages under a view restriction (and their descendants) the request does not pass.
        The query count of iterating the result does not depend on its length. ``?site=host[:port]`` selects
        another site (Wagtail's rule): ``Http404`` when unknown, ``ValueError`` when ambiguous.
        """
        return visible_pages(request, cls).select_related("replaced_by", "document").prefetch_related("subjects")

    def clean(self):
        """Validate ``replaced_by`` against ``status`` (see the class docstring)."""
        super().clean()
        if not self.replaced_by_id:
            return
        if self.status == RegulationStatus.IN_FORCE:
            raise ValidationError(
                {
                    "replaced_by": _(
                        "A regulation in force is not replaced. Set the status to diubah or dicabut, "
                        "or clear this field."
                    )
                }
            )
        if self.pk and self.replaced_by_id == self.pk:
            raise ValidationError({"replaced_by": _("A regulation cannot be replaced by itself.")})
        seen = {self.pk} if self.pk else set()
        current = self.replaced_by
        for _step in range(100):
            if current is None:
                break
            if current.pk in seen:
                raise ValidationError(
                    {"replaced_by": _("This would make a cycle: the chosen regulation is replaced by this one.")}
                )
            seen.add(current.pk)
            current = current.replaced_by

    def get_context(self, request, *args, **kwargs):
        """Adds ``document_visible``: the PDF link shows only when the request may see its collection."""
        from home.privacy import document_is_visible

        context = super().get_context(request, *args, **kwargs)
        context["document_visible"] = document_is_visible(self.document, request)
        return context

    def save(self, *args, **kwargs):
        self.number_sort = number_sort_key(self.number)
        return super().save(*args, **kwargs)

    @property
    def citation(self) -> str:
        """Short citation, e.g. "Undang-Undang 14/2008"."""
        return f"{self.get_kind_display()} {self.number}/{self.year}"
