"""Every change to indicators, their targets and measurements (DOMAIN.md §6): one transaction
each, the rule checked here and the reason for a refusal written in Spanish.

`today` is the date the rules read (a closed period, a due date); by default the local date.
The demo passes earlier dates to build a past that followed the same rules.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluation import lights
from evaluation.models import Evidence, Indicator, Measurement, Target
from pmot.core.formatting import figure, long_date, percent
from pmot.core.numbers import fits
from pmot.core.uploads import check_upload

MEASURED = ("element", "action", "unit_measured")
BANDS = lights.BAND_NAMES


def _decimal(value, what: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(what)s is not a number.") % {"what": what}) from None
    if not number.is_finite():
        raise ValidationError(_("%(what)s is not a number.") % {"what": what})
    return number


def _plain(number: Decimal) -> str:
    """70, 65.5: a figure as people write it (never 7E+1)."""
    return format(number.normalize(), "f")


def _period(indicator: Indicator, year: int, number: int) -> lights.Period:
    periods = indicator.periods_per_year
    if not 1 <= number <= periods:
        raise ValidationError(
            _("A %(frequency)s indicator has periods 1 to %(periods)s.")
            % {"frequency": indicator.get_frequency_display().lower(), "periods": periods}
        )
    if year < indicator.first_year:
        raise ValidationError(
            _("The indicator is measured from %(year)s.") % {"year": indicator.first_year}
        )
    return indicator.period(year, number)


# --- Indicators ----------------------------------------------------------------------------


@transaction.atomic
def indicator_save(*, indicator: Indicator | None = None, **fields) -> Indicator:
    """Create an indicator, or change its technical sheet. It measures exactly one thing, and
    its thresholds are all given or none, in order."""
    indicator = indicator or Indicator()
    for name, value in fields.items():
        setattr(indicator, name, value)
    measured = [name for name in MEASURED if getattr(indicator, f"{name}_id") is not None]
    if len(measured) != 1:
        raise ValidationError(
            _(
                "An indicator measures one thing: a plan element, a POA action or a territorial "
                "unit."
            )
        )
    given = [getattr(indicator, name) for name in BANDS]
    if any(value is not None for value in given):
        if any(value is None for value in given):
            raise ValidationError(
                _("Give the four thresholds of the traffic light, or none to use the defaults.")
            )
        green_low, green_high, yellow_low, yellow_high = given
        if not yellow_low <= green_low <= green_high <= yellow_high:
            raise ValidationError(
                _(
                    "The thresholds go in order: yellow from ≤ green from ≤ green up to ≤ "
                    "yellow up to."
                )
            )
    if indicator.factor == 0:
        raise ValidationError(_("The factor is not zero."))
    if indicator.pk is not None:
        _keep_history(indicator)
    indicator.full_clean(exclude=["reporter", *MEASURED])
    indicator.save()
    return indicator


def _keep_history(indicator: Indicator) -> None:
    """Periods already recorded keep their meaning: the frequency no longer changes (quarter 2
    would become February, and the months after the first quarters *sin reporte*), and the
    first year measured never passes a year already recorded (its periods would vanish)."""
    stored = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if indicator.frequency != stored.frequency and stored.has_periods_recorded():
        raise ValidationError(
            _(
                "This indicator already has targets or measurements by %(frequency)s period: "
                "its frequency no longer changes. Record a new indicator to replace it."
            )
            % {"frequency": stored.get_frequency_display().lower()}
        )
    years = [
        year
        for year in (
            stored.targets.order_by("year").values_list("year", flat=True).first(),
            stored.measurements.order_by("year").values_list("year", flat=True).first(),
        )
        if year is not None
    ]
    if years and indicator.first_year is not None and indicator.first_year > min(years):
        raise ValidationError(
            _(
                "The indicator has targets or measurements from %(year)s: its first year "
                "measured cannot come after it."
            )
            % {"year": min(years)}
        )


# --- Targets -------------------------------------------------------------------------------


@transaction.atomic
def target_set(
    *,
    indicator: Indicator,
    year: int,
    number: int,
    value,
    by,
    reason: str = "",
    today: datetime.date | None = None,
) -> Target:
    """Set a period's target while the period is open. Changing a target needs a reason; the
    history keeps the earlier value. A closed period's target never changes."""
    today = today or timezone.localdate()
    period = _period(indicator, year, number)
    value = _decimal(value, _("The target"))
    if period.closed(today):
        raise ValidationError(
            _(
                "Period %(period)s closed on %(end)s: its target no longer changes (targets "
                "are never retroactive)."
            )
            % {"period": period.label, "end": long_date(period.end)}
        )
    target = (
        Target.objects.select_for_update()
        .filter(indicator=indicator, year=year, number=number)
        .first()
    )
    reason = reason.strip()
    if target is None:
        return Target.objects.create(
            indicator=indicator, year=year, number=number, value=value, reason=reason, by=by
        )
    if target.value == value:
        return target
    if not reason:
        raise ValidationError(
            _("Say why the target of %(period)s changes from %(old)s to %(new)s.")
            % {"period": period.label, "old": _plain(target.value), "new": _plain(value)}
        )
    target.value, target.reason, target.by = value, reason, by
    target.save(update_fields=["value", "reason", "by", "updated_at"])
    return target


# --- Measurements --------------------------------------------------------------------------


