"""Settings of pmot: one module, driven by environment variables.

With no DATABASE_URL, pmot runs embedded: a SQLite file, tasks run inline, no Redis needed.
With DATABASE_URL it runs as deployed: PostgreSQL, and Celery and the cache on Redis.
The README's configuration table lists every variable read here.
"""

import os
import re
import secrets
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# --- Core -----------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG")

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY and env_bool("PMOT_OFFLINE_COMMAND"):
    # manage.py check, makemigrations…: nothing is signed or served, a throwaway key will do.
    SECRET_KEY = secrets.token_urlsafe(50)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY no está definida. En producción pmot no arranca sin una clave secreta: "
            "defina la variable de entorno SECRET_KEY con un valor largo y aleatorio "
            "(o DEBUG=1 solo para desarrollo). / SECRET_KEY is not set; pmot refuses to start "
            "in production without it."
        )
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_htmx",
    # pmot, in the layer order of ARCHITECTURE.md
    "pmot.core",
    "pmot.actors",
    "committees",
    "pmot.information",
    "pmot.planning",
    "phases",
    "budgeting",
    "evaluation",
    "pmot.portal",
]

MIDDLEWARE = [
    # X-Forwarded-Proto believed only from our proxies (PMOT_TRUSTED_PROXIES).
    "pmot.core.middleware.UntrustedProxyHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "pmot.core.middleware.RequestSizeLimitMiddleware",
    # A NUL character in the path or the query string: 400, before any view reads it.
    "pmot.core.middleware.InvalidInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Visitors' copies of the public pages: a hit skips all below (pmot/core/public_cache.py).
    "pmot.core.public_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The security log: every 403, and the request behind a password change.
    "pmot.actors.security_log.AccessLogMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Staff pages only after the second step of login, for whoever owes it.
    "pmot.actors.two_factor.SecondStepMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "pmot.core.middleware.PermissionsPolicyMiddleware",
]

ROOT_URLCONF = "pmot.urls"
WSGI_APPLICATION = "pmot.wsgi.application"

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
                "pmot.core.context_processors.site",
                "pmot.actors.context_processors.municipality",
            ],
            "builtins": ["django.templatetags.i18n"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------

DATABASE_URL = env("DATABASE_URL")
EMBEDDED = not DATABASE_URL
if EMBEDDED:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / env("SQLITE_PATH", "pmot.sqlite3"),
        }
    }
else:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker, cache ------------------------------------------------------------------

# Deployed pmot always has Redis; embedded pmot never needs it.
REDIS_URL = env("REDIS_URL", "" if EMBEDDED else "redis://127.0.0.1:6379/0")
REDIS_SOCKET_TIMEOUT = 2  # seconds; a broker that never answers must not hang a request
# After Redis did not answer, the same thread skips it for this long (pmot/core/redis_outage.py):
# longer than what is left of a request after its one wait, short enough that the next tries.
PMOT_REDIS_QUIET_SECONDS = 5

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "pmot",
            "OPTIONS": {
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ---------------------------------------------------------------------------------

CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "pmot"
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
    # Longer than any task may run: after this, an unacknowledged task is delivered again.
    "visibility_timeout": 3600,
}
# Publishing from a request gives up quickly; the outbox re-sends what did not go out.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
CELERY_TIMEZONE = "America/Mexico_City"
CELERY_BEAT_SCHEDULE = {
    "resend-late-jobs": {
        "task": "pmot.core.tasks.resend_late_jobs",
        "schedule": timedelta(minutes=1),
    },
    "expire-memberships-daily": {
        "task": "pmot.actors.tasks.schedule_membership_expiry",
        "schedule": crontab(hour=0, minute=5),  # just after midnight, Mexico City time
    },
    "check-agreements-daily": {
        "task": "committees.tasks.schedule_agreement_checks",
        "schedule": crontab(hour=6, minute=0),  # overdue marks and reminders, before work
    },
    "remind-measurements-daily": {
        "task": "evaluation.tasks.schedule_measurement_reminders",
        "schedule": crontab(hour=6, minute=15),  # measurement reminders, before work
    },
}

# Outbox: a job not done this long after it was sent is sent again, up to the attempt limit.
PMOT_JOB_RESEND_AFTER = timedelta(minutes=int(env("PMOT_JOB_RESEND_MINUTES", "5")))
PMOT_JOB_MAX_ATTEMPTS = int(env("PMOT_JOB_MAX_ATTEMPTS", "10"))

# --- Authentication and sessions -----------------------------------------------------------

AUTH_USER_MODEL = "actors.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked account name or address before the password is read.
    "pmot.actors.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "portal:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 30 * 60  # an idle session ends after 30 minutes ...
