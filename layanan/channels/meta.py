"""Meta platforms (issue 18): WhatsApp Business Platform (Cloud API), Instagram and Messenger — webhooks in,
Graph API out.

Incoming (:func:`handle_webhook`, called by the thin views of ``layanan.channels.views``): Meta POSTs JSON to
``/api/v2/channels/whatsapp/webhook/`` (``object: whatsapp_business_account``) and ``/api/v2/channels/meta/webhook/``
(``object: page`` for Messenger, ``object: instagram``). A POST is accepted only when its ``X-Hub-Signature-256``
header is ``sha256=`` + the hex HMAC-SHA256 of the raw body with the app secret (``PESAN_META_APP_SECRET``),
compared in constant time, and its channel is enabled; otherwise :class:`WebhookRefused` (403) and nothing is
stored. Each message goes to ``layanan.channels.conversation.receive`` (once per message id: Meta delivers at
least once); WhatsApp media are downloaded from the Graph API into the ticket's attachments (inline, in the
request, for now); delivery statuses update the outgoing envelope; the page's own echoes are recorded as ignored.
Shapes PESAN does not know are logged and answered 200 (Meta retries anything else for days).

Subscription check (:func:`verify_subscription`): Meta's ``GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…``
is answered with the challenge when the token equals ``PESAN_META_VERIFY_TOKEN``.

Outgoing (:func:`deliver`, run by the outbox task ``layanan.channels.tasks.deliver``): the queued text goes to
``POST /{phone-number-id}/messages`` (WhatsApp) or ``POST /{page-or-account-id}/messages`` (Send API). WhatsApp
accepts free-form text only within 24 hours of the citizen's last message; later the approved template
``PESAN_WHATSAPP_TEMPLATE`` is sent (body parameters: tracking number, status, status page address). Messenger and
Instagram answer with ``messaging_type: RESPONSE`` within 24 hours and with the ``HUMAN_AGENT`` tag (7 days, needs
Meta's Human Agent permission) after. Every request has a timeout (:data:`TIMEOUT`, seconds); an HTTP error
raises :class:`MetaError` (the outbox retries the task and records the error on the envelope and the channel).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import requests
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext

from layanan.channels import conf
from layanan.channels.conversation import (
    find_stored,
    forgotten_id,
    ignore,
    receive,
    record_error,
    record_success,
    window_closes_at,
)
from layanan.channels.models import ChannelAccount, ChannelKind, ChannelMessage
from layanan.core.conf import attachment_max_bytes
from layanan.core.crypto import decrypt
from layanan.core.notifications import status_url

__all__ = [
    "TIMEOUT",
    "MetaError",
    "WebhookRefused",
    "WebhookResult",
    "deliver",
    "handle_webhook",
    "signature_valid",
    "test_connection",
    "verify_subscription",
]

logger = logging.getLogger(__name__)

#: Seconds every Graph API request may take (connect and read).
TIMEOUT = 10
#: Longest text of one message: WhatsApp 4096 characters, the Send API 2000.
TEXT_LIMIT = {ChannelKind.WHATSAPP: 4096, ChannelKind.INSTAGRAM: 1000, ChannelKind.MESSENGER: 2000}
#: Account-id credential of each kind (the ``{id}`` of ``POST /{id}/messages``).
ACCOUNT_ID = {
    ChannelKind.WHATSAPP: "PESAN_WHATSAPP_PHONE_NUMBER_ID",
    ChannelKind.INSTAGRAM: "PESAN_INSTAGRAM_ACCOUNT_ID",
    ChannelKind.MESSENGER: "PESAN_MESSENGER_PAGE_ID",
}
TOKEN = {
    ChannelKind.WHATSAPP: "PESAN_WHATSAPP_ACCESS_TOKEN",
    ChannelKind.INSTAGRAM: "PESAN_INSTAGRAM_ACCESS_TOKEN",
    ChannelKind.MESSENGER: "PESAN_MESSENGER_PAGE_ACCESS_TOKEN",
}
#: The two webhook endpoints and the channel kinds each serves.
ENDPOINT_KINDS = {
    "whatsapp": (ChannelKind.WHATSAPP,),
    "meta": (ChannelKind.MESSENGER, ChannelKind.INSTAGRAM),
}
_OBJECT_KIND = {
    "whatsapp_business_account": ChannelKind.WHATSAPP,
    "page": ChannelKind.MESSENGER,
    "instagram": ChannelKind.INSTAGRAM,
}
#: Order of the delivery statuses: a late "delivered" never takes back a "read".
_STATUS_RANK = {"sent": 1, "delivered": 2, "read": 3, "failed": 4}
_HISTORY = 10
_WHATSAPP_MEDIA = ("image", "document", "audio", "video", "sticker")
#: Messenger/Instagram attachment types that are files on Meta's CDN (downloaded); any other type (``fallback``,
#: ``share``, ``story_mention``, ``ig_reel``, a template) may carry an address the sender chose: named, not fetched.
_SEND_API_MEDIA = ("image", "video", "audio", "file")


class WebhookRefused(Exception):
    """A webhook call that is not Meta's (bad or missing signature, no secret configured, channel disabled):
    answered 403, nothing stored."""


class MetaError(Exception):
    """The Graph API refused or could not be reached; the message says what (HTTP status and Meta's error)."""


@dataclass
class WebhookResult:
    """What one accepted webhook call did: ``kind``, incoming messages stored (``received``), repeats of stored
    ones (``duplicates``), ignored (echoes, reactions), statuses applied, and entries not understood."""

    kind: str
    received: int = 0
    duplicates: int = 0
    ignored: int = 0
    statuses: int = 0
    unknown: list[str] = field(default_factory=list)


# --- subscription and signature ---------------------------------------------------------------------------------
def verify_subscription(endpoint: str, params: Mapping) -> str | None:
    """Meta's subscription check of ``endpoint`` (``whatsapp`` or ``meta``): the ``hub.challenge`` to echo when
    ``hub.mode`` is ``subscribe`` and ``hub.verify_token`` equals the configured ``PESAN_META_VERIFY_TOKEN`` of a
    channel served there (constant-time comparison); None otherwise (answer 403). Works before the channel is
    enabled, so the admin can subscribe first and switch on after."""
    if params.get("hub.mode") != "subscribe":
        return None
    given = str(params.get("hub.verify_token") or "")
    challenge = str(params.get("hub.challenge") or "")
    if not given or not challenge:
        return None
    for kind in ENDPOINT_KINDS.get(endpoint, ()):
        expected = conf.credentials(kind).get("PESAN_META_VERIFY_TOKEN", "")
        if expected and hmac.compare_digest(expected.encode(), given.encode()):
            return challenge
    return None


def signature_valid(secret: str, body: bytes, header: str) -> bool:
    """Whether ``header`` (``X-Hub-Signature-256``) is ``sha256=`` + hex HMAC-SHA256 of the raw ``body`` with
    ``secret``; False without a secret. Constant-time comparison."""
    if not secret or not header:
        return False
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), header.strip().encode())


