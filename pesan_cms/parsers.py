"""Request parsers shared by every DRF endpoint: translated errors, no NUL characters, bounded nesting.

PostgreSQL text columns cannot hold U+0000, and no legitimate input contains it, so a body carrying one is
refused as a whole with a 400 (naming the fields that carry it) before any serializer or lookup sees it. A
JSON body nested too deeply for the decoder is a 400 as well, never a 500.
"""

import re

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

from layanan.core.sanitize import CONTROL_MESSAGE

NUL = "\x00"


def nul_error(data=None) -> ParseError | ValidationError:
    """The 400 for a request containing U+0000 (translated).

    When ``data`` is a parsed body (a dict, or a QueryDict's ``lists()``) and the character sits in field
    values, a ``ValidationError`` naming each such field with the free-text message of
    ``layanan.core.sanitize.CONTROL_MESSAGE`` (code and 1-based position), as the field itself would have said;
    otherwise (a key, the path, the query string) a ``ParseError`` ``{"detail": ...}``.
    """
    if isinstance(data, dict) and not any(NUL in str(key) for key in data):
        fields = {}
        for key, value in data.items():
            texts = value if isinstance(value, list) else [value]
            text = next((t for t in texts if isinstance(t, str) and NUL in t), None)
            if text is not None:
                fields[key] = [CONTROL_MESSAGE % {"code": "U+0000", "position": text.index(NUL) + 1}]
            elif contains_nul(value):
                fields[key] = [_("The request contains a null character (U+0000), which is not allowed.")]
        if fields:
            return ValidationError(fields)
    return ParseError(_("The request contains a null character (U+0000), which is not allowed."))


def contains_nul(value) -> bool:
    """True if ``value`` (str, or dicts/lists/QueryDicts of them, keys included) contains U+0000."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


#: Where Python's JSON decoder says the body went wrong.
DECODER_POSITION = re.compile(r"line (\d+) column (\d+)")


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser whose errors are translated (Indonesian by default).

    Raises ``ParseError`` (400): ``{"detail": "Isi permintaan bukan JSON yang sah (...)."}`` (in brackets the
    line and column the decoder reports, or why it could not read the text) for a malformed or too deeply nested
    body, and the null character error for a body containing ``\\u0000``.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except ParseError as exc:
            # Python's decoder speaks English ("Expecting value: line 1 column 6 (char 5)", "Unexpected UTF-8
            # BOM"): only the position is passed on, in the reader's language.
            position = DECODER_POSITION.search(str(exc.detail))
            detail = (
                _("line %(line)s, column %(column)s") % {"line": position[1], "column": position[2]}
                if position
                else _("the text is not UTF-8 JSON, or a number in it is too long")
            )
            raise ParseError(_("The request body is not valid JSON (%(detail)s).") % {"detail": detail}) from None
        except RecursionError:
            raise ParseError(
                _("The request body is not valid JSON (%(detail)s).") % {"detail": _("nested too deeply")}
            ) from None
        if contains_nul(data):
            raise nul_error(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    """DRF's multipart parser with a translated error (e.g. no boundary) and the null-character check."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            result = super().parse(stream, media_type, parser_context)
        except ParseError:
            raise ParseError(_("The request body is not a valid multipart form.")) from None
        fields = dict(result.data.lists())
        if contains_nul(fields):
            raise nul_error(fields)
        return result


class FormParser(parsers.FormParser):
    """DRF's form parser with the null-character check."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        fields = dict(data.lists())
        if contains_nul(fields):
            raise nul_error(fields)
        return data
