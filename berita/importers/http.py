"""HTTP for the importers: one ``requests.Session`` (injectable), a User-Agent, timeouts and a size cap.

URLs taken from an article (images) go through ``public_only``: no request to a private, loopback or
link-local address (SSRF), redirects included.
"""

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

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


MAX_REDIRECTS = 5


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def public_only(trusted_hosts: Iterable[str] = ()) -> Callable[[str], None]:
    """A ``check_url`` for ``fetch`` that refuses URLs a source's article should never make us request (SSRF).

    Refused (``SourceError``): a scheme other than http(s); a host that is, or resolves to, an address that is
    not public — loopback, private (RFC 1918, IPv6 ULA), link-local (cloud metadata at 169.254.169.254),
    shared, reserved, multicast, unspecified. Hosts in ``trusted_hosts`` (the ones an administrator typed into the
    source) and in ``PESAN_NEWS_TRUSTED_HOSTS`` are allowed on any address (an intranet site). A host that does not
    resolve is left to the request, which then fails on its own. The check runs before each request, so a
    redirect is checked too; a DNS answer that changes between check and request is not caught.
    """
    trusted = {h.lower().rstrip(".") for h in [*trusted_hosts, *conf.trusted_hosts()] if h}

    def check(url: str) -> None:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
        if parts.scheme.lower() not in ("http", "https") or not host:
            raise SourceError(_("Not an http(s) address: %(url)s") % {"url": url})
        if host in trusted:
            return
        try:
            addresses = {info[4][0] for info in socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)}
        except (socket.gaierror, UnicodeError, OSError):
            return
        if not all(_is_public(address) for address in addresses):
            raise SourceError(_("Refused: %(url)s points to a private or local network address.") % {"url": url})

    return check


def source_check(source) -> Callable[[str], None]:
    """The ``check_url`` of every request an adapter makes for ``source`` (feed, listing, article pages and their
    redirects): :func:`public_only` with the hosts the administrator typed into the source trusted — a listing's
    link or a redirect to a private or local address is refused, as an image there is."""
    return public_only(source.trusted_hosts)


def _get(session, url, *, params, timeout, headers, check_url):
    """``session.get`` (streamed); with ``check_url``, redirects are followed here, each target checked first."""
    if check_url is None:
        return session.get(url, params=params, timeout=timeout, headers=headers, stream=True, allow_redirects=True)
    for _hop in range(MAX_REDIRECTS + 1):
        check_url(url)
        resp = session.get(url, params=params, timeout=timeout, headers=headers, stream=True, allow_redirects=False)
        if not (resp.is_redirect and resp.headers.get("Location")):
            return resp
        url, params = urljoin(resp.url or url, resp.headers["Location"]), None
        resp.close()
    raise SourceError(_("Too many redirects: %(url)s") % {"url": url})


def fetch(
    session: requests.Session,
    url: str,
    *,
    timeout: float,
    max_bytes: int | None = None,
    params: dict | None = None,
    accept: str | None = None,
    allow_status: tuple[int, ...] = (),
    check_url: Callable[[str], None] | None = None,
) -> Response:
    """GET ``url`` and return its body, at most ``max_bytes`` (default ``PESAN_NEWS_MAX_RESPONSE_BYTES``).

    Raises ``SourceError`` (message in the active language, Indonesian by default) on a network error,
    timeout (``timeout`` seconds, connect and read), an HTTP status >= 400 not in ``allow_status``, or a body
    larger than the cap. ``check_url`` (e.g. ``public_only(...)``) is called with the URL before every request,
    redirects included (at most ``MAX_REDIRECTS``), and refuses one by raising ``SourceError``.
    """
    max_bytes = max_bytes or conf.max_response_bytes()
    headers = {"User-Agent": session.headers.get("User-Agent") or conf.user_agent()}
    if accept:
        headers["Accept"] = accept
    try:
        resp = _get(session, url, params=params, timeout=timeout, headers=headers, check_url=check_url)
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
