"""Logging in with both steps from tests: a person's authenticator and a verified session.

`client.force_login(user)` in tests also passes the second step (tests/conftest.py), so tests
about something else need nothing from here. Tests that drive a real server (browser, load,
faults) use these: `current_code(user)` is what the person's authenticator app shows now, and
`verified_session_key(user)` is a session cookie value of someone who passed both steps.
"""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from pmot.actors import two_factor


def authenticator(user) -> TOTPDevice:
    """The person's confirmed authenticator (TOTP device), enrolled if they had none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Autenticador", confirmed=True)


def code_of(device: TOTPDevice) -> str:
    """The six digits this authenticator shows right now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def current_code(user) -> str:
    """The six digits the person's authenticator shows right now, accepted even if a test
    already used them in these 30 seconds (a code is taken once: tests log in more often)."""
    device = authenticator(user)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    return code_of(device)


def verified_session_key(user) -> str:
    """A new session of `user` after password and second step; its key is the cookie value."""
    device = authenticator(user)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[two_factor.SESSION_KEY] = two_factor.verified_marker(device)
    store.create()
    return store.session_key


SESSION_COOKIE_NAME = settings.SESSION_COOKIE_NAME
