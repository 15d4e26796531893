from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["RetentionLog", "RetentionRule"]

LEGAL_BASIS = _(
    "UU 43/2009 tentang Kearsipan (keep records for the period of the body's records retention schedule, "
    "Jadwal Retensi Arsip) and UU 27/2022 tentang Pelindungan Data Pribadi, Pasal 43 (personal data are erased "
    "once no longer needed). Set the period of your body's retention schedule."
)


class RetentionRule(models.Model):
    """How long the closed tickets of one service keep their personal data (``layanan.core.retention``).

    ``keep_years``: calendar years after the ticket was closed (``closed_at``, WIB date). ``action``:
    ``anonymise`` (personal data, texts and files removed; the ticket stays for the statistics and annual
    reports) or ``delete`` (the ticket and everything of it). ``notice_days``: calendar days ahead the officers
    of the service are told what will be removed. ``active`` False: nothing happens for the service."""

    class Action(models.TextChoices):
        ANONYMISE = "anonymise", _("Anonymise (keep the ticket for statistics)")
        DELETE = "delete", _("Delete the ticket")

    service = models.CharField(_("service"), max_length=20, unique=True)
    keep_years = models.PositiveSmallIntegerField(_("keep for (years after closing)"), default=5, help_text=LEGAL_BASIS)
    action = models.CharField(_("then"), max_length=16, choices=Action.choices, default=Action.ANONYMISE)
    notice_days = models.PositiveSmallIntegerField(_("notice ahead (days)"), default=14)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["service"]

    def __str__(self) -> str:
        return f"{self.service}: {self.keep_years}"


class RetentionLog(models.Model):
    """What the retention task did or announced: one row per ticket and step (``noticed``, ``anonymised``,
    ``deleted``), with the tracking number kept (the ticket may be gone)."""

    class Step(models.TextChoices):
        NOTICED = "noticed", _("Announced")
        ANONYMISED = "anonymised", _("Anonymised")
        DELETED = "deleted", _("Deleted")

    at = models.DateTimeField(_("at"), default=timezone.now)
    service = models.CharField(_("service"), max_length=20)
    tracking_number = models.CharField(_("tracking number"), max_length=32, db_index=True)
    step = models.CharField(_("step"), max_length=16, choices=Step.choices)
    due = models.DateField(_("due on"), null=True, blank=True)

    class Meta:
        verbose_name = _("retention log entry")
        verbose_name_plural = _("retention log")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["tracking_number", "step"], name="layanan_retention_once_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.tracking_number} {self.step}"
