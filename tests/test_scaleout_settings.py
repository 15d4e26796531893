"""The production scale-out profile: Redis cache + django-q2 broker, S3 media, read replicas, gunicorn settings.

Settings are loaded in a subprocess with a production environment (no network: nothing connects)."""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import storages
default, private = storages["default"], storages["private"]
print(json.dumps({
    "cache": settings.CACHES["default"],
    "q": {k: settings.Q_CLUSTER.get(k) for k in ("redis", "orm", "workers")},
    "databases": {alias: db["HOST"] + "/" + db["NAME"] for alias, db in settings.DATABASES.items()},
    "routers": settings.DATABASE_ROUTERS,
    "default_storage": type(default).__module__ + "." + type(default).__name__,
    "default_bucket": getattr(default, "bucket_name", None),
    "private_storage": type(private).__name__,
    "private_bucket": getattr(private, "bucket_name", None),
    "private_location": str(private.location),
    "private_acl": getattr(private, "default_acl", None),
    "private_url": private.url("layanan/2026/01/x.pdf") if hasattr(private, "bucket_name") else None,
    "public_cache_seconds": settings.PESAN_PUBLIC_CACHE_SECONDS,
    "middleware": settings.MIDDLEWARE,
    "static_storage": settings.STORAGES["staticfiles"]["BACKEND"],
    "session_engine": settings.SESSION_ENGINE,
    "admin_cache_seconds": settings.PESAN_ADMIN_CACHE_SECONDS,
}))
"""


def probe(**env) -> dict:
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "pesan_cms.settings.production",
        "SECRET_KEY": "x" * 50,
        "PESAN_ENCRYPTION_KEY": "dGVzdC1vbmx5LXBlc2FuLWVuY3J5cHRpb24ta2V5LTE=",
        "DATABASE_URL": "postgres://pesan@db-primary:5432/pesan",
        "AWS_ACCESS_KEY_ID": "test-key",
        "AWS_SECRET_ACCESS_KEY": "test-secret",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_profile_uses_redis_s3_and_replicas():
    data = probe(
        REDIS_URL="redis://cache:6379/0",
        AWS_STORAGE_BUCKET_NAME="pesan-media",
        AWS_PRIVATE_BUCKET_NAME="pesan-private",
        AWS_S3_ENDPOINT_URL="https://s3.example.org",
        DATABASE_REPLICA_URLS="postgres://pesan@db-replica-1:5432/pesan,postgres://pesan@db-replica-2:5432/pesan",
    )
    assert data["cache"]["BACKEND"] == "pesan_cms.cache.OutageTolerantRedisCache"  # survives a Redis outage
    assert data["cache"]["LOCATION"] == "redis://cache:6379/0"
    assert data["q"]["redis"] == "redis://cache:6379/0" and data["q"]["orm"] is None
    assert data["default_storage"] == "storages.backends.s3.S3Storage" and data["default_bucket"] == "pesan-media"
    assert data["private_storage"] == "S3Storage" and data["private_bucket"] == "pesan-private"
    assert data["private_location"] == "private" and data["private_acl"] == "private"
    assert "X-Amz-Signature=" in data["private_url"] or "Signature=" in data["private_url"]  # signed, never public
    assert data["databases"] == {
        "default": "db-primary/pesan",
        "replica": "db-replica-1/pesan",
        "replica2": "db-replica-2/pesan",
    }
    assert data["routers"] == ["pesan_cms.db_router.ReplicaRouter"]
    middleware = data["middleware"]
    assert middleware[0] == "layanan.wbs.privacy.WbsPrivacyMiddleware"
    assert middleware.index("home.cache.PublicCacheMiddleware") < middleware.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )
    assert middleware.index("corsheaders.middleware.CorsMiddleware") < middleware.index(
        "home.cache.PublicCacheMiddleware"
    )
    assert data["public_cache_seconds"] == 300
    assert data["static_storage"] == "pesan_cms.storage.MemoizedManifestStaticFilesStorage"
    assert data["session_engine"] == "django.contrib.sessions.backends.cached_db"
    assert data["admin_cache_seconds"] == 300


def test_without_the_variables_the_embedded_defaults_remain():
    data = probe()
    # a cache on disk that every process of the install shares (web server, qcluster, manage.py)
    assert data["cache"]["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert data["q"]["orm"] == "default"
    assert data["default_storage"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert list(data["databases"]) == ["default"] and data["routers"] == []
    assert data["session_engine"] == "django.contrib.sessions.backends.db"  # no Redis: sessions in the database
    # the admin caches stay off without Redis (the disk cache is shared, but each admin page would read files)
    assert data["admin_cache_seconds"] == 0


def test_gunicorn_config_reads_the_environment_and_scrubs_wbs_logs(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "7")
    monkeypatch.setenv("GUNICORN_THREADS", "4")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.2,10.0.0.3")
    conf = runpy.run_path(str(ROOT / "pesan_cms" / "gunicorn.conf.py"))
    assert conf["workers"] == 7 and conf["threads"] == 4 and conf["worker_class"] == "gthread"
    assert conf["max_requests"] > 0 and 0 < conf["max_requests_jitter"] < conf["max_requests"]
    assert conf["forwarded_allow_ips"] == "10.0.0.2,10.0.0.3"
    assert conf["logger_class"] == "layanan.wbs.privacy_gunicorn.PrivacyAccessLogger"

    from gunicorn.config import Config

    config = Config()
    for key in ("workers", "threads", "worker_class", "timeout", "max_requests", "logger_class", "accesslog"):
        config.set(key, conf[key])
    from layanan.wbs.privacy_gunicorn import PrivacyAccessLogger

    assert config.logger_class is PrivacyAccessLogger  # gunicorn resolves the dotted path to the scrubbing logger

    monkeypatch.delenv("WEB_CONCURRENCY")
    monkeypatch.setenv("GUNICORN_THREADS", "1")
    conf = runpy.run_path(str(ROOT / "pesan_cms" / "gunicorn.conf.py"))
    assert conf["workers"] == 2 * os.cpu_count() + 1 and conf["worker_class"] == "sync"
