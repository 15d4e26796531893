"""Security plumbing shared by the throttles, django-axes and django-csp (issue 8; see SECURITY.md).

- :func:`client_ip`: the client address as the rate limits see it (DRF ``get_ident``: ``REMOTE_ADDR``, or the
  address appended by the last of ``REST_FRAMEWORK["NUM_PROXIES"]`` trusted reverse proxies). django-axes uses
  it too (``AXES_CLIENT_IP_CALLABLE``), so one setting — environment ``TRUSTED_PROXY_COUNT`` — decides for both.
- :class:`PathCSPMiddleware`: Content-Security-Policy per path. One strict policy (``CONTENT_SECURITY_POLICY``)
  for the public site and the API; for a path prefix listed in ``PESAN_CSP_PATH_REPLACE`` the listed directives
  replace the base ones (django-csp's "replace"), e.g. the Wagtail admin (``/admin/``) gets
  ``style-src 'self' 'unsafe-inline'`` (its widgets write style attributes) and ``frame-ancestors 'self'``
  (the preview panel frames the page preview). A view's own ``@csp_update``/``@csp_replace`` wins.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

__all__ = ["PathCSPMiddleware", "client_ip", "path_replace"]


def client_ip(request) -> str | None:
    """The client address used for admin lockouts, as the rate limits see it (see the module docstring).

    ``None`` when the request carries no valid address (e.g. a login made in code, ``force_login``): django-axes
    then records no address, where a placeholder such as ``"unknown"`` would be refused by PostgreSQL's
    ``inet`` column and break the login."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_ipv46_address
    from rest_framework.throttling import BaseThrottle

    address = (BaseThrottle().get_ident(request) or request.META.get("REMOTE_ADDR", "")).strip()
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return None
    return address


def path_replace(path: str) -> dict | None:
    """The ``PESAN_CSP_PATH_REPLACE`` entry of the longest prefix of ``path`` (``{directive: [sources]}``)."""
    updates = getattr(settings, "PESAN_CSP_PATH_REPLACE", None) or {}
    matches = [prefix for prefix in updates if path.startswith(prefix)]
    return updates[max(matches, key=len)] if matches else None


class PathCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with path-prefix relaxations (replaces ``csp.middleware.CSPMiddleware``)."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.update is None and parts.replace is None:
            # Wagtail renders an editor's preview through a dummy request carrying the *page's* URL; it is
            # shown inside the admin's preview panel, so it gets the admin policy (frame-ancestors 'self').
            path = "/admin/" if getattr(request, "is_dummy", False) else request.path_info
            parts.replace = path_replace(path)
        return parts
