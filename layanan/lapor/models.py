from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from layanan.core.models.tickets import Ticket, service_manager

__all__ = ["LaporCategory", "LaporDetails", "LaporTicket"]


class LaporTicket(Ticket):
    """Proxy for the operator desk list of SP4N-LAPOR reports."""

    objects = service_manager("lapor")

    class Meta:
        proxy = True
        verbose_name = _("SP4N-LAPOR report")
        verbose_name_plural = _("SP4N-LAPOR reports")


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
