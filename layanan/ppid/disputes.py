"""Recording what the Komisi Informasi decided on a dispute (UU 14/2008 Pasal 37; Perki 1/2013 PPSIP)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from layanan.core.access import tickets_visible_to
from layanan.core.deadlines import today_wib
from layanan.core.events import record_event
from layanan.core.models.tickets import Ticket
from layanan.ppid.models import KomisiInformasiDispute

__all__ = ["can_record_dispute_outcome", "record_dispute_outcome"]

#: Permissions (any one) that may record a dispute outcome: the Atasan PPID and the PPID Utama.
DISPUTE_PERMISSIONS = ("decide_objection", "handle_ppid")


def can_record_dispute_outcome(user) -> bool:
    return user is not None and any(user.has_perm(f"layanan.{p}") for p in DISPUTE_PERMISSIONS)


def record_dispute_outcome(
    objection, user, *, outcome: str, outcome_date: datetime.date | None = None, register_number: str = "", note=""
):
    """Record (or correct) the outcome of the Komisi Informasi dispute on ``objection`` (an objection ticket).

    The dispute must have been recorded as filed first (workflow action ``record_dispute`` sets
    ``ObjectionDetails.dispute_filed_on``). ``outcome``: a ``KomisiInformasiDispute.Outcome`` value; a final
    outcome needs ``outcome_date`` (WIB date, not before the filing date, not in the future). One transaction:
    the dispute row and an internal timeline entry (``dispute_outcome``). Returns the ``KomisiInformasiDispute``.

    Raises ``PermissionDenied`` when ``user`` may not (Atasan PPID / PPID Utama, and the ticket visible to
    them) and ``ValidationError({field: Indonesian message})`` for bad input; nothing is stored then.
    """

    if not can_record_dispute_outcome(user):
        raise PermissionDenied
    outcomes = KomisiInformasiDispute.Outcome
    errors = {}
    if outcome not in outcomes.values:
        errors["outcome"] = gettext("Select a valid choice.")
    elif outcome != outcomes.PENDING and outcome_date is None:
        errors["outcome_date"] = gettext("Give the date of the mediation agreement or the decision.")
    with transaction.atomic():
        ticket = tickets_visible_to(user, "objection").select_for_update().filter(pk=objection.pk).first()
        if ticket is None:
            raise PermissionDenied
        ticket = Ticket.objects.select_related("objection").get(pk=ticket.pk)
        filed_on = ticket.objection.dispute_filed_on
        if filed_on is None:
            errors["outcome"] = gettext("Record the dispute as filed with the Komisi Informasi first.")
        if outcome_date is not None and "outcome_date" not in errors:
            if filed_on is not None and outcome_date < filed_on:
                errors["outcome_date"] = gettext("The outcome cannot be dated before the dispute was filed.")
            elif outcome_date > today_wib():
                errors["outcome_date"] = gettext("The date cannot be in the future.")
        if errors:
            raise ValidationError(errors)
        dispute, _created = KomisiInformasiDispute.objects.update_or_create(
            objection=ticket,
            defaults={
                "outcome": outcome,
                "outcome_date": outcome_date if outcome != outcomes.PENDING else None,
                "register_number": (register_number or "").strip(),
                "note": note or "",
                "recorded_by": user,
            },
        )
        record_event(
            ticket,
            "dispute_outcome",
            note=note or str(outcomes(outcome).label),
            actor=user,
            visible_to_applicant=False,
            from_status=ticket.status,
            data={
                "outcome": outcome,
                "outcome_date": outcome_date.isoformat() if outcome_date else None,
                "register_number": dispute.register_number,
            },
        )
    return dispute
