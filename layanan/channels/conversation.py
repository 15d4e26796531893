"""One conversation per ticket, whatever the channel (issue 18): where an incoming message belongs, how the body
reaches the citizen back, and the channel's health.

Incoming (:func:`receive`): a message already stored (same channel, same id) is returned as it is; a message that
belongs to a ticket — named by the caller (e-mail threading headers, a tracking number) or, on a chat channel whose
platform vouches for the sender, found by :func:`conversation_ticket` (the open ticket of the last conversation
with that number or account; never by an e-mail's forgeable ``From`` alone) — becomes the citizen's
message on it: their reply when the ticket waits for one (``workflow.applicant_reply``), otherwise an unasked
message (``workflow.applicant_message``); anything else becomes a social/e-mail intake ticket for triage
(``layanan.social.services.receive_social_message``). Every file goes through the upload checks one by one: a
refused file is named in the message, never silently dropped, and never drops the message.

Outgoing: :func:`reply_route` says through which chat channel (WhatsApp, Instagram, Messenger) and to whom the
body answers a ticket's citizen; e-mail answers go to the ticket's e-mail address.

Health (:func:`account`, :func:`record_success`, :func:`record_error`): what the channel screen shows. Times UTC.

Confidentiality (Permenko Marves 3/2022, ``docs/wbs-privacy.md``): a conversation never continues into a
confidential ticket (WBS); :func:`forget_peer` removes the address from the envelopes of a ticket that moved there.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from layanan.channels.models import ChannelAccount, ChannelKind, ChannelMessage
from layanan.core import registry
from layanan.core.conf import attachment_max_files
from layanan.core.crypto import keyed_hash
from layanan.core.intake import attachment_max_total_bytes, validate_upload
from layanan.core.models.messages import Message
from layanan.core.models.tickets import Channel, Ticket
from layanan.core.outbox import enqueue
from layanan.core.workflow import ReplyNotAwaited, TransitionError, applicant_message, applicant_reply
from layanan.social.services import receive_social_message

__all__ = [
    "CHAT_KINDS",
    "Inbound",
    "account",
    "conversation_ticket",
    "current_ticket",
    "deliveries",
    "forget_anonymised",
    "forget_peer",
    "forget_sealed_origin",
    "forgotten_id",
    "last_inbound_at",
    "normalise_peer",
    "peer_key",
    "receive",
    "record_error",
    "record_success",
    "reply_route",
]

logger = logging.getLogger(__name__)

#: Chat channels answered through Meta's APIs (e-mail is answered by SMTP).
CHAT_KINDS = (ChannelKind.WHATSAPP, ChannelKind.INSTAGRAM, ChannelKind.MESSENGER)
#: The social-message platform of each channel kind (``SocialMessageDetails.platform``).
PLATFORM = {
    ChannelKind.EMAIL: "email",
    ChannelKind.WHATSAPP: "whatsapp",
    ChannelKind.INSTAGRAM: "instagram",
    ChannelKind.MESSENGER: "facebook",
}


# --- health -------------------------------------------------------------------------------------------------
def account(kind: str) -> ChannelAccount:
    """The ``ChannelAccount`` row of ``kind`` (created disabled when missing)."""
    row, _created = ChannelAccount.objects.get_or_create(kind=kind)
    return row


def record_success(kind: str, *, poll: bool = False, webhook: bool = False) -> None:
    """A poll, webhook or send of ``kind`` worked: set ``last_success_at`` (and ``last_poll_at`` /
    ``last_webhook_at``), clear the last error."""
    now = timezone.now()
    values = {"last_success_at": now, "last_error": "", "last_error_at": None}
    if poll:
        values["last_poll_at"] = now
    if webhook:
        values["last_webhook_at"] = now
    account(kind)
    ChannelAccount.objects.filter(kind=kind).update(**values)


def record_error(kind: str, error: str | BaseException, *, poll: bool = False) -> None:
    """A poll or send of ``kind`` failed: keep the error (shown on the channel screen) and when. Call it outside
    the failed transaction (a rolled-back transaction takes the record with it)."""
    now = timezone.now()
    values = {"last_error": str(error)[:2000] or error.__class__.__name__, "last_error_at": now}
    if poll:
        values["last_poll_at"] = now
    account(kind)
    ChannelAccount.objects.filter(kind=kind).update(**values)
    logger.warning("channel %s: %s", kind, error)


# --- addresses ----------------------------------------------------------------------------------------------
def normalise_peer(kind: str, peer: str) -> str:
    """The citizen's address as compared: an e-mail address in lower case, a WhatsApp number as digits only
    (``wa_id``: country code without ``+``), other ids stripped."""
    peer = (peer or "").strip()
    if kind == ChannelKind.EMAIL:
        return peer.lower()
    if kind == ChannelKind.WHATSAPP:
        return re.sub(r"\D", "", peer)
    return peer


def peer_key(kind: str, peer: str) -> str:
    """Keyed hash (HMAC-SHA256, hex) of the normalised address: finds a conversation without reading addresses,
    and still finds it after the address itself was removed (:func:`forget_peer`)."""
    value = normalise_peer(kind, peer)
    return keyed_hash(f"{kind}:{value}", purpose="channel-peer") if value else ""


# --- conversations ------------------------------------------------------------------------------------------
def current_ticket(ticket: Ticket | None) -> Ticket | None:
    """The ticket a conversation continues on, from one of its tickets: a triaged social message leads to the
    ticket made from it; None when that ticket is closed (final state) or confidential (WBS)."""
    seen = 0
    while ticket is not None and seen < 5:
        seen += 1
        definition = registry.find(ticket.service)
        if definition is None or definition.machine.confidential:
            return None
        if not definition.machine.state(ticket.status).final:
            return ticket
        successor = Ticket.objects.filter(origin=ticket).order_by("-received_at", "-pk").first()
        if successor is None:
            return None
        ticket = successor
    return None


def conversation_ticket(kind: str, peer: str) -> Ticket | None:
    """The open ticket of the latest conversation with ``peer`` on channel ``kind`` (see :func:`current_ticket`),
    or None: a new message then starts a new intake ticket."""
    key = peer_key(kind, peer)
    if not key:
        return None
    latest = (
        ChannelMessage.objects.filter(kind=kind, peer_key=key, ticket__isnull=False)
        .select_related("ticket")
        .order_by("-at", "-pk")
        .first()
    )
    return current_ticket(latest.ticket) if latest is not None else None


def last_inbound_at(kind: str, peer: str) -> datetime | None:
    """When ``peer`` last wrote to the body on ``kind`` (UTC) — the start of WhatsApp's 24-hour window."""
    key = peer_key(kind, peer)
    if not key:
        return None
    return (
        ChannelMessage.objects.filter(kind=kind, peer_key=key, direction=ChannelMessage.Direction.IN)
        .exclude(status=ChannelMessage.Status.IGNORED)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )


