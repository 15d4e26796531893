"""Client-chosen image renditions on ``/api/v2/images/`` (issue 19: images for real layouts).

A client asks for a rendition with ``?rendition=<size>[|format-<format>]`` on the images listing or detail:

- ``<size>``: ``width-<w>`` (resized to that width, never enlarged) for a width of the allow-list, or
  ``fill-<w>x<h>`` (cropped to that size around the image's focal point — Wagtail's ``fill`` — never enlarged)
  for a size of the allow-list;
- ``format-<format>``: ``webp``, ``avif``, ``jpeg`` or ``png`` as the allow-list and the installed Pillow permit
  (``avif``/``webp`` only where ``PIL.features`` reports them); without it the original's format.

The allow-list is the ``PESAN_IMAGE_RENDITIONS`` setting (``widths``, ``fills``, ``formats``). Each item then
carries ``rendition``::

    {"spec": "width-800|format-webp", "url": "/media/images/….webp", "full_url": "http://…/media/images/….webp",
     "width": 800, "height": 450, "format": "webp",
     "srcset": [{"url", "full_url", "width", "height"}, …],  # ascending width, same format (and ratio for fill)
     "srcset_attr": "http://…-320.webp 320w, http://…-480.webp 480w, …"}

``srcset`` holds the allow-listed widths (``width-``) or the allow-listed fill sizes of the same aspect ratio
(``fill-``) that the original can give without enlarging, the requested one included. Anything outside the
allow-list is a 400 ``{"message": …, "rendition": [message]}`` in the request's language. Listings load the
existing renditions of the page of images in one query (:func:`prefetch_renditions`), so their query count does
not grow with ``limit`` once the renditions exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from PIL import features
from rest_framework import serializers, status
from rest_framework.response import Response
from wagtail.images import get_image_model

from pesan_cms.patterns import alternation

__all__ = [
    "RenditionRequest",
    "RenditionRequestError",
    "RenditionsMixin",
    "allowed_formats",
    "parse_rendition",
    "rendition_parameter",
    "rendition_payload",
]

#: Formats Pillow must be able to write for them to be offered (``PIL.features`` name per format).
_PILLOW_FEATURE = {"webp": "webp", "avif": "avif"}
_SIZE = re.compile(r"(?:width-(?P<width>[0-9]{1,5})|fill-(?P<fill_w>[0-9]{1,5})x(?P<fill_h>[0-9]{1,5}))")


def _allow_list() -> dict:
    return getattr(settings, "PESAN_IMAGE_RENDITIONS", {})


def allowed_widths() -> list[int]:
    return sorted(int(width) for width in _allow_list().get("widths", ()))


def allowed_fills() -> list[tuple[int, int]]:
    return sorted(tuple(int(n) for n in size.split("x")) for size in _allow_list().get("fills", ()))


def allowed_formats() -> list[str]:
    """The allow-listed formats this Pillow can write (``avif`` and ``webp`` are optional Pillow features)."""
    return [
        name
        for name in _allow_list().get("formats", ())
        if name not in _PILLOW_FEATURE or features.check(_PILLOW_FEATURE[name])
    ]


class RenditionRequestError(Exception):
    """A ``?rendition=`` outside the allow-list; ``str()`` is the message in the active language."""


@dataclass(frozen=True)
class RenditionRequest:
    """A parsed, allowed ``?rendition=``: ``width`` (``width-``) or ``fill`` (``(w, h)``), and ``format``."""

    width: int | None = None
    fill: tuple[int, int] | None = None
    format: str | None = None

    def _spec(self, width: int | None = None, fill: tuple[int, int] | None = None) -> str:
        size = f"width-{width}" if width is not None else "fill-{}x{}".format(*fill)
        return f"{size}|format-{self.format}" if self.format else size

    @property
    def spec(self) -> str:
        """The Wagtail filter spec, e.g. ``width-800|format-webp``."""
        return self._spec(self.width, self.fill)

    def srcset_specs(self, image) -> list[str]:
        """Specs of the ``srcset`` for ``image``: allowed widths (or same-ratio fills) not wider than the
        original, the requested one always included; ascending."""
        if self.width is not None:
            widths = [w for w in allowed_widths() if w <= image.width or w == self.width]
            return [self._spec(width=w) for w in widths]
        ratio = Fraction(*self.fill)
        fills = [
            (w, h) for w, h in allowed_fills() if Fraction(w, h) == ratio and (w <= image.width or (w, h) == self.fill)
        ]
        return [self._spec(fill=size) for size in fills]


def parse_rendition(raw: str) -> RenditionRequest:
    """``raw`` (``width-800``, ``fill-640x360|format-webp`` …) checked against the allow-list.

    Raises :class:`RenditionRequestError` (message naming what is allowed) for anything else."""
    parts = raw.split("|")
    size = _SIZE.fullmatch(parts[0])
    fmt = None
    if len(parts) == 2 and parts[1].startswith("format-"):
        fmt = parts[1].removeprefix("format-")
    if size is None or len(parts) > 2 or (len(parts) == 2 and fmt is None):
        raise RenditionRequestError(
            _("Write the rendition as width-<width> or fill-<width>x<height>, optionally followed by |format-<format>.")
        )
    if fmt is not None and fmt not in allowed_formats():
        raise RenditionRequestError(
            _("Format “%(format)s” is not offered; allowed: %(allowed)s.")
            % {"format": fmt, "allowed": ", ".join(allowed_formats())}
        )
    if size["width"] is not None:
        width = int(size["width"])
        if width not in allowed_widths():
            raise RenditionRequestError(
                _("Width %(width)s is not offered; allowed widths: %(allowed)s.")
                % {"width": width, "allowed": ", ".join(str(w) for w in allowed_widths())}
            )
        return RenditionRequest(width=width, format=fmt)
    fill = (int(size["fill_w"]), int(size["fill_h"]))
    if fill not in allowed_fills():
        raise RenditionRequestError(
            _("Size %(size)s is not offered; allowed fill sizes: %(allowed)s.")
            % {"size": "{}x{}".format(*fill), "allowed": ", ".join("{}x{}".format(*f) for f in allowed_fills())}
        )
    return RenditionRequest(fill=fill, format=fmt)


def rendition_pattern() -> str:
    """The ``pattern`` of ``?rendition=`` in the OpenAPI schema: exactly the allow-list."""
    sizes = [f"width-{w}" for w in allowed_widths()] + ["fill-{}x{}".format(*f) for f in allowed_fills()]
    formats = [f"format-{name}" for name in allowed_formats()]
    return rf"^{alternation(sizes)}(?:\|{alternation(formats)})?$"


def rendition_parameter() -> OpenApiParameter:
    """``?rendition=`` of ``/api/v2/images/`` (listing and detail) for the schema."""
    return OpenApiParameter(
        "rendition",
        {"type": "string", "pattern": rendition_pattern()},
        description=(
            "Adds `rendition` to each image: `width-<w>` (widths: "
            + ", ".join(str(w) for w in allowed_widths())
            + ") or `fill-<w>x<h>` cropped around the focal point (sizes: "
            + ", ".join("{}x{}".format(*f) for f in allowed_fills())
            + "), optionally `|format-<format>` ("
            + ", ".join(allowed_formats())
            + "). The answer gives url, full_url, width, height, format and a srcset-ready list (`srcset`, "
            "`srcset_attr`). Anything else: 400."
        ),
    )


class RenditionSourceSchema(serializers.Serializer):
    """One entry of ``rendition.srcset`` (documentation only)."""

    url = serializers.CharField(help_text="URL of the rendition (relative to the media host).")
    full_url = serializers.CharField(help_text="Absolute URL.")
    width = serializers.IntegerField(help_text="pixels")
    height = serializers.IntegerField(help_text="pixels")


class ClientRenditionSchema(RenditionSourceSchema):
    """``rendition`` of an image asked for with ``?rendition=`` (documentation only)."""

    spec = serializers.CharField(help_text="The rendition as asked, e.g. width-800|format-webp.")
    format = serializers.CharField(help_text="webp, avif, jpeg, png … (the file's format).")
    srcset = RenditionSourceSchema(many=True, help_text="Ascending width, same format (and ratio for fill).")
    srcset_attr = serializers.CharField(help_text="Ready for the HTML srcset attribute: '<full_url> <width>w, …'.")


def _source(rendition) -> dict:
    return {
        "url": rendition.url,
        "full_url": rendition.full_url,
        "width": rendition.width,
        "height": rendition.height,
    }


def _file_format(rendition, wanted: str | None) -> str:
    if wanted:
        return wanted
    extension = rendition.file.name.rsplit(".", 1)[-1].lower()
    return "jpeg" if extension == "jpg" else extension


def rendition_payload(image, request: RenditionRequest) -> dict:
    """``rendition`` of ``image`` for ``request`` (see the module docstring); renditions missing so far are
    generated (Wagtail stores and caches them)."""
    specs = request.srcset_specs(image)
    renditions = image.get_renditions(request.spec, *specs)
    chosen = renditions[request.spec]
    sources = {}
    for spec in specs:  # two specs can give the same file size when the original is small: keep one per width
        sources.setdefault(renditions[spec].width, _source(renditions[spec]))
    srcset = [sources[width] for width in sorted(sources)]
    return {
        "spec": request.spec,
        **_source(chosen),
        "format": _file_format(chosen, request.format),
        "srcset": srcset,
        "srcset_attr": ", ".join(f"{source['full_url']} {source['width']}w" for source in srcset),
    }


def prefetch_renditions(images, request: RenditionRequest) -> None:
    """Load the existing renditions ``request`` needs for all ``images`` in one query (Wagtail then finds them
    in ``prefetched_renditions`` instead of one query per image)."""
    images = list(images)
    if not images:
        return
    specs = {request.spec}
    for image in images:
        specs.update(request.srcset_specs(image))
    rendition_model = get_image_model().get_rendition_model()
    prefetch_related_objects(
        images,
        Prefetch(
            "renditions",
            queryset=rendition_model.objects.filter(filter_spec__in=sorted(specs)),
            to_attr="prefetched_renditions",
        ),
    )


class RenditionsMixin:
    """For the images viewset: ``?rendition=`` on the listing and the detail (see the module docstring)."""

    @property
    def known_query_parameters(self) -> frozenset:
        return super().known_query_parameters | {"rendition"}

    @classmethod
    def schema_extra_parameters(cls, kind: str) -> list[OpenApiParameter]:
        """Parameters :class:`home.api.schema.WagtailEndpointSchema` adds for this endpoint."""
        return [rendition_parameter()] if kind in ("listing", "detail") else []

    def _rendition_request(self) -> RenditionRequest | None:
        if not hasattr(self, "_parsed_rendition"):
            raw = self.request.GET.get("rendition")
            self._parsed_rendition = None if raw is None else parse_rendition(raw)
        return self._parsed_rendition

    def handle_exception(self, exc):
        if isinstance(exc, RenditionRequestError):
            message = str(exc)
            return Response({"message": message, "rendition": [message]}, status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)

    def _with_renditions(self, rows, data):
        wanted = self._rendition_request()
        for row, item in zip(rows, data, strict=True):
            item["rendition"] = rendition_payload(row, wanted)
        return data

    def listing_view(self, request):
        if self._rendition_request() is None:
            return super().listing_view(request)
        queryset = self.get_queryset()
        self.check_query_parameters(queryset)
        rows = list(self.paginate_queryset(self.filter_queryset(queryset)))
        prefetch_renditions(rows, self._rendition_request())
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(self._with_renditions(rows, data))

    def detail_view(self, request, pk):
        wanted = self._rendition_request()
        response = super().detail_view(request, pk)
        if wanted is not None:
            response.data["rendition"] = rendition_payload(self.get_object(), wanted)
        return response
