"""pmot's own system checks: what Django's `check --deploy` does not cover.

Registered in CoreConfig.ready(). The settings checks run with every command (a wrong value
there is wrong in development too); those tagged "deploy" run only with `check --deploy`.
Messages stay in English, as Django's own checks do: they are read by whoever deploys, in a
terminal, never by the public.
"""

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.core.checks import Error, Tags, register

SESSION_MAX_AGE = 8 * 60 * 60  # seconds: a working day
REQUEST_BODY_MAX_BYTES = 10 * 1024 * 1024  # bound of DATA_ and FILE_UPLOAD_MAX_MEMORY_SIZE
UPLOAD_MAX_MB = 100
ACCOUNT_LIMIT_RANGE = range(3, 11)
ADDRESS_LIMIT_RANGE = range(3, 101)
PASSWORD_MIN_LENGTH = 10
# Keys written in this repository (settings' DEBUG fallback, Makefile, tests): public, so a
# deployment using one signs sessions and password-reset links anybody can forge.
KNOWN_SECRET_KEYS = frozenset(
    {
        "insecure-development-key-only-for-debug",
        "only-for-the-test-suite",
        "only-for-the-benchmark",
        "x",
    }
)

UNSAFE_SOURCES = ("'unsafe-inline'", "'unsafe-eval'")
CSP_MIDDLEWARE = "csp.middleware.CSPMiddleware"
LOCKOUT_BACKEND = "pmot.actors.lockout.LockoutBackend"


def _sources(value) -> list:
    """A directive's sources as a list; django-csp 4 accepts a string or a sequence."""
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    return list(value)


@register(Tags.security)
def check_content_security_policy(app_configs, **kwargs):
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
    directives = policy.get("DIRECTIVES") or {}
    if not directives or CSP_MIDDLEWARE not in settings.MIDDLEWARE:
        return [
            Error(
                "No Content-Security-Policy is sent.",
                hint=f"Set CONTENT_SECURITY_POLICY['DIRECTIVES'] and add {CSP_MIDDLEWARE} "
                "to MIDDLEWARE.",
                id="pmot.E001",
            )
        ]
    errors = []
    default_src = _sources(directives.get("default-src"))
    if not default_src or not set(default_src) <= {"'self'", "'none'"}:
        errors.append(
            Error(
                f"The CSP's default-src is {default_src!r}; it must be 'self' alone.",
                id="pmot.E002",
            )
        )
    for name in ("script-src", "style-src"):
        # An absent directive falls back to default-src, checked above.
        unsafe = [s for s in _sources(directives.get(name)) if s in UNSAFE_SOURCES]
        if unsafe:
            errors.append(
                Error(
                    f"The CSP's {name} allows {', '.join(unsafe)}.",
                    hint="Mark inline scripts and styles with the request's nonce instead.",
                    id="pmot.E003",
                )
            )
    return errors


@register(Tags.security)
def check_sessions(app_configs, **kwargs):
    errors = []
    if settings.SESSION_COOKIE_AGE > SESSION_MAX_AGE:
        errors.append(
            Error(
                f"SESSION_COOKIE_AGE is {settings.SESSION_COOKIE_AGE} s, more than 8 hours.",
                id="pmot.E004",
            )
        )
    if not settings.SESSION_COOKIE_HTTPONLY:
        errors.append(
            Error("SESSION_COOKIE_HTTPONLY is off: scripts can read the session.", id="pmot.E005")
        )
    if getattr(settings, "SECURE_SSL", False) and not settings.SESSION_COOKIE_SECURE:
        errors.append(
            Error(
                "SESSION_COOKIE_SECURE is off while SECURE_SSL is on: the session cookie "
                "would also travel over plain HTTP.",
                id="pmot.E006",
            )
        )
    if not _database_sessions(settings.SESSION_ENGINE):
        errors.append(
            Error(
                f"SESSION_ENGINE is {settings.SESSION_ENGINE!r}; sessions must live in the "
                "database alone, so logins survive the cache (Redis) going down.",
                hint="Use 'django.contrib.sessions.backends.db'.",
                id="pmot.E007",
            )
        )
    return errors


def _database_sessions(engine: str) -> bool:
    from django.contrib.sessions.backends import cached_db, db

    try:
        store = import_module(engine).SessionStore
    except (ImportError, AttributeError):
        return False
    return issubclass(store, db.SessionStore) and not issubclass(store, cached_db.SessionStore)


@register(Tags.security)
def check_upload_limits(app_configs, **kwargs):
    errors = []
    for name, check_id in (
        ("DATA_UPLOAD_MAX_MEMORY_SIZE", "pmot.E008"),
        ("FILE_UPLOAD_MAX_MEMORY_SIZE", "pmot.E009"),
    ):
        value = getattr(settings, name)
        # 0 is fine for FILE_UPLOAD_MAX_MEMORY_SIZE: every uploaded file goes to a temporary file.
        if value is None or not 0 <= value <= REQUEST_BODY_MAX_BYTES:
            errors.append(
                Error(
                    f"{name} is {value!r}; it must be set, at most "
                    f"{REQUEST_BODY_MAX_BYTES} bytes, so one request cannot fill the memory.",
                    id=check_id,
                )
            )
    max_mb = getattr(settings, "PMOT_MAX_UPLOAD_MB", None)
    if not isinstance(max_mb, int) or not 0 < max_mb <= UPLOAD_MAX_MB:
        errors.append(
            Error(
                f"PMOT_MAX_UPLOAD_MB is {max_mb!r}; it must be between 1 and {UPLOAD_MAX_MB}.",
                id="pmot.E010",
            )
        )
    return errors


