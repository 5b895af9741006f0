"""The program (PMOT) and its procedure (DOMAIN.md §4)."""

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pmot.planning import rules
from pmot.planning.models.plans import Plan


class Program(models.Model):
    """The PMOT itself: one program that outlives the administrations."""

    class Status(models.TextChoices):
        DRAFTING = "drafting", _("Being drafted")
        CONSULTATION = "consultation", _("In public consultation")
        APPROVED = "approved", _("Approved")
        IN_FORCE = "in_force", _("In force")

    class Opinion(models.TextChoices):
        FAVOURABLE = "favourable", _("Favourable")
        UNFAVOURABLE = "unfavourable", _("Unfavourable")

    name = models.CharField(_("name"), max_length=250)
    horizon_year = models.PositiveSmallIntegerField(_("horizon year"))
    version = models.CharField(_("version"), max_length=20, default="1.0")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFTING
    )
    start_agreement = models.ForeignKey(
        "committees.Agreement",
        verbose_name=_("agreement that started it"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approval_agreement = models.ForeignKey(
        "committees.Agreement",
        verbose_name=_("agreement that approved it"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    gazette_published_on = models.DateField(
        _("published in the state gazette on"),
        null=True,
        blank=True,
        help_text=_("The program is in force only from its publication (LGAHOTDU)."),
    )
    # The state's congruence opinion (LGAHOTDU art. 44): requested by the municipality, answered
    # within 90 business days; without an answer by then it counts as favourable.
    opinion_requested_on = models.DateField(
        _("state congruence opinion requested on"),
        null=True,
        blank=True,
        help_text=_(
            "The day the municipality asked the state for its congruence opinion (LGAHOTDU "
            "art. 44). The state answers within 90 business days; its silence counts as "
            "favourable."
        ),
    )
    opinion_received_on = models.DateField(_("state opinion received on"), null=True, blank=True)
    opinion = models.CharField(
        _("state opinion"), max_length=12, choices=Opinion.choices, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "in_force"])
                | Q(approval_agreement__isnull=False),
                name="program_approved_by_an_agreement",
                violation_error_message=_(
                    "Name the Cabildo's agreement that approved the program."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="in_force") | Q(gazette_published_on__isnull=False),
                name="program_in_force_once_published",
                violation_error_message=_(
                    "The program is in force only once published: give the date of the state "
                    "gazette."
                ),
            ),
            models.CheckConstraint(
                condition=Q(opinion="", opinion_received_on__isnull=True)
                | (~Q(opinion="") & Q(opinion_received_on__isnull=False)),
                name="program_opinion_answer_has_its_date",
                violation_error_message=_(
                    "Give both the day the state's opinion was received and its result."
                ),
            ),
            models.CheckConstraint(
                condition=Q(opinion_received_on__isnull=True)
                | Q(
                    opinion_requested_on__isnull=False,
                    opinion_received_on__gte=F("opinion_requested_on"),
                ),
                name="program_opinion_answered_after_its_request",
                violation_error_message=_(
                    "The state's opinion is received on or after the day it was requested."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="in_force")
                | (Q(opinion_requested_on__isnull=False) & ~Q(opinion="unfavourable")),
                name="program_in_force_with_the_state_opinion",
                violation_error_message=_(
                    "The program comes into force only with the state's congruence opinion."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="in_force")
                | Q(opinion_received_on__isnull=True)
                | Q(gazette_published_on__gte=F("opinion_received_on")),
                name="program_published_after_the_opinion",
                violation_error_message=_(
                    "The program is published on or after the state's opinion."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def opinion_deadline(self) -> datetime.date | None:
        """The last day the state has to answer, once requested."""
        if self.opinion_requested_on is None:
            return None
        return rules.opinion_deadline(self.opinion_requested_on)

    def opinion_favourable_on(self, today: datetime.date) -> datetime.date | None:
        """The day the state's opinion counts as favourable, as known on `today`: the day a
        favourable answer was received, or the day its silence became favourable; None while
        it may still answer, after an unfavourable answer, or before any request."""
        if self.opinion == self.Opinion.FAVOURABLE:
            return self.opinion_received_on
        if self.opinion or self.opinion_requested_on is None:
            return None
        tacit = rules.tacit_opinion_on(self.opinion_requested_on)
        return tacit if tacit <= today else None

    @property
    def pmot_plan(self):
        """The program's own tree (the plan of order PMOT), if it has one yet."""
        return next((plan for plan in self.plans.all() if plan.order == Plan.Order.PMOT), None)