def _accepting_kind(endpoint: str, body: bytes, signature: str) -> tuple[str, object]:
    """``(kind, payload)`` of a POST to ``endpoint`` after its checks; raises :class:`WebhookRefused`. The signature
    is checked before the body is parsed: an unsigned body is never read (a deeply nested or huge JSON from anyone
    would otherwise cost the parser, or raise, before the refusal)."""
    accepted = []
    for kind in ENDPOINT_KINDS.get(endpoint, ()):
        account = ChannelAccount.objects.filter(kind=kind).first()
        if account is None or not account.enabled:
            continue
        if signature_valid(conf.credentials(kind, account).get("PESAN_META_APP_SECRET", ""), body, signature):
            accepted.append(kind)
    if not accepted:
        raise WebhookRefused(endpoint)
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        payload = None
    named = _OBJECT_KIND.get(str(payload.get("object"))) if isinstance(payload, dict) else None
    if named is None:
        return accepted[0], payload
    if named not in accepted:  # a body of the other endpoint's platform, or of a disabled channel
        raise WebhookRefused(endpoint)
    return named, payload


def _dict(value) -> dict:
    """``value`` when it is a JSON object, else ``{}`` (a signed body of an unexpected shape is logged, never a
    500 that Meta would repeat for days)."""
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


