"""WBS receipt codes: generation, formatting, parsing and slow hashing.

A receipt code is 32 decimal digits, shown in 8 groups of 4 for reading aloud, e.g.
``4821 0937 5512 8840 3316 0472 9915 2038``:

- digits 1–6: the **lookup** part, random (``secrets``), unique among WBS reports, stored in clear in
  ``WbsReportDetails.receipt_lookup``. It is NOT secret: it only finds the row, so an access attempt hashes
  against one report instead of every report.
- digits 7–31: the **secret** part, 25 digits from ``secrets.randbelow(10**25)``: log2(10^25) ≈ **83.0 bits**
  of entropy (the issue asks for ≥ 80). The lookup part and the check digit add nothing to count on.
- digit 32: a **Damm check digit** over digits 1–31. It catches every single mistyped digit and every swap of
  two adjacent digits, so a typo is answered "check the code" (400) without counting as a wrong guess. It is
  computed from public digits and tells an attacker nothing.

Storage: only an **argon2id** hash (argon2-cffi ``PasswordHasher``; random 16-byte salt per code, memory-hard;
parameters ``PESAN_WBS_ARGON2`` = ``{"time_cost", "memory_cost" (KiB), "parallelism"}``, defaults of
argon2-cffi: 3, 65536, 4) of the 31 digits, in ``Ticket.access_token_hash``. The code itself is never stored,
logged, e-mailed or put in a URL. Verification is argon2's own constant-time comparison; an unknown lookup part
is verified against a dummy hash so it costs the same time as a known one (:func:`verify`).
"""

from __future__ import annotations

import math
import re
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from django.conf import settings
from django.utils.translation import gettext_lazy

#: The one answer for an unknown code, a wrong code and a code of a report that does not exist any more.
NOT_FOUND_MESSAGE = gettext_lazy("No report matches this receipt code.")
MALFORMED_MESSAGE = gettext_lazy(
    "This is not a valid receipt code: it has 32 digits and its last digit is a check digit. Check for a typing error."
)

__all__ = [
    "CODE_DIGITS",
    "LOOKUP_DIGITS",
    "SECRET_DIGITS",
    "SECRET_ENTROPY_BITS",
    "damm_check_digit",
    "format_code",
    "hash_code",
    "new_code",
    "parse_code",
    "verify",
]

LOOKUP_DIGITS = 6
SECRET_DIGITS = 25
CODE_DIGITS = LOOKUP_DIGITS + SECRET_DIGITS + 1
#: Entropy of the secret part in bits (≈ 83.05).
SECRET_ENTROPY_BITS = SECRET_DIGITS * math.log2(10)

# Damm's totally anti-symmetric quasigroup of order 10 (H. M. Damm, 2004).
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def damm_check_digit(digits: str) -> str:
    """The Damm check digit of a string of decimal digits (appending it makes :func:`_damm_ok` true)."""
    interim = 0
    for char in digits:
        interim = _DAMM[interim][int(char)]
    return str(interim)


def _damm_ok(digits: str) -> bool:
    return damm_check_digit(digits) == "0"


def new_code(lookup: str | None = None) -> str:
    """A fresh code as 32 plain digits (use :func:`format_code` to show it). ``lookup``: reuse a lookup part
    (6 digits), e.g. after a collision check; by default a random one."""
    lookup = lookup if lookup is not None else new_lookup()
    secret = f"{secrets.randbelow(10**SECRET_DIGITS):0{SECRET_DIGITS}d}"
    body = lookup + secret
    return body + damm_check_digit(body)


def new_lookup() -> str:
    """A random lookup part (6 digits)."""
    return f"{secrets.randbelow(10**LOOKUP_DIGITS):0{LOOKUP_DIGITS}d}"


def format_code(code: str) -> str:
    """``"48210937…"`` -> ``"4821 0937 …"`` (groups of 4 digits separated by spaces)."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


class MalformedCode(ValueError):
    """The input is not a receipt code (wrong length, not digits, or the check digit does not match)."""


def parse_code(value: str | None) -> tuple[str, str]:
    """Normalise a typed code (spaces, dashes and dots ignored) -> ``(lookup, digits_without_check)``.

    Raises :class:`MalformedCode` when it is not 32 digits with a valid check digit (a typing error).
    """
    digits = re.sub(r"[\s.\-]", "", value or "")
    if len(digits) != CODE_DIGITS or not (digits.isascii() and digits.isdigit()) or not _damm_ok(digits):
        raise MalformedCode
    return digits[:LOOKUP_DIGITS], digits[:-1]


@lru_cache(maxsize=4)
def _hasher(params: tuple) -> PasswordHasher:
    return PasswordHasher(**dict(params))


def hasher() -> PasswordHasher:
    """The argon2id hasher with the parameters of ``PESAN_WBS_ARGON2`` (argon2-cffi defaults otherwise)."""
    params = getattr(settings, "PESAN_WBS_ARGON2", None) or {}
    allowed = {"time_cost", "memory_cost", "parallelism"}
    return _hasher(tuple(sorted((k, int(v)) for k, v in params.items() if k in allowed)))


def hash_code(code: str) -> str:
    """argon2id hash (encoded, ~100 characters, salt included) of a code's 31 digits (check digit dropped)."""
    _lookup, body = parse_code(code)
    return hasher().hash(body)


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hasher().hash(secrets.token_hex(16))


def verify(body: str, stored_hash: str | None) -> bool:
    """Constant-time check that ``body`` (31 digits from :func:`parse_code`) matches ``stored_hash``.

    ``stored_hash`` None or empty (unknown lookup part): the same argon2 work is done against a dummy hash and
    False is returned, so unknown and wrong codes cannot be told apart by timing.
    """
    target = stored_hash if stored_hash and stored_hash.startswith("$argon2") else None
    try:
        return bool(hasher().verify(target or _dummy_hash(), body)) and target is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
