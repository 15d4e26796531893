from __future__ import annotations

from layanan.wbs.privacy import WbsAccessThrottle
from pesan_cms.throttling import _RaisingMixin

__all__ = ["WbsAccessRateThrottle"]


class WbsAccessRateThrottle(_RaisingMixin, WbsAccessThrottle):
    """:class:`layanan.wbs.privacy.WbsAccessThrottle` (wrong receipt codes, per daily pseudonym) with the
    translated 429 message; its rate (``PESAN_WBS_ACCESS_RATE`` or scope ``wbs_access``) is read per request by
    the parent class."""
