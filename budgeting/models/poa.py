"""The annual operating program (POA) of a fiscal year, its actions with their targets and
alignment, and the physical progress reported on them (DOMAIN.md §5)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from pmot.core.uploads import stored_name

# The periods of an action's calendar by name.
MONTHS = [
    _("January"),
    _("February"),
    _("March"),
    _("April"),
    _("May"),
    _("June"),
    _("July"),
    _("August"),
    _("September"),
    _("October"),
    _("November"),
    _("December"),
]
QUARTERS = [_("1st quarter"), _("2nd quarter"), _("3rd quarter"), _("4th quarter")]


class Poa(models.Model):
    """One POA per fiscal year (and per responsible unit where the municipality works so).
    Approved by an agreement through committees' approval hook; once approved, it changes only
    through recorded modifications."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        MODIFIED = "modified", _("Modified")
        CLOSED = "closed", pgettext_lazy("poa", "Closed")

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    unit = models.ForeignKey(
        "actors.Organization",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="poas",
        help_text=_("Empty: the POA of the whole municipality."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    approval_agreement = models.ForeignKey(
        "committees.Agreement",
        verbose_name=_("agreement that approved it"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last update"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("annual operating program (POA)")
        verbose_name_plural = _("annual operating programs (POA)")
        ordering = ["-fiscal_year", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "unit"], name="poa_once_per_year_and_unit"
            ),
            models.UniqueConstraint(
                fields=["fiscal_year"],
                condition=Q(unit__isnull=True),
                name="poa_once_per_year_for_the_municipality",
            ),
            models.CheckConstraint(
                condition=Q(fiscal_year__gte=2000, fiscal_year__lte=2100),
                name="poa_fiscal_year_in_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted"])
                | Q(approval_agreement__isnull=False),
                name="poa_approved_by_an_agreement",
            ),
        ]

    def __str__(self):
        return f"POA {self.fiscal_year}" + (f" · {self.unit}" if self.unit_id else "")

    @property
    def is_approved(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.MODIFIED)


