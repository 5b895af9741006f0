"""Two-factor login: after the password, a code from an authenticator app (TOTP) or a backup code.

Who is asked: everyone who can change records (`is_needed`): administrators and staff of the
admin, every holder of a model permission other than view_*, every holder of an object
permission (organization-bound roles report for their organization) and whatever another app
registers with `register_change_capability` (committees: a voting seat). The public has no
account, and a person who can only read is not asked, unless they enrolled of their own accord.
`PMOT_TWO_FACTOR_REQUIRED` (on when DEBUG is off; a deploy check insists) turns the requirement
on; an enrolled person is asked whatever it says.

Where it is kept: the session (`SESSION_KEY`) says "verified:<device>" after the second step, or
"exempt" once it is known the person need not take it; a session that says neither is pending,
and `SecondStepMiddleware` sends it to the second step before any staff page, the admin
included. So a page costs no query more. Whatever changes the answer ends the marks: reset
ends the person's sessions, a new role removes "exempt" from them (`exemption_forget`).

Devices: django-otp's TOTP device (30 s codes, one step of drift either way, a code used once,
growing delays after failures) and a static device holding ten single-use backup codes.
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.sessions.models import Session
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from guardian.models import UserObjectPermissionBase

from pmot.actors import security_log
from pmot.actors.models import AccessEvent

SESSION_KEY = "pmot_second_step"
EXEMPT = "exempt"
VERIFIED_PREFIX = "verified:"
BACKUP_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Autenticador"
BACKUP_DEVICE_NAME = "Códigos de respaldo"

# Other apps' ways of changing records that permissions do not show (committees: a seat).
_change_capabilities: list[Callable[[AbstractBaseUser], bool]] = []


def register_change_capability(check: Callable[[AbstractBaseUser], bool]) -> None:
    """`check(user)` is True when the person can change records in a way of that app."""
    if check not in _change_capabilities:
        _change_capabilities.append(check)


def can_change_records(user) -> bool:
    if user.is_superuser or user.is_staff:
        return True
    if any(not name.split(".", 1)[1].startswith("view_") for name in user.get_all_permissions()):
        return True
    for model in _object_permission_models():
        granted = model.objects.filter(user=user)
        if granted.exclude(permission__codename__startswith="view_").exists():
            return True
    return any(check(user) for check in _change_capabilities)


def _object_permission_models():
    """guardian's tables of permissions a person holds on one record, generic and direct."""
    return [m for m in apps.get_models() if issubclass(m, UserObjectPermissionBase)]


def is_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_needed(user) -> bool:
    """Whether this person must take the second step to use staff pages."""
    if settings.PMOT_TWO_FACTOR_REQUIRED and can_change_records(user):
        return True
    return is_enrolled(user)


def verified_marker(device) -> str:
    return f"{VERIFIED_PREFIX}{device.persistent_id}"


def is_verified(request) -> bool:
    return str(request.session.get(SESSION_KEY, "")).startswith(VERIFIED_PREFIX)


def is_settled(request) -> bool:
    """Verified, or known not to need the second step."""
    state = str(request.session.get(SESSION_KEY, ""))
    return state == EXEMPT or state.startswith(VERIFIED_PREFIX)


# --- Enrolment, verification, backup codes, reset -------------------------------------------


def enrollment_device(user) -> TOTPDevice:
    """The unconfirmed authenticator a person is setting up; the same one until confirmed, so
    reloading the page keeps the QR code they may have scanned already."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def enrollment_confirm(*, request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the new authenticator with the code it shows; None when the code is wrong.

    On success the person's older authenticators go, ten fresh backup codes are made (returned,
    shown once) and the session is verified.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(pk=device.pk).first()
        if device is None or device.confirmed:
            return None  # confirmed a moment ago (a second click), or replaced
        # No waiting while setting up: the secret is on the person's screen anyway.
        device.throttle_reset(commit=False)
        if not device.verify_token(token):
            return None
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = backup_codes_replace(device.user)
    _mark_verified(request, device)
    _record(AccessEvent.Kind.TWO_FACTOR_ENROLLED, request)
    return codes


def backup_codes_replace(user) -> list[str]:
    """Ten new single-use backup codes; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def normalize(token: str) -> str:
    """What people type: spaces and dashes between groups, upper case from a printout."""
    return "".join(token.split()).replace("-", "").lower()


def verify(*, request, token: str) -> bool:
    """Take the second step with a code of the authenticator or a backup code (used up).

    Each device counts its own failures and makes the person wait longer after each one.
    """
    user, token = request.user, normalize(token)
    authenticator = len(token) == 6 and token.isdigit()
    model = TOTPDevice if authenticator else StaticDevice
    devices = list(model.objects.filter(user=user, confirmed=True)) if token else []
    for device in devices:
        with transaction.atomic():
            device = type(device).objects.select_for_update().get(pk=device.pk)
            if device.verify_token(token):
                _mark_verified(request, device)
                _record(AccessEvent.Kind.SECOND_STEP, request)
                return True
    _record(AccessEvent.Kind.SECOND_STEP_FAILED, request)
    return False


def wait_seconds(user) -> int:
    """Seconds the person must wait before the next try, after failed codes (0: none)."""
    waits = []
    for model in (TOTPDevice, StaticDevice):
        for device in model.objects.filter(user=user, confirmed=True):
            allowed, data = device.verify_is_allowed()
            if not allowed and data and data.get("locked_until"):
                waits.append(int((data["locked_until"] - timezone.now()).total_seconds()) + 1)
    return max(waits, default=0)


def two_factor_reset(*, user, request=None) -> None:
    """An administrator's reset for a person who lost their phone: their authenticators and
    backup codes go and every session of theirs ends; next login, they enrol again."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        sessions_end(user)
        security_log.record(
            kind=AccessEvent.Kind.TWO_FACTOR_RESET,
            request=request,
            user=user,
        )


def _user_sessions(user):
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = session.get_decoded()
        if data.get("_auth_user_id") == str(user.pk):
            yield session, data


def sessions_end(user) -> None:
    for session, _data in _user_sessions(user):
        session.delete()


def exemption_forget(user) -> None:
    """The person may now change records: their sessions that were spared the second step are
    asked for it on their next page."""
    for session, data in _user_sessions(user):
        if data.get(SESSION_KEY) == EXEMPT:
            del data[SESSION_KEY]
            Session.objects.filter(pk=session.pk).update(session_data=Session.objects.encode(data))


def _mark_verified(request, device) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = verified_marker(device)


def _record(kind, request) -> None:
    security_log.record(kind=kind, request=request, user=request.user)


# --- The gate ---------------------------------------------------------------------------------


def second_step_not_required(view):
    """Mark a view a pending session may use: the second step itself, logging out."""
    view.second_step_not_required = True
    return view


class SecondStepMiddleware:
    """Sends a logged-in person who still owes the second step to it, before any staff page.

    Public pages (marked login_not_required) are served as to an anonymous visitor to whoever
    still owes it; the admin's pages are staff pages. Goes after AuthenticationMiddleware and
    LoginRequiredMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or is_settled(request):
            return None
        if getattr(view_func, "second_step_not_required", False):
            return None
        if not is_needed(user):
            request.session[SESSION_KEY] = EXEMPT
            return None
        if not getattr(view_func, "login_required", True):
            # A public page, or the admin's login page: served as to anyone. A password alone
            # opens nothing more, so the view sees an anonymous visitor (an unpublished file
            # served by a public view for staff stays out of reach).
            request.user = AnonymousUser()
            return None
        target = "second_step" if is_enrolled(user) else "second_step_enroll"
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(reverse(target) + (f"?{query}" if query else ""))