# --- incoming ---------------------------------------------------------------------------------------------------
def handle_webhook(endpoint: str, body: bytes, signature: str) -> WebhookResult:
    """Check and process one webhook POST to ``endpoint`` (``whatsapp`` or ``meta``) with raw ``body`` and the
    ``X-Hub-Signature-256`` header ``signature``. Raises :class:`WebhookRefused` when the call is not accepted
    (nothing stored). An error while storing a message propagates (the view answers 500, Meta delivers again, and
    messages already stored are recognised by their id)."""
    kind, payload = _accepting_kind(endpoint, body, signature)
    record_success(kind, webhook=True)
    result = WebhookResult(kind)
    try:
        if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
            result.unknown.append("body")
        elif kind == ChannelKind.WHATSAPP:
            _whatsapp_entries(payload["entry"], result)
        else:
            _messaging_entries(kind, payload["entry"], result)
    except Exception as exc:
        record_error(kind, f"webhook: {exc.__class__.__name__}: {exc}")
        raise
    if result.unknown:
        logger.warning("channel %s webhook: not understood: %s", kind, ", ".join(result.unknown[:20]))
    return result


def _timestamp(value, *, millis: bool = False) -> datetime | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return datetime.fromtimestamp(number / 1000 if millis else number, UTC)


def _store(kind: str, result: WebhookResult, **values) -> None:
    try:
        inbound = receive(kind, **values)
    except ValidationError as exc:  # neither text nor file: nothing a person could read
        result.unknown.append(f"{values.get('external_id')}: {' '.join(exc.messages)}")
        return
    if inbound.created:
        result.received += 1
    else:
        result.duplicates += 1


def _whatsapp_entries(entries: list, result: WebhookResult) -> None:
    for entry in entries:
        for change in _list(_dict(entry).get("changes")):
            value = _dict(change).get("value")
            if not isinstance(value, dict) or change.get("field") != "messages":
                result.unknown.append(f"change {_dict(change).get('field', '?')}")
                continue
            names = {
                str(c.get("wa_id")): str(_dict(c.get("profile")).get("name") or "")
                for c in _list(value.get("contacts"))
                if isinstance(c, dict)
            }
            metadata = _dict(value.get("metadata"))
            for message in _list(value.get("messages")):
                if isinstance(message, dict):
                    _whatsapp_message(message, names, metadata, result)
                else:
                    result.unknown.append("message not an object")
            for status in _list(value.get("statuses")):
                if isinstance(status, dict):
                    _whatsapp_status(status, result)
                else:
                    result.unknown.append("status not an object")
            for error in _list(value.get("errors")):
                result.unknown.append(f"error {_dict(error).get('code')} {_dict(error).get('title', '')}")


