"""Indicators with their technical sheet (*ficha técnica*), targets by period and measurements
with evidence and IMPLAN's validation (DOMAIN.md §6).

A measurement keeps the target and the bands it was judged by, its compliance and its colour:
the bands in force when its period closed (from the indicator's history), so a later change of
the indicator's thresholds never repaints an old period, and validation never re-judges it.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from evaluation.lights import PERIODS_PER_YEAR, Bands, Colour, Direction, Frequency, Period
from pmot.core.uploads import stored_name

VALUE = {"max_digits": 18, "decimal_places": 4}
PERCENT = {"max_digits": 7, "decimal_places": 2}


class IndicatorQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def reported_by(self, organization):
        return self.filter(reporter=organization)


class Indicator(models.Model):
    """The technical sheet of an indicator and what it measures: exactly one plan element,
    POA action or territorial unit."""

    class Dimension(models.TextChoices):
        EFFICACY = "efficacy", _("Efficacy")
        EFFICIENCY = "efficiency", _("Efficiency")
        ECONOMY = "economy", _("Economy")
        QUALITY = "quality", _("Quality")

    class Kind(models.TextChoices):
        STRATEGIC = "strategic", _("Strategic")
        MANAGEMENT = "management", _("Management")

    class MirLevel(models.TextChoices):
        GOAL = "goal", _("Goal (Fin)")
        PURPOSE = "purpose", _("Purpose (Propósito)")
        COMPONENT = "component", _("Component")
        ACTIVITY = "activity", _("Activity")

    key = models.CharField(_("key"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=300)
    definition = models.TextField(_("definition"))
    method = models.TextField(
        _("calculation method"),
        help_text=_("In words, as the technical sheet states it."),
    )
    variable_a = models.CharField(
        _("variable A"), max_length=200, help_text=_("The numerator, or the measured value.")
    )
    variable_b = models.CharField(
        _("variable B"),
        max_length=200,
        blank=True,
        help_text=_("The denominator; empty when the value is variable A itself."),
    )
    factor = models.DecimalField(
        _("factor"),
        max_digits=12,
        decimal_places=4,
        default=Decimal(1),
        help_text=_("Value = A ÷ B × factor (100 for a percentage), or A × factor."),
    )
    unit = models.CharField(_("unit of measure"), max_length=80)
    dimension = models.CharField(_("dimension"), max_length=10, choices=Dimension.choices)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    frequency = models.CharField(_("frequency"), max_length=12, choices=Frequency.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    mir_level = models.CharField(
        _("MIR level"), max_length=10, choices=MirLevel.choices, blank=True
    )
    baseline_value = models.DecimalField(_("baseline value"), **VALUE, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    source = models.CharField(_("source of information"), max_length=300)
    verification = models.CharField(_("means of verification"), max_length=300)
    reporter = models.ForeignKey(
        "actors.Organization",
        verbose_name=_("reporting organization"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    element = models.ForeignKey(
        "planning.PlanElement",
        verbose_name=_("plan element measured"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    action = models.ForeignKey(
        "budgeting.Action",
        verbose_name=_("POA action measured"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    unit_measured = models.ForeignKey(
        "information.TerritorialUnit",
        verbose_name=_("territorial unit measured"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    # Thresholds of the traffic light in per cent of compliance; empty: the defaults of
    # settings.PMOT_TRAFFIC_LIGHT.
    green_low = models.DecimalField(_("green from (%)"), **PERCENT, null=True, blank=True)
    green_high = models.DecimalField(_("green up to (%)"), **PERCENT, null=True, blank=True)
    yellow_low = models.DecimalField(_("yellow from (%)"), **PERCENT, null=True, blank=True)
    yellow_high = models.DecimalField(_("yellow up to (%)"), **PERCENT, null=True, blank=True)
    first_year = models.PositiveSmallIntegerField(
        _("first year measured"), help_text=_("Measurements are due from its first period.")
    )
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown on the public pages.")
    )
    updated_at = models.DateTimeField(_("last update"), auto_now=True)

    history = HistoricalRecords()
    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(element__isnull=False, action__isnull=True, unit_measured__isnull=True)
                    | Q(element__isnull=True, action__isnull=False, unit_measured__isnull=True)
                    | Q(element__isnull=True, action__isnull=True, unit_measured__isnull=False)
                ),
                name="indicator_measures_one_thing",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        green_low__isnull=True,
                        green_high__isnull=True,
                        yellow_low__isnull=True,
                        yellow_high__isnull=True,
                    )
                    | Q(
                        yellow_low__lte=models.F("green_low"),
                        green_low__lte=models.F("green_high"),
                        green_high__lte=models.F("yellow_high"),
                    )
                ),
                name="indicator_bands_in_order",
            ),
            models.CheckConstraint(condition=~Q(factor=0), name="indicator_factor_not_zero"),
        ]

    def __str__(self):
        return f"{self.key} {self.name}"

    @property
    def measured(self):
        return self.element or self.action or self.unit_measured

    @property
    def bands(self) -> Bands:
        if self.green_low is None:
            return Bands.default()
        return Bands(self.green_low, self.green_high, self.yellow_low, self.yellow_high)

    def bands_when_closed(self, period: Period) -> Bands:
        """The bands in force when `period` closed (midnight after its last day, local time),
        read from the indicator's history, so a later change of thresholds never judges it
        (DOMAIN.md §6). An indicator recorded only after the period closed is judged by the
        bands it was recorded with."""
        closed_at = timezone.make_aware(
            datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time())
        )
        records = self.history.order_by("history_date", "history_id")
        record = records.filter(history_date__lt=closed_at).last() or records.first()
        if record is None:  # written without history (never through the services)
            return self.bands
        if record.green_low is None:
            return Bands.default()
        return Bands(record.green_low, record.green_high, record.yellow_low, record.yellow_high)

    def has_periods_recorded(self) -> bool:
        """Targets or measurements are recorded by period: its periods are history, so its
        frequency no longer changes (a new indicator replaces it)."""
        return self.targets.exists() or self.measurements.exists()

    @property
    def periods_per_year(self) -> int:
        return PERIODS_PER_YEAR[self.frequency]

    def period(self, year: int, number: int) -> Period:
        return Period(year, number, self.frequency)

    def compute(self, a: Decimal, b: Decimal | None) -> Decimal:
        """The value from the formula's variables, unrounded (the caller has refused a zero B,
        checks that the value fits its column and rounds it)."""
        return a / b * self.factor if self.variable_b else a * self.factor


class Target(models.Model):
    """The value an indicator should reach in one period. It changes only while the period
    is open, with a reason; the history keeps every earlier value."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("period"))
    value = models.DecimalField(_("target"), **VALUE)
    reason = models.CharField(_("reason for the change"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("last update"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "number"], name="target_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=12), name="target_period_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.indicator.key} · {self.period.label}"

    @property
    def period(self) -> Period:
        return self.indicator.period(self.year, self.number)


class MeasurementQuerySet(models.QuerySet):
    def counted(self):
        """Measurements that give their period a colour: all but those returned to the
        reporter for correction."""
        return self.exclude(status=Measurement.Status.RETURNED)


class Measurement(models.Model):
    """An indicator's value in one period, from its formula's variables, with evidence; then
    validated by IMPLAN or returned with observations."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting validation")
        VALIDATED = "validated", _("Validated")
        RETURNED = "returned", _("Returned with observations")

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="measurements",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("period"))
    a = models.DecimalField(_("variable A"), **VALUE)
    b = models.DecimalField(_("variable B"), **VALUE, null=True, blank=True)
    value = models.DecimalField(_("value"), **VALUE)
    note = models.TextField(_("note"), blank=True)
    # What it was judged by, frozen when reported and again when validated.
    target = models.DecimalField(_("target"), **VALUE, null=True, blank=True)
    compliance = models.DecimalField(
        _("compliance (%)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    colour = models.CharField(_("traffic light"), max_length=10, choices=Colour.choices)
    green_low = models.DecimalField(_("green from (%)"), **PERCENT)
    green_high = models.DecimalField(_("green up to (%)"), **PERCENT)
    yellow_low = models.DecimalField(_("yellow from (%)"), **PERCENT)
    yellow_high = models.DecimalField(_("yellow up to (%)"), **PERCENT)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    observations = models.TextField(_("observations"), blank=True)

    history = HistoricalRecords()
    objects = MeasurementQuerySet.as_manager()

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["indicator", "year", "number"]
        permissions = [("validate_measurement", _("Can validate or return measurements"))]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "number"], name="measurement_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=12), name="measurement_period_in_range"
            ),
            models.CheckConstraint(
                condition=Q(colour__in=[Colour.GREEN, Colour.YELLOW, Colour.RED, Colour.NO_TARGET]),
                name="measurement_colour_is_a_result",
            ),
            models.CheckConstraint(
                condition=Q(status="submitted")
                | Q(reviewed_by__isnull=False, reviewed_at__isnull=False),
                name="measurement_review_has_reviewer",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(observations=""),
                name="measurement_returned_with_observations",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.key} · {self.period.label}"

    @property
    def period(self) -> Period:
        return self.indicator.period(self.year, self.number)

    @property
    def bands(self) -> Bands:
        return Bands(self.green_low, self.green_high, self.yellow_low, self.yellow_high)


def _evidence_name(instance, filename: str) -> str:
    return stored_name("evaluation", filename)


class Evidence(models.Model):
    """A file supporting a measurement (a report, a photo, a data extract)."""

    measurement = models.ForeignKey(
        Measurement,
        verbose_name=_("measurement"),
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=_evidence_name, max_length=200)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=120)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("uploaded"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["measurement", "pk"]

    def __str__(self):
        return self.name


class Reminder(models.Model):
    """An e-mail reminder sent for a period's measurement: once before its due date and
    once after, whatever how often the periodic task runs."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("Before the due date")
        OVERDUE = "overdue", _("Overdue")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="reminders"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("period"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "number", "kind"], name="reminder_once_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.indicator.key} · {self.year}-{self.number} · {self.kind}"
