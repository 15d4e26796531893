"""Intake: validating and registering submissions — the ONE path used by the public API and the operator desk.

- Field validators shared by the API serializers and the admin forms: :func:`validate_nik`,
  :func:`validate_phone`, :func:`validate_upload` (type sniffed from the CONTENT with ``filetype``, size limit).
- Cross-field/domain checks: :func:`check_ppid_request`, :func:`check_objection` (same applicant, 30-WD window),
  :func:`check_lapor_report`. They raise ``django.core.exceptions.ValidationError`` with a dict of per-field
  Indonesian messages.
- Registration: :func:`submit_ppid_request`, :func:`submit_objection`, :func:`submit_lapor_report` -> a
  :class:`Submission` (ticket + the access token, shown once). One transaction: tracking number, ticket,
  details, timeline entry, attachments; the receipt e-mail is queued on commit. On any error nothing is kept:
  the transaction rolls back and files already written are deleted.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

import filetype
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from layanan.core import conf as desk_conf
from layanan.core import registry
from layanan.core.crypto import hash_token, new_access_token, normalise_nik, seal_transient
from layanan.core.deadlines import set_deadline
from layanan.core.events import record_event
from layanan.core.models.tickets import Attachment, Ticket, TimelineEntry, private_storage
from layanan.core.numbering import next_tracking_number
from layanan.core.outbox import enqueue
from layanan.core.sanitize import (
    ACTIVE_PDF_MESSAGE,
    ENCRYPTED_PDF_MESSAGE,
    UNREADABLE_PDF_MESSAGE,
    CheckedUpload,
    PdfEncrypted,
    has_visible_text,
    pdf_active_content,
    reencode_image,
)

__all__ = [
    "Submission",
    "clean_text",
    "has_visible_text",
    "safe_original_name",
    "store_attachments",
    "validate_nik",
    "validate_phone",
    "validate_upload",
    "validate_uploads",
]


NIK_RE = re.compile(r"^\d{16}$", re.ASCII)
PHONE_RE = re.compile(r"^(\+62|62|0)\d{7,13}$", re.ASCII)

# --- free text ----------------------------------------------------------------------------------------------
_KEEP_CONTROLS = {"\t", "\n", "\r"}


def clean_text(value: str) -> str:
    """Drop control characters (NUL, C0/C1, DEL; tab and line breaks kept) from submitted free text, and
    reduce a text with no visible character (only spaces, zero-width or direction marks, BOM) to ``""``,
    so that a "required" field cannot be filled with invisible characters."""
    if not isinstance(value, str):
        return value
    value = "".join(c for c in value if c in _KEEP_CONTROLS or unicodedata.category(c) != "Cc")
    return value if has_visible_text(value) else ""


def one_line(value: str | None, limit: int = 255) -> str:
    """``value`` on one line: every run of whitespace (line breaks, tabs included) becomes one space, trimmed,
    cut to ``limit`` characters. For the applicant's name and the subject, which are printed into e-mail
    subjects and greetings: a line break there could forge lines of a notice (issue 15)."""
    return " ".join((value or "").split())[:limit]


# --- field validators ---------------------------------------------------------------------------------------
def validate_nik(value: str) -> str:
    """Return the NIK as 16 digits (spaces/dots/dashes removed); ``ValidationError`` otherwise (UU 24/2013)."""
    nik = normalise_nik(value)
    if not NIK_RE.match(nik):
        raise ValidationError(_("NIK must be exactly 16 digits."), code="nik")
    return nik


def compact_phone(value: str | None) -> str:
    """A phone number as typed without spaces, dashes, dots and brackets (``+62 812-3456`` → ``+628123456``)."""
    return re.sub(r"[\s\-().]", "", value or "")


def validate_phone(value: str) -> str:
    """Return an Indonesian phone number normalised to digits (``+62``/``62``/``0`` prefix, 8–15 digits)."""
    compact = compact_phone(value)
    if not PHONE_RE.match(compact):
        raise ValidationError(_("Enter a valid phone number, e.g. 081234567890 or +6281234567890."), code="phone")
    return compact


def _type_labels() -> str:
    labels = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}
    return ", ".join(labels.get(t, t) for t in desk_conf.attachment_types())


def safe_original_name(name) -> str:
    """The uploaded file name as kept in ``Attachment.original_name`` (metadata only, never a storage path):
    the last path segment (``/`` and ``\\``), Unicode NFC, without control, format (bidi) or quote characters,
    at most 200 characters; ``"berkas"`` when nothing is left. Safe for a ``Content-Disposition`` header."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf") and c not in '"<>')
    name = name.strip(" .")[:200].strip()
    return name or "berkas"


