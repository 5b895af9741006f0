import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from pmot.actors.roles import Sector


class Body(models.Model):
    """A collegiate body: the Cabildo, the coordinating body the Cabildo chose (committee, IMPLAN
    board or COPLADEM), or one of its subcommittees. All of them work the same way."""

    class Kind(models.TextChoices):
        CABILDO = "cabildo", _("Council (Cabildo)")
        COMMITTEE = "committee", _("Municipal Territorial Ordering Committee")
        IMPLAN_BOARD = "implan_board", _("IMPLAN governing board")
        COPLADEM = "copladem", _("Municipal Development Planning Committee (COPLADEM)")
        SUBCOMMITTEE = "subcommittee", _("Subcommittee")

        @property
        def coordinates(self) -> bool:
            """May be designated by the Cabildo to coordinate the PMOT."""
            return self in COORDINATING_KINDS

    name = models.CharField(_("name"), max_length=200, unique=True)
    key = models.CharField(
        _("key"),
        max_length=12,
        unique=True,
        help_text=_("Short code at the start of agreement keys, e.g. CAB or COPLADEM."),
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subcommittees",
    )
    organization = models.ForeignKey(
        "actors.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bodies",
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("collegiate body")
        verbose_name_plural = _("collegiate bodies")
        ordering = ["kind", "name"]
        permissions = [
            ("conduct_body", _("Can convene sessions of the body and conduct its votes")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="cabildo"), name="body_one_cabildo"
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(kind="subcommittee"),
                name="body_only_subcommittees_have_a_parent",
            ),
        ]

    def __str__(self):
        return self.name


COORDINATING_KINDS = frozenset({Body.Kind.COMMITTEE, Body.Kind.IMPLAN_BOARD, Body.Kind.COPLADEM})


class BodyUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Body, on_delete=models.CASCADE)


class BodyGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Body, on_delete=models.CASCADE)


class MemberQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )

    def voting(self):
        return self.filter(has_vote=True)


class Member(models.Model):
    """A seat held by a person in a body (*integrante*). Seats are unpaid (LGAHOTDU art. 20)."""

    class Role(models.TextChoices):
        PRESIDENT = "president", _("President")
        GENERAL_COORDINATOR = "general_coordinator", _("General coordinator")
        TECHNICAL_SECRETARY = "technical_secretary", _("Technical secretary")
        COUNCIL_SECRETARY = "council_secretary", _("Secretary of the Ayuntamiento")
        SYNDIC = "syndic", _("Syndic")
        ALDERMAN = "alderman", _("Alderman")
        COUNSELOR = "counselor", _("Counselor")
        VOCAL = "vocal", _("Member (vocal)")
        GUEST = "guest", _("Guest — voice without vote")

    class Standing(models.TextChoices):
        TITULAR = "titular", _("Titular (propietario)")
        ALTERNATE = "alternate", _("Alternate (suplente)")

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="seats",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    sector = models.CharField(_("sector"), max_length=12, choices=Sector.choices)
    standing = models.CharField(
        _("standing"), max_length=10, choices=Standing.choices, default=Standing.TITULAR
    )
    alternate_for = models.ForeignKey(
        "self",
        verbose_name=_("alternate for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="alternates",
    )
    has_vote = models.BooleanField(_("has a vote"), default=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    history = HistoricalRecords()
    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["body", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["guest", "council_secretary"]) | Q(has_vote=False),
                name="member_guests_and_council_secretary_do_not_vote",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="member_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.body.key}"

    @property
    def presides(self) -> bool:
        return self.role == self.Role.PRESIDENT


class Designation(models.Model):
    """Which body coordinates the PMOT, from when, by which agreement of the Cabildo.

    Exactly one is in charge at a time; a later designation ends the earlier one, which stays.
    """

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="designations"
    )
    agreement = models.OneToOneField(
        "committees.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="designation",
    )
    start_date = models.DateField(_("in charge from"))
    end_date = models.DateField(_("in charge until"), null=True, blank=True)
    in_charge = models.BooleanField(_("in charge"), default=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("designation of the coordinating body")
        verbose_name_plural = _("designations of the coordinating body")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["in_charge"], condition=Q(in_charge=True), name="designation_one_in_charge"
            ),
        ]

    def __str__(self):
        return f"{self.body} ({self.start_date:%Y-%m-%d})"


class Leave(models.Model):
    """A titular's leave of absence (*licencia*). In the Cabildo the alternate sits only while
    the titular is on a leave the Cabildo approved, itself decided on an agenda item."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    member = models.ForeignKey(
        Member, verbose_name=_("titular member"), on_delete=models.PROTECT, related_name="leaves"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    agreement = models.OneToOneField(
        "committees.Agreement",
        verbose_name=_("agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leave",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leave of absence")
        verbose_name_plural = _("leaves of absence")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="leave_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.member.user} ({self.starts_on:%Y-%m-%d})"
