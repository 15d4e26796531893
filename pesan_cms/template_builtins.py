"""Template tags available in every template without ``{% load %}`` (Django's ``TEMPLATES`` ``builtins``).

- ``{% time_zone_label %}``: the short name of the institution's zone shown after a local time ("WIB", "WITA",
  "WIT"; :func:`pesan_cms.timezones.label`). Templates print times with Django's ``date`` filter, which converts
  to ``TIME_ZONE``, the same zone.
"""

from django import template

from pesan_cms import timezones

register = template.Library()


@register.simple_tag
def time_zone_label() -> str:
    """``"WIB"``, ``"WITA"`` or ``"WIT"`` (see :func:`pesan_cms.timezones.label`)."""
    return timezones.label()