SESSION_SAVE_EVERY_REQUEST = True  # ... counted from the last request
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Failed logins (pmot/actors/lockout.py), counted per account name typed, whatever the address,
# and per address, whatever the account name; an office behind one address holds many people,
# hence the higher limit there. Each new lock of the same name or address waits twice as long
# as the one before, up to the longest; a day without failures forgets them.
PMOT_LOGIN_FAILURES_PER_ACCOUNT = 5
PMOT_LOGIN_FAILURES_PER_ADDRESS = 20
PMOT_LOGIN_LOCK_FIRST = timedelta(minutes=15)
PMOT_LOGIN_LOCK_LONGEST = timedelta(hours=4)
PMOT_LOGIN_FORGET_AFTER = timedelta(hours=24)

# Two-factor login (pmot/actors/two_factor.py): required of whoever can change records. Off only
# for the embedded demo (DEBUG); a deploy check refuses it off in production.
PMOT_TWO_FACTOR_REQUIRED = env_bool("PMOT_TWO_FACTOR_REQUIRED", not DEBUG)
OTP_TOTP_ISSUER = env("PMOT_SHORT_NAME", "IMPLAN") + " · pmot"
OTP_TOTP_THROTTLE_FACTOR = 1  # after each wrong code, wait 1, 2, 4, 8… seconds
OTP_STATIC_THROTTLE_FACTOR = 1

# django-guardian: no anonymous user row; the public reads published records only.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# --- Security headers -----------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PMOT_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# --- Map (pmot.information) and uploads (pmot.core.uploads) -----------------------------------

# Background tiles of the territory map, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png with
# its attribution. Empty (the default): no tiles are asked from anywhere and the units still draw.
PMOT_MAP_TILE_URL = env("PMOT_MAP_TILE_URL")
PMOT_MAP_TILE_ATTRIBUTION = env("PMOT_MAP_TILE_ATTRIBUTION")
# Largest file accepted by any upload: a document, an evidence, an import.
PMOT_MAX_UPLOAD_MB = int(env("PMOT_MAX_UPLOAD_MB", "20"))
# A territorial unit's geometry: at most this many vertices and KB of GeoJSON (every save path
# refuses more). The maps draw a copy simplified by this tolerance in degrees (0.0001° is about
# 11 m), coarser until a unit has at most PMOT_MAP_UNIT_MAX_VERTICES vertices.
PMOT_UNIT_MAX_VERTICES = int(env("PMOT_UNIT_MAX_VERTICES", "50000"))
PMOT_UNIT_MAX_GEOJSON_KB = int(env("PMOT_UNIT_MAX_GEOJSON_KB", "4096"))
PMOT_MAP_SIMPLIFY_DEGREES = float(env("PMOT_MAP_SIMPLIFY_DEGREES", "0.0001"))
PMOT_MAP_UNIT_MAX_VERTICES = int(env("PMOT_MAP_UNIT_MAX_VERTICES", "1500"))
# Imports (POA actions, plan trees, territorial units) are bounded before anything is parsed:
# what a zip-based file (XLSX, zipped shapefile) unpacks to, its compression ratio, and its
# rows or features. A larger import is refused at once, in the request, with nothing saved.
PMOT_IMPORT_MAX_EXPANDED_MB = int(env("PMOT_IMPORT_MAX_EXPANDED_MB", "40"))
PMOT_IMPORT_MAX_RATIO = int(env("PMOT_IMPORT_MAX_RATIO", "100"))
PMOT_IMPORT_MAX_ROWS = int(env("PMOT_IMPORT_MAX_ROWS", "5000"))
# Form data kept in memory, and files before they go to a temporary file (Django's defaults,
# written down: pmot.E008/E009 bound them). A request larger than the upload limit is refused
# before it is read (pmot.core.middleware.RequestSizeLimitMiddleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440


