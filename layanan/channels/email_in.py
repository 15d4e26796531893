"""E-mail in (issue 18): the body's mailbox, read over IMAP, becomes tickets and replies on tickets.

:func:`poll_mailbox` (django-q2 schedule every 2 minutes, ``layanan.core.setup``; acts only while the e-mail
``ChannelAccount`` is enabled) logs in over IMAP with TLS (``imaplib.IMAP4_SSL``, port ``PESAN_IMAP_PORT``, default
993; the server's certificate is checked against the system CAs, or ``PESAN_IMAP_CAFILE`` for a private CA), reads
the unseen messages of ``PESAN_IMAP_FOLDER`` (default ``INBOX``) without marking them (``BODY.PEEK[]``), hands each
to :func:`receive_email` and marks it ``\\Seen`` only after it was stored. A message that cannot be parsed or
stored stays unseen (retried by the next poll) and its error is shown on the channel screen; a connection or login
failure loses nothing either: the next poll reads the same unseen messages. Storing is idempotent per
``Message-ID`` (``layanan.channels.conversation.receive``), so a message read twice is stored once.

:func:`receive_email` classifies one raw message:

- not answered, no ticket (``conversation.ignore``, kept for the record): automatic replies (RFC 3834
  ``Auto-Submitted`` other than ``no``, ``Precedence: bulk/junk/auto_reply``, ``X-Autoreply``, ``X-Autorespond``,
  a null ``Return-Path``) -> ``auto_reply``; delivery-status reports (``multipart/report;
  report-type=delivery-status``, from ``MAILER-DAEMON``/``postmaster``) -> ``bounce``; mailing-list traffic
  (``List-Id``, ``Precedence: list``: not a citizen writing to the body, and an answer would go to the list) ->
  ``list``; our own outgoing address -> ``loop``;
- otherwise the citizen's message: text (``text/plain`` preferred, else the HTML part reduced to text with
  ``nh3``), the quoted history of a reply removed where it is clear, the attachments as files (each checked by
  the upload rules; a refused one is named in the message). The ticket: the one an outgoing e-mail named in
  ``In-Reply-To``/``References`` belongs to; else the ticket whose tracking number is in the subject — **only when
  the sender is that ticket's applicant address** (typing someone else's number into a subject never writes into
  their ticket); else the sender's open conversation or a new intake ticket for triage.

Times: IMAP ``INTERNALDATE`` (when the mailbox received it) is the message's arrival, else its ``Date`` header,
never later than now; a PPID request triaged from it counts its 10 working days from there (UU 14/2008 art. 22(7)).
"""

from __future__ import annotations

import hashlib
import html
import imaplib
import logging
import re
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

import nh3
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from layanan.channels import conf
from layanan.channels.conversation import Inbound, ignore, receive, record_error, record_success
from layanan.channels.models import ChannelAccount, ChannelKind, ChannelMessage
from layanan.core.models.tickets import Ticket
from layanan.core.numbering import TRACKING_NUMBER_RE, normalise

__all__ = [
    "DEFAULT_PORT",
    "MailboxError",
    "classify",
    "connect",
    "match_ticket",
    "parse",
    "poll_mailbox",
    "receive_email",
    "test_connection",
]

logger = logging.getLogger(__name__)

DEFAULT_PORT = 993
DEFAULT_FOLDER = "INBOX"
#: Seconds an IMAP connection waits for the server before giving up (the next poll retries).
TIMEOUT = 30
#: A tracking number as it may be written in a subject (checked against ``numbering.TRACKING_NUMBER_RE``).
_NUMBER_IN_TEXT = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2,10}-\d{4}-\d{6,}(?!\d)")
_MONTHS = {
    m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)
}
_INTERNALDATE = re.compile(
    rb'INTERNALDATE "\s?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)"'
)
#: The line that introduces the quoted history of a reply: "On …, X wrote:" / "Pada …, X menulis:".
_ATTRIBUTION_START = re.compile(r"^\s*(On|Pada|Le|Am)\s", re.IGNORECASE)
_ATTRIBUTION_END = re.compile(r"(wrote|menulis|a écrit|schrieb)\s*:\s*$", re.IGNORECASE)
_ORIGINAL_MESSAGE = re.compile(r"^\s*-{2,}\s*(Original Message|Pesan Asli|Pesan Awal)\s*-{2,}\s*$", re.IGNORECASE)
_BLOCK_END = re.compile(r"(?i)<br\s*/?>|</(p|div|li|tr|h[1-6]|blockquote|table)\s*>")
_AUTO_PRECEDENCE = {"bulk", "junk", "auto_reply"}


