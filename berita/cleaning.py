"""Cleaning of imported article bodies and normalisation of URLs.

- ``clean_html(html, base_url)``: nh3 allow-list sanitising (no script/style/iframe/object content, no event
  handlers, no inline style, no ``javascript:``/``data:`` URLs, no images: the feature image is imported
  separately), drops "Baca juga:" related-link paragraphs and hashtag-only lines, wraps loose text in ``<p>``,
  makes links absolute and strips tracking parameters from them.
- ``normalise_url(url, base)``: the identity of an article: https, lower-case host, no default port, no
  fragment, no trailing slash, no ``utm_*``/``fbclid``/``gclid`` parameters. One article, one URL.
- ``html_to_text(html)``: plain text for matching, leads and tests.
"""

import re
from urllib.parse import parse_qsl, unquote, urlencode, urljoin, urlsplit, urlunsplit

import nh3
from bs4 import BeautifulSoup, NavigableString, Tag

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "figure",
    "figcaption",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
# Elements removed together with everything inside them.
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math", "form"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
BLOCK_TAGS = {"p", "div", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure", "section", "ul", "ol", "table"}

TRACKING_PARAMS = {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "igshid", "mc_cid", "mc_eid", "_ga"}
RELATED_LINK_RE = re.compile(r"^\s*(baca|simak|lihat)\s+(juga|pula)\b", re.IGNORECASE)
HASHTAG_LINE_RE = re.compile(r"^\s*(#[\w\-]+[\s,]*)+$", re.UNICODE)


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name.startswith("utm_") or name in TRACKING_PARAMS


def strip_tracking(url: str) -> str:
    """Remove ``utm_*``, ``fbclid``, ``gclid`` (and similar) query parameters and the fragment's tracking."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def normalise_url(url: str, base: str | None = None) -> str:
    """Return the canonical identity of ``url`` (resolved against ``base`` when relative).

    ``HTTP://Maritim.go.id:443/detail/x/?utm_source=fb#top`` → ``https://maritim.go.id/detail/x``.
    Non-http(s) or empty input returns ``""``.
    """
    url = (url or "").strip()
    if base:
        url = urljoin(base, url)
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    return urlunsplit(("https", netloc, path, urlencode(query), ""))


def slug_from_url(url: str) -> str:
    """Last non-empty path segment of ``url`` (``/detail/<slug>`` → ``<slug>``); ``""`` for ``/?p=1``."""
    path = urlsplit(url or "").path
    segments = [s for s in path.split("/") if s]
    if not segments:
        return ""
    slug = unquote(segments[-1])
    return re.sub(r"\.(html?|php|aspx?)$", "", slug, flags=re.IGNORECASE)


def _is_hashtag_only(text: str) -> bool:
    return bool(text.strip()) and bool(HASHTAG_LINE_RE.match(text.strip()))


def _drop_related_and_hashtags(soup: BeautifulSoup) -> None:
    # Whole blocks: "Baca juga: <a>…</a>" paragraphs and hashtag-only lines.
    for block in list(soup.find_all(list(BLOCK_TAGS - {"ul", "ol", "table"}))):
        if block.decomposed:
            continue
        text = block.get_text(" ", strip=True)
        if RELATED_LINK_RE.match(text) or _is_hashtag_only(text):
            block.decompose()
    # Inline: "… Baca juga: <a>…</a>" inside a paragraph, or a hashtag line between <br>s.
    for node in list(soup.find_all(string=True)):
        if getattr(node, "parent", None) is None:
            continue
        text = str(node)
        match = re.search(r"(baca|simak|lihat)\s+(juga|pula)\s*:?\s*$", text, re.IGNORECASE)
        if match:
            link = node.find_next_sibling()
            if isinstance(link, Tag) and link.name in ("a", "strong", "b", "em"):
                link.decompose()
            node.replace_with(text[: match.start()])
        elif _is_hashtag_only(text) and (node.parent.name in ("[document]", "body") or len(node.parent.contents) > 1):
            node.replace_with("")


def _wrap_loose_inline(soup: BeautifulSoup) -> None:
    """Top-level text and inline elements go into paragraphs, so the body is a list of blocks."""
    top = list(soup.contents)
    group: list = []

    def flush():
        if group and any((isinstance(n, Tag) and n.name != "br") or str(n).strip() for n in group):
            p = soup.new_tag("p")
            group[0].insert_before(p)
            for n in group:
                p.append(n.extract())
        group.clear()

    for node in top:
        if isinstance(node, Tag) and (node.name in BLOCK_TAGS or node.name in ALLOWED_TAGS - INLINE_TAGS):
            flush()
        elif isinstance(node, NavigableString | Tag):
            group.append(node)
    flush()


INLINE_TAGS = {"strong", "b", "em", "i", "u", "s", "sub", "sup", "a", "br"}


def clean_html(html: str, base_url: str | None = None) -> str:
    """Sanitise an imported body to the allow-list and tidy it (see module docstring).

    ``base_url`` resolves relative links. Returns an HTML fragment of block elements; ``""`` for empty input.
    """
    if not html or not html.strip():
        return ""
    # 1. nh3 first: everything dangerous goes before any parsing of ours.
    safe = nh3.clean(
        html,
        tags=ALLOWED_TAGS | {"div", "span", "section", "article"},
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        strip_comments=True,
        link_rel=None,
    )
    soup = BeautifulSoup(safe, "html.parser")
    _drop_related_and_hashtags(soup)
    for a in soup.find_all("a"):
        href = (a.get("href") or "").strip()
        if not href:
            a.unwrap()  # a link whose URL was unsafe keeps only its text
        else:
            absolute = urljoin(base_url or "", href.strip())
            a["href"] = strip_tracking(absolute) if absolute.startswith(("http://", "https://")) else absolute
    for tag in soup.find_all(["div", "span", "section", "article"]):
        tag.unwrap()
    _wrap_loose_inline(soup)
    for tag in soup.find_all(["p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure"]):
        if not tag.get_text(strip=True) and not tag.find(["br", "hr", "table"]):
            tag.decompose()
    # 2. nh3 again on our own output: the final word on what may be stored.
    return nh3.clean(
        str(soup).strip(),
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        strip_comments=True,
        link_rel="noopener noreferrer",
    ).strip()


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed; blocks separated by one space."""
    if not html:
        return ""
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    return re.sub(r"\s+", " ", text).strip()


def make_lead(html: str, max_chars: int = 300) -> str:
    """First paragraph's text, cut at a word boundary to at most ``max_chars`` characters (… appended)."""
    soup = BeautifulSoup(html or "", "html.parser")
    first = soup.find("p")
    text = re.sub(r"\s+", " ", (first or soup).get_text(" ")).strip()
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
