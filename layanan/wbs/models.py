"""Whistleblowing (WBS) reports: the detail model beside ``Ticket`` and the Inspektorat's desk proxy.

Permenko Marves 3/2022 (run by the Inspektorat): a WBS report concerns violations of law or policy and KKN by
the body's own staff. Confidentiality is the feature, so:

- every narrative field (what, where, when, who, unit, how) and every identity field (name, contact, e-mail)
  is an :class:`~layanan.core.crypto.EncryptedTextField` (Fernet, key ``PESAN_ENCRYPTION_KEY``);
- ``Ticket.subject`` holds only the violation type label, ``Ticket.description`` and the applicant columns
  stay empty, and messages on the timeline are stored in ``TimelineEntry.note_sealed``;
- the receipt code (``layanan.wbs.receipt``) is stored only as a slow hash in ``Ticket.access_token_hash``; the
  random, non-secret ``receipt_lookup`` part finds the row without hashing against every report;
- no IP address, user agent or referrer is stored anywhere (``layanan.wbs.privacy``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from layanan.core.crypto import EncryptedTextField
from layanan.core.models.tickets import Ticket, service_manager

__all__ = ["LawEnforcementBody", "ViolationType", "WbsReportDetails", "WbsTicket"]


class ViolationType(models.TextChoices):
    """What a WBS report is about: the KPK's seven corruption groups (UU 31/1999 jo. UU 20/2001, as grouped
    by the KPK) plus the other violations of Permenko Marves 3/2022."""

    STATE_FINANCIAL_LOSS = "state_financial_loss", _("State financial loss")
    BRIBERY = "bribery", _("Bribery")
    EMBEZZLEMENT = "embezzlement", _("Embezzlement in office")
    EXTORTION = "extortion", _("Extortion")
    FRAUD = "fraud", _("Fraud")
    PROCUREMENT_CONFLICT = "procurement_conflict", _("Conflict of interest in procurement")
    GRATIFICATION = "gratification", _("Gratification")
    ABUSE_OF_AUTHORITY = "abuse_of_authority", _("Abuse of authority")
    DISCIPLINE_ETHICS = "discipline_ethics", _("Breach of discipline or code of ethics")
    CONFLICT_OF_INTEREST = "conflict_of_interest", _("Conflict of interest")
    ADMINISTRATIVE = "administrative", _("Administrative violation")


class LawEnforcementBody(models.TextChoices):
    """Where the Inspektorat refers a case (``refer`` action)."""

    KPK = "kpk", _("Corruption Eradication Commission (KPK)")
    POLICE = "police", _("Police (Polri)")
    PROSECUTOR = "prosecutor", _("Public Prosecution Service (Kejaksaan)")
    OTHER = "other", _("Other law-enforcement body")


#: The KPK's seven groups of corruption offences (the first seven ``ViolationType`` values).
CORRUPTION_GROUPS = (
    ViolationType.STATE_FINANCIAL_LOSS,
    ViolationType.BRIBERY,
    ViolationType.EMBEZZLEMENT,
    ViolationType.EXTORTION,
    ViolationType.FRAUD,
    ViolationType.PROCUREMENT_CONFLICT,
    ViolationType.GRATIFICATION,
)


class WbsReportDetails(models.Model):
    """The content of a WBS report (one-to-one with its ``Ticket``, ``ticket.wbs``).

    Narrative (encrypted): ``what``, ``where``, ``when`` (free text: the reporter may not know an exact date),
    ``who`` (the reported party), ``reported_unit``, ``how``. Identity (optional, encrypted): ``reporter_name``,
    ``reporter_contact`` (phone or any other means), ``reporter_email`` — the only address the desk ever writes
    to, and only with content-free notices. ``receipt_lookup``: the public, random part of the receipt code
    (not secret; NULL for reports transferred in from SP4N-LAPOR, whose reporter keeps their token).
    ``acknowledged_at``: when the Inspektorat acknowledged receipt (starts the feedback timer).
    ``law_enforcement_body``: where the case was referred (KPK, police, prosecutor).
    """

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, primary_key=True, related_name="wbs")
    violation_type = models.CharField(_("violation type"), max_length=32, choices=ViolationType.choices)
    what = EncryptedTextField(_("what happened"))
    where = EncryptedTextField(_("where"), blank=True)
    when = EncryptedTextField(_("when"), blank=True)
    who = EncryptedTextField(_("who (reported party)"), blank=True)
    reported_unit = EncryptedTextField(_("unit of the reported party"), blank=True)
    how = EncryptedTextField(_("how"), blank=True)

    reporter_name = EncryptedTextField(_("reporter name"), blank=True)
    reporter_contact = EncryptedTextField(_("reporter contact"), blank=True)
    reporter_email = EncryptedTextField(_("reporter e-mail (for notices)"), blank=True)

    receipt_lookup = models.CharField(max_length=16, unique=True, null=True, blank=True, editable=False)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    law_enforcement_body = models.CharField(
        _("referred to"), max_length=32, blank=True, choices=LawEnforcementBody.choices
    )

    class Meta:
        verbose_name = _("WBS report details")
        verbose_name_plural = _("WBS report details")

    def __str__(self) -> str:
        return self.ticket.tracking_number

    @property
    def anonymous(self) -> bool:
        """True when the reporter left neither a name nor any contact."""
        return not (self.reporter_name or self.reporter_contact or self.reporter_email)


class WbsTicket(Ticket):
    """Proxy for the Inspektorat's desk list of WBS reports (only the "Inspektorat (WBS)" role sees it)."""

    objects = service_manager("wbs")

    class Meta:
        proxy = True
        verbose_name = _("WBS report")
        verbose_name_plural = _("WBS reports")
