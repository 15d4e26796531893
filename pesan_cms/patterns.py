"""Regular expressions for the ``pattern`` keywords of the OpenAPI schema (see :mod:`pesan_cms.openapi`).

Valid in ECMA 262 (what JSON Schema validators read) and in Python (what the tests and Hypothesis read) alike:
no ``\\d`` or ``\\s`` (their meaning differs), literal characters in classes, non-capturing groups. Plain
functions without Django REST framework imports, so low layers (``layanan.core.sanitize``) can use them.
"""

from __future__ import annotations

import sys
from functools import lru_cache

__all__ = [
    "SITE_PATTERN",
    "alternation",
    "char_class",
    "choice_list_pattern",
    "date_pattern",
    "not_blank_pattern",
    "number_range_pattern",
]


#: ``?site=`` of the listings (Wagtail's site filter): a hostname, optionally with a numeric port.
SITE_PATTERN = "^[^:]*(?::[0-9]{1,5})?$"


def alternation(names) -> str:
    """A non-capturing group matching exactly one of ``names`` (literal strings)."""
    # Longest first: an alternation is tried left to right, and "year" must not stop "year_min" early.
    escaped = sorted({str(name).replace("\\", "\\\\") for name in names}, key=lambda n: (-len(n), n))
    for char in ".^$*+?()[]{}|":
        escaped = [name.replace(char, "\\" + char) for name in escaped]
    return "(?:" + "|".join(escaped) + ")"


def char_class(chars) -> str:
    """``chars`` as the inside of a regular-expression character class (ranges of literal characters; the
    characters special in a class escaped), valid in Python and ECMA 262 alike."""
    codes = sorted(ord(c) for c in chars)
    ranges, start, prev = [], None, None
    for code in codes:
        if start is None:
            start = prev = code
        elif code == prev + 1:
            prev = code
        else:
            ranges.append((start, prev))
            start = prev = code
    if start is not None:
        ranges.append((start, prev))

    def literal(code):
        char = chr(code)
        return "\\" + char if char in "\\]^-[" else char

    return "".join(literal(a) if a == b else f"{literal(a)}-{literal(b)}" for a, b in ranges)


@lru_cache(maxsize=1)
def not_blank_pattern() -> str:
    """A ``pattern`` (unanchored) that holds when a string has a character ``str.strip()`` keeps, i.e. a
    ``CharField`` (``trim_whitespace``) reads it as not blank."""
    return "[^" + char_class(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()) + "]"


def choice_list_pattern(names, *, descending: bool = True, single=()) -> str:
    """A comma-separated list of ``names``, each optionally prefixed with ``-`` when ``descending``; or one
    of ``single`` alone (e.g. ``random``); or empty. E.g. the ``ordering`` of a listing."""
    item = ("-?" if descending else "") + alternation(names)
    choices = [f"{item}(?:,{item})*", *(alternation([value]) for value in single)]
    return "^(?:" + "|".join(choices) + ")?$"


def number_range_pattern(low: int, high: int, width: int = 4) -> str:
    """A regular expression (no anchors) matching the ``width``-digit decimal numbers from ``low`` to ``high``
    (zero-padded), e.g. the years of a date."""
    low_text, high_text = f"{low:0{width}d}", f"{high:0{width}d}"
    if low > high:
        return "(?!)"
    if width == 1:
        return f"[{low_text}-{high_text}]" if low != high else low_text
    if low_text[0] == high_text[0]:
        rest = number_range_pattern(int(low_text[1:]), int(high_text[1:]), width - 1)
        return f"{low_text[0]}{rest}"
    top = 10 ** (width - 1) - 1
    parts = [low_text[0] + number_range_pattern(int(low_text[1:]), top, width - 1)]
    first_full, last_full = int(low_text[0]) + 1, int(high_text[0]) - 1
    if first_full <= last_full:
        digits = f"[{first_full}-{last_full}]" if first_full != last_full else str(first_full)
        parts.append(f"{digits}[0-9]{{{width - 1}}}")
    parts.append(high_text[0] + number_range_pattern(0, int(high_text[1:]), width - 1))
    return "(?:" + "|".join(parts) + ")"


#: Month and day of a valid date, 29 February left out (it is valid in leap years only, which a regular
#: expression over MM-DD cannot tell).
_MONTH_DAY = (
    "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
#: An ISO 8601 time of day and optional UTC offset, as ``datetime.fromisoformat`` reads it.
_TIME = (
    "[T ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\\.[0-9]{1,6})?)?"
    "(?:Z|[+-](?:[01][0-9]|2[0-3])(?::?[0-5][0-9])?)?"
)


def date_pattern(first_year: int, last_year: int, *, with_time: bool = False, blank: bool = False) -> str:
    """An ISO 8601 date ``YYYY-MM-DD`` of a year from ``first_year`` to ``last_year`` (and, when
    ``with_time``, optionally a time and an offset: ``2026-03-13T10:00:00+07:00``); or, when ``blank``, the
    empty string (a filter left empty)."""
    time = f"(?:{_TIME})?" if with_time else ""
    date = f"{number_range_pattern(first_year, last_year)}-{_MONTH_DAY}{time}"
    return f"^(?:{date})?$" if blank else f"^{date}$"
