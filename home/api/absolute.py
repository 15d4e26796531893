"""API side of the one rule for absolute URLs (issue 19, :mod:`home.absolute_urls`, where the JSON renderer
making rich-text links absolute lives: it must be importable while models load).

- :class:`PublicPageSerializer`: the pages API's ``meta.html_url`` under the site's root URL (Wagtail uses the
  page's ``Site``).
"""

from __future__ import annotations

from django.urls import NoReverseMatch
from wagtail.api.v2.serializers import PageAliasOfField, PageHtmlUrlField, PageParentField, PageSerializer

from ..absolute_urls import page_url

__all__ = ["PublicPageSerializer"]


class AbsolutePageHtmlUrlField(PageHtmlUrlField):
    """``meta.html_url`` of the pages API: :func:`~home.absolute_urls.page_url`."""

    def to_representation(self, page):
        try:
            return page_url(page, self.context.get("request"))
        except NoReverseMatch:
            return None


class _AbsoluteNestedPageMixin:
    """A nested page (``parent``, ``alias_of``): Wagtail serialises it with its own ``html_url``; ours instead."""

    def to_representation(self, value):
        data = super().to_representation(value)
        data["meta"]["html_url"] = page_url(value, self.context.get("request"))
        return data


class AbsolutePageParentField(_AbsoluteNestedPageMixin, PageParentField):
    """``meta.parent`` with its ``html_url`` under the root URL."""


class AbsolutePageAliasOfField(_AbsoluteNestedPageMixin, PageAliasOfField):
    """``meta.alias_of`` with its ``html_url`` under the root URL."""


class PublicPageSerializer(PageSerializer):
    """Wagtail's page serializer with every ``html_url`` (the page's, its parent's, its alias') under the root
    URL (:func:`~home.absolute_urls.page_url`)."""

    html_url = AbsolutePageHtmlUrlField(read_only=True)
    parent = AbsolutePageParentField(read_only=True)
    alias_of = AbsolutePageAliasOfField(read_only=True)
