"""Tunables of the service desk (tickets, attachments, notifications), read from Django settings.

Every value is ``getattr(settings, "PESAN_...", default)`` so an install overrides it in its settings or
environment; the defaults live here beside the code.
(Working-day calendar tunables live in ``layanan/calendar/conf.py``.)
"""

from django.conf import settings
from django.utils.crypto import salted_hmac

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


def desk_count_pages() -> int:
    """Pages of a desk list counted ahead of the page shown (setting ``PESAN_DESK_COUNT_PAGES``, default 20; at
    least 1): the list's rows are counted up to the end of that many pages from the current one (25 rows a page:
    500 rows on page 1), and beyond that the list says "more than N" — the count costs the same at 5,000 and at
    200,000 tickets (``layanan.desk.desk_list.BoundedPaginator``). Exact totals are in the reports."""
    return max(1, int(getattr(settings, "PESAN_DESK_COUNT_PAGES", 20)))


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


def confirmation_minutes() -> int:
    """Minutes the site's confirmation page keeps showing a new ticket's access token in the browser that filed
    it (``PESAN_CONFIRMATION_MINUTES``, default 30; kept in the server-side session, never in a cookie or URL),
    so a reload or a moment offline does not lose it. 0: shown once."""
    return int(getattr(settings, "PESAN_CONFIRMATION_MINUTES", 30))


def challenge_max_number() -> int:
    """Largest number of the site forms' proof-of-work challenge (``PESAN_CHALLENGE_MAX_NUMBER``, default 50,000).

    The browser tries on average half of it (SHA-256 each). Measured in Chromium with the site's solver
    (``js/pow-worker.js``): 65,000–150,000 numbers a second on a server core, 25,000–50,000 with the CPU slowed
    4–6× (DevTools' mid-tier and low-end phones), so 50,000 takes ≈ 0.5–1 s on a phone on average and about 2 s
    at worst, mostly while the citizen is still typing. (A bot in plain Python needs ≈ 50 ms: the check prices
    naive bots, the rate limits do the rest.) The test settings make it tiny, so tests solve it in Python."""
    return int(getattr(settings, "PESAN_CHALLENGE_MAX_NUMBER", 50_000))


def challenge_minutes() -> int:
    """Minutes a proof-of-work challenge stays valid after the form was shown (``PESAN_CHALLENGE_MINUTES``, 20;
    the site's script fetches a new one by itself when the citizen took longer)."""
    return int(getattr(settings, "PESAN_CHALLENGE_MINUTES", 20))


def challenge_hmac_key() -> str:
    """Key that signs the proof-of-work challenges (``PESAN_CHALLENGE_HMAC_KEY``). Empty: derived from
    ``SECRET_KEY`` (HMAC-SHA256 with a purpose of its own), so every web process of one install agrees."""
    key = getattr(settings, "PESAN_CHALLENGE_HMAC_KEY", "")
    return key or salted_hmac("pesan.site.challenge", "hmac-key", algorithm="sha256").hexdigest()


def document_number_format() -> str:
    """How the number of an issued document is written (``PESAN_DOCUMENT_NUMBER_FORMAT``, default
    ``"{number:04d}/{prefix}/{year}"``, e.g. ``0007/PPID-PT/2026``): ``{number}`` the sequence of the document
    kind in the WIB year of issue, ``{prefix}`` the kind's prefix, ``{year}``. A body whose rules for official
    letters (tata naskah dinas) differ sets its own, e.g. ``"{prefix}/{number:03d}/{year}"``; the sequence rule
    (one per kind and year) stays. ``layanan.core.numbering.next_document_number``."""
    return str(getattr(settings, "PESAN_DOCUMENT_NUMBER_FORMAT", "{number:04d}/{prefix}/{year}"))


def document_place() -> str:
    """Where the body signs its letters, printed before the date of an issued document ("Jakarta, 10 April
    2026"; ``PESAN_DOCUMENT_PLACE``, default "": the date alone). ``layanan.core.documents.signature``."""
    return str(getattr(settings, "PESAN_DOCUMENT_PLACE", ""))
