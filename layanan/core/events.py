"""Events of a ticket: state changes, steps of the desk and access audit, written as timeline entries.

:func:`record_event` is the one writer; the workflow (``layanan.core.workflow.apply_transition``), intake,
access audit (``layanan.core.access.record_confidential_access``) and the services call it.
"""

from __future__ import annotations

from django.utils import timezone

from layanan.core import registry
from layanan.core.models.tickets import TimelineEntry

__all__ = ["record_event"]


def record_event(
    ticket,
    action: str,
    *,
    note: str = "",
    actor=None,
    actor_kind: str | None = None,
    visible_to_applicant: bool = True,
    data: dict | None = None,
    from_status: str = "",
    at=None,
):
    """Write one ``TimelineEntry`` for ``ticket`` (caller holds the transaction). Returns the entry.

    For a ``confidential`` machine (WBS) the note is stored encrypted in ``note_sealed`` and ``note`` stays empty.
    """
    if actor_kind is None:
        actor_kind = TimelineEntry.ActorKind.USER if actor is not None else TimelineEntry.ActorKind.SYSTEM
    try:
        confidential = registry.get(ticket.service).machine.confidential
    except registry.UnknownService:
        confidential = False
    sealed = ""
    if confidential and note:
        note, sealed = "", note
    return TimelineEntry.objects.create(
        ticket=ticket,
        at=at or timezone.now(),
        actor=actor,
        actor_kind=actor_kind,
        action=action,
        from_status=from_status,
        to_status=ticket.status,
        note=note,
        note_sealed=sealed,
        visible_to_applicant=visible_to_applicant,
        data=data or {},
    )
