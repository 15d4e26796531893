"""``HeadlessPreviewMixin``: Wagtail's "Preview" sends the editor to the site's decoupled front end (issue 19).

Every PESAN page type uses it. With no front-end preview URL in the site's organisation settings nothing changes:
the reference site renders the draft itself (Wagtail's own preview). See :mod:`home.preview` for the token.
"""

from __future__ import annotations

from django.shortcuts import redirect
from django.template.response import TemplateResponse
from wagtail.models import Site

from ..preview import create_preview_token, frontend_preview_link
from .organisation import OrganisationSettings


class HeadlessPreviewMixin:
    """Page mixin: preview in the front end named by ``OrganisationSettings.frontend_preview_url`` of the page's
    site (the default site when the page's cannot be told)."""

    def frontend_preview_url(self, request) -> str:
        """The configured front-end preview URL of the page's site, or ``""`` (then Wagtail's own preview)."""
        site = self.get_site() or Site.objects.filter(is_default_site=True).first()  # the page's, not the admin's
        if site is None:
            return ""
        return OrganisationSettings.for_site(site).frontend_preview_url

    def serve_preview(self, request, mode_name):
        """Wagtail's preview when no front-end URL is set; otherwise a preview token is created for this draft
        and the editor is redirected to ``<front-end URL>?content_type=<app.model>&token=<token>`` (in the
        admin's preview panel, which cannot frame another site, a page with a link to it)."""
        base_url = self.frontend_preview_url(request)
        if not base_url:
            return super().serve_preview(request, mode_name)
        link = frontend_preview_link(base_url, self, create_preview_token(self))
        if getattr(request, "in_preview_panel", False):
            return TemplateResponse(request, "home/headless_preview.html", {"page": self, "preview_link": link})
        return redirect(link)
