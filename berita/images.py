"""Downloading an article's images into Wagtail images, checked by content (not by name or Content-Type).

The import task downloads them (``fetch_candidate_images``), so approving an article — one or a hundred —
makes no request. Every URL comes from the source's content, so every download goes through
``berita.importers.http.public_only`` (no private or local addresses) and the size and pixel limits.
"""

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
from berita.body import body_images
from berita.importers.base import SourceError
from berita.importers.http import fetch, public_only

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


def download_image(url: str, session, *, title: str, timeout: float = 20, trusted_hosts=()):
    """Download ``url`` into a Wagtail image in the import collection and return it.

    The same bytes imported twice give the same image (matched by SHA-1 file hash). Raises ``ImageError``
    on a network/HTTP error, a body over ``PESAN_NEWS_MAX_IMAGE_BYTES``, content that is not an image, or a URL
    (or redirect) to a private or local address outside ``trusted_hosts`` (``public_only``).
    """
    try:
        resp = fetch(
            session,
            url,
            timeout=timeout,
            max_bytes=conf.max_image_bytes(),
            accept="image/*",
            check_url=public_only(trusted_hosts),
        )
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


def images_missing(candidate) -> bool:
    """True when an image of ``candidate`` was never tried (a candidate imported before images were fetched
    at import time); ``approve`` then fetches them itself."""
    if candidate.image_url and candidate.image_id is None and not candidate.image_error:
        return True
    tried = {entry.get("src") for entry in candidate.body_images or []}
    return any(found["src"] not in tried for found in body_images(candidate.body_html))


def fetch_candidate_images(candidate, session, *, retry: bool = False) -> None:
    """Download the feature image and the body's images of ``candidate`` (an ``ImportedArticle``), once.

    Feature image → ``candidate.image`` (or ``image_error``). Body images (``berita.cleaning.body_images``) →
    ``candidate.body_images``, ``[{"src", "alt", "image": <pk> | None, "error": ""}]`` in body order. An image
    kept or refused before (same ``src``) is not fetched again unless ``retry``; one left in a list item or
    table cell is recorded as not kept, without a download. Saves those three fields; an image problem never
    raises (the article is unaffected).
    """
    source = candidate.source
    timeout = float(source.timeout if source else conf.default_timeout())
    trusted = source.trusted_hosts if source else []

    def download(url: str, title: str):
        return download_image(url, session, title=title, timeout=timeout, trusted_hosts=trusted)

    if candidate.image_url and candidate.image_id is None and (retry or not candidate.image_error):
        try:
            candidate.image = download(candidate.image_url, candidate.title)
            candidate.image_error = ""
        except ImageError as exc:
            candidate.image_error = str(exc)
    known = {e["src"]: e for e in candidate.body_images or [] if e.get("image") or (e.get("error") and not retry)}
    entries = []
    for found in body_images(candidate.body_html):
        entry = known.get(found["src"])
        if entry is None:
            entry = {"src": found["src"], "alt": found["alt"], "image": None, "error": ""}
            if not found["placeable"]:
                entry["error"] = _("An image inside a list or a table is not kept.")
            else:
                try:
                    entry["image"] = download(found["src"], found["alt"] or candidate.title).pk
                except ImageError as exc:
                    entry["error"] = str(exc)
            known[found["src"]] = entry
        entries.append({**entry, "alt": found["alt"]})
    candidate.body_images = entries
    candidate.save(update_fields=["image", "image_error", "body_images"])