class Modification(models.Model):
    """A recorded change to an approved POA (*adecuación presupuestaria*): its reason, who
    opened it, and the increases and reductions it requests (RequestedChange). Every change
    after approval belongs to an open one. Its requests move the *modificado* only when it is
    applied: a transfer that keeps the POA's total once IMPLAN, the office that holds the
    budget, authorizes it; a change to the total once the Cabildo approves it by a vote
    (committees' hook; DOMAIN.md §5). Rejected by the Cabildo, its requests never move."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        APPLIED = "applied", _("Applied")
        REJECTED = "rejected", _("Rejected")

    poa = models.ForeignKey(
        Poa, verbose_name=_("POA"), on_delete=models.PROTECT, related_name="modifications"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    reason = models.CharField(_("reason"), max_length=400)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # Set only by the Cabildo's vote on the modification (committees' hook), never by a form.
    agreement = models.ForeignKey(
        "committees.Agreement",
        verbose_name=_("agreement of the Cabildo that decided it"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("date"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("authorized by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.CharField(
        _("reason of the decision"), max_length=400, blank=True, default=""
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("modification")
        verbose_name_plural = _("modifications")
        ordering = ["poa", "number"]
        permissions = [
            ("authorize_modification", _("Authorize or reject a modification of the POA")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["poa", "number"], name="modification_number_once"),
            # Rejected by the Cabildo's agreement, or by the office that holds the budget.
            models.CheckConstraint(
                condition=~Q(status="rejected")
                | Q(agreement__isnull=False)
                | Q(decided_by__isnull=False),
                name="modification_rejected_by_someone",
            ),
        ]

    def __str__(self):
        return f"{self.poa} · M{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class PortfolioProject(models.Model):
    """A project of the PMOT's portfolio (*cartera de proyectos*), scored in a workshop; POA
    actions come from it year by year."""

    key = models.CharField(_("key"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=250)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    unit = models.ForeignKey(
        "information.TerritorialUnit",
        verbose_name=_("territorial unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("portfolio project")
        verbose_name_plural = _("portfolio of projects")
        ordering = ["-score", "key"]

    def __str__(self):
        return f"{self.key} {self.name}"


class ActionKind(models.TextChoices):
    PUBLIC_WORKS = "public_works", _("Public works")
    SOCIAL_WORKS = "social_works", _("Social works")
    SERVICES = "services", _("Services")
    PROCEDURES = "procedures", _("Procedures")


class Action(models.Model):
    """An action (project) of a POA: what it does, who answers for it, where, its physical
    target by period, and the PMOT or PDM elements it carries out."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    class Calendar(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")

    poa = models.ForeignKey(
        Poa, verbose_name=_("POA"), on_delete=models.PROTECT, related_name="actions"
    )
    key = models.CharField(_("key"), max_length=30)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=14, choices=ActionKind.choices)
    responsible = models.ForeignKey(
        "actors.Organization",
        verbose_name=_("responsible organization"),
        on_delete=models.PROTECT,
        related_name="poa_actions",
    )
    modality = models.ForeignKey(
        "budgeting.ProgramModality",
        verbose_name=_("program modality"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "information.TerritorialUnit",
        verbose_name=_("territorial unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="poa_actions",
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    target = models.DecimalField(_("physical target"), max_digits=14, decimal_places=2)
    target_unit = models.CharField(
        _("unit of measure"), max_length=60, help_text=_("Metres of pipe, dwellings, procedures…")
    )
    calendar_kind = models.CharField(
        _("calendar"), max_length=10, choices=Calendar.choices, default=Calendar.QUARTERLY
    )
    calendar = models.JSONField(
        _("programmed target by period"),
        default=list,
        help_text=_("Twelve monthly or four quarterly amounts that add up to the target."),
    )
    project = models.ForeignKey(
        PortfolioProject,
        verbose_name=_("portfolio project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    alignments = models.ManyToManyField(
        "planning.PlanElement",
        verbose_name=_("aligned to"),
        blank=True,
        related_name="poa_actions",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    updated_at = models.DateTimeField(_("last update"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[alignments])

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["poa", "key"]
        constraints = [
            models.UniqueConstraint(fields=["poa", "key"], name="action_key_per_poa"),
            models.CheckConstraint(condition=Q(target__gt=0), name="action_target_positive"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="action_location_in_wgs84",
            ),
        ]

    def __str__(self):
        return f"{self.key} {self.name}"

    @property
    def period_labels(self) -> list:
        return MONTHS if self.calendar_kind == self.Calendar.MONTHLY else QUARTERS


class ActionChange(models.Model):
    """A change to an action of an approved POA asked by someone who does not publish it (its
    responsible organization): its description, targets or alignment, requested within a
    modification. The action (and the public) keeps its published version until the
    modification is authorized or approved; then the change is applied (`applied_at`)."""

    modification = models.ForeignKey(
        Modification,
        verbose_name=_("modification"),
        on_delete=models.PROTECT,
        related_name="action_changes",
    )
    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.PROTECT, related_name="requested_edits"
    )
    # The action's fields as requested, by attribute name (`modality_id` for a relation).
    fields = models.JSONField(_("requested fields"), default=dict, blank=True)
    # The requested alignment: the plan elements' ids, or null when it is not changed.
    alignments = models.JSONField(_("requested alignment"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("requested"), default=timezone.now)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("requested change to an action")
        verbose_name_plural = _("requested changes to actions")
        ordering = ["modification", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["modification", "action"], name="action_change_once_per_modification"
            ),
        ]

    def __str__(self):
        return f"{self.modification} · {self.action.key}"


def _evidence_name(instance, filename: str) -> str:
    return stored_name("budgeting", filename)


class ProgressReportQuerySet(models.QuerySet):
    def validated(self):
        """The reports that count: validated by IMPLAN, each the figure of its organization in
        its period (a later correction counts once validated in turn)."""
        return self.filter(status=ProgressReport.Status.VALIDATED)

    def awaiting(self):
        """Reports and corrections waiting for IMPLAN's validation."""
        return self.filter(status=ProgressReport.Status.REPORTED)


class ProgressReport(models.Model):
    """Physical progress of an action in one period reported by one organization for its
    share (the responsible organization, or one that co-finances a line of it), with its
    evidence; it counts once IMPLAN validates it, by someone other than its reporter (DOMAIN.md
    §5–§6). Each figure is a row of its own: a correction of a validated figure waits beside
    it and replaces it only when validated."""

    class Status(models.TextChoices):
        REPORTED = "reported", pgettext_lazy("progress", "Awaiting validation")
        VALIDATED = "validated", pgettext_lazy("progress", "Validated")
        RETURNED = "returned", pgettext_lazy("progress", "Returned with observations")
        REPLACED = "replaced", pgettext_lazy("progress", "Replaced by a validated correction")

    action = models.ForeignKey(
        Action, verbose_name=_("action"), on_delete=models.PROTECT, related_name="reports"
    )
    organization = models.ForeignKey(
        "actors.Organization",
        verbose_name=_("reporting organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    period = models.PositiveSmallIntegerField(
        _("period"), help_text=_("Month (1–12) or quarter (1–4), as the action's calendar.")
    )
    achieved = models.DecimalField(_("achieved"), max_digits=14, decimal_places=2)
    evidence = models.FileField(_("evidence"), upload_to=_evidence_name, max_length=200, blank=True)
    evidence_name = models.CharField(_("evidence's name"), max_length=255, blank=True)
    evidence_type = models.CharField(_("evidence's type"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=400, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REPORTED
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("reported"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("progress", "reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(pgettext_lazy("progress", "reviewed"), null=True, blank=True)
    observations = models.TextField(_("observations"), blank=True)

    history = HistoricalRecords()
    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["action", "period", "organization", "at", "pk"]
        permissions = [("validate_progressreport", _("Can validate or return progress reports"))]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "period", "organization"],
                condition=Q(status="validated"),
                name="progress_validated_once_per_period_and_organization",
            ),
            # One figure in the works per period and organization: reported, or returned.
            models.UniqueConstraint(
                fields=["action", "period", "organization"],
                condition=Q(status__in=["reported", "returned"]),
                name="progress_pending_once_per_period_and_organization",
            ),
            models.CheckConstraint(
                condition=Q(achieved__gte=Decimal(0)), name="progress_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(period__gte=1, period__lte=12), name="progress_period_in_range"
            ),
            models.CheckConstraint(
                condition=Q(status="reported")
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="progress_review_has_reviewer",
            ),
            # Four eyes: whoever reported a figure never validates or returns it.
            models.CheckConstraint(
                condition=Q(reviewed_by__isnull=True) | ~Q(reviewed_by=models.F("by")),
                name="progress_reviewer_is_not_the_reporter",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(observations=""),
                name="progress_returned_with_observations",
            ),
        ]

    def __str__(self):
        return f"{self.action.key} · {self.period}"
