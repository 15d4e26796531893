"""Service-specific details of a ticket (one-to-one with ``Ticket``) and the operator↔unit link."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..crypto import EncryptedTextField
from .tickets import Attachment, Ticket

__all__ = [
    "EXEMPTION_GROUNDS",
    "OBJECTION_REASONS",
    "LaporCategory",
    "LaporDetails",
    "ObjectionDetails",
    "PPIDRequestDetails",
    "UnitMembership",
]


class ExemptionGround(models.TextChoices):
    """Pasal 17 UU 14/2008 grounds for exempt information (letters a–j)."""

    A = "a", _("(a) obstructs law enforcement")
    B = "b", _("(b) intellectual property / fair business competition")
    C = "c", _("(c) state defence and security")
    D = "d", _("(d) reveals Indonesia's natural wealth")
    E = "e", _("(e) harms national economic resilience")
    F = "f", _("(f) harms foreign relations")
    G = "g", _("(g) private authentic deeds and wills")
    H = "h", _("(h) reveals personal secrets")
    I = "i", _("(i) inter/intra-agency memoranda")  # noqa: E741
    J = "j", _("(j) not to be disclosed under another statute")


EXEMPTION_GROUNDS = ExemptionGround


class ObjectionReason(models.TextChoices):
    """Pasal 35(1) UU 14/2008 reasons for an objection (letters a–g); b–g may be settled by agreement."""

    A = "a", _("(a) request refused under the exemptions of Pasal 17")
    B = "b", _("(b) periodic information (Pasal 9) not published")
    C = "c", _("(c) request not answered")
    D = "d", _("(d) request answered not as requested")
    E = "e", _("(e) request not fulfilled")
    F = "f", _("(f) unreasonable fee")
    G = "g", _("(g) information delivered later than the law allows")


OBJECTION_REASONS = ObjectionReason


class PPIDRequestDetails(models.Model):
    """The SLIP request form (Perki 1/2021) and the decision (UU 14/2008 Pasal 22(7), 17).

    Identity: a person gives a NIK (on ``Ticket``, encrypted); a legal entity gives its legalisation decree
    number (``legal_entity_decree``). A proxy attaches a power of attorney. Outcome fields are filled by the
    ``decide`` transition.
    """

    class ApplicantType(models.TextChoices):
        PERSON = "person", _("Individual")
        LEGAL_ENTITY = "legal_entity", _("Legal entity")

    class ObtainMethod(models.TextChoices):
        INSPECT = "inspect", _("Inspect / read / listen / take notes")
        SOFT_COPY = "soft_copy", _("Soft copy")
        HARD_COPY = "hard_copy", _("Hard copy")

    class DeliveryMethod(models.TextChoices):
        IN_PERSON = "in_person", _("Collect in person")
        POST = "post", _("Post")
        COURIER = "courier", _("Courier")
        EMAIL = "email", _("E-mail")
        FAX = "fax", _("Fax")

    class Outcome(models.TextChoices):
        GRANTED_FULL = "granted_full", _("Granted in full")
        GRANTED_PART = "granted_part", _("Granted in part")
        REJECTED_EXEMPT = "rejected_exempt", _("Rejected: exempt information")
        NOT_HELD = "not_held", _("Not held by this body")
        NOT_YET_DOCUMENTED = "not_yet_documented", _("Not yet documented")

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, primary_key=True, related_name="ppid")
    applicant_type = models.CharField(
        _("applicant type"), max_length=20, choices=ApplicantType.choices, default=ApplicantType.PERSON
    )
    legal_entity_decree = models.CharField(_("legalisation decree number"), max_length=128, blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    occupation = models.CharField(_("occupation"), max_length=128, blank=True)
    is_proxy = models.BooleanField(_("filed by a proxy"), default=False)
    power_of_attorney = models.ForeignKey(
        Attachment, verbose_name=_("power of attorney"), null=True, blank=True, on_delete=models.SET_NULL
    )
    information_requested = models.TextField(_("information requested"))
    purpose = models.TextField(_("purpose of use"))
    obtain_method = models.CharField(_("how to obtain"), max_length=20, choices=ObtainMethod.choices)
    delivery_method = models.CharField(_("how to receive"), max_length=20, choices=DeliveryMethod.choices)

    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True)
    exemption_ground = models.CharField(_("Pasal 17 ground"), max_length=1, choices=ExemptionGround.choices, blank=True)
    outcome_reason = models.TextField(_("reason"), blank=True)
    holding_body = models.CharField(_("body holding the information"), max_length=255, blank=True)
    cost = models.DecimalField(_("cost (Rp)"), max_digits=12, decimal_places=0, null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("PPID request details")
        verbose_name_plural = _("PPID request details")

    def __str__(self) -> str:
        return f"{self.ticket.tracking_number}"


class ObjectionDetails(models.Model):
    """An objection (keberatan, UU 14/2008 Pasal 35–37) against ``request``.

    ``window_start``/``window_last_date`` record the 30-WD filing window checked at submission (Pasal 36(1)).
    ``decision`` and ``answered_at`` come from the Atasan PPID's answer (30 WD, Pasal 36(2));
    ``komisi_informasi_deadline`` is the applicant's 14-WD window to take a dispute further (Pasal 37).
    """

    class Decision(models.TextChoices):
        UPHELD = "upheld", _("Objection upheld")
        REJECTED = "rejected", _("Objection rejected")

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, primary_key=True, related_name="objection")
    request = models.ForeignKey(
        Ticket, verbose_name=_("original request"), on_delete=models.PROTECT, related_name="objections"
    )
    reason = models.CharField(_("reason (Pasal 35(1))"), max_length=1, choices=ObjectionReason.choices)
    window_start = models.DateField(_("reason arose on"), null=True, blank=True)
    window_last_date = models.DateField(_("last day to file"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    komisi_informasi_deadline = models.DateField(_("Komisi Informasi dispute deadline"), null=True, blank=True)
    dispute_filed_on = models.DateField(_("dispute filed with Komisi Informasi on"), null=True, blank=True)
    dispute_note = models.TextField(_("dispute note"), blank=True)

    class Meta:
        verbose_name = _("objection details")
        verbose_name_plural = _("objection details")

    def __str__(self) -> str:
        return f"{self.ticket.tracking_number} → {self.request.tracking_number}"


class LaporCategory(models.Model):
    """A hierarchical SP4N-LAPOR topic (category → sub-category), editable in the admin."""

    name = models.CharField(_("name"), max_length=128)
    slug = models.SlugField(_("slug"), max_length=128, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("LAPOR category")
        verbose_name_plural = _("LAPOR categories")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """``Parent › Child`` path of the category."""
        names, node, seen = [], self, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            names.append(node.name)
            node = node.parent
        return " › ".join(reversed(names))


class LaporDetails(models.Model):
    """SP4N-LAPOR specifics (UU 25/2009; Perpres 76/2013; PermenPANRB 62/2018).

    ``anonymous`` hides the reporter's identity from the unit handling the report; ``confidential`` keeps the
    report out of every public output. ``external_id`` is the tracking ID of the national LAPOR! system.
    ``field_examination`` switches the completion deadline to 60 calendar days.
    """

    class Classification(models.TextChoices):
        ASPIRATION = "aspirasi", _("Aspiration")
        COMPLAINT = "pengaduan", _("Complaint")
        INFORMATION_REQUEST = "permintaan_informasi", _("Information request")

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, primary_key=True, related_name="lapor")
    classification = models.CharField(_("classification"), max_length=24, choices=Classification.choices)
    category = models.ForeignKey(
        LaporCategory, verbose_name=_("category"), null=True, blank=True, on_delete=models.PROTECT
    )
    location = models.CharField(_("location"), max_length=255, blank=True)
    incident_date = models.DateField(_("date of incident"), null=True, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    confidential = models.BooleanField(_("confidential"), default=False)
    external_id = models.CharField(_("LAPOR! tracking ID"), max_length=64, blank=True)
    field_examination = models.BooleanField(_("needs field examination"), default=False)
    forwarded_to = models.CharField(_("forwarded to"), max_length=255, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)

    class Meta:
        verbose_name = _("LAPOR details")
        verbose_name_plural = _("LAPOR details")

    def __str__(self) -> str:
        return self.ticket.tracking_number


class UnitMembership(models.Model):
    """Links an operator (user) to a unit whose disposed tickets they handle (role "Operator Unit")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="unit_memberships"
    )
    unit = models.ForeignKey("home.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="members")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="layanan_unitmembership_unique")]
        verbose_name = _("unit membership")
        verbose_name_plural = _("unit memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit.code}"
