"""The traceability chain of a PMOT strategy (issue 7): every link of the chain on one page,
both ways; who may read it; a fixed number of queries whatever the size.

The world (built through the services, as in real life):

Cabildo agreement → COPLADEM designated to coordinate; program with phase 3 (formulation) open.
PMOT  1 Ciudad compacta → strategies 1.1 Redensificar (→ line 1.1.1) and 1.2
PDM   M1 → lines M1.1 (1.1 aligned to it) and M1.2 (aligned to 1.1); M1.1 → SDG 11.1
Actions   A (2027) aligned to 1.1: $1,000,000 modified, $400,000 exercised; 50 of 100 achieved
          B (2027) aligned to 1.1.1 and 1.2: $3,000,000 modified, $600,000 exercised; 30 of 200
          C (2027) aligned to 1.1: no money; 10 of 10 achieved
          D (2026) aligned to 1.1: $500,000 modified and exercised; 4 of 4 achieved
Indicators  I-1 of strategy 1.1 (green in 2026-T2), I-2 of action B (no report), both reported
            by Obras Públicas; I-3 of strategy 1.2
Evaluation  of strategy 1.1 and action B, with recommendation 1; an agreement acts on it.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgeting.models import Action, BudgetLine, ProgressReport
from budgeting.services import money
from budgeting.services import poa as poa_services
from committees import services as committees
from committees.models import Agreement, Body, Vote
from committees.rules import Choice
from evaluation.models import Evaluation, EvaluationProgram, Indicator, Recommendation
from evaluation.selectors.chain import Scope, chain
from evaluation.services import indicators as indicator_services
from phases.models import Phase
from phases.services import work as phases
from pmot.planning.models import Alignment, Plan, PlanElement, Program
from pmot.planning.services import plans as planning
from tests.budgeting import conftest as budgeting_fixtures
from tests.budgeting.progress import validated, validated_progress
from tests.clock import frozen
from tests.committees import conftest as committees_fixtures
from tests.conftest import ALL_PERSONAS, ROLE_PERSONAS
from tests.evaluation.conftest import TODAY
from tests.factories import UserFactory

# Fixtures of the budgeting and committees tests this world stands on.
catalogue = budgeting_fixtures.catalogue
draft_poa = budgeting_fixtures.draft_poa
make_action = budgeting_fixtures.make_action
agreement_type = committees_fixtures.agreement_type
cabildo = committees_fixtures.cabildo
open_session = committees_fixtures.open_session

DAY_2027 = datetime.date(2027, 3, 15)
DAY_2026 = datetime.date(2026, 3, 15)


def _element(plan, key, name, parent=None):
    return planning.element_add(plan=plan, key=key, name=name, parent=parent)


def _money(action, source, catalogue, modified, exercised, day, by):
    """A line approved with `modified`, then (once the POA is approved) exercised."""
    line = money.line_add(
        action=action,
        source=source,
        expense_item=catalogue["item"],
        functional=catalogue["functional"],
    )
    money.movement_record(line=line, stage="approved", amount=modified, date=day, by=by)
    return line, exercised


def _exercise(line, amount, day, by):
    for stage in ("committed", "accrued", "exercised"):
        money.movement_record(line=line, stage=stage, amount=amount, date=day, by=by)


@pytest.fixture
def council_vote(cabildo, open_session):
    """An approved agreement of the Cabildo on `subject`: 8 of 15 present, all in favour (a
    lighter vote than tests/planning's, which the world needs four times)."""
    _, members, _ = cabildo

    def vote(subject=None):
        _, item = open_session(present=8, subject=subject)
        ballot = committees.vote_open(item=item, method=Vote.Method.ECONOMIC)
        for member in members[:8]:
            committees.vote_cast(vote=ballot, user=member.user, choice=Choice.FOR)
        agreement = committees.vote_close(vote=ballot)
        assert agreement.status == "approved"
        return agreement

    return vote


def _approve(poa, council_vote):
    poa_services.poa_submit(poa=poa)
    council_vote(subject=poa)  # the hook approves it
    poa.refresh_from_db()
    assert poa.is_approved


@pytest.fixture
def world(
    pmot_strategy, draft_poa, make_action, make_indicator, catalogue, council_vote, orgs, settings
):
    settings.PMOT_PROGRESS_GAP_POINTS = 20
    by = UserFactory()
    # The coordinating body, designated by the Cabildo.
    copladem = Body.objects.create(name="COPLADEM", key="COPLADEM", kind=Body.Kind.COPLADEM)
    designation_agreement = council_vote(subject=copladem)
    # The program and its phases: formulation in progress.
    program = Program.objects.create(name="PMOT de Aguascalientes", horizon_year=2045)
    phases.phases_prepare(program=program)
    Phase.objects.filter(program=program, number__lte=3).update(
        status=Phase.Status.OPEN, actual_start=datetime.date(2026, 1, 15)
    )
    # The PMOT and the PDM.
    pmot = pmot_strategy.plan
    pmot.program = program
    pmot.level_names = ["Eje", "Estrategia", "Línea de acción"]
    pmot.save()
    e = {"1": pmot_strategy.parent, "1.1": pmot_strategy}
    e["1.1.1"] = _element(pmot, "1.1.1", "Lotes baldíos", e["1.1"])
    e["1.2"] = _element(pmot, "1.2", "Movilidad", e["1"])
    pdm = Plan.objects.create(
        key="pdm", name="Plan de Desarrollo Municipal", order=Plan.Order.MUNICIPAL,
        level_names=["Eje", "Línea de acción"],
    )  # fmt: skip
    e["M1"] = _element(pdm, "M1", "Municipio ordenado")
    e["M1.1"] = _element(pdm, "M1.1", "Vivienda vertical", e["M1"])
    e["M1.2"] = _element(pdm, "M1.2", "Suelo servido", e["M1"])
    e["11.1"] = PlanElement.objects.get(plan__order=Plan.Order.SDG, key="11.1")
    planning.alignment_add(source=e["1.1"], target=e["M1.1"])
    planning.alignment_add(source=e["M1.2"], target=e["1.1"])
    planning.alignment_add(source=e["M1.1"], target=e["11.1"])
    # The POA 2027: A, B, C.
    propios, fismdf = catalogue["source"], catalogue["fismdf"]
    poa = draft_poa
    a = make_action(poa, key="A", target=Decimal("100"))
    b = make_action(poa, key="B", target=Decimal("200"), name="Vivienda en lotes baldíos")
    c = make_action(poa, key="C", target=Decimal("10"), name="Gestión de permisos")
    poa_services.action_align(action=a, elements=[e["1.1"]])
    poa_services.action_align(action=b, elements=[e["1.1.1"], e["1.2"]])
    poa_services.action_align(action=c, elements=[e["1.1"]])
    a_line = _money(a, propios, catalogue, "1000000.00", None, DAY_2027, by)[0]
    b_line = _money(b, propios, catalogue, "2000000.00", None, DAY_2027, by)[0]
    b_line2 = money.line_add(
        action=b,
        source=fismdf,
        expense_item=catalogue["item"],
        functional=catalogue["functional"],
        fismdf_category="urbanization",
    )
    money.movement_record(line=b_line2, stage="approved", amount="1000000.00", date=DAY_2027, by=by)
    _approve(poa, council_vote)
    _exercise(a_line, "400000.00", DAY_2027, by)
    _exercise(b_line, "600000.00", DAY_2027, by)
    validated_progress(action=a, period=1, achieved="50", by=by)
    validated_progress(action=b, period=1, achieved="30", by=by)
    validated_progress(action=c, period=1, achieved="10", by=by)
    # The POA 2026: D.
    poa26 = poa_services.poa_create(fiscal_year=2026)
    d = make_action(poa26, key="D", target=Decimal("4"), name="Parque lineal")
    poa_services.action_align(action=d, elements=[e["1.1"]])
    d_line = _money(d, propios, catalogue, "500000.00", None, DAY_2026, by)[0]
    _approve(poa26, council_vote)
    _exercise(d_line, "500000.00", DAY_2026, by)
    validated_progress(action=d, period=1, achieved="4", by=by)
    # Indicators.
    i1 = make_indicator("I-1", name="Densidad de vivienda")
    i2 = make_indicator("I-2", name="Viviendas construidas", element=None, action=b)
    i3 = make_indicator("I-3", name="Viajes en transporte público", element=e["1.2"])
    period = i1.period(2026, 2)
    indicator_services.target_set(
        indicator=i1, year=2026, number=2, value="50", by=by, today=period.start
    )
    indicator_services.measurement_report(
        indicator=i1, year=2026, number=2, a="50", b="100", by=by, today=TODAY
    )
    # An evaluation of the strategy and action B, its recommendation, and an agreement on it.
    evaluation = Evaluation.objects.create(
        program=EvaluationProgram.objects.create(year=2027, title="PAE 2027"),
        title="Evaluación de diseño de la redensificación",
        kind=Evaluation.Kind.DESIGN,
        evaluator="Consultora Bajío",
        start=datetime.date(2027, 2, 1),
        end=datetime.date(2027, 6, 30),
    )
    evaluation.elements.add(e["1.1"])
    evaluation.actions.add(b)
    recommendation = Recommendation.objects.create(
        evaluation=evaluation,
        number=1,
        text="Priorizar lotes con servicios.",
        responsible=orgs["works"],
        due=datetime.date(2027, 12, 31),
    )
    recommendation_agreement = council_vote(subject=recommendation)
    return {
        "e": e,
        "actions": {"A": a, "B": b, "C": c, "D": d},
        "poas": (poa, poa26),
        "indicators": (i1, i2, i3),
        "evaluation": evaluation,
        "recommendation": recommendation,
        "designation_agreement": designation_agreement,
        "recommendation_agreement": recommendation_agreement,
        "copladem": copladem,
        "program": program,
    }


def chain_page(client, element):
    return client.get(reverse("evaluation:chain", args=[element.pk]))


@pytest.fixture
def freeze_today():
    """The chain reads the lights of TODAY: the clock stopped on that day."""
    with frozen(TODAY):
        yield


@pytest.fixture
def planner_page(world, client_as, freeze_today):
    response = chain_page(client_as("planner"), world["e"]["1.1"])
    assert response.status_code == 200
    return response


# --- Each link of the chain --------------------------------------------------------------------


def test_the_chain_starts_at_the_agreement_that_designated_the_coordinating_body(
    world, planner_page
):
    body = planner_page.content.decode()
    agreement = world["designation_agreement"]
    assert "COPLADEM" in body
    assert reverse("committees:agreement_detail", args=[agreement.pk]) in body
    assert agreement.key in body


def test_it_shows_the_current_phase_and_the_formulation(planner_page):
    chain = planner_page.context["chain"]
    assert chain.current_phase.number == 3
    assert chain.formulation.status == Phase.Status.OPEN
    body = planner_page.content.decode()
    assert "Formulación (fase 3)" in body
    assert "En curso" in body
    assert reverse("phases:phase_detail", args=[3]) in body


def test_it_shows_the_strategy_and_its_axis(world, planner_page):
    chain = planner_page.context["chain"]
    assert [e.key for e in chain.path] == ["1", "1.1"]
    body = planner_page.content.decode()
    assert "Ciudad compacta" in body
    assert "Redensificar" in body


def test_the_alignment_shows_both_directions_and_the_sdg_through_the_pdm(world, planner_page):
    chain = planner_page.context["chain"]
    seen = {(link.own.key, link.other.key, link.outgoing) for link in chain.links}
    # entered from the strategy (strategy → PDM line), and from the PDM line (strategy ← line)
    assert seen == {("1.1", "M1.1", True), ("1.1", "M1.2", False)}
    assert [(link.own.key, link.other.key) for link in chain.through_pdm] == [("M1.1", "11.1")]
    body = planner_page.content.decode()
    assert "1.1 →" in body
    assert "1.1 ←" in body


def test_the_pdm_line_leads_back_to_the_strategy_chain(world, client_as):
    """From the PDM line's page (the other end), the chain of the strategy is one link away."""
    e = world["e"]
    for line in ("M1.1", "M1.2"):
        page = client_as("planner").get(
            reverse("planning:element_detail", args=["pdm", e[line].pk])
        )
        assert reverse("evaluation:chain", args=[e["1.1"].pk]) in page.content.decode()
        assert "Cadena de trazabilidad" in page.content.decode()


def test_the_actions_of_every_year_and_of_the_elements_below_are_listed_by_year(
    world, planner_page
):
    chain = planner_page.context["chain"]
    years = {group.fiscal_year: [row.action.key for row in group.rows] for group in chain.years}
    assert years == {2027: ["A", "B", "C"], 2026: ["D"]}
    b = next(row for row in chain.years[0].rows if row.action.key == "B")
    assert [element.key for element in b.aligned] == ["1.1.1"]  # 1.2 is another chain
    body = planner_page.content.decode()
    for action in world["actions"].values():
        assert reverse("budgeting:action_detail", args=[action.pk]) in body
    assert "Sin dinero: no pesa" in body


def test_the_money_by_source_and_stage(planner_page):
    chain = planner_page.context["chain"]
    by_source = {m.key: m.stages for m in chain.money}
    assert by_source["propios"]["modified"] == Decimal("3500000.00")
    assert by_source["propios"]["exercised"] == Decimal("1500000.00")
    assert by_source["propios"]["paid"] == Decimal("0.00")
    assert by_source["fismdf"]["approved"] == Decimal("1000000.00")
    assert chain.money_total["modified"] == Decimal("4500000.00")
    assert "$4,500,000.00" in planner_page.content.decode()


def test_the_indicators_of_the_strategy_and_of_its_actions_with_their_colour(world, planner_page):
    chain = planner_page.context["chain"]
    assert [i.key for i in chain.indicators] == ["I-1", "I-2"]  # I-3 measures strategy 1.2
    i1, i2, _ = world["indicators"]
    assert chain.lights[i1.pk].colour == "green"
    assert chain.lights[i2.pk].colour == "no_report"
    body = planner_page.content.decode()
    assert "Verde" in body
    assert "Sin reporte" in body


def test_the_evaluations_recommendations_and_the_agreements_acting_on_them(world, planner_page):
    chain = planner_page.context["chain"]
    assert chain.evaluations == [world["evaluation"]]
    assert chain.recommendations == 1
    acting = {(a.agreement.pk, a.kind) for a in chain.agreements}
    poa, poa26 = world["poas"]
    assert acting == {
        (poa.approval_agreement_id, "poa"),
        (poa26.approval_agreement_id, "poa"),
        (world["recommendation_agreement"].pk, "recommendation"),
    }
    body = planner_page.content.decode()
    assert "Evaluación de diseño de la redensificación" in body
    assert "Priorizar lotes con servicios." in body
    assert world["recommendation_agreement"].key in body
    assert "Recomendación 1 de “Evaluación de diseño de la redensificación”" in body


def test_the_sections_come_in_the_order_of_the_chain(planner_page):
    body = planner_page.content.decode()
    headings = [
        "Órgano coordinador",
        "Fase",
        "Estrategia y eje",
        "Alineación con el PDM y los ODS",
        "Acciones del POA",
        "Dinero por fuente de financiamiento y momento",
        "Avance físico contra financiero",
        "Indicadores",
        "Evaluaciones y recomendaciones",
        "Acuerdos que actúan sobre ellos",
    ]
    positions = [body.index(f"{n}. {h}</h2>") for n, h in enumerate(headings, start=1)]
    assert positions == sorted(positions)


def test_an_element_with_nothing_says_so(world, client_as, freeze_today):
    lonely = _element(world["e"]["1"].plan, "1.3", "Sin nada", world["e"]["1"])
    body = chain_page(client_as("planner"), lonely).content.decode()
    assert "Ninguna acción del POA está alineada a este elemento ni a los de abajo." in body
    assert "Aún no se alinea con el PDM ni con los ODS." in body


def test_from_the_action_page_and_the_element_page_to_the_chain(world, client_as):
    e, client = world["e"], client_as("council_member")
    url = reverse("evaluation:chain", args=[e["1.1"].pk])
    action_page = client.get(reverse("budgeting:action_detail", args=[world["actions"]["A"].pk]))
    assert url in action_page.content.decode()
    b_page = client.get(reverse("budgeting:action_detail", args=[world["actions"]["B"].pk]))
    for key in ("1.1.1", "1.2"):
        assert reverse("evaluation:chain", args=[e[key].pk]) in b_page.content.decode()
    element_page = client.get(reverse("planning:element_detail", args=["pmot", e["1.1"].pk]))
    assert url in element_page.content.decode()


# --- Who may read it ---------------------------------------------------------------------------


def test_who_reads_the_chain_and_the_index(world, client_as, freeze_today):
    """Every role reads both (internal records); the outsider may not (the chain hides like a
    missing record, the index refuses); the anonymous visitor is sent to log in. One world for
    every persona: building it takes seconds."""
    chain_url = reverse("evaluation:chain", args=[world["e"]["1.1"].pk])
    index_url = reverse("evaluation:chain_index")
    got = {}
    for name in ALL_PERSONAS:
        client = client_as(name)
        got[name] = (client.get(chain_url).status_code, client.get(index_url).status_code)
    expected = dict.fromkeys(ROLE_PERSONAS, (200, 200))
    expected |= {"outsider": (404, 403), "anonymous": (302, 302)}
    assert got == expected
    response = client_as("anonymous").get(chain_url)
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["state_liaison", "municipal_liaison", "citizen_rep"])
def test_an_organization_bound_reader_sees_every_indicator_of_the_chain(
    world, client_as, freeze_today, name
):
    """DOMAIN.md §8: an organization-bound role reads the records of other organizations."""
    response = chain_page(client_as(name), world["e"]["1.1"])
    assert [i.key for i in response.context["chain"].indicators] == ["I-1", "I-2"]
    assert "Densidad de vivienda" in response.content.decode()


