"""Settings for hr_police: one file, every deployment choice read from the environment.

A fresh checkout runs on SQLite under var/ with no configuration; a deployment sets
DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL. See .env.example.
"""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from hr_police.database import database_from_url
from hr_police.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)

_DEV_SECRET_KEY = "dev-only-insecure-key-never-used-with-debug-off"
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG off the app refuses to start "
            "without a real secret key (50 or more random characters). Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too weak for use with DJANGO_DEBUG off: "
        "use 50 or more random characters."
    )

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else []
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "ninja",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    # The apps, from the bottom layer up (pyproject.toml's import-linter contracts).
    "privatefiles",
    "privacy",
    "agreements",
    "liaisons",
    "accounts",
    "mediation",
    "score_replies",
    "perception",
    "consultations",
    "peer_reports",
    "scoring",
    "reports",
    "bundles",
    "workspace",
    "api",
    "demo",
]

MIDDLEWARE = [
    # First: a database outage anywhere below becomes a friendly 503, not a 500.
    "hr_police.db_unavailable.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "accounts.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Picks the language: the language cookie set by the switcher, then Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "agreements.audit.AuditContextMiddleware",
    "accounts.security.AbsoluteSessionLimitMiddleware",
    "accounts.security.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hr_police.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agreements.context_processors.navigation",
                "workspace.context_processors.record_kinds",
            ],
        },
    },
]

