"""The annual evaluation program, its evaluations (DOMAIN.md §6) with evaluator, cost, funding
and report, and the recommendations (*aspectos susceptibles de mejora*) followed to closure."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from pmot.core.uploads import stored_name

MONEY = {"max_digits": 16, "decimal_places": 2}


def _report_name(instance, filename: str) -> str:
    return stored_name("evaluation/reports", filename)


class EvaluationProgram(models.Model):
    """The year's evaluation program (*programa anual de evaluación*)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    document = models.FileField(
        _("program document (PDF)"), upload_to=_report_name, max_length=200, blank=True
    )
    published = models.BooleanField(_("published"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation program")
        verbose_name_plural = _("evaluation programs")
        ordering = ["-year"]

    def __str__(self):
        return self.title


class Evaluation(models.Model):
    class Kind(models.TextChoices):
        DESIGN = "design", _("Design")
        CONSISTENCY = "consistency", _("Consistency and results")
        PROCESSES = "processes", _("Processes")
        IMPACT = "impact", _("Impact")
        SPECIFIC = "specific", _("Specific")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        FINISHED = "finished", _("Finished")

    program = models.ForeignKey(
        EvaluationProgram,
        verbose_name=_("evaluation program"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    evaluator = models.CharField(
        _("evaluator"), max_length=200, help_text=_("The external evaluator or firm.")
    )
    cost = models.DecimalField(_("cost"), **MONEY, default=Decimal(0))
    source = models.ForeignKey(
        "budgeting.FundingSource",
        verbose_name=_("funding source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    elements = models.ManyToManyField(
        "planning.PlanElement",
        verbose_name=_("plan elements evaluated"),
        blank=True,
        related_name="evaluations",
    )
    actions = models.ManyToManyField(
        "budgeting.Action",
        verbose_name=_("POA actions evaluated"),
        blank=True,
        related_name="evaluations",
    )
    report = models.FileField(_("report (PDF)"), upload_to=_report_name, max_length=200, blank=True)
    summary = models.TextField(_("summary of findings"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    updated_at = models.DateTimeField(_("last update"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[elements, actions])

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="evaluation_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(cost__gte=0), name="evaluation_cost_not_negative"),
            models.CheckConstraint(
                condition=~Q(status="finished") | ~Q(report=""),
                name="evaluation_finished_has_report",
            ),
        ]

    def __str__(self):
        return self.title


class RecommendationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Recommendation.Status.open())

    def overdue(self, today: datetime.date):
        return self.open().filter(due__lt=today)


class Recommendation(models.Model):
    """An aspect open to improvement that an evaluation found, who answers for it, by when."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", pgettext_lazy("recommendation", "Accepted")
        IN_PROGRESS = "in_progress", _("Being attended")
        ATTENDED = "attended", _("Attended")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")

        @classmethod
        def open(cls) -> list[str]:
            return [cls.ACCEPTED, cls.IN_PROGRESS]

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("evaluation"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("recommendation"))
    responsible = models.ForeignKey(
        "actors.Organization",
        verbose_name=_("responsible organization"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    due = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACCEPTED
    )
    reason = models.TextField(_("reason it was not accepted"), blank=True)
    closed_on = models.DateField(_("attended on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last update"), auto_now=True)

    history = HistoricalRecords()
    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["evaluation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "number"], name="recommendation_number_per_evaluation"
            ),
            models.CheckConstraint(
                condition=~Q(status="not_accepted") | ~Q(reason=""),
                name="recommendation_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="attended", closed_on__isnull=False)
                | (~Q(status="attended") & Q(closed_on__isnull=True)),
                name="recommendation_attended_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.evaluation_id}-{self.number}"

    def overdue(self, today: datetime.date) -> bool:
        return self.status in self.Status.open() and self.due < today


def _followup_name(instance, filename: str) -> str:
    return stored_name("evaluation/followup", filename)


class FollowUp(models.Model):
    """A step in attending a recommendation, with its evidence: the record of how it closed."""

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.PROTECT,
        related_name="followups",
    )
    status = models.CharField(
        _("status after it"), max_length=12, choices=Recommendation.Status.choices
    )
    note = models.TextField(_("what was done"))
    evidence = models.FileField(_("evidence"), upload_to=_followup_name, max_length=200, blank=True)
    evidence_name = models.CharField(_("evidence's name"), max_length=255, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("date"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up of a recommendation")
        verbose_name_plural = _("follow-ups of recommendations")
        ordering = ["recommendation", "at", "pk"]

    def __str__(self):
        return f"{self.recommendation} · {self.at:%Y-%m-%d}"
