"""Organizations and memberships, the municipality and its administrations."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from pmot.actors.models.accounts import User
from pmot.actors.roles import Role, Sector


class Municipality(models.Model):
    """The municipality whose PMOT this is: one row, chosen from INEGI's geostatistical frame."""

    inegi_key = models.CharField(
        _("INEGI key"),
        max_length=5,
        validators=[RegexValidator(r"^\d{5}$", _("The INEGI key has five digits, e.g. 01001."))],
        help_text=_("State and municipality key of INEGI's geostatistical frame, e.g. 01001."),
    )
    name = models.CharField(_("name"), max_length=120)
    state = models.CharField(_("state"), max_length=60)
    population = models.PositiveIntegerField(_("population"))
    population_year = models.PositiveSmallIntegerField(_("census year"), default=2020)
    singleton = models.BooleanField(default=True, editable=False, unique=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipality")
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="municipality_single_row"),
        ]

    def __str__(self):
        return f"{self.name}, {self.state}"

    @property
    def expects_implan(self) -> bool:
        """LGAHOTDU art. 11 expects an IMPLAN from 100,000 inhabitants on."""
        return self.population >= 100_000


# States set the exact day of hand-over; a term may end a few weeks off its third anniversary.
TERM_TOLERANCE_DAYS = 31


class AdministrationQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on, end_date__gte=on)


class Administration(models.Model):
    """The three-year term of an Ayuntamiento (e.g. 2024–2027). The PMOT outlives it."""

    start_date = models.DateField(_("start date"), unique=True)
    end_date = models.DateField(_("end date"))
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = AdministrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipal administration")
        verbose_name_plural = _("municipal administrations")
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")),
                name="administration_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return f"{self.start_date.year}–{self.end_date.year}"

    @staticmethod
    def expected_end(start: datetime.date) -> datetime.date:
        """The eve of the start's anniversary, PMOT_ADMINISTRATION_YEARS later."""
        years = settings.PMOT_ADMINISTRATION_YEARS
        try:
            anniversary = start.replace(year=start.year + years)
        except ValueError:  # 29 February
            anniversary = start.replace(year=start.year + years, day=28)
        return anniversary - datetime.timedelta(days=1)

    def clean(self):
        if not (self.start_date and self.end_date):
            return
        if self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("The term must end after it starts.")})
        years = settings.PMOT_ADMINISTRATION_YEARS
        if abs((self.end_date - self.expected_end(self.start_date)).days) > TERM_TOLERANCE_DAYS:
            raise ValidationError(
                {
                    "end_date": _("A municipal administration lasts %(years)s years.")
                    % {"years": years}
                }
            )
        overlapping = Administration.objects.filter(
            start_date__lte=self.end_date, end_date__gte=self.start_date
        ).exclude(pk=self.pk)
        if overlapping.exists():
            raise ValidationError(
                _("This term overlaps the administration %(name)s.") % {"name": overlapping[0].name}
            )


class OrganizationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Organization(models.Model):
    """A unit of the municipal administration, a state or federal agency, a chamber, a
    university, a neighbourhood association. A unit may sit under a parent unit."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    sector = models.CharField(_("sector"), max_length=12, choices=Sector.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]
        permissions = [
            ("report_for_organization", _("Can report progress of the organization's records")),
        ]

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def clean(self):
        if self.parent_id and (
            self.parent_id == self.pk or self.pk in {o.pk for o in self.parent.ancestors()}
        ):
            raise ValidationError(
                {"parent": _("A unit cannot be placed under itself or one of its own units.")}
            )

    def ancestors(self) -> list["Organization"]:
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain


class OrganizationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Organization, on_delete=models.CASCADE)


class OrganizationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Organization, on_delete=models.CASCADE)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Membership.Status.ACTIVE)

    def open(self):
        """Active, or waiting for its start date."""
        return self.filter(status__in=[Membership.Status.SCHEDULED, Membership.Status.ACTIVE])

    def due_to_start(self, today: datetime.date):
        return self.filter(status=Membership.Status.SCHEDULED, start_date__lte=today).exclude(
            end_date__lt=today
        )

    def due_to_end(self, today: datetime.date):
        return self.filter(
            status__in=[Membership.Status.ACTIVE, Membership.Status.SCHEDULED],
            end_date__lt=today,
        )


class Membership(models.Model):
    """A person's place in an organization, and the role it gives them in the PMOT.

    A person holds as many roles as active memberships. Roles and object permissions follow the
    status, and only `pmot.actors.services` changes it.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled before it started")

        @classmethod
        def closed(cls) -> list[str]:
            return [cls.ENDED, cls.CANCELLED]

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    position = models.CharField(
        _("position"), max_length=150, blank=True, help_text=_("E.g. Director of Urban Planning.")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                condition=Q(status__in=["scheduled", "active"]),
                name="membership_one_open_per_role",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.organization}"