def test_only_pmot_elements_have_a_chain(world, client_as):
    response = chain_page(client_as("planner"), world["e"]["M1.1"])
    assert response.status_code == 404


# --- The index ---------------------------------------------------------------------------------


def test_the_index_lists_each_strategy_with_its_rollup_and_colours(world, client_as, freeze_today):
    response = client_as("planner").get(reverse("evaluation:chain_index"))
    (axis,) = response.context["axes"]
    assert axis.element.key == "1"
    rows = {row.element.key: row for row in axis.strategies}
    assert list(rows) == ["1.1", "1.2"]
    assert rows["1.1"].rollup.physical == Decimal("32.2")
    assert rows["1.1"].indicators == 2
    assert {c.colour: c.count for c in rows["1.1"].colours} == {
        "green": 1,
        "yellow": 0,
        "red": 0,
        "no_report": 1,
    }
    assert rows["1.2"].indicators == 2  # I-3 of the strategy, I-2 of its action B
    body = response.content.decode()
    assert reverse("evaluation:chain", args=[world["e"]["1.1"].pk]) in body
    assert "32.2 %" in body


def test_the_index_narrows_to_a_fiscal_year(world, client_as, freeze_today):
    response = client_as("planner").get(reverse("evaluation:chain_index"), {"ejercicio": 2026})
    (axis,) = response.context["axes"]
    rows = {row.element.key: row for row in axis.strategies}
    assert rows["1.1"].rollup.actions == 1  # D
    assert rows["1.1"].rollup.physical == Decimal("100.0")
    assert rows["1.2"].rollup.actions == 0