def _judge(measurement: Measurement, indicator: Indicator) -> None:
    """Freeze on the measurement the target and bands it is judged by, and its colour: the
    bands in force when its period closed, whenever it is reported (late, or again after it
    was returned)."""
    target = (
        Target.objects.filter(indicator=indicator, year=measurement.year, number=measurement.number)
        .values_list("value", flat=True)
        .first()
    )
    bands = indicator.bands_when_closed(measurement.period)
    for name in BANDS:
        setattr(measurement, name, getattr(bands, name))
    measurement.target = target
    if target is None:
        measurement.compliance, measurement.colour = None, lights.Colour.NO_TARGET
        return
    compliance = lights.compliance(
        direction=indicator.direction, value=measurement.value, target=target
    )
    if compliance is not None and not fits(compliance, Measurement._meta.get_field("compliance")):
        raise ValidationError(
            _(
                "Against the period's target (%(target)s), this value gives a compliance of "
                "%(compliance)s, beyond any scale: check the figures and the target."
            )
            % {"target": figure(target), "compliance": percent(compliance, 0)}
        )
    measurement.compliance = compliance
    measurement.colour = lights.judge(
        direction=indicator.direction, value=measurement.value, target=target, bands=bands
    )[1]


@transaction.atomic
def measurement_report(
    *,
    indicator: Indicator,
    year: int,
    number: int,
    a,
    by,
    b=None,
    note: str = "",
    today: datetime.date | None = None,
    at: datetime.datetime | None = None,
) -> Measurement:
    """Report a period's measurement from the formula's variables, once the period ended. A
    measurement awaiting validation or returned with observations may be reported again (its
    history keeps the earlier figures); a validated one is final."""
    today = today or timezone.localdate()
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    period = _period(indicator, year, number)
    if today <= period.end:
        raise ValidationError(
            _("Period %(period)s ends on %(end)s; its measurement is reported after that.")
            % {"period": period.label, "end": long_date(period.end)}
        )
    a = _decimal(a, indicator.variable_a)
    if indicator.variable_b:
        if b in (None, ""):
            raise ValidationError(
                _("Give %(variable)s as well.") % {"variable": indicator.variable_b}
            )
        b = _decimal(b, indicator.variable_b)
        if b == 0:
            raise ValidationError(
                _("%(variable)s is zero: the formula cannot divide by it.")
                % {"variable": indicator.variable_b}
            )
    else:
        b = None
    measurement = Measurement.objects.filter(indicator=indicator, year=year, number=number).first()
    if measurement and measurement.status == Measurement.Status.VALIDATED:
        raise ValidationError(
            _("The measurement of %(period)s is validated: it no longer changes.")
            % {"period": period.label}
        )
    measurement = measurement or Measurement(indicator=indicator, year=year, number=number)
    measurement.a, measurement.b, measurement.note = a, b, note.strip()
    value = indicator.compute(a, b)
    if not fits(value, Measurement._meta.get_field("value")):
        raise ValidationError(
            _("These figures give a value too large to keep (%(value)s): check them.")
            % {"value": figure(value, 0)}
        )
    measurement.value = value.quantize(Decimal("0.0001"))
    measurement.status = Measurement.Status.SUBMITTED
    measurement.reported_by, measurement.reported_at = by, at or timezone.now()
    measurement.reviewed_by = measurement.reviewed_at = None
    _judge(measurement, indicator)
    measurement.save()
    return measurement


def _reviewable(measurement: Measurement) -> Measurement:
    measurement = (
        Measurement.objects.select_for_update().select_related("indicator").get(pk=measurement.pk)
    )
    if measurement.status != Measurement.Status.SUBMITTED:
        raise ValidationError(
            _(
                "Only a measurement awaiting validation is validated or returned; this one is "
                "%(status)s."
            )
            % {"status": measurement.get_status_display().lower()}
        )
    return measurement


@transaction.atomic
def measurement_validate(*, measurement: Measurement, by, at=None) -> Measurement:
    """IMPLAN accepts the figure as judged when it was reported: validation never re-judges
    it (the bands are those in force when the period closed), and its colour is final."""
    measurement = _reviewable(measurement)
    measurement.status = Measurement.Status.VALIDATED
    measurement.reviewed_by, measurement.reviewed_at = by, at or timezone.now()
    measurement.observations = ""
    measurement.save()
    return measurement


@transaction.atomic
def measurement_return(*, measurement: Measurement, observations: str, by, at=None) -> Measurement:
    """IMPLAN sends the figure back with what to correct; until reported again the period
    counts as not reported."""
    observations = observations.strip()
    if not observations:
        raise ValidationError(_("Say what the reporter must correct."))
    measurement = _reviewable(measurement)
    measurement.status = Measurement.Status.RETURNED
    measurement.observations = observations
    measurement.reviewed_by, measurement.reviewed_at = by, at or timezone.now()
    measurement.save()
    return measurement


@transaction.atomic
def evidence_add(*, measurement: Measurement, upload, by) -> Evidence:
    """A file supporting a measurement not yet validated; checked like every upload."""
    measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if measurement.status == Measurement.Status.VALIDATED:
        raise ValidationError(_("The measurement is validated: its evidence no longer changes."))
    content_type = check_upload(upload)
    return Evidence.objects.create(
        measurement=measurement,
        file=upload,
        name=(upload.name or "")[-255:],
        content_type=content_type,
        by=by,
    )
