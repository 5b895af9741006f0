"""The public pages of the annual operating program (POA) and the territory: a citizen reads
the year's money and actions, each action with its progress and alignment, and the territorial
units, with nothing unpublished; each page runs the same queries however much data there is."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgeting.models import Action, BudgetLine, FundingSource, ProgressReport
from budgeting.services import poa as poa_services
from evaluation.models import Evaluation, EvaluationProgram, Indicator
from pmot.core import public_cache
from pmot.information.models import TerritorialUnit, UnitKind
from pmot.planning.models import Plan, Program
from pmot.planning.services import plans as planning
from pmot.portal.selectors import poa as selectors_poa
from tests.budgeting.conftest import (  # noqa: F401
    approved_poa,
    catalogue,
    draft_poa,
    make_action,
    pmot_strategy,
)
from tests.budgeting.progress import validated
from tests.clock import DEMO_DAY, frozen
from tests.factories import UserFactory
from tests.planning.conftest import agreement_type, cabildo, council_vote, open_session  # noqa: F401

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[-102.3, 21.8], [-102.2, 21.8], [-102.2, 21.9], [-102.3, 21.9], [-102.3, 21.8]]
    ],
}
ACTION_NAME = "Rehabilitación de la red de agua"  # the approved action (tests/budgeting)


@pytest.fixture(autouse=True)
def _clock():
    """The fixtures' POAs are of 2027 and 2028: on this day, years to come."""
    with frozen(DEMO_DAY):
        yield


def _unit(key, kind=UnitKind.MANAGEMENT_UNIT, **fields):
    values = {"name": f"Unidad {key}", "kind": kind, "geometry": SQUARE}
    if kind == UnitKind.MANAGEMENT_UNIT:
        values["environmental_policy"] = "conservation"
    return TerritorialUnit.objects.create(key=key, **values | fields)


def _indicator(key, action, published, orgs):
    return Indicator.objects.create(
        key=key,
        name=f"Indicador {key}",
        definition="Metros de red rehabilitados.",
        method="Metros rehabilitados.",
        variable_a="Metros",
        unit="metros",
        dimension="efficacy",
        kind="management",
        frequency="quarterly",
        direction="ascending",
        source="Obras Públicas",
        verification="Bitácora de obra",
        reporter=orgs["works"],
        action=action,
        first_year=2027,
        published=published,
    )


def _evaluation(title, action, published, program):
    evaluation = Evaluation.objects.create(
        program=program,
        title=title,
        kind="processes",
        evaluator="Universidad Autónoma",
        start=datetime.date(2027, 4, 1),
        end=datetime.date(2027, 9, 30),
        published=published,
    )
    evaluation.actions.add(action)
    return evaluation


@pytest.fixture
def world(approved_poa, make_action, orgs, pmot_strategy):  # noqa: F811
    """The approved 2027 POA of tests/budgeting with its action (now in a management unit, on
    a point, with a progress report), an action beside it with no money nor alignment, a POA
    of 2028 not yet approved with a draft action, a published and an unpublished indicator and
    evaluation of the action, and the PMOT in consultation (so its strategies are public)."""
    poa, action, line = approved_poa
    unit = _unit("UGAT-01")
    Action.objects.filter(pk=action.pk).update(
        unit=unit, latitude=Decimal("21.880000"), longitude=Decimal("-102.290000")
    )
    action.refresh_from_db()
    program = Program.objects.create(
        name="PMOT", horizon_year=2045, status=Program.Status.CONSULTATION
    )
    Plan.objects.filter(pk=pmot_strategy.plan_id).update(program=program)
    reporter = UserFactory(username="reportera", email="reportera@example.org")
    ProgressReport.objects.create(
        action=action,
        period=1,
        achieved=Decimal("20"),
        by=reporter,
        note="Nota interna del avance",
        evidence_name="bitacora-secreta.pdf",
        **validated(action, UserFactory()),
    )
    bare = Action.objects.create(
        poa=poa,
        key="A-99",
        name="Acción sin dinero",
        kind="services",
        responsible=orgs["works"],
        modality=action.modality,
        target=Decimal("1"),
        target_unit="servicio",
        calendar=["1", "0", "0", "0"],
    )
    next_year = poa_services.poa_create(fiscal_year=2028)
    draft = make_action(next_year, key="B-02", name="Acción en borrador")
    unapproved = make_action(next_year, key="B-01", name="Acción de un POA sin aprobar")
    poa_services.action_align(action=unapproved, elements=[pmot_strategy])
    poa_services.action_submit(action=unapproved)
    evaluations = EvaluationProgram.objects.create(year=2027, title="PAE 2027", published=True)
    return {
        "poa": poa,
        "action": action,
        "line": line,
        "unit": unit,
        "draft": draft,
        "bare": bare,
        "unapproved": unapproved,
        "indicator": _indicator("IND-PUB", action, True, orgs),
        "hidden_indicator": _indicator("IND-OCULTO", action, False, orgs),
        "evaluation": _evaluation("Evaluación publicada", action, True, evaluations),
        "hidden_evaluation": _evaluation("Evaluación en revisión", action, False, evaluations),
        "strategy": pmot_strategy,
        "evaluation_program": evaluations,
    }


