"""Personal data shown masked (UU 27/2022 PDP; domain reference "Personal data"): what a list or an export holds
when the reader has no need to see the data in clear — e.g. the PPID registers exported without the explicit,
logged personal-data option (``layanan.ppid.registers``). The NIK's mask is ``layanan.core.crypto.mask_nik``.

Each function keeps just enough to tell two rows apart at a glance and never the whole value; empty stays empty.
"""

from __future__ import annotations

from layanan.core.crypto import mask_nik

__all__ = ["HIDDEN", "mask_email", "mask_name", "mask_nik", "mask_phone"]

#: What stands for a value that is hidden whole (an address).
HIDDEN = "***"


def mask_name(value: str | None) -> str:
    """``"Siti Rahmawati"`` → ``"S*** R***"``: the first letter of each word."""
    return " ".join(word[0] + "***" for word in (value or "").split())


def mask_email(value: str | None) -> str:
    """``"siti@example.org"`` → ``"s***@example.org"``: the first character and the domain."""
    local, _at, domain = (value or "").partition("@")
    if not local:
        return ""
    return f"{local[0]}***@{domain}" if domain else local[0] + "***"


def mask_phone(value: str | None) -> str:
    """``"081234567890"`` → ``"*********890"``: the last three digits."""
    digits = "".join(c for c in value or "" if c.isdigit())
    if not digits:
        return ""
    return "*" * max(len(digits) - 3, 3) + digits[-3:]
