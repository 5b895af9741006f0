"""Alignment coverage of a POA: the money behind each PMOT strategy and PDM axis (split equally
among an action's elements), the strategies with no action, the money aligned to nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budgeting import rules, selectors
from tests.budgeting.chart_world import TOTAL, world  # noqa: F401
from tests.conftest import ALL_PERSONAS

D = Decimal


@pytest.fixture
def report(world):  # noqa: F811
    poa, _ = world
    return selectors.poa_coverage(poa)


def test_each_strategy_gets_its_share_and_the_rows_add_up(report):
    rows = {
        row.element.key: (row.modified, row.exercised, row.actions) for row in report.strategies
    }
    assert rows == {
        "T1.1.1": (D("1250000.00"), D("400000.00"), 2),  # A, and half of B through M1.1.1.1
        "T1.1.2": (D("250000.01"), D(0), 1),
        "T1.1.3": (D(0), D(0), 0),
    }
    total = sum(r.modified for r in report.strategies) + report.no_strategy_total
    assert total + report.unaligned_total == report.total_modified == TOTAL


def test_strategies_with_no_action_are_listed(report):
    assert [e.key for e in report.uncovered] == ["T1.1.3"]


def test_money_aligned_to_nothing_and_money_reaching_no_strategy(report):
    assert [a["key"] for a in report.unaligned] == ["D"]
    assert report.unaligned_total == D("50000.00")
    assert [(a["key"], amount) for a, amount in report.no_strategy] == [("C", D("90000.00"))]


def test_each_pdm_axis_gets_its_share(report):
    rows = {row.element.key: row.modified for row in report.axes}
    # A through T1.1.1 → M1.1.1.1; half of B on M1.1.1.1; C on M2
    assert rows == {"M1": D("1250000.00"), "M2": D("90000.00")}
    # B's half on T1.1.2 (no PDM line) and D (aligned to nothing)
    assert report.no_axis_total == D("250000.01")
    assert sum(rows.values()) + report.no_axis_total + report.unaligned_total == TOTAL


def test_split_keeps_every_cent():
    assert rules.split(D("100.00"), 3) == [D("33.34"), D("33.33"), D("33.33")]
    assert sum(rules.split(D("0.05"), 7)) == D("0.05")


def test_the_page_shows_the_figures_and_says_how_it_splits(client_as, world):  # noqa: F811
    poa, _ = world
    response = client_as("planner").get(reverse("budgeting:coverage", args=[poa.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "T1.1.3" in html
    assert "$250,000.01" in html
    assert "$50,000.00" in html
    assert reverse("budgeting:action_detail", args=[report_action(poa, "D")]) in html


def report_action(poa, key):
    return poa.actions.get(key=key).pk


@pytest.mark.parametrize("name", ALL_PERSONAS)
def test_every_role_reads_the_coverage_an_outsider_does_not(client_as, name, world):  # noqa: F811
    poa, _ = world
    response = client_as(name).get(reverse("budgeting:coverage", args=[poa.pk]))
    if name == "anonymous":
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
    elif name == "outsider":
        assert response.status_code == 403
    else:
        assert response.status_code == 200
