"""A Redis cache that keeps the site working while Redis is down (``CACHES["default"]`` with ``REDIS_URL``).

Django's ``RedisCache`` raises on every call when Redis refuses or times out. Everything that only *reads*
through the cache — Wagtail's site root paths on every page, the public response cache, the admin chrome, the
statistics, the sessions (``cached_db``), the rate limits — would then answer 500, and a submission that
already committed would be answered with an error (issue 15). Here a failing call behaves as a cache that has
nothing: a read is a miss (its default), a write, a delete or a clear does nothing (``False``/``0``), and the
caller computes or reads the database, as it does on a cold cache. Each failure is logged (a warning at most
every ``WARN_EVERY`` seconds per process, so an outage does not flood the log).

What must NOT degrade silently uses the strict alias ``CACHES["strict"]`` (the same Redis, Django's own
backend): the WBS receipt-code throttle (guessing codes stays limited; during an outage it answers 503).

Consequence to know: rate limits on the default cache (submissions, look-ups, public reads) are not enforced
while Redis is down.
"""

from __future__ import annotations

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache

from pesan_cms.exceptions import CACHE_ERRORS

__all__ = ["OutageTolerantRedisCache"]

logger = logging.getLogger(__name__)

#: Seconds between two warnings of the same process about the cache being unavailable.
WARN_EVERY = 30
_last_warning = [0.0]


def _tolerant(method, fallback):
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except CACHE_ERRORS as exc:
            now = time.monotonic()
            if now - _last_warning[0] >= WARN_EVERY:
                _last_warning[0] = now
                logger.warning("cache unavailable (%s: %s); going on without it", method.__name__, exc)
            return fallback(*args, **kwargs)

    return call


class OutageTolerantRedisCache(RedisCache):
    """Django's ``RedisCache``; when Redis cannot answer, reads miss and writes are skipped (see the module)."""

    get = _tolerant(RedisCache.get, lambda key, default=None, version=None: default)
    get_many = _tolerant(RedisCache.get_many, lambda keys, version=None: {})
    has_key = _tolerant(RedisCache.has_key, lambda *args, **kwargs: False)
    add = _tolerant(RedisCache.add, lambda *args, **kwargs: False)
    set = _tolerant(RedisCache.set, lambda *args, **kwargs: None)
    set_many = _tolerant(RedisCache.set_many, lambda data, *args, **kwargs: list(data))
    touch = _tolerant(RedisCache.touch, lambda *args, **kwargs: False)
    delete = _tolerant(RedisCache.delete, lambda *args, **kwargs: False)
    delete_many = _tolerant(RedisCache.delete_many, lambda *args, **kwargs: None)
    clear = _tolerant(RedisCache.clear, lambda *args, **kwargs: False)
