"""casebase settings: one file, driven by environment variables."""

import datetime
import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
# The test suite runs with debug off, as production does, but needs no secret.
TESTING = "pytest" in sys.modules
# With debug off the key must come from the environment. Commands that sign nothing (migrate,
# makemigrations, seed) run without it; serving refuses to start (see wsgi.py), and anything that
# signs raises Django's own "SECRET_KEY must not be empty".
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and (DEBUG or TESTING):
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "casebase.apps.StaffAdminConfig",  # the Django admin with two-factor sign-in (casebase/staff.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    # Full-text search types and lookups; harmless on SQLite, where search uses FTS5 instead.
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "django_tasks_db",  # the database backend of Django's Tasks framework (mail to readers and editors)
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "casebase.knowledge",
    "casebase.editorial",
    "casebase.api",
    "corsheaders",  # cross-origin GET on /api/ (CORS_* below)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer, so the API's answers and preflights carry CORS headers.
    "corsheaders.middleware.CorsMiddleware",
    "casebase.middleware.DatabaseUnavailableMiddleware",
    # Before anything that reads the database: which requests may read from a replica (DATABASE_REPLICA_URL).
    "casebase.routers.ReplicaReadsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "casebase.middleware.SessionIdleClockMiddleware",
    "django.middleware.common.CommonMiddleware",
    "casebase.middleware.ReaderMethodsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "casebase.urls"
WSGI_APPLICATION = "casebase.wsgi.application"
ASGI_APPLICATION = "casebase.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

# SQLite file in the project folder unless DATABASE_URL names another database.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
# A database that is down or hung answers within seconds, so a request fails fast with the
# "briefly unavailable" page (casebase.middleware) instead of holding a worker until it is killed.
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
DATABASE_STATEMENT_TIMEOUT_MS = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "10000"))
# Reader pages may read from a replica of the primary (casebase/routers.py); tests use the primary in its place.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=True,
    ) | {"TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["casebase.routers.PrimaryReplicaRouter"]
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database.setdefault("OPTIONS", {}).update(
            connect_timeout=DATABASE_CONNECT_TIMEOUT,
            options=f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}",
        )
    elif _database["ENGINE"] == "django.db.backends.sqlite3":
        _database.setdefault("OPTIONS", {}).setdefault("timeout", DATABASE_CONNECT_TIMEOUT)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Staff sign-in: django-axes counts failures per username and per address, and a locked-out
# sign-in fails even with the right password until the cool-off has passed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "staff/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
if env_bool("DJANGO_BEHIND_PROXY"):
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
OTP_TOTP_ISSUER = "casebase"
# Staff sessions end after this long without a request: a request restarts the clock, at most once a minute
# (casebase.middleware.SessionIdleClockMiddleware).
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_IDLE_SECONDS", str(2 * 60 * 60)))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "casebase.storage.StaticFilesStorage"
        )
    },
}
# Where `manage.py dump_public` writes the bulk dumps that the downloads page (/data/) lists and serves.
DUMPS_DIR = Path(os.environ.get("DUMPS_DIR", BASE_DIR / "dumps"))

# Serve files straight from the finders in development so `collectstatic` is not needed there.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Strict Content Security Policy: everything from this site, no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG and env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY") else None
# HTTPS in production: redirect plain HTTP (behind a proxy, trusting X-Forwarded-Proto above) and
# tell browsers to use HTTPS only. Both follow DJANGO_SECURE_COOKIES' "served over HTTPS" default.
_HTTPS = not DEBUG and not TESTING and env_bool("DJANGO_SECURE_COOKIES", True)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", _HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000" if _HTTPS else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
CSRF_FAILURE_VIEW = "casebase.errors.csrf_failure"
# Where server errors are mailed (comma-separated addresses).
ADMINS = env_list("DJANGO_ADMINS")
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

