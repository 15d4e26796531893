"""Local development: the embedded default (SQLite, ORM broker, console e-mail)."""

from .base import *  # noqa: F403
from .env import env_list, env_str

DEBUG = True
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = ["*"]
# The HTML browsable API, in development only (base: JSON only).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_RENDERER_CLASSES": [
        "home.absolute_urls.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# A fixed development key so demo data stays readable between runs. Never used in production.
PESAN_ENCRYPTION_KEY = env_str("PESAN_ENCRYPTION_KEY", "ZGV2LW9ubHktcGVzYW4tZW5jcnlwdGlvbi1rZXktMDE=")
# The demo's officers sign in with the printed demo passwords; two-step verification stays available from the
# account menu but is not forced here (production requires it for PESAN_2FA_REQUIRED_GROUPS; set the variable
# to try the required flow locally).
PESAN_2FA_REQUIRED_GROUPS = env_list("PESAN_2FA_REQUIRED_GROUPS", [])
