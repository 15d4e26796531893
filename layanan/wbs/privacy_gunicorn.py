"""A gunicorn logger that writes no access-log line for WBS paths and never the client address elsewhere.

Use it with ``gunicorn --logger-class layanan.wbs.privacy_gunicorn.PrivacyAccessLogger`` (see
``docs/wbs-privacy.md``). Requests under ``PESAN_WBS_PRIVATE_PATHS`` (default ``/api/v2/wbs/``, ``/wbs/``) are
not logged at all; for other requests the remote address (``%(h)s``), user agent (``%(a)s``) and referrer
(``%(f)s``) atoms are replaced by ``-`` unless ``PESAN_ACCESS_LOG_CLIENT_DETAILS`` is true in the environment.
"""

from __future__ import annotations

import os

from gunicorn.glogging import Logger

DEFAULT_PRIVATE_PATHS = ("/api/v2/wbs/", "/wbs/")


def _private_paths() -> tuple[str, ...]:
    raw = os.environ.get("PESAN_WBS_PRIVATE_PATHS", "")
    paths = tuple(p.strip() for p in raw.split(",") if p.strip())
    return paths or DEFAULT_PRIVATE_PATHS


class PrivacyAccessLogger(Logger):
    """gunicorn ``Logger`` that skips WBS paths and blanks client details (see the module docstring)."""

    def access(self, resp, req, environ, request_time):
        path = environ.get("PATH_INFO", "") or ""
        if any(path.startswith(prefix) for prefix in _private_paths()):
            return
        super().access(resp, req, environ, request_time)

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        if os.environ.get("PESAN_ACCESS_LOG_CLIENT_DETAILS", "").lower() not in ("1", "true", "yes"):
            for key in ("h", "a", "f"):
                atoms[key] = "-"
            for key in list(atoms):
                if key.lower() in ("{x-forwarded-for}i", "{user-agent}i", "{referer}i", "{x-real-ip}i"):
                    atoms[key] = "-"
        return atoms