def attachment_max_total_bytes() -> int:
    """Largest total of the files of one submission or message, in bytes (``PESAN_ATTACHMENT_MAX_TOTAL_BYTES``,
    default 25 MB); the per-file limit is ``PESAN_ATTACHMENT_MAX_BYTES``."""
    from django.conf import settings

    return int(getattr(settings, "PESAN_ATTACHMENT_MAX_TOTAL_BYTES", 25 * 1024 * 1024))


def _megabytes(limit: int) -> str:
    return formats.number_format(limit / (1024 * 1024), 0 if limit % 1048576 == 0 else 1)


def validate_upload(upload) -> CheckedUpload:
    """Check one uploaded file and return it as a :class:`CheckedUpload` ready to store.

    - size ≤ ``PESAN_ATTACHMENT_MAX_BYTES`` and not empty;
    - type in ``PESAN_ATTACHMENT_TYPES`` detected from the first bytes (``filetype``); the name and declared
      content type are ignored, so HTML or SVG renamed ``.pdf``/``.png`` is refused;
    - PDF: refused when it carries active content (JavaScript, launch and other running actions, embedded
      files, rich media, XFA forms), found as a PDF reader finds it (``sanitize.pdf_active_content``: escaped
      names decoded, compressed object streams parsed), and when it cannot be read or is encrypted;
    - JPEG/PNG: **re-encoded from the pixels** (``layanan.core.sanitize``): EXIF with GPS position, camera, XMP,
      comments and anything appended after the image are dropped; a picture larger than
      ``PESAN_IMAGE_MAX_PIXELS`` (default 40 megapixels) or ``PESAN_IMAGE_MAX_DECODED_BYTES`` once decoded is
      refused before it is decoded;
    - the original name is kept only as metadata, cleaned by :func:`safe_original_name`.

    Raises ``ValidationError`` (code ``file_size``, ``file_empty``, ``file_type``, ``file_active_content``,
    ``file_encrypted``, ``file_unreadable`` or ``file_metadata``) with an Indonesian message naming the file.
    Writes nothing.
    """
    name = safe_original_name(getattr(upload, "name", ""))
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    limit = desk_conf.attachment_max_bytes()
    if size > limit:
        raise ValidationError(
            _("The file “%(name)s” is larger than the limit of %(limit)s MB."),
            code="file_size",
            params={"name": name, "limit": _megabytes(limit)},
        )
    if size == 0:
        raise ValidationError(_("The file “%(name)s” is empty."), code="file_empty", params={"name": name})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in desk_conf.attachment_types():
        raise ValidationError(
            _("The file “%(name)s” is not an allowed type (allowed: %(types)s)."),
            code="file_type",
            params={"name": name, "types": _type_labels()},
        )
    checked = CheckedUpload(upload, name, kind.mime, kind.extension, size)
    if kind.mime == "application/pdf":
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        try:
            active = pdf_active_content(data)
        except PdfEncrypted:
            raise ValidationError(ENCRYPTED_PDF_MESSAGE, code="file_encrypted", params={"name": name}) from None
        except ValueError:  # pypdf cannot read it: it cannot be checked, so it is not taken
            raise ValidationError(UNREADABLE_PDF_MESSAGE, code="file_unreadable", params={"name": name}) from None
        if active:
            raise ValidationError(ACTIVE_PDF_MESSAGE, code="file_active_content", params={"name": name})
    elif kind.mime in ("image/jpeg", "image/png"):
        checked = reencode_image(checked)
    return checked


