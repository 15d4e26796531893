"""``GET /api/v2/navigation/``: the main menu of the requesting site as the reference site renders it.

The reference site's header (``templates/base.html``) shows, in this order: "Home" (the site's home page), the
menu pages (:func:`home.navigation.menu_pages`), "Online services" and "Check ticket status". The API gives
the same items, with each menu page's own menu pages as ``children`` (:func:`home.navigation.menu_children`),
so a decoupled front end can draw the same menu, drop-downs included::

    {"items": [{"title": "Beranda", "url": "http://…/", "kind": "page",
                "page": {"id": 3, "type": "home.HomePage", "detail_url": "http://…/api/v2/pages/3/"},
                "children": []}, …,
               {"title": "Layanan daring", "url": "http://…/layanan/", "kind": "link", "page": null,
                "children": []}]}

Titles are in the request's language (the fixed items through gettext; page titles as edited). ``url`` is
absolute under the API's one root URL (:mod:`home.absolute_urls`), as ``html_url`` and ``detail_url``.
404 when no site is configured for the host.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ..absolute_urls import absolute_url, page_url
from ..navigation import menu_children, menu_pages
from .views import site_for_request

__all__ = ["NavigationView"]


class NavigationPageSerializer(serializers.Serializer):
    """The page behind a menu item."""

    id = serializers.IntegerField()
    type = serializers.CharField(help_text="app_label.Model, e.g. home.StandardPage")
    detail_url = serializers.URLField(help_text="The page in the pages API.")


class NavigationChildSerializer(serializers.Serializer):
    """A menu item of the second level."""

    title = serializers.CharField()
    url = serializers.URLField(help_text="Absolute URL of the page on the site.")
    kind = serializers.ChoiceField(choices=["page", "link"])
    page = NavigationPageSerializer(allow_null=True)


class NavigationItemSerializer(NavigationChildSerializer):
    """A menu item of the first level, with its own menu pages."""

    children = NavigationChildSerializer(many=True)


class NavigationSerializer(serializers.Serializer):
    """The whole menu, in display order."""

    items = NavigationItemSerializer(many=True)


def _page_item(page, request, children=None) -> dict:
    item = {
        "title": page.title,
        "url": page_url(page, request),  # under the site's root URL (home.absolute_urls, issue 19)
        "kind": "page",
        "page": {
            "id": page.pk,
            "type": page.specific_class._meta.label if page.specific_class else "wagtailcore.Page",
            "detail_url": absolute_url(reverse("wagtailapi:pages:detail", args=[page.pk])),
        },
    }
    if children is not None:
        item["children"] = [_page_item(child, request) for child in children]
    return item


def _link_item(title: str, url_name: str) -> dict:
    return {
        "title": title,
        "url": absolute_url(reverse(url_name)),  # the site's root URL (home.absolute_urls, issue 19)
        "kind": "link",
        "page": None,
        "children": [],
    }


def navigation(site, request) -> dict:
    """The menu of ``site`` (see the module docstring)."""
    home = site.root_page.specific
    pages = menu_pages(site)
    children = menu_children(site, pages)
    return {
        "items": [
            {**_page_item(home, request, []), "title": _("Home")},
            *(_page_item(page, request, children[page.pk]) for page in pages),
            _link_item(_("Online services"), "layanan-site-index"),
            _link_item(_("Check ticket status"), "layanan-site-status"),
        ]
    }


class NavigationView(APIView):
    """``GET /api/v2/navigation/``: the requesting site's main menu (see :mod:`home.api.navigation`)."""

    @extend_schema(
        summary="Main menu",
        description="The main menu of the requesting site as the reference site renders it: Home, the pages "
        "marked 'show in menus' under the home page (each with its own such pages as children), Online services "
        "and Check ticket status. URLs are absolute. Pages by path: GET /api/v2/pages/find/?html_path=/path/.",
        responses=NavigationSerializer,
        tags=["site"],
    )
    def get(self, request):
        return Response(navigation(site_for_request(request), request))
