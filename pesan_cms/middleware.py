"""Project-wide middleware."""

from contextlib import suppress

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.translation import get_supported_language_variant


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Indonesian unless the visitor chose otherwise.

    - Web pages and the admin: the language cookie set by the site's language switch (``/bahasa/<code>/``,
      :func:`home.views.switch_language`), else ``LANGUAGE_CODE`` ("id"). The browser's ``Accept-Language`` is
      ignored: an Indonesian public site speaks Indonesian to a visitor whose browser happens to be set to English,
      until they switch.
    - ``/api/``: Django's usual negotiation (cookie, then ``Accept-Language``, then "id"), so an API client
      asks for English explicitly with ``Accept-Language: en``; one that says nothing gets Indonesian.
    """

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        language = settings.LANGUAGE_CODE
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen:
            with suppress(LookupError):
                language = get_supported_language_variant(chosen)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RejectNulMiddleware:
    """400 for any request whose path, query string or (site) form fields contain U+0000.

        No legitimate input carries a null character, and PostgreSQL text columns cannot hold one: left alone, a
        ``%00`` in a search box, a tracking number or a filter reaches a query and fails with a 500. API bodies
        (JSON, multipart, form) are checked by the parsers in :mod:`pesan_cms.parsers` when the view reads them;
        this middleware covers everything else. Answers ``{"detail": ...}`` under ``/api/`` (``{"message": ...}`` on
    Wagtail's pages/images/documents API, its own error shape), else the ``400.html``
        page — in the request's language (it runs after :class:`LocaleMiddleware`).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from pesan_cms.parsers import NUL, contains_nul

        is_api = request.path_info.startswith("/api/")
        bad = NUL in request.path_info or contains_nul(dict(request.GET.lists()))
        if not bad and not is_api and request.method == "POST":
            bad = contains_nul(dict(request.POST.lists()))
        if bad:
            return self._bad_request(request, is_api)
        return self.get_response(request)

    @staticmethod
    def _bad_request(request, is_api: bool):
        from django.http import JsonResponse
        from django.template.response import TemplateResponse

        from pesan_cms.parsers import nul_error

        message = str(nul_error().detail)
        if is_api:
            # Each API keeps its own error shape: Wagtail's API v2 says {"message": ...}, DRF {"detail": ...}.
            wagtail_api = request.path_info.startswith(("/api/v2/pages/", "/api/v2/images/", "/api/v2/documents/"))
            return JsonResponse({"message" if wagtail_api else "detail": message}, status=400)
        return TemplateResponse(request, "400.html", {"message": message}, status=400).render()


class ApiTrailingSlashMiddleware:
    """``/api/…`` without its trailing slash is served as the slashed URL, with no redirect.

    Every API route ends in ``/``. Django's ``APPEND_SLASH`` would answer a slash-less URL with a 301 — and a
    client that follows it re-sends a POST as a GET without its body (a citizen's request lost), while with
    ``DEBUG`` on Django raises instead (a 500). So, before ``CommonMiddleware``: when ``path`` does not resolve
    and ``path + "/"`` does, the request continues as ``path + "/"`` (any method, query string kept). Paths
    that resolve as they are, or resolve neither way (404), are left alone. Only under ``/api/``: the site and
    the admin keep Django's redirect.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.urls import is_valid_path

        path = request.path_info
        if path.startswith("/api/") and not path.endswith("/"):
            urlconf = getattr(request, "urlconf", None)
            if not is_valid_path(path, urlconf) and is_valid_path(f"{path}/", urlconf):
                request.path_info = f"{path}/"
                request.path = f"{request.path}/"
        return self.get_response(request)
