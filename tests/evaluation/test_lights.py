"""Compliance and colour at every band boundary, for ascending, descending and constant
indicators, with a zero target or value (a descending indicator at or below its target has met
it); and the periods the indicators are measured in."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings

from evaluation.lights import (
    Bands,
    Colour,
    Direction,
    Frequency,
    Period,
    compliance,
    judge,
    periods_between,
)

D = Decimal
DEFAULT = Bands(D(90), D(110), D(75), D(125))


@pytest.mark.parametrize(
    ("percent", "colour"),
    [
        ("0", Colour.RED),
        ("74.99", Colour.RED),
        ("75", Colour.YELLOW),
        ("89.99", Colour.YELLOW),
        ("90", Colour.GREEN),
        ("100", Colour.GREEN),
        ("110", Colour.GREEN),
        ("110.01", Colour.YELLOW),
        ("125", Colour.YELLOW),
        ("125.01", Colour.RED),
        ("400", Colour.RED),
    ],
)
def test_the_default_bands_at_every_boundary(percent, colour):
    assert DEFAULT.colour(D(percent)) == colour


@pytest.mark.parametrize(
    ("value", "target", "expected", "colour"),
    [
        ("90", "100", "90.00", Colour.GREEN),
        ("89.99", "100", "89.99", Colour.YELLOW),
        ("74.99", "100", "74.99", Colour.RED),
        ("110", "100", "110.00", Colour.GREEN),
        ("125.01", "100", "125.01", Colour.RED),
        ("1", "3", "33.33", Colour.RED),
        ("2", "3", "66.67", Colour.RED),
        ("0", "50", "0.00", Colour.RED),
    ],
)
def test_ascending_compliance_is_value_over_target(value, target, expected, colour):
    result = compliance(direction=Direction.ASCENDING, value=D(value), target=D(target))
    assert result == D(expected)
    assert DEFAULT.colour(result) == colour


@pytest.mark.parametrize(
    ("value", "target", "expected", "colour"),
    [
        ("100", "90", "90.00", Colour.GREEN),  # a little above a "less is better" target
        ("120", "90", "75.00", Colour.YELLOW),
        ("121", "90", "74.38", Colour.RED),
    ],
)
def test_descending_compliance_above_the_target_is_target_over_value(
    value, target, expected, colour
):
    result = compliance(direction=Direction.DESCENDING, value=D(value), target=D(target))
    assert result == D(expected)
    assert DEFAULT.colour(result) == colour


@pytest.mark.parametrize(
    ("direction", "value", "target", "expected", "colour"),
    [
        # Ascending: value ÷ target, too little and too much both leave green.
        (Direction.ASCENDING, "0", "100", "0.00", Colour.RED),
        (Direction.ASCENDING, "74.99", "100", "74.99", Colour.RED),
        (Direction.ASCENDING, "75", "100", "75.00", Colour.YELLOW),
        (Direction.ASCENDING, "89.99", "100", "89.99", Colour.YELLOW),
        (Direction.ASCENDING, "90", "100", "90.00", Colour.GREEN),
        (Direction.ASCENDING, "110", "100", "110.00", Colour.GREEN),
        (Direction.ASCENDING, "110.01", "100", "110.01", Colour.YELLOW),
        (Direction.ASCENDING, "125", "100", "125.00", Colour.YELLOW),
        (Direction.ASCENDING, "125.01", "100", "125.01", Colour.RED),
        (Direction.ASCENDING, "200", "100", "200.00", Colour.RED),
        (Direction.ASCENDING, "0", "0", "100", Colour.GREEN),
        (Direction.ASCENDING, "5", "0", None, Colour.RED),  # past a zero target
        # Constant: the same both ways.
        (Direction.CONSTANT, "74.99", "100", "74.99", Colour.RED),
        (Direction.CONSTANT, "90", "100", "90.00", Colour.GREEN),
        (Direction.CONSTANT, "110", "100", "110.00", Colour.GREEN),
        (Direction.CONSTANT, "110.01", "100", "110.01", Colour.YELLOW),
        (Direction.CONSTANT, "125.01", "100", "125.01", Colour.RED),
        (Direction.CONSTANT, "0", "0", "100", Colour.GREEN),
        (Direction.CONSTANT, "5", "0", None, Colour.RED),
        # Descending: at or below the target it has met it (100 %, green), however far below;
        # above it, target ÷ value.
        (Direction.DESCENDING, "0", "10", "100", Colour.GREEN),  # no accidents at all
        (Direction.DESCENDING, "5", "10", "100", Colour.GREEN),  # half: never an overshoot
        (Direction.DESCENDING, "9.99", "10", "100", Colour.GREEN),
        (Direction.DESCENDING, "10", "10", "100", Colour.GREEN),  # exactly the target
        (Direction.DESCENDING, "10.01", "10", "99.90", Colour.GREEN),
        (Direction.DESCENDING, "11.11", "10", "90.01", Colour.GREEN),
        (Direction.DESCENDING, "11.12", "10", "89.93", Colour.YELLOW),
        (Direction.DESCENDING, "13.33", "10", "75.02", Colour.YELLOW),
        (Direction.DESCENDING, "13.34", "10", "74.96", Colour.RED),
        (Direction.DESCENDING, "0", "0", "100", Colour.GREEN),
        (Direction.DESCENDING, "4", "0", "0.00", Colour.RED),  # zero was the target
    ],
)
def test_compliance_and_colour_at_every_boundary_of_each_direction(
    direction, value, target, expected, colour
):
    result, judged = judge(direction=direction, value=D(value), target=D(target), bands=DEFAULT)
    assert result == (None if expected is None else D(expected))
    assert judged == colour


def test_a_met_descending_target_is_green_whatever_the_indicators_own_bands():
    # Thresholds of its own whose green starts above 100 % never turn a met target yellow.
    own = Bands(D(101), D(120), D(80), D(130))
    assert judge(direction=Direction.DESCENDING, value=D(3), target=D(5), bands=own) == (
        D(100),
        Colour.GREEN,
    )
    assert judge(direction=Direction.ASCENDING, value=D(5), target=D(5), bands=own)[1] == (
        Colour.YELLOW
    )


@pytest.mark.parametrize(
    ("value", "expected", "colour"),
    [
        ("50", "100.00", Colour.GREEN),
        ("55.5", "111.00", Colour.YELLOW),
        ("37", "74.00", Colour.RED),
    ],
)
def test_constant_compliance_reads_the_distance_to_the_target_both_ways(value, expected, colour):
    result = compliance(direction=Direction.CONSTANT, value=D(value), target=D(50))
    assert result == D(expected)
    assert DEFAULT.colour(result) == colour


@pytest.mark.parametrize("direction", list(Direction))
def test_zero_on_both_sides_is_full_compliance(direction):
    assert compliance(direction=direction, value=D(0), target=D(0)) == D(100)


@pytest.mark.parametrize(
    ("direction", "value", "target"),
    [
        (Direction.ASCENDING, "5", "0"),  # anything over a zero target
        (Direction.CONSTANT, "5", "0"),
    ],
)
def test_a_zero_divisor_is_past_every_band_and_red(direction, value, target):
    result = compliance(direction=direction, value=D(value), target=D(target))
    assert result is None
    assert DEFAULT.colour(result) == Colour.RED


def test_a_descending_indicator_with_a_zero_target_is_at_zero_compliance():
    result = compliance(direction=Direction.DESCENDING, value=D(4), target=D(0))
    assert result == D(0)
    assert DEFAULT.colour(result) == Colour.RED


@override_settings(
    PMOT_TRAFFIC_LIGHT={
        "green_low": "95",
        "green_high": "105",
        "yellow_low": "80",
        "yellow_high": "120",
    }
)
def test_the_default_bands_come_from_settings():
    bands = Bands.default()
    assert bands.colour(D("94.99")) == Colour.YELLOW
    assert bands.colour(D("120.01")) == Colour.RED


@pytest.mark.parametrize(
    ("frequency", "number", "start", "end", "label"),
    [
        (Frequency.MONTHLY, 2, datetime.date(2028, 2, 1), datetime.date(2028, 2, 29), "2028-02"),
        (Frequency.QUARTERLY, 3, datetime.date(2028, 7, 1), datetime.date(2028, 9, 30), "2028-T3"),
        (
            Frequency.HALF_YEARLY,
            2,
            datetime.date(2028, 7, 1),
            datetime.date(2028, 12, 31),
            "2028-S2",
        ),
        (Frequency.YEARLY, 1, datetime.date(2028, 1, 1), datetime.date(2028, 12, 31), "2028"),
    ],
)
def test_periods_span_their_months(frequency, number, start, end, label):
    period = Period(2028, number, frequency)
    assert (period.start, period.end, period.label) == (start, end, label)


@override_settings(PMOT_MEASUREMENT_DUE_DAYS=15)
def test_a_period_is_due_some_days_after_it_ends_and_closed_the_day_after_it_ends():
    period = Period(2026, 1, Frequency.QUARTERLY)
    assert period.due == datetime.date(2026, 4, 15)
    assert not period.closed(datetime.date(2026, 3, 31))
    assert period.closed(datetime.date(2026, 4, 1))


def test_a_period_beyond_the_frequency_does_not_exist():
    with pytest.raises(ValueError, match="period 5"):
        Period(2026, 5, Frequency.QUARTERLY)


def test_periods_between_two_dates_cross_the_year():
    periods = periods_between(
        Frequency.QUARTERLY, datetime.date(2025, 11, 3), datetime.date(2026, 5, 1)
    )
    assert [p.label for p in periods] == ["2025-T4", "2026-T1", "2026-T2"]
