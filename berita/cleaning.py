"""Cleaning of imported article bodies and normalisation of URLs.

- ``clean_html(html, base_url)``: nh3 allow-list sanitising (no script/style/iframe/object content, no event
  handlers, no inline style, no ``javascript:``/``data:`` URLs), drops "Baca juga:" related-link paragraphs and
  hashtag-only lines, drops orphan controls (a short label whose only function was a script: a button, a
  ``javascript:``/``#`` link, an element with an event handler; "Unduh materi", "Daftar hadir") and stand-alone
  button labels ("Unduh", "Bagikan"), keeps block boundaries (``<div>``s become paragraphs, never glued
  together; one newline between top-level blocks), keeps inline images as top-level
  ``<figure><img src alt></figure>`` blocks (absolute ``src``; lazy-load ``data-src`` read), wraps loose text in
  ``<p>``, makes links absolute and strips tracking parameters from them.
- ``normalise_url(url, base)``: the identity of an article: https, lower-case host, no default port, no
  fragment, no trailing slash, no ``utm_*``/``fbclid``/``gclid`` parameters. One article, one URL.
- ``html_to_text(html)``: plain text for matching and tests; ``inline_text(tag)``: one block's text as read.
  The lead and the body as a page's parts: ``berita.body``.
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
    "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
# Elements removed together with everything inside them.
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math", "form"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
BLOCK_TAGS = {"p", "div", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure", "section", "ul", "ol", "table"}
CONTAINER_TAGS = {"div", "section", "article"}  # unwrapped, but their content keeps its block boundaries
# Where an image cannot become a block of its own (it stays in the cleaned HTML; the page leaves it out, reported).
IMAGE_TRAPS = {"li", "td", "th", "caption"}
# Boundaries of an inline run when deciding whether a control stands alone (raw HTML, before nh3).
RUN_BOUNDARIES = BLOCK_TAGS | {"br", "hr", "img", "iframe", "video", "audio", "embed", "object", "picture", "tr",
                               "td", "th", "dl", "dt", "dd", "header", "footer", "aside", "nav", "h1"}  # fmt: skip
FORM_CONTROLS = {"button", "input", "select", "textarea", "option"}
LAZY_IMAGE_ATTRS = ("data-src", "data-lazy-src", "data-original", "data-orig-file")
# A control's text is a label (dropped with the control) up to this size; longer text is content (kept).
LABEL_MAX_WORDS = 6
LABEL_MAX_CHARS = 60
# Stand-alone blocks that are only the label of a widget of the source site (compared case-folded, without
# trailing punctuation). Kept when they carry a working link.
UI_LABELS = {
    "unduh", "download", "unduh materi", "unduh file", "unduh dokumen", "unduh lampiran", "download file",
    "bagikan", "bagikan ini", "share", "share this", "bagikan berita ini", "cetak", "print", "klik di sini",
    "baca selengkapnya", "selengkapnya", "read more", "tweet", "kembali", "back",
}  # fmt: skip

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


INLINE_TAGS = {"strong", "b", "em", "i", "u", "s", "sub", "sup", "a", "br"}


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def inline_text(tag) -> str:
    """Visible text of one block: inline elements joined as written, line breaks as spaces."""
    parts = []
    for node in tag.descendants:
        if isinstance(node, NavigableString):
            parts.append(str(node))
        elif isinstance(node, Tag) and node.name == "br":
            parts.append(" ")
    return _words("".join(parts))


def _is_control(tag: Tag) -> bool:
    """A button or form field, a script-only link (``javascript:`` or ``#``) or an element with an event handler.

    Media are never controls (nh3 strips their handlers); a link to a real URL is content even with an
    ``onclick`` (analytics).
    """
    if tag.name in FORM_CONTROLS:
        return True
    if tag.name in ("img", "picture", "video", "audio", "source"):
        return False
    if tag.name == "a" and tag.has_attr("href"):
        href = re.sub(r"\s+", "", str(tag["href"])).lower()
        return href.startswith("javascript:") or href == "#"
    handlers = any(str(name).lower().startswith("on") for name in tag.attrs)
    return handlers or str(tag.get("role") or "").lower() == "button"


def _run_siblings(node: Tag) -> list:
    """``node`` and its inline neighbours up to the nearest block, break or media element on each side."""
    run = [node]
    for direction in ("previous_siblings", "next_siblings"):
        for sibling in getattr(node, direction):
            if isinstance(sibling, Tag) and sibling.name in RUN_BOUNDARIES | CONTAINER_TAGS:
                break
            run.append(sibling)
    return run


def _stands_alone(tag: Tag) -> bool:
    """True when ``tag`` is the only text of its inline run (a block of its own, or between breaks/images)."""
    if tag.name in RUN_BOUNDARIES | CONTAINER_TAGS:
        return True
    top = tag
    while top.parent is not None and top.parent.name not in RUN_BOUNDARIES | CONTAINER_TAGS | {"[document]"}:
        top = top.parent
    text = "".join(n.get_text() if isinstance(n, Tag) else str(n) for n in _run_siblings(top))
    return not text.replace(tag.get_text(), "", 1).strip()


def _drop_orphan_controls(html: str) -> str:
    """Before sanitising: drop controls whose label would be left without its function; read lazy-load images.

    A control (``_is_control``) carrying a short label (at most ``LABEL_MAX_WORDS`` words) that stands alone
    is removed with its label ("Unduh materi" on a ``javascript:`` link, "Daftar hadir" with an ``onclick``);
    inside a sentence, or with longer text, only its script goes (nh3, next). Buttons and form fields go whole.
    This pass only deletes nodes and copies lazy-load ``data-src`` URLs into ``src``; nh3 still sanitises
    everything after it.
    """
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(list(DROP_WITH_CONTENT)):
        if not tag.decomposed:
            tag.decompose()
    for img in soup.find_all("img"):
        src = str(img.get("src") or "").strip()
        lazy = next((str(img[a]).strip() for a in LAZY_IMAGE_ATTRS if img.get(a)), "")
        if lazy and (not src or src.startswith("data:")):
            img["src"] = lazy
    for tag in soup.find_all(True):
        if tag.decomposed or not _is_control(tag):
            continue
        label = _words(tag.get_text(" "))
        short = len(label) <= LABEL_MAX_CHARS and len(label.split()) <= LABEL_MAX_WORDS
        if tag.name in FORM_CONTROLS or (short and not tag.find("img") and _stands_alone(tag)):
            tag.decompose()
    return str(soup)


def _is_blank(node) -> bool:
    return isinstance(node, NavigableString) and not node.strip()


def _neighbour(tag: Tag, direction: str):
    for sibling in getattr(tag, direction):
        if not _is_blank(sibling):
            return sibling
    return None


def _wrap_loose_inline(parent, soup: BeautifulSoup) -> None:
    """Text and inline elements directly in ``parent`` go into paragraphs, so ``parent`` holds only blocks.

    Images, figures, tables and every other non-inline element end a paragraph: text on either side of an
    image becomes two paragraphs, never one glued line.
    """
    group: list = []

    def flush():
        if group and any((isinstance(n, Tag) and n.name != "br") or str(n).strip() for n in group):
            p = soup.new_tag("p")
            group[0].insert_before(p)
            for n in group:
                p.append(n.extract())
        group.clear()

    for node in list(parent.contents):
        if isinstance(node, Tag) and node.name not in INLINE_TAGS:
            flush()
        elif isinstance(node, NavigableString | Tag):
            group.append(node)
    flush()


def _unwrap_containers(soup: BeautifulSoup) -> None:
    """Unwrap ``<div>``/``<section>``/``<article>`` (and ``<span>``) keeping where one block ended.

    Innermost first. A container among blocks (top level, in another container or a quote) has its loose text
    wrapped in paragraphs before it goes; one inside a paragraph, list item, cell or heading leaves a line
    break on each side that has content.
    """
    for span in soup.find_all("span"):
        span.unwrap()
    for tag in reversed(soup.find_all(list(CONTAINER_TAGS))):
        parent = tag.parent
        if parent is soup or parent.name in CONTAINER_TAGS | {"blockquote"}:
            _wrap_loose_inline(tag, soup)
        else:
            before, after = _neighbour(tag, "previous_siblings"), _neighbour(tag, "next_siblings")
            if before is not None and not (isinstance(before, Tag) and before.name == "br"):
                tag.insert_before(soup.new_tag("br"))
            if after is not None and not (isinstance(after, Tag) and after.name == "br"):
                tag.insert_after(soup.new_tag("br"))
        tag.unwrap()


def _split_around(soup: BeautifulSoup, top: Tag, unit: Tag) -> None:
    """Move ``unit`` out of the top-level block ``top``: ``top`` (before), ``<figure>unit</figure>``, a copy of
    ``top``'s nesting holding what came after ``unit``."""
    right = None
    child, parent = unit, unit.parent
    while True:
        shell = soup.new_tag(parent.name, attrs=dict(parent.attrs))
        if right is not None:
            shell.append(right)
        for sibling in list(child.next_siblings):
            shell.append(sibling.extract())
        right = shell
        if parent is top:
            break
        child, parent = parent, parent.parent
    unit.extract()
    if unit.name != "figure":
        figure = soup.new_tag("figure")
        figure.append(unit)
        unit = figure
    top.insert_after(right)
    top.insert_after(unit)


def _hoist_images(soup: BeautifulSoup) -> None:
    """Every image becomes a top-level ``<figure>`` (with its caption), splitting the block it was in.

    Images in list items and table cells stay where they are (``IMAGE_TRAPS``): a page keeps no image there.
    """
    for img in list(soup.find_all("img")):
        if img.decomposed or img.find_parent(list(IMAGE_TRAPS)):
            continue
        unit = img
        if img.parent.name == "figure" and len(img.parent.find_all("img")) == 1:
            unit = img.parent  # keeps its figcaption
        top = unit
        while top.parent is not soup:
            top = top.parent
        if top is unit:
            if unit.name == "img":
                unit.wrap(soup.new_tag("figure"))
            continue
        if top.name == "figure" and len(top.find_all("img")) == 1:
            continue
        _split_around(soup, top, unit)
    for figure in [f for f in soup.find_all("figure", recursive=False) if not f.find("img")]:
        for caption in figure.find_all("figcaption"):
            caption.name = "p"
        _wrap_loose_inline(figure, soup)
        figure.unwrap()
    for figure in soup.find_all("figure", recursive=False):
        img = figure.find("img")
        caption = _words(" ".join(c.get_text(" ") for c in figure.find_all("figcaption")))
        figure.clear()
        figure.append(img)
        if caption:
            figcaption = soup.new_tag("figcaption")
            figcaption.string = caption
            figure.append(figcaption)


def _drop_ui_labels(soup: BeautifulSoup) -> None:
    """Top-level paragraphs/headings that are only a widget label (``UI_LABELS``) and carry no working link."""
    for block in soup.find_all(["p", "h2", "h3", "h4", "h5", "h6"], recursive=False):
        label = inline_text(block).strip(" .:!»›>-–—").casefold()
        if label in UI_LABELS and not block.find("a", href=True):
            block.decompose()


def _tidy(soup: BeautifulSoup) -> None:
    """Remove empty links and blocks, and line breaks at the start or end of a block."""
    for a in soup.find_all("a"):
        if not a.get_text(strip=True) and not a.find("img"):
            a.decompose()
    for tag in soup.find_all(["p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "figure", "figcaption"]):
        if not tag.get_text(strip=True) and not tag.find(["hr", "table", "img"]):
            tag.decompose()
    for tag in soup.find_all(["p", "li", "h2", "h3", "h4", "h5", "h6", "td", "th", "blockquote"]):
        for end in ("contents", "reversed"):
            while True:
                nodes = [n for n in tag.contents if not _is_blank(n)]
                if end == "reversed":
                    nodes.reverse()
                if nodes and isinstance(nodes[0], Tag) and nodes[0].name == "br":
                    nodes[0].decompose()
                else:
                    break


def clean_html(html: str, base_url: str | None = None) -> str:
    """Sanitise an imported body to the allow-list and tidy it (see module docstring).

    ``base_url`` resolves relative links and image sources. Returns an HTML fragment of block elements, one per
    line (a newline between blocks and after every ``<br>``, so no text extraction glues two blocks); inline
    images are top-level ``<figure>`` blocks (see ``body_images``); ``""`` for empty input.
    """
    if not html or not html.strip():
        return ""
    # 0. Orphan controls: decided while their scripts are still visible (this pass only deletes).
    html = _drop_orphan_controls(html)
    # 1. nh3: everything dangerous goes before any tidying of ours.
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
    for img in soup.find_all("img"):
        src = urljoin(base_url or "", (img.get("src") or "").strip())
        if src.startswith(("http://", "https://")):
            img["src"] = src
        else:
            img.decompose()
    _unwrap_containers(soup)
    _wrap_loose_inline(soup, soup)
    _hoist_images(soup)
    _drop_ui_labels(soup)
    _tidy(soup)
    blocks = "\n".join(str(n).strip() for n in soup.contents if not _is_blank(n))
    # 2. nh3 again on our own output: the final word on what may be stored.
    cleaned = nh3.clean(
        blocks,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        strip_comments=True,
        link_rel="noopener noreferrer",
    ).strip()
    return re.sub(r"<br\s*/?>\n?", "<br>\n", cleaned)


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed; blocks separated by one space."""
    if not html:
        return ""
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    return re.sub(r"\s+", " ", text).strip()