def test_an_unknown_fiscal_year_is_refused_with_a_message(world, client_as, freeze_today):
    response = client_as("planner").get(reverse("evaluation:chain_index"), {"ejercicio": 1999})
    assert response.status_code == 400
    assert "No hay POA del ejercicio 1999." in response.content.decode()
    (axis,) = response.context["axes"]
    assert {row.element.key: row.rollup.actions for row in axis.strategies} == {"1.1": 4, "1.2": 1}


# --- A fixed number of queries -----------------------------------------------------------------

# Measured: 23 for the chain, 15 for the index, at both sizes (session, user and permissions
# included).
CHAIN_QUERIES = 25
INDEX_QUERIES = 17


def _grow(world, n: int, catalogue, make_indicator, orgs):
    """n more actions of 2027 aligned to the strategy or below, with money and progress, an
    indicator for every second one, and an evaluation of a few of them."""
    e = world["e"]
    poa = world["poas"][0]
    modality = catalogue["modality"]
    by, reviewer = UserFactory(), UserFactory()
    evaluation = Evaluation.objects.create(
        program=world["evaluation"].program,
        title="Evaluación de procesos",
        kind=Evaluation.Kind.PROCESSES,
        evaluator="Universidad",
        start=datetime.date(2027, 7, 1),
        end=datetime.date(2027, 9, 30),
    )
    for n_ in range(n):
        action = Action.objects.create(
            poa=poa,
            key=f"X-{n_:03}",
            name=f"Acción {n_}",
            kind="services",
            responsible=orgs["works"],
            modality=modality,
            target=Decimal(10),
            target_unit="servicios",
            calendar=[2.5] * 4,
            status="submitted",
        )
        action.alignments.add(e["1.1"] if n_ % 2 else e["1.1.1"])
        BudgetLine.objects.create(
            action=action,
            source=catalogue["source"],
            expense_item=catalogue["item"],
            functional=catalogue["functional"],
            approved=Decimal(1000 * (n_ + 1)),
            modified=Decimal(1000 * (n_ + 1)),
        )
        ProgressReport.objects.create(
            action=action, period=1, achieved=Decimal(n_ % 10), by=by, **validated(action, reviewer)
        )
        if n_ % 2:
            make_indicator(f"X-{n_:03}", element=None, action=action)
        if n_ % 5 == 0:
            evaluation.actions.add(action)
            Recommendation.objects.create(
                evaluation=evaluation,
                number=n_ + 1,
                text=f"Recomendación {n_}",
                responsible=orgs["works"],
                due=datetime.date(2027, 12, 31),
            )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["planner", "municipal_liaison"])
