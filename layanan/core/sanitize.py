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

**Free text** (the second half of this module): :func:`normalise_text` is the one rule for every text a citizen
types, used by the API serializers (:class:`CleanTextField`) and, through them, by the site forms (which
validate with the serializers); plain Django forms use :class:`CleanCharField` or :func:`validate_clean_text`.
"""

from __future__ import annotations

import io
import logging
import unicodedata
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

logger = logging.getLogger(__name__)

__all__ = [
    "FORBIDDEN_FORMAT_CHARACTERS",
    "LONG_TEXT_MAX",
    "METADATA_NOTICE",
    "SHORT_TEXT_MAX",
    "CleanCharField",
    "CleanTextField",
    "image_max_pixels",
    "normalise_text",
    "reencode_image",
    "sanitize_upload",
    "sanitize_uploads",
    "validate_clean_text",
]


#: What the reporter is told about their files (API answer, form, status page).
@dataclass(frozen=True)
class CheckedUpload:
    """An upload that passed :func:`validate_upload`: the file, its sniffed MIME type and extension, size."""

    file: File
    name: str
    content_type: str
    extension: str
    size: int
    #: True once the content was rewritten without metadata (images re-encoded, or ``layanan.core.sanitize``).
    cleaned: bool = False


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


def image_max_pixels() -> int:
    """Largest picture accepted, in pixels (width × height; ``PESAN_IMAGE_MAX_PIXELS``, default 50 million).

    Checked from the header before decoding: a small file can declare a huge picture ("decompression bomb")."""
    return int(getattr(settings, "PESAN_IMAGE_MAX_PIXELS", 50_000_000))


def _clean_image(upload: CheckedUpload, data: bytes) -> bytes:
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as source:
            width, height = source.size
            if width * height > image_max_pixels():
                raise Image.DecompressionBombError(f"{width}x{height}")
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
        if upload.cleaned:  # already re-encoded by intake.validate_upload
            return upload
        cleaned = _clean_image(upload, data)
    elif upload.content_type == "application/pdf":
        cleaned = _clean_pdf(upload, data)
    else:
        raise _refuse(upload, _("The file “%(name)s” is of a type whose metadata cannot be removed."))
    return CheckedUpload(
        ContentFile(cleaned, name=upload.name), upload.name, upload.content_type, upload.extension, len(cleaned), True
    )


def reencode_image(upload: CheckedUpload) -> CheckedUpload:
    """A JPEG/PNG ``upload`` re-encoded from its pixels (EXIF/GPS, XMP, ICC, text chunks and trailing bytes
    dropped; orientation applied), as every applicant and operator picture is before storage
    (``intake.validate_upload``). ``ValidationError`` when the picture is larger than :func:`image_max_pixels`
    or cannot be cleaned (see :func:`sanitize_upload`)."""
    return sanitize_upload(upload)


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


# --- free text ----------------------------------------------------------------------------------------------
#: Default limits (characters, after normalisation) of free text: one-line fields and long descriptions.
SHORT_TEXT_MAX = 255
LONG_TEXT_MAX = 10_000

#: Bidirectional embedding/override/isolate controls (U+202A–U+202E, U+2066–U+2069): they can make a text
#: display differently from what it says ("Trojan Source"), e.g. in an officer's list. Refused. The plain
#: direction MARKS (U+200E, U+200F, U+061C) are kept: Arabic-script names legitimately need them.
FORBIDDEN_FORMAT_CHARACTERS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
_ALLOWED_CONTROLS = frozenset("\t\n\r")

CONTROL_MESSAGE = _(
    "The text contains an invisible control character (%(code)s) at position %(position)s. Remove it, or type "
    "the text again instead of pasting it."
)


def normalise_text(value: str, *, form: str = "NFC") -> str:
    """The text as stored: Unicode normalisation form ``form`` (default NFC), checked for forbidden characters.

    - **NFC, not NFKC**, for free text: NFC only merges canonically equivalent spellings (``e`` + combining
      acute and ``é`` become one), so searching and comparing work, and nothing visible changes. NFKC also
      folds *compatibility* characters (``m²`` -> ``m2``, ``½`` -> ``1⁄2``, full-width letters, ligatures),
      which alters what a citizen wrote in an address or a description. Identifiers (tracking numbers, codes)
      may use ``form="NFKC"``, where full-width digits should become ASCII ones.
    - Refused (``ValidationError``, code ``control_character``, naming the character and its 1-based position):
      control characters (Unicode category Cc: NUL, C0, DEL, C1) except tab, line feed and carriage return;
      and the bidirectional override/isolate characters of :data:`FORBIDDEN_FORMAT_CHARACTERS`.
    - Not changed otherwise: no trimming (the field does that), no HTML escaping (output is escaped where it
      is rendered; rich text is never accepted from the public).
    """
    if not isinstance(value, str):
        return value
    value = unicodedata.normalize(form, value)
    for position, char in enumerate(value, start=1):
        if char in FORBIDDEN_FORMAT_CHARACTERS or (
            char not in _ALLOWED_CONTROLS and unicodedata.category(char) == "Cc"
        ):
            raise ValidationError(
                CONTROL_MESSAGE, code="control_character", params={"code": f"U+{ord(char):04X}", "position": position}
            )
    return value


def validate_clean_text(value) -> None:
    """Django validator form of :func:`normalise_text` (checks only; use it where the value is not rewritten)."""
    normalise_text(value)


def _visible_or_blank(value: str) -> str:
    # A text of only spaces, zero-width characters, direction marks or BOM counts as blank ("required" holds).
    return value if any(unicodedata.category(c)[0] not in "CZ" for c in value) else ""


class CleanTextField(serializers.CharField):
    """DRF field for citizen free text: :func:`normalise_text` (NFC, control/bidi characters refused with a
    400 field message), a text of only invisible characters counts as blank, and a ``max_length`` always
    (default :data:`LONG_TEXT_MAX` characters, counted after normalisation). ``normal_form="NFKC"`` for
    identifiers."""

    def __init__(self, *, normal_form: str = "NFC", **kwargs):
        kwargs.setdefault("max_length", LONG_TEXT_MAX)
        self.normal_form = normal_form
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        if isinstance(data, str):
            try:
                data = _visible_or_blank(normalise_text(data, form=self.normal_form))
            except ValidationError as exc:
                raise serializers.ValidationError(exc.messages, code="control_character") from exc
        return super().run_validation(data)


class CleanCharField(forms.CharField):
    """Django form field with the rules of :class:`CleanTextField` (for forms that do not validate through a
    serializer). ``max_length`` defaults to :data:`LONG_TEXT_MAX`."""

    def __init__(self, *, normal_form: str = "NFC", **kwargs):
        kwargs.setdefault("max_length", LONG_TEXT_MAX)
        self.normal_form = normal_form
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return _visible_or_blank(normalise_text(value, form=self.normal_form)) if value else value