@dataclass
class Route:
    """How the body reaches a ticket's citizen on a chat channel: ``kind`` and ``peer`` (their id there)."""

    kind: str
    peer: str


def reply_route(ticket: Ticket) -> Route | None:
    """The chat channel (WhatsApp, Instagram, Messenger) and address the citizen of ``ticket`` wrote from last —
    on this ticket or on the ticket it was made from — or None (answer by e-mail, or not at all). Never for a
    confidential ticket."""
    definition = registry.find(ticket.service)
    if definition is None or definition.machine.confidential:
        return None
    tickets = [ticket.pk] + ([ticket.origin_id] if ticket.origin_id else [])
    latest = (
        ChannelMessage.objects.filter(ticket__in=tickets, kind__in=CHAT_KINDS, direction=ChannelMessage.Direction.IN)
        .exclude(peer="")
        .order_by("-at", "-pk")
        .first()
    )
    return Route(latest.kind, latest.peer) if latest is not None else None


def forgotten_id(kind: str, external_id: str) -> str:
    """What a forgotten envelope keeps of its id on the channel: ``h:`` + a keyed hash (HMAC-SHA256, hex). A
    WhatsApp ``wamid`` carries the citizen's number (base64 of ``wa_id`` and a random part) and an e-mail's
    ``Message-ID`` often the sender's domain or host, so the id itself is personal data; its hash still recognises
    a repeated delivery (:func:`find_stored`, the ids being random, it cannot be guessed back)."""
    if not external_id or external_id.startswith("h:"):
        return external_id
    return "h:" + keyed_hash(f"{kind}:{external_id}", purpose="channel-message-id")


def forget_peer(ticket: Ticket) -> int:
    """Remove the citizen from the envelopes of ``ticket`` (it moved to WBS: the identity now lives encrypted in
    the report; or retention anonymised it): the address, the name, the keyed hash of the address (a telephone
    number's hash can be tried number by number by whoever holds the server's key), the channel details, and the
    message id on the channel, which is replaced by :func:`forgotten_id` (a repeated delivery is still
    recognised). Returns the rows changed."""
    changed = 0
    for envelope in ChannelMessage.objects.filter(ticket=ticket).only("pk", "kind", "external_id"):
        ChannelMessage.objects.filter(pk=envelope.pk).update(
            peer="",
            peer_name="",
            peer_key="",
            data={},
            external_id=forgotten_id(envelope.kind, envelope.external_id),
        )
        changed += 1
    return changed


