"""Settings for the test suite. DATABASE_URL selects PostgreSQL in CI; SQLite otherwise."""

from .base import *  # noqa: F403
from .env import env_str

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# WBS receipt codes (layanan.receipt): argon2id with the cheapest parameters in tests only (≈ 0.03 ms instead of
# ≈ 0.25 s a hash; production keeps argon2-cffi's defaults). The hash is still a real, salted $argon2id$ string.
PESAN_WBS_ARGON2 = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PESAN_ENCRYPTION_KEY = "dGVzdC1vbmx5LXBlc2FuLWVuY3J5cHRpb24ta2V5LTE="
# pytest-xdist runs several test processes at once: anything on disk or in a shared service gets a per-worker
# name (PYTEST_XDIST_WORKER: "gw0", "gw1", …; unset in a serial run). Each worker also gets its own test database
# (pytest-django appends the worker id to its name).
_WORKER = env_str("PYTEST_XDIST_WORKER")
_SUFFIX = f"-{_WORKER}" if _WORKER else ""
MEDIA_ROOT = Path(env_str("TEST_MEDIA_ROOT", "/tmp/pesan-test-media") + _SUFFIX)  # noqa: F405
CACHES = {  # one local-memory store under both aliases (same LOCATION: the same dict)
    alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pesan-test"}
    for alias in ("default", "strict")
}
if env_str("PESAN_TEST_CACHE_DIR"):  # a second process of tests/home/test_shared_cache.py: the embedded default
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("PESAN_TEST_CACHE_DIR"),
        }
        for alias in ("default", "strict")
    }
Q_CLUSTER = {**Q_CLUSTER, "sync": True}  # noqa: F405
Q_CLUSTER.pop("redis", None)
Q_CLUSTER["orm"] = "default"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": f"/tmp/pesan-test-private{_SUFFIX}"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = "http://testserver"
# django-axes is off by default in tests (the test client's login() passes no request); its own tests turn it on.
AXES_ENABLED = False

# --- Anti-robot check in tests (issue 16): a real proof of work, tiny, so tests solve it in Python (the altcha
# package, tests/layanan/conftest.py: solved_challenge) and the browser in a blink. Production: 50,000. ----------
PESAN_CHALLENGE_MAX_NUMBER = 200

# --- Public response cache (issue 9): off in tests; tests/home/test_public_cache.py turns it on. -----------
PESAN_PUBLIC_CACHE_SECONDS = 0
# --- Admin caches (issue 9): on in tests (one process, so the local-memory cache is shared by everything). ----
PESAN_ADMIN_CACHE_SECONDS = 300

# --- Test speed (parallel runs, tests/db_setup.py) --------------------------------------------------------------
# PostgreSQL: a test run needs no durability, so commits (transactional and browser tests, migrations) do not wait
# for the WAL to reach the disk. A per-connection setting: nothing changes on the server.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()

# --- Two-step verification (issue 15): not required in tests; tests/test_two_factor.py turns it on. ------------
PESAN_2FA_REQUIRED_GROUPS: list[str] = []
