from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["OutboxTask"]


class OutboxTask(models.Model):
    """Work that must happen after a change commits — an e-mail notice today, a channel reply tomorrow — written
    in the SAME transaction as the change (so it exists exactly when the change does) and handed to the
    django-q2 broker after the commit. A broker that cannot take it (Redis down) delays it; nothing is lost:
    ``layanan.core.outbox.drain`` (scheduled every minute, and ``manage.py send_outbox``) hands over what is
    still pending. See :mod:`layanan.core.outbox`.

    ``func``: dotted path of the task (``layanan.tasks.notify_received``); ``args``: its JSON arguments.
    ``enqueued_at``: last hand-over to the broker (UTC); ``done_at``: when the task finished (UTC);
    ``attempts``: hand-overs so far; ``last_error``: the last failure (broker or task), for the admin.
    """

    func = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    enqueued_at = models.DateTimeField(_("handed to the queue at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True, db_index=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox task")
        verbose_name_plural = _("outbox tasks")
        indexes = [
            models.Index(fields=["created_at"], name="layanan_outbox_pending", condition=models.Q(done_at__isnull=True))
        ]

    def __str__(self) -> str:
        return f"{self.func}{tuple(self.args)}"
