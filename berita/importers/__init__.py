"""Source adapters. ``get_adapter(source, session)`` returns the adapter for ``source.kind``.

Every adapter returns ``NormalisedArticle`` objects (``berita.importers.base``), so the rest of the import
does not care where an article came from.
"""

from django.utils.translation import gettext as _

from .base import Adapter, FetchOutcome, ItemError, NormalisedArticle, SourceError
from .feeds import FeedAdapter
from .html import HtmlAdapter
from .http import build_session, fetch
from .wordpress import WordPressAdapter

ADAPTERS: dict[str, type[Adapter]] = {
    "wordpress": WordPressAdapter,
    "rss": FeedAdapter,
    "atom": FeedAdapter,
    "html": HtmlAdapter,
}


def get_adapter(source, session=None) -> Adapter:
    """The adapter for ``source.kind`` with ``session`` (a new one with PESAN's User-Agent when ``None``).

    Raises ``SourceError`` for an unknown kind.
    """
    try:
        cls = ADAPTERS[source.kind]
    except KeyError:
        raise SourceError(_("Unknown source kind: %(kind)s") % {"kind": source.kind})
    return cls(source, session or build_session())


__all__ = [
    "ADAPTERS",
    "Adapter",
    "FetchOutcome",
    "ItemError",
    "NormalisedArticle",
    "SourceError",
    "build_session",
    "fetch",
    "get_adapter",
]
