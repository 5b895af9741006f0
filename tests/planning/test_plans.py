"""Plans as trees with their own level names, the SDGs shipped as data, and alignment."""

import pytest
from django.core.exceptions import ValidationError

from pmot.planning.models import Alignment, Plan, PlanElement
from pmot.planning.services import plans as services

PDM_LEVELS = ["Eje", "Objetivo", "Estrategia", "Línea de acción"]


@pytest.fixture
def pdm(db):
    return Plan.objects.create(
        key="pdm",
        name="Plan de Desarrollo Municipal 2024-2027",
        order="municipal",
        level_names=PDM_LEVELS,
    )


@pytest.fixture
def pmot_plan(db):
    return Plan.objects.create(
        key="pmot",
        name="PMOT",
        order="pmot",
        level_names=["Objetivo", "Estrategia"],
    )


def test_the_17_goals_and_169_targets_ship_in_spanish(db):
    sdgs = Plan.objects.get(key="ods")
    assert sdgs.elements.filter(level=0).count() == 17
    assert sdgs.elements.filter(level=1).count() == 169
    target = PlanElement.objects.get(plan=sdgs, key="11.3")
    assert target.parent.key == "11"
    assert target.name.startswith("De aquí a 2030")
    assert target.level_name == "Meta"


def test_an_element_takes_the_level_below_its_parent_and_its_name(pdm):
    axis = services.element_add(plan=pdm, key="1", name="Ciudad ordenada")
    objective = services.element_add(plan=pdm, key="1.1", name="Crecimiento compacto", parent=axis)
    assert (axis.level, objective.level) == (0, 1)
    assert objective.level_name == "Objetivo"


def test_a_plan_cannot_grow_below_its_last_level(pmot_plan):
    objective = services.element_add(plan=pmot_plan, key="O1", name="Objetivo")
    strategy = services.element_add(plan=pmot_plan, key="E1", name="Estrategia", parent=objective)
    with pytest.raises(ValidationError, match="2"):
        services.element_add(plan=pmot_plan, key="L1", name="Línea", parent=strategy)
    assert pmot_plan.elements.count() == 2


@pytest.mark.parametrize(("key", "name"), [("", "Sin clave"), ("1", "  ")])
def test_an_element_needs_a_key_and_a_name(pdm, key, name):
    with pytest.raises(ValidationError):
        services.element_add(plan=pdm, key=key, name=name)
    assert not pdm.elements.exists()


def test_keys_are_unique_within_a_plan(pdm, pmot_plan):
    services.element_add(plan=pdm, key="1", name="Eje uno")
    services.element_add(plan=pmot_plan, key="1", name="Otro plan, misma clave")
    with pytest.raises(ValidationError):
        services.element_add(plan=pdm, key="1", name="Repetido")


def test_an_alignment_is_shown_from_both_sides_and_stored_once(pdm, pmot_plan):
    strategy = services.element_add(plan=pmot_plan, key="O1", name="Objetivo territorial")
    axis = services.element_add(plan=pdm, key="1", name="Ciudad ordenada")
    target = PlanElement.objects.get(plan__key="ods", key="11.3")
    services.alignment_add(source=strategy, target=axis)
    services.alignment_add(source=target, target=strategy)

    assert set(services.alignments_of(strategy)) == {axis, target}
    assert set(services.alignments_of(axis)) == {strategy}
    with pytest.raises(ValidationError):
        services.alignment_add(source=axis, target=strategy)
    assert Alignment.objects.count() == 2


def test_alignment_links_different_plans_only(pdm):
    axis = services.element_add(plan=pdm, key="1", name="Eje")
    other = services.element_add(plan=pdm, key="2", name="Otro eje")
    with pytest.raises(ValidationError):
        services.alignment_add(source=axis, target=other)
    assert not Alignment.objects.exists()
