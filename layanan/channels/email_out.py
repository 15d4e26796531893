"""E-mail out (issue 18): the threading headers that bring a citizen's e-mail reply back to its ticket.

Every e-mail to a ticket's applicant carries the tracking number in the subject (``layanan.core.notifications``)
and, from here, a ``Message-ID`` of its own, ``In-Reply-To`` the citizen's last e-mail on the ticket (or on the
message it was triaged from) and ``References`` the thread so far (RFC 5322 §3.6.4), and — when the mailbox is
enabled — ``Reply-To`` the mailbox, so the reply reaches what ``layanan.channels.email_in`` reads. Each e-mail sent
is recorded as an outgoing :class:`~layanan.channels.models.ChannelMessage` (its ``Message-ID``), which is how a
reply's ``In-Reply-To`` finds the ticket.
"""

from __future__ import annotations

from email.utils import make_msgid

from django.conf import settings

from layanan.channels.conversation import normalise_peer, peer_key
from layanan.channels.models import ChannelAccount, ChannelKind, ChannelMessage
from layanan.core import registry

__all__ = ["MAX_REFERENCES", "mailbox_address", "record_sent", "thread_headers"]

#: At most this many ids in ``References`` (the first and the latest ones are kept).
MAX_REFERENCES = 20


def mailbox_address() -> str:
    """The enabled mailbox's address (replies go there), or ``""``."""
    row = ChannelAccount.objects.filter(kind=ChannelKind.EMAIL, enabled=True).values_list("address", flat=True)
    return (row.first() or "").strip()


def _domain() -> str:
    address = mailbox_address() or settings.DEFAULT_FROM_EMAIL
    return address.rsplit("@", 1)[-1].strip(" >") or "pesan.invalid"


def thread_headers(ticket) -> dict[str, str] | None:
    """Headers for the next e-mail to ``ticket``'s applicant: ``Message-ID`` (new, unique), ``In-Reply-To`` and
    ``References`` when the thread has earlier e-mails, ``Reply-To`` when the mailbox is enabled. None for a
    confidential ticket (WBS notices stay content-free and unthreaded)."""
    definition = registry.find(ticket.service)
    if definition is None or definition.machine.confidential:
        return None
    tickets = [ticket.pk] + ([ticket.origin_id] if ticket.origin_id else [])
    ids = list(
        ChannelMessage.objects.filter(ticket__in=tickets, kind=ChannelKind.EMAIL)
        .exclude(external_id="")
        .exclude(status=ChannelMessage.Status.IGNORED)
        .order_by("at", "pk")
        .values_list("external_id", "direction")
    )
    headers = {"Message-ID": make_msgid(idstring=ticket.tracking_number.replace("/", "."), domain=_domain())}
    if ids:
        incoming = [i for i, direction in ids if direction == ChannelMessage.Direction.IN]
        headers["In-Reply-To"] = incoming[-1] if incoming else ids[-1][0]
        references = [i for i, _direction in ids]
        if len(references) > MAX_REFERENCES:
            references = references[:1] + references[-(MAX_REFERENCES - 1) :]
        headers["References"] = " ".join(references)
    mailbox = mailbox_address()
    if mailbox:
        headers["Reply-To"] = mailbox
    return headers


def record_sent(ticket, headers: dict, *, message=None, to: str = "", subject: str = "") -> ChannelMessage:
    """Record the e-mail about to be sent with ``headers`` (from :func:`thread_headers`) as an outgoing envelope
    of ``ticket``, in the caller's transaction (a failed send rolls it back)."""
    return ChannelMessage.objects.create(
        kind=ChannelKind.EMAIL,
        direction=ChannelMessage.Direction.OUT,
        external_id=headers["Message-ID"],
        ticket=ticket,
        message=message,
        peer=normalise_peer(ChannelKind.EMAIL, to),
        peer_key=peer_key(ChannelKind.EMAIL, to),
        status=ChannelMessage.Status.SENT,
        data={"subject": subject, "in_reply_to": headers.get("In-Reply-To", "")},
    )
