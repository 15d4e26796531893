"""Page listings without ``?type=`` (issue 19: "one listing shape").

``/api/v2/pages/?child_of=<news index>&fields=date,lead`` lists pages of any type, so Wagtail only knows the
fields every page has and answers ``400 unknown fields: date, lead``. :class:`PageTypeHintMixin` keeps the 400
(a listing may mix types) but says exactly how to ask: the page types that have all those fields, e.g.
"Unknown fields: date, lead. These are fields of the page type berita.NewsPage: add type=berita.NewsPage to the
query." (in the request's language; Indonesian by default).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from wagtail.api.v2.utils import BadRequestError
from wagtail.models import get_page_models

__all__ = ["PageTypeHintMixin", "page_types_with_fields"]

_UNKNOWN_FIELDS = re.compile(r"unknown fields: (.+)")


def page_types_with_fields(viewset, names) -> list[str]:
    """``app_label.Model`` of every page type whose API fields (body and meta) include all ``names``, sorted."""
    wanted = set(names)
    return sorted(
        model._meta.label
        for model in get_page_models()
        if wanted <= set(viewset.get_available_fields(model)) and not model._meta.abstract
    )


class PageTypeHintMixin:
    """For the pages viewset: a ``fields=`` naming fields of a page type, without ``type=``, is a 400 whose
    message names the page type(s) to add (see the module docstring)."""

    def get_serializer_class(self):
        try:
            return super().get_serializer_class()
        except BadRequestError as exc:
            match = _UNKNOWN_FIELDS.fullmatch(str(exc))
            if match is None or self.request.GET.get("type"):
                raise
            names = [name.strip() for name in match.group(1).split(",")]
            types = page_types_with_fields(type(self), names)
            if not types:
                raise
            raise BadRequestError(
                _(
                    "Unknown fields: %(fields)s. These are fields of the page type %(types)s: add type=%(type)s to "
                    "the query."
                )
                % {"fields": ", ".join(names), "types": ", ".join(types), "type": types[0]}
            ) from exc
