"""Template helpers of the reference site: navigation, service-charter link, site settings lookups."""

from __future__ import annotations

from django import template
from wagtail.models import Page, Site

from home import stored
from home.cache import page_tags
from home.memo import per_version
from home.models import OrganisationSettings, PPIDProfilePage, PublicInformationIndexPage
from home.navigation import menu_pages

register = template.Library()


def _site(context) -> Site | None:
    """The requesting site (Wagtail keeps it on the request; for an anonymous public read ``home.memo`` set it)."""
    return Site.find_for_request(context.get("request"))


_ORGANISATION_FIELDS = tuple(field.attname for field in OrganisationSettings._meta.concrete_fields)


@register.simple_tag(takes_context=True)
def organisation(context) -> OrganisationSettings | None:
    """The requesting site's ``OrganisationSettings`` (Wagtail's ``settings.home.OrganisationSettings``), for an
    anonymous visitor kept per process and global public version (:func:`home.memo.per_version`: a settings change
    bumps it) — a new instance each call. ``None`` without a request or a site."""
    request, site = context.get("request"), _site(context)
    if request is None or site is None:
        return None

    def compute() -> tuple:
        found = OrganisationSettings.for_site(site)
        return tuple(getattr(found, name) for name in _ORGANISATION_FIELDS)

    values = per_version(request, ("organisation-settings", site.pk), compute)
    return OrganisationSettings.from_db(OrganisationSettings.objects.db, _ORGANISATION_FIELDS, values)


@register.simple_tag(takes_context=True)
def site_root(context) -> Page | None:
    """The root (home) page of the requesting site, or ``None``."""
    site = _site(context)
    return site.root_page.specific if site else None


@register.simple_tag(takes_context=True)
def site_nav(context) -> list[Page]:
    """The main navigation: the home page's live, public children marked "show in menus", in tree order."""
    site = _site(context)
    return menu_pages(site) if site is not None else []


@register.simple_tag(takes_context=True)
def ppid_profile(context):
    """The site's PPID profile page (live), or ``None``; its URL anchors ``#maklumat-pelayanan``."""
    site = _site(context)
    if site is None:
        return None
    return PPIDProfilePage.objects.live().public().descendant_of(site.root_page).first()


@register.simple_tag(takes_context=True)
def dik_list_url(context) -> str:
    """URL of the site's public list of exempt information (DIK, the DIP index's ``dikecualikan/`` route), or
    ``""`` when the site has no live DIP index."""
    site = _site(context)
    if site is None:
        return ""
    index = PublicInformationIndexPage.objects.live().public().descendant_of(site.root_page).first()
    return index.exempt_list_url(context.get("request")) if index is not None else ""


@register.filter
def is_active_for(page: Page, current) -> bool:
    """True when ``current`` is ``page`` or one of its descendants (for ``aria-current`` in the nav)."""
    if current is None or not getattr(current, "path", None):
        return False
    return current.path.startswith(page.path)


@register.tag("stored")
def do_stored(parser, token):
    """``{% stored "name" "tag" … page=page vary=request.path until=page.public_cache_until %}…{% endstored %}``: the
    enclosed HTML stored once per version of what it shows (:func:`home.stored.fragment`): the named tags (``menu``,
    ``type:app.model``, …), ``page``'s tags, ``vary``; no longer than ``until``. Only anonymous visitors get a
    stored copy; anyone else gets it rendered."""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% stored %} needs a fragment name")
    nodelist = parser.parse(("endstored",))
    parser.delete_first_token()
    args, options = [], {}
    for bit in bits:
        name, sep, value = bit.partition("=")
        if sep and name in ("page", "vary", "until"):
            options[name] = parser.compile_filter(value)
        else:
            args.append(parser.compile_filter(bit))
    return StoredNode(nodelist, args, options)


class StoredNode(template.Node):
    """The node of ``{% stored %}``."""

    def __init__(self, nodelist, args, options):
        self.nodelist, self.args, self.options = nodelist, args, options

    def render(self, context):
        name, *tags = (str(arg.resolve(context)) for arg in self.args)
        options = {key: value.resolve(context) for key, value in self.options.items() if key != "until"}
        if "until" in self.options:  # asked only when the fragment is stored (it may cost a query)
            options["until"] = lambda: self.options["until"].resolve(context)
        names = set(tags)
        page = options.pop("page", None)
        if page is not None and getattr(page, "pk", None):
            names |= page_tags(page, menu=False)
        return stored.fragment(context.get("request"), name, names, lambda: self.nodelist.render(context), **options)
