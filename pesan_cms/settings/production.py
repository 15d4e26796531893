"""Production: PostgreSQL (DATABASE_URL), Redis (REDIS_URL), HTTPS behind a reverse proxy.

Refuses to start without SECRET_KEY and PESAN_ENCRYPTION_KEY. With the required variables set,
``manage.py check --deploy`` prints no warnings.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
PESAN_ENCRYPTION_KEY = env_str("PESAN_ENCRYPTION_KEY")
if not PESAN_ENCRYPTION_KEY:
    raise ImproperlyConfigured(
        "PESAN_ENCRYPTION_KEY must be set in the environment for production (personal data is encrypted with it)."
    )

# HTTPS: the proxy terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script of ours or of Wagtail reads the CSRF cookie (forms carry the token)
X_FRAME_OPTIONS = "DENY"

# Static files served by whitenoise, right after the security middleware (MIDDLEWARE[0] is the WBS privacy
# middleware, which must stay first).
_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")  # noqa: F405
MIDDLEWARE = [*MIDDLEWARE[: _security + 1], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[_security + 1 :]]  # noqa: F405
STORAGES["staticfiles"] = {"BACKEND": "pesan_cms.storage.MemoizedManifestStaticFilesStorage"}  # noqa: F405
