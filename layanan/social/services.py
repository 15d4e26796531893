"""Social-media intake: connector tokens, receiving a message (idempotent), triage into a service.

- A :class:`~layanan.social.models.SocialConnector` authenticates ``POST /api/v2/social/messages/`` with
  ``Authorization: Bearer <token>``; the token is shown once (:func:`create_connector`, :func:`renew_token`)
  and stored as SHA-256 (256 random bits: a fast hash is enough, as for access tokens).
- :func:`receive_social_message` stores a message as a ticket of service ``social``; the same
  (platform, message id) gives the same ticket (``created`` False), guarded by a unique constraint.
- Triage (actions of ``layanan.social.machine``, through ``apply_transition``): :func:`triage_effect` turns
  the message into a PPID request, a SP4N-LAPOR report or a WBS report — the new ticket's ``origin`` is the
  message, its deadline counts from when the message reached the official account — or :func:`dismiss`
  records the reason. The new ticket's access token / receipt code is returned once to the officer
  (``transition_result["_submission"]``) to send to the author privately (a direct message, never a reply in
  public).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from layanan.core.crypto import hash_token, keyed_hash
from layanan.core.events import record_event
from layanan.core.intake import register_submission
from layanan.core.models.tickets import TimelineEntry, private_storage
from layanan.lapor import intake as lapor_intake
from layanan.ppid import intake as ppid_intake
from layanan.social.models import MESSAGE_SOURCES, Platform, SocialConnector, SocialMessageDetails
from layanan.wbs.services import seal_origin, submit_wbs_report

__all__ = [
    "TOKEN_PREFIX",
    "Received",
    "authenticate_connector",
    "check_social_message",
    "create_connector",
    "dismiss",
    "receive_social_message",
    "renew_token",
    "triage_effect",
]

TOKEN_PREFIX = "psc_"  # noqa: S105 - a public prefix that marks connector tokens, not a secret
MAX_ATTACHMENT_URLS = 20


def new_connector_token() -> str:
    """``psc_`` + 43 URL-safe characters (256 random bits from ``secrets``)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def _set_token(connector) -> str:
    token = new_connector_token()
    connector.token_hash = hash_token(token)
    connector.token_prefix = token[: len(TOKEN_PREFIX) + 6]
    return token


def create_connector(*, name: str, platform: str = "", account_handle: str = "", created_by=None):
    """Create a connector; returns ``(connector, token)`` — the token exists in clear only in this answer."""
    connector = SocialConnector(name=name, platform=platform, account_handle=account_handle, created_by=created_by)
    token = _set_token(connector)
    connector.save()
    return connector, token


def renew_token(connector) -> str:
    """Give ``connector`` a new token (the old one stops working at once); returns it (shown once)."""
    token = _set_token(connector)
    connector.save(update_fields=["token_hash", "token_prefix"])
    return token


def authenticate_connector(token: str | None):
    """The active connector whose token is ``token``, or ``None``. Records ``last_used_at``."""
    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    connector = SocialConnector.objects.filter(token_hash=hash_token(token), active=True).first()
    if connector is not None:
        SocialConnector.objects.filter(pk=connector.pk).update(last_used_at=timezone.now())
    return connector


# --- receiving messages ---------------------------------------------------------------------------------------
def check_social_message(data: dict, connector=None) -> None:
    """Rules of an incoming message: a known platform (the connector's own when it is bound to one), a text or
    at least one attachment URL, http(s) URLs only, a message id from a connector (idempotency needs it).
    Raises ``ValidationError({field: message})``."""
    errors = {}
    platform = data.get("platform") or ""
    if platform not in dict(MESSAGE_SOURCES):
        errors["platform"] = gettext("Choose a known platform.")
    elif connector is not None and connector.platform and connector.platform != platform:
        errors["platform"] = gettext("This connector may only deliver messages of %(platform)s.") % {
            "platform": Platform(connector.platform).label
        }
    if connector is not None and not (data.get("message_id") or "").strip():
        errors["message_id"] = gettext("The message id is required (it makes repeated deliveries harmless).")
    urls = data.get("attachments") or []
    if not (data.get("text") or "").strip() and not urls and not data.get("has_files"):
        errors["text"] = gettext("The message has neither text nor attachments.")
    if len(urls) > MAX_ATTACHMENT_URLS:
        errors["attachments"] = gettext("At most %(count)s attachment URLs.") % {"count": MAX_ATTACHMENT_URLS}
    validate = URLValidator(schemes=["http", "https"])
    for url in urls:
        try:
            validate(url)
        except ValidationError:
            errors["attachments"] = gettext("Every attachment must be an http(s) URL.")
            break
    if errors:
        raise ValidationError(errors)


