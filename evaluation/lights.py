"""Periods, compliance and the traffic light (*semáforo*) of DOMAIN.md §6: pure functions of
numbers and dates, so every rule is tested at its boundaries without a database. This is
evaluation's domain arithmetic, what the other apps keep in rules.py; who may do what is in
evaluation/permissions.py.

Compliance, in per cent, rounded to two decimals before it is compared with the bands (the
figure shown is the figure judged):
- ascending and constant indicators: value ÷ target × 100;
- descending indicators: target ÷ value × 100 above the target. At or below its target a
  descending indicator has met it (DOMAIN.md §6): its compliance is 100 % and its colour green,
  whatever the bands, however far below (a value of zero too: no accidents is never
  undefined). Beating a "less is better" target is never penalized, so it is never shown as an
  overshoot either: 100 %, not the 200 % that would read as a red excess on an ascending one.
A zero on both sides is full compliance (100 %). An ascending or constant indicator with a
zero target and a value above it cannot be divided: the value went past the target without
measure, and it takes the colour of compliance above every band.

Bands (defaults from settings, overridable per indicator, stored with each measurement so an
old colour never changes): green from `green_low` to `green_high` inclusive; yellow from
`yellow_low` up to green, or above green up to `yellow_high` inclusive; red otherwise.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class Direction(models.TextChoices):
    ASCENDING = "ascending", _("Ascending (more is better)")
    DESCENDING = "descending", _("Descending (less is better)")
    CONSTANT = "constant", _("Constant (keep at the target)")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    HALF_YEARLY = "half_yearly", _("Half-yearly")
    YEARLY = "yearly", _("Yearly")


PERIODS_PER_YEAR = {
    Frequency.MONTHLY: 12,
    Frequency.QUARTERLY: 4,
    Frequency.HALF_YEARLY: 2,
    Frequency.YEARLY: 1,
}


class Colour(models.TextChoices):
    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")
    NO_REPORT = "no_report", _("No report")  # overdue: grey
    PENDING = "pending", _("Not due yet")
    NO_TARGET = "no_target", _("No target")


@dataclass(frozen=True)
class Bands:
    green_low: Decimal
    green_high: Decimal
    yellow_low: Decimal
    yellow_high: Decimal

    @classmethod
    def default(cls) -> "Bands":
        values = settings.PMOT_TRAFFIC_LIGHT
        return cls(*(Decimal(str(values[name])) for name in BAND_NAMES))

    def colour(self, compliance: Decimal | None) -> Colour:
        """The colour of a compliance; None is compliance past every band (a zero divisor)."""
        if compliance is None:
            return Colour.RED
        if self.green_low <= compliance <= self.green_high:
            return Colour.GREEN
        if self.yellow_low <= compliance < self.green_low:
            return Colour.YELLOW
        if self.green_high < compliance <= self.yellow_high:
            return Colour.YELLOW
        return Colour.RED


BAND_NAMES = ("green_low", "green_high", "yellow_low", "yellow_high")


def met_descending(*, direction: str, value: Decimal, target: Decimal) -> bool:
    """A descending indicator at or below its target has met it."""
    return direction == Direction.DESCENDING and value <= target


def compliance(*, direction: str, value: Decimal, target: Decimal) -> Decimal | None:
    """Per cent, to two decimals; None where a zero divisor leaves it without measure."""
    if met_descending(direction=direction, value=value, target=target):
        return HUNDRED
    numerator, divisor = (target, value) if direction == Direction.DESCENDING else (value, target)
    if divisor == 0:
        return HUNDRED if numerator == 0 else None
    return (Decimal(numerator) / Decimal(divisor) * HUNDRED).quantize(CENT, ROUND_HALF_UP)


def judge(
    *, direction: str, value: Decimal, target: Decimal, bands: Bands
) -> tuple[Decimal | None, Colour]:
    """A period's compliance and colour: a met descending target is green whatever the bands
    (thresholds of its own with green starting above 100 % never turn it yellow)."""
    result = compliance(direction=direction, value=value, target=target)
    if met_descending(direction=direction, value=value, target=target):
        return result, Colour.GREEN
    return result, bands.colour(result)


# --- Periods -----------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    """Period `number` of `year` at a frequency: month, quarter, half or the whole year."""

    year: int
    number: int
    frequency: str

    def __post_init__(self):
        if not 1 <= self.number <= PERIODS_PER_YEAR[self.frequency]:
            raise ValueError(f"period {self.number} of a {self.frequency} indicator")

    @property
    def months(self) -> int:
        return 12 // PERIODS_PER_YEAR[self.frequency]

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, (self.number - 1) * self.months + 1, 1)

    @property
    def end(self) -> datetime.date:
        month = self.number * self.months
        return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def due(self) -> datetime.date:
        """The last day to report its measurement."""
        return self.end + datetime.timedelta(days=settings.PMOT_MEASUREMENT_DUE_DAYS)

    def closed(self, today: datetime.date) -> bool:
        """A closed period's target no longer changes (no retroactive targets)."""
        return today > self.end

    @property
    def label(self) -> str:
        return period_label(self.frequency, self.year, self.number)

    def next(self) -> "Period":
        if self.number < PERIODS_PER_YEAR[self.frequency]:
            return Period(self.year, self.number + 1, self.frequency)
        return Period(self.year + 1, 1, self.frequency)

    def previous(self) -> "Period":
        if self.number > 1:
            return Period(self.year, self.number - 1, self.frequency)
        return Period(self.year - 1, PERIODS_PER_YEAR[self.frequency], self.frequency)


def period_label(frequency: str, year: int, number: int) -> str:
    """ "2026-03" (March), "2026-T2" (second quarter), "2026-S1" (first half), "2026"."""
    if frequency == Frequency.MONTHLY:
        return f"{year}-{number:02d}"
    if frequency == Frequency.QUARTERLY:
        return f"{year}-T{number}"
    if frequency == Frequency.HALF_YEARLY:
        return f"{year}-S{number}"
    return str(year)


def period_of(frequency: str, day: datetime.date) -> Period:
    months = 12 // PERIODS_PER_YEAR[frequency]
    return Period(day.year, (day.month - 1) // months + 1, frequency)


def periods_between(frequency: str, first: datetime.date, last: datetime.date) -> list[Period]:
    """Every period from the one holding `first` to the one holding `last`."""
    period, end = period_of(frequency, first), period_of(frequency, last)
    periods = []
    while period <= end:
        periods.append(period)
        period = period.next()
    return periods


def last_ended(indicator, today: datetime.date) -> Period | None:
    """The last period of `indicator` (its frequency and first year) that ended before
    `today`; None before its first year."""
    period = period_of(indicator.frequency, today).previous()
    return period if period.year >= indicator.first_year else None