def _whatsapp_message(message: dict, names: dict, metadata: dict, result: WebhookResult) -> None:
    kind = ChannelKind.WHATSAPP
    wa_id, external_id = str(message.get("from") or ""), str(message.get("id") or "")
    kind_of = str(message.get("type") or "")
    if not wa_id or not external_id:
        result.unknown.append(f"message without sender or id ({kind_of})")
        return
    if kind_of in ("reaction", "system", "unsupported") or kind_of == "":
        ignore(kind, external_id=external_id, peer=wa_id, reason=kind_of or "unknown", data={"type": kind_of})
        result.ignored += 1
        return
    data = {"type": kind_of, "phone_number_id": metadata.get("phone_number_id", "")}
    if _dict(message.get("context")).get("id"):
        data["in_reply_to"] = str(message["context"]["id"])
    files, notes = [], []
    text = ""
    if kind_of == "text":
        text = str(_dict(message.get("text")).get("body") or "")
    elif kind_of in _WHATSAPP_MEDIA:
        media = _dict(message.get(kind_of))
        text = str(media.get("caption") or "")
        if find_stored(kind, external_id) is None:  # a repeat needs no second download
            upload, failure = _download_whatsapp_media(kind_of, media)
            if upload is not None:
                files.append(upload)
            else:
                data["media_failed"] = [{"id": media.get("id", ""), "type": kind_of, "error": failure}]
                notes.append(
                    gettext(
                        "The attachment %(name)s (WhatsApp media id %(id)s) could not be downloaded: %(error)s. "
                        "Ask the sender to send it again if it is still needed."
                    )
                    % {"name": _media_name(kind_of, media), "id": media.get("id", "-"), "error": failure}
                )
    elif kind_of == "location":
        place = _dict(message.get("location"))
        text = gettext("Location: %(name)s %(address)s (%(lat)s, %(lon)s)") % {
            "name": place.get("name", ""),
            "address": place.get("address", ""),
            "lat": place.get("latitude", "?"),
            "lon": place.get("longitude", "?"),
        }
    elif kind_of == "button":
        text = str(_dict(message.get("button")).get("text") or "")
    elif kind_of == "interactive":
        reply = _dict(message.get("interactive"))
        text = str(_dict(reply.get("button_reply") or reply.get("list_reply")).get("title") or "")
    else:  # contacts, order, … : named, never silently dropped
        text = gettext("(A WhatsApp message of type “%(type)s” that PESAN cannot show; read it in WhatsApp.)") % {
            "type": kind_of
        }
    text = "\n\n".join(part for part in [text.strip(), *notes] if part)
    _store(
        kind,
        result,
        external_id=external_id,
        peer=wa_id,
        peer_name=names.get(wa_id, ""),
        text=text,
        files=files,
        received_at=_timestamp(message.get("timestamp")),
        contact={"phone": "+" + wa_id.lstrip("+")},
        data=data,
    )


def _media_name(kind_of: str, media: dict) -> str:
    if media.get("filename"):
        return str(media["filename"])[:200]
    extension = mimetypes.guess_extension((media.get("mime_type") or "").split(";")[0].strip()) or ""
    if extension == ".jpe":
        extension = ".jpg"
    return f"whatsapp-{kind_of}-{media.get('id', 'file')}{extension}"


def _graph_get(url: str, token: str) -> requests.Response:
    response = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)
    if response.status_code >= 400:
        raise MetaError(_describe_error(response))
    return response


def _download(url: str, token: str = "") -> tuple[bytes, str]:
    """``(content, content type)`` of a media address, read in chunks and given up beyond the upload limit
    (``PESAN_ATTACHMENT_MAX_BYTES``; a bigger file would be refused by the upload checks anyway, and a video of
    hundreds of megabytes must not be held in memory in the webhook request). ``token``: the bearer token
    (WhatsApp's media addresses need it; Meta's CDN addresses of Messenger/Instagram do not). Raises
    :class:`MetaError` or ``requests.RequestException``."""
    limit = attachment_max_bytes()
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with requests.get(url, headers=headers, timeout=TIMEOUT, stream=True) as response:
        if response.status_code >= 400:
            raise MetaError(_describe_error(response) if token else f"HTTP {response.status_code}")
        too_big = MetaError(gettext("larger than the limit of %(limit)s MB") % {"limit": f"{limit / 1048576:g}"})
        try:
            if int(response.headers.get("Content-Length") or 0) > limit:
                raise too_big
        except ValueError:
            pass
        chunks, size = [], 0
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > limit:
                raise too_big
            chunks.append(chunk)
        return b"".join(chunks), response.headers.get("Content-Type", "")


