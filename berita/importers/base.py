"""The adapter interface and the normalised article every adapter returns.

An adapter turns one ``ImportSource`` into a list of ``NormalisedArticle``. Adapters only extract raw fields;
``build_article`` does the cleaning and normalising once for all of them (``berita.cleaning``).
"""

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin
from zoneinfo import ZoneInfo

from django.utils.text import slugify
from django.utils.translation import gettext as _

from berita.body import make_lead, split_lead
from berita.cleaning import clean_html, html_to_text, normalise_url, slug_from_url

WIB = ZoneInfo("Asia/Jakarta")

_ID_MONTHS = "januari februari maret april mei juni juli agustus september oktober november desember"
_EN_MONTHS = "january february march april may june july august september october november december"
_SHORT_MONTHS = "jan feb mar apr mei jun jul agu sep okt nov des"
# Indonesian and English month names (and common abbreviations) → month number.
MONTHS = {
    **{m: i for i, m in enumerate(_ID_MONTHS.split(), 1)},
    **{m: i for i, m in enumerate(_EN_MONTHS.split(), 1)},
    **{m: i for i, m in enumerate(_SHORT_MONTHS.split(), 1)},
    **{"aug": 8, "oct": 10, "dec": 12, "agt": 8, "ags": 8, "sept": 9, "nop": 11},
}


class SourceError(Exception):
    """The whole fetch failed (network, HTTP, not a feed, malformed data). The message is user-facing."""


class ItemError(Exception):
    """One article could not be read; the others still import. The message is user-facing."""


@dataclass
class NormalisedArticle:
    """One article as every adapter returns it.

    ``published_at`` is aware (naive source times are read as WIB, Asia/Jakarta); ``canonical_url`` is
    normalised (``berita.cleaning.normalise_url``); ``body_html`` is cleaned and ``raw_body`` is what the
    source sent; ``raw`` is the source's JSON-serialisable record of the item.
    """

    guid: str
    canonical_url: str
    slug: str
    title: str
    published_at: datetime | None
    author: str = ""
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    image_url: str = ""
    body_html: str = ""
    raw_body: str = ""
    lead: str = ""
    raw: dict = field(default_factory=dict)

    @property
    def body_text(self) -> str:
        return html_to_text(self.body_html)

    def content_hash(self) -> str:
        """SHA-256 of the cleaned fields: equal hashes mean nothing to update."""
        data = asdict(self)
        for key in ("raw", "raw_body"):
            data.pop(key)
        data["published_at"] = self.published_at.isoformat() if self.published_at else None
        return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _unique(values) -> list[str]:
    seen, out = set(), []
    for v in values:
        v = re.sub(r"\s+", " ", str(v or "")).strip().lstrip("#").strip()
        if v and v.casefold() not in seen:
            seen.add(v.casefold())
            out.append(v)
    return out


def aware(dt: datetime | None, default_tz=WIB) -> datetime | None:
    """Make ``dt`` aware: naive times are taken as ``default_tz`` (WIB unless stated)."""
    if dt is None:
        return None
    return dt.replace(tzinfo=default_tz) if dt.tzinfo is None else dt


#: How far ahead of now a publication date may be (clocks and zones differ); later ones are typos.
FUTURE_TOLERANCE = timedelta(days=1)
#: Hours east of UTC of the zone names sites write after a time (Indonesian zones, and UTC by its names).
ZONE_HOURS = {"wib": 7, "wita": 8, "wit": 9, "gmt": 0, "utc": 0, "ut": 0, "z": 0}
#: What may follow a time in a free-text date: AM/PM, then a zone name or a numeric offset (``+0700``, ``-03:00``).
TIME_SUFFIX_RE = re.compile(r"\s*(am|pm|a\.m\.|p\.m\.)?\s*(?:(wita|wib|wit|gmt|utc|ut|z)\b|([+-])(\d{2}):?(\d{2})\b)?")


