"""An indicator's light now: its last period that is measured or overdue; a period still within
its reporting time leaves the one before it showing. A returned measurement counts as none."""

import datetime

import pytest

from evaluation import selectors
from evaluation.services import indicators as services
from tests.evaluation.conftest import TODAY
from tests.evaluation.test_indicators import set_target


@pytest.fixture
def planner(persona):
    return persona("planner")


def light_now(indicator, today):
    light = selectors.current_lights([indicator], today)[indicator.pk]
    return (light.period.label, light.colour) if light else None


def test_an_overdue_period_without_measurement_is_sin_reporte(indicator):
    assert light_now(indicator, TODAY) == ("2026-T2", "no_report")


def test_a_measured_period_shows_its_colour(indicator, planner):
    set_target(indicator, 2, "50")
    services.measurement_report(
        indicator=indicator, year=2026, number=2, a="25", b="100", by=planner, today=TODAY
    )
    assert light_now(indicator, TODAY) == ("2026-T2", "red")


def test_within_the_reporting_time_the_period_before_shows(indicator, planner):
    set_target(indicator, 1, "50")
    services.measurement_report(
        indicator=indicator, year=2026, number=1, a="50", b="100", by=planner, today=TODAY
    )
    within = datetime.date(2026, 7, 10)  # T2 ended on June 30, due on July 15
    assert light_now(indicator, within) == ("2026-T1", "green")
    assert light_now(indicator, datetime.date(2026, 7, 16)) == ("2026-T2", "no_report")


def test_a_returned_measurement_counts_as_none(indicator, planner):
    set_target(indicator, 2, "50")
    measurement = services.measurement_report(
        indicator=indicator, year=2026, number=2, a="50", b="100", by=planner, today=TODAY
    )
    services.measurement_return(measurement=measurement, observations="Sin soporte", by=planner)
    assert light_now(indicator, TODAY) == ("2026-T2", "no_report")


def test_the_series_lists_every_ended_period_from_the_first_year(indicator, planner):
    set_target(indicator, 1, "50")
    services.measurement_report(
        indicator=indicator, year=2026, number=1, a="40", b="100", by=planner, today=TODAY
    )
    series = selectors.series(indicator, TODAY)
    assert [light.period.label for light in series] == [
        "2025-T1",
        "2025-T2",
        "2025-T3",
        "2025-T4",
        "2026-T1",
        "2026-T2",
    ]
    assert [light.colour for light in series][-2:] == ["yellow", "no_report"]


def test_lights_of_many_indicators_take_one_query(
    make_indicator, planner, django_assert_num_queries
):
    indicators = [make_indicator(key=f"I-{n}") for n in range(20)]
    with django_assert_num_queries(1):
        lights = selectors.current_lights(indicators, TODAY)
    assert {light.colour for light in lights.values()} == {"no_report"}