def _download_whatsapp_media(kind_of: str, media: dict) -> tuple[ContentFile | None, str]:
    """``(file, "")`` with the media's bytes (``GET /{media-id}`` gives a short-lived URL, fetched with the same
    bearer token), or ``(None, error)``."""
    media_id = str(media.get("id") or "")
    token = conf.credentials(ChannelKind.WHATSAPP).get("PESAN_WHATSAPP_ACCESS_TOKEN", "")
    if not media_id:
        return None, gettext("no media id")
    try:
        described = _graph_get(f"{conf.graph_api_url().rstrip('/')}/{media_id}", token).json()
        url = described.get("url") if isinstance(described, dict) else None
        if not url:
            raise MetaError(gettext("the Graph API gave no download address"))
        content, _mime = _download(url, token)
    except (requests.RequestException, MetaError, ValueError) as exc:
        record_error(ChannelKind.WHATSAPP, f"media {media_id}: {exc}")
        return None, str(exc)[:300]
    name = _media_name(kind_of, {**media, "mime_type": media.get("mime_type") or described.get("mime_type", "")})
    return ContentFile(content, name=name), ""


def _whatsapp_status(status: dict, result: WebhookResult) -> None:
    """Apply one delivery status (``sent``, ``delivered``, ``read``, ``failed`` with ``errors``) to the outgoing
    envelope with that id; a status of an unknown id is logged (e.g. a message sent outside PESAN)."""
    external_id, value = str(status.get("id") or ""), status.get("status", "")
    if value not in _STATUS_RANK:
        result.unknown.append(f"status {value!r}")
        return
    ids = {external_id, forgotten_id(ChannelKind.WHATSAPP, external_id)}  # also once the envelope forgot the peer
    envelope = ChannelMessage.objects.filter(
        kind=ChannelKind.WHATSAPP, direction=ChannelMessage.Direction.OUT, external_id__in=ids
    ).first()
    if envelope is None:  # not logged with its id: a wamid carries the recipient's number
        result.unknown.append("status of an unknown message")
        return
    error = "; ".join(
        " ".join(
            str(part)
            for part in (e.get("code", ""), e.get("title", ""), (e.get("error_data") or {}).get("details", ""))
            if part
        )
        for e in _list(status.get("errors"))
        if isinstance(e, dict)
    )
    apply_status(envelope, value, at=_timestamp(status.get("timestamp")), error=error)
    result.statuses += 1


def apply_status(envelope: ChannelMessage, value: str, *, at: datetime | None = None, error: str = "") -> None:
    """Record status ``value`` of outgoing ``envelope``: the history (last 10, in ``data["statuses"]``) always;
    ``status`` and ``status_at`` only forward (sent < delivered < read; failed wins), so statuses arriving out of
    order never take one back. ``error``: the platform's reason of a failure."""
    at = at or timezone.now()
    data = dict(envelope.data or {})
    history = list(data.get("statuses") or [])
    history.append({"status": value, "at": at.isoformat(), **({"error": error} if error else {})})
    data["statuses"] = history[-_HISTORY:]
    envelope.data = data
    fields = ["data"]
    if _STATUS_RANK.get(value, 0) >= _STATUS_RANK.get(envelope.status, 0):
        envelope.status, envelope.status_at = value, at
        fields += ["status", "status_at"]
    if error:
        envelope.error = error[:2000]
        fields.append("error")
    envelope.save(update_fields=fields)


def _messaging_entries(kind: str, entries: list, result: WebhookResult) -> None:
    for entry in entries:
        events = _dict(entry).get("messaging")
        if not isinstance(events, list):
            result.unknown.append("entry without messaging")
            continue
        for event in events:
            if isinstance(event, dict):
                _messaging_event(kind, event, result)


