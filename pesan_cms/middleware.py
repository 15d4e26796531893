"""Project-wide middleware."""

from contextlib import suppress

from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.translation import get_supported_language_variant


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Indonesian unless the visitor chose otherwise.

    - Web pages and the admin: the language cookie set by the site's language switch (``/i18n/setlang/``),
      else ``LANGUAGE_CODE`` ("id"). The browser's ``Accept-Language`` is ignored: an Indonesian public site
      speaks Indonesian to a visitor whose browser happens to be set to English, until they switch.
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
