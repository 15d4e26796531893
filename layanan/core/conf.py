"""Tunables of the service desk (tickets, attachments, notifications), read from Django settings.

Every value is ``getattr(settings, "PESAN_...", default)`` so an install overrides it in its settings or
environment; the defaults live here beside the code.
(Working-day calendar tunables live in ``layanan/calendar/conf.py``.)
"""

from django.conf import settings

#: Content types accepted for uploads, detected from the file CONTENT (``filetype``), never from the name.
DEFAULT_ATTACHMENT_TYPES = ("application/pdf", "image/jpeg", "image/png")


def attachment_types() -> tuple[str, ...]:
    """MIME types allowed for applicant and operator uploads (setting ``PESAN_ATTACHMENT_TYPES``)."""
    return tuple(getattr(settings, "PESAN_ATTACHMENT_TYPES", DEFAULT_ATTACHMENT_TYPES))


def attachment_max_bytes() -> int:
    """Largest accepted upload, in bytes, per file (setting ``PESAN_ATTACHMENT_MAX_BYTES``, default 10 MB)."""
    return int(getattr(settings, "PESAN_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def attachment_max_files() -> int:
    """Most files accepted with one submission (setting ``PESAN_ATTACHMENT_MAX_FILES``, default 5)."""
    return int(getattr(settings, "PESAN_ATTACHMENT_MAX_FILES", 5))


def due_soon_working_days() -> int:
    """Tickets due within this many working days are "due soon" (amber; setting ``PESAN_DUE_SOON_WD``, 3)."""
    return int(getattr(settings, "PESAN_DUE_SOON_WD", 3))


def digest_hour() -> int:
    """Hour of day (WIB) at which the daily overdue/due-soon digest runs (``PESAN_DIGEST_HOUR``, default 7)."""
    return int(getattr(settings, "PESAN_DIGEST_HOUR", 7))


def api_base_url() -> str:
    """The site's root URL without the trailing slash (``WAGTAILAPI_BASE_URL``)."""
    return getattr(settings, "WAGTAILAPI_BASE_URL", "").rstrip("/")


def public_status_url_template() -> str:
    """URL the applicant opens to follow a ticket, with ``{tracking_number}`` (``PESAN_STATUS_URL``).

    Default: the reference site's status page under ``WAGTAILAPI_BASE_URL`` with the number filled in
    (``/layanan/cek-status/?nomor=…``; a browser opens it — the JSON endpoint it used to be does not, issue 16).
    A front end sets its own page here; the receipt e-mail appends ``#token=…`` (a fragment: never sent to a
    server) when the token is e-mailed."""
    default = api_base_url() + "/layanan/cek-status/?nomor={tracking_number}"
    return getattr(settings, "PESAN_STATUS_URL", default)


def send_token_by_email() -> bool:
    """Whether the receipt e-mail repeats the access token (``PESAN_EMAIL_ACCESS_TOKEN``, default True).

    The token goes only to the address the applicant typed; the queued task carries it Fernet-encrypted with a
    short time-to-live (see ``layanan.core.crypto.seal_transient``), so the task table never holds it readable.
    """
    return bool(getattr(settings, "PESAN_EMAIL_ACCESS_TOKEN", True))


def transient_token_ttl_seconds() -> int:
    """Seconds a queued receipt e-mail may still open the sealed token (``PESAN_TRANSIENT_TTL``, 3 days)."""
    return int(getattr(settings, "PESAN_TRANSIENT_TTL", 3 * 24 * 3600))


def hmac_key_setting() -> str:
    """Key of the keyed hash used for equality lookups of personal data (``PESAN_HMAC_KEY``).

    Empty: derived (HKDF) from the primary ``PESAN_ENCRYPTION_KEY``. Set it explicitly before rotating the
    encryption key, or the "same applicant" lookups stop matching old rows.
    """
    return getattr(settings, "PESAN_HMAC_KEY", "")
