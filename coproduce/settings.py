"""The one settings module, read from environment variables.

Development defaults are safe; with DEBUG off, a missing SECRET_KEY stops the app.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = envbool("DEBUG", "true")
TESTING = "pytest" in sys.modules

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = os.environ.get("SITE_NAME", "coproduce")
ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "Riverside Homes")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "coproduce.core",
    "coproduce.accounts",
    "coproduce.people",
    "coproduce.webhooks",
    "coproduce.messaging",
    "coproduce.projects",
    "coproduce.meetings",
    "coproduce.diversity",
    "coproduce.promises",
    "coproduce.tsm",
    "coproduce.evaluation",
    "coproduce.rewards",
    "coproduce.stories",
    "coproduce.privacy",
    "coproduce.tia",
    "coproduce.api",
    "coproduce.home",
    # After our apps, so coproduce/api/templates/ninja/swagger.html (accessible) wins.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session is read: a NUL byte in a cookie must never reach a query.
    "coproduce.core.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "coproduce.accounts.middleware.StaffSecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "coproduce.core.middleware.ErrorPageMiddleware",
]

ROOT_URLCONF = "coproduce.urls"
WSGI_APPLICATION = "coproduce.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "coproduce.home.context_processors.shell",
            ],
        },
    },
]

# Django's form renderer with inputs, selects and text areas drawn in Python (same HTML).
FORM_RENDERER = "coproduce.core.form_renderer.FastWidgetRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'coproduce.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", "0"),
        # Production under load (issue #20): with DB_CONN_MAX_AGE set, a kept connection is
        # checked before reuse, so a restarted PostgreSQL does not cause errors.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web app and the task worker use the file at the same time.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    # argon2id at OWASP's recommended minimum (m=19 MiB, t=2, p=1); see accounts/hashers.py.
    "coproduce.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Hashing cost is not under test; argon2 stays the production hasher.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Where `collectstatic` (run by `coproduce serve`) puts the files whitenoise serves.
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
WHITENOISE_USE_FINDERS = True
# Uploads (coproduce/core/uploads.py): a file over MAX_UPLOAD_MB is refused while it streams
# in, before it is kept or parsed; .xlsx/.docx archives may expand to at most
# UPLOAD_MAX_EXPANDED_MB (default ten times the upload limit). The import-people command
# takes files up to IMPORT_MAX_FILE_MB from the server's own disk.
MAX_UPLOAD_MB = envint("MAX_UPLOAD_MB", "25")
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
UPLOAD_MAX_EXPANDED_BYTES = envint("UPLOAD_MAX_EXPANDED_MB", str(10 * MAX_UPLOAD_MB)) * 1024 * 1024
UPLOAD_MAX_ARCHIVE_ENTRIES = envint("UPLOAD_MAX_ARCHIVE_ENTRIES", "10000")
UPLOAD_MAX_COMPRESSION_RATIO = envint("UPLOAD_MAX_COMPRESSION_RATIO", "100")
IMPORT_MAX_FILE_MB = envint("IMPORT_MAX_FILE_MB", "500")
FILE_UPLOAD_HANDLERS = [
    "coproduce.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Form fields other than files; files over FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "coproduce@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "30")

CACHES = {
    # The database cache is shared by every web process, so throttles hold across workers.
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "coproduce_cache",
    },
}
# Production under load (issue #20): with REDIS_URL set, every app server shares one Redis
# cache (throttles and rate limits in core/ratelimit.py then count across all servers).
# CACHE_KEY_PREFIX keeps two sites (say live and training) apart when they share one Redis.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
        },
    }
    # Sessions are read from Redis and written to both, so a page costs one query fewer
    # (issue #20) and a session still survives Redis being emptied or restarted.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Messages (coproduce/messaging). SITE_URL is how links in emails, texts and letters start.
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000")
# GOV.UK Notify sends texts (and letters, when LETTERS_BY_NOTIFY is on). With no API key, texts
# stay in the outbox page and letters wait for admin support to print a pack.
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
# Requests per token per minute on /api/v1/ (docs/api.md); more get 429 with Retry-After.
API_RATE_LIMIT = envint("API_RATE_LIMIT", "600")
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
# One Notify text template whose whole content is ((body)).
NOTIFY_SMS_TEMPLATE_ID = os.environ.get("NOTIFY_SMS_TEMPLATE_ID", "")
# The bearer token Notify sends with its delivery-status and received-text callbacks.
NOTIFY_CALLBACK_TOKEN = os.environ.get("NOTIFY_CALLBACK_TOKEN", "")
LETTERS_BY_NOTIFY = envbool("LETTERS_BY_NOTIFY", "false")
# Printed letters (coproduce/messaging/letters.py): the organisation's address at the top of
# every letter, the phone number people may ring, and the address reply slips are posted back to
# free of charge (a Royal Mail Freepost address). Lines are separated by "|".
LETTER_RETURN_ADDRESS = os.environ.get(
    "LETTER_RETURN_ADDRESS", "Involvement team|Riverside Homes|1 River Street|Northfield|NF1 2AB"
)
LETTER_PHONE = os.environ.get("LETTER_PHONE", "0113 496 0000")
LETTER_REPLY_ADDRESS = os.environ.get("LETTER_REPLY_ADDRESS", "Freepost RIVERSIDE HOMES")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# "Code these next": after a retraining of a health check's promise mapping finishes, the next
# one waits at least this long, so evaluators coding together do not keep a core busy.
REMAP_PAUSE_SECONDS = envint("REMAP_PAUSE_SECONDS", "20")

# The retention schedule (docs/retention.md): how long each kind of personal data is kept.
# Days, except the ledger (whole UK tax years after the one a payment falls in). Each can be
# changed with its environment variable; 0 switches that rule off (nothing of that kind goes).
RETENTION = {
    # Equality answers and their consent, once the person has not been involved for this long.
    "equality": envint("RETENTION_EQUALITY_DAYS", str(3 * 365)),
    # "Get involved" sign-ups never confirmed (still waiting, or declined) after this long.
    "sign_ups": envint("RETENTION_SIGN_UPS_DAYS", "183"),
    # Unmasked evidence, after the health check's report is presented to the board.
    "evidence_originals": envint("RETENTION_EVIDENCE_ORIGINALS_DAYS", "365"),
    # Raw story transcripts and journal photos, audio and video, after the project ends.
    "story_media": envint("RETENTION_STORY_MEDIA_DAYS", str(2 * 365)),
    # Logins not used for this long are switched off (never deleted).
    "tenant_logins": envint("RETENTION_TENANT_LOGINS_DAYS", str(2 * 365)),
    "staff_logins": envint("RETENTION_STAFF_LOGINS_DAYS", "90"),
    # Reward and expense records: personal detail removed this many tax years after the tax
    # year they fall in (HMRC: six years); amounts stay.
    "ledger": envint("RETENTION_LEDGER_TAX_YEARS", "6"),
    # Messages sent and texts received, after they were sent or received.
    "messages": envint("RETENTION_MESSAGES_DAYS", "365"),
    # Finished subject-access exports (the ZIP file), after the request is closed.
    "exports": envint("RETENTION_EXPORTS_DAYS", "30"),
    # Webhook events and their delivery log, after the event.
    "webhooks": envint("RETENTION_WEBHOOKS_DAYS", "90"),
    # Former tenants (tenancy ended, via the API) are erased this long after the later of the
    # tenancy's end and their last involvement.
    "former_tenants": envint("RETENTION_FORMER_TENANTS_DAYS", str(2 * 365)),
}
# Webhooks may post to private, loopback or link-local addresses only when this is on (tests).
WEBHOOKS_ALLOW_PRIVATE_NETWORKS = envbool("WEBHOOKS_ALLOW_PRIVATE_NETWORKS", "false")
# When the nightly retention task runs (local time, Europe/London).
RETENTION_RUN_AT = os.environ.get("RETENTION_RUN_AT", "02:30")

# Security headers and cookies -------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 3600))
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SAMESITE = "Lax"
# htmx reads the token from the page (hx-headers on <body>), never from the cookie.
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    # Behind a TLS proxy (nginx, a load balancer) that sets X-Forwarded-Proto, set
    # SECURE_PROXY_SSL_HEADER=true so Django knows the request came in over HTTPS. Only do this
    # when the proxy always sets (or strips) that header, or anybody could claim HTTPS.
    if envbool("SECURE_PROXY_SSL_HEADER", "false"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    # A load balancer's health check speaks plain HTTP to the app: never redirect it.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", str(365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
    # Preloading is a promise about the whole registrable domain (the landlord's, usually), so
    # it is off unless asked for; saying so is a decision, not an oversight.
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "false")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Content Security Policy (django-csp): only our own scripts, styles, images and fonts. No
# inline script or style anywhere (scripts live in core/static/coproduce/*.js, styles in
# coproduce.css and extra.css); QR codes are inline SVG, so data: images are allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

OTP_TOTP_ISSUER = SITE_NAME

# Staff single sign-on with OpenID Connect (docs/sso.md). Each provider is on when its variables
# are set; none set means no SSO buttons and the SSO addresses answer 404. Nothing is fetched at
# start-up: Entra's and Google's endpoints are fixed; a generic provider's discovery document is
# fetched when someone starts signing in with it (and cached).
SSO_PROVIDERS: dict[str, dict[str, str]] = {}
if os.environ.get("SSO_ENTRA_TENANT_ID") and os.environ.get("SSO_ENTRA_CLIENT_ID"):
    _tenant = os.environ["SSO_ENTRA_TENANT_ID"].strip()
    _entra = f"https://login.microsoftonline.com/{_tenant}"
    SSO_PROVIDERS["microsoft"] = {
        "kind": "entra",
        "name": "Microsoft",
        "client_id": os.environ["SSO_ENTRA_CLIENT_ID"],
        "client_secret": os.environ.get("SSO_ENTRA_CLIENT_SECRET", ""),
        "authorization_endpoint": f"{_entra}/oauth2/v2.0/authorize",
        "token_endpoint": f"{_entra}/oauth2/v2.0/token",
        "jwks_uri": f"{_entra}/discovery/v2.0/keys",
        "issuer": f"{_entra}/v2.0",
    }
if os.environ.get("SSO_GOOGLE_CLIENT_ID"):
    SSO_PROVIDERS["google"] = {
        "kind": "google",
        "name": "Google",
        "client_id": os.environ["SSO_GOOGLE_CLIENT_ID"],
        "client_secret": os.environ.get("SSO_GOOGLE_CLIENT_SECRET", ""),
        "authorization_endpoint": "https://accounts.google.com/o/oauth2/v2/auth",
        "token_endpoint": "https://oauth2.googleapis.com/token",
        "jwks_uri": "https://www.googleapis.com/oauth2/v3/certs",
        "issuer": "https://accounts.google.com",
        "hosted_domain": os.environ.get("SSO_GOOGLE_HOSTED_DOMAIN", "").strip().lower(),
    }
if os.environ.get("SSO_OIDC_ISSUER") and os.environ.get("SSO_OIDC_CLIENT_ID"):
    SSO_PROVIDERS["oidc"] = {
        "kind": "oidc",
        "name": os.environ.get("SSO_OIDC_NAME", "your organisation's account"),
        "client_id": os.environ["SSO_OIDC_CLIENT_ID"],
        "client_secret": os.environ.get("SSO_OIDC_CLIENT_SECRET", ""),
        "issuer": os.environ["SSO_OIDC_ISSUER"].rstrip("/"),
        "discovery": os.environ.get("SSO_OIDC_DISCOVERY", ""),
        "authorization_endpoint": os.environ.get("SSO_OIDC_AUTHORIZATION_ENDPOINT", ""),
        "token_endpoint": os.environ.get("SSO_OIDC_TOKEN_ENDPOINT", ""),
        "jwks_uri": os.environ.get("SSO_OIDC_JWKS_ENDPOINT", ""),
    }
# Entra sends no email_verified claim: its email is trusted only in these domains (or when the
# token's xms_edov claim says the domain is verified).
SSO_ENTRA_EMAIL_DOMAINS = [d.lower() for d in envlist("SSO_ENTRA_EMAIL_DOMAINS", "")]
# "allowed" (default) or "off": when off, staff other than the system admin cannot sign in with
# a password while SSO is configured.
SSO_STAFF_PASSWORDS = os.environ.get("SSO_STAFF_PASSWORDS", "allowed").strip().lower()
# When true, an SSO sign-in counts as two-step even if the token does not say MFA was used.
SSO_TRUSTS_PROVIDER_MFA = envbool("SSO_TRUSTS_PROVIDER_MFA", "false")
OIDC_TIMEOUT = 10
# The browser is redirected from our SSO start (a form POST) to the provider: allow it.
for _provider in SSO_PROVIDERS.values():
    _endpoint = _provider["authorization_endpoint"] or _provider["issuer"]
    _origin = "/".join(_endpoint.split("/")[:3])
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append(_origin)

# Staff sign-in security (docs/staff-security.md). Two-step sign-in is required for staff
# in production and optional while developing, so the demo logins work with a password alone.
STAFF_TWO_STEP_REQUIRED = envbool("STAFF_TWO_STEP_REQUIRED", "false" if DEBUG else "true")
# A staff session with no request for this many seconds is signed out.
STAFF_IDLE_TIMEOUT = envint("STAFF_IDLE_TIMEOUT", "1800")
# Exports and equality answers need the password entered within this many seconds.
REAUTH_WINDOW = envint("REAUTH_WINDOW", "900")

# How many proxies (TLS proxy, load balancer) stand in front of the app and append the address
# they saw to X-Forwarded-For. Throttles count per visitor's address, read from there; with 0
# (no proxy) it is REMOTE_ADDR. Behind a proxy, 0 would make every visitor share one address.
TRUSTED_PROXIES = envint("TRUSTED_PROXIES", "0")
# Login throttling: this many failures per account or per address within the window.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
LOGIN_FAILURE_WINDOW = envint("LOGIN_FAILURE_WINDOW", "900")
# "Get involved" spam defences.
GET_INVOLVED_MIN_SECONDS = envint("GET_INVOLVED_MIN_SECONDS", "5")
GET_INVOLVED_RATE_LIMIT = envint("GET_INVOLVED_RATE_LIMIT", "5")
GET_INVOLVED_RATE_WINDOW = envint("GET_INVOLVED_RATE_WINDOW", "600")
# Small-number suppression threshold for published figures.
SUPPRESSION_THRESHOLD = envint("SUPPRESSION_THRESHOLD", "10")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
CSRF_FAILURE_VIEW = "coproduce.core.views.csrf_failure"

if TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