def validate_uploads(files: Iterable) -> list[CheckedUpload]:
    """Validate a list of uploads: count ≤ ``PESAN_ATTACHMENT_MAX_FILES``, each by :func:`validate_upload`,
    together ≤ :func:`attachment_max_total_bytes`. All messages are collected into one ``ValidationError``."""
    files = [f for f in files or () if f]
    if len(files) > desk_conf.attachment_max_files():
        raise ValidationError(
            _("At most %(count)s files may be attached."),
            code="file_count",
            params={"count": desk_conf.attachment_max_files()},
        )
    checked, errors = [], []
    for upload in files:
        try:
            checked.append(upload if isinstance(upload, CheckedUpload) else validate_upload(upload))
        except ValidationError as exc:
            errors.extend(exc.error_list)
    if errors:
        raise ValidationError(errors)
    total_limit = attachment_max_total_bytes()
    if sum(upload.size for upload in checked) > total_limit:
        raise ValidationError(
            _("The files together are larger than the limit of %(limit)s MB."),
            code="file_total_size",
            params={"limit": _megabytes(total_limit)},
        )
    return checked


# --- storing files ------------------------------------------------------------------------------------------
_saved_names: ContextVar[list[str] | None] = ContextVar("layanan_saved_names", default=None)


@contextmanager
def delete_files_on_error():
    """Collect names of files written inside the block (this thread/context); delete them if it raises.

    Nested blocks hand their names on to the enclosing block when they succeed, so a later error in the
    enclosing block deletes them too (e.g. a ticket created inside a transition's effect).
    """
    bucket: list[str] = []
    parent = _saved_names.get()
    reset = _saved_names.set(bucket)
    try:
        yield bucket
    except BaseException:
        storage = private_storage()
        for name in bucket:
            storage.delete(name)
        raise
    else:
        if parent is not None:
            parent.extend(bucket)
    finally:
        _saved_names.reset(reset)


def store_attachments(ticket, files, *, uploaded_by=None, visible_to_applicant=False, entry=None, purpose=""):
    """Write uploads (``CheckedUpload`` or raw files, validated here if raw) as ``Attachment`` rows of ``ticket``.

    Files get a generated storage name with the extension of their SNIFFED type. Returns the attachments.
    """
    created = []
    for upload in validate_uploads(files):
        attachment = Attachment(
            ticket=ticket,
            timeline_entry=entry,
            original_name=upload.name,
            content_type=upload.content_type,
            size=upload.size,
            visible_to_applicant=visible_to_applicant,
            uploaded_by=uploaded_by,
            purpose=purpose,
        )
        upload.file.seek(0)
        attachment.file.save(f"upload.{upload.extension}", upload.file, save=False)
        bucket = _saved_names.get()
        if bucket is not None:
            bucket.append(attachment.file.name)
        attachment.save()
        created.append(attachment)
    return created


# --- domain checks ------------------------------------------------------------------------------------------
def require_fields(data: dict, errors: dict, *fields: str) -> None:
    for name in fields:
        value = data.get(name)
        if value is None or (isinstance(value, str) and not has_visible_text(value)):
            errors.setdefault(name, gettext("This field is required."))


def require_contact(data: dict, errors: dict) -> None:
    if not (data.get("email") or data.get("phone")):
        message = gettext("Give an e-mail address or a phone number so we can reach you.")
        errors.setdefault("email", message)
        errors.setdefault("phone", message)


# --- registration -------------------------------------------------------------------------------------------
@dataclass
class Submission:
    """A registered ticket and its access token (the only time the token exists in clear).

    ``deadline``: the ``(base, extension)`` pair of :class:`layanan.calendar.workdays.Deadline` computed at registration
    (``layanan.core.deadlines.set_deadline``), handed to the API answer so it is not computed twice; ``None`` when the
    caller built the submission without one."""

    ticket: object
    access_token: str
    deadline: tuple | None = None

    @property
    def tracking_number(self) -> str:
        return self.ticket.tracking_number