def _messaging_event(kind: str, event: dict, result: WebhookResult) -> None:
    sender = str(_dict(event.get("sender")).get("id") or "")
    recipient = str(_dict(event.get("recipient")).get("id") or "")
    at = _timestamp(event.get("timestamp"), millis=True)
    if isinstance(event.get("delivery"), dict) or isinstance(event.get("read"), dict):
        _messaging_receipt(kind, sender, event, result)
        return
    postback = _dict(event.get("postback"))
    message = event.get("message") or (postback and {"mid": postback.get("mid", "")})
    if not isinstance(message, dict) or not message.get("mid"):
        result.unknown.append(f"event {sorted(event)}")
        return
    mid = str(message["mid"])
    if message.get("is_echo"):  # the page's own message (sent by PESAN or by hand in Meta's inbox)
        ignore(kind, external_id=mid, peer=recipient, reason="echo")
        result.ignored += 1
        return
    if message.get("is_deleted") or "reaction" in event:
        result.ignored += 1
        return
    text = str(message.get("text") or postback.get("title") or "")
    files, failed, links = [], [], []
    for number, attachment in enumerate(_list(message.get("attachments")), start=1):
        attachment = _dict(attachment)
        url, kind_of = _dict(attachment.get("payload")).get("url"), str(attachment.get("type") or "")
        if not url or not isinstance(url, str):
            continue
        if kind_of not in _SEND_API_MEDIA:  # a shared link, a post, a story: named, never fetched
            links.append(url)
            continue
        upload, error = _download_attachment(kind, url, f"{kind}-{number}-{mid[-12:]}", kind_of)
        if upload is not None:
            files.append(upload)
        else:
            failed.append({"type": kind_of, "url": url, "error": error})
    notes = [
        gettext("An attachment (%(type)s) could not be downloaded: %(error)s.")
        % {"type": item["type"] or "-", "error": item["error"]}
        for item in failed
    ]
    if links:
        notes.append(gettext("Shared links (not opened):") + "\n" + "\n".join(links))
    text = "\n\n".join(part for part in [(text or "").strip(), *notes] if part)
    _store(
        kind,
        result,
        external_id=mid,
        peer=sender,
        text=text,
        files=files,
        received_at=at,
        data={"type": "message", **({"attachments_failed": failed} if failed else {})},
    )


def _download_attachment(kind: str, url: str, stem: str, kind_of: str) -> tuple[ContentFile | None, str]:
    """An attachment of a Messenger/Instagram message: its ``payload.url`` is a signed address on Meta's CDN,
    fetched without our token."""
    try:
        content, mime = _download(url)
    except (requests.RequestException, MetaError) as exc:
        record_error(kind, f"attachment: {exc}")
        return None, str(exc)[:300]
    mime = mime.split(";")[0].strip()
    extension = mimetypes.guess_extension(mime) or {"image": ".jpg", "video": ".mp4", "audio": ".mp4"}.get(kind_of, "")
    return ContentFile(content, name=stem + (".jpg" if extension == ".jpe" else extension)), ""


def _messaging_receipt(kind: str, peer: str, event: dict, result: WebhookResult) -> None:
    """Messenger's ``delivery`` (``mids``) and ``read`` (``watermark``: everything sent before it) receipts."""
    outgoing = ChannelMessage.objects.filter(kind=kind, direction=ChannelMessage.Direction.OUT)
    if isinstance(event.get("delivery"), dict):
        mids = [str(m) for m in _list(event["delivery"].get("mids"))]
        envelopes = outgoing.filter(external_id__in=mids) if mids else outgoing.none()
        value, at = "delivered", _timestamp(event.get("timestamp"), millis=True)
    else:
        at = _timestamp(_dict(event.get("read")).get("watermark"), millis=True) or timezone.now()
        envelopes = outgoing.filter(peer=peer, at__lte=at).exclude(external_id="").exclude(status="read")
        value = "read"
    for envelope in envelopes:
        apply_status(envelope, value, at=at)
        result.statuses += 1


