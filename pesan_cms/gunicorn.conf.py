"""gunicorn configuration of PESAN: ``gunicorn -c pesan_cms/gunicorn.conf.py pesan_cms.wsgi``.

Every value comes from the environment (see docs/deployment.md for sizing):

- ``WEB_CONCURRENCY``: worker processes (default ``2 × CPU cores + 1``);
- ``GUNICORN_THREADS``: threads per worker (default 2; ``gthread`` worker class when > 1, so a slow client
  or a slow database call does not hold a whole process);
- ``GUNICORN_TIMEOUT`` (default 30 s): a worker silent for longer is killed and replaced;
  ``GUNICORN_GRACEFUL_TIMEOUT`` (30 s) for restarts; ``GUNICORN_KEEPALIVE`` (5 s) behind a load balancer;
- ``GUNICORN_MAX_REQUESTS`` (default 2000) and ``GUNICORN_MAX_REQUESTS_JITTER`` (200): workers are recycled
  after that many requests (± jitter, so they do not all restart at once) — bounds slow memory growth;
- ``GUNICORN_BIND`` (default ``0.0.0.0:8000``), ``FORWARDED_ALLOW_IPS`` (default ``127.0.0.1``: the addresses
  of the reverse proxies whose ``X-Forwarded-*`` headers are trusted; ``*`` only on a private network where
  nothing else can reach the workers);
- access log: on stdout through ``layanan.wbs.privacy_gunicorn.PrivacyAccessLogger`` — no line at all for WBS
  paths, and client address, user agent and referrer blanked elsewhere (``docs/wbs-privacy.md``) unless
  ``PESAN_ACCESS_LOG_CLIENT_DETAILS`` is true. ``GUNICORN_ACCESS_LOG=0`` turns the access log off.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 2)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
# Django and the app are imported once in the master, then forked: faster worker (re)starts, shared memory.
# Database and Redis connections are opened lazily in each worker, never inherited.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1").lower() in ("1", "true", "yes")
# Heartbeat files in memory, not on a possibly slow disk (gunicorn's own advice for containers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

logger_class = "layanan.wbs.privacy_gunicorn.PrivacyAccessLogger"
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "1").lower() in ("1", "true", "yes") else None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def post_fork(server, worker):
    """Never share the master's database or cache connections with a forked worker (``preload_app``)."""
    from django.core.cache import caches
    from django.db import connections

    connections.close_all()
    caches.close_all()