class MailboxError(Exception):
    """The mailbox could not be reached or read (connection, TLS, login, folder); the message is for the
    channel screen."""


# --- parsing ------------------------------------------------------------------------------------------------
@dataclass
class Parsed:
    """One e-mail as the desk needs it. ``external_id``: the ``Message-ID`` (``sha256:<hex>`` of the raw bytes when
    missing); ``sender``/``sender_name``: the ``From`` address (lower case) and display name; ``text``: body as
    plain text (quoted history of a reply removed); ``files``: attachments as named ``ContentFile``;
    ``date``: the ``Date`` header (aware) or None."""

    message: EmailMessage
    external_id: str
    sender: str
    sender_name: str
    subject: str
    in_reply_to: str
    references: list[str]
    text: str
    files: list
    date: datetime | None


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError):  # a header the policy cannot parse: treated as absent
        return ""
    return str(value or "").strip()


def _sender(message: EmailMessage) -> tuple[str, str]:
    """``(display name, address)`` of ``From``."""
    try:
        addresses = message["From"].addresses if message["From"] is not None else ()
    except (AttributeError, ValueError, IndexError, TypeError):
        addresses = ()
    if addresses:
        return addresses[0].display_name or "", addresses[0].addr_spec or ""
    return parseaddr(_header(message, "From"))


def _message_ids(value: str) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value or "")