def parse_date(value: str | None, date_format: str | None = None) -> datetime | None:
    """Parse a date as sites write it; aware result, naive input read as WIB; ``None`` when unreadable.

    Accepts ISO 8601 (``2025-03-05T14:00:00+07:00``, ``Z``), RFC 822 (``Wed, 05 Mar 2025 14:00:00 +0700``),
    ``date_format`` (strptime) when given, and day-month-year text with Indonesian or English month names
    (``Rabu, 5 Maret 2025 14:00 WIB``, ``05-03-2025``); a zone written after the time (WIB, WITA, WIT, GMT/UTC, or
    an offset such as ``+0000``) and AM/PM are honoured there.
    """
    value = (value or "").strip()
    if not value:
        return None
    if date_format:
        try:
            return aware(datetime.strptime(value, date_format))
        except ValueError:
            pass
    try:
        return aware(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        pass
    # RFC 822 knows no Indonesian zone and no AM/PM (it would read "10:00 WITA" as WIB, "2:30 PM" as 02:30)
    if not re.search(r"\b(wita|wit|wib|am|pm)\b", value.lower()):
        try:
            return aware(parsedate_to_datetime(value))
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    text = value.lower()
    time_match = re.search(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?", text)
    hh, mm, ss = (int(time_match.group(i) or 0) for i in (1, 2, 3)) if time_match else (0, 0, 0)
    zone = WIB
    if time_match:
        after = TIME_SUFFIX_RE.match(text, time_match.end())
        meridiem, name, sign, off_h, off_m = after.groups()
        if meridiem and meridiem.startswith("p") and hh < 12:
            hh += 12
        elif meridiem and meridiem.startswith("a") and hh == 12:
            hh = 0
        if name:
            zone = timezone(timedelta(hours=ZONE_HOURS[name]))
        elif sign:
            minutes = int(off_h) * 60 + int(off_m)
            zone = timezone(timedelta(minutes=-minutes if sign == "-" else minutes))
        text = text[: time_match.start()] + " " + text[after.end() :]
    numeric = re.search(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b", text)
    named = re.search(r"\b(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})\b", text)
    try:
        if numeric:
            day, month, year = int(numeric.group(1)), int(numeric.group(2)), int(numeric.group(3))
        elif named and named.group(2) in MONTHS:
            day, month, year = int(named.group(1)), MONTHS[named.group(2)], int(named.group(3))
        else:
            return None
        return datetime(year, month, day, hh, mm, ss, tzinfo=zone)
    except ValueError:
        return None


def build_article(
    *,
    guid: str,
    url: str,
    title: str,
    published_at: datetime | None,
    body_html: str,
    base_url: str,
    slug: str = "",
    author: str = "",
    categories=(),
    tags=(),
    image_url: str = "",
    lead_html: str = "",
    raw: dict | None = None,
) -> NormalisedArticle:
    """Clean and normalise the raw fields an adapter extracted into a ``NormalisedArticle``.

    The lead is the body's first paragraph, taken out of the body (``berita.cleaning.split_lead``) so pages show
    it once; an explicit ``lead_html`` (a summary) leaves the body whole. Raises ``ItemError`` when the item lacks
    its own URL or a title. A publication date more than :data:`FUTURE_TOLERANCE` ahead is dropped (``None``).
    """
    # Without its own address an item is no article: resolved against the feed it would be the feed's address,
    # and every such item would become one candidate.
    canonical = normalise_url(url, base_url) if (url or "").strip() else ""
    title = html_to_text(title or "")
    if not canonical or not title:
        raise ItemError(_("An article without a URL or a title was skipped."))
    # Relative links and images resolve against the address as the site gave it: the canonical URL is for
    # recognising an article (https, no tracking parameters), and an http-only site has no https to fetch from.
    address = urljoin(base_url or "", url.strip())
    body = clean_html(body_html or "", address)
    lead, body = (make_lead(lead_html), body) if lead_html else split_lead(body)
    slug = (slug or slug_from_url(canonical) or slugify(title, allow_unicode=True))[:255]
    image = normalise_image_url(image_url, address)
    if published_at and published_at > datetime.now(UTC) + FUTURE_TOLERANCE:
        published_at = None  # a typo (2205 for 2025): kept in ``raw``, never the page's date nor the import cursor
    return NormalisedArticle(
        guid=(guid or canonical).strip()[:500],
        canonical_url=canonical,
        slug=slug,
        title=title[:500],
        published_at=published_at.astimezone(UTC) if published_at else None,
        author=html_to_text(author or "")[:255],
        categories=_unique(categories),
        tags=_unique(tags),
        image_url=image,
        body_html=body,
        raw_body=body_html or "",
        lead=lead,
        raw=raw or {},
    )


def normalise_image_url(url: str, base: str) -> str:
    """Absolute http(s) image URL (scheme and port kept: images are fetched, not compared)."""
    url = (url or "").strip()
    if not url:
        return ""
    absolute = urljoin(base, url)
    return absolute if absolute.startswith(("http://", "https://")) else ""


@dataclass
class FetchOutcome:
    """What an adapter fetched: the articles, per-item ``failures`` (``(url, message)``) and ``notes`` (log)."""

    articles: list[NormalisedArticle] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warning: str = ""


class Adapter:
    """Interface: ``Adapter(source, session).fetch() -> FetchOutcome``; raises ``SourceError`` on failure.

    ``source`` is an ``ImportSource`` (only its fields are read); ``session`` a ``requests.Session``.
    """

    kind: str = ""

    def __init__(self, source, session):
        self.source = source
        self.session = session

    @property
    def timeout(self) -> float:
        return float(self.source.timeout or 20)

    def fetch(self) -> FetchOutcome:  # pragma: no cover - interface
        raise NotImplementedError
