"""An imported article's cleaned body as the parts of a news page: the lead, rich-text paragraphs, images.

- ``split_lead(body_html)``: the lead is the body's first paragraph, taken out of the body (shown once);
  ``make_lead(html)`` a teaser; ``lead_repeats_body(lead, html)`` tells a page imported before that rule whose
  body still opens with its lead.
- ``body_images(body_html)``: the images of a cleaned body, for the import to download.
- ``body_parts(body_html, body_images)`` reads the cleaned body (``berita.cleaning.clean_html``: one top-level
  block per line, images as top-level ``<figure>``) with what the import did with its images
  (``ImportedArticle.body_images``). ``approve`` turns the parts into ``NewsPage.body`` (``stream_data``); the
  candidate review screen shows the same parts, so the preview is what the page will hold.
"""

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString, Tag
from django.utils.translation import gettext as _
from wagtail.images import get_image_model

from berita.cleaning import IMAGE_TRAPS, inline_text

# The longest first paragraph moved into the lead; a longer one stays in the body (the lead is then a teaser).
LEAD_MAX_CHARS = 600


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _is_blank(node) -> bool:
    return isinstance(node, NavigableString) and not node.strip()


def make_lead(html: str, max_chars: int = 300) -> str:
    """First paragraph's text, cut at a word boundary to at most ``max_chars`` characters (… appended)."""
    soup = BeautifulSoup(html or "", "html.parser")
    first = soup.find("p")
    text = inline_text(first or soup)
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def split_lead(body_html: str) -> tuple[str, str]:
    """Take the lead out of a cleaned body: ``(lead, body_without_it)``, so the lead is shown once.

    The first top-level block is the lead when it is a paragraph of plain text (no link, no image) of at most
    ``LEAD_MAX_CHARS`` characters: its text becomes the lead, whole, and it leaves the body. Otherwise the body
    stays whole and the lead is a teaser of its first paragraph (``make_lead``); pages then hide it
    (``lead_repeats_body``). ``("", "")`` for an empty body.
    """
    soup = BeautifulSoup(body_html or "", "html.parser")
    blocks = [n for n in soup.contents if not _is_blank(n)]
    if not blocks:
        return "", ""
    first = blocks[0]
    text = inline_text(first) if isinstance(first, Tag) else ""
    if first.name == "p" and text and len(text) <= LEAD_MAX_CHARS and not first.find(["a", "img"]):
        return text, "\n".join(b.decode(formatter="html5") if isinstance(b, Tag) else str(b) for b in blocks[1:])
    return make_lead(body_html), body_html


def lead_repeats_body(lead: str, body_html: str) -> bool:
    """True when ``body_html`` opens with the text of ``lead`` (whole, or cut short with "…").

    For pages imported before ``split_lead``: their template shows the lead only when this is false.
    """
    wanted = _words(lead).rstrip("…").strip().casefold()
    if not wanted:
        return False
    soup = BeautifulSoup(body_html or "", "html.parser")
    first = next((n for n in soup.contents if not _is_blank(n)), None)
    opening = (inline_text(first) if isinstance(first, Tag) else _words(str(first or ""))).casefold()
    return opening.startswith(wanted)


def body_images(body_html: str) -> list[dict]:
    """The images of a cleaned body, in order: ``[{"src", "alt", "placeable"}]``.

    ``placeable`` is false for an image left in a list item or table cell (``IMAGE_TRAPS``): pages keep images
    only as blocks of their own.
    """
    soup = BeautifulSoup(body_html or "", "html.parser")
    return [
        {
            "src": img.get("src", ""),
            "alt": _words(img.get("alt", "")),
            "placeable": img.find_parent(list(IMAGE_TRAPS)) is None,
        }
        for img in soup.find_all("img")
        if img.get("src")
    ]


@dataclass
class BodyPart:
    """One part of a body, in order.

    ``kind``: ``paragraph`` (``html``: rich text, several blocks), ``image`` (``image``: a Wagtail image,
    ``alt``), ``dropped`` (an image the page will not have: ``src``, ``error``; ``error`` is empty while the
    image was never tried, i.e. it will be fetched on approval).
    """

    kind: str
    html: str = ""
    image: object = None
    alt: str = ""
    src: str = ""
    error: str = ""


def _kept_images(entries: list[dict]) -> dict:
    """``{src: Image}`` of the downloaded images that still exist in the image library."""
    ids = [e["image"] for e in entries if e.get("image")]
    found = get_image_model().objects.in_bulk(ids) if ids else {}
    return {e["src"]: found[e["image"]] for e in entries if e.get("image") in found}


def body_parts(body_html: str, entries: list[dict]) -> list[BodyPart]:
    """Split a cleaned body into paragraphs and images (see ``BodyPart``).

    Consecutive blocks make one paragraph part. A top-level figure becomes an ``image`` part when its image was
    downloaded (its caption then follows as an italic paragraph), else a ``dropped`` part with the reason (and
    its caption goes too). Images left in list items or table cells are taken out of the rich text and
    reported as ``dropped`` after the paragraph they were in.
    """
    images = _kept_images(entries or [])
    errors = {e["src"]: e.get("error", "") for e in entries or []}
    parts: list[BodyPart] = []
    blocks: list[str] = []
    trapped: list[BodyPart] = []

    def flush():
        if blocks:
            parts.append(BodyPart("paragraph", html="\n".join(blocks)))
        parts.extend(trapped)
        blocks.clear()
        trapped.clear()

    soup = BeautifulSoup(body_html or "", "html.parser")
    for node in soup.contents:
        if isinstance(node, NavigableString):
            if node.strip():
                blocks.append(f"<p>{node.strip()}</p>")
            continue
        if not isinstance(node, Tag):
            continue
        img = node.find("img") if node.name == "figure" else None
        if node.name == "img":
            img = node
        if img is not None and not img.find_parent(list(IMAGE_TRAPS)):
            src = img.get("src", "")
            caption = node.find("figcaption") if node.name == "figure" else None
            flush()
            if src in images:
                parts.append(BodyPart("image", image=images[src], alt=img.get("alt", ""), src=src))
                if caption is not None and caption.get_text(strip=True):
                    blocks.append(f"<p><em>{caption.decode_contents()}</em></p>")
            else:
                parts.append(BodyPart("dropped", src=src, error=errors.get(src, "")))
            continue
        for inner in node.find_all("img"):
            src = inner.get("src", "")
            error = errors.get(src) or _("An image inside a list or a table is not kept.")
            trapped.append(BodyPart("dropped", src=src, error=error))
            inner.decompose()
        blocks.append(node.decode(formatter="html5"))
    flush()
    return parts


def stream_data(parts: list[BodyPart]) -> list[dict]:
    """Raw ``NewsPage.body`` data: ``paragraph`` blocks (rich text) and ``image`` blocks
    (``{"image": pk, "alt_text": alt or the image's title, "decorative": False}``); dropped images left out, so
    the paragraphs around one make one block."""
    data = []
    for part in parts:
        if part.kind == "paragraph" and data and data[-1]["type"] == "paragraph":
            data[-1]["value"] += "\n" + part.html
        elif part.kind == "paragraph":
            data.append({"type": "paragraph", "value": part.html})
        elif part.kind == "image":
            alt = part.alt or part.image.default_alt_text
            data.append({"type": "image", "value": {"image": part.image.pk, "alt_text": alt, "decorative": False}})
    return data