def test_the_chain_and_the_index_run_a_fixed_number_of_queries(
    world, client_as, catalogue, make_indicator, orgs, freeze_today, name,
    django_assert_max_num_queries,
):  # fmt: skip
    client = client_as(name)
    chain_url = reverse("evaluation:chain", args=[world["e"]["1.1"].pk])
    index_url = reverse("evaluation:chain_index")
    client.get(chain_url)  # sessions, content types and permissions cached as in real use
    small = (_count(client, chain_url), _count(client, index_url))
    with django_assert_max_num_queries(CHAIN_QUERIES):
        client.get(chain_url)
    _grow(world, 40, catalogue, make_indicator, orgs)
    large = (_count(client, chain_url), _count(client, index_url))
    assert large == small
    with django_assert_max_num_queries(CHAIN_QUERIES):
        response = client.get(chain_url)
    assert response.context["chain"].actions == 44
    with django_assert_max_num_queries(INDEX_QUERIES):
        client.get(index_url)


def test_every_reader_sees_the_strategies_on_the_index(world, client_as, freeze_today):
    for name in ROLE_PERSONAS:
        body = client_as(name).get(reverse("evaluation:chain_index")).content.decode()
        assert "Trazabilidad del PMOT" in body, name
        assert "Redensificar" in body, name


def test_a_scope_limits_the_chain_to_its_records(world, freeze_today):
    """Who reads decides what the chain holds: the public pages pass the published records
    and their own reading of the lights; nothing outside the scope reaches the chain."""
    i2 = world["indicators"][1]
    scope = Scope(
        actions=Action.objects.exclude(pk=world["actions"]["A"].pk),
        indicators=Indicator.objects.filter(pk=i2.pk),
        evaluations=Evaluation.objects.none(),
        alignments=Alignment.objects.filter(target__plan__order=Plan.Order.SDG),
        agreements=Agreement.objects.all(),
        lights=lambda indicators, today: {i.pk: None for i in indicators},
    )
    element = PlanElement.objects.select_related("plan__program").get(pk=world["e"]["1.1"].pk)
    found = chain(element, scope=scope)
    assert sorted(row.action.key for g in found.years for row in g.rows) == ["B", "C", "D"]
    assert found.indicators == [i2]
    assert found.lights == {i2.pk: None}
    assert found.evaluations == []
    assert found.links == []  # 1.1 aligns to PDM lines only
    assert {acting.kind for acting in found.agreements} == {"poa"}
