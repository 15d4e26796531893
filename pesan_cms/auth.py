"""Authentication backend: django-axes' backend with each officer's permissions cached (issue 9).

Django's ``ModelBackend`` loads a user's permissions with two queries (own and group permissions) on every
request that checks one — every admin page does, starting with "may use the admin". An officer's permissions
change rarely, so :class:`CachedPermissionsAxesBackend` keeps the set in the shared cache per user under the
*access version* of :mod:`home.admin_chrome`, which is bumped (at once and on commit) whenever a user, group,
permission, their links, a unit membership or a unit is saved or deleted: a permission granted or revoked
counts from the officer's next request, as without the cache.

Not cached: superusers (every permission, including ones a migration just added without signals), inactive
and anonymous users, object permissions. A cache outage falls back to the queries.
"""

from __future__ import annotations

import logging

from axes.backends import AxesBackend

logger = logging.getLogger(__name__)

KEY_PREFIX = "pesan:perms:"


class CachedPermissionsAxesBackend(AxesBackend):
    """``axes.backends.AxesBackend`` (refuses locked-out clients first; authenticates nobody itself) whose
    ``get_all_permissions`` — what ``user.has_perm`` asks — comes from the shared cache when it can."""

    def get_all_permissions(self, user_obj, obj=None):
        if (
            obj is not None
            or not user_obj.is_active
            or user_obj.is_anonymous
            or user_obj.is_superuser
            or hasattr(user_obj, "_perm_cache")
        ):
            return super().get_all_permissions(user_obj, obj)
        from home.admin_chrome import access_version, admin_cache, cache_seconds

        seconds = cache_seconds()
        if seconds <= 0:
            return super().get_all_permissions(user_obj, obj)
        try:
            version = user_obj._pesan_access_version = access_version()  # home.admin_chrome reuses it
            key = f"{KEY_PREFIX}{version}:{user_obj.pk}"
            cached = admin_cache().get(key)
        except Exception:
            logger.exception("permission cache unavailable; querying")
            return super().get_all_permissions(user_obj, obj)
        if cached is not None:
            user_obj._perm_cache = set(cached)
            return user_obj._perm_cache
        perms = super().get_all_permissions(user_obj, obj)
        try:
            admin_cache().set(key, sorted(perms), seconds)
        except Exception:
            logger.exception("permissions could not be cached")
        return perms