# --- outgoing ---------------------------------------------------------------------------------------------------
def _describe_error(response: requests.Response) -> str:
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        error = {}
    detail = error.get("message") or response.text[:300]
    code = f" (code {error['code']})" if error.get("code") else ""
    return f"Graph API HTTP {response.status_code}{code}: {detail}".strip()


def _post(kind: str, path: str, payload: dict, token: str) -> dict:
    url = f"{conf.graph_api_url().rstrip('/')}/{path}"
    try:
        response = requests.post(url, json=payload, headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)
    except requests.RequestException as exc:
        raise MetaError(f"Graph API unreachable: {exc.__class__.__name__}: {exc}") from exc
    if response.status_code >= 400:
        raise MetaError(_describe_error(response))
    try:
        return response.json()
    except ValueError as exc:
        raise MetaError(f"Graph API answered no JSON (HTTP {response.status_code})") from exc


def _fit(text: str, limit: int) -> str:
    """``text`` within ``limit`` characters: the middle shortened, the last line (the status link) kept."""
    if len(text) <= limit:
        return text
    head, _sep, tail = text.rpartition("\n")
    if not head or len(tail) > limit // 2:
        return text[: limit - 1] + "…"
    return head[: limit - len(tail) - 2] + "…\n" + tail


def _template_payload(envelope: ChannelMessage, template: str, language: str) -> dict:
    ticket = envelope.ticket
    parameters = [ticket.tracking_number, ticket.status_label, status_url(ticket)] if ticket else ["-", "-", "-"]
    return {
        "name": template,
        "language": {"code": language or "id"},
        "components": [
            {
                "type": "body",
                # Meta refuses parameters with new lines or tabs
                "parameters": [{"type": "text", "text": " ".join(str(p).split())[:500]} for p in parameters],
            }
        ],
    }


def whatsapp_payload(envelope: ChannelMessage, text: str, credentials: dict) -> dict:
    """The ``POST /{phone-number-id}/messages`` body of ``envelope``: free-form text within the 24-hour window,
    the approved template after it. Raises :class:`MetaError` when the window closed and no template is set."""
    base = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": envelope.peer}
    closes = window_closes_at(ChannelKind.WHATSAPP, envelope.peer)
    if closes is not None and closes > timezone.now():
        return base | {"type": "text", "text": {"preview_url": False, "body": _fit(text, TEXT_LIMIT["whatsapp"])}}
    template = credentials.get("PESAN_WHATSAPP_TEMPLATE", "")
    if not template:
        raise MetaError(
            gettext(
                "WhatsApp's 24-hour window with this citizen is closed and no approved template "
                "(PESAN_WHATSAPP_TEMPLATE) is configured: the message cannot be sent."
            )
        )
    language = credentials.get("PESAN_WHATSAPP_TEMPLATE_LANGUAGE", "") or "id"
    return base | {"type": "template", "template": _template_payload(envelope, template, language)}


def send_api_payload(envelope: ChannelMessage, text: str) -> dict:
    """The Send API body (Messenger, Instagram) of ``envelope``: a ``RESPONSE`` within 24 hours of the citizen's
    last message, afterwards tagged ``HUMAN_AGENT`` (allowed for 7 days, with Meta's Human Agent permission)."""
    closes = window_closes_at(envelope.kind, envelope.peer)
    payload = {"recipient": {"id": envelope.peer}, "message": {"text": _fit(text, TEXT_LIMIT[envelope.kind])}}
    if closes is not None and closes > timezone.now():
        return payload | {"messaging_type": "RESPONSE"}
    return payload | {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}