def _grow(poa, n, orgs, catalogue, unit):  # noqa: F811
    """n more submitted actions of `poa`, in bulk: alternately on a point and only in a unit,
    each with two budget lines, four progress reports and an alignment."""
    start = Action.objects.filter(poa=poa, key__startswith="G-").count()
    actions = Action.objects.bulk_create(
        Action(
            poa=poa,
            key=f"G-{start + i:04d}",
            name=f"Acción número {start + i}",
            kind=["public_works", "social_works", "services", "procedures"][i % 4],
            responsible=orgs["works"] if i % 2 else orgs["state_agency"],
            modality=catalogue["modality"],
            unit=unit,
            latitude=Decimal("21.870000") if i % 2 else None,
            longitude=Decimal("-102.280000") if i % 2 else None,
            target=Decimal("4"),
            target_unit="obras",
            calendar=["1", "1", "1", "1"],
            status=Action.Status.SUBMITTED,
        )
        for i in range(n)
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(
            action=action,
            source=source,
            expense_item=catalogue["item"],
            functional=catalogue["functional"],
            fismdf_category="water" if source.is_fismdf else "",
            approved=Decimal("1000.00"),
            modified=Decimal("1000.00"),
            committed=Decimal("500.00"),
            accrued=Decimal("400.00"),
            exercised=Decimal("300.00"),
        )
        for action in actions
        for source in (catalogue["source"], catalogue["fismdf"])
    )
    by, reviewer = UserFactory(), UserFactory()
    ProgressReport.objects.bulk_create(
        ProgressReport(
            action=action,
            period=period,
            achieved=Decimal("1"),
            by=by,
            **validated(action, reviewer),
        )
        for action in actions
        for period in (1, 2, 3, 4)
    )
    through = Action.alignments.through
    element = Plan.objects.get(order=Plan.Order.PMOT).elements.filter(level=1).first()
    through.objects.bulk_create(
        through(action_id=action.pk, planelement_id=element.pk) for action in actions
    )
    return actions


def _queries(client, url, **params) -> tuple[int, str]:
    """Render `url` uncached (a new generation of the public cache), counting its queries."""
    public_cache.changed()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _year_url(year=2027):
    return reverse("portal:poa_year", kwargs={"year": year})


def _action_url(action, year=2027):
    return reverse("portal:action", kwargs={"year": year, "pk": action.pk})


# --- The POA of the year ---------------------------------------------------------------------


def test_the_poa_address_leads_to_the_public_year(client, world):
    response = client.get(reverse("portal:poa"))
    assert response.status_code == 302
    assert response["Location"] == _year_url(2027)


def test_the_poa_address_says_so_when_no_poa_is_approved(client, db):
    response = client.get(reverse("portal:poa"))
    assert response.status_code == 200
    assert "El Cabildo todavía no ha aprobado un Programa Operativo Anual" in response.text


