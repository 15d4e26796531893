"""Outbox and scheduled tasks of the channels (django-q2 runs them by dotted path)."""

from __future__ import annotations

from layanan.channels import meta, outbound
from layanan.channels.conversation import record_error
from layanan.channels.models import ChannelMessage

__all__ = ["acknowledge", "deliver"]


def deliver(envelope_id: int) -> str:
    """Send the queued outgoing chat message ``envelope_id`` (``layanan.channels.outbound.queue_chat``) through its
    channel's API; returns the channel's message id. Raises on failure: the outbox keeps the task and retries it,
    and :func:`_deliver_failed` records the error on the message and on the channel screen."""
    envelope = ChannelMessage.objects.select_related("ticket").get(pk=envelope_id)
    return meta.deliver(envelope)


def _deliver_failed(envelope_id: int, *, error: BaseException) -> None:
    """After a failed :func:`deliver` (outside its rolled-back transaction): the error on the envelope and on the
    channel."""
    envelope = ChannelMessage.objects.filter(pk=envelope_id).first()
    if envelope is None:
        return
    ChannelMessage.objects.filter(pk=envelope_id).update(error=str(error)[:2000])
    record_error(envelope.kind, error)


deliver.record_failure = _deliver_failed


def acknowledge(envelope_id: int) -> int:
    """Acknowledge the incoming message ``envelope_id`` that started a triage item
    (``layanan.channels.outbound.send_acknowledgement``); nothing when its ticket or sender's address is gone
    (triaged into WBS meanwhile) or the ticket is no longer awaiting triage. Returns the notices sent or queued."""
    envelope = ChannelMessage.objects.select_related("ticket").filter(pk=envelope_id).first()
    if envelope is None or envelope.ticket is None or not envelope.peer or envelope.ticket.status != "received":
        return 0
    return outbound.send_acknowledgement(envelope.ticket, envelope.kind, envelope.peer)