@register(Tags.security)
def check_login_lockout(app_configs, **kwargs):
    errors = []
    per_account = getattr(settings, "PMOT_LOGIN_FAILURES_PER_ACCOUNT", None)
    if per_account not in ACCOUNT_LIMIT_RANGE:
        errors.append(
            Error(
                f"PMOT_LOGIN_FAILURES_PER_ACCOUNT is {per_account!r}; it must be between 3 and 10.",
                id="pmot.E011",
            )
        )
    first = getattr(settings, "PMOT_LOGIN_LOCK_FIRST", None)
    longest = getattr(settings, "PMOT_LOGIN_LOCK_LONGEST", None)
    if not _positive(first) or not _positive(longest) or longest < first:
        errors.append(
            Error(
                f"PMOT_LOGIN_LOCK_FIRST is {first!r} and PMOT_LOGIN_LOCK_LONGEST {longest!r}: "
                "both must be positive durations, the longest at least the first (a lock must "
                "end, or anyone who knows a user name could lock its owner out for good).",
                hint="E.g. timedelta(minutes=15) and timedelta(hours=4).",
                id="pmot.E012",
            )
        )
    per_address = getattr(settings, "PMOT_LOGIN_FAILURES_PER_ADDRESS", None)
    if per_address not in ADDRESS_LIMIT_RANGE:
        errors.append(
            Error(
                f"PMOT_LOGIN_FAILURES_PER_ADDRESS is {per_address!r}; it must be between 3 "
                "and 100: without it, one address tries every account name.",
                id="pmot.E013",
            )
        )
    if not settings.AUTHENTICATION_BACKENDS or settings.AUTHENTICATION_BACKENDS[0] != (
        LOCKOUT_BACKEND
    ):
        errors.append(
            Error(
                f"{LOCKOUT_BACKEND} is not the first of AUTHENTICATION_BACKENDS: a locked "
                "account or address would still have its passwords tried.",
                id="pmot.E014",
            )
        )
    return errors


def _positive(value) -> bool:
    return isinstance(value, timedelta) and value > timedelta(0)


@register(Tags.security)
def check_trusted_proxies(app_configs, **kwargs):
    from pmot.core.network import invalid_proxy_entries

    errors = []
    proxies = getattr(settings, "PMOT_TRUSTED_PROXIES", [])
    invalid = invalid_proxy_entries(proxies)
    if invalid:
        errors.append(
            Error(
                f"PMOT_TRUSTED_PROXIES holds {', '.join(map(repr, invalid))}, which are not IP "
                "addresses or networks.",
                hint="List the proxies' addresses or networks, comma-separated: "
                "127.0.0.1,172.16.0.0/12.",
                id="pmot.E019",
            )
        )
    if getattr(settings, "PMOT_LEGACY_BEHIND_PROXY", False) and not proxies:
        errors.append(
            Error(
                "BEHIND_PROXY is no longer read: X-Forwarded-For is believed only from the "
                "addresses in PMOT_TRUSTED_PROXIES, which is empty, so every visitor would "
                "have the proxy's address (and share its login lockout).",
                hint="Set PMOT_TRUSTED_PROXIES to the address your proxy connects from, and "
                "remove BEHIND_PROXY.",
                id="pmot.E020",
            )
        )
    return errors


@register(Tags.security)
def check_password_validators(app_configs, **kwargs):
    for validator in settings.AUTH_PASSWORD_VALIDATORS:
        if validator["NAME"].endswith(".MinimumLengthValidator"):
            min_length = validator.get("OPTIONS", {}).get("min_length", 8)  # Django's default
            if min_length >= PASSWORD_MIN_LENGTH:
                return []
    return [
        Error(
            f"AUTH_PASSWORD_VALIDATORS has no MinimumLengthValidator with a min_length of "
            f"at least {PASSWORD_MIN_LENGTH}.",
            id="pmot.E015",
        )
    ]


@register(Tags.security, deploy=True)
def check_deployment(app_configs, **kwargs):
    errors = []
    if settings.DEBUG:
        errors.append(Error("DEBUG is on in a deployment.", id="pmot.E016"))
    if settings.SECRET_KEY in KNOWN_SECRET_KEYS:
        errors.append(
            Error(
                "SECRET_KEY is one written in pmot's repository (development, test or "
                "benchmark): anyone can forge sessions with it.",
                hint="Set SECRET_KEY to a long random value of your own.",
                id="pmot.E017",
            )
        )
    if not settings.PMOT_TWO_FACTOR_REQUIRED:
        errors.append(
            Error(
                "PMOT_TWO_FACTOR_REQUIRED is off: people who can change records log in with a "
                "password alone.",
                hint="Remove PMOT_TWO_FACTOR_REQUIRED=0 from the environment.",
                id="pmot.E018",
            )
        )
    return errors