def _html_to_text(markup: str) -> str:
    """HTML body -> plain text: block ends become line breaks, every tag goes (``nh3``, scripts and styles with
    their content), entities decoded."""
    cleaned = nh3.clean(_BLOCK_END.sub("\n", markup), tags=set(), clean_content_tags={"script", "style", "head"})
    return html.unescape(cleaned)


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, ValueError):  # unknown charset: decode what can be decoded
        content = (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        content = _html_to_text(content)
    lines = [line.rstrip() for line in content.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def strip_quoted(text: str) -> str:
    """Remove the quoted history of a reply where it is clear: from an attribution line ("On … wrote:", "Pada …
    menulis:", possibly wrapped over up to three lines) or an "Original Message" separator followed by quoted
    text or nothing, and a trailing block of ``>`` lines. Quotes inside the text (an answer between quoted
    questions) stay. Returns ``text`` unchanged when nothing would remain."""
    lines = text.split("\n")
    cut = len(lines)
    for index, line in enumerate(lines):
        if _ORIGINAL_MESSAGE.match(line):
            cut = index
            break
        if not _ATTRIBUTION_START.match(line):
            continue
        for end in range(index, min(index + 3, len(lines))):
            if _ATTRIBUTION_END.search(" ".join(lines[index : end + 1])):
                rest = [r for r in lines[end + 1 :] if r.strip()]
                if not rest or rest[0].lstrip().startswith(">"):
                    cut = index
                break
        if cut != len(lines):
            break
    lines = lines[:cut]
    while lines and (not lines[-1].strip() or lines[-1].lstrip().startswith(">")):
        lines.pop()
    stripped = "\n".join(lines).strip()
    return stripped or text


def _attachments(message: EmailMessage) -> list:
    files = []
    for index, part in enumerate(message.iter_attachments(), start=1):
        name = part.get_filename() or ""
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            data = inner.as_bytes() if hasattr(inner, "as_bytes") else b""
            name = name or f"message-{index}.eml"
        else:
            data = part.get_payload(decode=True) or b""
        if not name:
            name = f"attachment-{index}"
        files.append(ContentFile(data, name=name))
    return files


def parse(raw: bytes) -> Parsed:
    """Parse one raw e-mail (RFC 5322 bytes) with ``email.policy.default``: charsets and RFC 2047 encoded words
    decoded. Raises ``ValueError`` when it has no usable ``From`` address."""
    message = BytesParser(policy=policy.default).parsebytes(raw)
    message_id = (_message_ids(_header(message, "Message-ID")) or [""])[0]
    if not message_id or len(message_id) > 255:
        message_id = "sha256:" + hashlib.sha256(raw).hexdigest()
    name, address = _sender(message)
    if "@" not in address:
        raise ValueError(gettext("The e-mail has no sender address."))
    date = None
    if _header(message, "Date"):
        try:
            date = parsedate_to_datetime(_header(message, "Date"))
        except (TypeError, ValueError, IndexError):
            date = None
        if date is not None and timezone.is_naive(date):
            date = None
    return Parsed(
        message=message,
        external_id=message_id,
        sender=address.strip().lower(),
        sender_name=name.strip(),
        subject=re.sub(r"\s+", " ", _header(message, "Subject")),
        in_reply_to=(_message_ids(_header(message, "In-Reply-To")) or [""])[0],
        references=_message_ids(_header(message, "References")),
        text=_body_text(message),
        files=_attachments(message),
        date=date,
    )


# --- classification -----------------------------------------------------------------------------------------
def _own_addresses() -> set[str]:
    addresses = set(ChannelAccount.objects.filter(kind=ChannelKind.EMAIL).values_list("address", flat=True))
    addresses.add(settings.DEFAULT_FROM_EMAIL)
    addresses.add(getattr(settings, "SERVER_EMAIL", ""))
    return {a.lower() for _n, a in getaddresses([x for x in addresses if x]) if "@" in a}


def classify(parsed: Parsed) -> str:
    """Why ``parsed`` must not become a ticket or be answered — ``bounce``, ``auto_reply``, ``list``, ``loop`` — or
    ``""`` for a citizen's message (see the module docstring)."""
    message = parsed.message
    local_part = parsed.sender.split("@", 1)[0]
    report_type = (message.get_param("report-type", header="content-type") or "").lower()
    if message.get_content_type() == "multipart/report" and report_type == "delivery-status":
        return "bounce"
    if local_part in {"mailer-daemon", "postmaster"}:
        return "bounce"
    auto_submitted = _header(message, "Auto-Submitted").lower()
    precedence = _header(message, "Precedence").lower()
    if (auto_submitted and auto_submitted != "no") or precedence in _AUTO_PRECEDENCE:
        return "auto_reply"
    if _header(message, "X-Autoreply") or _header(message, "X-Autorespond") or report_type:
        return "auto_reply"
    if _header(message, "Return-Path") == "<>":
        return "auto_reply"
    if _header(message, "List-Id") or precedence == "list":
        return "list"
    if parsed.sender in _own_addresses():
        return "loop"
    return ""


# --- the ticket ---------------------------------------------------------------------------------------------
def match_ticket(parsed: Parsed) -> Ticket | None:
    """The ticket ``parsed`` answers: the ticket of an outgoing e-mail named in ``In-Reply-To`` or ``References``
    (the latest), else the ticket whose tracking number is in the subject when the sender is its applicant's
    e-mail address (case-insensitive), else None."""
    ids = [i for i in [parsed.in_reply_to, *reversed(parsed.references)] if i]
    if ids:
        sent = dict(
            ChannelMessage.objects.filter(
                kind=ChannelKind.EMAIL, direction=ChannelMessage.Direction.OUT, external_id__in=ids
            )
            .exclude(ticket=None)
            .values_list("external_id", "ticket")
        )
        for external_id in ids:
            if external_id in sent:
                return Ticket.objects.get(pk=sent[external_id])
    for candidate in _NUMBER_IN_TEXT.findall(parsed.subject):
        number = normalise(candidate)
        if not TRACKING_NUMBER_RE.match(number):
            continue
        ticket = Ticket.objects.filter(tracking_number=number).first()
        if ticket is not None and ticket.applicant_email and ticket.applicant_email.strip().lower() == parsed.sender:
            return ticket
    return None


def receive_email(raw: bytes, arrived_at: datetime | None = None) -> Inbound:
    """Store one raw e-mail (see the module docstring); ``arrived_at``: when the mailbox received it (aware; the
    IMAP ``INTERNALDATE``), else the ``Date`` header, never later than now. Returns the
    :class:`~layanan.channels.conversation.Inbound` of ``conversation.receive``, or one with outcome ``ignored``
    (and no ticket) for an automatic, bounced, list or looped message, and for a message without a sender address
    (reason ``no_sender``: it never becomes readable, so it must not stay unseen and block the mailbox).
    Idempotent per ``Message-ID``."""
    try:
        parsed = parse(raw)
    except ValueError:
        external_id = "sha256:" + hashlib.sha256(raw).hexdigest()
        envelope = ignore(ChannelKind.EMAIL, external_id=external_id, peer="", reason="no_sender")
        return Inbound(envelope, None, "ignored")
    reason = classify(parsed)
    data = {"subject": parsed.subject[:500], "in_reply_to": parsed.in_reply_to, "references": parsed.references[-20:]}
    if reason:
        envelope = ignore(
            ChannelKind.EMAIL, external_id=parsed.external_id, peer=parsed.sender, reason=reason, data=data
        )
        return Inbound(envelope, None, "ignored")
    ticket = match_ticket(parsed)
    text = parsed.text
    if ticket is not None or parsed.in_reply_to:
        text = strip_quoted(text)
    if ticket is None and parsed.subject:
        text = f"{parsed.subject}\n\n{text}".strip()
    if not text and not parsed.files:
        text = parsed.subject
    if not text and not parsed.files:
        envelope = ignore(ChannelKind.EMAIL, external_id=parsed.external_id, peer=parsed.sender, reason="empty")
        return Inbound(envelope, None, "ignored")
    now = timezone.now()
    received_at = arrived_at or parsed.date
    received_at = min(received_at, now) if received_at else now
    return receive(
        ChannelKind.EMAIL,
        external_id=parsed.external_id,
        peer=parsed.sender,
        peer_name=parsed.sender_name,
        text=text,
        files=parsed.files,
        received_at=received_at,
        contact={"email": parsed.sender},
        ticket=ticket,
        data=data,
    )


# --- IMAP ---------------------------------------------------------------------------------------------------
def _internaldate(response: bytes) -> datetime | None:
    found = _INTERNALDATE.search(response or b"")
    if not found:
        return None
    day, month, year, hour, minute, second, sign, off_h, off_m = (g.decode() for g in found.groups())
    if month.title() not in _MONTHS:
        return None
    offset = timedelta(hours=int(off_h), minutes=int(off_m)) * (-1 if sign == "-" else 1)
    return datetime(
        int(year), _MONTHS[month.title()], int(day), int(hour), int(minute), int(second), tzinfo=dt_timezone(offset)
    )


def connect(values: dict[str, str]) -> tuple[imaplib.IMAP4_SSL, int]:
    """Log in to the mailbox with ``values`` (``conf.credentials("email")``) over TLS and select the folder;
    returns ``(client, messages in the folder)``. Raises :class:`MailboxError` with a readable message."""
    host, user, password = values["PESAN_IMAP_HOST"], values["PESAN_IMAP_USER"], values["PESAN_IMAP_PASSWORD"]
    missing = [name for name, value in (("host", host), ("user", user), ("password", password)) if not value]
    if missing:
        raise MailboxError(
            gettext("The mailbox is not configured (missing: %(names)s).") % {"names": ", ".join(missing)}
        )
    try:
        port = int(values["PESAN_IMAP_PORT"] or DEFAULT_PORT)
    except ValueError:
        raise MailboxError(gettext("The IMAP port must be a number.")) from None
    folder = values["PESAN_IMAP_FOLDER"] or DEFAULT_FOLDER
    client = None
    try:
        context = ssl.create_default_context(cafile=values["PESAN_IMAP_CAFILE"] or None)
        client = imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=TIMEOUT)
        client.login(user, password)
        status, data = client.select(_quote(folder))
        if status != "OK":
            raise MailboxError(gettext("The folder %(folder)s cannot be opened.") % {"folder": folder})
        count = int((data or [b"0"])[0] or 0)
    except MailboxError:
        _logout(client)
        raise
    except (OSError, ssl.SSLError, imaplib.IMAP4.error, ValueError) as exc:
        _logout(client)
        raise MailboxError(
            gettext("Cannot read the mailbox %(user)s at %(host)s:%(port)s: %(error)s")
            % {"user": user, "host": host, "port": port, "error": str(exc) or exc.__class__.__name__}
        ) from exc
    return client, count


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _logout(client) -> None:
    if client is None:
        return
    try:
        client.logout()
    except (OSError, imaplib.IMAP4.error):
        logger.debug("IMAP logout failed", exc_info=True)


def test_connection(account: ChannelAccount | None = None) -> tuple[bool, str]:
    """Log in to the mailbox and open its folder with the current credentials (the channel screen's "test"
    button): ``(True, message)`` naming the folder and its message count, or ``(False, why)``. Changes nothing."""
    values = conf.credentials(ChannelKind.EMAIL, account)
    try:
        client, count = connect(values)
    except MailboxError as exc:
        return False, str(exc)
    _logout(client)
    return True, gettext("Connected: the folder %(folder)s holds %(count)s messages.") % {
        "folder": values["PESAN_IMAP_FOLDER"] or DEFAULT_FOLDER,
        "count": count,
    }


def _fetch(client, uid: bytes) -> tuple[bytes, datetime | None]:
    status, data = client.uid("FETCH", uid, "(BODY.PEEK[] INTERNALDATE)")
    if status != "OK":
        raise MailboxError(gettext("The server refused to send message %(uid)s.") % {"uid": uid.decode()})
    for item in data or ():
        if isinstance(item, tuple) and len(item) == 2:
            return item[1], _internaldate(item[0])
    raise MailboxError(gettext("The server sent no content for message %(uid)s.") % {"uid": uid.decode()})


def poll_mailbox(limit: int = 100) -> int:
    """Read up to ``limit`` unseen messages of the mailbox (see the module docstring); returns how many were
    stored or recognised (a duplicate, an ignored automatic message) and marked seen. Messages that fail stay
    unseen and do not count against ``limit``: however many fail, the poll goes on to the newer ones, so a
    backlog of failing messages never keeps new mail out. Does nothing (0) while the e-mail channel is disabled.
    Never raises for the mailbox's faults: they are recorded on the channel (``last_error``) and the next poll
    retries."""
    account = ChannelAccount.objects.filter(kind=ChannelKind.EMAIL, enabled=True).first()
    if account is None:
        return 0
    try:
        client, _count = connect(conf.credentials(ChannelKind.EMAIL, account))
    except MailboxError as exc:
        record_error(ChannelKind.EMAIL, exc, poll=True)
        return 0
    done, failures = 0, []
    try:
        status, data = client.uid("SEARCH", None, "UNSEEN")
        if status != "OK":
            raise MailboxError(gettext("The server refused to list the unseen messages."))
        for uid in (data[0] or b"").split():
            if done >= limit:
                break
            raw, arrived_at = _fetch(client, uid)
            try:
                with transaction.atomic():
                    receive_email(raw, arrived_at)
            except Exception as exc:  # noqa: BLE001 - one bad message must not block the others; it stays unseen
                failures.append(f"UID {uid.decode()}: {exc}")
                logger.warning("mailbox message UID %s left unseen: %s", uid.decode(), exc, exc_info=True)
                continue
            client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            done += 1
    except (MailboxError, OSError, imaplib.IMAP4.error) as exc:
        record_error(ChannelKind.EMAIL, exc, poll=True)
        return done
    finally:
        _logout(client)
    if failures:
        record_error(
            ChannelKind.EMAIL,
            gettext("Messages left unread in the mailbox (they could not be stored): %(list)s")
            % {"list": "; ".join(failures)},
            poll=True,
        )
    else:
        record_success(ChannelKind.EMAIL, poll=True)
    return done