def test_the_current_year_comes_before_one_to_come(world, council_vote, make_action):  # noqa: F811
    assert selectors_poa.current_year() == 2027  # only a year to come: that one
    poa = poa_services.poa_create(fiscal_year=2025)
    action = make_action(poa, key="C-01")
    poa_services.action_align(action=action, elements=[world["strategy"]])
    poa_services.action_submit(action=action)
    poa_services.poa_submit(poa=poa)
    council_vote(subject=poa)  # the Cabildo approves it
    assert selectors_poa.public_years() == [2027, 2025]
    assert selectors_poa.current_year() == 2025


def test_a_citizen_reads_the_year_s_money_and_actions(client, world):
    page = client.get(_year_url()).text
    assert "Programa Operativo Anual 2027" in page
    assert world["poa"].approval_agreement.key in page
    assert "$1,000,000.00" in page  # approved, modified, and by source
    assert "aprobado por el Cabildo" in page
    assert "De dónde viene el dinero" in page
    assert "Por fuente de financiamiento" in page
    assert "Por tipo de acción" in page
    assert ACTION_NAME in page
    assert "Obras Públicas" in page  # who answers for it
    assert "Unidad UGAT-01" in page  # where
    assert "20.0 %" in page  # physical progress: 20 of 100 metres
    assert _action_url(world["action"]) in page
    assert "2 acciones" in page  # the action and the one without money


def test_the_year_shows_nothing_unpublished(client, world):
    page = client.get(_year_url()).text
    assert "Acción en borrador" not in page
    assert "Acción de un POA sin aprobar" not in page
    assert "Nota interna" not in page
    assert "@" not in re.sub(r"<[^>]*>", "", page)  # no e-mail address in the text


def test_a_year_without_an_approved_poa_is_not_found(client, world):
    assert client.get(_year_url(2028)).status_code == 404  # submitted, not approved
    assert client.get(_year_url(2031)).status_code == 404
    assert client.get(reverse("portal:poa_map", kwargs={"year": 2028})).status_code == 404


def test_the_year_links_its_other_public_years(client, world, council_vote):  # noqa: F811
    poa = world["unapproved"].poa
    world["draft"].delete()  # every action of a POA is submitted before the POA
    poa_services.poa_submit(poa=poa)
    council_vote(subject=poa)  # the Cabildo approves it
    page = client.get(_year_url()).text
    assert f'href="{_year_url(2028)}"' in page
    assert 'aria-current="page">2027' in page


def test_the_actions_filter_by_kind_source_and_unit(client, world, orgs, catalogue):  # noqa: F811
    other_unit = _unit("ZP-01", UnitKind.PRIMARY_ZONE, zone_class="urbanized")
    _grow(world["poa"], 2, orgs, catalogue, other_unit)  # G-0001: social works, own + FISMDF
    url = _year_url()
    both = client.get(url).text
    assert ACTION_NAME in both
    assert "Acción número 1" in both
    by_kind = client.get(url, {"tipo": "social_works"}).text
    assert ACTION_NAME not in by_kind
    assert "Acción número 1" in by_kind
    assert "(filtradas)" in by_kind
    assert "Quitar los filtros" in by_kind
    by_source = client.get(url, {"fuente": "fismdf"}).text
    assert ACTION_NAME not in by_source
    assert "Acción número 1" in by_source
    by_unit = client.get(url, {"unidad": "UGAT-01"}).text
    assert ACTION_NAME in by_unit
    assert "Acción número 1" not in by_unit
    nothing = client.get(url, {"tipo": "procedures"}).text
    assert "Ninguna acción coincide con los filtros." in nothing


def test_a_filter_the_year_does_not_know_is_ignored(client, world):
    response = client.get(_year_url(), {"tipo": "nada", "unidad": "NO-EXISTE", "pagina": "x"})
    assert response.status_code == 200
    assert ACTION_NAME in response.text


def test_the_actions_come_a_page_at_a_time(client, world, orgs, catalogue):  # noqa: F811
    _grow(world["poa"], 30, orgs, catalogue, world["unit"])
    first = client.get(_year_url()).text
    assert "Página 1 de 2" in first
    assert "Acción número 22" in first  # after
    assert "Acción número 23" not in first
    second = client.get(_year_url(), {"pagina": 2, "tipo": ""}).text
    assert "Acción número 23" in second
    assert "Página 2 de 2" in second


