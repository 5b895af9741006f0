"""The indicators dashboard: counts per colour of the traffic light now, by plan axis and by
reporting organization; the red and *sin reporte* indicators listed; who sees which
indicators; a fixed number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgeting.services import poa as poa_services
from evaluation.services import indicators as services
from evaluation.views import dashboard as dashboard_views
from pmot.planning.models import Plan
from pmot.planning.services import plans as planning
from tests.budgeting.conftest import catalogue, draft_poa, make_action  # noqa: F401
from tests.conftest import ALL_PERSONAS
from tests.evaluation.conftest import TODAY
from tests.evaluation.test_indicators import a_unit, set_target

URL = "/indicadores/tablero/"
ORDER = ["green", "yellow", "red", "no_report", "pending", "no_target"]


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(dashboard_views, "_today", lambda: TODAY)


@pytest.fixture
def planner(persona):
    return persona("planner")


def measured(indicator, value, by, target="50"):
    """The indicator's 2026-T2 measured (value over 100), against `target` if any."""
    if target is not None:
        set_target(indicator, 2, target)
    services.measurement_report(
        indicator=indicator, year=2026, number=2, a=value, b="100", by=by, today=TODAY
    )
    return indicator


@pytest.fixture
def world(make_indicator, planner, pmot_strategy, orgs, draft_poa, make_action):  # noqa: F811
    """One indicator of each colour, on the PMOT's axis 1 unless told: a green, a yellow and
    a red one; one sin reporte (a POA action aligned to axes 1 and 2, reported by the State
    agency); one pending (yearly, its first year not ended: IMPLAN reports it, on the
    territory); one measured without a target (on the PDM's axis)."""
    plan = pmot_strategy.plan
    axis_2 = planning.element_add(plan=plan, key="2", name="Ciudad verde")
    pdm = Plan.objects.create(
        key="pdm", name="PDM", order=Plan.Order.MUNICIPAL, level_names=["Eje", "Línea"]
    )
    pdm_axis = planning.element_add(plan=pdm, key="E1", name="Municipio seguro")
    pdm_line = planning.element_add(plan=pdm, key="E1.1", name="Alumbrado", parent=pdm_axis)
    action = make_action(draft_poa)
    poa_services.action_align(action=action, elements=[pmot_strategy, axis_2])
    return {
        "green": measured(make_indicator(key="I-G", name="Verde"), "50", planner),
        "yellow": measured(make_indicator(key="I-Y", name="Amarillo"), "40", planner),
        "red": measured(make_indicator(key="I-R", name="Rojo"), "20", planner),
        "no_report": make_indicator(
            key="I-S",
            name="Sin reporte",
            element=None,
            action=action,
            reporter=orgs["state_agency"],
        ),
        "pending": make_indicator(
            key="I-P",
            name="Pendiente",
            frequency="yearly",
            first_year=2026,
            element=None,
            unit_measured=a_unit(),
            reporter=orgs["implan"],
        ),
        "no_target": measured(
            make_indicator(key="I-N", name="Sin meta", element=pdm_line), "30", planner, None
        ),
    }


def counts(group):
    return dict(zip(ORDER, group.cells, strict=True))


def test_the_counts_by_colour_add_up_by_hand(world, planner):
    board = dashboard_views.dashboard_for(planner, TODAY)
    assert counts(board.total) == dict.fromkeys(ORDER, 1)
    assert board.total.total == 6


def test_the_counts_by_plan_axis(world, planner):
    board = dashboard_views.dashboard_for(planner, TODAY)
    rows = {(g.detail, g.label): counts(g) for g in board.by_axis}
    none = dict.fromkeys(ORDER, 0)
    assert list(rows) == [
        ("PMOT", "1 Ciudad compacta"),
        ("PMOT", "2 Ciudad verde"),
        ("PDM", "E1 Municipio seguro"),
        ("Unidades territoriales", "Territorio"),
    ]
    # green, yellow and red measure strategy 1.1; the action of the sin reporte one is
    # aligned to axes 1 and 2 and counts under both
    assert rows[("PMOT", "1 Ciudad compacta")] == none | {
        "green": 1,
        "yellow": 1,
        "red": 1,
        "no_report": 1,
    }
    assert rows[("PMOT", "2 Ciudad verde")] == none | {"no_report": 1}
    assert rows[("PDM", "E1 Municipio seguro")] == none | {"no_target": 1}
    assert rows[("Unidades territoriales", "Territorio")] == none | {"pending": 1}
    assert board.several_axes == 1


