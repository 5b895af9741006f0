"""Money, numbers and dates as people in Mexico read them."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template

from pmot.core import formatting
from pmot.core.formatting import integer, money, percent


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("1234567.891"), "$1,234,567.89"),
        (Decimal("0.005"), "$0.01"),
        (0, "$0.00"),
        (Decimal("-2500"), "-$2,500.00"),
        (None, "—"),
    ],
)
def test_money_is_shown_in_mexican_pesos(amount, shown):
    assert money(amount) == shown


def test_percentages_and_counts_use_mexican_separators():
    assert percent(Decimal("85.55")) == "85.6 %"
    assert integer(948990) == "948,990"


def test_dates_read_in_spanish_with_lowercase_months():
    rendered = Template(
        "{% load pmot %}{{ day|long_date }} · {{ day|full_date }} · {{ at|date_time }}"
    ).render(
        Context(
            {
                "day": datetime.date(2026, 11, 27),
                "at": datetime.datetime(2026, 11, 27, 21, 30, tzinfo=datetime.UTC),
            }
        )
    )
    assert rendered.split(" · ") == [
        "27 de noviembre de 2026",
        "viernes, 27 de noviembre de 2026",
        "27 de noviembre de 2026, 15:30",
    ]


def test_amounts_render_in_templates():
    rendered = Template("{% load pmot %}{{ amount|mxn }}").render(
        Context({"amount": Decimal("15000")})
    )
    assert rendered == "$15,000.00"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("28.5000"), "28.5"),
        (Decimal("70"), "70"),
        (Decimal("1250.0000"), "1,250"),
        (Decimal("0.06574"), "0.0657"),
        (Decimal("-3.10"), "-3.1"),
        (None, "—"),
    ],
)
def test_a_figure_drops_trailing_zeros_and_never_uses_an_exponent(value, shown):
    assert formatting.figure(value) == shown
