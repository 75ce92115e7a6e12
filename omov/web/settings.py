"""Django settings for omov.

Everything that differs between a laptop demo and production comes from the
environment, so the same code runs both:

- ``OMOV_DEBUG``: ``1``/``true`` turns on debug pages and the development mailbox.
- ``DATABASE_URL``: e.g. ``postgres://user@host/omov``; SQLite under ``var/`` otherwise.
- ``OMOV_SECRET_KEY``: else a random key generated once into ``var/secret_key``.
- ``OMOV_VAR_DIR``: where local state lives (default ``./var``).
- ``OMOV_BASE_URL``: the public address used in emailed sign-in links.
- ``OMOV_ALLOWED_HOSTS``: comma-separated host names.
- ``OMOV_TRUSTED_PROXIES``: comma-separated proxy addresses or CIDR networks
  whose ``X-Forwarded-For``/``-Proto`` are believed.
- ``OMOV_EMAIL_HOST``, ``OMOV_EMAIL_PORT``, ``OMOV_EMAIL_USER``,
  ``OMOV_EMAIL_PASSWORD``, ``OMOV_EMAIL_USE_TLS``, ``OMOV_FROM_EMAIL``: SMTP.
- ``OMOV_TIME_ZONE``: the organisation's time zone (default ``Europe/London``).
- ``OMOV_SOURCE_URL``: where members get omov's source to verify a record themselves.
- ``OMOV_TIE_RULE``: the sentence saying how a tie in a count is broken.
- ``OMOV_REMINDER_HOURS``: how long before a ballot closes the members who have not
  voted are reminded (default 24; 0 sends no reminders).
- ``OMOV_MAIL_MAX_ATTEMPTS``, ``OMOV_MAIL_RETRY_SECONDS``, ``OMOV_MAIL_RETRY_MAX_SECONDS``,
  ``OMOV_MAIL_BACKLOG_LIMIT_MINUTES``: the outbox's retries and its health limit.
"""

from __future__ import annotations

import os
import secrets
import zoneinfo
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def _env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


def _secret_key(var_dir: Path) -> str:
    """Reads the key from the environment, else from a file made on first run.

    The file is created with mode 0600 under var/, which is gitignored, so a
    key is never committed and survives restarts (sessions stay valid).
    """
    from_env = os.environ.get("OMOV_SECRET_KEY")
    if from_env:
        return from_env
    key_file = var_dir / "secret_key"
    if not key_file.exists():
        # Written aside, then linked into place: two processes starting at once
        # agree on one key, and neither ever reads a half-written file.
        var_dir.mkdir(parents=True, exist_ok=True)
        draft = var_dir / f".secret_key.{os.getpid()}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()


