"""The demo plans: what a planner finds in the plan list and the alignment matrix after
`make run`: the state plan, the PDM, four sectoral programs and the PMOT, aligned with gaps."""

import datetime

import pytest
from django.db.models import Q

from pmot.actors import demo as actors_demo
from pmot.actors.models import Administration
from pmot.planning import demo
from pmot.planning.models import Alignment, Plan, PlanElement, Program
from tests.clock import DEMO_DAY, frozen

SECTORAL = ["ps-urbano", "ps-social", "ps-economico", "ps-ambiental"]
DEMO_PLANS = ["ped-ags", "pdm-2024-2027", *SECTORAL, "pmot"]


@pytest.fixture(autouse=True)
def _demo_day():
    """The demo follows the day it is loaded: these tests load it on the day of its story."""
    with frozen(DEMO_DAY):
        yield


@pytest.fixture
def loaded(db):
    actors_demo.load()
    return demo.load()


def aligned(element_q: Q, other_plan: str) -> set[str]:
    """Keys of the elements matching `element_q` linked to some element of `other_plan`,
    whichever side the link was entered from."""
    as_source = Alignment.objects.filter(target__plan__key=other_plan).values("source")
    as_target = Alignment.objects.filter(source__plan__key=other_plan).values("target")
    return set(
        PlanElement.objects.filter(element_q)
        .filter(Q(pk__in=as_source) | Q(pk__in=as_target))
        .values_list("key", flat=True)
    )


def keys(element_q: Q) -> set[str]:
    return set(PlanElement.objects.filter(element_q).values_list("key", flat=True))


def counts() -> dict[str, int]:
    return {
        "programs": Program.objects.count(),
        "plans": Plan.objects.count(),
        "elements": PlanElement.objects.count(),
        "alignments": Alignment.objects.count(),
        "program history": Program.history.count(),
        "plan history": Plan.history.count(),
        "element history": PlanElement.history.count(),
        "alignment history": Alignment.history.count(),
    }


def test_it_loads_the_state_plan_the_pdm_four_sectoral_programs_and_the_pmot(loaded):
    plans = {plan.key: plan for plan in Plan.objects.filter(key__in=DEMO_PLANS)}
    assert set(plans) == set(DEMO_PLANS)
    assert plans["ped-ags"].order == Plan.Order.STATE
    assert plans["pdm-2024-2027"].order == Plan.Order.MUNICIPAL
    assert {p.sector for p in plans.values() if p.order == Plan.Order.SECTORAL} == set(
        Plan.Sector.values
    )
    assert 60 <= plans["pdm-2024-2027"].elements.count() <= 90
    pmot_levels = [plans["pmot"].elements.filter(level=n).count() for n in range(3)]
    assert 3 <= pmot_levels[0] <= 4
    assert 8 <= pmot_levels[1] <= 12
    assert 20 <= pmot_levels[2] <= 25


def test_every_demo_plan_says_it_is_an_example(loaded):
    """No published tree exists to load: the demo writes its own and says so in the name."""
    for plan in Plan.objects.filter(key__in=DEMO_PLANS):
        assert "(ejemplo)" in plan.name, plan.key


def test_the_pmot_hangs_from_the_program_being_drafted(loaded):
    pmot = Plan.objects.get(key="pmot")
    program = pmot.program
    assert program.name == "Programa Municipal de Ordenamiento Territorial de Aguascalientes"
    assert (program.horizon_year, program.version, program.status) == (
        2045,
        "1.0",
        Program.Status.DRAFTING,
    )
    assert program.start_agreement is None  # without the committees demo, no agreement
    assert pmot.responsible.acronym == "IMPLAN"
    assert pmot.valid_from is None  # not in force before its approval and publication


def test_the_pdm_and_the_sectoral_programs_last_the_demo_administration(loaded):
    administration = Administration.objects.get()
    assert administration.start_date <= DEMO_DAY <= administration.end_date
    municipal = Plan.objects.filter(key__in=["pdm-2024-2027", *SECTORAL])
    assert municipal.count() == 5
    for plan in municipal:
        assert (plan.valid_from, plan.valid_until) == (
            administration.start_date,
            administration.end_date,
        ), plan.key


@pytest.mark.parametrize(
    ("day", "pdm", "ped"),
    [
        (datetime.date(2027, 10, 20), "pdm-2025-2028", "2022–2028"),
        (datetime.date(2028, 11, 30), "pdm-2026-2029", "2028–2034"),
    ],
)
def test_loaded_another_year_the_plans_are_those_in_force_that_day(db, day, pdm, ped):
    actors_demo.load(day)
    demo.load(day)
    administration = Administration.objects.get()
    assert administration.start_date <= day <= administration.end_date
    assert demo.pdm_key(day) == pdm
    municipal = Plan.objects.filter(key__in=[pdm, *SECTORAL])
    assert municipal.count() == 5
    for plan in municipal:
        assert (plan.valid_from, plan.valid_until) == (
            administration.start_date,
            administration.end_date,
        ), plan.key
    state = Plan.objects.get(key="ped-ags")
    assert state.valid_from <= day <= state.valid_until
    assert ped in state.name


