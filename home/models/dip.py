"""The public-information list (DIP, Daftar Informasi Publik) — UU 14/2008 Pasal 9–11 and 17.

A :class:`PublicInformationIndexPage` (one per site, under the home page) holds
:class:`PublicInformationPage` entries. Each entry has an information class:

- ``berkala`` — periodic, published at least every 6 months (Pasal 9);
- ``serta_merta`` — immediate, threatens life or public order (Pasal 10);
- ``setiap_saat`` — available at any time on request (Pasal 11);
- ``dikecualikan`` — exempt (Pasal 17): carries the Pasal 17 ground (a–j; for j the statute), the consequence
  test (uji konsekuensi, Pasal 2(4): the harm of disclosing, and the public-interest weighing), the exemption
  period (Pasal 20) and the PPID's decision that fixed it (SK penetapan: number, date, file), and NEVER a file
  of the information itself: validation refuses documents on exempt entries and the API/templates never output
  one (:meth:`PublicInformationPage.public_documents`). The exempt entries together are the DIK (daftar
  informasi yang dikecualikan), listed without their content at ``<DIP index>/dikecualikan/`` and
  ``GET /api/v2/public-information/exempt/``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from ..api.fields import PublicDocumentsField, UnitBriefSerializer
from ..blocks import DocumentsBlock
from ..privacy import document_is_visible, document_payload, visible_documents
from .preview import HeadlessPreviewMixin


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


class PublicInformationIndexPage(HeadlessPreviewMixin, RoutablePageMixin, Page):
    """The DIP index (daftar informasi publik): one per site, under the home page; children are entries.

    The rendered page and ``GET /api/v2/public-information/`` use the same filter set
    (:class:`home.api.filters.PublicInformationFilter`): ``class``, ``unit`` (code), ``year``, ``search``.
    Its sub-page ``dikecualikan/`` (:meth:`exempt_list`) is the public DIK: the exempt entries without their
    content, as ``GET /api/v2/public-information/exempt/`` lists them.
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

    def exempt_entries(self):
        """Live, public exempt entries under this index (the DIK), unit and decision file loaded
        (:func:`exempt_information`)."""
        return exempt_information(PublicInformationPage.objects.child_of(self).live().public())

    def exempt_list_url(self, request=None) -> str:
        """URL of the public DIK list (this page's ``dikecualikan/`` route); ``""`` when the page has no URL."""
        url = self.get_url(request)
        return url + self.reverse_subpage("exempt_list") if url else ""

    @path("dikecualikan/", name="exempt_list")
    def exempt_list(self, request):
        """The public DIK (daftar informasi yang dikecualikan): every exempt entry with its Pasal 17 ground (and
        statute for j), consequence test (harm and public-interest weighing), exemption period and in-force
        state (:meth:`PublicInformationPage.exemption_in_force`, WIB date), and the PPID's decision (SK
        penetapan number, date and file when its collection is public) — never the summary or a document of the
        information itself. Same order as the API (``ground``, title); 20 a page."""
        page_obj = Paginator(self.exempt_entries(), self.PAGE_SIZE).get_page(request.GET.get("page"))
        today = timezone.localdate()
        items = [
            {"entry": row, "in_force": row.exemption_in_force(today), "decision_file": row.public_decision(request)}
            for row in page_obj.object_list
        ]
        context = Page.get_context(self, request)  # not the DIP list's filters and paginator
        context.update(items=items, entries=page_obj, paginator=page_obj.paginator, querystring="", today=today)
        return TemplateResponse(request, "home/public_information_exempt_list.html", context)

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


