"""The security log: every authentication event and every refused authorization, one row each
(`AccessEvent`), with the person, the address and the time. The address is the one pmot took
(`client_ip`), next to what it was taken from: the connection's address and X-Forwarded-For.

Where each event comes from:
- logins, failed logins and logouts: Django's auth signals (`user_logged_in`,
  `user_login_failed`, `user_logged_out`);
- lockouts: pmot.actors.lockout, when failures lock an account name or an address and on
  each attempt refused while it is locked;
- password changes: `post_save` of a User whose password was set (`set_password` leaves
  `_password` until the save ends), whatever the page: the change form, a reset, the admin;
- refused authorizations: `AccessLogMiddleware`, which records every response with status 403,
  however it was made (PermissionDenied from pmot.core.permissions, the admin, a CSRF failure).
  A hidden object answers 404 and is not logged: it looks the same as a missing one.

The receivers are connected in `ActorsConfig.ready`. Each event is one INSERT; the password tried
in a failed login is never read (Django has already masked it).
"""

import contextvars

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.db.models.signals import post_save

from pmot.actors.models import AccessEvent, User
from pmot.core.network import client_ip, forwarded_chain

# The request being served, for events whose signal carries none (a password change).
_current_request = contextvars.ContextVar("pmot_security_log_request", default=None)

USER_AGENT_LENGTH = AccessEvent._meta.get_field("user_agent").max_length
USERNAME_LENGTH = AccessEvent._meta.get_field("username").max_length
PATH_LENGTH = AccessEvent._meta.get_field("path").max_length
FORWARDED_LENGTH = AccessEvent._meta.get_field("forwarded_for").max_length


def _ip_or_none(address: str | None) -> str | None:
    """The address, or None when it is not an IP address (a forged or misconfigured header)."""
    try:
        validate_ipv46_address(address)
    except ValidationError:
        return None
    return address


def record(*, kind: str, request=None, user=None, username: str = "") -> AccessEvent:
    """Write one event. `user` is the account when known; `username` what was typed or held."""
    if user is not None and not user.is_authenticated:
        user = None
    event = AccessEvent(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:USERNAME_LENGTH],
    )
    if request is not None:
        event.ip_address = _ip_or_none(client_ip(request))
        event.remote_addr = _ip_or_none(request.META.get("REMOTE_ADDR"))
        event.forwarded_for = ", ".join(forwarded_chain(request))[:FORWARDED_LENGTH]
        event.user_agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH]
        event.method = request.method or ""
        event.path = request.path[:PATH_LENGTH]
    event.save(force_insert=True)
    return event


class AccessLogMiddleware:
    """Records every 403 answered, and keeps the request at hand for the password receiver.
    Goes after AuthenticationMiddleware (it reads request.user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        if response.status_code == 403:
            record(
                kind=AccessEvent.Kind.REFUSED, request=request, user=getattr(request, "user", None)
            )
        return response


def on_logged_in(sender, request, user, **kwargs):
    record(kind=AccessEvent.Kind.LOGIN, request=request, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get(User.USERNAME_FIELD) or credentials.get("username") or "")
    record(kind=AccessEvent.Kind.LOGIN_FAILED, request=request, username=username)


def on_logged_out(sender, request, user, **kwargs):
    record(kind=AccessEvent.Kind.LOGOUT, request=request, user=user)


def on_user_saved(sender, instance, created, **kwargs):
    # A new account's first password is not a change; a hash upgrade at login clears
    # `_password` before saving, so it is not one either.
    if created or getattr(instance, "_password", None) is None:
        return
    record(kind=AccessEvent.Kind.PASSWORD_CHANGED, request=_current_request.get(), user=instance)


def connect() -> None:
    """Called once from ActorsConfig.ready."""
    uid = "pmot.actors.security_log"
    user_logged_in.connect(on_logged_in, dispatch_uid=f"{uid}.login")
    user_login_failed.connect(on_login_failed, dispatch_uid=f"{uid}.login_failed")
    user_logged_out.connect(on_logged_out, dispatch_uid=f"{uid}.logout")
    post_save.connect(on_user_saved, sender=User, dispatch_uid=f"{uid}.password")
