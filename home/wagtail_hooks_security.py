"""Admin screen "Login lockouts" (issue 8): the django-axes lockouts and failed-login counters, for administrators.

Lists :class:`axes.models.AccessAttempt` rows (username, client address, number of failures, last attempt,
WIB). Deleting a row unlocks that username + address at once (before the cool-off ends). Nothing can be added or
edited here. Who sees it: users with Django's ``axes.view_accessattempt`` / ``axes.delete_accessattempt``
permissions — superusers by default. Imported by ``home/wagtail_hooks.py``.
"""

from __future__ import annotations

from axes.models import AccessAttempt
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from pesan_cms.two_factor import SETUP_URL_NAME, setup_view

__all__ = ["LockoutViewSet", "UnlockOnlyPermissionPolicy"]


class UnlockOnlyPermissionPolicy(ModelPermissionPolicy):
    """View and delete (= unlock) only: lockout records are written by django-axes, never by hand."""

    def user_has_permission(self, user, action):
        if action in ("add", "change"):
            return False
        return super().user_has_permission(user, action)


class LockoutViewSet(ModelViewSet):
    """Settings → "Login lockouts": one row per (username, address) with recent failed logins."""

    model = AccessAttempt
    icon = "lock"
    menu_label = _("Login lockouts")
    name = "login-lockouts"
    add_to_settings_menu = True
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time"]
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    inspect_view_enabled = True
    inspect_view_fields = ["username", "ip_address", "failures_since_start", "attempt_time", "path_info"]
    form_fields = ["username"]  # required by ModelViewSet; no add/edit view is reachable (policy above)
    copy_view_enabled = False


register_permission_policy(AccessAttempt, UnlockOnlyPermissionPolicy(AccessAttempt))


@hooks.register("register_admin_viewset")
def register_lockout_viewset():
    return LockoutViewSet()


# --- two-step verification (issue 15, pesan_cms.two_factor): the set-up page and its account menu item ---------
@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [path("dua-langkah/", setup_view, name=SETUP_URL_NAME)]


@hooks.register("register_account_menu_item")
def register_two_factor_account_item(request):
    return {
        "url": reverse(SETUP_URL_NAME),
        "label": _("Two-step verification"),
        "help_text": _("Sign in with a code from your phone as well as your password."),
    }