def register_submission(
    service: str,
    rule: tuple[str, str],
    data: dict,
    *,
    subject: str,
    description: str,
    channel: str,
    received_at: datetime | None,
    registered_by,
    files,
    make_details,
    origin=None,
    credential: tuple[str, str] | None = None,
    identity: bool = True,
    notify: bool = True,
) -> Submission:
    """The one registration path: ticket, tracking number, deadline, ``received`` entry, details, files.

    Order inside the transaction: ticket (under a provisional number), ``received`` entry, details, files, then
    the tracking number (counter row locked from there to the commit, so concurrent submissions wait as little
    as possible), written into the ticket and the entry's note. Nothing outside the transaction ever sees the
    provisional number; on any error everything rolls back, the counter included.

    ``origin``: the ticket this one comes from (triage, transfer). ``credential``: ``(secret, stored hash)``
    instead of a fresh access token (WBS receipt code), or ``("", "")`` for none. ``identity`` False: the
    applicant columns stay empty (WBS keeps identity encrypted in its details). ``notify`` False: no receipt
    e-mail is queued (the caller sends its own, or none).
    """
    received_at = received_at or timezone.now()
    if credential is None:
        token = new_access_token()
        token_hash = hash_token(token)
    else:
        token, token_hash = credential
    checked = validate_uploads(files)
    with delete_files_on_error(), transaction.atomic():
        ticket = Ticket(
            service=service,
            status=registry.get(service).machine.initial,
            channel=channel,
            received_at=received_at,
            subject=one_line(subject),
            description=description,
            applicant_name=one_line(data.get("name")) if identity else "",
            applicant_email=(data.get("email") or "").strip() if identity else "",
            applicant_phone=one_line(data.get("phone"), 32) if identity else "",
            access_token_hash=token_hash,
            origin=origin,
        )
        if identity:
            ticket.set_nik(data.get("nik"))
        deadline = set_deadline(ticket, rule[0], rule[1], received_at)
        # A provisional, unique number: the real one is allocated last (see below).
        ticket.tracking_number = f"~{secrets.token_hex(15)}"
        ticket.save()

        def received_note():
            return gettext("Received via %(channel)s. Tracking number %(number)s.") % {
                "channel": ticket.get_channel_display(),
                "number": ticket.tracking_number,
            }

        entry = record_event(
            ticket,
            "registered" if registered_by is not None else "received",
            actor=registered_by,
            actor_kind=TimelineEntry.ActorKind.USER if registered_by else TimelineEntry.ActorKind.APPLICANT,
            note=received_note(),
            visible_to_applicant=True,
            data={"channel": channel, "due_date": str(ticket.due_date)},
            at=received_at,
        )
        make_details(ticket, entry)
        store_attachments(ticket, checked, uploaded_by=registered_by, visible_to_applicant=True, entry=entry)
        if notify:  # the receipt leaves after the commit, through the outbox (its row written before the lock)
            enqueue("layanan.tasks.notify_received", ticket.pk, seal_transient(token) if token else None)
        # The tracking number LAST: allocating it locks the counter row of (prefix, year) until this transaction
        # commits, and every concurrent submission of the service waits for that lock. Taken here, the lock is
        # held for two short UPDATEs and the COMMIT instead of for every INSERT above (issue 9: submissions/s).
        ticket.tracking_number = next_tracking_number(service, received_at)
        Ticket.objects.filter(pk=ticket.pk).update(tracking_number=ticket.tracking_number)
        note_field = "note_sealed" if entry.note_sealed else "note"  # a confidential machine seals the note
        setattr(entry, note_field, received_note())
        TimelineEntry.objects.filter(pk=entry.pk).update(**{note_field: getattr(entry, note_field)})
    return Submission(ticket, token, deadline)