WSGI_APPLICATION = "hr_police.wsgi.application"

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL"), default_sqlite=BASE_DIR / "var" / "hr_police.sqlite3"
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # django-axes counts failed sign-ins and refuses them during a lockout.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("HR_POLICE_LOGIN_THROTTLING", default=True)
AXES_FAILURE_LIMIT = env_int("HR_POLICE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("HR_POLICE_LOGIN_LOCKOUT_MINUTES", 15))
# A user name is locked out only for the client address that failed; behind a proxy that
# address is the one the proxy writes (HR_POLICE_CLIENT_IP_HEADER), read as the audit log
# reads it, never the proxy's own.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "agreements.audit.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Two-factor sign-in (TOTP) for admins, managers and liaisons: on unless debugging.
HR_POLICE_REQUIRE_2FA = env_bool("HR_POLICE_REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = "hr_police"

# Sessions end after 30 minutes without a request, and 12 hours after sign-in.
SESSION_COOKIE_AGE = env_int("HR_POLICE_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
# Database sessions whose save reports an outage as one (hr_police/sessions.py).
SESSION_ENGINE = "hr_police.sessions"
HR_POLICE_SESSION_MAX_HOURS = env_int("HR_POLICE_SESSION_MAX_HOURS", 12)

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# English (Canada) by default; French (Canada) through the switcher or Accept-Language.
LANGUAGE_CODE = "en-ca"
LANGUAGES = [("en-ca", "English"), ("fr-ca", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own en_CA and fr_CA formats (24-hour clock, "14 h 30") before Django's.
FORMAT_MODULE_PATH = ["hr_police.formats"]
# The switcher's choice outlives the session (a year), and is sent only over HTTPS
# in production like every other cookie.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "UTC"  # stored times are UTC; each site's own timezone is applied per site
USE_I18N = True
USE_TZ = True

# Private files (signed protocol PDFs, network reports) live in the database, which every
# app server shares, and have no URL: the views that check access stream them
# (privatefiles/, docs/decisions.md). "default" is the same, so that no file field can
# write to a local folder, or to a public one, by omission.
_PRIVATE_STORAGE = {"BACKEND": "privatefiles.storage.DatabaseStorage"}
STORAGES = {
    "default": _PRIVATE_STORAGE,
    "private": _PRIVATE_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The folder where earlier versions kept private files; read once by
# `manage.py import_private_files` when upgrading (docs/operations.md).
HR_POLICE_PRIVATE_FILES = Path(env_str("HR_POLICE_PRIVATE_FILES") or BASE_DIR / "var" / "private")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT") or BASE_DIR / "var" / "static")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# HTTPS everywhere outside development (`manage.py check --deploy` reports nothing).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers probe app servers over plain HTTP inside the network; "ok" carries nothing.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env_bool("HR_POLICE_BEHIND_TLS_PROXY", default=False):
    # The proxy terminates TLS and says so in this header; set only behind such a proxy.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No script or style from anywhere but this server, and none inline.
HR_POLICE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
# No page uses a camera, a microphone, the location or any other powerful feature: deny
# them all, so that injected or embedded content cannot ask for them either.
HR_POLICE_PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
        "fullscreen", "geolocation", "gyroscope", "magnetometer", "microphone", "midi",
        "payment", "picture-in-picture", "publickey-credentials-get", "screen-wake-lock",
        "usb", "xr-spatial-tracking",
    )
)  # fmt: skip
# Added to every answer by accounts.security.SecurityHeadersMiddleware (and by the
# database-outage answer, which comes from outside it). Cross-Origin-Resource-Policy:
# no other site may embed a page, an image or a file of this one (a PDF, a CSV).
HR_POLICE_SECURITY_HEADERS = {
    "Content-Security-Policy": HR_POLICE_CSP,
    "Permissions-Policy": HR_POLICE_PERMISSIONS_POLICY,
    "Cross-Origin-Resource-Policy": "same-origin",
}

# Background tasks (the network report) with django-tasks. "database": queued in the
# database for `manage.py db_worker`, a process of its own (production). "immediate": run
# at once in the request, so `make run` and the tests need no second process.
HR_POLICE_TASK_BACKEND = env_str("HR_POLICE_TASK_BACKEND") or ("immediate" if DEBUG else "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if HR_POLICE_TASK_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"HR_POLICE_TASK_BACKEND must be database or immediate (got {HR_POLICE_TASK_BACKEND!r})."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[HR_POLICE_TASK_BACKEND]}}

# A shared cache (Redis) makes the API rate limit hold across several app servers; the
# default local-memory cache counts per process.
if env_str("HR_POLICE_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("HR_POLICE_CACHE_URL"),
            # Keeps apart deployments (or check runs) that share one Redis.
            "KEY_PREFIX": env_str("HR_POLICE_CACHE_KEY_PREFIX"),
        }
    }

# API requests per minute, per token or per signed-in user.
HR_POLICE_API_RATE_PER_MINUTE = env_int("HR_POLICE_API_RATE_PER_MINUTE", 120)

# Follow-up code look-ups (peer reports) per hour from one address: guessing a code is
# hopeless at this pace, and a reporter checking their status never meets the limit.
HR_POLICE_FOLLOW_UP_PER_HOUR = env_int("HR_POLICE_FOLLOW_UP_PER_HOUR", 10)

# An API token works this many days unless its maker chooses fewer or more (1 to 365).
HR_POLICE_API_TOKEN_DAYS = env_int("HR_POLICE_API_TOKEN_DAYS", 90)
if not 1 <= HR_POLICE_API_TOKEN_DAYS <= 365:
    raise ImproperlyConfigured(
        f"HR_POLICE_API_TOKEN_DAYS={HR_POLICE_API_TOKEN_DAYS} must be from 1 to 365 days."
    )

# An invitation's one-time link works this many days (1 to 30), then a new one is sent.
HR_POLICE_INVITATION_DAYS = env_int("HR_POLICE_INVITATION_DAYS", 7)
if not 1 <= HR_POLICE_INVITATION_DAYS <= 30:
    raise ImproperlyConfigured(
        f"HR_POLICE_INVITATION_DAYS={HR_POLICE_INVITATION_DAYS} must be from 1 to 30 days."
    )

# Check-in schedules create their occurrences this many months ahead.
HR_POLICE_SCHEDULE_MONTHS_AHEAD = env_int("HR_POLICE_SCHEDULE_MONTHS_AHEAD", 6)

# Counts from 1 to T−1 are shown to researchers as "<T" (Health Canada uses 10).
HR_POLICE_SUPPRESSION_THRESHOLD = env_int("HR_POLICE_SUPPRESSION_THRESHOLD", 10)

# Narratives and check-in notes are blanked after this many days (`purge_narratives`).
HR_POLICE_NARRATIVE_RETENTION_DAYS = env_int("HR_POLICE_NARRATIVE_RETENTION_DAYS", 365)

# Audit log: addresses are kept this many days, then blanked (`expire_audit_ips`).
HR_POLICE_AUDIT_IP_DAYS = env_int("HR_POLICE_AUDIT_IP_DAYS", 90)
# Behind a reverse proxy, the request header that holds the client's address, as Django
# names it (for example HTTP_X_FORWARDED_FOR); empty means REMOTE_ADDR.
HR_POLICE_CLIENT_IP_HEADER = env_str("HR_POLICE_CLIENT_IP_HEADER")

# How many rows a list page shows; small enough for a phone, large enough to scan.
HR_POLICE_PAGE_SIZE = env_int("HR_POLICE_PAGE_SIZE", 25)

# E-mail (check-in reminders, invitations). Any Django backend works; in debug, messages
# are printed to the console unless a backend is named, so a developer never mails real
# officers (docs/operations.md, E-mail).
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "hr_police <hr-police@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Officers are reminded this many days before a check-in (site-local dates).
HR_POLICE_REMINDER_DAYS = env_int("HR_POLICE_REMINDER_DAYS", 3)
# Managers are reminded of check-ins awaiting an outcome from the last this many days.
HR_POLICE_OUTCOME_REMINDER_WINDOW_DAYS = env_int("HR_POLICE_OUTCOME_REMINDER_WINDOW_DAYS", 30)
# Where the app is reached, for links in e-mails (which have no request to build them).
HR_POLICE_BASE_URL = env_str("HR_POLICE_BASE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}
