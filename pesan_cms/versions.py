"""Cache versions: the one helper behind "everything cached from X is stale now" (issue 14).

A version is a value kept in a Django cache under a key. Whatever is cached from X puts the version into its own
key; a change of X stores a new version, and every such entry becomes unreachable at once (it expires on its own
later). Web processes agree through the shared cache (Redis in production). Four caches use it: the public
response cache (``home.cache``), each officer's admin chrome and permissions (``home.admin_chrome``), the
working-calendar snapshot (``layanan.calendar.workdays``) and the public statistics
(``layanan.reports.statistics``).

- :func:`read` / :func:`write_new`: a plain version (time-based values, so a key lost to eviction never brings
  back entries stored under an older one; a failed write is logged, not raised).
- :class:`CommittedVersion`: a version whose changes count when the transaction that made them commits.
  Inside that transaction :meth:`~CommittedVersion.current` adds a private token (so nothing it caches is
  shared before it commits) and :meth:`~CommittedVersion.pending` is true; the shared version is bumped once, on
  commit, by the version's hook; a rolled-back transaction bumps nothing. Versions register by name
  (:func:`get`), so ``home.cache`` reads the statistics version without importing the desk.

**Framework internal**: whether a transaction already registered its hook is read from Django's
``connection.run_on_commit`` (entries ``(savepoint ids, callable, robust)`` in Django 5.2) — the only way to see
that a savepoint rollback dropped the hook. ``tests/test_framework_internals.py`` fails loudly if that changes.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.core.cache import caches
from django.db import transaction

from pesan_cms.exceptions import CACHE_ERRORS

__all__ = ["CommittedVersion", "get", "new_value", "read", "write_new"]

logger = logging.getLogger(__name__)


def new_value() -> str:
    """A new plain version: time-based, so a key lost to eviction and created again never brings back entries
    stored under an older one."""
    return str(time.time_ns())


def read(cache, key: str) -> str:
    """The version stored under ``key`` in ``cache``, created on first use (:func:`new_value`). Raises if the cache
    is down (callers decide: bypass their cache, or fail)."""
    version = cache.get(key)
    if version is None:
        cache.add(key, new_value(), None)
        version = cache.get(key) or "0"
    return str(version)


def write_new(cache, key: str, what: str) -> None:
    """Store a new time-based version under ``key``; a cache outage is logged (``what`` names the cache)."""
    try:
        cache.set(key, new_value(), None)
    except Exception:
        logger.exception("%s version could not be bumped", what)


_REGISTERED: dict[str, CommittedVersion] = {}


class CommittedVersion:
    """A version bumped when the transaction that changed its data commits.

    ``name``: registry name (:func:`get`); ``key``: cache key; ``hook``: the zero-argument ``on_commit`` callable
    that bumps it (default :meth:`bump`; a module may pass its own, e.g. to drop a process-local copy too);
    ``alias``: the Django cache.
    """

    def __init__(self, name: str, key: str, *, hook: Callable[[], None] | None = None, alias: str = "default"):
        self.name, self.key, self.alias = name, key, alias
        self.hook = hook or self.bump
        self._token_attr = f"_pesan_version_token_{name}"
        _REGISTERED[name] = self

    @property
    def cache(self):
        return caches[self.alias]

    def read(self) -> str:
        """The shared (committed) version; raises if the cache is down."""
        return read(self.cache, self.key)

    def bump(self) -> None:
        """Store a new shared version now (one cache write; raises if the cache is down — run on commit as a
        robust hook)."""
        self.cache.set(self.key, uuid.uuid4().hex, None)

    def _hook_registered(self, connection) -> bool:
        return any(entry[1] is self.hook for entry in connection.run_on_commit)

    def pending(self, using: str | None = None) -> bool:
        """True inside a transaction that changed the data and has not committed (its hook is registered)."""
        connection = transaction.get_connection(using)
        return connection.in_atomic_block and self._hook_registered(connection)

    def pending_token(self, using: str | None = None) -> str:
        """The private token of this connection's open transaction if it changed the data, else ``""``."""
        if not self.pending(using):
            return ""  # nothing changed in this transaction, or the change was rolled back
        return getattr(transaction.get_connection(using), self._token_attr, "")

    def current(self, using: str | None = None) -> str:
        """The version as this connection sees it: the shared one, plus ``-<token>`` inside a transaction that
        changed the data. One cache read; raises if the cache is down."""
        version = self.read()
        token = self.pending_token(using)
        return f"{version}-{token}" if token else version

    def changed(self, using: str | None = None) -> None:
        """Note a change: in autocommit, run the hook now; inside a transaction, a fresh private token and ONE
        robust hook on commit (a savepoint rollback that dropped it lets the next change register it again)."""
        connection = transaction.get_connection(using)
        if not connection.in_atomic_block:
            # The change is already committed: a cache that cannot take the new version must not turn it into
            # an error (issue 15). Logged; the entries under the old version expire on their own.
            try:
                self.hook()
            except CACHE_ERRORS:
                logger.exception("version %r not bumped: the cache is unavailable", self.name)
            return
        setattr(connection, self._token_attr, uuid.uuid4().hex)
        if not self._hook_registered(connection):
            transaction.on_commit(self.hook, using=using, robust=True)


def get(name: str) -> CommittedVersion:
    """The :class:`CommittedVersion` registered as ``name``; ``KeyError`` when none is."""
    return _REGISTERED[name]
