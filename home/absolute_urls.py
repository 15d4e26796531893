"""One rule for absolute URLs in API answers (issue 19): they all start with the site's configured root URL.

The one source is ``settings.WAGTAILADMIN_BASE_URL`` (env ``WAGTAILADMIN_BASE_URL``): the admin, e-mails and
Wagtail's renditions use it too, and ``WAGTAILAPI_BASE_URL`` is set to it. ``make run`` sets it to
``http://HOST:PORT``; the demo's Wagtail ``Site`` is seeded from it (:func:`site_address`). Only its scheme,
host and port are used. So in one answer ``detail_url``, ``html_url``, ``download_url``, document and image
URLs, pagination links, the ``find`` redirect and the links inside rich text all share the same
``scheme://host:port``, whatever host the request came in on:

- :func:`absolute_url`: a root-relative URL (``/documents/1/a.pdf``) under the root URL; absolute URLs pass as
  they are (an external link, or files on an S3/CDN host, ``AWS_S3_CUSTOM_DOMAIN``);
- :func:`page_url`: a page's public URL; a page of another Wagtail ``Site`` (multi-site installs) keeps that
  site's own root URL;
- :func:`rebased`: a URL built from the request (``build_absolute_uri``) moved under the root URL;
- :func:`absolute_links`: root-relative links in rich text (HTML ``href``/``src``, Markdown ``](/…)``) made
  absolute; applied to every ``/api/`` answer by :class:`JSONRenderer` (``REST_FRAMEWORK
  ["DEFAULT_RENDERER_CLASSES"]``, Wagtail's endpoints included): the one place for rich text, whichever
  serializer rendered it (``RichTextField``, ``RichTextBlock``, ``expand_db_html``) and whatever the link is (a
  page, a document, an image, a hand-typed ``/wbs/``). The server-rendered reference site keeps root-relative
  links.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

from django.conf import settings
from rest_framework import renderers

__all__ = [
    "EncodedJSON",
    "JSONRenderer",
    "absolute_links",
    "absolute_url",
    "encode",
    "page_url",
    "rebased",
    "root_url",
    "site_address",
]

#: ``href="/…"`` / ``src="/…"`` (root-relative, not ``//host``) in HTML, and Markdown's ``](/…)``.
_ROOT_RELATIVE = re.compile(r'(\b(?:href|src)="|\]\()(/(?!/))')


def root_url() -> str:
    """``scheme://host[:port]`` of ``settings.WAGTAILADMIN_BASE_URL`` (no path, no trailing slash)."""
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return f"{parts.scheme}://{parts.netloc}"


def site_address() -> tuple[str, int]:
    """Hostname and port of the root URL, for the Wagtail ``Site`` (the port defaults to 80/443 by scheme)."""
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return parts.hostname or "localhost", parts.port or (443 if parts.scheme == "https" else 80)


def absolute_url(url: str | None) -> str | None:
    """``url`` made absolute under :func:`root_url` when it is root-relative; ``None``/``""`` and absolute URLs
    are returned unchanged."""
    if url and url.startswith("/") and not url.startswith("//"):
        return root_url() + url
    return url


def page_url(page, request=None) -> str | None:
    """The page's public URL, absolute under :func:`root_url` (``None`` when the page is not routable)."""
    return absolute_url(page.get_url(request=request))


def rebased(url: str | None) -> str | None:
    """A URL of this site built from the request (``request.build_absolute_uri()``: the request's host) moved
    under :func:`root_url`, path and query kept; ``None`` stays ``None``."""
    if not url:
        return url
    parts = urlsplit(url)
    return root_url() + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def absolute_links(text: str) -> str:
    """``text`` (HTML or Markdown) with its root-relative links (``href="/…"``, ``src="/…"``, ``](/…)``) made
    absolute under :func:`root_url`; everything else unchanged."""
    return _ROOT_RELATIVE.sub(lambda match: f"{match.group(1)}{root_url()}{match.group(2)}", text)


#: What a string must contain to be looked at (cheap test before the regular expression).
_MARKERS = ('="/', "](/")


#: Keys whose value is a link of this site: a root-relative value (``/…``, not ``//host``) is made absolute.
_LINK_KEYS = frozenset({"url", "download_url", "detail_url", "html_url", "href"})


def _url_key(key) -> bool:
    return isinstance(key, str) and (key in _LINK_KEYS or key.endswith("_url"))


class EncodedJSON(bytes):
    """A part of an API answer already rendered by :class:`JSONRenderer` (:func:`encode`: links absolute, compact UTF-8
    JSON): an item kept by :mod:`home.stored`. The renderer splices it into the answer as it is, so a stored item is
    neither walked for links nor encoded again (issue 20)."""

    __slots__ = ()


def encode(data) -> EncodedJSON:
    """``data`` rendered as :class:`JSONRenderer` renders it inside a compact answer (the same bytes)."""
    return EncodedJSON(JSONRenderer().render(data))


#: What stands for the ``n``-th :class:`EncodedJSON` while the rest of the answer is encoded (a NUL never reaches
#: stored text: ``pesan_cms.middleware.RejectNulMiddleware`` refuses it in requests, PostgreSQL in text columns).
_SPLICE_MARK = "\x00encoded:%d\x00"
_SPLICED = re.compile(rb'"\\u0000encoded:(\d+)\\u0000"')


def _with_absolute_links(data, encoded: list | None = None):
    if isinstance(data, EncodedJSON):
        if encoded is None:  # indented output: the parts are decoded and rendered again
            return json.loads(data)
        encoded.append(data)
        return _SPLICE_MARK % (len(encoded) - 1)
    if isinstance(data, str):
        return absolute_links(data) if any(marker in data for marker in _MARKERS) else data
    if isinstance(data, dict):
        # A rendition keeps its root-relative ``url`` beside its absolute ``full_url`` (as Wagtail gives it).
        rendition = "full_url" in data
        return {
            key: (
                root_url() + value
                if _url_key(key)
                and isinstance(value, str)
                and value.startswith("/")
                and not value.startswith("//")
                and not (rendition and key == "url")
                else _with_absolute_links(value, encoded)
            )
            for key, value in data.items()
        }
    if isinstance(data, list | tuple):
        return [_with_absolute_links(value, encoded) for value in data]
    return data


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer; root-relative links in string values (inside HTML/Markdown, and values of link keys:
    ``url``, ``href``, ``*_url`` — except a rendition's ``url`` beside its ``full_url``) are made absolute under
    the root URL. A value with a lone surrogate (U+D800–U+DFFF: JSON's ``\\u`` escapes allow it, UTF-8 cannot carry
    it — e.g. a refused choice repeated in a 400 message) is sent escaped instead of failing the answer."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return self._render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            self.ensure_ascii = True  # this renderer instance serves one response
            return self._render(data, accepted_media_type, renderer_context)

    def _render(self, data, accepted_media_type, renderer_context):
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(_with_absolute_links(data), accepted_media_type, renderer_context)
        encoded: list[EncodedJSON] = []
        rendered = super().render(_with_absolute_links(data, encoded), accepted_media_type, renderer_context)
        if not encoded:
            return rendered
        return _SPLICED.sub(lambda match: encoded[int(match.group(1))], rendered)
