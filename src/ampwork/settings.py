"""Settings, all from environment variables (``AMPWORK_*``) with a working default.

Nothing here needs editing to run ampwork: with no variables set it uses an SQLite
file and a generated secret key in the per-user data directory.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from platformdirs import user_data_dir

from ampwork.core.caches import CacheURLError, cache_from_url

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("AMPWORK_DATA_DIR") or user_data_dir("ampwork", appauthor=False))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The secret key: from the environment, else generated once and kept (0600)."""
    if key := os.environ.get("AMPWORK_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(50)
    # O_EXCL: two processes starting at once must not each write a different key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    return key


SECRET_KEY = _secret_key()
DEBUG = _env_bool("AMPWORK_DEBUG")
ALLOWED_HOSTS = _env_list("AMPWORK_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = _env_list("AMPWORK_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # sign-in, password reset, single sign-on, two-factor, sessions (docs/architecture.md)
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    "allauth.usersessions",
    "ampwork.core",
    "ampwork.okrs",
    "ampwork.fairness",
    "ampwork.pulse",
    "ampwork.purpose",
    "ampwork.autonomy",
    "ampwork.mastery",
    "ampwork.advisor",
    "ampwork.conversations",
    "ampwork.feeds",
    "ampwork.integrations",
    "ampwork.classroom",
    "ampwork.notifications",
    "ampwork.chat",
    "ampwork.demo",
    "django_prometheus",  # /metrics (docs/operations.md "Metrics")
]

MIDDLEWARE = [
    # first and (below) last but one: request counts and latencies for /metrics
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # a request id for every line logged while a request runs, one line per request
    "ampwork.logs.RequestLogMiddleware",
    # a NUL byte in the query string: 400 (422 on the API) before any view runs
    "ampwork.core.middleware.RefuseNulInQueryMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # each signed-in session recorded, so a person can see and end theirs
    "ampwork.core.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ampwork.core.middleware.CurrentOrganisationMiddleware",
    # each page in its reader's language: theirs, the cookie's, their browser's, their
    # organisation's (needs the person the line above finds; core/languages.py)
    "ampwork.core.middleware.LanguageMiddleware",
    # after one's own change, the organisation-wide summaries one sees include it
    "ampwork.core.summaries.WroteMiddleware",
    # outside django-axes, so a lockout counts with its own status (429)
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # last, as django-axes asks: it turns a lockout into the sign-in page with HTTP 429
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ampwork.urls"
WSGI_APPLICATION = "ampwork.wsgi.application"

TEMPLATES = [
    {
        # Django's engine; a page's data freed once it is rendered (core/templating.py)
        "BACKEND": "ampwork.core.templating.Templates",
        "NAME": "django",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ampwork.core.context_processors.navigation",
            ],
        },
    }
]


