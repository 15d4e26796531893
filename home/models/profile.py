"""The PPID profile page (profil PPID) and its officials. One per site, under the home page."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Orderable, Page
from wagtail.search import index

from ..api.fields import HTMLField
from ..blocks import DocumentsBlock, LegalBasisBlock
from .preview import HeadlessPreviewMixin

PROFILE_FEATURES = ["h3", "h4", "bold", "italic", "link", "ol", "ul", "document-link"]


class PPIDProfilePage(HeadlessPreviewMixin, Page):
    """The PPID profile (profil PPID): vision and mission, legal basis, duties and functions, organisation
    structure and officials, service hours, contact, service charter (maklumat pelayanan), SOP documents.

    One per site, under the home page. Empty service hours / contact / service charter fall back to the
    site's :class:`~home.models.OrganisationSettings` (one source for both).
    """

    #: A rendering shows the titles and URLs of the regulations of its legal basis (``home.cache``).
    public_cache_shows_types = ("regulasi.RegulationPage",)

    vision = RichTextField(_("vision"), blank=True, features=PROFILE_FEATURES)
    mission = RichTextField(_("mission"), blank=True, features=PROFILE_FEATURES)
    legal_basis = StreamField(
        LegalBasisBlock(),
        verbose_name=_("legal basis"),
        blank=True,
        help_text=_("Regulations the PPID works under, e.g. UU 14/2008 and PP 61/2010."),
    )
    duties_and_functions = RichTextField(_("duties and functions"), blank=True, features=PROFILE_FEATURES)
    structure_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("organisation structure chart"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    service_hours = models.TextField(
        _("service hours"), blank=True, help_text=_("Leave empty to use the organisation's office hours.")
    )
    contact = RichTextField(
        _("contact"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Leave empty to use the organisation's contacts."),
    )
    service_charter = RichTextField(
        _("service charter (maklumat pelayanan)"),
        blank=True,
        features=PROFILE_FEATURES,
        help_text=_("Leave empty to use the organisation's service charter."),
    )
    sop_documents = StreamField(DocumentsBlock(), verbose_name=_("SOP documents"), blank=True)

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.StandardPage"]
    max_count_per_parent = 1
    show_in_menus_default = True

    content_panels = Page.content_panels + [
        FieldPanel("vision"),
        FieldPanel("mission"),
        FieldPanel("legal_basis"),
        FieldPanel("duties_and_functions"),
        MultiFieldPanel(
            [FieldPanel("structure_image"), InlinePanel("officials", label=_("official"))],
            heading=_("Organisation structure"),
        ),
        MultiFieldPanel(
            [FieldPanel("service_hours"), FieldPanel("contact"), FieldPanel("service_charter")],
            heading=_("Service"),
        ),
        FieldPanel("sop_documents"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("vision"),
        index.SearchField("mission"),
        index.SearchField("duties_and_functions"),
        index.SearchField("service_charter"),
    ]

    class Meta:
        verbose_name = _("PPID profile page")

    # -- one source for contacts and the charter ---------------------------------------------------------------

    def organisation(self):
        """The :class:`OrganisationSettings` of this page's site (``None`` when the page has no site)."""
        from .organisation import OrganisationSettings

        site = self.get_site()
        return OrganisationSettings.for_site(site) if site else None

    def get_service_hours(self) -> str:
        """This page's service hours, else the organisation's office hours (plain text)."""
        if self.service_hours:
            return self.service_hours
        org = self.organisation()
        return org.office_hours if org else ""

    def get_service_charter(self) -> str:
        """This page's service charter, else the organisation's (Wagtail database HTML; render with
        ``|richtext`` or ``expand_db_html``)."""
        if self.service_charter:
            return self.service_charter
        org = self.organisation()
        return org.service_charter if org else ""

    def get_contact(self) -> str:
        """This page's contact text (database HTML); ``""`` means: show the organisation's contacts."""
        return self.contact


class OfficialSerializer(serializers.Serializer):
    """``{"name", "position", "role", "role_label", "unit": {"code","name"}|null, "photo": rendition 300×300}``."""

    name = serializers.CharField()
    position = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField(source="get_role_display")
    unit = serializers.SerializerMethodField()
    photo = ImageRenditionField("fill-300x300-c100")

    def get_unit(self, official) -> dict | None:
        unit = official.unit
        return {"code": unit.code, "name": unit.name} if unit else None


PPIDProfilePage.api_fields = [
    APIField("vision"),
    APIField("mission"),
    APIField("legal_basis"),
    APIField("duties_and_functions"),
    APIField("structure_image", serializer=ImageRenditionField("max-1600x1600")),
    APIField(
        "officials",
        serializer=OfficialSerializer(source="officials.all", many=True, read_only=True),
    ),
    APIField("service_hours", serializer=serializers.CharField(source="get_service_hours", read_only=True)),
    APIField("contact", serializer=HTMLField(source="get_contact")),
    APIField("service_charter", serializer=HTMLField(source="get_service_charter")),
    APIField("sop_documents"),
]


class PPIDOfficial(Orderable):
    """An official in the PPID structure (Atasan PPID, PPID Utama, PPID Pelaksana, …) with photo."""

    class Role(models.TextChoices):
        SUPERIOR = "atasan", _("PPID superior (Atasan PPID)")
        MAIN = "utama", _("Main PPID (PPID Utama)")
        IMPLEMENTING = "pelaksana", _("Implementing PPID (PPID Pelaksana)")
        SECRETARIAT = "sekretariat", _("PPID secretariat")
        OTHER = "other", _("Other")

    page = ParentalKey(PPIDProfilePage, on_delete=models.CASCADE, related_name="officials")
    name = models.CharField(_("name"), max_length=255)
    position = models.CharField(_("position"), max_length=255)
    role = models.CharField(_("PPID role"), max_length=20, choices=Role.choices, default=Role.OTHER)
    unit = models.ForeignKey(
        "home.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("name"), FieldPanel("position"), FieldPanel("role"), FieldPanel("unit"), FieldPanel("photo")]

    class Meta(Orderable.Meta):
        verbose_name = _("official")
        verbose_name_plural = _("officials")

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"
