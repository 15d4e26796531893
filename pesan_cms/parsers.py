"""Request parsers shared by every DRF endpoint."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser whose error for a malformed body is translated (Indonesian by default).

    Raises ``ParseError`` (400) with ``{"detail": "Isi permintaan bukan JSON yang sah (...)."}``; the part in
    brackets is the position the decoder reports.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError as exc:
            detail = str(exc.detail).removeprefix("JSON parse error - ")
            raise ParseError(_("The request body is not valid JSON (%(detail)s).") % {"detail": detail}) from None