PACKAGE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OMOV_VAR_DIR", "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = _env_flag("OMOV_DEBUG")
SECRET_KEY = _secret_key(VAR_DIR)
ALLOWED_HOSTS = _env_list(
    "OMOV_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
OMOV_BASE_URL = os.environ.get("OMOV_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = [OMOV_BASE_URL]
# Where a discussion without a ballot links to start a petition for one, when
# the subject's own registry entry names no address (see omov.discussion).
OMOV_START_PETITION_URL = os.environ.get("OMOV_START_PETITION_URL", "/petitions/start/")
# Where anyone can get omov's source to check a record themselves (a git address),
# said on the results page; the organisation fills it in.
OMOV_SOURCE_URL = os.environ.get("OMOV_SOURCE_URL", "")
OMOV_REMINDER_HOURS = float(os.environ.get("OMOV_REMINDER_HOURS", "24"))
# How a tie in a ballot's count is broken, said on the results page.
OMOV_TIE_RULE = os.environ.get(
    "OMOV_TIE_RULE",
    "The count does not break a tie: under the organisation's rules it is decided by lot, "
    "drawn in public by the credential authority.",
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "omov.web.mailbox",
    "omov.audit",
    "omov.organisation",
    "omov.members",
    "omov.accounts",
    "omov.ballots",
    "omov.constitution",
    "omov.committees",
    "omov.petitions",
    "omov.discussion",
    "omov.elections",
]

MIDDLEWARE = [
    "omov.web.proxy.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "omov.web.middleware.ContentSecurityPolicyMiddleware",
    "omov.web.middleware.RejectNulBytesMiddleware",
    "omov.web.middleware.SiteNotFoundPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "omov.web.middleware.MemberTimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "omov.web.urls"
WSGI_APPLICATION = "omov.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "omov.web.navigation.navigation",
            ],
            "builtins": ["omov.web.timetags"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'omov.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Waitress serves on 8 threads. A writer takes SQLite's write lock when its
    # transaction begins and the others wait for it (up to 20 s) instead of
    # failing with "database is locked"; WAL lets readers go on meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-gb"
# The organisation's time zone: every time on the site is shown in it, unless a
# member chose their own on their page.
TIME_ZONE = os.environ.get("OMOV_TIME_ZONE", "Europe/London")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError) as _error:
    raise ImproperlyConfigured(
        f"OMOV_TIME_ZONE={TIME_ZONE!r} is not a time zone name such as Europe/London"
    ) from _error
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing root on every start.
# omov/static/omov/dist/ (the frontend build) lives inside this directory, so
# a missing build simply means no files, never a configuration error.
STATICFILES_DIRS = [path for path in [PACKAGE_DIR / "static"] if path.is_dir()]
WHITENOISE_USE_FINDERS = True

# Sessions begun before MemberBackend name Django's own, which stays valid.
AUTHENTICATION_BACKENDS = [
    "omov.accounts.backends.MemberBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Django's database sessions, read in one plain statement (omov.accounts.sessions).
SESSION_ENGINE = "omov.accounts.sessions"
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "members:me"

# Security headers and cookies.
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = _env_flag("OMOV_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("OMOV_HSTS_SECONDS", "0"))
# Forwarded headers are believed from these addresses only (omov.web.proxy);
# OMOV_BEHIND_TLS_PROXY alone means a proxy on this machine.
OMOV_TRUSTED_PROXIES = _env_list(
    "OMOV_TRUSTED_PROXIES",
    ["127.0.0.1", "::1"] if _env_flag("OMOV_BEHIND_TLS_PROXY") else [],
)
if OMOV_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Mail: in debug, outgoing mail is kept in the database for the dev mailbox.
DEFAULT_FROM_EMAIL = os.environ.get("OMOV_FROM_EMAIL", "omov <noreply@localhost>")
if DEBUG:
    EMAIL_BACKEND = "omov.web.mailbox.backend.DatabaseEmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ.get("OMOV_EMAIL_HOST", "localhost")
    EMAIL_PORT = int(os.environ.get("OMOV_EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("OMOV_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("OMOV_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = _env_flag("OMOV_EMAIL_USE_TLS")
# A send that hangs must not hold the mail worker: give up and retry later.
EMAIL_TIMEOUT = 30

# The outbox (omov.web.outbox): mail is a task in the database, sent by the
# mail worker with retries; /health/ fails when the oldest waiting message is
# older than OMOV_MAIL_BACKLOG_LIMIT_MINUTES.
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail"]},
}
OMOV_MAIL_MAX_ATTEMPTS = int(os.environ.get("OMOV_MAIL_MAX_ATTEMPTS", "10"))
OMOV_MAIL_RETRY_SECONDS = float(os.environ.get("OMOV_MAIL_RETRY_SECONDS", "60"))
OMOV_MAIL_RETRY_MAX_SECONDS = float(os.environ.get("OMOV_MAIL_RETRY_MAX_SECONDS", "3600"))
# A claimed batch (25 messages, each send at most EMAIL_TIMEOUT) never runs this long.
OMOV_MAIL_RECLAIM_MINUTES = 30
OMOV_MAIL_BACKLOG_LIMIT_MINUTES = float(os.environ.get("OMOV_MAIL_BACKLOG_LIMIT_MINUTES", "15"))

# Sign-in links and their rate limits (attempts per window).
OMOV_LOGIN_LINK_MINUTES = 30
OMOV_SIGN_IN_WINDOW_MINUTES = 60
OMOV_SIGN_IN_LIMIT_PER_REQUESTER = 5  # one email address, asked for from one address
OMOV_SIGN_IN_LIMIT_PER_EMAIL = 20  # one email address, from every address together
OMOV_SIGN_IN_LIMIT_PER_IP = 30

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