# --- The map ---------------------------------------------------------------------------------


def test_the_map_fetches_the_year_s_actions_as_geojson(client, world, orgs, catalogue):  # noqa: F811
    _grow(world["poa"], 2, orgs, catalogue, world["unit"])  # G-0001 on a point, G-0000 not
    page = client.get(_year_url()).text
    map_url = reverse("portal:poa_map", kwargs={"year": 2027})
    assert f'data-src="{map_url}"' in page
    response = client.get(map_url)
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(response.content)
    points = [f for f in data["features"] if f["geometry"]["type"] == "Point"]
    areas = [f for f in data["features"] if "count" in f["properties"]]
    assert {f["properties"]["key"] for f in points} == {"A-01", "G-0001"}
    assert points[0]["geometry"]["coordinates"] == [-102.29, 21.88]
    assert points[0]["properties"]["url"] == _action_url(world["action"])
    assert [(f["properties"]["key"], f["properties"]["count"]) for f in areas] == [("UGAT-01", 1)]
    assert areas[0]["properties"]["summary"] == "1 acción en esta unidad"
    assert data["kinds"]["public_works"] == "Obra pública"
    assert "A-99" not in response.content.decode()


def test_the_home_page_can_draw_the_map_of_a_year(world):
    html = render_to_string("portal/public/poa/_map.html", {"map": selectors_poa.action_map(2027)})
    assert 'data-src="/publico/poa/2027/mapa.geojson"' in html
    assert 'data-mode="actions"' in html
    assert "Obra pública" in html  # the legend
    assert 'src="/static/js/map.js"' in html


def test_the_public_pages_run_no_inline_script(client, world):
    for url in (_year_url(), _action_url(world["action"]), reverse("portal:territory")):
        page = client.get(url).text
        for tag in re.findall(r"<script[^>]*>", page):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
        assert "style=" not in page.split("<body", 1)[1]


def test_the_year_page_stays_small_with_2000_actions(client, world, orgs, catalogue):  # noqa: F811
    _grow(world["poa"], 2000, orgs, catalogue, world["unit"])
    page = client.get(_year_url()).content
    assert len(page) < 300_000
    geojson = client.get(reverse("portal:poa_map", kwargs={"year": 2027})).content
    assert len(json.loads(geojson)["features"]) == 1001 + 1  # points, and the unit once
    assert len(geojson) < 300_000


# --- One action ------------------------------------------------------------------------------


def test_a_citizen_reads_an_action(client, world):
    page = client.get(_action_url(world["action"])).text
    assert ACTION_NAME in page
    assert "Obras Públicas" in page
    assert "UGAT-01 · Unidad UGAT-01" in page
    assert "21.880000, -102.290000" in page
    assert 'data-features="mapa-accion-data"' in page
    assert "Recursos propios" in page  # the line's funding source
    assert "Aprobado" in page
    assert "Pagado" in page
    assert "$1,000,000.00" in page
    assert "1er trimestre" in page
    assert "sin reporte" in page
    assert "20.0 %" in page  # physical progress
    assert world["strategy"].name in page
    assert "IND-PUB" in page
    assert "Evaluación publicada" in page


def test_an_action_shows_nothing_unpublished(client, world):
    page = client.get(_action_url(world["action"])).text
    assert "IND-OCULTO" not in page
    assert "Evaluación en revisión" not in page
    assert "Nota interna" not in page
    assert "bitacora-secreta" not in page
    assert "reportera" not in page


@pytest.mark.parametrize("which", ["draft", "unapproved"])
def test_an_unpublished_action_is_not_found(client, world, which):
    action = world[which]
    assert client.get(_action_url(action, action.poa.fiscal_year)).status_code == 404


def test_an_action_is_not_found_under_another_year(client, world):
    assert client.get(_action_url(world["action"], 2026)).status_code == 404


def test_an_action_without_money_or_alignment_says_so(client, world, make_action):  # noqa: F811
    page = client.get(_action_url(world["bare"])).text
    assert "Esta acción todavía no tiene dinero registrado." in page
    assert "Todavía no está alineada a ningún plan publicado." in page
    assert "mapa-accion" not in page  # nowhere to draw


