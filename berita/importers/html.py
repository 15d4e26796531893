"""HTML adapter: a listing page (followed through ``next_page`` links) and one detail page per article.

CSS selectors come from ``ImportSource.selectors`` (keys ``item_link``, ``title``, ``date``, ``body``,
``image``, ``categories``, ``tags``, ``author``, ``next_page``, optional ``date_format`` for strptime). Where a
selector is missing or finds nothing the page's metadata is used: ``<link rel=canonical>`` (identity),
``<link rel=shortlink>`` (GUID), ``og:title``, ``article:published_time`` (a naive time is WIB), ``og:image``,
``article:section`` / ``article:tag``, ``<meta name=author>``.
"""

from urllib.parse import urljoin

from bs4 import BeautifulSoup
from django.utils.translation import gettext as _

from berita.cleaning import normalise_url

from .base import Adapter, FetchOutcome, ItemError, SourceError, build_article, parse_date
from .http import fetch, source_check


def _soup(content: bytes) -> BeautifulSoup:
    return BeautifulSoup(content, "lxml")


def _meta(soup, *names) -> str:
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if tag and tag.get("content"):
            return tag["content"].strip()
    return ""


def _link_rel(soup, rel: str) -> str:
    for tag in soup.find_all("link", href=True):
        rels = tag.get("rel") or []
        if rel in (rels if isinstance(rels, list) else [rels]):
            return tag["href"].strip()
    return ""


def _select(soup, selector: str | None):
    if not selector:
        return []
    try:
        return soup.select(selector)
    except ValueError as exc:  # soupsieve.SelectorSyntaxError is a ValueError
        raise SourceError(_("Invalid CSS selector %(selector)s: %(error)s") % {"selector": selector, "error": exc})


def _url_of(tag) -> str:
    for attr in ("href", "data-src", "src", "content", "data-lazy-src"):
        if tag.get(attr):
            return tag[attr].strip()
    inner = tag.find(["a", "img"])
    return _url_of(inner) if inner else ""


class HtmlAdapter(Adapter):
    """Listing → detail pages, extracted with the source's CSS selectors and page metadata."""

    kind = "html"

    @property
    def selectors(self) -> dict:
        return self.source.selectors if isinstance(self.source.selectors, dict) else {}

    def listing_links(self, soup, page_url: str) -> list[str]:
        """Detail-page URLs on one listing page, in page order."""
        links = []
        for tag in _select(soup, self.selectors.get("item_link") or "a"):
            href = _url_of(tag)
            if href and not href.startswith(("#", "javascript:", "mailto:")):
                links.append(urljoin(page_url, href))
        return links

    def article_from_page(self, content: bytes, url: str):
        """One detail page → ``NormalisedArticle``; ``ItemError`` when it has no title."""
        sel = self.selectors
        soup = _soup(content)
        canonical = urljoin(url, _link_rel(soup, "canonical")) if _link_rel(soup, "canonical") else url
        title_tags = _select(soup, sel.get("title"))
        title = title_tags[0].get_text(" ", strip=True) if title_tags else ""
        title = title or _meta(soup, "og:title") or (soup.title.get_text(strip=True) if soup.title else "")
        published = None
        date_tags = _select(soup, sel.get("date"))
        if date_tags and (date_tags[0].get("datetime") or date_tags[0].get("content")):
            published = parse_date(date_tags[0].get("datetime") or date_tags[0].get("content"))
        published = published or parse_date(_meta(soup, "article:published_time", "datePublished", "date"))
        if not published:
            time_tag = soup.find("time", datetime=True)
            published = parse_date(time_tag["datetime"]) if time_tag else None
        if not published and date_tags:
            published = parse_date(date_tags[0].get_text(" ", strip=True), sel.get("date_format"))
        body_tags = _select(soup, sel.get("body")) or soup.select("article")
        body = "".join(t.decode_contents() for t in body_tags[:1])
        image_tags = _select(soup, sel.get("image"))
        image = (_url_of(image_tags[0]) if image_tags else "") or _meta(soup, "og:image")
        categories = [t.get_text(" ", strip=True) for t in _select(soup, sel.get("categories"))]
        if not categories and _meta(soup, "article:section"):
            categories = [_meta(soup, "article:section")]
        tags = [t.get_text(" ", strip=True) for t in _select(soup, sel.get("tags"))]
        if not tags:
            tags = [m["content"] for m in soup.find_all("meta", attrs={"property": "article:tag"}) if m.get("content")]
        author_tags = _select(soup, sel.get("author"))
        author = author_tags[0].get_text(" ", strip=True) if author_tags else _meta(soup, "author", "article:author")
        shortlink = _link_rel(soup, "shortlink")
        return build_article(
            guid=urljoin(url, shortlink) if shortlink else normalise_url(canonical),
            url=canonical,
            title=title,
            published_at=published,
            body_html=body,
            base_url=canonical,
            author=author,
            categories=categories,
            tags=tags,
            image_url=urljoin(url, image) if image else "",
            raw={"url": url, "canonical": canonical, "title": title, "body": body, "image": image},
        )

    def fetch(self) -> FetchOutcome:
        outcome = FetchOutcome()
        max_items = max(1, self.source.max_items or 50)
        max_pages = max(1, self.source.max_pages or 1)
        page_url, pages, seen_pages = self.source.fetch_url, 0, set()
        links: list[str] = []
        seen_links: set[str] = set()
        while page_url and pages < max_pages and len(links) < max_items:
            try:
                resp = fetch(
                    self.session,
                    page_url,
                    timeout=self.timeout,
                    accept="text/html",
                    check_url=source_check(self.source),
                )
            except SourceError as exc:
                if pages == 0:
                    raise
                outcome.notes.append(str(exc))
                break
            pages += 1
            seen_pages.add(normalise_url(page_url))
            soup = _soup(resp.content)
            new_links = [u for u in self.listing_links(soup, resp.url) if normalise_url(u) not in seen_links]
            if pages == 1 and not new_links:
                raise SourceError(
                    _("No article links found on the listing page (selector %(selector)s).")
                    % {"selector": self.selectors.get("item_link") or "a"}
                )
            if not new_links:
                break
            for u in new_links:
                seen_links.add(normalise_url(u))
            links.extend(new_links)
            nxt = _select(soup, self.selectors.get("next_page"))
            page_url = urljoin(resp.url, _url_of(nxt[0])) if nxt and _url_of(nxt[0]) else ""
            if page_url and normalise_url(page_url) in seen_pages:
                page_url = ""
        for link in links[:max_items]:
            try:
                resp = fetch(
                    self.session, link, timeout=self.timeout, accept="text/html", check_url=source_check(self.source)
                )
                outcome.articles.append(self.article_from_page(resp.content, resp.url))
            except (SourceError, ItemError) as exc:
                outcome.failures.append((link, str(exc)))
        return outcome
