from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from layanan.core.models.tickets import Attachment, Ticket, TimelineEntry

__all__ = ["IssuedDocument"]


class IssuedDocument(models.Model):
    """A numbered document a step issued on a ticket (``layanan.core.documents``): the PPID's written notice
    (UU 14/2008 Pasal 22(7)) and refusal decision (Perki 1/2021), the Atasan PPID's answer to an objection
    (Pasal 36(2)).

    ``kind``: the document kind's code (``layanan.core.documents.kind``); ``number``: unique, one sequence per
    kind and WIB year (``layanan.core.numbering.next_document_number``); ``issued_at``: when the step was taken
    (aware; printed as a WIB date); ``timeline_entry``: the step that produced it; ``attachment``: its PDF, an
    applicant-visible attachment of that step (None once the retention removed the files); ``signer_name``:
    the officer who took the step, kept when the account is deleted ("" for a step taken by the system).
    """

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=32)
    number = models.CharField(_("number"), max_length=64, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    timeline_entry = models.ForeignKey(
        TimelineEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    attachment = models.OneToOneField(
        Attachment, null=True, blank=True, on_delete=models.SET_NULL, related_name="issued_document"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signer_name = models.CharField(_("signed by"), max_length=255, blank=True)

    class Meta:
        ordering = ["issued_at", "pk"]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")

    def __str__(self) -> str:
        return self.number
