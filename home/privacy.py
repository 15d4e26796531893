"""What an anonymous (or any) client may see: private collections, view-restricted pages, document payloads.

One place for the rule "private documents and private collections never reach a client that may not see
them", used by the Wagtail API viewsets, the StreamField blocks' API output, the DRF endpoints and templates.

A collection is *private for a request* when it, or one of its ancestors, carries a
``CollectionViewRestriction`` the request does not satisfy (password, login, groups). Wagtail's own
``get_restricted_collection_ids`` computes that set; we cache it on the request so a listing of many pages
costs the same two queries as a listing of one. (Model-touching imports are local: ``home.blocks`` imports this
module while the app registry is still loading.)
"""

from __future__ import annotations

from collections.abc import Iterable

from .absolute_urls import absolute_url

_CACHE_ATTR = "_pesan_restricted_collection_ids"
_PAGE_CACHE_ATTR = "_pesan_restricted_page_paths"


def restricted_collection_ids(request) -> set[int]:
    """IDs of the collections whose documents/images ``request`` may NOT see (cached on the request).

    Without a request (e.g. a management command) every restricted collection counts as private.
    """
    if request is None:
        from wagtail.models import Collection, CollectionViewRestriction

        paths = Collection.objects.filter(
            id__in=CollectionViewRestriction.objects.values_list("collection_id", flat=True)
        ).values_list("path", flat=True)
        ids: set[int] = set()
        for path in paths:
            ids.update(Collection.objects.filter(path__startswith=path).values_list("id", flat=True))
        return ids
    from wagtail.api.v2.utils import get_restricted_collection_ids

    cached = getattr(request, _CACHE_ATTR, None)
    if cached is None:
        cached = set(get_restricted_collection_ids(request))
        setattr(request, _CACHE_ATTR, cached)
    return cached


def document_is_visible(document, request) -> bool:
    """True when ``document`` exists and is not in a collection that is private for ``request``."""
    return document is not None and document.collection_id not in restricted_collection_ids(request)


def visible_documents(document_ids: Iterable[int], request) -> dict[int, object]:
    """Fetch the documents with these IDs that ``request`` may see, in ONE query: ``{id: Document}``."""
    from wagtail.documents import get_document_model

    ids = {int(i) for i in document_ids if i}
    if not ids:
        return {}
    hidden = restricted_collection_ids(request)
    qs = get_document_model().objects.filter(pk__in=ids).exclude(collection_id__in=hidden)
    return {doc.pk: doc for doc in qs}


def document_payload(document, request, title: str = "") -> dict:
    """The API shape of a document link.

    ``{"id": int, "title": str, "url": absolute download URL, "filename": str, "extension": "pdf",
    "file_size": int bytes or null}``. The download URL goes through Wagtail's serve view, which checks the
    collection restriction again on download.
    """
    return {
        "id": document.pk,
        "title": title or document.title,
        "url": absolute_url(document.url),
        "filename": document.filename,
        "extension": document.file_extension.lower(),
        "file_size": document.file_size,
    }


def restricted_page_paths(request) -> tuple[str, ...]:
    """Tree paths of the pages whose view restriction ``request`` does not satisfy (cached on the request).

    A page is hidden when its path starts with one of these (the restricted page and its descendants).
    """
    from wagtail.models import PageViewRestriction

    cached = getattr(request, _PAGE_CACHE_ATTR, None) if request is not None else None
    if cached is None:
        cached = tuple(
            restriction.page.path
            for restriction in PageViewRestriction.objects.select_related("page")
            if request is None or not restriction.accept_request(request)
        )
        if request is not None:
            setattr(request, _PAGE_CACHE_ATTR, cached)
    return cached


def page_is_visible(page, request) -> bool:
    """True when ``page`` is live and not under a view restriction ``request`` does not satisfy."""
    if page is None or not page.live:
        return False
    return not any(page.path.startswith(path) for path in restricted_page_paths(request))
