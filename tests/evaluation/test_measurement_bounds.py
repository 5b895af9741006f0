"""Figures out of scale are refused with a message and change nothing: a measurement whose
value or compliance would not fit its column (issue 16: -725758200860 against a target of 50
answered 500, "numeric field overflow")."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from evaluation.models import Measurement
from evaluation.services import indicators as services
from tests.evaluation.conftest import TODAY
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def set_target(indicator, number, value):
    return services.target_set(
        indicator=indicator,
        year=2026,
        number=number,
        value=value,
        by=UserFactory(),
        today=indicator.period(2026, 1).start,
    )


def post_report(client, indicator, **figures):
    url = reverse("evaluation:measurement_report", args=[indicator.pk, 2026, 2])
    return client.post(url, figures)


def test_a_compliance_beyond_any_scale_is_refused_in_spanish(client_as, indicator):
    set_target(indicator, 2, "50")
    response = post_report(client_as("municipal_liaison"), indicator, a="-725758200860", b="100")
    assert response.status_code == 400
    assert "fuera de toda escala: revise las cifras y la meta" in response.text
    assert not Measurement.objects.exists()


def test_a_value_too_large_to_keep_is_refused_in_spanish(client_as, indicator):
    response = post_report(
        client_as("municipal_liaison"), indicator, a="99999999999999", b="0.0001"
    )
    assert response.status_code == 400
    assert "demasiado grande para guardarlo" in response.text
    assert not Measurement.objects.exists()


def test_a_figure_with_more_digits_than_its_column_is_refused_by_the_form(client_as, indicator):
    response = post_report(client_as("municipal_liaison"), indicator, a="1" + "0" * 18, b="100")
    assert response.status_code == 400
    assert "18 dígitos" in response.text
    assert not Measurement.objects.exists()


def test_a_report_already_kept_is_not_changed_by_a_refused_one(indicator):
    set_target(indicator, 2, "50")
    by = UserFactory()
    kept = services.measurement_report(
        indicator=indicator, year=2026, number=2, a="45", b="100", by=by, today=TODAY
    )
    with pytest.raises(ValidationError):
        services.measurement_report(
            indicator=indicator,
            year=2026,
            number=2,
            a="-725758200860",
            b="100",
            by=by,
            today=TODAY,
        )
    kept.refresh_from_db()
    assert (kept.a, kept.value, kept.colour) == (Decimal(45), Decimal(45), "green")
    assert kept.history.count() == 1


@pytest.mark.parametrize(
    ("a", "b"), [("99999999999999.9999", "0.0001"), ("-99999999999999.9999", "0.0001")]
)
def test_the_largest_figures_a_form_takes_never_break_the_computation(indicator, a, b):
    """A ÷ B × factor at the edge of what the form takes (18 digits, B as small as 0.0001,
    the largest factor) is refused by the rule, never by the decimal arithmetic."""
    indicator.factor = Decimal("99999999.9999")
    indicator.save()
    with pytest.raises(ValidationError, match="demasiado grande para guardarlo"):
        services.measurement_report(
            indicator=indicator, year=2026, number=2, a=a, b=b, by=UserFactory(), today=TODAY
        )


def test_the_largest_value_that_fits_is_kept(indicator):
    measurement = services.measurement_report(
        indicator=indicator,
        year=2026,
        number=2,
        a="99999999999999.9999",
        b="100",
        by=UserFactory(),
        today=TODAY,
    )
    assert measurement.value == Decimal("99999999999999.9999")
