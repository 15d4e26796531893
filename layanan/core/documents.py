"""Documents a step issues on a ticket: numbered, rendered as PDF, stored on the ticket — in the step's transaction.

A service package registers its document kinds (:class:`DocumentKind`: code, label, number prefix, file name,
builder) with :func:`register_kind` and lets a transition issue them (``Transition.documents``, called by
``layanan.core.workflow.apply_transition`` after the step's event is written, inside its transaction). The PPID's
kinds — written notice, refusal decision, answer to an objection — are ``layanan.ppid.documents``.

:func:`issue` is the one rule of issuing: the next number of the kind for the WIB year of the step
(``layanan.core.numbering.next_document_number``; one sequence per kind and year), the document built by the
kind's builder in the site's default language (Indonesian: an official letter is not in the officer's admin
language), its A4 PDF (``layanan.core.printable.render_pdf``) stored as an attachment of the step, visible to the
applicant (their status page, ``GET /api/v2/tickets/<number>/`` ``files``) and to the desk, and an
:class:`~layanan.core.models.documents.IssuedDocument` row. When the step fails afterwards, the transaction rolls
back the number and the rows, and the file is deleted (``layanan.core.intake.delete_files_on_error``).

:func:`document_for` builds the same document again for the printable HTML page (site and desk): from the
ticket as it is now and the row's number, date and signer — the stored PDF is the document as issued.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.functional import Promise

from layanan.core.conf import document_place
from layanan.core.intake import store_attachments
from layanan.core.models.documents import IssuedDocument
from layanan.core.models.tickets import officer_name
from layanan.core.numbering import next_document_number
from layanan.core.printable import Document, Signature, format_long_date, render_pdf
from layanan.core.sanitize import CheckedUpload

__all__ = [
    "DocumentKind",
    "UnknownDocumentKind",
    "document_for",
    "find_kind",
    "get_kind",
    "issue",
    "kind_label",
    "register_kind",
    "signature",
]


class UnknownDocumentKind(KeyError):
    """No document kind with that code is registered."""


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document a step issues.

    ``code``: stored on the row and as the attachment's ``purpose`` (≤ 32 characters); ``label``: its name
    ("Written notice"); ``prefix``: of its numbers (≤ 12 characters, e.g. ``PPID-PT``); ``filename``: the PDF's
    name before the number (``pemberitahuan-tertulis`` → ``pemberitahuan-tertulis-0001-PPID-PT-2026.pdf``);
    ``build(ticket, record, request)``: the :class:`~layanan.core.printable.Document` of ``record`` (an
    :class:`IssuedDocument`, saved or not yet) on ``ticket``; ``request`` None when issued by a step (the
    default site's letterhead); ``legal_basis``: the rule that requires it (help text, the desk).
    """

    code: str
    label: str | Promise
    prefix: str
    filename: str
    build: Callable
    legal_basis: str = ""

    def __post_init__(self):
        if len(self.code) > 32 or len(self.prefix) > 12:
            raise ValueError(f"document kind {self.code!r}: code ≤ 32 and prefix ≤ 12 characters")


_KINDS: dict[str, DocumentKind] = {}


def register_kind(kind: DocumentKind) -> DocumentKind:
    """Register ``kind`` (again: replaced). Two kinds may not share a prefix (their numbers would collide)."""
    for other in _KINDS.values():
        if other.code != kind.code and other.prefix == kind.prefix:
            raise ValueError(f"document kinds {other.code!r} and {kind.code!r} share the prefix {kind.prefix!r}")
    _KINDS[kind.code] = kind
    return kind


def find_kind(code: str) -> DocumentKind | None:
    """The registered kind ``code``, or None."""
    return _KINDS.get(code)


def get_kind(code: str) -> DocumentKind:
    """The registered kind ``code``; :class:`UnknownDocumentKind` otherwise."""
    try:
        return _KINDS[code]
    except KeyError:
        raise UnknownDocumentKind(code) from None


def kind_label(code: str) -> str:
    """The label of kind ``code`` (the code itself for a kind no longer registered)."""
    kind = find_kind(code)
    return str(kind.label) if kind is not None else code


def _filename(kind: DocumentKind, number: str) -> str:
    return f"{kind.filename}-{re.sub(r'[^A-Za-z0-9]+', '-', number).strip('-')}.pdf"


def signature(record: IssuedDocument, role: str) -> Signature:
    """The signature block of ``record``: "<place>, <date of issue>" (``PESAN_DOCUMENT_PLACE``; the date alone
    when unset), the signer's office ``role`` and name (blank for a step taken by the system)."""
    place = document_place()
    when = format_long_date(record.issued_at)
    return Signature(place_date=f"{place}, {when}" if place else when, role=role, name=record.signer_name)


def issue(ticket, code: str, *, entry=None, user=None, now) -> IssuedDocument:
    """Issue a document of kind ``code`` on ``ticket`` for the step ``entry`` taken by ``user`` at ``now``.

    Runs inside the step's transaction (``Transition.documents``): allocates the number, builds the document
    in the default language, renders the PDF and stores it as an applicant-visible attachment of ``entry``
    (``purpose`` = the kind's code), and saves the :class:`IssuedDocument`. Returns the saved row.
    Raises :class:`UnknownDocumentKind`.
    """
    kind = get_kind(code)
    record = IssuedDocument(
        ticket=ticket,
        kind=kind.code,
        number=next_document_number(kind.prefix, now),
        issued_at=now,
        timeline_entry=entry,
        issued_by=user,
        signer_name=officer_name(user),
    )
    with translation.override(settings.LANGUAGE_CODE):
        content = render_pdf(kind.build(ticket, record, None))
    name = _filename(kind, record.number)
    upload = CheckedUpload(ContentFile(content, name=name), name, "application/pdf", "pdf", len(content), cleaned=True)
    [record.attachment] = store_attachments(
        ticket, [upload], uploaded_by=user, visible_to_applicant=True, entry=entry, purpose=kind.code
    )
    record.save()
    return record


def document_for(record: IssuedDocument, request=None) -> Document:
    """The document of ``record`` built again (default language; ``request``: its site's letterhead) — what the
    printable HTML page shows. :class:`UnknownDocumentKind` for a kind no longer registered."""
    kind = get_kind(record.kind)
    with translation.override(settings.LANGUAGE_CODE):
        return kind.build(record.ticket, record, request)