def _with_origins(ticket: Ticket | None) -> list[Ticket]:
    """``ticket`` and the tickets it was made from (a LAPOR report from a social message, …), nearest first."""
    chain, seen = [], set()
    while ticket is not None and ticket.pk not in seen and len(chain) < 5:
        seen.add(ticket.pk)
        chain.append(ticket)
        ticket = Ticket.objects.filter(pk=ticket.origin_id).first() if ticket.origin_id else None
    return chain


def forget_sealed_origin(sender, origin, ticket, **kwargs) -> None:
    """Receiver of ``layanan.core.signals.origin_sealed``: the ticket moved to WBS, so its envelopes — and those of
    the tickets it was made from (a WhatsApp message triaged into LAPOR, then transferred to WBS) — forget the
    sender (:func:`forget_peer`)."""
    for moved in _with_origins(origin):
        forget_peer(moved)


def forget_anonymised(sender, ticket, **kwargs) -> None:
    """Receiver of ``layanan.core.signals.ticket_anonymised``: retention removed the ticket's personal data, so its
    envelopes forget the sender too (:func:`forget_peer`)."""
    forget_peer(ticket)


def deliveries(ticket: Ticket) -> dict[int, list[ChannelMessage]]:
    """The channel envelopes of ``ticket``'s messages, by the timeline entry that carried the message: how each
    one arrived or left (e-mail, WhatsApp…) and its delivery status (sent, delivered, read, failed with its error),
    for the desk's timeline. One query."""
    found: dict[int, list[ChannelMessage]] = {}
    rows = ChannelMessage.objects.filter(ticket=ticket, message__event__isnull=False).select_related("message")
    for envelope in rows.order_by("at", "pk"):
        found.setdefault(envelope.message.event_id, []).append(envelope)
    return found


# --- incoming -----------------------------------------------------------------------------------------------
@dataclass
class Inbound:
    """Answer of :func:`receive`. ``outcome``: ``new_ticket`` (an intake ticket for triage), ``reply`` (the
    reply a ticket waited for), ``message`` (an unasked message on an open ticket), ``duplicate`` (stored
    before: nothing changed). ``refused``: names and reasons of files the upload checks refused."""

    channel_message: ChannelMessage
    ticket: Ticket | None
    outcome: str
    refused: list[str] = field(default_factory=list)

    @property
    def created(self) -> bool:
        return self.outcome != "duplicate"


def _check_files(files) -> tuple[list, list[str]]:
    """The files that pass the upload checks one by one, within the limits of one message (at most
    ``PESAN_ATTACHMENT_MAX_FILES`` files, ``PESAN_ATTACHMENT_MAX_TOTAL_BYTES`` together: the intake refuses more,
    which would lose the whole message), and the refused ones named with the reason."""
    kept, refused = [], []
    max_files, max_total, total = attachment_max_files(), attachment_max_total_bytes(), 0
    for upload in files or ():
        name = getattr(upload, "name", "") or "-"
        if len(kept) >= max_files:
            refused.append(f"{name}: " + gettext("more than %(count)s files in one message.") % {"count": max_files})
            continue
        try:
            checked = validate_upload(upload)
        except ValidationError as exc:
            refused.append(f"{name}: {' '.join(exc.messages)}")
            continue
        if total + checked.size > max_total:
            refused.append(
                f"{name}: "
                + gettext("the files of one message together may not exceed %(limit)s MB.")
                % {"limit": f"{max_total / (1024 * 1024):g}"}
            )
            continue
        total += checked.size
        kept.append(checked)
    return kept, refused


def _with_refusals(text: str, refused: list[str]) -> str:
    if not refused:
        return text
    note = gettext("Attachments not accepted (file checks):") + "\n" + "\n".join(f"- {r}" for r in refused)
    return f"{text}\n\n{note}" if text else note


def find_stored(kind: str, external_id: str) -> ChannelMessage | None:
    """The incoming message ``external_id`` of channel ``kind`` if stored before."""
    if not external_id:
        return None
    ids = {external_id, forgotten_id(kind, external_id)}  # also once its envelope forgot the sender
    return (
        ChannelMessage.objects.filter(kind=kind, direction=ChannelMessage.Direction.IN, external_id__in=ids)
        .select_related("ticket")
        .first()
    )


def _add_to_ticket(ticket: Ticket, text: str, files, at: datetime):
    """The citizen's message on ``ticket``: their awaited reply, else an unasked message. Returns
    ``(entry, outcome)``."""
    machine = registry.get(ticket.service).machine
    if machine.applicant_transition(ticket.status) is not None and text:
        try:
            updated = applicant_reply(ticket, text, files)
        except ReplyNotAwaited:  # an officer moved the ticket on in the meantime: an unasked message then
            pass
        else:
            return updated.timeline.order_by("-at", "-pk").first(), "reply"
    return applicant_message(ticket, text, files, at=at), "message"


