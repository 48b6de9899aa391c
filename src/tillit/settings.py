"""Tillit's settings, all read from environment variables (see docs/settings.md)."""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tillit.env import env_bool, env_int, env_list, env_str, env_time, env_time_range

BASE_DIR = Path(__file__).resolve().parent

DEMO = env_bool("TILLIT_DEMO", False)
# The demo runs with DEBUG off, so that it shows the service's own error pages (never Django's
# debug page with its URL list); LOCAL covers what the demo and development share: plain HTTP on
# this machine, a fixed key, static files straight from the source tree.
DEBUG = env_bool("DEBUG", False)
LOCAL = DEBUG or DEMO

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not LOCAL:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-not-for-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if LOCAL else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "tillit.accounts",
    "tillit.organisation",
    "tillit.individuals",
    "tillit.access",
    "tillit.audit",
    "tillit.children",
    "tillit.api",
    "tillit.front",
    "tillit.kundval",  # kundval (issue 4)
    "tillit.orgwork",  # organising the quality work (issue 16)
    "tillit.incidents",  # deviations, complaints, Lex Sarah, provider follow-up (issue 13)
    "tillit.quality",  # quality management, part A (issue 13)
    "tillit.goals",  # goals and national comparison (issue 15)
    "tillit.surveys",  # user-survey results (issue 14)
    "tillit.public",  # the public side: Jämföraren, e-services (issue 14)
    "tillit.demo",
    "tillit.deadlines",
    "tillit.changelog",
    "tillit.admin_site.TillitAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "simple_history",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "mozilla_django_oidc",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tillit.accounts.middleware.IdleSessionMiddleware",
    "tillit.front.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tillit.accounts.middleware.RequireSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tillit.urls"
WSGI_APPLICATION = "tillit.wsgi.application"
ASGI_APPLICATION = "tillit.asgi.application"

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
                "django.template.context_processors.i18n",
                "tillit.front.context.navigation",
            ],
        },
    },
]

# --- Database: SQLite by default, PostgreSQL through DATABASE_URL ------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{Path.cwd() / 'tillit.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
    "DB_JIT", False
):
    # PostgreSQL's JIT compiles a plan whose estimated cost is high, which costs 100-250 ms
    # before the first row: ruinous for a page's short queries (benchmarks/README.md, pages at
    # ten times Nacka), and nothing here runs long enough to gain from it.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so the access-log chain never forks.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Background tasks: django-tasks with its database backend, run by `tillit db_worker` -------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Authentication -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "front:start"
LOGOUT_REDIRECT_URL = "accounts:login"

OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", "email")
OIDC_CREATE_USER = False
OIDC_SATISFIES_SECOND_FACTOR = env_bool("OIDC_SATISFIES_SECOND_FACTOR", True)
# The return from the identity provider: failures counted per address like wrong passwords.
OIDC_CALLBACK_CLASS = "tillit.accounts.oidc.CallbackView"
# Seconds to wait for the identity provider's token and user endpoints (never forever).
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10, minimum=1, maximum=120)
if OIDC_ENABLED and not (OIDC_OP_AUTHORIZATION_ENDPOINT and OIDC_OP_TOKEN_ENDPOINT):
    raise ImproperlyConfigured("OIDC_RP_CLIENT_ID is set but the OIDC_OP_* endpoints are not.")

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("tillit.accounts.oidc.TillitOIDCBackend")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

REQUIRE_SECOND_FACTOR = env_bool("TILLIT_REQUIRE_2FA", not LOCAL)
OTP_TOTP_ISSUER = env_str("TILLIT_OTP_ISSUER", "Tillit")
TILLIT_ENROLMENT_CODE_HOURS = env_int("TILLIT_ENROLMENT_CODE_HOURS", 72, minimum=1, maximum=720)