# --- The territory ---------------------------------------------------------------------------


def test_a_citizen_reads_the_territory(client, world):
    _unit("LOC-01", UnitKind.LOCALITY, geometry={"type": "Point", "coordinates": [-102.29, 21.88]})
    page = client.get(reverse("portal:territory")).text
    assert "UGAT-01 · Unidad UGAT-01" in page
    assert "LOC-01 · Unidad LOC-01" in page
    assert "Conservación" in page
    assert 'id="unidad-UGAT-01"' in page
    assert f"{_year_url()}?unidad=UGAT-01#acciones" in page  # its one action of 2027
    data = client.get(reverse("portal:territory_map")).json()
    assert {f["properties"]["key"] for f in data["features"]} == {"UGAT-01", "LOC-01"}
    assert data["features"][0]["properties"]["url"].startswith("/publico/territorio/#unidad-")


# --- A fixed number of queries ---------------------------------------------------------------


def test_the_year_runs_the_same_queries_with_more_data(client, world, orgs, catalogue):  # noqa: F811
    filters = {"tipo": "public_works", "fuente": "propios", "unidad": "UGAT-01"}
    few, _ = _queries(client, _year_url())
    few_filtered, _ = _queries(client, _year_url(), **filters)
    _grow(world["poa"], 60, orgs, catalogue, world["unit"])
    many, page = _queries(client, _year_url())
    many_filtered, filtered = _queries(client, _year_url(), **filters)
    assert many == few
    assert many_filtered == few_filtered  # the filters' own look-ups, whatever the data
    assert "Página 1 de 3" in page
    assert "Acción número 4<" in filtered


def test_the_maps_run_the_same_queries_with_more_data(client, world, orgs, catalogue):  # noqa: F811
    urls = [reverse("portal:poa_map", kwargs={"year": 2027}), reverse("portal:territory_map")]
    few = [_queries(client, url)[0] for url in urls]
    _grow(world["poa"], 40, orgs, catalogue, _unit("UGAT-02"))
    _grow(world["poa"], 40, orgs, catalogue, _unit("UGAT-03"))
    assert [_queries(client, url)[0] for url in urls] == few


def test_an_action_runs_the_same_queries_with_more_data(client, world, orgs, catalogue):  # noqa: F811
    action = world["action"]
    few, _ = _queries(client, _action_url(action))
    reviewer = UserFactory()
    for period in (2, 3, 4):
        ProgressReport.objects.create(
            action=action,
            period=period,
            achieved=1,
            by=UserFactory(),
            **validated(action, reviewer),
        )
    for n in range(5):
        BudgetLine.objects.create(
            action=action,
            source=FundingSource.objects.get(key="estatal"),
            expense_item=catalogue["item"],
            functional=catalogue["functional"],
            cofinancer=orgs["state_agency"],
            approved=Decimal("10.00"),
            modified=Decimal("10.00"),
        )
        _indicator(f"IND-{n}", action, True, orgs)
        _evaluation(f"Evaluación {n}", action, True, world["evaluation_program"])
        element = planning.element_add(
            plan=world["strategy"].plan,
            key=f"1.{n + 2}",
            name=f"Estrategia {n}",
            parent=world["strategy"].parent,
        )
        action.alignments.add(element)
    many, page = _queries(client, _action_url(action))
    assert many == few
    assert "Secretaría estatal" in page  # the co-financer
    assert "IND-4" in page
    assert "Evaluación 4" in page
    assert "Estrategia 4" in page


def test_the_territory_runs_the_same_queries_with_more_units(client, world):
    few, _ = _queries(client, reverse("portal:territory"))
    for n in range(20):
        _unit(f"UGAT-{n + 10}")
    many, page = _queries(client, reverse("portal:territory"))
    assert many == few
    assert "UGAT-29" in page


def test_the_map_data_is_served_from_the_cache(client, world):
    url = reverse("portal:poa_map", kwargs={"year": 2027})
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert len(queries) == 0
    assert again.content == first.content
    assert again["Content-Type"] == "application/geo+json"
