from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["ExportLog"]


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
