"""Read-replica database router: public content reads on replicas, everything else on the primary.

Enabled when ``DATABASE_REPLICA_URLS`` (comma-separated) or ``DATABASE_REPLICA_URL`` is set: the settings add
the aliases ``replica``, ``replica2``, … and ``DATABASE_ROUTERS = ["pesan_cms.db_router.ReplicaRouter"]``.

Rules (:class:`ReplicaRouter`):

- **writes** always go to ``default`` (the primary), and pin the rest of the request (or task) to it:
  read-your-writes;
- **reads** go to a replica only while the current request is *replica-eligible*: an anonymous ``GET`` /
  ``HEAD`` (no session cookie) outside ``/admin/``, ``/layanan/``, ``/wbs/`` and the service-desk API; a
  logged-in editor, a form submission or anything after a write reads the primary. Outside a request (django-q2
  tasks, management commands) everything uses the primary;
- reads inside a transaction on the primary stay on the primary (``atomic()`` blocks);
- the service desk (``layanan``: tickets, numbering counters, deadlines, calendar) and the framework's own
  tables (sessions, users and permissions, django-q2, axes) are **always** read from the primary:
  deadlines and tracking numbers must never be computed from stale rows;
- migrations run only on ``default`` (replicas receive them by replication).

The per-request state lives in a :class:`contextvars.ContextVar` set on Django's ``request_started`` signal and
cleared on ``request_finished`` (safe with gunicorn's sync and threaded workers).
"""

from __future__ import annotations

import random
from contextvars import ContextVar
from http.cookies import CookieError, SimpleCookie

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import connections

PRIMARY = "default"

#: Apps always read from the primary.
PRIMARY_ONLY_APPS = frozenset(
    {"layanan", "django_q", "sessions", "auth", "admin", "axes", "contenttypes", "wagtailusers"}
)
#: Path prefixes whose requests never read a replica.
PRIMARY_PATH_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/layanan/",
    "/wbs/",
    "/api/v2/ppid/",
    "/api/v2/lapor/",
    "/api/v2/tickets/",
    "/api/v2/wbs/",
    "/api/v2/social/",
    "/api/v2/calendar/",
)

#: True while the current request may read from a replica (False: primary for everything).
_replica_ok: ContextVar[bool] = ContextVar("pesan_replica_ok", default=False)


def replica_aliases() -> list[str]:
    """The configured replica aliases (``replica``, ``replica2``, …), in settings order."""
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def in_primary_transaction() -> bool:
    """True inside ``transaction.atomic()`` on the primary (reads there must see the transaction's writes)."""
    return connections[PRIMARY].in_atomic_block


def request_may_use_replica(environ: dict) -> bool:
    """Whether a request (WSGI ``environ``) may read public content from a replica (see module docstring)."""
    if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
        return False
    path = environ.get("PATH_INFO", "") or ""
    if path.startswith(PRIMARY_PATH_PREFIXES):
        return False
    raw_cookie = environ.get("HTTP_COOKIE", "")
    if raw_cookie and settings.SESSION_COOKIE_NAME in raw_cookie:
        try:
            if settings.SESSION_COOKIE_NAME in SimpleCookie(raw_cookie):
                return False
        except CookieError:
            return False
    return True


def allow_replica(value: bool = True):
    """Mark the current context as replica-eligible (True) or pinned to the primary (False); returns a token
    for :meth:`ContextVar.reset`."""
    return _replica_ok.set(value)


def pin_to_primary() -> None:
    """Send every further read of the current request/task to the primary (called on each write)."""
    _replica_ok.set(False)


def _on_request_started(sender, environ=None, **kwargs) -> None:
    _replica_ok.set(bool(environ) and request_may_use_replica(environ))


def _on_request_finished(sender, **kwargs) -> None:
    _replica_ok.set(False)


request_started.connect(_on_request_started, dispatch_uid="pesan_cms.db_router.started")
request_finished.connect(_on_request_finished, dispatch_uid="pesan_cms.db_router.finished")


class ReplicaRouter:
    """Django database router implementing the rules of the module docstring."""

    def db_for_read(self, model, **hints):
        if not _replica_ok.get() or model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        if in_primary_transaction():
            return PRIMARY
        replicas = replica_aliases()
        if not replicas:
            return PRIMARY
        return replicas[0] if len(replicas) == 1 else random.choice(replicas)

    def db_for_write(self, model, **hints):
        pin_to_primary()
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # replicas hold the same data as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
