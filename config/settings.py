"""Setu settings, driven by environment variables.

SETU_ENV picks the profile: "dev" (the default: DEBUG on, SQLite under var/, emails to the
console) or "prod" (DEBUG off, SECRET_KEY required, secure cookies, HSTS). Every other value
has a sensible default for a first run; docs/operations.md lists them all.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SETU_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SETU_ENV = os.environ.get("SETU_ENV", "dev")
if SETU_ENV not in {"dev", "prod"}:
    raise ImproperlyConfigured(f"SETU_ENV must be 'dev' or 'prod', not {SETU_ENV!r}")
PRODUCTION = SETU_ENV == "prod"

DEBUG = False if PRODUCTION else env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when SETU_ENV=prod")
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"  # noqa: S105  # dev profile only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",
    "setu.core",
    "setu.accounts",
    "setu.directory",
    "setu.privacy",
    "setu.events",
    "setu.matchmaking",
    "setu.coordination",
    "setu.library",
    "setu.webhooks",
    "setu.exchanges",
    "setu.culture",
    "setu.results",
    "setu.tourism",
    # the public API (django-ninja serves its docs page's assets from its static folder)
    "ninja",
    "setu.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "setu.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "setu.accounts.middleware.StaffSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]
if os.environ.get("DATABASE_REPLICA_URL"):
    MIDDLEWARE.append("setu.core.replica.ReplicaMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "setu.core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite under var/ by default (WAL, immediate transactions so writers queue instead of failing);
# PostgreSQL when DATABASE_URL says so.
VAR_DIR.mkdir(parents=True, exist_ok=True)
# How long a request waits for a lock before it gives up with "please try again" (the event
# row on PostgreSQL, via SET LOCAL lock_timeout; the whole database on SQLite, busy_timeout).
SETU_LOCK_TIMEOUT_MS = int(os.environ.get("SETU_LOCK_TIMEOUT_MS", "5000"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'setu.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA busy_timeout={SETU_LOCK_TIMEOUT_MS};"
        ),
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Production shape: read replica, shared cache, nginx (issue 18, decision 0019) -----------
# A streaming replica for reads that may be a little stale (setu/core/replica.py). Without
# DATABASE_REPLICA_URL there is one database and no router: everything as before.
SETU_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("SETU_REPLICA_MAX_LAG_SECONDS", "5"))
SETU_REPLICA_CHECK_SECONDS = float(os.environ.get("SETU_REPLICA_CHECK_SECONDS", "2"))
SETU_REPLICA_STICKY_SECONDS = int(os.environ.get("SETU_REPLICA_STICKY_SECONDS", "15"))
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
    # Tests never write to a real replica: they read the test database through it.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["setu.core.replica.ReplicaRouter"]
# Redis for the cache (sign-in limits, used TOTP codes) and sessions when several app servers
# share the work; the local-memory cache of one process otherwise.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "setu"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
# Behind nginx, a permitted download is sent by nginx itself: the app answers with
# X-Accel-Redirect to this internal location (which maps MEDIA_ROOT), not with the bytes.
SETU_X_ACCEL_REDIRECT_PREFIX = os.environ.get("SETU_X_ACCEL_REDIRECT_PREFIX", "")


# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_ADAPTER = "setu.accounts.adapter.AccountAdapter"
# The sign-up form also asks for the person's name (Latin letters and own script) and, for an
# invitation, fixes the invited address.
ACCOUNT_FORMS = {"signup": "setu.accounts.forms.SignupForm"}
# "Successfully signed in as 山田 花子": the name in the reader's script, never the email.
ACCOUNT_USER_DISPLAY = "setu.accounts.models.user_display"
# Five failed attempts for one email within 15 minutes lock that email out for the window;
# ten a minute from one address are refused too (allauth's own limits, see docs/decisions).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/900s/key"}
SETU_SIGNUP_OPEN = env_bool("SETU_SIGNUP_OPEN", True)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Setu"
# A code from the 30 s step before or after is accepted too (RFC 6238 §5.2's allowance for
# clock drift and typing time): a code typed as the phone's counter turns over is not refused.
# Each code still works once (allauth remembers used codes for the whole window).
MFA_TOTP_TOLERANCE = 1
# The enrolment page keeps one secret per attempt, however often it is loaded.
MFA_FORMS = {"activate_totp": "setu.accounts.forms.ActivateTOTPForm"}

# --- Tasks ----------------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Where the file backend (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend)
# writes one file per message.
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Setu <noreply@setu.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Languages and time ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ja", _("Japanese")), ("hi", _("Hindi"))]
# Our catalogs, then Hindi for django-allauth (which ships none); both win over Django's own.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-allauth"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
SETU_TIME_ZONES = ["Asia/Tokyo", "Asia/Kolkata", "UTC"]

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-free meta tag; kept default
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"forbidden_in_one_line": {"()": "setu.core.log_filters.ForbiddenInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # A 403 is one line, not a traceback (setu.core.log_filters).
        "django.request": {"filters": ["forbidden_in_one_line"]},
    },
}

# --- Setu -----------------------------------------------------------------------------------
# The default name is translated; a deployment that sets its own shows it as written.
SETU_CONSORTIUM_NAME = os.environ.get("SETU_CONSORTIUM_NAME") or _(
    "Japan–India Prefectures Network"
)
SETU_INVITATION_DAYS = int(os.environ.get("SETU_INVITATION_DAYS", "14"))
# Plans of two members within this many days in one city, state or target are a clash.
SETU_CLASH_MARGIN_DAYS = int(os.environ.get("SETU_CLASH_MARGIN_DAYS", "3"))
# Webhooks (docs/webhooks.md): tries per delivery, failed tries in a row before a subscription
# is paused, the first retry's delay (doubling after), the request timeout, and whether private
# and loopback addresses may receive (a closed network; never on the internet).
SETU_WEBHOOKS_MAX_ATTEMPTS = int(os.environ.get("SETU_WEBHOOKS_MAX_ATTEMPTS", "8"))
SETU_WEBHOOKS_PAUSE_AFTER = int(os.environ.get("SETU_WEBHOOKS_PAUSE_AFTER", "20"))
SETU_WEBHOOKS_RETRY_BASE_SECONDS = int(os.environ.get("SETU_WEBHOOKS_RETRY_BASE_SECONDS", "30"))
SETU_WEBHOOKS_TIMEOUT_SECONDS = int(os.environ.get("SETU_WEBHOOKS_TIMEOUT_SECONDS", "5"))
SETU_WEBHOOKS_ALLOW_PRIVATE = env_bool("SETU_WEBHOOKS_ALLOW_PRIVATE", False)
SETU_WEBHOOKS_HTTPS_ONLY = env_bool("SETU_WEBHOOKS_HTTPS_ONLY", PRODUCTION)
# Where emails sent by the worker link to (there is no request to take the host from).
SETU_BASE_URL = os.environ.get("SETU_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# The site's name in emails ("Hello from Setu!"); its domain is SETU_BASE_URL's.
SETU_SITE_NAME = os.environ.get("SETU_SITE_NAME", "Setu")
# Privacy (docs/privacy.md): days to answer a grievance (DPDP Rules 2025: at most 90), days
# an export's link works, days for APPI's "prompt" preliminary breach report (the PPC's
# guidance reads 3–5), and the retention period in days of each registered data category
# (a category missing here is kept). The audit log is redacted, never deleted, and not before
# SETU_AUDIT_MIN_DAYS (DPDP Rules: logs kept at least a year).
SETU_PRIVACY_GRIEVANCE_DAYS = int(os.environ.get("SETU_PRIVACY_GRIEVANCE_DAYS", "90"))
SETU_PRIVACY_EXPORT_DAYS = int(os.environ.get("SETU_PRIVACY_EXPORT_DAYS", "7"))
SETU_PRIVACY_APPI_PRELIMINARY_DAYS = int(os.environ.get("SETU_PRIVACY_APPI_PRELIMINARY_DAYS", "5"))
SETU_AUDIT_MIN_DAYS = 365
SETU_RETENTION_DAYS: dict[str, int] = {
    "guest_registrations": int(os.environ.get("SETU_RETAIN_GUEST_REGISTRATIONS_DAYS", "730")),
    "matchmaking_profiles": int(os.environ.get("SETU_RETAIN_MATCHMAKING_PROFILES_DAYS", "1095")),
    "applications": int(os.environ.get("SETU_RETAIN_APPLICATIONS_DAYS", "1825")),
    "exports": int(os.environ.get("SETU_RETAIN_EXPORTS_DAYS", "7")),
    "logs": int(os.environ.get("SETU_RETAIN_LOG_DETAILS_DAYS", "1095")),
}

# The API (docs/api.md): requests per minute per token, and the largest request body accepted.
SETU_API_RATE_LIMIT = int(os.environ.get("SETU_API_RATE_LIMIT", "300"))
SETU_API_MAX_BODY_BYTES = int(os.environ.get("SETU_API_MAX_BODY_BYTES", str(64 * 1024)))
# Inbound visits (docs/inbound.md, decision 0022): the Fernet keys that seal visitors' passport
# details at rest, newest first, comma-separated (MultiFernet: the first encrypts, all decrypt,
# so a key can be rotated in). The dev profile derives one from SECRET_KEY; prod must set it.
SETU_VISITOR_KEYS = env_list("SETU_VISITOR_KEYS", "")
if not SETU_VISITOR_KEYS and PRODUCTION:
    raise ImproperlyConfigured("SETU_VISITOR_KEYS must be set when SETU_ENV=prod")
# Visitors' details are erased this many days after the visit's last day.
SETU_VISITOR_RETENTION_DAYS = int(os.environ.get("SETU_VISITOR_RETENTION_DAYS", "90"))
# the privacy app's retention job erases the same details (category "visitor_details")
SETU_RETENTION_DAYS["visitor_details"] = SETU_VISITOR_RETENTION_DAYS