class PublicInformationPage(HeadlessPreviewMixin, Page):
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
    exemption_ground = models.CharField(
        _("Pasal 17 ground"),
        max_length=1,
        choices=Pasal17Ground.choices,
        blank=True,
        help_text=_("The letter of UU 14/2008 Pasal 17 that exempts this information."),
    )
    ground_statute = models.CharField(
        _("statute (ground j)"),
        max_length=255,
        blank=True,
        help_text=_(
            "For ground j only: the statute that bars disclosure, with its article "
            "(e.g. 'UU 7/1992 tentang Perbankan Pasal 40')."
        ),
    )
    consequence_test = models.TextField(
        _("consequence test: the harm"),
        blank=True,
        help_text=_(
            "The consequence that would follow if the information were disclosed (uji konsekuensi, "
            "UU 14/2008 Pasal 2(4) and Pasal 19)."
        ),
    )
    public_interest_test = models.TextField(
        _("consequence test: public-interest weighing"),
        blank=True,
        help_text=_(
            "Why withholding the information protects a greater interest than disclosing it "
            "(UU 14/2008 Pasal 2(4); Perki 1/2021)."
        ),
    )
    exemption_period = models.CharField(
        _("exemption period"),
        max_length=255,
        blank=True,
        help_text=_(
            "How long the information stays exempt, as the PPID decided (UU 14/2008 Pasal 20; PP 61/2010). "
            "Grounds a–f are never permanent (Pasal 20(1)): say until when or until what event, e.g. "
            "'5 tahun sejak ditetapkan' or 'Sampai pemeriksaan selesai'."
        ),
    )
    exempt_until = models.DateField(
        _("exempt until"),
        null=True,
        blank=True,
        help_text=_(
            "The last day of the exemption when the period ends on a date. After it, the DIK lists the entry "
            "as 'period ended' until the PPID reviews it. Leave empty when the period ends with an event."
        ),
    )
    decision_number = models.CharField(
        _("decision number (SK penetapan)"),
        max_length=128,
        blank=True,
        help_text=_("Number of the PPID's decision that fixed the exemption after the consequence test."),
    )
    decision_date = models.DateField(
        _("decision date"), null=True, blank=True, help_text=_("Date of the PPID's decision (SK penetapan).")
    )
    decision_document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("decision (file)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The signed decision (SK penetapan), published in the DIK list when its collection is public. "
            "Never the exempt information itself."
        ),
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
            [
                FieldPanel("exemption_ground"),
                FieldPanel("ground_statute"),
                FieldPanel("consequence_test"),
                FieldPanel("public_interest_test"),
                FieldRowPanel([FieldPanel("exemption_period"), FieldPanel("exempt_until")]),
            ],
            heading=_("Exemption and consequence test (only for exempt information)"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("decision_number"), FieldPanel("decision_date")]),
                FieldPanel("decision_document"),
            ],
            heading=_("PPID decision (SK penetapan; only for exempt information)"),
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

    def exemption_in_force(self, on: datetime.date | None = None) -> bool:
        """Whether the exemption holds on ``on`` (a WIB date, default today): an exempt entry whose period has
        no end date, or whose ``exempt_until`` is ``on`` or later (UU 14/2008 Pasal 20)."""
        on = on or timezone.localdate()
        return self.is_exempt and (self.exempt_until is None or on <= self.exempt_until)

    def public_decision(self, request=None) -> dict | None:
        """The decision file (SK penetapan) as an API dict (:func:`home.privacy.document_payload`), or ``None``
        when there is none or its collection is private for ``request``."""
        document = self.decision_document if self.decision_document_id else None
        if document is None or not document_is_visible(document, request):
            return None
        return document_payload(document, request)

    @property
    def ground_citation(self) -> str:
        """The ground as cited in a refusal: "UU 14/2008 Pasal 17 huruf h", for j followed by the statute."""
        if not self.exemption_ground:
            return ""
        text = f"UU 14/2008 Pasal 17 huruf {self.exemption_ground}"
        if self.exemption_ground == Pasal17Ground.J and self.ground_statute:
            text += f" jo. {self.ground_statute}"
        return text

    def clean(self):
        """Exempt entries need the Pasal 17 ground (for j the statute), both parts of the consequence test
        (harm, public-interest weighing), the exemption period and the PPID's decision (number and date, not in
        the future; ``exempt_until`` not before it), and may hold no document; other entries may not carry an
        exemption ground. Raises ``ValidationError`` keyed by field."""
        super().clean()
        errors: dict[str, str] = {}
        if self.year and self.year > timezone.localdate().year:
            errors["year"] = _("The year cannot be in the future.")
        if self.is_exempt:
            if not self.exemption_ground:
                errors["exemption_ground"] = _("Exempt information must cite its Pasal 17 ground.")
            elif self.exemption_ground == Pasal17Ground.J and not (self.ground_statute or "").strip():
                errors["ground_statute"] = _("Ground j needs the statute that bars disclosure.")
            if not (self.consequence_test or "").strip():
                errors["consequence_test"] = _("Exempt information must state the consequence test.")
            if not (self.public_interest_test or "").strip():
                errors["public_interest_test"] = _(
                    "Exempt information must state why withholding it serves a greater interest than disclosing it."
                )
            if not (self.exemption_period or "").strip():
                errors["exemption_period"] = _("Exempt information must state its exemption period (Pasal 20).")
            if not (self.decision_number or "").strip():
                errors["decision_number"] = _("Give the number of the PPID's decision (SK penetapan).")
            if self.decision_date is None:
                errors["decision_date"] = _("Give the date of the PPID's decision (SK penetapan).")
            elif self.decision_date > timezone.localdate():
                errors["decision_date"] = _("The decision date cannot be in the future.")
            elif self.exempt_until is not None and self.exempt_until < self.decision_date:
                errors["exempt_until"] = _("The exemption cannot end before the decision that fixed it.")
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


def exempt_information(queryset):
    """The exempt entries (the DIK) of a ``PublicInformationPage`` queryset, with unit and decision file joined,
    in the DIK's order: Pasal 17 ground, title, id."""
    return (
        queryset.filter(information_class=InformationClass.DIKECUALIKAN)
        .select_related("unit", "decision_document")
        .order_by("exemption_ground", "title", "pk")
    )


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
    APIField("ground_statute"),
    APIField("consequence_test"),
    APIField("public_interest_test"),
    APIField("exemption_period"),
    APIField("exempt_until"),
    APIField("decision_number"),
    APIField("decision_date"),
    APIField("documents", serializer=PublicDocumentsField()),
]