def tile_origin(url: str) -> str | None:
    """The origin the map's tiles come from, for the CSP's img-src: `{s}` subdomains and any
    other placeholder in the host become a wildcard (https://*.tile.example.org)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = re.sub(r"[^.]*\{[^}]*\}[^.]*", "*", parts.netloc)
    return f"{parts.scheme}://{host}"


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", *filter(None, [tile_origin(PMOT_MAP_TILE_URL)])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SECURE_SSL = not DEBUG and env_bool("SECURE_SSL", True)
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = SECURE_SSL and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31_536_000 if SECURE_SSL else 0
# Both on by default (what `check --deploy` asks); turn off where other subdomains of the
# municipality's domain still serve plain HTTP.
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL and env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = SECURE_SSL and env_bool("SECURE_HSTS_PRELOAD", True)
# The reverse proxies in front of pmot, as IP addresses or networks (CIDR): X-Forwarded-For is
# believed only on a connection from one of them (pmot.core.network.client_ip). Empty: the
# address of the connection is the client's, whatever the headers say.
PMOT_TRUSTED_PROXIES = env_list("PMOT_TRUSTED_PROXIES")
if PMOT_TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Read only to say it is no longer read (pmot.E020): it trusted X-Forwarded-For from anybody.
PMOT_LEGACY_BEHIND_PROXY = env_bool("BEHIND_PROXY")
# Health checks come from inside the deployment, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^salud/$"]

# --- Language, time, formats ----------------------------------------------------------------

# Spanish whatever the browser asks for: the records themselves are in Spanish, and a page half
# in one language and half in another helps nobody. The msgids are English for developers.
LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", _("Spanish (Mexico)"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- E-mail ---------------------------------------------------------------------------------

EMAIL_HOST = env("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "pmot <no-responder@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Open data (/datos/): the license every file states; by default the federal open-data license.
PMOT_OPEN_DATA_LICENSE = {
    "name": env("PMOT_OPEN_DATA_LICENSE_NAME", "Libre Uso MX"),
    "url": env("PMOT_OPEN_DATA_LICENSE_URL", "https://datos.gob.mx/libreusomx"),
}

# --- The municipality's brand ----------------------------------------------------------------
# The name, INEGI key and population live in the Municipality profile (admin); the look is here.

PMOT_BRAND = {
    "short_name": env("PMOT_SHORT_NAME", "IMPLAN"),
    "logo": env("PMOT_LOGO", "img/escudo.svg"),  # a path under static/: no asset from elsewhere
    "primary": env("PMOT_COLOR_PRIMARY", "#7a1f3d"),
    "accent": env("PMOT_COLOR_ACCENT", "#b38e5d"),
}
# Pages built from demo data say so.
PMOT_DEMO_DATA = env_bool("PMOT_DEMO_DATA", EMBEDDED)
# An administration (Ayuntamiento) serves three years.
PMOT_ADMINISTRATION_YEARS = 3
# Notice of a session: calendar days before an ordinary one (Aguascalientes municipal code),
# hours before an extraordinary one.
PMOT_NOTICE_DAYS_ORDINARY = int(env("PMOT_NOTICE_DAYS_ORDINARY", "3"))
PMOT_NOTICE_HOURS_EXTRAORDINARY = int(env("PMOT_NOTICE_HOURS_EXTRAORDINARY", "24"))
# A session is installed from this many minutes before its scheduled time, never earlier.
PMOT_SESSION_EARLY_MINUTES = int(env("PMOT_SESSION_EARLY_MINUTES", "30"))
# Reminders of an agreement's deadline go to its responsible organization these days before.
PMOT_AGREEMENT_REMINDER_DAYS = (7, 1)
# A phase closes with an agreement of the Cabildo; with this on, also of the coordinating body
# in charge.
PMOT_GATE_BY_COORDINATING_BODY = env_bool("PMOT_GATE_BY_COORDINATING_BODY")
# Public consultation: its default length (state law), and business or calendar days; rest days
# besides those of the Ley Federal del Trabajo (ISO dates, comma separated).
PMOT_CONSULTATION_DAYS = int(env("PMOT_CONSULTATION_DAYS", "30"))
PMOT_CONSULTATION_BUSINESS_DAYS = env_bool("PMOT_CONSULTATION_BUSINESS_DAYS", True)
PMOT_EXTRA_HOLIDAYS = env_list("PMOT_EXTRA_HOLIDAYS")
# The public comment form: at most this many comments per address and hour, and this long.
PMOT_COMMENTS_PER_HOUR = int(env("PMOT_COMMENTS_PER_HOUR", "5"))
PMOT_COMMENT_MAX_CHARS = int(env("PMOT_COMMENT_MAX_CHARS", "5000"))
# Following a comment by folio and code: at most this many look-ups per address and hour.
PMOT_FOLLOW_LOOKUPS_PER_HOUR = int(env("PMOT_FOLLOW_LOOKUPS_PER_HOUR", "20"))
# An action whose physical and financial progress differ by more than these points is flagged.
PMOT_PROGRESS_GAP_POINTS = int(env("PMOT_PROGRESS_GAP_POINTS", "20"))
# How much the office that holds the budget (IMPLAN or the treasury) may change a POA's approved
# total by authorizing modifications, together, before a modification must go to the Cabildo
# (pesos; DOMAIN.md §5). Transfers between lines never count.
PMOT_MODIFICATION_CABILDO_THRESHOLD = Decimal(env("PMOT_MODIFICATION_CABILDO_THRESHOLD", "500000"))

# Evaluation (DOMAIN.md §6). The traffic light's default bands in per cent of compliance
# (an indicator may set its own): green 90–110, yellow 75–<90 and >110–125, red otherwise.
PMOT_TRAFFIC_LIGHT = {
    "green_low": env("PMOT_GREEN_FROM", "90"),
    "green_high": env("PMOT_GREEN_TO", "110"),
    "yellow_low": env("PMOT_YELLOW_FROM", "75"),
    "yellow_high": env("PMOT_YELLOW_TO", "125"),
}
# Days after a period ends to report its measurement; past them the period is "sin reporte".
PMOT_MEASUREMENT_DUE_DAYS = int(env("PMOT_MEASUREMENT_DUE_DAYS", "15"))
# The site's address, for the links in e-mails ("https://pmot.ejemplo.gob.mx"); empty: links
# are written as paths.
PMOT_SITE_URL = env("PMOT_SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")
# Days before the due date the reporting organization is reminded.
PMOT_MEASUREMENT_REMINDER_DAYS = int(env("PMOT_MEASUREMENT_REMINDER_DAYS", "5"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