def deliver(envelope: ChannelMessage) -> str:
    """Send the queued outgoing ``envelope`` (``data["text_sealed"]``, Fernet) through the Graph API; returns the
    platform's message id. On success: ``external_id``, status ``sent`` with ``status_at``, the sealed text removed,
    ``data["sent_as"]`` (``text``, ``template``, ``RESPONSE``, ``MESSAGE_TAG``) and the channel's success recorded.
    An envelope already sent returns its id (a repeated task sends nothing twice); one whose address was removed
    (the ticket moved to WBS) is marked failed and sends nothing. Raises :class:`MetaError` (HTTP error, timeout,
    missing credentials, WhatsApp window closed without a template): the outbox retries."""
    if envelope.status != ChannelMessage.Status.QUEUED and envelope.external_id:
        return envelope.external_id
    data = dict(envelope.data or {})
    if not envelope.peer or not data.get("text_sealed"):
        envelope.status, envelope.status_at = ChannelMessage.Status.FAILED, timezone.now()
        envelope.error = "no recipient or text (removed: the ticket is confidential)"
        envelope.data = {k: v for k, v in data.items() if k != "text_sealed"}
        envelope.save(update_fields=["status", "status_at", "error", "data"])
        return ""
    kind = envelope.kind
    credentials = conf.credentials(kind)
    account_id, token = credentials.get(ACCOUNT_ID[kind], ""), credentials.get(TOKEN[kind], "")
    if not account_id or not token:
        raise MetaError(f"{ACCOUNT_ID[kind]} / {TOKEN[kind]} not configured")
    text = decrypt(data["text_sealed"])
    if kind == ChannelKind.WHATSAPP:
        payload = whatsapp_payload(envelope, text, credentials)
        answer = _post(kind, f"{account_id}/messages", payload, token)
        message_id = ((answer.get("messages") or [{}])[0] or {}).get("id", "")
        sent_as = payload["type"]
    else:
        payload = send_api_payload(envelope, text)
        answer = _post(kind, f"{account_id}/messages", payload, token)
        message_id = answer.get("message_id", "")
        sent_as = payload["messaging_type"]
    if not message_id:
        raise MetaError(f"Graph API answered without a message id: {json.dumps(answer)[:300]}")
    now = timezone.now()
    data.pop("text_sealed", None)
    data["sent_as"] = sent_as
    data["statuses"] = [*(data.get("statuses") or []), {"status": "sent", "at": now.isoformat()}][-_HISTORY:]
    envelope.external_id, envelope.status, envelope.status_at, envelope.at = message_id, "sent", now, now
    envelope.error, envelope.data = "", data
    envelope.save(update_fields=["external_id", "status", "status_at", "at", "error", "data"])
    record_success(kind)
    return message_id


def test_connection(kind: str, account: ChannelAccount | None = None) -> tuple[bool, str]:
    """Check the credentials of ``kind`` against the Graph API (``GET /{phone-number-id}`` or ``/{page-id}``,
    ``/{instagram-account-id}``, with the token): ``(True, "<the account's name>")`` or ``(False, reason)``.
    Changes nothing (the channel screen's "Test" button)."""
    credentials = conf.credentials(kind, account)
    account_id, token = credentials.get(ACCOUNT_ID[kind], ""), credentials.get(TOKEN[kind], "")
    missing = [name for name, value in ((ACCOUNT_ID[kind], account_id), (TOKEN[kind], token)) if not value]
    if missing:
        return False, gettext("Not configured: %(names)s") % {"names": ", ".join(missing)}
    fields = {
        ChannelKind.WHATSAPP: "display_phone_number,verified_name",
        ChannelKind.INSTAGRAM: "username,name",
        ChannelKind.MESSENGER: "name",
    }[kind]
    try:
        answer = _graph_get(f"{conf.graph_api_url().rstrip('/')}/{account_id}?fields={fields}", token).json()
    except (requests.RequestException, MetaError, ValueError) as exc:
        return False, str(exc)[:500]
    if not isinstance(answer, dict):
        return False, gettext("Unexpected answer from the Graph API.")
    label = " ".join(
        str(answer[key]) for key in ("verified_name", "display_phone_number", "username", "name") if answer.get(key)
    )
    return True, gettext("Connected: %(account)s") % {"account": label or account_id}


test_connection.__test__ = False  # a function of the app, not a test pytest should collect when imported
