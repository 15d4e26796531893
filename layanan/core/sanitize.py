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
- PDF (WBS evidence): rewritten with pypdf page by page into a new document: no document information
  dictionary (author, creator, producer, title, dates), no XMP (catalog, pages, images), annotations without
  their author, dates and actions (their text is kept), every embedded image re-encoded from its pixels (the
  EXIF/GPS of a photo pasted into the document goes), objects nothing refers to any more dropped; the result
  is parsed again and refused if any of that is still found (:func:`pdf_metadata_left`). Attachments,
  JavaScript and form actions of the original catalog are not carried over; a PDF with active content is
  refused anyway (:func:`pdf_active_content`, names read as a PDF reader reads them). Text inside the pages
  (e.g. a name in a letterhead) is content, not metadata: it is NOT removed, and the reporter is told so.
  *Why not rasterise the pages* (as some whistleblowing platforms do): it needs a PDF renderer (poppler,
  MuPDF) beside Python, makes the evidence unsearchable and its text uncopyable for the Inspektorat, and
  would still need this check for what a renderer keeps; object-level cleaning plus the re-check removes the
  same metadata. A PDF pypdf cannot read, or an encrypted one, cannot be cleaned and is refused.

:func:`sanitize_upload` returns a new ``CheckedUpload`` (same name, type and extension; new size) or raises
``ValidationError`` naming the file. Nothing here writes to disk.

