"""Settings for the test suite. DATABASE_URL selects PostgreSQL in CI; SQLite otherwise."""

from .base import *  # noqa: F403
from .env import env_str

DEBUG = False
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdef"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PESAN_ENCRYPTION_KEY = "dGVzdC1vbmx5LXBlc2FuLWVuY3J5cHRpb24ta2V5LTE="
MEDIA_ROOT = Path(env_str("TEST_MEDIA_ROOT", "/tmp/pesan-test-media"))  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pesan-test"}}
Q_CLUSTER = {**Q_CLUSTER, "sync": True}  # noqa: F405
Q_CLUSTER.pop("redis", None)
Q_CLUSTER["orm"] = "default"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": "/tmp/pesan-test-private"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = "http://testserver"
# django-axes is off by default in tests (the test client's login() passes no request); its own tests turn it on.
AXES_ENABLED = False

# --- Captcha in tests (issue 7): the answer "PASSED" is accepted (django-simple-captcha's test mode). -------
CAPTCHA_TEST_MODE = True
CAPTCHA_FLITE_PATH = None  # audio is tested by patching; never depends on the machine

# --- Public response cache (issue 9): off in tests; tests/home/test_public_cache.py turns it on. -----------
PESAN_PUBLIC_CACHE_SECONDS = 0
# --- Admin caches (issue 9): on in tests (one process, so the local-memory cache is shared by everything). ----
PESAN_ADMIN_CACHE_SECONDS = 300