# Email through Django 6.1's MAILERS. SMTP when EMAIL_HOST is set, else the console (nothing leaves
# the machine) so a fresh checkout never tries to reach a mail server.
_smtp_options = {
    "host": os.environ.get("EMAIL_HOST", ""),
    "port": int(os.environ.get("EMAIL_PORT", "25")),
    "username": os.environ.get("EMAIL_HOST_USER", ""),
    "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS"),
    "timeout": 10,
}
MAILERS = {
    "default": (
        {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": _smtp_options}
        if _smtp_options["host"]
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "casebase <desk@casebase.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work through Django's Tasks framework: the database queue of django-tasks-db in
# production, run by `manage.py db_worker`; in development and tests each task runs at once.
TASKS_IMMEDIATE = env_bool("DJANGO_TASKS_IMMEDIATE", DEBUG or TESTING)
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend" if TASKS_IMMEDIATE else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# Readers' reports (casebase/editorial): abuse limits. Rates are "count/period" as django-ratelimit
# reads them; addresses are counted only as keyed hashes, with CORRECTIONS_HASH_KEY (default: the
# secret key) as the key.
CORRECTIONS_HASH_KEY = os.environ.get("CORRECTIONS_HASH_KEY", "")
CORRECTIONS_RATE_PER_ADDRESS = os.environ.get("CORRECTIONS_RATE_PER_ADDRESS", "5/h")
CORRECTIONS_RATE_PER_PAGE = os.environ.get("CORRECTIONS_RATE_PER_PAGE", "20/h")
# Behind a reverse proxy the reader's address is the last one the proxy added to X-Forwarded-For.
CORRECTIONS_PROXY_COUNT = 1 if env_bool("DJANGO_BEHIND_PROXY") else 0
# Mail to the desk's address: fetched over IMAP when a host is set, else from a local Maildir.
CORRECTIONS_MAIL_ADDRESS = os.environ.get("CORRECTIONS_MAIL_ADDRESS", "editorial@casebase.invalid")
CORRECTIONS_IMAP_HOST = os.environ.get("CORRECTIONS_IMAP_HOST", "")
CORRECTIONS_IMAP_PORT = int(os.environ.get("CORRECTIONS_IMAP_PORT", "993"))
CORRECTIONS_IMAP_SECURITY = os.environ.get("CORRECTIONS_IMAP_SECURITY", "ssl")  # ssl, starttls or none
CORRECTIONS_IMAP_USER = os.environ.get("CORRECTIONS_IMAP_USER", "")
CORRECTIONS_IMAP_PASSWORD = os.environ.get("CORRECTIONS_IMAP_PASSWORD", "")
CORRECTIONS_IMAP_MAILBOX = os.environ.get("CORRECTIONS_IMAP_MAILBOX", "INBOX")
CORRECTIONS_MAILDIR = os.environ.get("CORRECTIONS_MAILDIR", "")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache"
        if not os.environ.get("CACHE_URL")
        else "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("CACHE_URL", "casebase"),
    }
}
# Reader pages from the cache (casebase/caching.py): a change to public content shows on the next request.
# On by default only with a shared cache (CACHE_URL): the local-memory cache is one per process, so with several
# workers a change made in one would not reach the pages the others hold. PAGE_CACHE=1 turns it on anyway (one
# process), 0 off. Tests run without it unless a test turns it on. The timeout only bounds memory, and how long
# a page may keep a date-relative phrase from the day it was rendered.
PAGE_CACHE = env_bool("PAGE_CACHE", bool(os.environ.get("CACHE_URL")) and not TESTING)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# Each worker's own copy of the pages it served last, checked against the shared version (casebase/caching.py).
PAGE_CACHE_LOCAL_MB = int(os.environ.get("PAGE_CACHE_LOCAL_MB", "32"))

# The read-only JSON API (casebase/api): anonymous, JSON only, throttled per client address.
API_ANON_RATE = os.environ.get("API_ANON_RATE", "120/minute")
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "casebase.api.pagination.CountedPagination",
    "DEFAULT_THROTTLE_CLASSES": ["casebase.api.errors.AnonymousRateThrottle"],
    "EXCEPTION_HANDLER": "casebase.api.errors.handle_exception",
    # The client address for throttling: REMOTE_ADDR, or behind our proxy the address it saw. Never a
    # client's own X-Forwarded-For, which would let anyone pick a fresh address per request.
    "NUM_PROXIES": 1 if env_bool("DJANGO_BEHIND_PROXY") else 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "casebase API",
    "DESCRIPTION": "Read-only API of published enforcement cases against AI and data companies: cases, remedies, "
    "companies, authorities, datasets, trained models, exposure lists, sources and correction notices. "
    "The case list takes the same filter parameters as the site's case list and returns the same cases. "
    "Anonymous, no key; see /api/ for the guide.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "casebase.knowledge.models.DatePrecision",
        "CaseKindEnum": "casebase.knowledge.models.CaseKind",
        "CaseStatusEnum": "casebase.knowledge.models.CaseStatus",
        "SourceKindEnum": "casebase.knowledge.models.SourceKind",
        "RemedyStatusEnum": "casebase.knowledge.models.RemedyStatus",
    },
    "LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
}
# GET from any origin on the API only; no cookies travel with it.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["Retry-After"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
