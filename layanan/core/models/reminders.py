"""Reminder log: which scheduled reminder went to whom for which day, so a reminder is never sent twice.

The daily digest (``layanan.core.notifications.send_digest``) claims one :class:`ReminderLog` row per
(kind, WIB day, recipient) before sending; a second run for the same day — a catch-up after the task worker
was stopped, a django-q2 retry after a failed run, two clusters running the same schedule — finds the row and
sends nothing to that recipient. A failed send rolls its claim back, so the retry sends it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ReminderLog"]


class ReminderLog(models.Model):
    """One reminder e-mail sent: ``kind`` (e.g. ``digest``), ``day`` (WIB date it is for), ``recipient``
    (e-mail address), ``sent_at`` (UTC), ``tickets`` (how many tickets it listed)."""

    class Kind(models.TextChoices):
        DIGEST = "digest", _("Daily digest")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    day = models.DateField(_("day"))
    recipient = models.CharField(_("recipient"), max_length=254)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    tickets = models.PositiveIntegerField(_("tickets listed"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "day", "recipient"], name="layanan_reminder_once_per_day")
        ]
        ordering = ["-day", "recipient"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")

    def __str__(self) -> str:
        return f"{self.kind} {self.day} → {self.recipient}"