def _database() -> dict[str, Any]:
    url = os.environ.get("AMPWORK_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if url:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
        config.setdefault("OPTIONS", {})
        if config["ENGINE"] == "django.db.backends.postgresql":
            config["CONN_HEALTH_CHECKS"] = True
            # a database host that does not answer: /readyz and pages fail in 5 s, not
            # after the system's TCP timeout with a thread held all along
            config["OPTIONS"].setdefault("connect_timeout", 5)
        return config
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "ampwork.sqlite3"),
        "OPTIONS": {
            # WAL lets readers and one writer work at once; IMMEDIATE takes the write
            # lock at BEGIN so concurrent writers wait (timeout) instead of failing.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


# Prometheus metrics (django-prometheus) at /metrics: requests, latencies, database
# queries and errors. Readable with AMPWORK_METRICS_TOKEN as a bearer token, or from an
# address in AMPWORK_METRICS_ALLOW (addresses or networks; loopback by default).
METRICS = _env_bool("AMPWORK_METRICS", True)
METRICS_TOKEN = os.environ.get("AMPWORK_METRICS_TOKEN", "")
METRICS_ALLOW = _env_list("AMPWORK_METRICS_ALLOW", ["127.0.0.1", "::1"])
if [item.lower() for item in METRICS_ALLOW] == ["none"]:  # the token only
    METRICS_ALLOW = []
try:
    METRICS_NETWORKS = [ipaddress.ip_network(item, strict=False) for item in METRICS_ALLOW]
except ValueError as exc:
    raise ImproperlyConfigured(f"AMPWORK_METRICS_ALLOW: {exc}") from None
PROMETHEUS_EXPORT_MIGRATIONS = False  # no database query while the app loads
# django-prometheus' database wrappers count queries and errors per connection
_COUNTED_ENGINES = {
    f"django.db.backends.{name}": f"django_prometheus.db.backends.{name}"
    for name in ("sqlite3", "postgresql")
}

DATABASES = {"default": _database()}
if METRICS:
    _engine = DATABASES["default"]["ENGINE"]
    DATABASES["default"]["ENGINE"] = _COUNTED_ENGINES.get(_engine, _engine)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
# django-axes first: it refuses a locked-out account or address before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

# django-allauth (ampwork.core.accounts): people sign in with their email; nobody signs up
# on their own (an organisation adds its people); answers never reveal whether an email
# has an account; its rate limits (per address and per email) guard resets and codes.
ACCOUNT_ADAPTER = "ampwork.core.accounts.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = True  # sessions last SESSION_COOKIE_AGE, as before
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "ampwork: "
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # a reset for an unknown address sends nothing at all
# "Where you're signed in" shows when each session was last seen: ampwork's middleware
# (core/middleware.py) stamps it at most every few minutes, not on every request
USERSESSIONS_TRACK_ACTIVITY = True
# Failed password sign-ins are django-axes' (per account, and a looser limit per address so
# a class behind one school address is not locked out together); allauth's own per-address
# limits would count the same tries again, per process, and 30 a minute per address is one
# class. allauth.mfa limits wrong two-factor codes only through "login_failed", keyed per
# account: 5 wrong codes in 5 minutes lock code entry (sign-in and reauthentication) until
# the window passes. The adapter's pre_authenticate does not count passwords here (axes does).
ACCOUNT_RATE_LIMITS = {"login": None, "login_failed": "5/300s/key"}
# Single sign-on per organisation (ampwork.core.sso): OpenID Connect providers set on each
# organisation's settings page or by AMPWORK_OIDC_<SLUG>_* variables; people matched on the
# provider's subject, never on the email alone (no email authentication, no auto-connect);
# a new account only through the adapter's just-in-time join; no tokens kept.
SOCIALACCOUNT_ADAPTER = "ampwork.core.sso.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False  # the sign-in page's buttons POST (with CSRF)
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"

# Two-factor sign-in (allauth.mfa; routes in ampwork.core.account_urls): an authenticator
# app (TOTP), passkeys and security keys (WebAuthn), and recovery codes. Whoever has set one
# up is asked for it after their password; an organisation may require it of its admins and
# people ops before they see pay data or exports (Organisation.require_two_factor,
# core/permissions.py). Passkeys work on https and on http://localhost (browsers treat it as
# a secure context, and so does fido2, which allauth checks origins with), which is what the
# browser tests use; MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN skips that origin check altogether,
# so it is on only with AMPWORK_DEBUG, for a developer on a plain-http address.
MFA_ADAPTER = "ampwork.core.accounts.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "ampwork"
# recovery codes are shown once, right after they are made (with a download made in the
# page); later the page says how many are left and offers new ones
MFA_RECOVERY_CODES_SHOW_ONCE = True
MFA_PASSKEY_LOGIN_ENABLED = False  # passkeys are a second factor here, not a password
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# allauth refuses two-factor to an account with an unverified email address, lest someone
# who signed up with another's address lock its owner out; nobody signs up here (accounts
# come from their organisation), and ampwork does not verify addresses.
MFA_ALLOW_UNVERIFIED_EMAIL = True

LANGUAGE_CODE = "en-gb"
# The languages ampwork is translated into (docs/translating.md says how to add one). Each
# person picks theirs; else their browser's; else their organisation's default.
LANGUAGES = [
    ("en-gb", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
]
# the project's own catalogue (src/ampwork/templates and the top-level modules); each app
# has its own in <app>/locale (scripts/messages.sh makes and compiles them all)
# ampwork's own catalogues come before every installed library's: a string ampwork shares
# with django-allauth or Django ("Open", "Token", "Your password has been changed.") reads
# in ampwork's words and voice (German du, Spanish tú), not the library's. Each app's
# folder first (makemessages files a string under the first folder that holds it), the
# project's last.
AMPWORK_APPS = [a.removeprefix("ampwork.") for a in INSTALLED_APPS if a.startswith("ampwork.")]
LOCALE_PATHS = [*(BASE_DIR / app / "locale" for app in AMPWORK_APPS), BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("AMPWORK_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# The organisation-wide summaries (core/summaries.py) live in this cache, one per page and
# reader (each lead's home, each admin's): room for thousands of readers before the oldest
# are dropped. Local memory (the default) is correct with several processes: each checks
# the data's version in the database before it reads its own copy. AMPWORK_CACHE_URL
# shares one cache between app servers (Redis, Memcached or a database table:
# ampwork.core.caches, docs/operations.md "Caching").
try:
    CACHES = {"default": cache_from_url(os.environ.get("AMPWORK_CACHE_URL", ""))}
except CacheURLError as exc:
    raise ImproperlyConfigured(str(exc)) from None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # hashed names, gzip and brotli copies; whitenoise serves hashed names as immutable
    "staticfiles": {"BACKEND": "ampwork.core.staticfiles.StaticStorage"},
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "ampwork.core.staticfinders.PlotlyFinder",
]
STATICFILES_DIRS = [BASE_DIR / "static"]
# `ampwork serve` (and the demo) collect first when anything changed, so whitenoise serves
# hashed, compressed files cached for good (docs/operations.md); names never collected
# (tests, runserver) are served plain, straight from the finders.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# Security. Behind an HTTPS proxy set AMPWORK_HTTPS=1: secure cookies, HSTS and
# trust of the proxy's X-Forwarded-Proto header.
HTTPS = _env_bool("AMPWORK_HTTPS")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"  # links in sign-in emails
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# the language switcher's cookie (a visitor's choice before signing in) like the session's
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("AMPWORK_HSTS_SECONDS", "31536000"))
    SECURE_SSL_REDIRECT = _env_bool("AMPWORK_SSL_REDIRECT", True)
    # the balancer's checks and Prometheus talk to each app server directly, in plain HTTP
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# Sign-in throttling (django-axes, see ampwork.core.throttle): after LOGIN_FAILURE_LIMIT
# failed sign-ins for one account (from any address) that account is refused, and after
# LOGIN_ADDRESS_FAILURE_LIMIT failed sign-ins from one address (for any accounts) that
# address is refused, for LOGIN_COOLOFF_MINUTES; every further try while locked starts the
# wait again. The address limit is looser so that people sharing one address (a school's
# or office's NAT) are not locked out by one person's typos. A successful sign-in clears
# that account's count.
LOGIN_FAILURE_LIMIT = int(os.environ.get("AMPWORK_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AMPWORK_LOGIN_ADDRESS_FAILURE_LIMIT", "50"))
LOGIN_COOLOFF_MINUTES = int(os.environ.get("AMPWORK_LOGIN_COOLOFF_MINUTES", "15"))
# Class-code sign-in (a school's students, ampwork.classroom.class_code_services): a wrong
# picture or word counts against that student (CLASS_CODE_FAILURE_LIMIT locks them for the
# cool-off), a wrong class code against the address (CLASS_CODE_ADDRESS_LIMIT), so codes
# cannot be guessed; a class-code session lasts CLASS_CODE_SESSION_HOURS (a school day).
CLASS_CODE_FAILURE_LIMIT = int(os.environ.get("AMPWORK_CLASS_CODE_FAILURE_LIMIT", "5"))
CLASS_CODE_ADDRESS_LIMIT = int(os.environ.get("AMPWORK_CLASS_CODE_ADDRESS_LIMIT", "50"))
# wrong pictures in one sign-in flow (any students): the flow is dropped, the code typed again
CLASS_CODE_FLOW_LIMIT = int(os.environ.get("AMPWORK_CLASS_CODE_FLOW_LIMIT", "10"))
CLASS_CODE_SESSION_HOURS = int(os.environ.get("AMPWORK_CLASS_CODE_SESSION_HOURS", "8"))
AXES_ENABLED = True
AXES_HANDLER = "ampwork.core.throttle.SignInHandler"  # adds the per-address limit
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns that 'ip_address' is not among its lockout parameters; the address is limited
# by SignInHandler, with its own looser limit, so the warning does not apply here
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_USERNAME_FORM_FIELD = "login"  # the sign-in form's field (it holds the email)
AXES_USERNAME_CALLABLE = "ampwork.core.throttle.username"
AXES_LOCKOUT_CALLABLE = "ampwork.core.throttle.lockout_response"
AXES_ENABLE_ADMIN = False
# no row per successful sign-in (address, browser, time, kept by nobody's rule): where a
# person is signed in is allauth's session list, which ends with the session; axes keeps
# only failed attempts, which it clears after the cool-off (docs/privacy.md)
AXES_DISABLE_ACCESS_LOG = True
# Behind AMPWORK_PROXIES reverse proxies, the client's address is read from
# X-Forwarded-For (that many hops from the right); otherwise from the connection.
PROXIES = int(os.environ.get("AMPWORK_PROXIES", "0"))
if PROXIES:
    AXES_IPWARE_PROXY_COUNT = PROXIES
    # allauth's rate limits and "where you're signed in" read the client's address the same way
    ALLAUTH_TRUSTED_PROXY_COUNT = PROXIES
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# Content-Security-Policy (django-csp): scripts, styles, images and connections only from
# this server; no inline scripts (charts are drawn by static/ampwork/ampwork.js from data
# attributes). Inline style attributes stay allowed: progress bars and heat-map cells set
# their width and colour with them, and plotly styles what it draws.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Permissions-Policy (django-permissions-policy): no page needs any of these, but passkeys
# (two-factor sign-in) need WebAuthn on ampwork's own pages.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
} | {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Email: files in the data directory by default so nothing leaves the machine until
# configured, with one line on the console per batch — never a body with a one-time link.
EMAIL_BACKEND = os.environ.get("AMPWORK_EMAIL_BACKEND", "ampwork.mail.NoticeFileBackend")
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
EMAIL_HOST = os.environ.get("AMPWORK_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("AMPWORK_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("AMPWORK_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("AMPWORK_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("AMPWORK_EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("AMPWORK_EMAIL_FROM", "ampwork <ampwork@localhost>")

# The background worker (ampwork.core.worker): tasks wait in the database until `ampwork
# worker` (or the thread of `ampwork demo`) runs them. AMPWORK_TASKS=immediate runs each
# where it is enqueued instead (no worker; no retries later).
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("AMPWORK_TASKS", "").strip().lower() == "immediate"
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}

# Outgoing webhooks go only to public addresses (SSRF guard, ampwork.integrations.netguard);
# AMPWORK_WEBHOOKS_ALLOW_PRIVATE=1 lets them reach private and local ones too.
AMPWORK_WEBHOOKS_ALLOW_PRIVATE = _env_bool("AMPWORK_WEBHOOKS_ALLOW_PRIVATE")
# Slack's Web API (ampwork.chat); the tests point it at a local server
AMPWORK_SLACK_API_URL = os.environ.get("AMPWORK_SLACK_API_URL", "https://slack.com/api/")

# The public address used in emailed links. `ampwork demo` sets it to the address it serves.
BASE_URL = os.environ.get("AMPWORK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where `ampwork demo` keeps the mail it sends (ampwork.demo.outbox); None otherwise.
DEMO_OUTBOX_DIR: Path | None = None

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

# Uploads (CSV imports) are held in memory; keep them bounded.
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# Logs (ampwork.logs; docs/operations.md "Logs"): ampwork's own events (requests, imports,
# mail batches, commands, sign-in failures) from INFO, other libraries' lines from WARNING;
# AMPWORK_LOG_LEVEL sets both. One JSON object a line with AMPWORK_LOG_FORMAT=json, else
# "time LEVEL logger event key=value" lines for a console.
LOG_FORMAT = os.environ.get("AMPWORK_LOG_FORMAT", "text").strip().lower()
_LOG_LEVEL = os.environ.get("AMPWORK_LOG_LEVEL", "").strip().upper()
# Behind a proxy that gives each request an id, name its header (X-Request-ID) to use that
# id in the logs and the answer's X-Request-ID; otherwise ampwork makes one per request.
REQUEST_ID_HEADER = os.environ.get("AMPWORK_REQUEST_ID_HEADER", "").strip()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # one-time pulse links are paths, accounts are emails: cut both out of every line
    "filters": {"pulse_links": {"()": "ampwork.logfilters.HidePulseLinks"}},
    "formatters": {
        "ampwork": {
            "()": "ampwork.logs.JsonFormatter"
            if LOG_FORMAT == "json"
            else "ampwork.logs.KeyValueFormatter"
        },
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "ampwork",
            "filters": ["pulse_links"],
        },
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "ampwork" if LOG_FORMAT == "json" else "django.server",
            "filters": ["pulse_links"],
        },
    },
    "loggers": {
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "ampwork": {"level": _LOG_LEVEL or "INFO"},
        # django-axes writes a masked line for every failed sign-in; ampwork's own events
        # (signin.failed, signin.locked_out: ampwork.core.throttle) say the same with the
        # account hashed, so only axes' errors are kept
        "axes": {"level": "ERROR"},
    },
    "root": {"handlers": ["console"], "level": _LOG_LEVEL or "WARNING"},
}
