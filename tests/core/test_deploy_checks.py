"""pmot's system checks (pmot/core/checks.py): each one fires when its setting is broken, the
real settings pass them all, and `check --deploy` is clean with production values."""

import secrets
from datetime import timedelta

import pytest
from django.core.checks import Tags, run_checks
from django.core.management import call_command

PRODUCTION_KEY = secrets.token_urlsafe(48)


def pmot_ids(*, deploy: bool = False) -> set[str]:
    messages = run_checks(tags=[Tags.security], include_deployment_checks=deploy)
    return {m.id for m in messages if m.id.startswith("pmot.")}


def csp(**directives):
    return {"DIRECTIVES": {"default-src": ["'self'"], **directives}}


def without(items, item):
    return [x for x in items if x != item]


def test_the_real_settings_pass_every_check(settings):
    assert pmot_ids() == set()


def test_the_real_settings_pass_the_deployment_checks_with_a_key_of_their_own(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = PRODUCTION_KEY
    assert pmot_ids(deploy=True) == set()


BREAKAGES = {
    "pmot.E001": [
        {"CONTENT_SECURITY_POLICY": None},
        {"CONTENT_SECURITY_POLICY": {"DIRECTIVES": {}}},
        {"MIDDLEWARE": lambda s: without(s.MIDDLEWARE, "csp.middleware.CSPMiddleware")},
    ],
    "pmot.E002": [
        {"CONTENT_SECURITY_POLICY": csp(**{"default-src": ["'self'", "https:"]})},
        {"CONTENT_SECURITY_POLICY": csp(**{"default-src": "*"})},
        {"CONTENT_SECURITY_POLICY": {"DIRECTIVES": {"script-src": ["'self'"]}}},
    ],
    "pmot.E003": [
        {"CONTENT_SECURITY_POLICY": csp(**{"script-src": ["'self'", "'unsafe-inline'"]})},
        {"CONTENT_SECURITY_POLICY": csp(**{"script-src": "'self' 'unsafe-eval'"})},
        {"CONTENT_SECURITY_POLICY": csp(**{"style-src": ["'self'", "'unsafe-inline'"]})},
    ],
    "pmot.E004": [{"SESSION_COOKIE_AGE": 8 * 60 * 60 + 1}, {"SESSION_COOKIE_AGE": 1209600}],
    "pmot.E005": [{"SESSION_COOKIE_HTTPONLY": False}],
    "pmot.E006": [{"SECURE_SSL": True, "SESSION_COOKIE_SECURE": False}],
    "pmot.E007": [
        {"SESSION_ENGINE": "django.contrib.sessions.backends.cache"},
        {"SESSION_ENGINE": "django.contrib.sessions.backends.cached_db"},
        {"SESSION_ENGINE": "django.contrib.sessions.backends.signed_cookies"},
        {"SESSION_ENGINE": "no.such.module"},
    ],
    "pmot.E008": [
        {"DATA_UPLOAD_MAX_MEMORY_SIZE": None},
        {"DATA_UPLOAD_MAX_MEMORY_SIZE": 500 * 1024 * 1024},
    ],
    "pmot.E009": [
        {"FILE_UPLOAD_MAX_MEMORY_SIZE": 500 * 1024 * 1024},
        {"FILE_UPLOAD_MAX_MEMORY_SIZE": None},
    ],
    "pmot.E010": [{"PMOT_MAX_UPLOAD_MB": 101}, {"PMOT_MAX_UPLOAD_MB": 0}],
    "pmot.E011": [
        {"PMOT_LOGIN_FAILURES_PER_ACCOUNT": 2},
        {"PMOT_LOGIN_FAILURES_PER_ACCOUNT": 11},
        {"PMOT_LOGIN_FAILURES_PER_ACCOUNT": None},
    ],
    "pmot.E012": [
        {"PMOT_LOGIN_LOCK_FIRST": None},
        {"PMOT_LOGIN_LOCK_FIRST": timedelta(0)},
        {"PMOT_LOGIN_LOCK_LONGEST": None},
        {"PMOT_LOGIN_LOCK_LONGEST": timedelta(minutes=1)},
    ],
    "pmot.E013": [
        {"PMOT_LOGIN_FAILURES_PER_ADDRESS": None},
        {"PMOT_LOGIN_FAILURES_PER_ADDRESS": 0},
        {"PMOT_LOGIN_FAILURES_PER_ADDRESS": 1000},
    ],
    "pmot.E014": [
        {
            "AUTHENTICATION_BACKENDS": lambda s: without(
                s.AUTHENTICATION_BACKENDS, "pmot.actors.lockout.LockoutBackend"
            )
        },
        {
            "AUTHENTICATION_BACKENDS": lambda s: [
                *s.AUTHENTICATION_BACKENDS[1:],
                s.AUTHENTICATION_BACKENDS[0],
            ]
        },
    ],
    "pmot.E015": [
        {"AUTH_PASSWORD_VALIDATORS": []},
        {
            "AUTH_PASSWORD_VALIDATORS": [
                {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"}
            ]
        },
        {
            "AUTH_PASSWORD_VALIDATORS": [
                {
                    "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
                    "OPTIONS": {"min_length": 9},
                }
            ]
        },
    ],
}


BREAKAGES |= {
    "pmot.E019": [
        {"PMOT_TRUSTED_PROXIES": ["10.0.0.1", "proxy.local"]},
        {"PMOT_TRUSTED_PROXIES": ["10.0.0.0/33"]},
    ],
    # An old .env: BEHIND_PROXY=1 and no list of proxies.
    "pmot.E020": [{"PMOT_LEGACY_BEHIND_PROXY": True, "PMOT_TRUSTED_PROXIES": []}],
}


@pytest.mark.parametrize(
    ("check_id", "overrides"),
    [(check_id, o) for check_id, cases in BREAKAGES.items() for o in cases],
)
def test_it_reports_a_broken_setting(settings, check_id, overrides):
    for name, value in overrides.items():
        setattr(settings, name, value(settings) if callable(value) else value)
    assert check_id in pmot_ids()


def test_it_refuses_debug_in_a_deployment(settings):
    settings.DEBUG = True
    settings.SECRET_KEY = PRODUCTION_KEY
    assert "pmot.E016" in pmot_ids(deploy=True)
    assert "pmot.E016" not in pmot_ids()  # development is not a deployment


@pytest.mark.parametrize(
    "key", ["only-for-the-test-suite", "insecure-development-key-only-for-debug"]
)
def test_it_refuses_a_key_from_the_repository_in_a_deployment(settings, key):
    settings.DEBUG = False
    settings.SECRET_KEY = key
    assert "pmot.E017" in pmot_ids(deploy=True)


def test_it_refuses_a_deployment_without_two_factor_login(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = PRODUCTION_KEY
    settings.PMOT_TWO_FACTOR_REQUIRED = False
    assert "pmot.E018" in pmot_ids(deploy=True)
    settings.PMOT_TWO_FACTOR_REQUIRED = True
    assert "pmot.E018" not in pmot_ids(deploy=True)


def test_check_deploy_is_clean_with_production_settings(settings, monkeypatch):
    """What the production variables give (see pmot/settings.py): no warning at all, pmot's
    checks and Django's, django-axes' and django-csp's included."""
    # Set by tests/conftest.py for the browser tests (async.E001); a deployment never has it.
    monkeypatch.delenv("DJANGO_ALLOW_ASYNC_UNSAFE", raising=False)
    settings.DEBUG = False
    settings.SECRET_KEY = PRODUCTION_KEY
    settings.ALLOWED_HOSTS = ["pmot.example.gob.mx"]
    settings.SECURE_SSL = True
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    call_command("check", "--deploy", "--fail-level", "WARNING")
