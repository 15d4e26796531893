"""Events of a ticket: state changes, steps of the desk and access audit, written as timeline entries; and the
messages some of them carry.

:func:`record_event` is the one writer; the workflow (``layanan.core.workflow.apply_transition``), intake,
access audit (``layanan.core.access.record_confidential_access``) and the services call it. When the event
carries correspondence (:func:`message_direction`), it also writes the :class:`~layanan.core.models.Message`.
"""

from __future__ import annotations

from django.utils import timezone

from layanan.core import registry
from layanan.core.models.messages import Message
from layanan.core.models.tickets import TimelineEntry, officer_name

__all__ = ["ANSWER_ACTIONS", "message_direction", "record_event"]

#: Applicant-visible steps that carry a written answer or request from the body.
ANSWER_ACTIONS = {
    "decide",
    "answer",
    "reply",
    "follow_up",
    "settle",
    "deliver",
    "request_completion",
    "request_reply",
    "extend",
    "forward",
    "archive",
    "acknowledge",
    "request_info",
    "not_proven",
    "recommend",
    "record_follow_up",
    "refer",
    "transferred_in",
}

#: Events written by intake for the submission itself (its text is the ticket's ``description``, not a message).
SUBMISSION_ACTIONS = {"received", "registered"}


def message_direction(action: str, actor_kind: str, visible_to_applicant: bool, note: str) -> str | None:
    """The direction of the message an event carries, or None when it carries none.

    - written by the applicant or reporter (``actor_kind`` ``applicant``), with text, other than the submission
      itself: ``from_applicant``;
    - an applicant-visible step of the body with text that answers or asks the applicant (``ANSWER_ACTIONS``):
      ``to_applicant``;
    - anything else (state changes without text, internal notes, access audit, system steps): None.
    """
    if not note:
        return None
    if actor_kind == TimelineEntry.ActorKind.APPLICANT and action not in SUBMISSION_ACTIONS:
        return Message.Direction.FROM_APPLICANT
    if visible_to_applicant and action in ANSWER_ACTIONS:
        return Message.Direction.TO_APPLICANT
    return None


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
    """Write one ``TimelineEntry`` for ``ticket`` (caller holds the transaction), and its ``Message`` when it
    carries correspondence (:func:`message_direction`). Returns the entry.

    For a ``confidential`` machine (WBS) the note is stored encrypted in ``note_sealed`` and ``note`` stays empty.
    """
    if actor_kind is None:
        actor_kind = TimelineEntry.ActorKind.USER if actor is not None else TimelineEntry.ActorKind.SYSTEM
    definition = registry.find(ticket.service)
    confidential = definition is not None and definition.machine.confidential
    direction = message_direction(action, actor_kind, visible_to_applicant, note)
    sealed = ""
    if confidential and note:
        note, sealed = "", note
    entry = TimelineEntry.objects.create(
        ticket=ticket,
        at=at or timezone.now(),
        actor=actor,
        actor_kind=actor_kind,
        actor_name=officer_name(actor),
        action=action,
        from_status=from_status,
        to_status=ticket.status,
        note=note,
        note_sealed=sealed,
        visible_to_applicant=visible_to_applicant,
        data=data or {},
    )
    if direction is not None:
        Message.objects.create(
            ticket=ticket,
            event=entry,
            at=entry.at,
            direction=direction,
            channel=ticket.channel,
            author=actor,
            text=note,
            text_sealed=sealed,
        )
    return entry
