"""Benchmark settings: the production settings with fixed secrets, plain HTTP on loopback, throttles off.

Differences from production, all on purpose and reported in the results:
- ``SECRET_KEY``/``PESAN_ENCRYPTION_KEY`` fixed (bench data only), ``SECURE_SSL_REDIRECT`` off (wrk speaks
  plain HTTP on 127.0.0.1), ``ALLOWED_HOSTS`` = loopback.
- ``DATABASE_URL`` defaults to ``postgres://postgres@127.0.0.1:5432/pesan_bench``; ``DB_CONN_MAX_AGE`` 60 s
  (persistent connections, as a real deployment sets it).
- ``REDIS_URL`` defaults to ``redis://127.0.0.1:6379/2``: Redis cache and django-q2 Redis broker.
- Throttle rates set to 1,000,000/s: the throttle classes still run (one cache round trip each), but never
  refuse a request.
- Static files collected into ``bench/var/static`` (whitenoise, as in production); media in ``bench/var``.
- ``EMAIL_BACKEND`` console is never reached: the receipt e-mail is only queued (no qcluster runs).
"""

import os
from pathlib import Path

_BENCH = Path(__file__).resolve().parent
_VAR = _BENCH / "var"

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdefghijkl")
os.environ.setdefault("PESAN_ENCRYPTION_KEY", "YmVuY2gtb25seS1wZXNhbi1lbmNyeXB0aW9uLWtleTE=")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pesan_bench")
os.environ.setdefault("DB_CONN_MAX_AGE", "60")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/2")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("MEDIA_ROOT", str(_VAR / "media"))
os.environ.setdefault("PRIVATE_MEDIA_ROOT", str(_VAR / "private_media"))
os.environ.setdefault("LOG_LEVEL", "WARNING")

from pesan_cms.settings.production import *  # noqa: E402, F403

STATIC_ROOT = _VAR / "static"
ROOT_URLCONF = "bench.urls"
# wrk sends no HTTPS; the session cookie of the desk user is passed as a plain header.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

REST_FRAMEWORK = {**REST_FRAMEWORK}  # noqa: F405
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = dict.fromkeys(REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "1000000/s")
