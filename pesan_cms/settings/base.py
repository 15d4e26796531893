"""Settings shared by every run mode. Everything that differs between installs comes from the environment.

See README.md ("Configuration") for the table of environment variables.
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # PESAN apps
    "home",
    "regulasi",
    "berita",
    "layanan",
    # Two-step verification of officers' logins (pesan_cms.two_factor)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Wagtail
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.frontend_cache",  # purges a CDN/reverse proxy on publish when WAGTAILFRONTENDCACHE is set
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail_modeladmin",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Third party
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "django_q",
    "storages",
    "csp",
    "axes",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "layanan.wbs.privacy.WbsPrivacyMiddleware",  # first: WBS requests lose client address, user agent, referrer
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "home.cache.PublicCacheMiddleware",  # issue 9: anonymous public reads from the cache, before sessions
    "home.memo.PublicSiteMiddleware",  # issue 20: an anonymous public read's Wagtail site without a query
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pesan_cms.middleware.LocaleMiddleware",
    "pesan_cms.middleware.RejectNulMiddleware",  # %00 anywhere in a request → 400, never a database error
    "pesan_cms.middleware.ApiTrailingSlashMiddleware",  # POST /api/…/requests (no slash) is not lost to a 301
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",  # issue 15: request.user.is_verified() (two-step verification)
    "pesan_cms.two_factor.TwoFactorMiddleware",  # required for some roles; unverified sessions logged out
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "pesan_cms.exceptions.DatabaseUnavailableMiddleware",  # database down → 503 page, not a traceback
    "csp.middleware.CSPMiddleware",
    # Last: admin login brute-force protection (django-axes) watches the authentication results.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: refuses locked-out clients before any password is checked (it authenticates nobody
    # itself). AxesBackend rather than AxesStandaloneBackend so that force_login()/get_user work with it first.
    "pesan_cms.auth.CachedPermissionsAxesBackend",  # axes' backend, officers' permissions cached (issue 9)
    "django.contrib.auth.backends.ModelBackend",  # the actual username/password check
]

ROOT_URLCONF = "pesan_cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "layanan.wbs.privacy.private_page",
            ],
            # {% time_zone_label %} in every template, e-mails included (pesan_cms.timezones).
            "builtins": ["pesan_cms.template_builtins"],
        },
    },
]

WSGI_APPLICATION = "pesan_cms.wsgi.application"

# Database: DATABASE_URL, default an SQLite file beside manage.py (the embedded default).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default has two writers (the web server and the django-q2 cluster's workers). BEGIN IMMEDIATE
    # takes the write lock when a transaction starts and waits up to ``timeout`` seconds for it, instead of
    # failing with "database is locked" when a reading transaction tries to write (the outbox task's
    # lock-run-mark, issue 15); WAL lets readers go on while one writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_TIMEOUT", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Indonesian first, English second. Times are stored in UTC and shown, counted and dated in
# the institution's zone: TIME_ZONE (WIB Asia/Jakarta by default; WITA Asia/Makassar, WIT Asia/Jayapura), its
# label after times from pesan_cms.timezones (TIME_ZONE_LABEL to override).
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta")
if env_str("TIME_ZONE_LABEL"):
    PESAN_CALENDAR_TIMEZONE_LABEL = env_str("TIME_ZONE_LABEL")
USE_I18N = True
USE_TZ = True
# The second entry fills what Wagtail's, wagtail-modeladmin's and django-filter's own Indonesian catalogues lack
# (kept by hand; the project's strings win over it, it wins over the packages'): docs/admin-language.md.
LOCALE_PATHS = [PROJECT_DIR / "locale", PROJECT_DIR / "locale_admin"]

# Static files and media
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# Citizens' attachments and WBS evidence live in the "private" storage: outside MEDIA_ROOT, never under
# MEDIA_URL, served only through the authorised download views (token, receipt code or desk permission).
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Optional S3-compatible media (django-storages) when a bucket is named.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    # Private files: their own prefix, never public-read, URLs only ever signed.
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_PRIVATE_BUCKET_NAME", AWS_STORAGE_BUCKET_NAME),
            "location": "private",
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
    AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME") or None
    AWS_S3_CUSTOM_DOMAIN = env_str("AWS_S3_CUSTOM_DOMAIN") or None
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = env_bool("AWS_QUERYSTRING_AUTH", True)
    AWS_S3_FILE_OVERWRITE = False

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Cache and django-q2 broker: Redis when REDIS_URL is set, otherwise a cache on disk + the ORM broker.
# "default" keeps the site working while Redis is down (pesan_cms/cache.py: reads miss, writes are skipped);
# "strict" is the same store with Django's own backend (one client reused: pesan_cms.cache), for what must not degrade
# silently (WBS code guessing).
# Without Redis the cache is a directory every process of the install shares (web server, qcluster, manage.py):
# a page published by the qcluster's news approval is served fresh by the web process at once (issue 15).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "pesan_cms.cache.OutageTolerantRedisCache", "LOCATION": REDIS_URL},
        "strict": {"BACKEND": "pesan_cms.cache.ReusingRedisCache", "LOCATION": REDIS_URL},
    }
    # Sessions read from Redis, written through to the database (a cache flush logs nobody out): no session
    # query on an officer's every admin page (issue 9).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    _cache_dir = env_str("PESAN_CACHE_DIR", str(BASE_DIR / "var" / "cache"))
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": _cache_dir},
        "strict": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": _cache_dir},
    }

# The django-q2 cluster name is its queue's name in Redis (django_q:<name>:q): installs sharing one Redis must
# not share a queue (issue 15: one install took and dropped the other's e-mails), so it follows the cache key
# prefix unless Q_CLUSTER_NAME says otherwise.
Q_CLUSTER = {
    "name": env_str("Q_CLUSTER_NAME") or env_str("CACHE_KEY_PREFIX") or "pesan",
    "workers": env_int("Q_WORKERS", 2),
    "timeout": 300,
    "retry": 360,
    "max_attempts": 5,
    "catch_up": False,
    "label": "Django Q2",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# E-mail (console unless EMAIL_HOST is set)
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "PPID <ppid@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# CORS for headless front ends: only the API is cross-origin readable.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = (
    "accept",
    "accept-language",
    "content-type",
    "x-access-token",
    "x-csrftoken",
    "authorization",
)

# Wagtail
WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "PESAN")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Headless clients get display HTML: no <embed> or linktype= ever reaches them (Wagtail 8).
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
# One root URL for every absolute URL (API answers, renditions' full_url, e-mails): WAGTAILADMIN_BASE_URL
# (issue 19, home.absolute_urls; docs/api-urls.md). No separate WAGTAILAPI_BASE_URL variable any more.
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100
# Draft preview in a decoupled front end (home.preview, issue 19): how long (seconds) a preview token is valid.
PESAN_PREVIEW_TOKEN_SECONDS = env_int("PESAN_PREVIEW_TOKEN_SECONDS", 3600)
# Renditions a client may ask for with /api/v2/images/?rendition=<size>[|format-<format>] (home.api.renditions):
# width-<w> for these widths (px), fill-<w>x<h> (cropped around the focal point) for these sizes, these formats
# (a format Pillow cannot write here is left out at run time). Anything else is a 400.
PESAN_IMAGE_RENDITIONS = {
    "widths": [320, 480, 640, 800, 1024, 1280, 1600, 1920],
    "fills": ["320x180", "640x360", "1280x720", "1920x1080", "400x400", "800x800", "1200x630"],
    "formats": ["webp", "avif", "jpeg", "png"],
}
WAGTAIL_I18N_ENABLED = False

# Django REST framework + OpenAPI
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "pesan_cms.openapi.AutoSchema",  # + parameters computed at generation (issue 15)
    # An unavailable database answers 503 + Retry-After ("nothing was saved"), never a 500.
    "EXCEPTION_HANDLER": "pesan_cms.exceptions.api_exception_handler",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PARSER_CLASSES": [
        "pesan_cms.parsers.JSONParser",
        "pesan_cms.parsers.FormParser",
        "pesan_cms.parsers.MultiPartParser",
    ],
    # JSON only: the HTML browsable API is for development (settings.dev adds it). Links to the site inside rich
    # text leave absolute, under the site's root URL (issue 19, home.absolute_urls).
    "DEFAULT_RENDERER_CLASSES": ["home.absolute_urls.JSONRenderer"],
    "DEFAULT_THROTTLE_RATES": {
        "submission": env_str("THROTTLE_SUBMISSION", "30/hour"),
        "lookup": env_str("THROTTLE_LOOKUP", "120/hour"),
        "wbs_access": env_str("THROTTLE_WBS_ACCESS", "10/hour"),  # wrong WBS receipt codes per client
        "anon": env_str("THROTTLE_ANON", "1000/hour"),
        "password_reset": env_str("THROTTLE_PASSWORD_RESET", "5/hour"),  # admin "forgot password" e-mails
        "access_recovery": env_str("THROTTLE_ACCESS_RECOVERY", "5/hour"),  # "forgot my access", per client
        "access_recovery_number": env_str("THROTTLE_ACCESS_RECOVERY_NUMBER", "3/day"),  # per number and contact
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PESAN API",
    "DESCRIPTION": (
        "Headless API of PESAN: the PPID website (pages, images, documents, regulations, public-information "
        "list), the service desk (PPID requests, objections, SP4N-LAPOR reports, ticket status) and the "
        "working-day calendar. Dates are ISO 8601; times are returned with their offset (WIB, +07:00). A null "
        "character (U+0000) anywhere in a request is refused with a 400."
    ),
    "VERSION": "2.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["home.api.schema.only_public_api"],
    # Distinct component names for enums whose field names (kind, status) recur in other apps.
    "ENUM_NAME_OVERRIDES": {
        "RegulationKindEnum": "regulasi.models.RegulationKind.choices",
        "RegulationStatusEnum": "regulasi.models.RegulationStatus.choices",
        "RatingScoreEnum": "layanan.core.models.ratings.SCORES",  # the 1–4 scale of all nine elements
        "ObjectionReasonEnum": "layanan.ppid.models.OBJECTION_REASONS.choices",  # UU 14/2008 Pasal 35(1) a–g
        "ObjectionReasonWithoutRequestEnum": ["b"],  # reason (b) needs no request (schema rule of the objection)
        "NavigationItemKindEnum": ["page", "link"],  # kind of a menu item (home.api.navigation)
    },
}

# PESAN: personal-data encryption key (Fernet, urlsafe base64, 32 bytes). Production refuses to start without it.
PESAN_ENCRYPTION_KEY = env_str("PESAN_ENCRYPTION_KEY")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"wbs_privacy": {"()": "layanan.wbs.privacy.WbsLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["wbs_privacy"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}

# --- Security headers (issue 8): django-csp policy, HSTS, framing, referrer ---------------------------------
# (owned by the hardening work; see SECURITY.md). HSTS and secure cookies: production.py.
from csp.constants import NONE as _CSP_NONE  # noqa: E402
from csp.constants import SELF as _CSP_SELF  # noqa: E402
from csp.constants import UNSAFE_INLINE as _CSP_UNSAFE_INLINE  # noqa: E402

# Reverse proxies in front of Django that append to X-Forwarded-For (0: use REMOTE_ADDR). Rate limits
# (pesan_cms.throttling), the WBS pseudonym and admin lockouts (django-axes) all read the client address this way.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
REST_FRAMEWORK["NUM_PROXIES"] = TRUSTED_PROXY_COUNT

X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views override it with SAMEORIGIN themselves
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

_CSP_IMG = [_CSP_SELF, "data:", "blob:", *env_list("CSP_EXTRA_IMG_SRC")]  # e.g. the S3/CDN host of images
if AWS_STORAGE_BUCKET_NAME and env_str("AWS_S3_CUSTOM_DOMAIN"):
    _CSP_IMG.append(f"https://{env_str('AWS_S3_CUSTOM_DOMAIN')}")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_CSP_SELF],
        "script-src": [_CSP_SELF],  # no inline script, no eval, nothing from elsewhere
        "style-src": [_CSP_SELF],
        "img-src": _CSP_IMG,
        "font-src": [_CSP_SELF, "data:"],
        "connect-src": [_CSP_SELF],
        "media-src": [_CSP_SELF, *env_list("CSP_EXTRA_MEDIA_SRC")],
        "frame-src": [_CSP_SELF, *env_list("CSP_EXTRA_FRAME_SRC")],  # e.g. https://www.youtube-nocookie.com
        "object-src": [_CSP_NONE],
        "base-uri": [_CSP_SELF],
        "form-action": [_CSP_SELF],
        "frame-ancestors": [_CSP_NONE],
        **({"report-uri": [env_str("CSP_REPORT_URI")]} if env_str("CSP_REPORT_URI") else {}),
    },
}
# Path prefixes whose screens need more (pesan_cms.security.PathCSPMiddleware replaces these directives):
# - Wagtail admin: its widgets write style attributes, and Wagtail 8's older form widgets (snippet and date
#   choosers) still start with small INLINE scripts (`new SnippetChooser(...)`, `initDateTimeChooser(...)`),
#   whose ids vary per field, so no hash list can cover them: 'unsafe-inline' for scripts in the admin only.
#   The preview panel frames same-origin previews. The login page keeps scripts to 'self' (it needs none inline).
# - Swagger UI / ReDoc: the sidecar bundles set inline styles and use blob: workers (set-up script is a file).
PESAN_CSP_PATH_REPLACE = {
    "/admin/": {
        "script-src": [_CSP_SELF, _CSP_UNSAFE_INLINE],
        "style-src": [_CSP_SELF, _CSP_UNSAFE_INLINE],
        "frame-ancestors": [_CSP_SELF],
    },
    "/admin/login/": {"style-src": [_CSP_SELF, _CSP_UNSAFE_INLINE], "frame-ancestors": [_CSP_NONE]},
    "/api/docs/": {"style-src": [_CSP_SELF, _CSP_UNSAFE_INLINE], "worker-src": [_CSP_SELF, "blob:"]},
    "/api/redoc/": {"style-src": [_CSP_SELF, _CSP_UNSAFE_INLINE], "worker-src": [_CSP_SELF, "blob:"]},
}
MIDDLEWARE[MIDDLEWARE.index("csp.middleware.CSPMiddleware")] = "pesan_cms.security.PathCSPMiddleware"
# No Gravatar in the admin: it would send a hash of every officer's e-mail address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no call from officers' browsers to releases.wagtail.org

# --- Admin brute-force protection (issue 8): django-axes ---------------------------------------------------
# Locked: the (username, client address) PAIR after AXES_FAILURE_LIMIT wrong passwords, for the cool-off time.
# Not the username alone (anyone could lock an officer out by typing their name) and not the address alone
# (officers behind one office NAT would lock each other out). A success resets the pair's counter.
from datetime import timedelta as _timedelta  # noqa: E402

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = _timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the cool-off ends on time even if guessing goes on
AXES_LOCKOUT_TEMPLATE = "security/axes_lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "pesan_cms.security.client_ip"  # same address as the rate limits (TRUSTED_PROXY_COUNT)
# Only used if django-ipware gets installed; kept in line with the callable above.
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = env_list(
    "AXES_IPWARE_META_PRECEDENCE_ORDER", ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
)
AXES_SENSITIVE_PARAMETERS = ["password"]

# --- Spam protection on public forms (issue 7; issue 16: an ALTCHA proof of work instead of the image captcha) ---
# Site-wide search (/cari/): Wagtail's database backend everywhere; on PostgreSQL the full-text search uses the
# "indonesian" text-search configuration (snowball stemmer: "peraturan", "diatur", "aturan" all match "atur").
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "indonesian"
# Anti-robot check on the site's PPID request, objection, LAPOR and WBS forms (not on the API: throttles +
# honeypot): layanan.site.challenge. Signed, not stored; defaults (50,000 numbers, 20 minutes, key derived from
# SECRET_KEY) in layanan/core/conf.py.
if env_str("PESAN_CHALLENGE_HMAC_KEY"):
    PESAN_CHALLENGE_HMAC_KEY = env_str("PESAN_CHALLENGE_HMAC_KEY")
if env_str("PESAN_CHALLENGE_MAX_NUMBER"):
    PESAN_CHALLENGE_MAX_NUMBER = env_int("PESAN_CHALLENGE_MAX_NUMBER", 50_000)

# --- Caching of public reads and scale-out (issue 9) ------------------------------------------------------
# Whole-response cache of anonymous public reads (home/cache.py): server-side lifetime in seconds (0: off),
# and the max-age browsers/CDNs get (short: a publish invalidates our cache at once, not theirs).
PESAN_PUBLIC_CACHE_SECONDS = env_int("PESAN_PUBLIC_CACHE_SECONDS", 300)
# Admin caches (home.admin_chrome: sidebar, shortcuts dialog, admin config; pesan_cms.auth: officers' permissions;
# the desk's year and unit filters), lifetime in seconds, 0 = off. Invalidated at once when users, groups,
# permissions or unit memberships change — through the shared cache, so only with Redis (REDIS_URL): with the
# per-process local-memory cache a change seen by one worker would not reach the others. Off without Redis.
PESAN_ADMIN_CACHE_SECONDS = env_int("PESAN_ADMIN_CACHE_SECONDS", 300 if REDIS_URL else 0)
PESAN_PUBLIC_CACHE_MAX_AGE = env_int("PESAN_PUBLIC_CACHE_MAX_AGE", 60)
# Stored items (issue 20, home/stored.py): each page's item in the public API lists and details, and the site's
# header, footer and home-page content, stored per version of what they show (the same invalidation as the
# response cache), so a cold response computes only what changed. Lifetime in seconds (0: off); like the response
# cache's, it bounds how late content computed from the clock may show.
PESAN_STORED_ITEMS_SECONDS = env_int("PESAN_STORED_ITEMS_SECONDS", 300)
# A reverse proxy or CDN in front of the site (issue 20): Wagtail's frontend_cache purges a page's URLs, its
# parent's and its API detail on publish/unpublish (home.cache) when PESAN_FRONTEND_CACHE_PURGE_URL is set — the
# HTTP PURGE endpoint of Varnish/nginx (HTTPBackend). Other backends (Cloudflare, CloudFront, Azure): set
# WAGTAILFRONTENDCACHE in a settings module. Shared caches hold public responses for s-maxage seconds
# (PESAN_PUBLIC_CACHE_SHARED_MAX_AGE; default: the server-side lifetime when purging is configured, else
# max-age, since without purging a shared cache could not be told of a publish).
WAGTAILFRONTENDCACHE = {}
if env_str("PESAN_FRONTEND_CACHE_PURGE_URL", ""):
    WAGTAILFRONTENDCACHE["default"] = {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": env_str("PESAN_FRONTEND_CACHE_PURGE_URL", ""),
    }
PESAN_PUBLIC_CACHE_SHARED_MAX_AGE = env_int(
    "PESAN_PUBLIC_CACHE_SHARED_MAX_AGE",
    PESAN_PUBLIC_CACHE_SECONDS if WAGTAILFRONTENDCACHE else PESAN_PUBLIC_CACHE_MAX_AGE,
)
# Read replicas (pesan_cms/db_router.py): DATABASE_REPLICA_URLS, comma-separated (or one DATABASE_REPLICA_URL).
# Public content reads go to a replica; writes, the service desk and anything after a write go to "default".
_replica_urls = env_list("DATABASE_REPLICA_URLS") or env_list("DATABASE_REPLICA_URL")
for _i, _url in enumerate(_replica_urls):
    DATABASES[f"replica{_i + 1}" if _i else "replica"] = {
        **dj_database_url.parse(_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 0)),
        "TEST": {"MIRROR": "default"},  # test runs: the replica alias reads the test database
    }
if _replica_urls:
    DATABASE_ROUTERS = ["pesan_cms.db_router.ReplicaRouter"]
# Redis: cache and django-q2 broker come from REDIS_URL above; short socket timeouts so a stuck Redis
# cannot hold a web worker for long.
if REDIS_URL:
    for _alias in ("default", "strict"):
        CACHES[_alias]["OPTIONS"] = {"socket_timeout": 2, "socket_connect_timeout": 2}
        CACHES[_alias]["KEY_PREFIX"] = env_str("CACHE_KEY_PREFIX", "pesan")
# Any number of `manage.py qcluster` processes may run; each also runs django-q2's scheduler, which locks the
# due schedules (SELECT … FOR UPDATE on PostgreSQL) so a schedule fires once. Q_SCHEDULER=0 turns it off
# on a cluster (e.g. keep schedules on one host).
Q_CLUSTER["scheduler"] = env_bool("Q_SCHEDULER", True)

_ = _  # gettext_lazy is imported for app settings that need translated labels

# --- API schema: documented error answers (issue 8, permission matrix / fuzzing helper) -------------------------
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",  # drf-spectacular's default hook, kept
    "home.api.schema.document_error_responses",
    "home.api.schema.multipart_without_null",  # issue 15: a form field cannot be null
]

# --- Two-step verification (issue 15, pesan_cms/two_factor.py) ---------------------------------------------------
WAGTAILADMIN_USER_LOGIN_FORM = "pesan_cms.two_factor.LoginForm"
# Groups whose members must sign in with a code from an authenticator app (comma-separated names; empty: none).
PESAN_2FA_REQUIRED_GROUPS = env_list("PESAN_2FA_REQUIRED_GROUPS", ["Inspektorat (WBS)", "PPID Utama"])
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "PESAN")

# --- Training mode (issue 21, layanan/training.py, docs/training.md) ----------------------------------------------
# A workshop install: ``manage.py reset_training`` may delete every ticket and recreate the training set.
# Never set on an install holding real citizens' submissions.
PESAN_TRAINING_MODE = env_bool("PESAN_TRAINING_MODE", False)
# The folder of the guides' pictures (layanan/guides.py: <folder>/<name>.png Indonesian, <folder>/en/<name>.png
# English), written only by tests/browser/test_guide_screens.py (`make guides` writes the committed default; an
# ordinary run of that test writes a folder of its own and points this setting at it).
PESAN_GUIDE_SCREENSHOTS_DIR = env_str("PESAN_GUIDE_SCREENSHOTS_DIR", str(BASE_DIR / "docs" / "guides" / "screenshots"))