def receive(
    kind: str,
    *,
    external_id: str,
    peer: str,
    peer_name: str = "",
    text: str = "",
    files=(),
    received_at: datetime | None = None,
    account_handle: str = "",
    permalink: str = "",
    ticket: Ticket | None = None,
    contact: dict | None = None,
    data: dict | None = None,
) -> Inbound:
    """Store one incoming message of channel ``kind`` once (see the module docstring); returns :class:`Inbound`.

    ``external_id``: the channel's id of the message (``Message-ID``, ``wamid``, ``mid``); ``peer``: the sender's
    address there (e-mail address, ``wa_id``, IGSID/PSID); ``peer_name``: their display name. ``text`` and
    ``files`` (file objects with a name: checked one by one). ``received_at``: when it reached the body's mailbox or
    the platform (aware; default now, never later than now) — a request made from it counts its deadline from
    there. ``ticket``: the ticket the caller already matched (e-mail threading), checked again by
    :func:`current_ticket`. ``contact``: ``{"email": …}`` or ``{"phone": …}`` for a new intake ticket.
    ``data``: channel details kept on the envelope. One transaction; a concurrent repeat of the same id returns
    the stored one. Raises ``ValidationError`` only for a message with neither text nor any file.
    """
    stored = find_stored(kind, external_id)
    if stored is not None:
        return Inbound(stored, stored.ticket, "duplicate")
    now = timezone.now()
    at = min(received_at, now) if received_at else now
    text = (text or "").strip()
    kept, refused = _check_files(files)
    text = _with_refusals(text, refused)
    if not text and not kept:
        raise ValidationError(gettext("The message has neither text nor attachments."))
    if ticket is not None:
        target = current_ticket(Ticket.objects.filter(pk=ticket.pk).first())  # as stored now, not as the caller saw it
    elif kind in CHAT_KINDS:  # the platform vouches for the number or account; an e-mail's From can be forged
        target = conversation_ticket(kind, peer)
    else:
        target = None
    try:
        with transaction.atomic():
            message = None
            if target is not None:
                try:
                    entry, outcome = _add_to_ticket(target, text, kept, at)
                except TransitionError:
                    target, entry = None, None
                else:
                    message = Message.objects.filter(event=entry).first()
                    if message is not None:
                        message.channel = Channel.EMAIL if kind == ChannelKind.EMAIL else Channel.SOCIAL_MEDIA
                        message.save(update_fields=["channel"])
            if target is None:
                received = receive_social_message(
                    {
                        "platform": PLATFORM[kind],
                        "account_handle": account_handle,
                        "message_id": external_id,
                        "permalink": permalink,
                        "author_handle": peer_name or peer,
                        "text": text,
                        "posted_at": at,
                        "contact": contact or {},
                    },
                    files=kept,
                )
                target, outcome = received.ticket, "new_ticket"
            envelope = ChannelMessage.objects.create(
                kind=kind,
                direction=ChannelMessage.Direction.IN,
                external_id=external_id,
                ticket=target,
                message=message,
                peer=normalise_peer(kind, peer),
                peer_key=peer_key(kind, peer),
                peer_name=peer_name[:128],
                status=ChannelMessage.Status.RECEIVED,
                at=at,
                data=data or {},
            )
            if outcome == "new_ticket":  # the sender learns it arrived (layanan.channels.tasks.acknowledge)
                enqueue("layanan.channels.tasks.acknowledge", envelope.pk)
    except IntegrityError:
        stored = find_stored(kind, external_id)
        if stored is None:
            raise
        return Inbound(stored, stored.ticket, "duplicate")
    return Inbound(envelope, target, outcome, refused)


def ignore(kind: str, *, external_id: str, peer: str, reason: str, data: dict | None = None) -> ChannelMessage:
    """Record an incoming message that must not be answered or become a ticket (an auto-reply, a bounce, the
    page's own echo): kept for the record, once per id. ``reason``: a short code (``auto_reply``, ``bounce``,
    ``echo``). Returns the envelope."""
    stored = find_stored(kind, external_id)
    if stored is not None:
        return stored
    try:
        with transaction.atomic():
            return ChannelMessage.objects.create(
                kind=kind,
                direction=ChannelMessage.Direction.IN,
                external_id=external_id,
                peer=normalise_peer(kind, peer),
                peer_key=peer_key(kind, peer),
                status=ChannelMessage.Status.IGNORED,
                reason=reason[:64],
                data=data or {},
            )
    except IntegrityError:
        return find_stored(kind, external_id)


def window_closes_at(kind: str, peer: str) -> datetime | None:
    """End of WhatsApp's customer-service window for ``peer``: 24 hours after their last message (UTC), or None
    when they never wrote."""
    last = last_inbound_at(kind, peer)
    return last + timedelta(hours=24) if last else None
