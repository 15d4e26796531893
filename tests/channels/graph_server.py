"""A local stand-in for Meta's Graph API (issue 18 tests) and the fixtures of the WhatsApp / Instagram / Messenger
tests.

:class:`GraphServer` is a threaded ``http.server`` on 127.0.0.1 (a free port) that records every request (method,
path, query, headers, JSON body) and answers like the Graph API:

- ``POST /v23.0/{phone-number-id}/messages`` (``messaging_product: whatsapp``) -> ``{"messaging_product",
  "contacts": [{"input", "wa_id"}], "messages": [{"id": "wamid.…"}]}`` (ids from :attr:`next_ids` first);
- ``POST /v23.0/{page-or-account-id}/messages`` (Send API) -> ``{"recipient_id", "message_id": "m_…"}``;
- ``GET /v23.0/{media-id}`` -> ``{"url": "<server>/media/{id}", "mime_type", …}`` for media in :attr:`media`;
- ``GET /media/{id}`` -> the bytes (only with the bearer token, like Meta's media URLs; ``/cdn/{id}`` without);
- ``GET /v23.0/{id}`` of an account -> its name.

``fail_with = 500`` makes every answer an error (Graph API down); :meth:`stop` and :meth:`start` take it off the
network and back on the same port.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import io
import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from layanan.channels.models import ChannelAccount
from tests.layanan.conftest import PDF_BYTES

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "channels"
VERSION = "/v23.0"
TOKEN = "test-graph-token"
APP_SECRET = "test-app-secret-0123456789"
VERIFY_TOKEN = "pesan-verify-2026"
PHONE_NUMBER_ID = "106540352242922"
PAGE_ID = "112233445566778"
INSTAGRAM_ID = "17841400008460056"
WHATSAPP_URL = "/api/v2/channels/whatsapp/webhook/"
META_URL = "/api/v2/channels/meta/webhook/"


def jpeg_bytes() -> bytes:
    """A valid 2 × 2 JPEG."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


class GraphServer:
    """See the module docstring. ``requests``: every request received, as dicts."""

    def __init__(self):
        self.requests: list[dict] = []
        self.fail_with: int | None = None
        self.next_ids: list[str] = []
        self.media: dict[str, tuple[bytes, str]] = {}
        self._counter = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self.port = 0

    # lifecycle ------------------------------------------------------------------------------------------------
    def start(self) -> GraphServer:
        server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        server.daemon_threads = True
        self.port = server.server_address[1]
        self._server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return self.url + VERSION

    def sent(self) -> list[dict]:
        """The message sends received (``POST …/messages``), oldest first."""
        return [r for r in self.requests if r["method"] == "POST" and r["path"].endswith("/messages")]

    # answers --------------------------------------------------------------------------------------------------
    def _message_id(self, prefix: str) -> str:
        return self.next_ids.pop(0) if self.next_ids else f"{prefix}{next(self._counter):06d}"

    def answer(self, method: str, path: str, headers: dict, body) -> tuple[int, str, bytes]:
        if self.fail_with:
            error = {"error": {"message": "Service temporarily unavailable", "type": "OAuthException", "code": 2}}
            return self.fail_with, "application/json", json.dumps(error).encode()
        authorised = headers.get("Authorization") == f"Bearer {TOKEN}"
        if path.startswith("/media/") or path.startswith("/cdn/"):
            media_id = path.rsplit("/", 1)[-1]
            if media_id not in self.media or (path.startswith("/media/") and not authorised):
                return 404, "application/json", b'{"error": {"message": "not found"}}'
            content, mime = self.media[media_id]
            return 200, mime, content
        if not path.startswith(VERSION + "/"):
            return 404, "application/json", b"{}"
        if not authorised:
            return 401, "application/json", b'{"error": {"message": "Invalid OAuth access token.", "code": 190}}'
        parts = path[len(VERSION) + 1 :].split("/")
        if method == "POST" and len(parts) == 2 and parts[1] == "messages":
            if (body or {}).get("messaging_product") == "whatsapp":
                to = body.get("to", "")
                answer = {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": to, "wa_id": to}],
                    "messages": [{"id": self._message_id("wamid.TEST")}],
                }
            else:
                answer = {
                    "recipient_id": (body or {}).get("recipient", {}).get("id"),
                    "message_id": self._message_id("m_TEST"),
                }
            return 200, "application/json", json.dumps(answer).encode()
        if method == "GET" and len(parts) == 1:
            object_id = parts[0]
            if object_id in self.media:
                content, mime = self.media[object_id]
                answer = {
                    "messaging_product": "whatsapp",
                    "url": f"{self.url}/media/{object_id}",
                    "mime_type": mime,
                    "sha256": hashlib.sha256(content).hexdigest(),
                    "file_size": len(content),
                    "id": object_id,
                }
            elif object_id == PHONE_NUMBER_ID:
                answer = {"display_phone_number": "+62 811-1000-1708", "verified_name": "PPID Kemenko", "id": object_id}
            elif object_id in (PAGE_ID, INSTAGRAM_ID):
                answer = {"name": "Kemenko Marves", "username": "kemenkomarves", "id": object_id}
            else:
                return 404, "application/json", b'{"error": {"message": "Unsupported get request.", "code": 100}}'
            return 200, "application/json", json.dumps(answer).encode()
        return 404, "application/json", b"{}"

    def _handler(self):
        graph = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = None
                parts = urlsplit(self.path)
                headers = dict(self.headers.items())
                graph.requests.append(
                    {
                        "method": method,
                        "path": parts.path,
                        "query": parse_qs(parts.query),
                        "headers": headers,
                        "json": body,
                    }
                )
                status, mime, content = graph.answer(method, parts.path, headers, body)
                self.send_response(status)
                self.send_header("Content-Type", mime)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def do_GET(self):  # noqa: N802 - http.server's name
                self._serve("GET")

            def do_POST(self):  # noqa: N802
                self._serve("POST")

            def log_message(self, *args):  # quiet
                pass

        return Handler


