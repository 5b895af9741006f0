"""The pieces every chart is drawn with (pmot.core.charts) and the figures short enough for
a chart's label (pmot.core.formatting.short_number)."""

from decimal import Decimal

import pytest

from pmot.core.charts import Ring, flow, nice_step, share, truncate, wrap
from pmot.core.formatting import short_money, short_number


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("12345678"), "12.3 M"),
        (2_000_000.0, "2 M"),
        (Decimal("850000"), "850 mil"),
        (-25_000.0, "-25 mil"),
        (1250.0, "1,250"),
        (12.5, "12.5"),
        (0.0, "0"),
    ],
)
def test_a_figure_is_shortened_for_a_chart(value, shown):
    assert short_number(value) == shown


def test_money_is_shortened_with_its_sign_before_the_peso():
    assert short_money(Decimal("12300000.00")) == "$12.3 M"
    assert short_money(Decimal("9500.00")) == "$9,500"
    assert short_money(Decimal("-850000")) == "-$850 mil"


def test_an_axis_steps_by_round_numbers():
    assert nice_step(100) == 25
    assert nice_step(7) == 2
    assert nice_step(0.4) == pytest.approx(0.1)


def test_labels_are_cut_and_wrapped_on_two_lines():
    assert truncate("Ciudad compacta", 8) == "Ciudad…"
    assert truncate("Ciudad", 8) == "Ciudad"
    lines = wrap("uno dos tres cuatro cinco seis", 9)
    assert lines == ["uno dos", "tres cua…"]
    assert wrap("", 9) == [""]


def test_a_share_has_one_decimal_and_nothing_is_zero():
    assert share(Decimal(1), Decimal(3)) == Decimal("33.3")
    assert share(Decimal(1), Decimal(0)) == 0


def test_items_flow_into_rows_that_fit_the_width():
    assert flow([40, 40, 40], width=100, top=10, row=20) == [(0.0, 10), (40.0, 10), (0.0, 30)]


def test_a_whole_ring_is_drawn_in_two_halves():
    ring = Ring(50, 50, 40, 20)
    assert ring.segment(0, 1).count("M ") == 2
    assert ring.segment(0, 0.25).startswith("M 50.00 10.00 A 40 40 0 0 1 90.00 50.00")