AXES_FAILURE_LIMIT = env_int("TILLIT_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("TILLIT_LOCKOUT_MINUTES", 30) / 60
# Lock the combination of account and address, so a stranger cannot lock out a colleague;
# guessing across accounts from one address is capped by TILLIT_LOGIN_FAILURES_PER_ADDRESS.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = False
BEHIND_PROXY = env_bool("TILLIT_BEHIND_PROXY", False)
TILLIT_PROXY_COUNT = env_int("TILLIT_PROXY_COUNT", 1 if BEHIND_PROXY else 0, minimum=0, maximum=5)
AXES_CLIENT_IP_CALLABLE = "tillit.audit.log.client_ip"
AXES_USERNAME_CALLABLE = "tillit.accounts.lockout.axes_username"
# Failed logins one client address may make per hour, whatever the usernames (429 after).
TILLIT_LOGIN_FAILURES_PER_ADDRESS = env_int("TILLIT_LOGIN_FAILURES_PER_ADDRESS", 50, minimum=1)
# Unknown, revoked or expired API keys one client address may send an hour (then 429).
TILLIT_API_KEY_FAILURES_PER_ADDRESS = env_int(
    "TILLIT_API_KEY_FAILURES_PER_ADDRESS", 20, minimum=1, maximum=10000
)

# --- Cache: shared by every server process (rate limits); the database unless CACHE_URL ------
CACHE_URL = env_str("CACHE_URL") or env_str("REDIS_URL")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "tillit_cache"}
}
# django-ratelimit prefers memcached/django-redis; the database cache is shared but its
# increment is not atomic, so two simultaneous posts may count once (see docs/settings.md).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# --- Sessions, cookies and headers --------------------------------------------------------------
SESSION_COOKIE_AGE = env_int("TILLIT_SESSION_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = False  # IdleSessionMiddleware slides the expiry
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE = env_bool("TILLIT_SECURE", not LOCAL)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "tillit.front.errors.csrf_failure"
SECURE_SSL_REDIRECT = SECURE and env_bool("TILLIT_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("TILLIT_HSTS_SECONDS", 31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF, *env_list("TILLIT_CSP_FORM_ACTION", [])],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}

# --- Language and time --------------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(Path.cwd() / "staticfiles")))
# Uploaded attachments hold personal data: never served as static files, only through views
# that check reach and write the access log.
MEDIA_ROOT = Path(env_str("TILLIT_MEDIA_ROOT", str(Path.cwd() / "tillit-files")))
MEDIA_URL = "/__bilagor-serveras-inte-direkt__/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if LOCAL
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Locally WhiteNoise serves the files from the source tree (no collectstatic), DEBUG on or off.
WHITENOISE_USE_FINDERS = LOCAL

# --- Mail ---------------------------------------------------------------------------------------
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tillit@localhost")

# --- Tillit's own rules -------------------------------------------------------------------------
# Social workers keep reading a closed case for this many days (for the closing documentation).
TILLIT_CLOSED_CASE_ACCESS_DAYS = env_int("TILLIT_CLOSED_CASE_ACCESS_DAYS", 30)
# Organising the quality work (issue 16): an assignment (uppdrag) is acknowledged within this
# many working days of its receipt.
TILLIT_ASSIGNMENT_ACK_WORKING_DAYS = env_int(
    "TILLIT_ASSIGNMENT_ACK_WORKING_DAYS", 3, minimum=1, maximum=30
)
# A quality developer's stated audit purpose lasts this many hours.
TILLIT_AUDIT_PURPOSE_HOURS = env_int("TILLIT_AUDIT_PURPOSE_HOURS", 8)
# Child-and-family deadlines; each unit may override these in the admin (UnitDeadlinePolicy).
# A report received at or after the cut-off, or outside office hours, gets its protective
# assessment the next day.
TILLIT_PROTECTIVE_CUTOFF = env_time("TILLIT_PROTECTIVE_CUTOFF", "16:00")
TILLIT_OFFICE_HOURS = env_time_range("TILLIT_OFFICE_HOURS", "08:00-16:30")
# Whether lag (1930:173) moves a period ending on a day off to the next working day.
TILLIT_APPLY_1930_173 = env_bool("TILLIT_APPLY_1930_173", True)
TILLIT_DEADLINE_WARNING_DAYS = env_int("TILLIT_DEADLINE_WARNING_DAYS", 3, minimum=0, maximum=60)
TILLIT_REMINDER_DAYS = env_int("TILLIT_REMINDER_DAYS", 2, minimum=0, maximum=60)
TILLIT_MISSED_NOTICE_DAYS = env_int("TILLIT_MISSED_NOTICE_DAYS", 14, minimum=1, maximum=365)
# A new investigation within 30 days of closing one that ended this close to (or past) its limit
# is flagged (JO 2565-2016, JO 2411-2017).
TILLIT_JO_NEAR_LIMIT_DAYS = env_int("TILLIT_JO_NEAR_LIMIT_DAYS", 14, minimum=0, maximum=120)
# Self-audits (issue 13): a plan may be released after its target was met in this many runs in
# a row; with INDEPENDENT on (the board's decision), a quality developer may not audit the unit
# they belong to.
TILLIT_SELF_AUDIT_RELEASE_RUNS = env_int("TILLIT_SELF_AUDIT_RELEASE_RUNS", 2, minimum=1, maximum=12)
TILLIT_SELF_AUDIT_INDEPENDENT = env_bool("TILLIT_SELF_AUDIT_INDEPENDENT", False)
# Attachments to reports: largest size and the accepted types.
TILLIT_ATTACHMENT_MAX_MB = env_int("TILLIT_ATTACHMENT_MAX_MB", 10, minimum=1, maximum=100)
# The API takes a report's attachments base64-encoded in its JSON body (4/3 of the bytes) and
# counts them together against TILLIT_ATTACHMENT_MAX_MB; the rest of a report is far below 1 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = (TILLIT_ATTACHMENT_MAX_MB * 4 // 3 + 2) * 1024 * 1024
TILLIT_ATTACHMENT_TYPES = env_list(
    "TILLIT_ATTACHMENT_TYPES", ["application/pdf", "image/jpeg", "image/png", "text/plain"]
)
# Largest CSV file of historical reports accepted on the import page (docs/import.md).
TILLIT_IMPORT_MAX_MB = env_int("TILLIT_IMPORT_MAX_MB", 50, minimum=1, maximum=500)
# Kundval (issue 4): how many closed months a payment run checks for adjustments, and how long
# provider staff keep reaching a customer after the voucher left them.
TILLIT_KUNDVAL_ADJUSTMENT_MONTHS = env_int("TILLIT_KUNDVAL_ADJUSTMENT_MONTHS", 24)
TILLIT_VOUCHER_ACCESS_DAYS = env_int("TILLIT_VOUCHER_ACCESS_DAYS", 45)
# Posts to the public application form per client address and hour (Django's cache).
TILLIT_KUNDVAL_APPLICATIONS_PER_HOUR = env_int(
    "TILLIT_KUNDVAL_APPLICATIONS_PER_HOUR", 10, minimum=1, maximum=10000
)
# Posts to the public complaints form (/synpunkter/) per client address and hour (Django's cache).
TILLIT_COMPLAINTS_PER_HOUR = env_int("TILLIT_COMPLAINTS_PER_HOUR", 10, minimum=1, maximum=10000)
# Switching the access log off exists only so the benchmark can measure its cost.
# The public side (issue 14, docs/public.md): posts per client address and hour on each public
# form, the fewest answers a survey figure needs to be shown, and the eID start (empty: none).
TILLIT_PUBLIC_POSTS_PER_HOUR = env_int("TILLIT_PUBLIC_POSTS_PER_HOUR", 20, minimum=1, maximum=10000)
TILLIT_SURVEY_MIN_ANSWERS = env_int("TILLIT_SURVEY_MIN_ANSWERS", 10, minimum=1, maximum=10000)
TILLIT_PUBLIC_EID_LOGIN_URL = env_str("TILLIT_PUBLIC_EID_LOGIN_URL")

TILLIT_ACCESS_LOG_ENABLED = True
# The access log's chain key and its signed checkpoints (docs/access.md). Without the key
# one is derived from SECRET_KEY, and `check --deploy` fails outside DEBUG/demo.
AUDIT_HMAC_KEY = env_str("AUDIT_HMAC_KEY")
TILLIT_AUDIT_CHECKPOINT_DIR = Path(
    env_str("TILLIT_AUDIT_CHECKPOINT_DIR", str(Path.cwd() / "tillit-checkpoints"))
)
TILLIT_AUDIT_CHECKPOINT_EMAIL = env_list("TILLIT_AUDIT_CHECKPOINT_EMAIL", [])
TILLIT_AUDIT_CHECKPOINT_SYSLOG = env_str("TILLIT_AUDIT_CHECKPOINT_SYSLOG")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
