"""The technical sheet, targets that change only while their period is open (with a reason,
kept in history), and measurements computed from their variables, judged by the period's
target, validated or returned by IMPLAN."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from evaluation.models import Indicator, Measurement, Target
from evaluation.services import indicators as services
from pmot.information.models import TerritorialUnit, UnitKind
from tests.evaluation.conftest import TODAY
from tests.factories import UserFactory
from tests.uploads import pdf_bytes

D = Decimal


def a_unit() -> TerritorialUnit:
    return TerritorialUnit.objects.create(
        key="UGAT-1",
        name="Centro",
        kind=UnitKind.LOCALITY,
        geometry={"type": "Point", "coordinates": [-102.29, 21.88]},
    )


@pytest.fixture
def planner(persona):
    return persona("planner")


# --- The technical sheet ---------------------------------------------------------------------


def test_an_indicator_measures_exactly_one_thing(make_indicator, orgs):
    unit = a_unit()
    with pytest.raises(ValidationError, match="mide una sola cosa"):
        make_indicator(unit_measured=unit)  # and the strategy of the default
    with pytest.raises(ValidationError, match="mide una sola cosa"):
        make_indicator(element=None)
    assert not Indicator.objects.exists()


def test_the_database_refuses_an_indicator_measuring_two_things(indicator):
    unit = a_unit()
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.filter(pk=indicator.pk).update(unit_measured=unit)


def test_thresholds_are_all_given_or_none_and_in_order(make_indicator):
    with pytest.raises(ValidationError, match="cuatro umbrales"):
        make_indicator(green_low=D(95))
    with pytest.raises(ValidationError, match="en orden"):
        make_indicator(green_low=D(95), green_high=D(90), yellow_low=D(80), yellow_high=D(120))
    own = make_indicator(green_low=D(95), green_high=D(105), yellow_low=D(80), yellow_high=D(120))
    assert own.bands.green_low == D(95)


# --- Targets ------------------------------------------------------------------------------------


def test_a_target_is_set_and_changed_while_its_period_is_open_with_a_reason(indicator, planner):
    target = services.target_set(
        indicator=indicator, year=2026, number=3, value="60", by=planner, today=TODAY
    )
    with pytest.raises(ValidationError, match="la meta de 2026-T3 cambia de 60 a 65"):
        services.target_set(
            indicator=indicator, year=2026, number=3, value="65", by=planner, today=TODAY
        )
    services.target_set(
        indicator=indicator,
        year=2026,
        number=3,
        value="65",
        reason="Se amplió la red en la colonia Centro",
        by=planner,
        today=TODAY,
    )
    target.refresh_from_db()
    assert target.value == D(65)
    values = [h.value for h in target.history.order_by("history_date")]
    assert values == [D(60), D(65)]
    assert target.history.latest().reason == "Se amplió la red en la colonia Centro"


@pytest.mark.parametrize("number", [1, 2])
def test_a_closed_period_never_gets_or_changes_a_target(indicator, planner, number):
    with pytest.raises(ValidationError, match="retroactivas"):
        services.target_set(
            indicator=indicator, year=2026, number=number, value="60", by=planner, today=TODAY
        )
    assert not Target.objects.exists()


def test_a_target_changes_until_the_last_day_of_its_period(indicator, planner):
    services.target_set(
        indicator=indicator, year=2026, number=3, value="60", by=planner, today=TODAY
    )
    last_day = datetime.date(2026, 9, 30)
    services.target_set(
        indicator=indicator,
        year=2026,
        number=3,
        value="61",
        reason="Ajuste",
        by=planner,
        today=last_day,
    )
    with pytest.raises(ValidationError, match="retroactivas"):
        services.target_set(
            indicator=indicator,
            year=2026,
            number=3,
            value="62",
            reason="Tarde",
            by=planner,
            today=last_day + datetime.timedelta(days=1),
        )
    assert Target.objects.get().value == D(61)


def test_a_period_the_frequency_does_not_have_is_refused(indicator, planner):
    with pytest.raises(ValidationError, match="periodos 1 a 4"):
        services.target_set(
            indicator=indicator, year=2026, number=5, value="60", by=planner, today=TODAY
        )


# --- Measurements -----------------------------------------------------------------------------


def set_target(indicator, number, value, year=2026):
    """A target set while its period was open (the day it started)."""
    period = indicator.period(year, number)
    return services.target_set(
        indicator=indicator,
        year=year,
        number=number,
        value=value,
        by=UserFactory(),
        today=period.start,
    )


def test_a_measurement_computes_its_value_and_its_colour(indicator, planner):
    set_target(indicator, 2, "60")
    measurement = services.measurement_report(
        indicator=indicator, year=2026, number=2, a="540", b="1000", by=planner, today=TODAY
    )
    assert measurement.value == D("54.0000")  # 540 ÷ 1000 × 100
    assert measurement.target == D(60)
    assert measurement.compliance == D("90.00")
    assert measurement.colour == "green"
    assert measurement.status == Measurement.Status.SUBMITTED


def test_a_measurement_without_a_target_has_no_colour(indicator, planner):
    measurement = services.measurement_report(
        indicator=indicator, year=2026, number=2, a="1", b="2", by=planner, today=TODAY
    )
    assert measurement.colour == "no_target"
    assert measurement.compliance is None


def test_a_zero_denominator_is_refused_in_words(indicator, planner):
    with pytest.raises(ValidationError, match="Viviendas habitadas es cero"):
        services.measurement_report(
            indicator=indicator, year=2026, number=2, a="1", b="0", by=planner, today=TODAY
        )
    with pytest.raises(ValidationError, match="Viviendas habitadas"):
        services.measurement_report(
            indicator=indicator, year=2026, number=2, a="1", by=planner, today=TODAY
        )
    assert not Measurement.objects.exists()


def test_a_period_is_measured_only_once_it_ended(indicator, planner):
    with pytest.raises(ValidationError, match="se reporta después"):
        services.measurement_report(
            indicator=indicator, year=2026, number=3, a="1", b="2", by=planner, today=TODAY
        )


def test_the_colour_stays_as_it_was_judged_when_the_thresholds_change(indicator, planner):
    set_target(indicator, 2, "100")
    measurement = services.measurement_report(
        indicator=indicator, year=2026, number=2, a="92", b="100", by=planner, today=TODAY
    )
    measurement = services.measurement_validate(measurement=measurement, by=planner)
    assert measurement.colour == "green"
    services.indicator_save(
        indicator=indicator,
        green_low=D(95),
        green_high=D(105),
        yellow_low=D(80),
        yellow_high=D(120),
    )
    measurement.refresh_from_db()
    assert measurement.colour == "green"
    assert measurement.green_low == D(90)


def test_validated_is_final_and_returned_is_reported_again(indicator, planner, persona):
    reporter = persona("municipal_liaison")
    set_target(indicator, 1, "50")
    measurement = services.measurement_report(
        indicator=indicator, year=2026, number=1, a="30", b="100", by=reporter, today=TODAY
    )
    with pytest.raises(ValidationError, match="Indique qué debe corregir"):
        services.measurement_return(measurement=measurement, observations="  ", by=planner)
    services.measurement_return(
        measurement=measurement, observations="El padrón no cuadra con el informe", by=planner
    )
    measurement.refresh_from_db()
    assert measurement.status == Measurement.Status.RETURNED
    with pytest.raises(ValidationError, match="en espera de validación"):
        services.measurement_validate(measurement=measurement, by=planner)

    again = services.measurement_report(
        indicator=indicator, year=2026, number=1, a="48", b="100", by=reporter, today=TODAY
    )
    assert again.pk == measurement.pk
    assert again.status == Measurement.Status.SUBMITTED
    assert again.colour == "green"  # 48 of 50: 96 %
    services.measurement_validate(measurement=again, by=planner)
    with pytest.raises(ValidationError, match="validada"):
        services.measurement_report(
            indicator=indicator, year=2026, number=1, a="50", b="100", by=reporter, today=TODAY
        )
    assert [h.value for h in again.history.order_by("history_date")][0] == D("30.0000")


def test_evidence_is_checked_and_closed_once_validated(indicator, planner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    measurement = services.measurement_report(
        indicator=indicator, year=2026, number=1, a="30", b="100", by=planner, today=TODAY
    )
    with pytest.raises(ValidationError):
        services.evidence_add(
            measurement=measurement,
            upload=SimpleUploadedFile("informe.pdf", b"MZ\x90\x00 not a pdf"),
            by=planner,
        )
    evidence = services.evidence_add(
        measurement=measurement,
        upload=SimpleUploadedFile("informe.pdf", pdf_bytes()),
        by=planner,
    )
    assert evidence.name == "informe.pdf"
    services.measurement_validate(measurement=measurement, by=planner)
    with pytest.raises(ValidationError, match="validada"):
        services.evidence_add(
            measurement=measurement,
            upload=SimpleUploadedFile("otro.pdf", pdf_bytes()),
            by=planner,
        )
