"""RSS 2.0 and Atom 1.0 adapter (feedparser).

Reads ``content:encoded`` / Atom ``content`` (falling back to the summary), ``dc:creator`` / author,
``category`` terms, image enclosures and ``media:content``; relative links resolve against ``xml:base`` or
the feed URL. The character encoding comes from the XML declaration (ISO-8859-1 feeds import correctly).
RSS has one list of terms and WordPress puts categories and tags in it alike, so every term is both a category
(for rules and the category mapping) and a tag.
"""

import calendar
from datetime import UTC, datetime

import feedparser
from bs4 import BeautifulSoup
from django.utils.translation import gettext as _

from .base import Adapter, FetchOutcome, ItemError, SourceError, build_article, parse_date
from .http import fetch, source_check

ENCODING_PROBLEMS = (feedparser.CharacterEncodingOverride, feedparser.CharacterEncodingUnknown)
#: XML faults after which feedparser's loose parser still reads every item whole: an HTML entity (``&nbsp;``,
#: ``&mdash;``) that XML does not define. A truncated or otherwise broken feed is still refused.
RECOVERABLE_XML_FAULTS = ("undefined entity",)
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".webp")


def _html_title(content: bytes) -> str:
    title = BeautifulSoup(content[:20000], "html.parser").title
    return title.get_text(strip=True) if title else ""


def parse_feed(content: bytes, url: str):
    """Parse feed bytes; return ``(parsed, warning)``.

    Raises ``SourceError`` for an empty body, an HTML page, malformed XML or anything that is not RSS/Atom.
    ``warning`` is non-empty when the declared encoding was wrong but the feed could still be read.
    """
    if not content.strip():
        raise SourceError(_("The feed is empty (no data received)."))
    # Blank lines before "<?xml" (a PHP file ending in a newline, included first) make the XML invalid; the
    # feed itself is whole.
    content = content.lstrip(b" \t\r\n")
    head = content[:500].lstrip().lower()
    parsed = feedparser.parse(
        content,
        response_headers={"content-location": url, "content-type": "application/xml"},
        sanitize_html=False,
        resolve_relative_uris=True,
    )
    warning = ""
    if head.startswith((b"<!doctype html", b"<html")) or (parsed.get("version") == "" and b"<html" in head):
        raise SourceError(
            _("The server sent an HTML page instead of a feed (page title: %(title)s).")
            % {"title": _html_title(content) or "-"}
        )
    if parsed.bozo:
        exc = parsed.get("bozo_exception")
        if isinstance(exc, ENCODING_PROBLEMS) and parsed.entries:
            warning = _("The feed's declared character encoding is wrong; it was read as %(encoding)s.") % {
                "encoding": parsed.get("encoding") or "?"
            }
        elif parsed.entries and any(fault in str(exc) for fault in RECOVERABLE_XML_FAULTS):
            warning = _("The feed is not well-formed XML (%(error)s); its articles could still be read.") % {
                "error": exc
            }
        else:
            raise SourceError(_("The feed is not well-formed XML: %(error)s") % {"error": exc or "?"})
    if not parsed.get("version"):
        raise SourceError(_("The response is not an RSS or Atom feed."))
    return parsed, warning


def _entry_date(entry):
    """The entry's publication date (aware), or ``None`` — also for a date no calendar has (``0000-00-00``)."""
    for key in ("published", "updated", "created"):
        dt = parse_date(entry.get(key))
        if dt:
            return dt
    for key in ("published_parsed", "updated_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
            except (ValueError, OverflowError, OSError):
                continue
    return None


def _newest_first(entries) -> list:
    """``entries`` newest first (undated ones after the dated, in feed order), so that ``max_items`` keeps the
    newest articles whatever order the site lists them in."""
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(entries, key=lambda entry: _entry_date(entry) or oldest, reverse=True)


def _entry_body(entry) -> str:
    contents = [c for c in entry.get("content") or [] if c.get("value")]
    if contents:
        html = [c for c in contents if "html" in (c.get("type") or "")]
        return max(html or contents, key=lambda c: len(c["value"]))["value"]
    return entry.get("summary") or ""


def _entry_image(entry) -> str:
    for enc in entry.get("enclosures") or []:
        href = enc.get("href") or enc.get("url") or ""
        if (enc.get("type") or "").startswith("image/") or href.lower().split("?")[0].endswith(IMAGE_EXTENSIONS):
            return href
    for media in (entry.get("media_content") or []) + (entry.get("media_thumbnail") or []):
        if media.get("url") and (media.get("medium") in (None, "image") or "image" in (media.get("type") or "")):
            return media["url"]
    return ""


class FeedAdapter(Adapter):
    """RSS or Atom; both kinds are read by the same code (feedparser detects the format)."""

    kind = "rss"

    def article_from_entry(self, entry, feed_url: str):
        """One feedparser entry → ``NormalisedArticle``; ``ItemError`` when it has no link or title."""
        link = entry.get("link") or ""
        if not link:
            alternates = [x.get("href") for x in entry.get("links") or [] if x.get("rel") == "alternate"]
            link = alternates[0] if alternates else ""
        if not link and str(entry.get("id") or "").startswith(("http://", "https://")):
            link = entry["id"]  # a GUID that is the article's address (RSS isPermaLink)
        terms = [t.get("term") or t.get("label") or "" for t in entry.get("tags") or []]
        body = _entry_body(entry)
        raw = {
            "id": entry.get("id", ""),
            "link": link,
            "title": entry.get("title", ""),
            "published": entry.get("published", "") or entry.get("updated", ""),
            "author": entry.get("author", ""),
            "terms": terms,
            "summary": entry.get("summary", ""),
            "content": body,
            "enclosures": [dict(e) for e in entry.get("enclosures") or []],
        }
        return build_article(
            guid=entry.get("id") or link,
            url=link,
            title=entry.get("title") or "",
            published_at=_entry_date(entry),
            body_html=body,
            base_url=link or feed_url,
            author=entry.get("author") or "",
            categories=terms,
            tags=terms,
            image_url=_entry_image(entry),
            raw=raw,
        )

    def fetch(self) -> FetchOutcome:
        url = self.source.fetch_url
        resp = fetch(
            self.session,
            url,
            timeout=self.timeout,
            accept="application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1",
            check_url=source_check(self.source),
        )
        parsed, warning = parse_feed(resp.content, resp.url)
        outcome = FetchOutcome(warning=warning)
        if not parsed.entries:
            outcome.warning = _("The feed contains no articles.")
        for entry in _newest_first(parsed.entries)[: max(1, self.source.max_items or 50)]:
            try:
                outcome.articles.append(self.article_from_entry(entry, resp.url))
            except ItemError as exc:
                outcome.failures.append((entry.get("link", ""), str(exc)))
        return outcome
