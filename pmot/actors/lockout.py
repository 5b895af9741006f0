"""The lock after failed logins, in PostgreSQL (it works with Redis down).

Failures are counted twice: per account name typed, whatever the address (one account tried
from many addresses), and per address, whatever the account name (one address trying many
names). Past the limit of either (PMOT_LOGIN_FAILURES_PER_ACCOUNT, _PER_ADDRESS) it is locked
for PMOT_LOGIN_LOCK_FIRST, and each new lock of the same account name or address waits twice as
long as the one before, up to PMOT_LOGIN_LOCK_LONGEST. PMOT_LOGIN_FORGET_AFTER without a
failure wipes the count and the waits.

While locked, an attempt is refused before the password is read (`LockoutBackend`, first of
AUTHENTICATION_BACKENDS), is not counted (the lock is not lengthened) and is written to the
security log. A successful login clears its account's count, never its address's: otherwise
whoever holds one account could try others' passwords between two logins of their own.

The address is `pmot.core.network.client_ip`: the connection's, or the one our proxy saw.
"""

import ipaddress
import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pmot.actors import security_log
from pmot.actors.models import AccessEvent, LoginThrottle, User
from pmot.core.network import client_ip

Scope = LoginThrottle.Scope
KEY_LENGTH = LoginThrottle._meta.get_field("key").max_length
IPV6, IPV6_PREFIX = 6, 64


# --- The rule, on numbers -------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    failures: int = 0
    lockouts: int = 0
    last_failure_at: datetime | None = None
    locked_until: datetime | None = None


def lock_length(lockouts: int, *, first: timedelta, longest: timedelta) -> timedelta:
    """The wait of the n-th lock: first, twice first, four times first... up to longest."""
    return min(first * 2 ** max(lockouts - 1, 0), longest)


def after_failure(count: Count, *, at: datetime, limit: int) -> Count:
    """The count after one more failure at `at` (not while locked: that one is not counted)."""
    last = count.last_failure_at
    if last is not None and at - last >= settings.PMOT_LOGIN_FORGET_AFTER:
        count = Count()
    count = replace(count, failures=count.failures + 1, last_failure_at=at)
    if count.failures < limit:
        return count
    lockouts = count.lockouts + 1
    wait = lock_length(
        lockouts, first=settings.PMOT_LOGIN_LOCK_FIRST, longest=settings.PMOT_LOGIN_LOCK_LONGEST
    )
    return replace(count, failures=0, lockouts=lockouts, locked_until=at + wait)


# --- Locks in the database ------------------------------------------------------------------


@dataclass(frozen=True)
class Lock:
    scope: str
    until: datetime

    def minutes_left(self, at: datetime | None = None) -> int:
        seconds = (self.until - (at or timezone.now())).total_seconds()
        return max(math.ceil(seconds / 60), 1)


def address_key(address: str) -> str:
    """An IPv6 address counts as its /64: one machine commonly holds a whole /64 and could
    otherwise take a new address for each try."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:KEY_LENGTH]
    if ip.version == IPV6:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
    return str(ip)


def _keys(*, username: str | None, address: str | None) -> list[tuple[str, str]]:
    keys = []
    if username:
        keys.append((Scope.ACCOUNT, username.casefold()[:KEY_LENGTH]))
    if address:
        keys.append((Scope.ADDRESS, address_key(address)))
    return keys


def _limit(scope: str) -> int:
    if scope == Scope.ACCOUNT:
        return settings.PMOT_LOGIN_FAILURES_PER_ACCOUNT
    return settings.PMOT_LOGIN_FAILURES_PER_ADDRESS


def lock_in_force(*, username: str | None, address: str | None, at=None) -> Lock | None:
    """The lock on this account name or this address that lasts longest, if any."""
    at = at or timezone.now()
    keys = _keys(username=username, address=address)
    if not keys:
        return None
    found = None
    for scope, key in keys:
        row = LoginThrottle.objects.filter(scope=scope, key=key, locked_until__gt=at).first()
        if row and (found is None or row.locked_until > found.until):
            found = Lock(scope=scope, until=row.locked_until)
    return found


def failure_count(*, username: str | None, address: str | None, at=None) -> Lock | None:
    """Count one failed login against the account name and the address; the lock it led to.
    Counts forgotten and locks ended are deleted on the way, so the table holds about a day of
    failures however many names are tried."""
    at = at or timezone.now()
    forgotten = Q(last_failure_at__lt=at - settings.PMOT_LOGIN_FORGET_AFTER)
    LoginThrottle.objects.filter(forgotten, Q(locked_until=None) | Q(locked_until__lt=at)).delete()
    lock = None
    for scope, key in _keys(username=username, address=address):
        with transaction.atomic():
            row, _created = LoginThrottle.objects.select_for_update().get_or_create(
                scope=scope, key=key, defaults={"last_failure_at": at}
            )
            before = Count(row.failures, row.lockouts, row.last_failure_at)
            count = after_failure(before, at=at, limit=_limit(scope))
            row.failures, row.lockouts = count.failures, count.lockouts
            row.last_failure_at = count.last_failure_at
            row.locked_until = count.locked_until or row.locked_until
            row.save(update_fields=["failures", "lockouts", "last_failure_at", "locked_until"])
        locked = row.locked_until is not None and row.locked_until > at
        if locked and (lock is None or row.locked_until > lock.until):
            lock = Lock(scope=scope, until=row.locked_until)
    return lock


def account_clear(*, username: str) -> None:
    """Its owner proved the password: the account name's failures and waits are forgotten."""
    LoginThrottle.objects.filter(scope=Scope.ACCOUNT, key=username.casefold()).delete()


# --- Wiring into Django's authentication ----------------------------------------------------

REQUEST_ATTRIBUTE = "pmot_login_lock"


class LockoutBackend:
    """First of AUTHENTICATION_BACKENDS: refuses a login while its account name or address is
    locked, before any other backend checks the password. Authenticates nobody itself, and has
    no `get_user`: so `Client.force_login` and sessions never name it as the backend."""

    def authenticate(self, request, username=None, **credentials):
        address = client_ip(request) if request is not None else None
        lock = lock_in_force(username=username, address=address)
        if lock is None:
            return
        if request is not None:
            setattr(request, REQUEST_ATTRIBUTE, lock)
        # Django's authenticate() stops here, sends user_login_failed and answers None.
        raise PermissionDenied


def lock_of(request) -> Lock | None:
    """The lock that refused this request's login, if one did (for the login page)."""
    return getattr(request, REQUEST_ATTRIBUTE, None)


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get(User.USERNAME_FIELD) or credentials.get("username") or "")
    if request is not None and lock_of(request) is not None:
        # Refused while locked: not counted, so the lock does not grow; logged.
        security_log.record(kind=AccessEvent.Kind.LOCKED_OUT, request=request, username=username)
        return
    address = client_ip(request) if request is not None else None
    lock = failure_count(username=username, address=address)
    if lock is not None and request is not None:
        setattr(request, REQUEST_ATTRIBUTE, lock)
        security_log.record(kind=AccessEvent.Kind.LOCKED_OUT, request=request, username=username)


def on_logged_in(sender, request, user, **kwargs):
    account_clear(username=user.get_username())


def connect() -> None:
    """Called once from ActorsConfig.ready."""
    uid = "pmot.actors.lockout"
    user_login_failed.connect(on_login_failed, dispatch_uid=f"{uid}.login_failed")
    user_logged_in.connect(on_logged_in, dispatch_uid=f"{uid}.login")
