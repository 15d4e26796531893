"""HTTP for the importers: one ``requests.Session`` (injectable), a User-Agent, timeouts and a size cap."""

from dataclasses import dataclass, field

import requests
from django.utils.translation import gettext as _
from requests.structures import CaseInsensitiveDict

from berita import conf

from .base import SourceError


@dataclass
class Response:
    """A fetched response: final ``url``, ``status``, ``headers`` (case-insensitive dict) and raw ``content``."""

    url: str
    status: int
    headers: dict = field(default_factory=dict)
    content: bytes = b""

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()


def build_session() -> requests.Session:
    """A session with PESAN's User-Agent; tests and the demo mount their own transport on it."""
    session = requests.Session()
    session.headers["User-Agent"] = conf.user_agent()
    return session


def fetch(
    session: requests.Session,
    url: str,
    *,
    timeout: float,
    max_bytes: int | None = None,
    params: dict | None = None,
    accept: str | None = None,
    allow_status: tuple[int, ...] = (),
) -> Response:
    """GET ``url`` and return its body, at most ``max_bytes`` (default ``PESAN_NEWS_MAX_RESPONSE_BYTES``).

    Raises ``SourceError`` (message in the active language, Indonesian by default) on a network error,
    timeout (``timeout`` seconds, connect and read), an HTTP status >= 400 not in ``allow_status``, or a body
    larger than the cap.
    """
    max_bytes = max_bytes or conf.max_response_bytes()
    headers = {"User-Agent": session.headers.get("User-Agent") or conf.user_agent()}
    if accept:
        headers["Accept"] = accept
    try:
        resp = session.get(url, params=params, timeout=timeout, headers=headers, stream=True, allow_redirects=True)
    except requests.Timeout:
        raise SourceError(_("Timed out after %(seconds)s seconds: %(url)s") % {"seconds": timeout, "url": url})
    except requests.RequestException as exc:
        raise SourceError(_("Network error for %(url)s: %(error)s") % {"url": url, "error": exc.__class__.__name__})
    try:
        if resp.status_code >= 400 and resp.status_code not in allow_status:
            raise SourceError(
                _("HTTP error %(status)s for %(url)s") % {"status": resp.status_code, "url": resp.url or url}
            )
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > max_bytes:
            raise SourceError(_("Response too large (over %(max)s bytes): %(url)s") % {"max": max_bytes, "url": url})
        chunks, size = [], 0
        try:
            for chunk in resp.iter_content(chunk_size=64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise SourceError(
                        _("Response too large (over %(max)s bytes): %(url)s") % {"max": max_bytes, "url": url}
                    )
                chunks.append(chunk)
        except requests.Timeout:
            raise SourceError(_("Timed out after %(seconds)s seconds: %(url)s") % {"seconds": timeout, "url": url})
        except requests.RequestException as exc:
            raise SourceError(_("Network error for %(url)s: %(error)s") % {"url": url, "error": exc.__class__.__name__})
        return Response(
            url=resp.url or url,
            status=resp.status_code,
            headers=CaseInsensitiveDict(resp.headers),
            content=b"".join(chunks),
        )
    finally:
        resp.close()
