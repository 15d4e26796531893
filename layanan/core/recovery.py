""" "Forgot my access": a new access link for a ticket, sent to the contact on file (issue 16).

The applicant gives the tracking number and the e-mail address or phone number they filed with. The answer is
the same whether or not they match (no oracle for "this number exists" or "this address filed it"), and the
request does the same work either way: :func:`request_access` only queues an outbox task
(:func:`process_request`) holding the number and a keyed hash of the contact as typed — never the contact
itself — so the matching, the new token and the e-mail happen in the worker, after the answer was sent.

When they match, :func:`renew_access` replaces the ticket's access token in one transaction (the old token stops
working at once: only the new hash is stored), writes an internal timeline step ``access_renewed`` and sends the
one-click status link with the new token in its fragment (``#token=…``, never seen by the server) to the e-mail
address on file. A phone number on file counts as a match too; the link still goes to the e-mail address on file
(the phone channels come with the channels issue): with no e-mail address on file nothing is changed or sent,
so the applicant never loses a token without receiving a new one.

Services with their own credential (WBS: the receipt code, which has no contact on file by design) are left out
(``ServiceDefinition.access_recovery``). Rate limits: scope ``access_recovery`` per client, and
``access_recovery_number`` per tracking number and contact (:func:`recovery_bucket`; ``pesan_cms.throttling``).
"""

from __future__ import annotations

from django.db import transaction

from layanan.core import registry
from layanan.core.crypto import hash_token, keyed_hash, new_access_token
from layanan.core.events import record_event
from layanan.core.intake import compact_phone
from layanan.core.models.tickets import Ticket
from layanan.core.notifications import send_access_link
from layanan.core.numbering import normalise
from layanan.core.outbox import enqueue
from pesan_cms.throttling import throttle_wait

__all__ = [
    "ACTION",
    "contact_digest",
    "normalise_contact",
    "process_request",
    "recovery_bucket",
    "recovery_wait",
    "renew_access",
    "request_access",
]

#: The timeline step written when a new access token was sent (internal: not shown to the applicant).
ACTION = "access_renewed"
_PURPOSE = "access-recovery"


def normalise_contact(value: str | None) -> str:
    """An e-mail address (lower case, trimmed) or an Indonesian phone number (digits, ``+62``/``62`` read as the
    leading ``0``) as typed → the form they are compared in; ``""`` for empty input."""
    value = (value or "").strip()
    if "@" in value:
        return value.lower()
    digits = compact_phone(value)
    if digits.startswith("+62"):
        digits = "0" + digits[3:]
    elif digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


def contact_digest(value: str | None) -> str:
    """Keyed hash (HMAC-SHA256, hex) of :func:`normalise_contact` of ``value``; ``""`` for empty input."""
    return keyed_hash(normalise_contact(value), _PURPOSE)


def recovery_bucket(tracking_number: str, contact: str) -> str:
    """The per-number rate-limit bucket (scope ``access_recovery_number``): the number with the keyed hash of the
    contact as typed. Per number and contact, so nobody can use up the owner's requests by sending wrong contacts
    for their number, while the owner's inbox still gets at most the scope's rate of links."""
    return f"{normalise(tracking_number)[:32]}:{contact_digest(contact)}"


def recovery_wait(request, tracking_number: str, contact: str) -> int | None:
    """Count a "forgot my access" request against its two rate limits — ``access_recovery`` per client, then
    ``access_recovery_number`` per :func:`recovery_bucket` — for the site form and the API alike. ``None`` when
    allowed, else the seconds to wait (``Retry-After``)."""
    wait = throttle_wait(request, "access_recovery")
    if wait is None and normalise(tracking_number):
        wait = throttle_wait(request, "access_recovery_number", ident=recovery_bucket(tracking_number, contact))
    return wait


def request_access(tracking_number: str, contact: str) -> None:
    """Queue a "forgot my access" request (the view's one call; same work for any input). Returns nothing: the
    caller answers the same whatever happens next."""
    enqueue("layanan.core.recovery.process_request", normalise(tracking_number)[:32], contact_digest(contact))


def _matches(ticket: Ticket, digest: str) -> bool:
    on_file = (ticket.applicant_email, ticket.applicant_phone)
    return bool(digest) and any(value and contact_digest(value) == digest for value in on_file)


def process_request(tracking_number: str, digest: str) -> bool:
    """The outbox task of :func:`request_access`: when ``tracking_number`` names a ticket of a service with
    access recovery whose e-mail address or phone on file hashes to ``digest`` and an e-mail address is on file,
    :func:`renew_access`. Returns True when a new link was sent."""
    ticket = Ticket.objects.filter(tracking_number=tracking_number).first()
    if ticket is None or not ticket.applicant_email or not _matches(ticket, digest):
        return False
    definition = registry.find(ticket.service)
    if definition is None or not definition.access_recovery:
        return False
    renew_access(ticket)
    return True


def renew_access(ticket: Ticket) -> str:
    """Give ``ticket`` a new access token (the old one stops working), record the internal step and send the
    new one-click link to the e-mail address on file. One transaction: if the e-mail cannot be sent, the old
    token stays valid and the outbox retries. Returns the new token."""
    token = new_access_token()
    with transaction.atomic():
        Ticket.objects.filter(pk=ticket.pk).update(access_token_hash=hash_token(token))
        ticket.access_token_hash = hash_token(token)
        record_event(ticket, ACTION, visible_to_applicant=False, from_status=ticket.status)
        send_access_link(ticket, token)
    return token
