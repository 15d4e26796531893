"""How a regulation search is read: people search by citation ("UU 14", "PP 61/2010", "Undang-Undang Nomor 14
Tahun 2008", "perki no. 1 th 2021"), not only by words of the title.

``parse_query(text)`` splits a search into a ``SearchQuery``: the kind (a code of ``RegulationKind``), the
number and the year it cites, and the remaining words. The rules, in order:

1. Case and spacing are ignored; a full kind name (longest first, ``_KIND_PREFIXES`` of ``regulasi.models``:
   "Undang-Undang", "Peraturan Pemerintah", "Peraturan Komisi Informasi", …) or a common abbreviation ("UU",
   "PP", "Perpres", "Permen", "Permenko", "PerKI", "Kepmen", "SE") names the kind. The first one counts; a
   second one stays a word.
2. ``N/YYYY`` cites number ``N`` of year ``YYYY`` (``YYYY`` from 1800 to 2200).
3. "Nomor"/"No"/"No." before a number marks it as the number; "Tahun"/"Th"/"Thn" before a year marks the year.
4. Only once a kind or a marker made the search a citation: the first other number is the number and a
   four-digit year (1800–2200) is the year ("UU 14 2008"; "UU 2008" is the year 2008).
5. Everything else is a word to find in the title, the "tentang" text, the number or the abstract.

So "UU 14" finds Undang-Undang Nomor 14 Tahun 2008 (kind ``uu``, number 14) and not PP 61/2010 (whose title
mentions "Undang-Undang Nomor 14"), and "keterbukaan 2008" still finds every title with both words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from regulasi.models import _KIND_ABBREVIATIONS, _KIND_PREFIXES, RegulationKind

YEAR_RANGE = range(1800, 2201)
_NUMBER_MARKERS = {"nomor", "no", "no.", "nr", "nr."}
_YEAR_MARKERS = {"tahun", "th", "th.", "thn", "thn."}
_CITATION = re.compile(r"(?P<number>[0-9][0-9a-z.\-]*)/(?P<year>\d{4})")
_NUMBER = re.compile(r"[0-9][0-9a-z\-]*")


@dataclass
class SearchQuery:
    """A search as ``parse_query`` reads it: ``kind`` (a ``RegulationKind`` code or ``None``), ``number`` (as
    typed, e.g. ``"14"``) and ``year`` cited, and the other ``words`` (lower case)."""

    kind: str | None = None
    number: str | None = None
    year: int | None = None
    words: list[str] = field(default_factory=list)


def _is_year(token: str) -> bool:
    return token.isdigit() and len(token) == 4 and int(token) in YEAR_RANGE


def _kind_at(tokens: list[str], index: int) -> tuple[str | None, int]:
    """The kind a full name or an abbreviation starting at ``tokens[index]`` names (``None``: none), and how many
    tokens it takes. A full name of kind "other" (Perppu) is ``RegulationKind.OTHER``: its words stay words."""
    for name, code in _KIND_PREFIXES:  # longest first: "peraturan pemerintah pengganti …" before "… pemerintah"
        words = name.split()
        if tokens[index : index + len(words)] == words:
            return code, len(words)
    code = _KIND_ABBREVIATIONS.get(tokens[index])
    return (None if code == RegulationKind.OTHER else code), 1


def parse_query(text: str) -> SearchQuery:
    """Read a regulation search (see the module docstring for the rules). Never raises."""
    tokens = (text or "").lower().split()
    query = SearchQuery()
    numbers: list[str] = []
    marker = None
    citation = False
    index = 0
    while index < len(tokens):
        token = tokens[index]
        code, length = _kind_at(tokens, index) if query.kind is None else (None, 1)
        index += length if code else 1
        if code == RegulationKind.OTHER:
            query.words.extend(tokens[index - length : index])
            continue
        if code:
            query.kind, citation, marker = code, True, None
            continue
        if token in _NUMBER_MARKERS or token in _YEAR_MARKERS:
            marker, citation = ("number" if token in _NUMBER_MARKERS else "year"), True
            continue
        cited = _CITATION.fullmatch(token)
        if cited and int(cited["year"]) in YEAR_RANGE and query.number is None:
            query.number, query.year, citation = cited["number"], int(cited["year"]), True
        elif marker == "number" and _NUMBER.fullmatch(token) and query.number is None:
            query.number = token
        elif marker == "year" and _is_year(token) and query.year is None:
            query.year = int(token)
        elif _NUMBER.fullmatch(token):
            numbers.append(token)
        else:
            query.words.append(token)
        marker = None
    if not citation:
        query.words.extend(numbers)
        return query
    for token in numbers:
        if _is_year(token) and query.year is None and (query.number is not None or len(numbers) == 1):
            query.year = int(token)
        elif query.number is None:
            query.number = token
        else:
            query.words.append(token)
    return query
