"""Server-rendered views of the reference site that are not Wagtail pages: the site-wide search (``/cari/``) and
the language switch (``/bahasa/<code>/``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.db import OperationalError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.html import strip_tags
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from wagtail.models import Page, Site

from pesan_cms.exceptions import search_syntax_error

#: Results per page of ``/cari/``.
SEARCH_PAGE_SIZE = 10
#: Longer queries are cut to this many characters (the database backend builds one term per word).
SEARCH_MAX_QUERY = 200
#: Words of the snippet shown under each result.
SNIPPET_WORDS = 40


@dataclass(frozen=True)
class SearchResult:
    """One row of the results list: the page, a type label ("News", "Regulation" …), a date (or ``None``)
    and a plain-text snippet (at most :data:`SNIPPET_WORDS` words)."""

    page: Page
    type_label: str
    date: date | datetime | None
    snippet: str


def _first_text(page: Page, names: tuple[str, ...]) -> str:
    for name in names:
        value = getattr(page, name, None)
        if value:
            text = strip_tags(str(value.source if hasattr(value, "source") else value)).strip()
            if text:
                return text
    return ""


def describe(page: Page) -> SearchResult:
    """The :class:`SearchResult` of a (specific) page.

    Date: a news page's ``date``, a regulation's ``issued_on``, otherwise the last publication (aware datetime,
    shown in WIB). Snippet: the search description, else the page type's own summary field (news ``lead``,
    regulation ``about``, DIP ``summary``, ``intro``), else the start of the body text.
    """
    date_value = getattr(page, "date", None) or getattr(page, "issued_on", None) or page.last_published_at
    text = _first_text(page, ("search_description", "lead", "about", "summary", "intro", "abstract", "vision"))
    if not text and getattr(page, "body", None):
        text = strip_tags(" ".join(str(block.render()) for block in page.body)).strip()
    label = str(page.specific_class._meta.verbose_name) if page.specific_class else ""
    return SearchResult(
        page=page,
        type_label=label[:1].upper() + label[1:],
        date=date_value,
        snippet=Truncator(" ".join(text.split())).words(SNIPPET_WORDS),
    )


def search_pages(query: str, site: Site | None):
    """Live, public pages of ``site`` matching ``query`` (Wagtail search, best match first).

    "Public" means not behind a view restriction (password, login or group) on the page or an ancestor;
    drafts and unpublished pages are never found. Returns Wagtail ``SearchResults`` (sliceable, countable).
    On PostgreSQL the words are stemmed with the ``indonesian`` configuration (``WAGTAILSEARCH_BACKENDS``).
    """
    pages = Page.objects.live().public().exclude(depth=1)
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    return pages.search(query, operator="and")


@require_GET
def search(request):
    """``/cari/?q=<words>&page=<n>`` — site-wide search over every page type (news, regulations, DIP entries,
    standard and profile pages), :data:`SEARCH_PAGE_SIZE` per page.

    The query is trimmed to :data:`SEARCH_MAX_QUERY` characters; an empty query shows only the form. A page
    number out of range shows the last page (never an error). Always 200.
    """
    query = " ".join((request.GET.get("q") or "").split())[:SEARCH_MAX_QUERY]
    results = page_obj = None
    result_count = 0
    if query:
        site = Site.find_for_request(request)
        paginator = Paginator(search_pages(query, site), SEARCH_PAGE_SIZE)
        try:
            page_obj = paginator.get_page(request.GET.get("page"))
            found = list(page_obj)
            result_count = paginator.count
        except OperationalError as exc:
            if not search_syntax_error(exc):
                raise
            page_obj, found, result_count = None, [], 0  # words SQLite's FTS5 refused (syntax): no results
        specific = {p.pk: p for p in Page.objects.filter(pk__in=[p.pk for p in found]).specific()}
        results = [describe(specific[p.pk]) for p in found if p.pk in specific]
    context = {
        "query": query,
        "results": results,
        "page_obj": page_obj,
        "result_count": result_count,
        "querystring": urlencode({"q": query}),
        "title": _("Search"),
    }
    return render(request, "home/search.html", context)


@require_GET
def switch_language(request, language: str):
    """``GET /bahasa/<language>/?next=<path>``: remember ``language`` (a code of ``settings.LANGUAGES``, e.g.
    ``"en"``) in the language cookie and go back to ``next`` (302).

    The site's language switch is a pair of plain links to this view, not a POST form to Django's ``set_language``:
    a page without a form carries no CSRF token, so the public cache serves it as one body to every visitor and a
    shared cache (CDN) may keep it (``home.cache``). Choosing a language changes nothing but that cookie, which a
    third party gains nothing by setting. Where to go back, as Django's ``set_language`` decides it: ``next``, else
    the ``Referer`` (WBS pages give no ``next``: this request is logged, and must not name a WBS page,
    ``layanan.wbs.privacy.private_page``), else the home page ``/`` — only a path of this host. The cookie is the
    one Django's ``set_language`` sets (``LANGUAGE_COOKIE_*`` settings), read by
    :class:`pesan_cms.middleware.LocaleMiddleware`.

    Raises ``Http404`` for a language the site does not offer.
    """
    if language not in dict(settings.LANGUAGES):
        raise Http404(_("This language is not offered."))
    host = {request.get_host()}
    secure = request.is_secure()
    target = "/"
    for candidate in (request.GET.get("next"), request.META.get("HTTP_REFERER")):
        if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts=host, require_https=secure):
            target = candidate
            break
    response = HttpResponseRedirect(target)
    add_never_cache_headers(response)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