@dataclass
class Received:
    """Answer of :func:`receive_social_message`: the message's ticket; ``created`` False for a repeat."""

    ticket: object
    created: bool


def _subject(text: str, attachments) -> str:
    first = (text or "").strip().splitlines()[0][:120] if (text or "").strip() else ""
    if first:
        return first
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("(attachments only)") if attachments else gettext("(empty message)")


def _contact(contact) -> dict:
    """The ``email``/``phone`` of a message's ``contact`` (other keys ignored)."""
    contact = contact if isinstance(contact, dict) else {}
    return {key: str(contact[key]).strip() for key in ("email", "phone") if contact.get(key)}


def sealed_message_id(platform: str, message_id: str) -> str:
    """What the stub of a message moved to WBS keeps of its id on the platform: ``h:`` + a keyed hash. The id
    itself can name the author (a WhatsApp ``wamid`` is the sender's number plus a random part; an e-mail's
    ``Message-ID`` often the sender's domain); the hash still recognises a repeated delivery."""
    if not message_id or message_id.startswith("h:"):
        return message_id
    return "h:" + keyed_hash(f"{platform}:{message_id}", purpose="social-message-id")


def _stored_message(platform: str, message_id: str):
    ids = {message_id, sealed_message_id(platform, message_id)}
    return SocialMessageDetails.objects.filter(platform=platform, message_id__in=ids).first()


def receive_social_message(data: dict, *, connector=None, registered_by=None, files=()) -> Received:
    """Store a social-media message as a ``social`` ticket, once per (platform, message id).

    ``data``: ``platform``, ``account_handle`` (the official account), ``message_id``, ``permalink``,
    ``author_handle``, ``text``, ``posted_at`` (aware datetime), ``attachments`` (list of URLs: stored, never
    fetched), ``contact`` (optional ``{"email": …}`` / ``{"phone": …}``: the author's address on a channel PESAN
    answers itself — the mailbox, WhatsApp — carried into the ticket made by triage). ``files``: files received
    with the message (a channel of ``layanan.channels``), checked as uploads and stored on the ticket.
    ``connector``: who delivered it (API); ``registered_by``: the operator who typed it in.

    The ticket counts as received when the message was posted (not after now): the triage deadline
    (``social/triage``, a setting) runs from then. A repeat of a stored (platform, message id) returns the
    stored ticket unchanged (``created`` False), also when two deliveries race (unique constraint).
    Raises ``ValidationError``.
    """
    check_social_message(data | {"has_files": bool(files)}, connector)
    platform = data["platform"]
    message_id = (data.get("message_id") or "").strip()
    if message_id:
        existing = _stored_message(platform, message_id)
        if existing is not None:
            return Received(existing.ticket, False)
    now = timezone.now()
    posted_at = data.get("posted_at")
    received_at = min(posted_at, now) if posted_at else now
    text = (data.get("text") or "").strip()
    urls = list(data.get("attachments") or [])

    def make_details(ticket, entry):
        SocialMessageDetails.objects.create(
            ticket=ticket,
            connector=connector,
            platform=platform,
            account_handle=(data.get("account_handle") or (connector.account_handle if connector else "")).strip(),
            message_id=message_id,
            permalink=(data.get("permalink") or "").strip(),
            author_handle=(data.get("author_handle") or "").strip(),
            posted_at=posted_at,
            attachment_urls=urls,
        )

    try:
        submission = register_submission(
            "social",
            ("social", "triage"),
            {"name": (data.get("author_handle") or "").strip()} | _contact(data.get("contact")),
            subject=_subject(text, urls or files),
            description=text,
            channel="email" if platform == "email" else "social_media",
            received_at=received_at,
            registered_by=registered_by,
            files=files,
            make_details=make_details,
            credential=("", ""),
            notify=False,
        )
    except IntegrityError:
        existing = _stored_message(platform, message_id) if message_id else None
        if existing is not None:
            return Received(existing.ticket, False)
        raise
    return Received(submission.ticket, True)