def test_the_counts_by_organization(world, planner):
    board = dashboard_views.dashboard_for(planner, TODAY)
    none = dict.fromkeys(ORDER, 0)
    assert {g.label: counts(g) for g in board.by_organization} == {
        "IMPLAN": none | {"pending": 1},
        "Obras Públicas": none | {"green": 1, "yellow": 1, "red": 1, "no_target": 1},
        "Secretaría estatal": none | {"no_report": 1},
    }


def test_the_red_and_sin_reporte_ones_are_listed_red_first(world, planner):
    board = dashboard_views.dashboard_for(planner, TODAY)
    assert [(a.indicator.key, a.light.colour) for a in board.attention] == [
        ("I-R", "red"),
        ("I-S", "no_report"),
    ]


def test_an_action_aligned_to_nothing_counts_apart(
    make_indicator,
    planner,
    draft_poa,  # noqa: F811
    make_action,  # noqa: F811
):
    make_indicator(key="I-A", element=None, action=make_action(draft_poa))
    board = dashboard_views.dashboard_for(planner, TODAY)
    assert [g.label for g in board.by_axis] == ["Acciones del POA sin alineación a un plan"]


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_page_shows_the_counts_the_charts_and_the_list(world, client_as):
    response = client_as("planner").get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert "Tablero de indicadores" in text
    assert "Rojo o sin reporte" in text
    assert "I-R Rojo" in text
    assert "I-S Sin reporte" in text
    assert "I-G Verde" not in text  # green ones are not listed
    # each axis once in the chart (SVG) and once in the table
    assert html.count("<svg") == 2
    assert "1 Ciudad compacta · PMOT" in html  # the axis first: a long label is cut at its end
    assert "cuenta en cada uno" in text  # the note on actions aligned to several axes
    assert "style=" not in html
    # Each listed indicator links to its page (reverse raises NoReverseMatch if it is renamed).
    for listed in ("red", "no_report"):
        detail = reverse("evaluation:indicator_detail", args=[world[listed].pk])
        assert f'href="{detail}"' in html


def test_the_url_is_named():
    assert reverse("evaluation:dashboard") == URL


@pytest.mark.parametrize("name", ALL_PERSONAS)
def test_who_sees_the_dashboard(world, client_as, name):
    response = client_as(name).get(URL)
    if name == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    assert response.status_code == 200
    text = text_of(response)
    keys = set(re.findall(r"\bI-[GYRSPN]\b", text))
    if name == "outsider":  # no role: an empty dashboard
        assert keys == set()
        assert "No hay indicadores que pueda ver." in text
    else:  # every role reads every indicator, organization-bound ones too (DOMAIN.md §8)
        assert keys == {"I-R", "I-S"}


def test_an_organization_bound_reader_sees_every_organizations_counts(world, persona):
    board = dashboard_views.dashboard_for(persona("municipal_liaison"), TODAY)
    planners = dashboard_views.dashboard_for(persona("planner"), TODAY)
    assert counts(board.total) == counts(planners.total)
    labels = [g.label for g in board.by_organization]
    assert labels == [g.label for g in planners.by_organization]
    assert {"Obras Públicas", "Secretaría estatal"} <= set(labels)


def test_a_fixed_number_of_queries(
    make_indicator,
    client_as,
    planner,
    draft_poa,  # noqa: F811
    make_action,  # noqa: F811
):
    action = make_action(draft_poa)
    client = client_as("planner")

    def add(numbers):
        for n in numbers:
            fields = {"element": None, "action": action} if n % 3 == 0 else {}
            indicator = make_indicator(key=f"I-{n:03d}", **fields)
            if n % 2:
                measured(indicator, "45", planner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(URL)
        assert response.status_code == 200
        return len(captured)

    add(range(3))
    few = queries()
    add(range(3, 40))
    assert queries() == few
    assert few <= 14
