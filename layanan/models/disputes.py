"""Komisi Informasi disputes (the external milestone after an objection) and the export audit log of reports.

- :class:`KomisiInformasiDispute`: what became of a dispute the applicant took to the Komisi Informasi within
  14 WD of the objection answer (UU 14/2008 Pasal 37; procedure: Perki 1/2013 PPSIP). The filing itself is
  recorded on the objection by the workflow action ``record_dispute`` (``ObjectionDetails.dispute_filed_on``);
  this row adds the register number and the outcome, which arrive weeks or months later. Written only through
  :func:`layanan.reports.disputes.record_dispute_outcome`.
- :class:`ExportLog`: one row per report download (CSV, XLSX, printable HTML): who, when, which report, with
  which parameters, and whether personal data or unsuppressed small counts were included.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .tickets import Ticket

__all__ = ["ExportLog", "KomisiInformasiDispute"]


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


class ExportLog(models.Model):
    """Audit entry of one report export.

    ``report``: ``ppid_annual``, ``lapor_monthly`` or ``wbs``; ``export_format``: ``csv``, ``xlsx`` or
    ``html`` (printable page); ``parameters``: the report parameters as given (year, month, content, ...);
    ``personal_data``: the export held names/NIK/contact data (or WBS identity); ``unsuppressed``: WBS counts
    below the threshold were shown exactly; ``rows``: ticket rows in the export (0 for a summary only).
    ``username`` is kept even if the user is later deleted.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    report = models.CharField(_("report"), max_length=32, db_index=True)
    export_format = models.CharField(_("format"), max_length=8)
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    personal_data = models.BooleanField(_("with personal data"), default=False)
    unsuppressed = models.BooleanField(_("small counts unsuppressed"), default=False)
    rows = models.PositiveIntegerField(_("ticket rows"), default=0)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.report}.{self.export_format}"