# --- triage -----------------------------------------------------------------------------------------------------
def _source_text(ticket) -> str:
    """The message text with its permalink and attachment URLs, for the new ticket's description."""
    details = ticket.social
    parts = [ticket.description or ticket.subject]
    with translation.override(settings.LANGUAGE_CODE):
        source = gettext("Source: %(platform)s message %(id)s by %(author)s on %(account)s") % {
            "platform": details.get_platform_display(),
            "id": details.message_id or ticket.tracking_number,
            "author": details.author_handle or "-",
            "account": details.account_handle or "-",
        }
        parts.append(source + (f"\n{details.permalink}" if details.permalink else ""))
        if details.attachment_urls:
            parts.append(gettext("Attachments (links):") + "\n" + "\n".join(details.attachment_urls))
    return "\n\n".join(parts)


def triage_effect(target: str):
    """The effect of the triage action into ``target`` (``ppid_request``, ``lapor`` or ``wbs``).

    Runs inside ``apply_transition``'s transaction: creates the new ticket through the service's intake
    function (officer-made, so the completeness checks of the public forms are left to the workflow), links
    it (``origin``), records the outcome on the message and hands the new ticket's secret back in
    ``data["_submission"]`` (shown once, never stored).
    """

    def effect(ticket, data, user, now):
        details = ticket.social
        author = ticket.applicant_name or details.author_handle or gettext("(unknown)")
        carried = list(ticket.attachments.all())
        common = {
            "received_at": ticket.received_at,
            "registered_by": user,
            "origin": ticket,
            "channel": ticket.channel,
            "files": [_reopen(attachment) for attachment in carried],
        }
        contact = {"email": ticket.applicant_email, "phone": ticket.applicant_phone}
        text = _source_text(ticket)
        if target == "ppid_request":
            submission = ppid_intake.submit_ppid_request(
                {"name": author, "information_requested": text} | contact, validate=False, **common
            )
        elif target == "lapor":
            submission = lapor_intake.submit_lapor_report(
                {
                    "title": ticket.subject,
                    "description": text,
                    "classification": data["classification"],
                    "name": author,
                }
                | contact,
                validate=False,
                **common,
            )
        elif target == "wbs":
            submission = submit_wbs_report(
                {
                    "violation_type": data["violation_type"],
                    "what": text,
                    "contact": f"{details.get_platform_display()}: "
                    + " ".join(v for v in (author, ticket.applicant_email, ticket.applicant_phone) if v),
                },
                **common,
            )
        else:  # pragma: no cover - programming error
            raise ValueError(target)
        details.outcome = target
        details.triaged_at = now
        ticket.closed_at = now  # done at the triage desk: its retention period runs from here
        new_ticket = submission.ticket
        _drop_carried(carried)  # the files now belong to the new ticket (copied there, checked again)
        if target == "wbs":
            # The allegation now belongs to the Inspektorat alone: the social desk keeps a stub (platform,
            # message id for de-duplication, dates, outcome), not the text, the author or the links.
            with translation.override(settings.LANGUAGE_CODE):
                stub = gettext("Moved to WBS (%(number)s)") % {"number": new_ticket.tracking_number}
            seal_origin(ticket, new_ticket, user, now, subject=stub)  # its anonymise hook seals the message id
        details.save()
        data["_submission"] = submission
        data["created_ticket"] = new_ticket.tracking_number
        data.setdefault(
            "note_default",
            gettext("Turned into %(service)s %(number)s.")
            % {"service": new_ticket.get_service_display(), "number": new_ticket.tracking_number},
        )

        record_event(
            new_ticket,
            "triaged_in",
            note=gettext("Created from social-media message %(number)s.") % {"number": ticket.tracking_number},
            actor=user,
            actor_kind=TimelineEntry.ActorKind.USER,
            visible_to_applicant=False,
            data={"from": ticket.tracking_number},
        )

    return effect


def _reopen(attachment) -> File:
    """A stored attachment as a file to hand to another ticket's intake (read back from the private storage)."""
    handle = attachment.file.storage.open(attachment.file.name, "rb")
    return File(handle, name=attachment.original_name)


def _drop_carried(attachments) -> None:
    """Remove attachments copied to the triaged ticket from the message: their rows now, their stored files once
    the triage committed (a rolled-back triage keeps them)."""
    names = [a.file.name for a in attachments]
    for attachment in attachments:
        attachment.delete()
    if names:
        storage = private_storage()
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


def dismiss(ticket, data, user, now):
    """Effect of ``dismiss``: record the reason on the message (also the timeline note)."""
    details = ticket.social
    details.outcome = details.Outcome.DISMISSED
    details.dismissal_reason = data["reason"]
    details.triaged_at = now
    ticket.closed_at = now  # its retention period runs from here (it was never set: messages were never anonymised)
    details.save(update_fields=["outcome", "dismissal_reason", "triaged_at"])
    data["note_default"] = data["reason"]
