"""The rules of DOMAIN.md §6 that issue 17 found broken (defect 13), each named after the rule:
a descending indicator that beats its target has met it; the bands in force when a period
closed judge it, and validation never re-judges it; an indicator with periods recorded keeps
its frequency."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluation.models import Indicator, Measurement, Target
from evaluation.services import indicators as services

D = Decimal
LOCAL = zoneinfo.ZoneInfo("America/Mexico_City")


@pytest.fixture
def planner(persona):
    return persona("planner")


def at(*args) -> time_machine.travel:
    """The clock stopped at that local moment (history records carry it)."""
    return time_machine.travel(datetime.datetime(*args, tzinfo=LOCAL), tick=False)


# --- (a) A descending indicator at or below its target has met it ----------------------------


@pytest.mark.parametrize(
    ("value", "compliance", "colour"),
    [
        ("5", "100.00", "green"),  # half the accidents allowed: 200 % before, and red
        ("0", "100.00", "green"),  # none at all: never undefined
        ("10", "100.00", "green"),  # exactly the target
        ("11.11", "90.01", "green"),  # above it: target ÷ value
        ("12", "83.33", "yellow"),
        ("14", "71.43", "red"),
    ],
)
def test_a_descending_indicator_at_or_below_its_target_has_met_it(
    make_indicator, planner, value, compliance, colour
):
    indicator = make_indicator(
        direction="descending", variable_b="", factor=1, unit="accidentes", first_year=2026
    )
    services.target_set(
        indicator=indicator,
        year=2026,
        number=1,
        value="10",
        by=planner,
        today=datetime.date(2026, 1, 1),
    )
    measurement = services.measurement_report(
        indicator=indicator,
        year=2026,
        number=1,
        a=value,
        by=planner,
        today=datetime.date(2026, 4, 5),
    )
    assert (measurement.compliance, measurement.colour) == (D(compliance), colour)


# --- (b) The bands in force when a period closed judge it ------------------------------------

STRICTER = {"green_low": D(95), "green_high": D(105), "yellow_low": D(90), "yellow_high": D(110)}


def test_the_bands_in_force_when_a_period_closed_judge_it_and_validation_never_re_judges(
    make_indicator, planner
):
    with at(2026, 1, 5, 10):
        indicator = make_indicator(variable_b="", factor=1, first_year=2026)  # default bands
        for number in (2, 3, 4):
            services.target_set(
                indicator=indicator, year=2026, number=number, value="100", by=planner
            )
    with at(2026, 7, 10, 9):  # Q2 reported: 86.96 % is yellow (75–<90)
        q2 = services.measurement_report(
            indicator=indicator, year=2026, number=2, a="86.96", by=planner
        )
    assert (q2.compliance, q2.colour) == (D("86.96"), "yellow")

    with at(2026, 12, 1, 12):  # December: IMPLAN tightens the bands (yellow from 90 %)
        services.indicator_save(indicator=Indicator.objects.get(pk=indicator.pk), **STRICTER)
    with at(2026, 12, 5, 12):
        q2 = services.measurement_validate(measurement=q2, by=planner)
        # Q3 closed on 30 September, before the change: reported late, judged as it closed.
        q3 = services.measurement_report(
            indicator=indicator, year=2026, number=3, a="80", by=planner
        )
        services.measurement_return(measurement=q3, observations="Falta el acta.", by=planner)
        q3 = services.measurement_report(
            indicator=indicator, year=2026, number=3, a="81", by=planner
        )
    q2.refresh_from_db()
    assert (q2.status, q2.colour, q2.yellow_low) == ("validated", "yellow", D(75))
    assert (q3.colour, q3.green_low, q3.yellow_low) == ("yellow", D(90), D(75))

    with at(2027, 1, 8, 9):  # Q4 closed after the change: the stricter bands judge it
        q4 = services.measurement_report(
            indicator=indicator, year=2026, number=4, a="89", by=planner
        )
    assert (q4.colour, q4.yellow_low) == ("red", D(90))


# --- (c) An indicator with periods recorded keeps its frequency -------------------------------


def test_an_indicator_with_measurements_keeps_its_frequency(make_indicator, planner, client_as):
    indicator = make_indicator()  # quarterly, from 2025
    services.target_set(
        indicator=indicator,
        year=2026,
        number=1,
        value="60",
        by=planner,
        today=datetime.date(2026, 1, 1),
    )
    services.measurement_report(
        indicator=indicator,
        year=2026,
        number=1,
        a="55",
        b="100",
        by=planner,
        today=datetime.date(2026, 4, 10),
    )
    with pytest.raises(ValidationError, match="su frecuencia ya no cambia"):
        services.indicator_save(
            indicator=Indicator.objects.get(pk=indicator.pk), frequency="monthly"
        )
    indicator.refresh_from_db()
    assert indicator.frequency == "quarterly"
    assert Measurement.objects.get().period.label == "2026-T1"
    assert Target.objects.get().period.label == "2026-T1"

    # The page shows the frequency fixed and why; a posted change does not reach the record.
    client = client_as("planner")
    url = reverse("evaluation:indicator_edit", args=[indicator.pk])
    page = client.get(url)
    field = page.context["form"]["frequency"]
    assert field.field.disabled
    assert "su frecuencia ya no cambia" in page.content.decode()
    data = {
        name: value
        for name, value in ((b.html_name, b.value()) for b in page.context["form"])
        if value not in (None, "", False)
    } | {"frequency": "monthly", "name": "Viviendas con agua (nombre corregido)"}
    assert client.post(url, data).status_code == 302
    indicator.refresh_from_db()
    assert (indicator.frequency, indicator.name) == ("quarterly", data["name"])

    # Without any period recorded, the frequency still changes.
    fresh = make_indicator(key="I-2")
    assert services.indicator_save(indicator=fresh, frequency="monthly").frequency == "monthly"
