"""What an anonymous (or any) client may see: private collections, view-restricted pages, document payloads.

One place for the rule "private documents and private collections never reach a client that may not see
them", used by the Wagtail API viewsets, the StreamField blocks' API output, the DRF endpoints and templates.

A collection is *private for a request* when it, or one of its ancestors, carries a
``CollectionViewRestriction`` the request does not satisfy (password, login, groups). Wagtail's own
``get_restricted_collection_ids`` computes that set; we cache it on the request so a listing of many pages
costs the same two queries as a listing of one; for an anonymous visitor both sets are kept per process and global
public version (:mod:`home.memo`: every change of a view restriction bumps it). (Model-touching imports are local:
``home.blocks`` imports this module while the app registry is still loading.)
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q

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

    from .memo import per_version

    cached = getattr(request, _CACHE_ATTR, None)
    if cached is None:
        cached = set(
            per_version(request, "restricted-collection-ids", lambda: frozenset(get_restricted_collection_ids(request)))
        )
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

    from .memo import per_version

    def compute() -> tuple[str, ...]:
        return tuple(
            restriction.page.path
            for restriction in PageViewRestriction.objects.select_related("page")
            if request is None or not restriction.accept_request(request)
        )

    cached = getattr(request, _PAGE_CACHE_ATTR, None) if request is not None else None
    if cached is None:
        cached = per_version(request, "restricted-page-paths", compute)
        if request is not None:
            setattr(request, _PAGE_CACHE_ATTR, cached)
    return cached


def page_is_visible(page, request) -> bool:
    """True when ``page`` is live and not under a view restriction ``request`` does not satisfy."""
    if page is None or not page.live:
        return False
    return not any(page.path.startswith(path) for path in restricted_page_paths(request))


def public(queryset, request=None):
    """``queryset.public()`` — Wagtail's rule: without the pages under *any* view restriction and their descendants,
    whoever asks — with the restricted paths kept per global public version for an anonymous ``request``
    (:mod:`home.memo`; every restriction change bumps that version) instead of a query per use."""
    from wagtail.models import PageViewRestriction

    from .memo import per_version

    def compute() -> tuple[str, ...]:
        return tuple(sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True))))

    for path in per_version(request, "any-restricted-page-paths", compute):
        queryset = queryset.exclude(path__startswith=path)
    return queryset


def visible_pages(request, model=None, site=None):
    """The pages ``request`` may see on ``site`` (Wagtail's ``get_public_pages_queryset``, one rule for every public
    listing): live pages of ``model`` (default ``Page``) under the site's root page (and its translations with
    ``WAGTAIL_I18N_ENABLED``), without those under a view restriction the request does not satisfy
    (:func:`restricted_page_paths`). ``site`` defaults to the request's (Wagtail's ``?site=host[:port]`` rule:
    ``Http404`` when unknown, ``ValueError`` when ambiguous); no site: an empty queryset. For an anonymous visitor
    none of this is a query (:mod:`home.memo`)."""
    from wagtail.api.validators import SiteFilterValidator
    from wagtail.models import Page

    from .memo import per_version

    model = model or Page
    if site is None:
        site = SiteFilterValidator(site=request.GET.get("site"), request=request).site_obj
    queryset = model._default_manager.all().live()
    for path in restricted_page_paths(request):
        queryset = queryset.exclude(path__startswith=path)
    if site is None:
        return queryset.none()

    def roots() -> tuple[tuple[str, int], ...]:
        pages = [site.root_page]
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            pages += list(site.root_page.get_translations())
        return tuple((page.path, page.depth) for page in pages)

    roots = per_version(request, ("site-roots", site.pk), roots)
    return queryset.filter(functools.reduce(operator.or_, [Q(path__startswith=p, depth__gte=d) for p, d in roots]))
