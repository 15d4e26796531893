from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from layanan.core.crypto import EncryptedTextField
from layanan.core.models.tickets import Attachment, Ticket, service_manager

__all__ = [
    "EXEMPTION_GROUNDS",
    "AnnualReportNarrative",
    "CourtChallenge",
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
    ``decide`` transition; ``delivered_at`` by the ``deliver`` transition (its due date:
    :func:`layanan.ppid.windows.delivery_deadline`; a later delivery is objection ground (g), Pasal 35(1)(g)).
    The written notice's other parts (Pasal 22(7) a–g) come from ``decide`` as well: whether the request was
    forwarded to the body holding the information, the statute of ground j, the public-interest weighing of
    the consequence test, the material given, its format and means of delivery, how to pay the ``cost`` (Rp),
    and the time needed to provide it (working days).
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
    # The rest of the written notice (UU 14/2008 Pasal 22(7) a–g; Perki 1/2021), from ``decide`` too.
    forwarded_to_holder = models.BooleanField(_("request forwarded to the body holding it"), default=False)
    exemption_statute = models.CharField(_("statute barring disclosure (ground j)"), max_length=255, blank=True)
    public_interest = models.TextField(_("public-interest weighing"), blank=True)
    material_given = models.TextField(_("information material given"), blank=True)
    information_format = models.CharField(
        _("format of the information"), max_length=20, choices=ObtainMethod.choices, blank=True
    )
    notice_delivery = models.CharField(
        _("means of delivery"), max_length=20, choices=DeliveryMethod.choices, blank=True
    )
    payment_method = models.TextField(_("how to pay"), blank=True)
    time_needed_days = models.PositiveSmallIntegerField(_("time needed (working days)"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("information delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("PPID request details")
        verbose_name_plural = _("PPID request details")

    def __str__(self) -> str:
        return f"{self.ticket.tracking_number}"


class ObjectionDetails(models.Model):
    """An objection (keberatan, UU 14/2008 Pasal 35–37) against ``request``.

    ``request``: the request objected to; None only for reason (b) (periodic information not published, Pasal
    9), which needs no prior request. ``window_start``/``window_last_date`` record the 30-WD filing window
    checked at submission (Pasal 36(1); none for reason (b)). ``decision`` and ``answered_at`` come from the
    Atasan PPID's answer (30 WD, Pasal 36(2)); ``komisi_informasi_deadline`` is the last WIB date to take a
    dispute to the Komisi Informasi: 14 WD after the answer (Pasal 37), or, while unanswered, 14 WD after the
    30-WD answer period lapses (Perki 1/2013 Pasal 13) — one rule,
    :func:`layanan.ppid.windows.komisi_informasi_deadline`. The stored dates are re-derived when holidays change
    (:func:`layanan.ppid.windows.recompute_dates`).
    """

    class Decision(models.TextChoices):
        UPHELD = "upheld", _("Objection upheld")
        REJECTED = "rejected", _("Objection rejected")

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, primary_key=True, related_name="objection")
    request = models.ForeignKey(
        Ticket,
        verbose_name=_("original request"),
        on_delete=models.PROTECT,
        related_name="objections",
        null=True,
        blank=True,
    )
    reason = models.CharField(_("reason (Pasal 35(1))"), max_length=1, choices=ObjectionReason.choices)
    window_start = models.DateField(_("reason arose on"), null=True, blank=True)
    window_last_date = models.DateField(_("last day to file"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    komisi_informasi_deadline = models.DateField(_("Komisi Informasi dispute deadline"), null=True, blank=True)
    #: The Atasan PPID's answer: its considerations, and what the PPID must now do (``answer``).
    answer_ground = models.TextField(_("ground of the answer"), blank=True)
    answer_follow_up = models.TextField(_("what follows from the answer"), blank=True)
    dispute_filed_on = models.DateField(_("dispute filed with Komisi Informasi on"), null=True, blank=True)
    dispute_note = models.TextField(_("dispute note"), blank=True)
    #: The PPID carried out an upheld answer (gave the information), recorded at the desk (Perki 1/2021: the
    #: annual report says whether the Atasan PPID's answers were carried out). WIB date.
    answer_carried_out_on = models.DateField(_("answer carried out on"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection details")
        verbose_name_plural = _("objection details")

    def __str__(self) -> str:
        return f"{self.ticket.tracking_number} → {self.request.tracking_number if self.request else '-'}"


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
    #: The body carried out the mediation agreement or the adjudication decision (WIB date; annual report).
    carried_out_on = models.DateField(_("decision carried out on"), null=True, blank=True)
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


class CourtChallenge(models.Model):
    """A court challenge of a Komisi Informasi adjudication decision (UU 14/2008 Pasal 47–50), recorded at the
    desk against the objection whose dispute it continues.

    ``court``: the state administrative court (PTUN) when a state public body is sued, a district court (PN)
    otherwise (Pasal 47), or the Supreme Court in cassation (Pasal 50); ``filed_by``: the applicant or the
    public body; ``filed_on`` (WIB date); ``outcome`` (``pending`` until decided) and ``outcome_date``;
    ``carried_out_on``: the body carried out the court's decision (annual report, Perki 1/2021). The rules of
    recording are :func:`layanan.ppid.followup.record_court_challenge`.
    """

    class Court(models.TextChoices):
        PTUN = "ptun", _("State administrative court (PTUN), Pasal 47(1)")
        PN = "pn", _("District court (PN), Pasal 47(2)")
        MA = "ma", _("Supreme Court, cassation (Pasal 50)")

    class FiledBy(models.TextChoices):
        APPLICANT = "applicant", _("The applicant")
        PUBLIC_BODY = "public_body", _("The public body")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        UPHELD = "upheld", _("Komisi Informasi decision upheld (challenge rejected)")
        ANNULLED = "annulled", _("Komisi Informasi decision annulled (challenge granted)")
        AMENDED = "amended", _("Komisi Informasi decision amended (granted in part)")
        NOT_ACCEPTED = "not_accepted", _("Challenge not accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    objection = models.ForeignKey(
        Ticket,
        verbose_name=_("objection"),
        on_delete=models.CASCADE,
        related_name="court_challenges",
        limit_choices_to={"service": "objection"},
    )
    court = models.CharField(_("court"), max_length=8, choices=Court.choices)
    filed_by = models.CharField(_("filed by"), max_length=16, choices=FiledBy.choices)
    filed_on = models.DateField(_("filed on"))
    case_number = models.CharField(_("case number"), max_length=128, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_date = models.DateField(_("decision date"), null=True, blank=True)
    carried_out_on = models.DateField(_("decision carried out on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["filed_on", "pk"]
        verbose_name = _("court challenge")
        verbose_name_plural = _("court challenges")

    def __str__(self) -> str:
        return f"{self.objection.tracking_number}: {self.get_court_display()} {self.case_number}".strip()

    @property
    def is_cassation(self) -> bool:
        return self.court == self.Court.MA


class AnnualReportNarrative(models.Model):
    """The narrative sections of the PPID annual report of ``year`` (Perki 1/2021, the report's content), edited
    by the PPID beside the computed tables and printed with them: the information-service policy; the
    facilities, staff and budget of the service (and its use); constraints (internal and external); and
    recommendations and follow-up plans. Plain text, paragraphs separated by blank lines."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    policy = models.TextField(_("information-service policy"), blank=True)
    facilities = models.TextField(_("facilities and infrastructure"), blank=True)
    staff = models.TextField(_("human resources"), blank=True)
    budget = models.TextField(_("budget and its use"), blank=True)
    constraints = models.TextField(_("internal and external constraints"), blank=True)
    recommendations = models.TextField(_("recommendations and follow-up plans"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    #: The sections in report order: (field name, section heading is the field's verbose name).
    SECTIONS = ("policy", "facilities", "staff", "budget", "constraints", "recommendations")

    class Meta:
        verbose_name = _("annual report narrative")
        verbose_name_plural = _("annual report narratives")

    def __str__(self) -> str:
        return str(self.year)

    def sections(self) -> list[tuple[str, str, str]]:
        """``[(field name, heading, text)]`` in report order (text may be empty)."""
        return [(name, str(self._meta.get_field(name).verbose_name), getattr(self, name)) for name in self.SECTIONS]
