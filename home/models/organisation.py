"""The organisation as data: identity, contacts, social accounts, service charter, units and unit operators.

Nothing here is specific to one ministry: another public body edits these in the admin. The service desk
(``layanan``) reads them (units to dispose tickets to, the operators of each unit); nothing here reads the desk.
"""

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index


class Unit(index.Indexed, models.Model):
    """An organisational unit that owns information and receives dispositions (disposisi).

    Shape: ``code`` (short, unique, e.g. ``DEP1``), ``name``, ``kind`` (sekretariat / biro / kedeputian /
    inspektorat / other), optional ``parent`` unit, ``email`` for disposition notices, ``active``.
    """

    class Kind(models.TextChoices):
        SEKRETARIAT = "sekretariat", _("Secretariat (sekretariat)")
        BIRO = "biro", _("Bureau (biro)")
        KEDEPUTIAN = "kedeputian", _("Deputy unit (kedeputian)")
        INSPEKTORAT = "inspektorat", _("Inspectorate (inspektorat)")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.KEDEPUTIAN)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Receives disposition notices."))
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("parent"),
        FieldPanel("email"),
        FieldPanel("active"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("code"),
        index.AutocompleteField("name"),
        index.FilterField("active"),
        index.FilterField("kind"),
    ]

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


@register_setting(icon="site")
class OrganisationSettings(ClusterableModel, BaseSiteSetting):
    """Identity and contacts of the public body running this site (one per Wagtail site).

    Exposed to front ends by ``GET /api/v2/site/``.
    """

    name = models.CharField(_("organisation name"), max_length=255, default="Nama Instansi")
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    whatsapp = models.CharField(_("WhatsApp"), max_length=64, blank=True)
    office_hours = models.CharField(
        _("office hours"),
        max_length=255,
        blank=True,
        help_text=_("Shown to the public, e.g. 'Senin–Jumat 08.00–16.00 WIB'."),
    )
    service_charter = RichTextField(
        _("service charter (maklumat pelayanan)"), blank=True, features=["bold", "italic", "ol", "ul", "link"]
    )
    frontend_preview_url = models.URLField(
        _("front-end preview URL"),
        max_length=500,
        blank=True,
        help_text=_(
            "Address of the decoupled front end's preview page. When set, Preview in the page editor opens it "
            "with ?content_type=…&token=… (the front end reads the draft from /api/v2/page_preview/). Leave "
            "empty to preview on this site."
        ),
    )

    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("short_name"), FieldPanel("logo")], heading=_("Identity")),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("whatsapp"),
                FieldPanel("office_hours"),
            ],
            heading=_("Contacts"),
        ),
        InlinePanel("social_accounts", heading=_("Social-media accounts"), label=_("account")),
        FieldPanel("service_charter"),
        FieldPanel("frontend_preview_url", heading=_("Headless front end")),
    ]

    class Meta:
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name

    @property
    def whatsapp_url(self) -> str:
        """``https://wa.me/<digits>`` for :attr:`whatsapp`; a leading ``0`` becomes Indonesia's ``62``.

        ``"0812-1234-5678"`` → ``"https://wa.me/6281212345678"``; no number → ``""``.
        """
        digits = re.sub(r"\D", "", self.whatsapp or "")
        if not digits:
            return ""
        if digits.startswith("0"):
            digits = "62" + digits[1:]
        return f"https://wa.me/{digits}"

    @property
    def display_name(self) -> str:
        """The short name when set, else the full name (for tight spaces such as a phone header)."""
        return self.short_name or self.name


class SocialMediaAccount(Orderable):
    """An official social-media account of the organisation (platform + URL + handle)."""

    class Platform(models.TextChoices):
        INSTAGRAM = "instagram", "Instagram"
        X = "x", "X (Twitter)"
        FACEBOOK = "facebook", "Facebook"
        YOUTUBE = "youtube", "YouTube"
        TIKTOK = "tiktok", "TikTok"
        LINKEDIN = "linkedin", "LinkedIn"
        WHATSAPP = "whatsapp", "WhatsApp"
        OTHER = "other", _("Other")

    settings = ParentalKey(OrganisationSettings, on_delete=models.CASCADE, related_name="social_accounts")
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    handle = models.CharField(_("handle"), max_length=128, blank=True)
    url = models.URLField(_("URL"))

    panels = [FieldPanel("platform"), FieldPanel("handle"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("social-media account")

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.handle or self.url}"


class UnitMembership(models.Model):
    """Links an operator (user) to a unit whose disposed tickets they handle (role "Operator Unit"; in PPID
    terms a PPID Pelaksana of the unit, appointed by the PPID Utama).

    The table keeps its first name (``layanan_unitmembership``): the model moved from the service desk to the
    organisation without copying a row (``home`` migration 0002).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="unit_memberships"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="members")

    class Meta:
        db_table = "layanan_unitmembership"
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="layanan_unitmembership_unique")]
        verbose_name = _("unit membership")
        verbose_name_plural = _("unit memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit.code}"
