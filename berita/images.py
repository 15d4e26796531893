"""Downloading feature images into Wagtail images, checked by content (not by name or Content-Type)."""

import hashlib
from io import BytesIO
from urllib.parse import urlsplit

import filetype
from django.core.files.base import ContentFile
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from berita import conf
from berita.importers.base import SourceError
from berita.importers.http import fetch

ALLOWED_MIME = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}


class ImageError(Exception):
    """The image could not be used; the message is user-facing. The article itself is unaffected."""


def import_collection() -> Collection:
    """The collection for imported images (``PESAN_NEWS_IMAGE_COLLECTION``, default "Berita impor")."""
    name = conf.image_collection_name()
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)


def check_image_bytes(content: bytes) -> tuple[str, int, int]:
    """Return ``(extension, width, height)`` for valid image bytes; raise ``ImageError`` otherwise.

    Checks: the magic bytes are JPEG/PNG/GIF/WebP (``filetype``), Pillow can verify the file, and it has at
    most ``PESAN_NEWS_MAX_IMAGE_PIXELS`` pixels.
    """
    kind = filetype.guess(content)
    if kind is None or kind.mime not in ALLOWED_MIME:
        raise ImageError(_("The file is not a supported image (JPEG, PNG, GIF or WebP)."))
    try:
        with PILImage.open(BytesIO(content)) as img:
            width, height = img.size
            img.verify()
    except Exception:  # Pillow raises many kinds for broken files
        raise ImageError(_("The image file is damaged."))
    if width * height > conf.max_image_pixels():
        raise ImageError(_("The image is too large (%(w)s×%(h)s pixels).") % {"w": width, "h": height})
    return ALLOWED_MIME[kind.mime], width, height


def download_image(url: str, session, *, title: str, timeout: float = 20):
    """Download ``url`` into a Wagtail image in the import collection and return it.

    The same bytes imported twice give the same image (matched by SHA-1 file hash). Raises ``ImageError``
    on a network/HTTP error, a body over ``PESAN_NEWS_MAX_IMAGE_BYTES``, or content that is not an image.
    """
    try:
        resp = fetch(session, url, timeout=timeout, max_bytes=conf.max_image_bytes(), accept="image/*")
    except SourceError as exc:
        raise ImageError(str(exc))
    content = resp.content
    ext, width, height = check_image_bytes(content)
    Image = get_image_model()
    file_hash = hashlib.sha1(content).hexdigest()  # noqa: S324 - Wagtail's own file_hash is SHA-1
    existing = Image.objects.filter(file_hash=file_hash).first()
    if existing:
        return existing
    stem = slugify(urlsplit(url).path.rsplit("/", 1)[-1].rsplit(".", 1)[0]) or "berita"
    image = Image(title=(title or stem)[:255], collection=import_collection())
    image.file.save(f"{stem[:80]}.{ext}", ContentFile(content), save=False)
    image.width, image.height = width, height
    image.file_size = len(content)
    image.file_hash = file_hash
    image.save()
    return image
