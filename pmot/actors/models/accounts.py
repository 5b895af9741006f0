"""People's accounts, the security log and the login lockout's bookkeeping."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """A person who takes part in the PMOT. With a usable password, also someone who logs in."""

    class Gender(models.TextChoices):
        FEMALE = "F", _("Woman")
        MALE = "M", _("Man")
        NON_BINARY = "X", _("Non-binary")
        UNSPECIFIED = "", _("Prefers not to say")

    gender = models.CharField(
        _("gender"), max_length=1, choices=Gender.choices, default=Gender.UNSPECIFIED, blank=True
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    # Password hashes and login times are not part of anybody's audit trail.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    def save(self, *args, **kwargs):
        # A login saves only last_login, which history leaves out: write no empty history row.
        if set(kwargs.get("update_fields") or ()) == {"last_login"}:
            self.skip_history_when_saving = True
            try:
                return super().save(*args, **kwargs)
            finally:
                del self.skip_history_when_saving
        return super().save(*args, **kwargs)

    class Meta(AbstractUser.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["first_name", "last_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username


class AccessEvent(models.Model):
    """One authentication event or refused authorization: who, from where, when.

    This table is itself the security log, so it keeps no history of its own, and a row is
    written once and never changed (`save` refuses). Rows are written only by
    `pmot.actors.security_log`; the admin shows them to administrators, read-only.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logged out")
        LOCKED_OUT = "locked_out", _("Locked out after failed logins")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        SECOND_STEP = "second_step", _("Second step passed")
        SECOND_STEP_FAILED = "second_step_failed", _("Wrong second-step code")
        TWO_FACTOR_ENROLLED = "two_factor_enrolled", _("Authenticator set up")
        TWO_FACTOR_RESET = "two_factor_reset", _("Two-factor login reset")
        REFUSED = "refused", _("Access refused")

    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    user = models.ForeignKey(
        User,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_events",
    )
    # As typed or held at the time: a failed login names no account, and accounts get renamed.
    username = models.CharField(_("username"), max_length=150, blank=True)
    # The client's address as pmot took it (pmot.core.network.client_ip), and what it was
    # taken from: the connection's own address and the X-Forwarded-For chain as received.
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    remote_addr = models.GenericIPAddressField(_("connection address"), null=True, blank=True)
    forwarded_for = models.CharField(_("X-Forwarded-For"), max_length=500, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)
    method = models.CharField(_("HTTP method"), max_length=10, blank=True)
    path = models.CharField(_("address requested"), max_length=500, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.username or '-'} · {self.ip_address or '-'}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Access events are written once and never changed.")
        return super().save(*args, **kwargs)


class LoginThrottle(models.Model):
    """Failed logins of one account name, whatever the address, or of one address, whatever
    the account name, and the lock they led to (pmot.actors.lockout).

    Bookkeeping of the lockout, not a record of anybody's work: it keeps no history (the
    security log, AccessEvent, holds each attempt), and a row is forgotten a while after its
    last failure. The account name is kept as typed, in lower case, whether or not an account
    has it: a lock must not tell which names exist.
    """

    class Scope(models.TextChoices):
        ACCOUNT = "account", _("Account name")
        ADDRESS = "address", _("Address")

    scope = models.CharField(_("counted by"), max_length=10, choices=Scope.choices)
    key = models.CharField(_("account name or address"), max_length=150)
    failures = models.PositiveIntegerField(_("failures since the last lock"), default=0)
    lockouts = models.PositiveIntegerField(_("locks so far"), default=0)
    last_failure_at = models.DateTimeField(_("last failure"))
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("login lock")
        verbose_name_plural = _("login locks")
        ordering = ["-last_failure_at"]
        indexes = [models.Index(fields=["last_failure_at"], name="loginthrottle_last_failure")]
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="loginthrottle_one_per_key"),
        ]

    def __str__(self):
        return f"{self.get_scope_display()} · {self.key}"
