"""Reads of indicators: which indicators a person sees, and the traffic light of each period
and of each indicator now (DOMAIN.md §6)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from evaluation import lights
from evaluation.models import Indicator, Measurement
from evaluation.permissions import REPORT_FOR, reads_every_indicator
from pmot.actors.models import Organization


def reporting_organizations(user) -> QuerySet[Organization]:
    """The organizations whose indicators `user` reports (object permission)."""
    return get_objects_for_user(
        user, REPORT_FOR, klass=Organization, accept_global_perms=False, with_superuser=False
    )


def indicators_visible_to(user) -> QuerySet[Indicator]:
    """Every indicator for those who read them all (every role, DOMAIN.md §8); an
    organization's own for someone who only reports for it; none for anyone else."""
    indicators = Indicator.objects.select_related("reporter")
    if not user.is_authenticated:
        return indicators.none()
    if reads_every_indicator(user):
        return indicators
    return indicators.filter(reporter__in=reporting_organizations(user))


def indicators_to_report(user) -> QuerySet[Indicator]:
    """The indicators of the organizations `user` reports for."""
    if not user.is_authenticated:
        return Indicator.objects.none()
    return Indicator.objects.select_related("reporter").filter(
        reporter__in=reporting_organizations(user)
    )


@dataclass(frozen=True)
class Light:
    """A period's state: its colour and the measurement behind it, if any."""

    period: lights.Period
    colour: str
    measurement: Measurement | None = None

    @property
    def label(self) -> str:
        return lights.Colour(self.colour).label


def period_light(
    indicator: Indicator,
    period: lights.Period,
    measurement: Measurement | None,
    today: datetime.date,
) -> Light:
    """A counted measurement gives its frozen colour; without one, a period past its due date
    is *sin reporte* and an earlier one is not due yet."""
    if measurement is not None and measurement.status != Measurement.Status.RETURNED:
        return Light(period, measurement.colour, measurement)
    if today > period.due:
        return Light(period, lights.Colour.NO_REPORT, measurement)
    return Light(period, lights.Colour.PENDING, measurement)


def series(indicator: Indicator, today: datetime.date | None = None) -> list[Light]:
    """Every period of the indicator from its first year up to the last one that ended, with
    its light; two queries whatever the length."""
    today = today or timezone.localdate()
    first = datetime.date(indicator.first_year, 1, 1)
    last_ended = lights.period_of(indicator.frequency, today)
    periods = [
        p
        for p in lights.periods_between(indicator.frequency, first, last_ended.end)
        if p.end < today
    ]
    measured = {(m.year, m.number): m for m in indicator.measurements.all()}
    return [
        period_light(indicator, period, measured.get((period.year, period.number)), today)
        for period in periods
    ]


def current_light(lights_: list[Light]) -> Light | None:
    """The indicator's light now: its latest period that is measured or overdue (a period
    still within its reporting time leaves the one before it showing)."""
    for light in reversed(lights_):
        if light.colour != lights.Colour.PENDING:
            return light
    return None


def current_lights(
    indicators,
    today: datetime.date | None = None,
    *,
    measurements: QuerySet[Measurement] | None = None,
) -> dict[int, Light | None]:
    """Each indicator's light now (`current_light` of its series), for many indicators in
    one query for their measurements whatever their number: only the measurements of each
    indicator's last two periods are read, since a light older than that is *sin reporte*.

    The last period that ended is either measured (its colour), overdue (*sin reporte*) or
    still within its reporting time; in that last case the period before it shows.
    `measurements` narrows what is read (the public pages: validated ones only); by default,
    every measurement (`period_light` then passes over a returned one).
    """
    today = today or timezone.localdate()
    indicators = list(indicators)
    wanted: dict[int, list[lights.Period]] = {}
    for indicator in indicators:
        last = lights.period_of(indicator.frequency, today)
        periods = []
        # the last period that ended, and the one before it
        candidate = last
        while len(periods) < 2:
            candidate = candidate.previous()
            if candidate.year < indicator.first_year:
                break
            periods.append(candidate)
        wanted[indicator.pk] = periods
    # Only the periods wanted: (year, number) pairs are few whatever the indicators' number.
    keys = Q()
    pairs = {(p.year, p.number) for periods in wanted.values() for p in periods}
    for year, number in sorted(pairs):
        keys |= Q(year=year, number=number)
    found: dict[tuple[int, int, int], Measurement] = {}
    if wanted and pairs:
        source = Measurement.objects.all() if measurements is None else measurements
        for measurement in source.filter(keys, indicator__in=[i.pk for i in indicators]):
            found[(measurement.indicator_id, measurement.year, measurement.number)] = measurement
    result: dict[int, Light | None] = {}
    for indicator in indicators:
        series_ = [
            period_light(indicator, p, found.get((indicator.pk, p.year, p.number)), today)
            for p in reversed(wanted[indicator.pk])
        ]
        result[indicator.pk] = current_light(series_)
    return result
