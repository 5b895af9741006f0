"""The budget distribution charts of a POA: every figure against a POA worked out by hand
(tests/budgeting/chart_world.py), the page for every persona, and a fixed number of queries."""

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from budgeting import charts
from budgeting.models import BudgetLine, GovernmentOrder
from tests.budgeting.chart_world import TOTAL, many_actions, world  # noqa: F401
from tests.conftest import ALL_PERSONAS

D = Decimal


def figures(chart):
    return {s.label: (s.modified, s.exercised) for s in chart.slices}


@pytest.fixture
def by_slug(world):  # noqa: F811
    poa, _ = world
    return {chart.slug: chart for chart in charts.poa_charts(poa)}


def test_every_chart_adds_up_to_the_poas_modified_and_exercised_money(world, by_slug):  # noqa: F811
    poa, _ = world
    totals = BudgetLine.objects.filter(action__poa=poa).aggregate(
        modified=Sum("modified"), exercised=Sum("exercised")
    )
    assert totals["modified"] == TOTAL
    for chart in by_slug.values():
        assert chart.total_modified == totals["modified"], chart.slug
        assert chart.total_exercised == totals["exercised"] == D("400000.00"), chart.slug


def test_by_government_order_and_source(by_slug):
    assert figures(by_slug["orden"]) == {
        GovernmentOrder.FEDERAL.label: (D("300000.01"), D(0)),
        GovernmentOrder.STATE.label: (D("200000.00"), D(0)),
        GovernmentOrder.MUNICIPAL.label: (D("1140000.00"), D("400000.00")),
    }
    sources = figures(by_slug["fuente"])
    assert sources == {
        "FISMDF (Ramo 33, FAIS municipal)": (D("300000.01"), D(0)),
        "Recursos estatales": (D("200000.00"), D(0)),
        "Recursos propios municipales": (D("1140000.00"), D("400000.00")),
    }


def test_by_sectoral_program_through_the_pdm(by_slug):
    assert figures(by_slug["programa"]) == {
        # A (through T1.1.1 → M1.1.1.1 → M1.1) and half of B (M1.1.1.1 → M1.1)
        "Programa sectorial urbano": (D("1250000.00"), D("400000.00")),
        # the other half of B (T1.1.2 reaches no PDM element) and C (M2 has no program)
        _("Reaches no sectoral program"): (D("340000.01"), D(0)),
        _("Aligned to nothing"): (D("50000.00"), D(0)),
    }


def test_by_pmot_strategy_splits_an_action_equally_among_its_elements(by_slug):
    chart = by_slug["estrategia"]
    assert figures(chart) == {
        # A whole, and B's half through M1.1.1.1 (aligned to T1.1.1)
        "T1.1.1 Elemento T1.1.1": (D("1250000.00"), D("400000.00")),
        # B's other half, with the odd cent
        "T1.1.2 Elemento T1.1.2": (D("250000.01"), D(0)),
        _("Reaches no PMOT strategy"): (D("90000.00"), D(0)),
        _("Aligned to nothing"): (D("50000.00"), D(0)),
    }
    assert chart.note


def test_by_territorial_unit_and_by_chapter(by_slug):
    assert figures(by_slug["unidad"]) == {
        "U-01 Centro": (D("1000000.00"), D("400000.00")),
        _("No territorial unit"): (D("640000.01"), D(0)),
    }
    chapters = {label.split()[0]: value for label, value in figures(by_slug["capitulo"]).items()}
    assert chapters == {
        "3000": (D("290000.00"), D(0)),
        "6000": (D("1350000.01"), D("400000.00")),
    }


def test_a_bar_is_as_long_as_its_money_and_a_donut_turns_once(by_slug):
    bars = by_slug["estrategia"].bars
    assert bars[0].modified_width == charts.BAR_AREA
    assert bars[1].modified_width == pytest.approx(charts.BAR_AREA * 250000.01 / 1250000, abs=0.1)
    assert bars[0].exercised_width == pytest.approx(charts.BAR_AREA * 0.32, abs=0.1)
    arcs = by_slug["orden"].arcs
    assert len(arcs) == 3
    assert all(arc.path.startswith("M ") and arc.path.endswith("Z") for arc in arcs)


def test_a_single_slice_draws_a_whole_ring():
    chart = charts.Chart("x", "X", "donut", [charts.Slice("Todo", D(10), D(0), "#000")])
    (arc,) = chart.arcs
    assert arc.path.count("M ") == 2  # two halves: one SVG arc cannot close on itself


def test_the_page_draws_svg_with_a_table_of_the_same_figures(client_as, world):  # noqa: F811
    poa, _ = world
    response = client_as("council_member").get(reverse("budgeting:charts", args=[poa.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') == 6
    assert html.count("<table") == 6
    svg = html[html.index("<svg") : html.rindex("</svg>")]
    assert "style=" not in svg
    assert "<script" not in svg
    assert "$1,250,000.00" in html
    assert "$1,640,000.01" in html


@pytest.mark.parametrize("name", ALL_PERSONAS)
def test_every_role_reads_the_charts_an_outsider_does_not(client_as, name, world):  # noqa: F811
    poa, _ = world
    response = client_as(name).get(reverse("budgeting:charts", args=[poa.pk]))
    if name == "anonymous":
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
    elif name == "outsider":
        assert response.status_code == 403
    else:
        assert response.status_code == 200


def test_a_missing_poa_is_404(client_as):
    response = client_as("planner").get(reverse("budgeting:charts", args=[999999]))
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["budgeting:charts", "budgeting:coverage"])
def test_the_pages_run_the_same_queries_for_10_and_2000_actions(
    client_as,
    draft_poa,
    catalogue,
    pmot_strategy,
    orgs,
    django_assert_num_queries,
    django_assert_max_num_queries,
    url,
):
    client = client_as("planner")
    client.get(reverse(url, args=[draft_poa.pk]))  # the session, the permissions' cache
    many_actions(draft_poa, catalogue, pmot_strategy, 10, orgs["works"], prefix="N")
    with django_assert_max_num_queries(30) as small:
        assert client.get(reverse(url, args=[draft_poa.pk])).status_code == 200
    many_actions(draft_poa, catalogue, pmot_strategy, 1990, orgs["works"], prefix="M")
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse(url, args=[draft_poa.pk]))
    assert response.status_code == 200
    assert "$2,000,000.00" in response.content.decode()


def test_a_long_label_wraps_above_its_bar_in_a_drawing_narrow_enough_for_a_phone():
    name = "Estrategia de consolidación urbana del centro histórico y sus barrios tradicionales"
    chart = charts.Chart("x", "X", "bar", [charts.Slice(name, D(10), D(5), "#000")] * 2)
    first, second = chart.bars
    assert chart.width == 360
    assert [line.text for line in first.lines] == [
        "Estrategia de consolidación urbana del",
        "centro histórico y sus barrios tradicionales",
    ]
    assert first.lines[-1].y < first.y  # the label sits above its bar
    assert second.lines[0].y > first.y + 16  # and the next row starts below it
    assert chart.height == 2 * (2 * 18 + 4 + 16 + 14)
    assert name in first.title  # whole in the tooltip (and the table)
