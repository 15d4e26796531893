"""Removing metadata from uploaded evidence before it is stored (WBS: a photo's GPS position, camera serial or
a document's author can name the whistleblower).

- JPEG and PNG: decoded with Pillow and **re-encoded from the pixels only** — EXIF (GPS, camera make/model,
  serial numbers, dates), XMP, IPTC, ICC profiles, PNG text chunks and comments are all dropped. The EXIF
  orientation is applied to the pixels first so the picture still stands upright. JPEG is re-encoded at
  quality ``PESAN_SANITIZE_JPEG_QUALITY`` (default 92).
- PDF: rewritten with pypdf page by page into a new document without the document information dictionary
  (author, creator, producer, title, dates) and without XMP metadata (catalog and pages); attachments,
  JavaScript and form actions of the original catalog are not carried over. Text inside the pages (e.g. a
  name in a letterhead) is content, not metadata: it is NOT removed, and the reporter is told so.
  A PDF pypdf cannot read is kept only when its raw bytes carry none of the known metadata keys and no
  compressed object streams (where metadata could hide); otherwise it is refused with a clear message.
  Encrypted PDFs are refused (they cannot be inspected).

:func:`sanitize_upload` returns a new ``CheckedUpload`` (same name, type and extension; new size) or raises
``ValidationError`` naming the file. Nothing here writes to disk.
"""

from __future__ import annotations

import io
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from .intake import CheckedUpload

logger = logging.getLogger(__name__)

__all__ = ["METADATA_NOTICE", "sanitize_upload", "sanitize_uploads"]

#: What the reporter is told about their files (API answer, form, status page).
METADATA_NOTICE = _(
    "Metadata has been removed from your files before storage: EXIF data of photos (location, camera, time) "
    "and the author and other properties of PDF documents. Text and pictures INSIDE a file are kept as they "
    "are: check them for anything that could identify you."
)

#: Byte patterns of PDF metadata (document info keys, XMP) looked for in a PDF pypdf cannot read.
_PDF_METADATA_MARKERS = (
    b"/Author",
    b"/Creator",
    b"/Producer",
    b"/Title",
    b"/Subject",
    b"/Keywords",
    b"/CreationDate",
    b"/ModDate",
    b"/Metadata",
    b"xmpmeta",
    b"/ObjStm",
    b"/Encrypt",
)


def _read(upload: CheckedUpload) -> bytes:
    upload.file.seek(0)
    data = upload.file.read()
    upload.file.seek(0)
    return data


def _refuse(upload: CheckedUpload, message) -> ValidationError:
    return ValidationError(message, code="file_metadata", params={"name": upload.name})


def _clean_image(upload: CheckedUpload, data: bytes) -> bytes:
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as source:
            source.load()
            image = ImageOps.exif_transpose(source) or source
            if upload.content_type == "image/jpeg":
                if image.mode not in ("L", "RGB", "CMYK"):
                    image = image.convert("RGB")
            elif image.mode not in ("1", "L", "LA", "I", "I;16", "RGB", "RGBA"):
                image = image.convert("RGBA")
            # A brand-new image from the pixel bytes: no info, no EXIF, no ICC, no text chunks.
            clean = Image.frombytes(image.mode, image.size, image.tobytes())
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        logger.info("image could not be re-encoded: %s", exc.__class__.__name__)
        raise _refuse(upload, _("The picture “%(name)s” could not be read to remove its metadata.")) from exc
    out = io.BytesIO()
    if upload.content_type == "image/jpeg":
        quality = int(getattr(settings, "PESAN_SANITIZE_JPEG_QUALITY", 92))
        clean.save(out, format="JPEG", quality=quality, optimize=True)
    else:
        clean.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _clean_pdf(upload: CheckedUpload, data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError
    from pypdf.generic import NameObject

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise _refuse(
                upload, _("The PDF “%(name)s” is encrypted or password-protected; send it without protection.")
            )
        writer = PdfWriter()
        for page in reader.pages:
            for key in ("/Metadata", "/PieceInfo"):
                if key in page:
                    del page[NameObject(key)]
            writer.add_page(page)
        writer.metadata = None
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except ValidationError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        logger.info("pdf could not be rewritten: %s", exc.__class__.__name__)
        if any(marker in data for marker in _PDF_METADATA_MARKERS):
            raise _refuse(
                upload,
                _(
                    "The PDF “%(name)s” could not be read to remove its metadata (author, creator). Save it again "
                    "as PDF, or send photos of the pages instead."
                ),
            ) from exc
        return data  # unreadable but carries no metadata we know of: kept as it is


def sanitize_upload(upload: CheckedUpload) -> CheckedUpload:
    """``upload`` with its metadata removed (see the module docstring); ``ValidationError`` when that is not
    possible. Types other than JPEG, PNG and PDF are refused: nothing else is cleaned, so nothing else is taken.
    """
    data = _read(upload)
    if upload.content_type in ("image/jpeg", "image/png"):
        cleaned = _clean_image(upload, data)
    elif upload.content_type == "application/pdf":
        cleaned = _clean_pdf(upload, data)
    else:
        raise _refuse(upload, _("The file “%(name)s” is of a type whose metadata cannot be removed."))
    return CheckedUpload(ContentFile(cleaned, name=upload.name), upload.name, upload.content_type, upload.extension, len(cleaned))


def sanitize_uploads(uploads) -> list[CheckedUpload]:
    """:func:`sanitize_upload` for each upload; all messages are collected into one ``ValidationError``."""
    cleaned, errors = [], []
    for upload in uploads:
        try:
            cleaned.append(sanitize_upload(upload))
        except ValidationError as exc:
            errors.extend(exc.error_list)
    if errors:
        raise ValidationError(errors)
    return cleaned