def test_lines_of_action_are_in_the_charge_of_organizations_of_the_demo(loaded):
    pdm = Plan.objects.get(key="pdm-2024-2027")
    assert pdm.responsible.acronym == "Ayuntamiento"
    lines = pdm.elements.filter(level=3)
    in_charge = set(lines.exclude(responsible=None).values_list("responsible__acronym", flat=True))
    assert in_charge == {"IMPLAN", "SOP", "SEDUM"}
    assert lines.get(key="PDM-1.2.2.1").responsible.acronym == "SOP"  # storm drains
    assert lines.filter(responsible=None).exists()  # water and finance: not in the actors demo


def test_running_it_again_changes_nothing(loaded):
    before = counts()
    names = list(PlanElement.objects.order_by("pk").values_list("key", "name", "responsible"))

    demo.load()

    assert counts() == before
    assert list(PlanElement.objects.order_by("pk").values_list("key", "name", "responsible")) == (
        names
    )


def test_the_first_run_records_each_demo_row_once_in_the_history(db):
    actors_demo.load()
    before = counts()
    demo.load()
    after = counts()
    for model in ("program", "plan", "element", "alignment"):
        added = after[f"{model}s"] - before[f"{model}s"]
        assert added > 0, model
        assert after[f"{model} history"] - before[f"{model} history"] == added, model


@pytest.mark.parametrize("plan_key", DEMO_PLANS)
def test_each_tree_fills_exactly_the_levels_its_plan_names(loaded, plan_key):
    plan = Plan.objects.get(key=plan_key)
    elements = list(plan.elements.select_related("parent"))
    for element in elements:
        if element.parent is None:
            assert element.level == 0, element.key
        else:
            assert element.parent.plan_id == plan.pk
            assert element.level == element.parent.level + 1, element.key
        # The key spells the path: "PDM-1.2.3" is a strategy under objective "PDM-1.2".
        assert element.key.count(".") == element.level, element.key
    assert {e.level for e in elements} == set(range(len(plan.level_names)))


def test_two_pmot_strategies_are_deliberately_aligned_to_nothing(loaded):
    strategies = Q(plan__key="pmot", level=2)
    linked = {
        key
        for other in ["pdm-2024-2027", "ods", "ped-ags", *SECTORAL]
        for key in aligned(strategies, other)
    }
    assert keys(strategies) - linked == {"PMOT-1.2.3", "PMOT-4.2.4"}
    assert aligned(strategies, "pdm-2024-2027") == linked  # the others, to PDM lines of action


def test_three_pdm_lines_of_action_deliberately_have_no_pmot_strategy(loaded):
    lines = Q(plan__key="pdm-2024-2027", level=3)
    assert keys(lines) - aligned(lines, "pmot") == {"PDM-2.2.1.3", "PDM-3.1.2.1", "PDM-4.1.2.1"}
    # PMOT strategies reach PDM lines of action, not its axes or objectives.
    pmot_links = Alignment.objects.filter(
        Q(source__plan__key="pmot", target__plan__key="pdm-2024-2027")
        | Q(target__plan__key="pmot", source__plan__key="pdm-2024-2027")
    )
    assert {(a.source.level, a.target.level) for a in pmot_links} == {(2, 3)}


def test_every_pdm_objective_is_aligned_to_a_state_objective(loaded):
    objectives = Q(plan__key="pdm-2024-2027", level=1)
    assert aligned(objectives, "ped-ags") == keys(objectives)
    state_ends = PlanElement.objects.filter(
        aligned_from__source__plan__key="pdm-2024-2027", plan__key="ped-ags"
    )
    assert set(state_ends.values_list("level", flat=True)) == {1}


@pytest.mark.parametrize("plan_key", ["pmot", *SECTORAL])
def test_pmot_and_sectoral_objectives_align_to_sdg_targets(loaded, plan_key):
    objective_level = 1 if plan_key == "pmot" else 0
    objectives = Q(plan__key=plan_key, level=objective_level)
    assert aligned(objectives, "ods") == keys(objectives)


def test_sdg_alignments_point_at_real_targets_not_goals(loaded):
    targets = PlanElement.objects.filter(plan__key="ods", aligned_from__isnull=False).distinct()
    assert {"11.3", "11.7", "6.4", "13.1", "15.1"} <= set(targets.values_list("key", flat=True))
    for target in targets.select_related("parent"):
        assert target.level == 1, target.key  # a target (meta), never a whole goal
        assert target.key.split(".")[0] == target.parent.key, target.key
    # The demo adds no SDG elements of its own: still the 17 goals and 169 targets.
    assert PlanElement.objects.filter(plan__key="ods").count() == 17 + 169


def test_with_the_council_demo_the_designation_agreement_started_the_program(db):
    from committees import demo as committees_demo
    from pmot.actors import demo as actors_demo

    actors_demo.load()
    committees_demo.load()
    demo.load()
    program = Program.objects.get()
    assert "Designación del COPLADEM" in program.start_agreement.item.title
    demo.load()
    assert program.history.count() == 2  # created, then started; a second load writes nothing
