"""Removing metadata from uploaded evidence before it is stored (WBS: a photo's GPS position, camera serial or
a document's author can name the whistleblower).

- JPEG and PNG: decoded with Pillow and **re-encoded from the pixels only** — EXIF (GPS, camera make/model,
  serial numbers, dates), XMP, IPTC, ICC profiles, PNG text chunks and comments are all dropped. The EXIF
  orientation is applied to the pixels first so the picture still stands upright. JPEG is re-encoded at
  quality ``PESAN_SANITIZE_JPEG_QUALITY`` (default 92). A picture whose pixels Pillow cannot decode (damaged,
  unusual encoding) is cleaned at the container level instead: for JPEG every APP1–APP15 segment (EXIF, XMP,
  ICC, IPTC/Photoshop) and comment is removed, for PNG every ancillary chunk except the ones describing how
  to display the pixels (``tRNS``, ``gAMA``, ``cHRM``, ``sRGB``, ``sBIT``, ``bKGD``, ``pHYs``); bytes after the
  end of the image are dropped. A picture whose structure cannot be parsed either is kept only when its bytes
  carry none of the known metadata markers; otherwise it is refused.
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


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: PNG chunks kept by the container-level cleaner (critical chunks + display-only ancillary ones, APNG frames).
_PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"bKGD", b"pHYs"}
_PNG_KEEP |= {b"acTL", b"fcTL", b"fdAT"}


def strip_png_chunks(data: bytes) -> bytes:
    """PNG without text/EXIF/time/ICC/unknown chunks and without trailing bytes; ``ValueError`` if malformed."""
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError("not a PNG")
    out, position = [_PNG_SIGNATURE], len(_PNG_SIGNATURE)
    while position + 8 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data):
            raise ValueError("truncated PNG chunk")
        if kind in _PNG_KEEP:
            out.append(data[position:end])
        position = end
        if kind == b"IEND":
            return b"".join(out)
    raise ValueError("PNG without IEND")


def strip_jpeg_segments(data: bytes) -> bytes:
    """JPEG without APP1–APP15 segments (EXIF, XMP, ICC, IPTC) and comments, nothing after the end marker;
    ``ValueError`` if malformed."""
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    out, position = [b"\xff\xd8"], 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            raise ValueError("bad JPEG marker")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xD9:
            out.append(b"\xff\xd9")
            return b"".join(out)
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        end = position + 2 + length
        if length < 2 or end > len(data):
            raise ValueError("truncated JPEG segment")
        if marker == 0xDA:  # start of scan: entropy-coded data up to the end-of-image marker
            eoi = data.find(b"\xff\xd9", end)
            if eoi < 0:
                raise ValueError("JPEG without end marker")
            out.append(data[position : eoi + 2])
            return b"".join(out)
        if not (0xE1 <= marker <= 0xEF or marker == 0xFE):
            out.append(data[position:end])
        position = end
    raise ValueError("JPEG without image data")


#: Byte patterns of image metadata looked for in a picture whose structure cannot be parsed at all.
_IMAGE_METADATA_MARKERS = (
    b"tEXt",
    b"zTXt",
    b"iTXt",
    b"eXIf",
    b"tIME",
    b"iCCP",
    b"Exif",
    b"xmpmeta",
    b"ns.adobe.com/xap",
    b"ICC_PROFILE",
    b"Photoshop 3.0",
    b"\xff\xfe",
)


def _strip_container(upload: CheckedUpload, data: bytes) -> bytes:
    try:
        if upload.content_type == "image/png":
            return strip_png_chunks(data)
        return strip_jpeg_segments(data)
    except ValueError as exc:
        if any(marker in data for marker in _IMAGE_METADATA_MARKERS):
            raise _refuse(upload, _("The picture “%(name)s” could not be read to remove its metadata.")) from exc
        return data  # damaged, but carries no metadata we know of: kept as it is


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
    except Image.DecompressionBombError as exc:
        raise _refuse(upload, _("The picture “%(name)s” is too large to process.")) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        logger.info("image could not be re-encoded (%s): cleaned at container level", exc.__class__.__name__)
        return _strip_container(upload, data)
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
    return CheckedUpload(
        ContentFile(cleaned, name=upload.name), upload.name, upload.content_type, upload.extension, len(cleaned)
    )


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
