"""WordPress REST adapter: ``GET <base>/wp-json/wp/v2/posts?_embed&per_page=N&page=K[&after=…]``.

Pages are followed while ``page < X-WP-TotalPages`` (at most ``source.max_pages``, at most ``source.max_items``
articles). Incremental: once a run has seen articles, later runs ask only for posts ``after`` the newest one
seen (minus one day of overlap; duplicates are harmless because the queue de-duplicates). ``date_gmt`` is UTC;
``date`` (site-local time) is read as WIB when ``date_gmt`` is missing.
"""

import json
from datetime import UTC, datetime, timedelta
from html import unescape

from django.utils.translation import gettext as _

from .base import WIB, Adapter, FetchOutcome, ItemError, SourceError, build_article
from .http import fetch, source_check


def _posts_from(resp) -> list:
    try:
        data = json.loads(resp.content)
    except UnicodeDecodeError:
        raise SourceError(_("The WordPress response is not valid UTF-8 (wrong encoding)."))
    except ValueError:
        head = resp.content[:200].decode("utf-8", "replace").strip()
        if head.lower().startswith(("<!doctype html", "<html")):
            raise SourceError(_("The server sent an HTML page instead of WordPress JSON."))
        raise SourceError(_("The WordPress response is not valid JSON."))
    if isinstance(data, dict) and "code" in data:
        raise SourceError(
            _("WordPress answered with an error: %(code)s — %(message)s")
            % {"code": data.get("code"), "message": data.get("message", "")}
        )
    if not isinstance(data, list):
        raise SourceError(_("The response is not a list of WordPress posts."))
    return data


def _wp_date(post: dict) -> datetime | None:
    gmt = post.get("date_gmt")
    try:
        if gmt:
            return datetime.fromisoformat(gmt).replace(tzinfo=UTC)
        if post.get("date"):
            return datetime.fromisoformat(post["date"]).replace(tzinfo=WIB)
    except (TypeError, ValueError):
        return None
    return None


def _rendered(value) -> str:
    if isinstance(value, dict):
        return value.get("rendered") or ""
    return value or ""


def _terms(post: dict, taxonomy: str) -> list[str]:
    names = []
    for group in (post.get("_embedded") or {}).get("wp:term") or []:
        for term in group or []:
            if isinstance(term, dict) and term.get("taxonomy") == taxonomy:
                names.append(unescape(term.get("name") or ""))
    return names


def _image(post: dict) -> str:
    for media in (post.get("_embedded") or {}).get("wp:featuredmedia") or []:
        if isinstance(media, dict) and media.get("source_url") and "code" not in media:
            return media["source_url"]
    return ""


def _author(post: dict) -> str:
    for author in (post.get("_embedded") or {}).get("author") or []:
        if isinstance(author, dict) and author.get("name"):
            return author["name"]
    return ""


class WordPressAdapter(Adapter):
    """Reads ``/wp-json/wp/v2/posts`` with ``_embed`` (authors, featured media, categories and tags)."""

    kind = "wordpress"

    def article_from_post(self, post: dict):
        """One WordPress post (dict) → ``NormalisedArticle``; ``ItemError`` when unusable."""
        if not isinstance(post, dict):
            raise ItemError(_("A WordPress item is not an object."))
        link = post.get("link") or ""
        return build_article(
            guid=unescape(_rendered(post.get("guid"))) or str(post.get("id") or ""),
            url=link,
            slug=post.get("slug") or "",
            title=_rendered(post.get("title")),
            published_at=_wp_date(post),
            body_html=_rendered(post.get("content")),
            base_url=link or self.source.fetch_url,
            author=_author(post),
            categories=_terms(post, "category"),
            tags=_terms(post, "post_tag"),
            image_url=_image(post),
            raw=post,
        )

    def fetch(self) -> FetchOutcome:
        outcome = FetchOutcome()
        url = self.source.fetch_url
        max_items = max(1, self.source.max_items or 50)
        max_pages = max(1, self.source.max_pages or 1)
        params = {"_embed": "1", "per_page": min(max_items, 100), "orderby": "date", "order": "desc"}
        if self.source.last_published_at:
            after = self.source.last_published_at.astimezone(WIB) - timedelta(days=1)
            params["after"] = after.replace(tzinfo=None).isoformat(timespec="seconds")
        page, total_pages = 1, 1
        while True:
            try:
                resp = fetch(
                    self.session,
                    url,
                    timeout=self.timeout,
                    params={**params, "page": page},
                    accept="application/json",
                    allow_status=(400,) if page > 1 else (),
                    check_url=source_check(self.source),
                )
            except SourceError as exc:
                if page == 1:
                    raise
                outcome.notes.append(str(exc))
                break
            if resp.status >= 400:  # page past the end (rest_post_invalid_page_number)
                break
            posts = _posts_from(resp)
            for post in posts:
                if len(outcome.articles) >= max_items:
                    break
                try:
                    outcome.articles.append(self.article_from_post(post))
                except ItemError as exc:
                    outcome.failures.append((str(post.get("link", "")) if isinstance(post, dict) else "", str(exc)))
            try:
                total_pages = int(resp.headers.get("X-WP-TotalPages") or 1)
            except ValueError:
                total_pages = 1
            if not posts or page >= total_pages or page >= max_pages or len(outcome.articles) >= max_items:
                break
            page += 1
        if page < total_pages and page >= max_pages:
            outcome.notes.append(
                _("Stopped after %(pages)s of %(total)s pages (maximum pages per run).")
                % {"pages": page, "total": total_pages}
            )
        return outcome
