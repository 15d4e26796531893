"""The public-information list (DIP, Daftar Informasi Publik) — UU 14/2008 Pasal 9–11 and 17.

A :class:`PublicInformationIndexPage` (one per site, under the home page) holds
:class:`PublicInformationPage` entries. Each entry has an information class:

- ``berkala`` — periodic, published at least every 6 months (Pasal 9);
- ``serta_merta`` — immediate, threatens life or public order (Pasal 10);
- ``setiap_saat`` — available at any time on request (Pasal 11);
- ``dikecualikan`` — exempt (Pasal 17): carries the Pasal 17 ground (a–j) and the consequence test
  (uji konsekuensi, Pasal 2(4)), and NEVER a file: validation refuses documents on exempt entries and the
  API/templates never output one (:meth:`PublicInformationPage.public_documents`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..api.fields import PublicDocumentsField, UnitBriefSerializer
from ..blocks import DocumentsBlock
from ..privacy import document_payload, visible_documents


class InformationClass(models.TextChoices):
    """Classes of public information (UU 14/2008 Pasal 9, 10, 11, 17)."""

    BERKALA = "berkala", _("Periodic (berkala)")
    SERTA_MERTA = "serta_merta", _("Immediate (serta merta)")
    SETIAP_SAAT = "setiap_saat", _("Available at any time (setiap saat)")
    DIKECUALIKAN = "dikecualikan", _("Exempt (dikecualikan)")


class Pasal17Ground(models.TextChoices):
    """Grounds for exempting information, UU 14/2008 Pasal 17 letters a–j.

    Also the grounds a PPID cites when it rejects a request (Pasal 22(7)); the service desk reuses them.
    """

    A = "a", _("a. Would obstruct law enforcement")
    B = "b", _("b. Would harm intellectual-property protection or fair competition")
    C = "c", _("c. Would endanger national defence and security")
    D = "d", _("d. Would reveal Indonesia's natural wealth")
    E = "e", _("e. Would harm national economic resilience")
    F = "f", _("f. Would harm foreign relations")
    G = "g", _("g. Would reveal private authentic deeds or a person's last will")
    H = "h", _("h. Would reveal personal secrets")
    I = "i", _("i. Memoranda or letters between or within public bodies that are confidential by nature")  # noqa: E741
    J = "j", _("j. Information that may not be disclosed under another statute")


class InformationFormat(models.TextChoices):
    """Format in which the information is held (DIP column 'bentuk informasi')."""

    SOFT = "soft", _("Soft copy")
    HARD = "hard", _("Hard copy")
    BOTH = "both", _("Soft and hard copy")


def year_validators():
    return [MinValueValidator(1945), MaxValueValidator(2100)]


class PublicInformationIndexPage(Page):
    """The DIP index (daftar informasi publik): one per site, under the home page; children are entries.

    The rendered page and ``GET /api/v2/public-information/`` use the same filter set
    (:class:`home.api.filters.PublicInformationFilter`): ``class``, ``unit`` (code), ``year``, ``search``.
    """

    intro = RichTextField(_("intro"), blank=True, features=["bold", "italic", "link", "ol", "ul"])

    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.PublicInformationPage"]
    max_count_per_parent = 1
    show_in_menus_default = True

    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro")]

    PAGE_SIZE = 20

    class Meta:
        verbose_name = _("public-information list (DIP)")

    def entries(self):
        """Live, public entries under this index, with unit loaded, ordered by class, year (newest), title."""
        return (
            PublicInformationPage.objects.child_of(self)
            .live()
            .public()
            .select_related("unit")
            .order_by("information_class", "-year", "title")
        )

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        from ..api.filters import PublicInformationFilter
        from .organisation import Unit

        context = super().get_context(request, *args, **kwargs)
        filterset = PublicInformationFilter(request.GET or None, queryset=self.entries(), request=request)
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else self.entries()
        paginator = Paginator(qs, self.PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            filterset=filterset,
            entries=page_obj,
            paginator=paginator,
            querystring=query.urlencode(),
            information_classes=InformationClass.choices,
            units=Unit.objects.filter(active=True),
        )
        return context


class PublicInformationPage(Page):
    """One DIP entry: a piece of public information the body holds.

    Columns (Perki 1/2021): summary (ringkasan isi), owning unit (:class:`~home.models.Unit`), person
    responsible, when and where made, format (soft/hard copy), retention period, year, documents. Exempt
    entries (``dikecualikan``) must give the Pasal 17 ground and the consequence test, and can hold no
    document (UU 14/2008 Pasal 17; consequence test Pasal 2(4)).
    """

    information_class = models.CharField(
        _("information class"), max_length=20, choices=InformationClass.choices, default=InformationClass.BERKALA
    )
    summary = models.TextField(_("summary"), help_text=_("What the information contains (ringkasan isi informasi)."))
    unit = models.ForeignKey(
        "home.Unit", verbose_name=_("unit holding the information"), on_delete=models.PROTECT, related_name="+"
    )
    person_responsible = models.CharField(_("person responsible"), max_length=255)
    made_when = models.CharField(_("when made"), max_length=120, blank=True, help_text=_("E.g. 'Januari 2025'."))
    made_where = models.CharField(_("where made"), max_length=255, blank=True)
    information_format = models.CharField(
        _("format"), max_length=10, choices=InformationFormat.choices, default=InformationFormat.SOFT
    )
    retention_period = models.CharField(
        _("retention period"), max_length=120, blank=True, help_text=_("E.g. '5 tahun' or 'Selama berlaku'.")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=year_validators(), db_index=True)
    exemption_ground = models.CharField(_("Pasal 17 ground"), max_length=1, choices=Pasal17Ground.choices, blank=True)
    consequence_test = models.TextField(
        _("consequence test"),
        blank=True,
        help_text=_("The consequence that would follow if the information were disclosed (uji konsekuensi)."),
    )
    documents = StreamField(
        DocumentsBlock(),
        verbose_name=_("documents"),
        blank=True,
        help_text=_("Not allowed on exempt (dikecualikan) information."),
    )

    parent_page_types = ["home.PublicInformationIndexPage"]
    subpage_types: list[str] = []
    #: Joined in API listings so the query count does not grow with the page size.
    api_select_related = ["unit"]

    content_panels = Page.content_panels + [
        FieldPanel("information_class"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("unit"),
                FieldPanel("person_responsible"),
                FieldRowPanel([FieldPanel("made_when"), FieldPanel("made_where")]),
                FieldRowPanel([FieldPanel("information_format"), FieldPanel("retention_period"), FieldPanel("year")]),
            ],
            heading=_("DIP columns"),
        ),
        MultiFieldPanel(
            [FieldPanel("exemption_ground"), FieldPanel("consequence_test")],
            heading=_("Exemption (only for exempt information)"),
        ),
        FieldPanel("documents"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("person_responsible"),
        index.AutocompleteField("summary"),
        index.FilterField("information_class"),
        index.FilterField("year"),
        index.FilterField("unit"),
        index.RelatedFields("unit", [index.SearchField("name"), index.SearchField("code")]),
    ]

    class Meta:
        verbose_name = _("public-information entry (DIP)")
        verbose_name_plural = _("public-information entries (DIP)")

    @property
    def is_exempt(self) -> bool:
        return self.information_class == InformationClass.DIKECUALIKAN

    def clean(self):
        """Exempt entries need a Pasal 17 ground and a consequence test and may hold no document; other
        entries may not carry an exemption ground. Raises ``ValidationError`` keyed by field."""
        super().clean()
        errors: dict[str, str] = {}
        if self.year and self.year > timezone.localdate().year:
            errors["year"] = _("The year cannot be in the future.")
        if self.is_exempt:
            if not self.exemption_ground:
                errors["exemption_ground"] = _("Exempt information must cite its Pasal 17 ground.")
            if not (self.consequence_test or "").strip():
                errors["consequence_test"] = _("Exempt information must state the consequence test.")
            if len(self.documents or []):
                errors["documents"] = _("Exempt information cannot have documents: remove them first.")
        elif self.exemption_ground:
            errors["exemption_ground"] = _("Only exempt information carries a Pasal 17 ground.")
        if errors:
            raise ValidationError(errors)

    # -- what the public may download --------------------------------------------------------------------------

    def document_ids(self) -> list[int]:
        """IDs of the documents in :attr:`documents`, read from the raw stream data (no query)."""
        ids = []
        for item in self.documents.raw_data:
            value = item.get("value") or {}
            if isinstance(value, dict) and value.get("document"):
                ids.append(int(value["document"]))
        return ids

    def public_documents(self, request=None, documents_by_id: dict | None = None) -> list[dict]:
        """The downloadable documents as API dicts (see :func:`home.privacy.document_payload`).

        Always ``[]`` for exempt entries, whatever is stored. Documents in collections private for
        ``request`` are left out. ``documents_by_id`` (from :func:`home.privacy.visible_documents`) lets a
        listing fetch the documents of many entries in one query.
        """
        if self.is_exempt:
            return []
        if documents_by_id is None:
            documents_by_id = visible_documents(self.document_ids(), request)
        out = []
        for item in self.documents.raw_data:
            value = item.get("value") or {}
            doc = documents_by_id.get(int(value.get("document") or 0))
            if doc is not None:
                out.append(document_payload(doc, request, value.get("title") or ""))
        return out

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["downloads"] = self.public_documents(request)
        return context


PublicInformationPage.api_fields = [
    APIField("information_class"),
    APIField(
        "information_class_label",
        serializer=serializers.CharField(source="get_information_class_display", read_only=True),
    ),
    APIField("summary"),
    APIField("unit", serializer=UnitBriefSerializer(read_only=True)),
    APIField("person_responsible"),
    APIField("made_when"),
    APIField("made_where"),
    APIField("information_format"),
    APIField("retention_period"),
    APIField("year"),
    APIField("exemption_ground"),
    APIField(
        "exemption_ground_label",
        serializer=serializers.CharField(source="get_exemption_ground_display", read_only=True),
    ),
    APIField("consequence_test"),
    APIField("documents", serializer=PublicDocumentsField()),
]