**Free text** (the second half of this module): :func:`normalise_text` is the one rule for every text a citizen
types, used by the API serializers (:class:`CleanTextField`) and, through them, by the site forms (which
validate with the serializers); plain Django forms use :class:`CleanCharField` or :func:`validate_clean_text`.
"""

from __future__ import annotations

import io
import logging
import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject
from rest_framework import serializers

from pesan_cms.patterns import char_class

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

ACTIVE_PDF_MESSAGE = _(
    "The PDF “%(name)s” contains scripts, embedded files or interactive forms, which are not accepted. Print it "
    "to a new PDF (or scan it) and send that instead."
)
UNREADABLE_PDF_MESSAGE = _(
    "The PDF “%(name)s” could not be read to check it and remove its metadata (author, creator). Save it again "
    "as PDF, or send photos of the pages instead."
)
ENCRYPTED_PDF_MESSAGE = _("The PDF “%(name)s” is encrypted or password-protected; send it without protection.")


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


def _strip_container(upload: CheckedUpload, data: bytes) -> bytes:
    try:
        if upload.content_type == "image/png":
            return strip_png_chunks(data)
        return strip_jpeg_segments(data)
    except ValueError as exc:  # neither decodable nor parseable: it cannot be cleaned, so it is not taken
        raise _refuse(upload, _("The picture “%(name)s” could not be read to remove its metadata.")) from exc


def image_max_pixels() -> int:
    """Largest picture accepted, in pixels (width × height; ``PESAN_IMAGE_MAX_PIXELS``, default 40 million:
    a 12–24 MP phone photo passes, a 7000 × 7000 one does not).

    Checked from the header before decoding: a small file can declare a huge picture ("decompression bomb")."""
    return int(getattr(settings, "PESAN_IMAGE_MAX_PIXELS", 40_000_000))


def image_max_decoded_bytes() -> int:
    """Largest picture accepted, in bytes once decoded (width × height × bytes per pixel of its mode;
    ``PESAN_IMAGE_MAX_DECODED_BYTES``, default 128 MiB). Checked from the header before decoding, with
    :func:`image_max_pixels`: together they bound the memory one upload can take (issue 15: a 208 KB PNG of
    7000 × 7000 took about 1 GB)."""
    return int(getattr(settings, "PESAN_IMAGE_MAX_DECODED_BYTES", 128 * 1024 * 1024))


#: Bytes per pixel of the modes a JPEG or PNG decodes to (others count 4).
_MODE_BYTES = {"1": 1, "L": 1, "P": 1, "LA": 2, "I;16": 2, "RGB": 3, "YCbCr": 3, "RGBA": 4, "CMYK": 4, "I": 4}


def _clean_image(upload: CheckedUpload, data: bytes) -> bytes:
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as source:
            width, height = source.size
            decoded = width * height * _MODE_BYTES.get(source.mode, 4)
            if width * height > image_max_pixels() or decoded > image_max_decoded_bytes():
                raise Image.DecompressionBombError(f"{width}x{height} {source.mode}")
            source.load()
            ImageOps.exif_transpose(source, in_place=True)  # turned upright in place: no second copy kept
            image = source
            if upload.content_type == "image/jpeg":
                if image.mode not in ("L", "RGB", "CMYK"):
                    image = image.convert("RGB")
            elif image.mode not in ("1", "L", "LA", "I", "I;16", "RGB", "RGBA"):
                image = image.convert("RGBA")
            # Saved from the pixels with no metadata: the info dict (EXIF, ICC, text chunks, XMP) is emptied and
            # the encoders write only what ``save`` is given — no second full copy of the pixels.
            image.info = {}
            clean = image
            out = io.BytesIO()
            if upload.content_type == "image/jpeg":
                quality = int(getattr(settings, "PESAN_SANITIZE_JPEG_QUALITY", 92))
                clean.save(out, format="JPEG", quality=quality, optimize=True)
            else:
                clean.save(out, format="PNG", optimize=True)
    except Image.DecompressionBombError as exc:
        raise _refuse(upload, _("The picture “%(name)s” is too large to process.")) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        logger.info("image could not be re-encoded (%s): cleaned at container level", exc.__class__.__name__)
        return _strip_container(upload, data)
    return out.getvalue()


# --- PDF -------------------------------------------------------------------------------------------------
#: Dictionary keys of active PDF content: scripts, embedded files, rich media, XFA forms (ISO 32000-1 §12.6,
#: §7.11.4, §13.7). Compared with names as a PDF reader decodes them (``/J#61vaScript`` is ``/JavaScript``).
PDF_ACTIVE_KEYS = frozenset({"/JavaScript", "/JS", "/EmbeddedFiles", "/EmbeddedFile", "/EF", "/RichMedia", "/XFA"})
#: Action types (``/S``) that run something, open another file or reach the network when the PDF is opened
#: (§12.6.4; ``/GoToR`` to a network share leaks the reader's Windows credentials). Kept: ``/GoTo`` (inside the
#: document) and ``/URI`` links to http, https or mailto (:data:`PDF_SAFE_URI_SCHEMES`).
PDF_ACTIVE_ACTIONS = frozenset(
    {
        "/JavaScript",
        "/Launch",
        "/SubmitForm",
        "/ImportData",
        "/GoToE",
        "/GoToR",
        "/Thread",
        "/Rendition",
        "/RichMediaExecute",
        "/Sound",
        "/Movie",
    }
)
PDF_SAFE_URI_SCHEMES = ("http:", "https:", "mailto:")
#: Keys that name or date a document's author, wherever they appear (info dictionaries reached through
#: article threads, pages, …): removed from WBS evidence and refused if still present after cleaning.
#: Page keys a WBS evidence PDF loses: metadata, private data, additional actions, article beads (their thread
#: carries an info dictionary), the last-modified date.
PAGE_KEYS_DROPPED = ("/Metadata", "/PieceInfo", "/AA", "/B", "/LastModified")
PDF_PERSONAL_KEYS = ("/Author", "/Creator", "/Producer", "/CreationDate", "/ModDate", "/LastModified")
#: Keys of an annotation that name or date its author (§12.5.2, §12.5.6.2): removed from WBS evidence.
PDF_ANNOTATION_PERSONAL_KEYS = ("/T", "/M", "/CreationDate", "/NM", "/AA")
#: Most objects a PDF may hold for the checks below (a larger file is refused, not walked for minutes).
PDF_MAX_OBJECTS = 200_000
_PDF_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_ACTIVE_BYTES = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)(?![A-Za-z0-9])")


def _pdf_objects(reader, root=None):
    """Every dictionary (streams included) reachable from the trailer of ``reader`` (or from ``root``), each
    once."""
    seen: set = set()
    stack = [reader.trailer if root is None else root]
    count = 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        count += 1
        if count > PDF_MAX_OBJECTS:
            raise ValueError("too many PDF objects")
        if isinstance(obj, DictionaryObject):
            yield obj
            stack.extend(dict.values(obj))  # raw values: indirect references are followed above, once
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)


def _safe_uri(value) -> bool:
    """A link target readers may follow: http, https or mailto (not ``javascript:``, ``file:``, ``smb:``)."""
    text = value.decode("latin-1") if isinstance(value, bytes) else str(value or "")
    return text.strip().lower().startswith(PDF_SAFE_URI_SCHEMES)


def _resolved(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def pdf_active_content(data: bytes) -> str | None:
    """The first piece of active content found in the PDF ``data`` (``"/JavaScript"``, ``"/Launch"``, …), or
    None. Names are compared as a reader decodes them: the raw bytes with ``#xx`` escapes decoded, and every
    object reachable from the trailer as pypdf parses it (objects inside compressed object streams
    included). Raises ``ValueError`` when pypdf cannot read the file (a file that cannot be checked is refused
    by the caller), or ``PdfEncrypted`` when it is encrypted."""
    found = _PDF_ACTIVE_BYTES.search(_PDF_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data))
    if found:
        return found.group(0).decode("latin-1")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise PdfEncrypted
        if len(reader.pages) < 1:
            raise ValueError("no page")
        for obj in _pdf_objects(reader):
            for key in obj:
                if key in PDF_ACTIVE_KEYS:
                    return str(key)
            action = _resolved(dict.get(obj, "/S"))
            if isinstance(action, NameObject) and action in PDF_ACTIVE_ACTIONS:
                return str(action)
            if action == "/URI" and not _safe_uri(_resolved(dict.get(obj, "/URI"))):
                return "/URI"
    except PdfEncrypted:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure of the parser means the file cannot be checked
        raise ValueError(f"unreadable PDF: {exc.__class__.__name__}") from exc
    return None


class PdfEncrypted(ValueError):
    """The PDF is encrypted: its content cannot be inspected."""


def _strip_images(page, upload) -> None:
    """Re-encode every image of ``page`` (a page of a ``PdfWriter``) from its pixels: EXIF/GPS of an embedded
    JPEG, the image's own XMP (``/Metadata``) and any other key of its dictionary are gone (pypdf's documented
    ``ImageFile.replace``, which builds a new image object through Pillow)."""
    for image in page.images:
        if image.indirect_reference is None:  # an inline image: part of the content stream, no metadata keys
            continue
        meta = image.indirect_reference.get_object()
        width, height = int(meta.get("/Width", 0)), int(meta.get("/Height", 0))
        if width * height > image_max_pixels():
            raise _refuse(upload, _("The PDF “%(name)s” contains a picture too large to process."))
        picture = image.image
        picture.info = {}
        if picture.mode not in ("1", "L", "RGB", "CMYK"):
            picture = picture.convert("RGB")
        image.replace(picture, quality=int(getattr(settings, "PESAN_SANITIZE_JPEG_QUALITY", 92)))


def _strip_page(page) -> None:
    """Drop the page's own metadata and additional actions, and the author, dates and actions of its
    annotations (comments keep their text; links keep their destination)."""
    for key in PAGE_KEYS_DROPPED:
        if key in page:
            del page[NameObject(key)]
    for annotation in _resolved(page.get("/Annots")) or []:
        annotation = _resolved(annotation)
        for key in PDF_ANNOTATION_PERSONAL_KEYS:
            if key in annotation:
                del annotation[NameObject(key)]
        action = _resolved(annotation.get("/A"))
        if isinstance(action, DictionaryObject) and _resolved(action.get("/S")) in PDF_ACTIVE_ACTIONS:
            del annotation[NameObject("/A")]


def pdf_metadata_left(data: bytes) -> list[str]:
    """What identifying metadata the PDF ``data`` still holds (empty when none): the document information
    dictionary, any XMP stream, annotation authors or dates, EXIF/XMP segments in embedded JPEG images.
    Used to re-check every cleaned WBS PDF before it is stored."""
    reader = PdfReader(io.BytesIO(data))
    left = [f"bytes {marker!r}" for marker in (b"xmpmeta", b"ns.adobe.com/xap", b"Exif\x00") if marker in data]
    info = _resolved(reader.trailer.get("/Info"))
    if info:
        left.append("document information: " + ", ".join(sorted(str(k) for k in info)))
    # Every object the file holds, reachable or not (a reader may still parse an orphan).
    every = [reader.get_object(number) for number in range(1, int(reader.trailer.get("/Size", 0)))]
    for obj in _pdf_objects(reader, ArrayObject(o for o in every if o is not None)):
        if "/Metadata" in obj or _resolved(dict.get(obj, "/Type")) == "/Metadata":
            left.append("XMP metadata")
        left.extend(f"key {key}" for key in PDF_PERSONAL_KEYS if key in obj)
        if _resolved(dict.get(obj, "/Subtype")) in ("/Text", "/FreeText", "/Highlight", "/Popup") or "/Rect" in obj:
            left.extend(f"annotation {key}" for key in PDF_ANNOTATION_PERSONAL_KEYS if key in obj)
        if isinstance(obj, StreamObject) and _resolved(dict.get(obj, "/Subtype")) == "/Image":
            raw = obj.get_data() if "/DCTDecode" in str(obj.get("/Filter", "")) else b""  # DCT: the JPEG bytes
            if any(marker in raw for marker in (b"Exif\x00", b"ns.adobe.com/xap", b"Photoshop 3.0")):
                left.append("EXIF/XMP in an embedded JPEG")
    return left


def _clean_pdf(upload: CheckedUpload, data: bytes) -> bytes:
    """The WBS evidence PDF rewritten without metadata (see the module docstring), re-checked with
    :func:`pdf_metadata_left`; refused when it cannot be read, is encrypted, carries active content or still
    shows metadata after cleaning."""
    try:
        if pdf_active_content(data):
            raise _refuse(upload, ACTIVE_PDF_MESSAGE)
        reader = PdfReader(io.BytesIO(data))
        writer = PdfWriter()
        for page in reader.pages:
            for key in PAGE_KEYS_DROPPED:  # before copying: what they point to is then never copied
                if key in page:
                    del page[NameObject(key)]
            writer.add_page(page)
        for page in writer.pages:
            _strip_page(page)
            _strip_images(page, upload)
        writer.metadata = None
        for obj in _pdf_objects(None, writer.root_object):  # an info dictionary reached any other way
            for key in PDF_PERSONAL_KEYS:
                if key in obj:
                    del obj[NameObject(key)]
        # Objects no page refers to any more (the images' old XMP streams, replaced images) are not written.
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        out = io.BytesIO()
        writer.write(out)
        cleaned = out.getvalue()
        left = pdf_metadata_left(cleaned)
    except ValidationError:
        raise
    except PdfEncrypted as exc:
        raise _refuse(upload, ENCRYPTED_PDF_MESSAGE) from exc
    except Exception as exc:  # noqa: BLE001 - pypdf, Pillow or a missing decoder (JBIG2): not cleanable, refused
        logger.info("pdf could not be rewritten: %s", exc.__class__.__name__)
        raise _refuse(upload, UNREADABLE_PDF_MESSAGE) from exc
    if left:
        logger.warning("pdf still carries metadata after cleaning: %s", left)
        raise _refuse(upload, UNREADABLE_PDF_MESSAGE)
    return cleaned


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


#: Unicode categories that count as blank in free text: separators (spaces, line and paragraph separators),
#: controls and format characters (zero-width space and joiners, direction marks, BOM). A text of only these
#: is blank, so "required" holds. Anything else is visible — unassigned and private-use code points included:
#: the rule is about texts that look empty, and it must be one the API schema can state (a pattern built from
#: this set, see :func:`text_pattern`).
BLANK_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


def has_visible_text(value) -> bool:
    """True when ``value`` is a string with at least one character outside :data:`BLANK_CATEGORIES`."""
    return isinstance(value, str) and any(unicodedata.category(c) not in BLANK_CATEGORIES for c in value)


def _visible_or_blank(value: str) -> str:
    # A text of only spaces, zero-width characters, direction marks or BOM counts as blank ("required" holds).
    return value if has_visible_text(value) else ""


@lru_cache(maxsize=2)
def text_pattern(*, allow_blank: bool) -> str:
    """The JSON Schema ``pattern`` of a :class:`CleanTextField`: no refused character (controls other than
    tab, line feed and carriage return; the bidi overrides of :data:`FORBIDDEN_FORMAT_CHARACTERS`) and, unless
    ``allow_blank``, at least one visible character (outside :data:`BLANK_CATEGORIES`). Built from the
    validation's own tables, for the Unicode version of this Python. (The groups are deliberate: a generator
    that folds ``maxLength`` into a bare ``[…]*`` makes a Unicode class repeated 10,000 times, too big a
    regular expression for some validators.)"""
    refused = [chr(c) for c in range(0x20) if chr(c) not in _ALLOWED_CONTROLS]
    refused += [chr(c) for c in range(0x7F, 0xA0)] + sorted(FORBIDDEN_FORMAT_CHARACTERS)
    allowed = f"[^{char_class(refused)}]"
    if allow_blank:
        return f"^(|{allowed}+)$"
    blank = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) in BLANK_CATEGORIES]
    return f"^({allowed}*[^{char_class(blank)}]{allowed}*)$"


class CleanTextField(serializers.CharField):
    """DRF field for citizen free text: :func:`normalise_text` (NFC, control/bidi characters refused with a
    400 field message), a text of only invisible characters counts as blank, and a ``max_length`` always
    (default :data:`LONG_TEXT_MAX` characters, counted after normalisation). ``normal_form="NFKC"`` for
    identifiers."""

    def __init__(self, *, normal_form: str = "NFC", **kwargs):
        kwargs.setdefault("max_length", LONG_TEXT_MAX)
        self.normal_form = normal_form
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):  # {"name": 0} is not a text (DRF's CharField would read "0")
            self.fail("invalid")
        return super().to_internal_value(data)

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
