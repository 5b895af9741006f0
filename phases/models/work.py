"""The five phases of the program (DOMAIN.md §3), their deliverables with versions and review,
and their activities."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from pmot.core.uploads import stored_name


class PhaseNumber(models.IntegerChoices):
    COORDINATION = 1, _("Coordination system")
    ANALYSIS = 2, _("Analysis")
    FORMULATION = 3, _("Formulation")
    EXECUTION = 4, _("Execution")
    MONITORING = 5, _("Monitoring and evaluation")


class Phase(models.Model):
    """One of the five phases of a program. It opens by its rule (phase 1: the Cabildo's
    agreement to start and the published notice) and closes only through its gate."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not started")
        OPEN = "open", _("In progress")
        CLOSED = "closed", pgettext_lazy("phase", "Closed")

    class NoticeMedium(models.TextChoices):
        STATE_GAZETTE = "state_gazette", _("Official Gazette of the State")
        MUNICIPAL_GAZETTE = "municipal_gazette", _("Municipal Gazette")
        NEWSPAPER = "newspaper", _("Newspaper of wide circulation")

    program = models.ForeignKey(
        "planning.Program",
        verbose_name=_("program"),
        on_delete=models.PROTECT,
        related_name="phases",
    )
    number = models.PositiveSmallIntegerField(_("phase"), choices=PhaseNumber.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    notice_published_on = models.DateField(
        _("public notice published on"),
        null=True,
        blank=True,
        help_text=_("Phase 1: the notice that planning started (LGAHOTDU art. 30, I)."),
    )
    notice_medium = models.CharField(
        _("published in"), max_length=20, choices=NoticeMedium.choices, blank=True
    )
    close_agreement = models.ForeignKey(
        "committees.Agreement",
        verbose_name=_("agreement that closed it"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["program", "number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="phase_once_per_program"),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=5), name="phase_number_one_to_five"
            ),
            models.CheckConstraint(
                condition=~Q(status="closed")
                | Q(close_agreement__isnull=False, actual_end__isnull=False),
                name="phase_closed_by_an_agreement",
                violation_error_message=_("A phase closes only with an approved agreement."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(actual_start__isnull=False),
                name="phase_started_has_a_start",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="phase_planned_end_after_start",
                violation_error_message=_("The planned end comes after the planned start."),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.get_number_display()}"

    @property
    def is_late(self) -> bool:
        today = timezone.localdate()
        return self.status != self.Status.CLOSED and bool(
            self.planned_end and self.planned_end < today
        )


class DeliverableType(models.Model):
    """The catalogue of deliverables per phase (DOMAIN.md §3), editable by administrators."""

    phase_number = models.PositiveSmallIntegerField(_("phase"), choices=PhaseNumber.choices)
    name = models.CharField(_("name"), max_length=200)
    required = models.BooleanField(_("required to close the phase"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("type of deliverable")
        verbose_name_plural = _("catalogue of deliverables")
        ordering = ["phase_number", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["phase_number", "name"], name="deliverable_type_once_per_phase"
            ),
        ]

    def __str__(self):
        return self.name


class DeliverableStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    OBSERVED = "observed", _("Observed")
    VALIDATED = "validated", _("Validated by the body")
    ACCEPTED = "accepted", _("Accepted")


class Deliverable(models.Model):
    """A deliverable of a phase, with its versions and its review (*Borrador → En revisión →
    Observado → Validado por el órgano → Aceptado*)."""

    class Author(models.TextChoices):
        IMPLAN = "implan", _("IMPLAN")
        CONSULTANT = "consultant", _("Consultant")
        OBSERVATORY = "observatory", _("Urban observatory")
        OTHER = "other", _("Other")

    phase = models.ForeignKey(
        Phase, verbose_name=_("phase"), on_delete=models.PROTECT, related_name="deliverables"
    )
    kind = models.ForeignKey(
        DeliverableType,
        verbose_name=_("deliverable"),
        on_delete=models.PROTECT,
        related_name="deliverables",
    )
    title = models.CharField(_("title"), max_length=250, blank=True)
    responsible = models.ForeignKey(
        "actors.Organization",
        verbose_name=_("responsible organization"),
        on_delete=models.PROTECT,
        related_name="deliverables",
    )
    author = models.CharField(_("author"), max_length=12, choices=Author.choices)
    author_name = models.CharField(
        _("author's name"), max_length=200, blank=True, help_text=_("The consulting firm, say.")
    )
    required = models.BooleanField(_("required to close the phase"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliverableStatus.choices, default="draft"
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Accepted deliverables may be published.")
    )
    updated_at = models.DateTimeField(_("last update"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["phase", "kind__position", "pk"]
        permissions = [("review_deliverable", _("Can review deliverables"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(status="accepted"),
                name="deliverable_published_once_accepted",
            ),
        ]

    def __str__(self):
        return self.title or self.kind.name

    @property
    def is_late(self) -> bool:
        return self.status != DeliverableStatus.ACCEPTED and bool(
            self.due_date and self.due_date < timezone.localdate()
        )


def _version_name(instance, filename: str) -> str:
    """Stored under a generated name: the original name is kept in the row, never in a path."""
    return stored_name("phases", filename)


class DeliverableVersion(models.Model):
    deliverable = models.ForeignKey(
        Deliverable,
        verbose_name=_("deliverable"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=_version_name, max_length=200)
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["deliverable", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["deliverable", "number"], name="deliverable_version_number_once"
            ),
        ]

    def __str__(self):
        return f"v{self.number} {self.original_name}"


class Review(models.Model):
    """One step of a deliverable's review: who moved it, from what to what, and their
    observations. Kept for ever."""

    deliverable = models.ForeignKey(
        Deliverable,
        verbose_name=_("deliverable"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    version = models.ForeignKey(
        DeliverableVersion,
        verbose_name=_("version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    from_status = models.CharField(_("from"), max_length=10, choices=DeliverableStatus.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=DeliverableStatus.choices)
    observations = models.TextField(_("observations"), blank=True)
    agreement = models.ForeignKey(
        "committees.Agreement",
        verbose_name=_("agreement of the body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Empty when the step came from the vote of the coordinating body (its agreement).
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("date"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["deliverable", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(by__isnull=False) | Q(agreement__isnull=False),
                name="review_step_by_someone_or_by_an_agreement",
            ),
        ]

    def __str__(self):
        return f"{self.deliverable}: {self.from_status} → {self.to_status}"


class Activity(models.Model):
    """Work within a phase, with its responsible organization, dates, progress and the
    activities it waits for."""

    phase = models.ForeignKey(
        Phase, verbose_name=_("phase"), on_delete=models.PROTECT, related_name="activities"
    )
    name = models.CharField(_("name"), max_length=250)
    responsible = models.ForeignKey(
        "actors.Organization",
        verbose_name=_("responsible organization"),
        on_delete=models.PROTECT,
        related_name="phase_activities",
    )
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    depends_on = models.ManyToManyField(
        "self",
        verbose_name=_("waits for"),
        symmetrical=False,
        blank=True,
        related_name="followers",
    )

    history = HistoricalRecords(m2m_fields=[depends_on])

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["phase", "planned_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="activity_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")),
                name="activity_planned_end_after_start",
                violation_error_message=_("The planned end comes after the planned start."),
            ),
            models.CheckConstraint(
                condition=~Q(progress=100) | Q(actual_end__isnull=False),
                name="activity_finished_has_an_end",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_late(self) -> bool:
        return self.progress < 100 and self.planned_end < timezone.localdate()
