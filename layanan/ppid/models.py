from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from layanan.core.crypto import EncryptedTextField
from layanan.core.models.tickets import Attachment, Ticket, service_manager

__all__ = [
    "EXEMPTION_GROUNDS",
    "KomisiInformasiDispute",
    "OBJECTION_REASONS",
    "ObjectionDetails",
    "ObjectionTicket",
    "PPIDRequestDetails",
    "PPIDRequestTicket",
]


class PPIDRequestTicket(Ticket):
    """Proxy for the operator desk list of PPID requests."""

    objects = service_manager("ppid_request")

    class Meta:
        proxy = True
        verbose_name = _("public-information request")
        verbose_name_plural = _("public-information requests")


class ObjectionTicket(Ticket):
    """Proxy for the operator desk list of objections (keberatan)."""

    objects = service_manager("objection")

    class Meta:
        proxy = True
        verbose_name = _("objection")
        verbose_name_plural = _("objections")


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


class KomisiInformasiDispute(models.Model):
    """The outcome of an information dispute (sengketa informasi) before the Komisi Informasi.

    ``objection``: the objection ticket whose answer is disputed (its ``ObjectionDetails.dispute_filed_on`` is
    the filing date); ``register_number``: the Komisi Informasi's case number; ``outcome`` (``pending`` until
    decided); ``outcome_date``: date of the mediation agreement or adjudication decision (WIB date).
    """

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending at the Komisi Informasi")
        MEDIATION = "mediation", _("Settled by mediation")
        GRANTED = "granted", _("Adjudication: petition granted")
        GRANTED_PART = "granted_part", _("Adjudication: petition granted in part")
        REJECTED = "rejected", _("Adjudication: petition rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")
        DISMISSED = "dismissed", _("Not accepted / dismissed")

    objection = models.OneToOneField(
        Ticket,
        verbose_name=_("objection"),
        on_delete=models.CASCADE,
        related_name="ki_dispute",
        limit_choices_to={"service": "objection"},
    )
    register_number = models.CharField(_("Komisi Informasi register number"), max_length=64, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_date = models.DateField(_("outcome date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Komisi Informasi dispute")
        verbose_name_plural = _("Komisi Informasi disputes")

    def __str__(self) -> str:
        return f"{self.objection.tracking_number}: {self.get_outcome_display()}"