# --- helpers and fixtures of the tests ------------------------------------------------------------------------
def fixture_bytes(name: str) -> bytes:
    """Raw bytes of ``tests/fixtures/channels/<name>`` (e.g. ``whatsapp/text.json``)."""
    return (FIXTURES / name).read_bytes()


def restamped(name: str, at: datetime.datetime | None = None) -> bytes:
    """Fixture ``name`` with every message's time set to ``at`` (default: a minute ago), so the 24-hour window of
    a test starts now. WhatsApp times are seconds, Messenger/Instagram milliseconds."""
    seconds = int((at or timezone.now() - datetime.timedelta(minutes=1)).timestamp())
    payload = json.loads(fixture_bytes(name))
    for entry in payload["entry"]:
        for change in entry.get("changes", ()):
            for message in change["value"].get("messages", ()):
                message["timestamp"] = str(seconds)
        for event in entry.get("messaging", ()):
            event["timestamp"] = seconds * 1000
    return json.dumps(payload).encode()


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    """``X-Hub-Signature-256`` of ``body`` as Meta computes it."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_webhook(client, url: str, body: bytes | dict, *, signature: str | None = None):
    """POST ``body`` (raw bytes or a dict) to webhook ``url``, signed with the test app secret unless
    ``signature`` is given."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.generic(
        "POST",
        url,
        raw,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=sign(raw) if signature is None else signature,
    )


@pytest.fixture
def graph():
    """A running :class:`GraphServer` with the fixtures' media (the WhatsApp image as JPEG, the document as PDF)."""
    server = GraphServer().start()
    server.media["1492386734923812"] = (jpeg_bytes(), "image/jpeg")
    server.media["877431200654321"] = (PDF_BYTES, "application/pdf")
    yield server
    server.stop()


@pytest.fixture
def meta_channels(db, settings, graph):
    """WhatsApp, Instagram and Messenger enabled, their credentials in settings, the Graph API at ``graph``."""
    settings.PESAN_GRAPH_API_URL = graph.api_url
    settings.PESAN_META_APP_SECRET = APP_SECRET
    settings.PESAN_META_VERIFY_TOKEN = VERIFY_TOKEN
    settings.PESAN_WHATSAPP_PHONE_NUMBER_ID = PHONE_NUMBER_ID
    settings.PESAN_WHATSAPP_ACCESS_TOKEN = TOKEN
    settings.PESAN_WHATSAPP_TEMPLATE = ""
    settings.PESAN_MESSENGER_PAGE_ID = PAGE_ID
    settings.PESAN_MESSENGER_PAGE_ACCESS_TOKEN = TOKEN
    settings.PESAN_INSTAGRAM_ACCOUNT_ID = INSTAGRAM_ID
    settings.PESAN_INSTAGRAM_ACCESS_TOKEN = TOKEN
    for kind in ("whatsapp", "instagram", "messenger"):
        ChannelAccount.objects.update_or_create(kind=kind, defaults={"enabled": True})
    return graph
