"""The plan pages for every persona, and the tree in a fixed number of queries."""

import pytest
from django.urls import reverse

from pmot.planning.models import Plan
from pmot.planning.services import plans as services
from tests.conftest import ALL_PERSONAS, ROLE_PERSONAS

READERS = dict.fromkeys(ROLE_PERSONAS, 200) | {"outsider": 403, "anonymous": 302}


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
@pytest.mark.parametrize(
    ("url", "table"),
    [
        (reverse("planning:plan_list"), READERS),
        (reverse("planning:plan_detail", args=["ods"]), READERS | {"outsider": 404}),
    ],
)
def test_plan_pages_by_persona(client_as, orgs, persona_name, url, table):
    assert client_as(persona_name).get(url).status_code == table[persona_name]


def test_the_sdg_tree_lists_each_goal_before_its_targets(client_as, orgs):
    page = client_as("citizen_rep").get(reverse("planning:plan_detail", args=["ods"])).text
    assert page.index("Fin de la Pobreza") < page.index("1.1") < page.index("Hambre Cero")


@pytest.mark.parametrize("size", [5, 500])
def test_a_plan_tree_runs_a_fixed_number_of_queries(
    client_as, orgs, django_assert_max_num_queries, size
):
    plan = Plan.objects.create(
        key="pdm", name="PDM", order="municipal", level_names=["Eje", "Objetivo", "Estrategia"]
    )
    axis = services.element_add(plan=plan, key="1", name="Eje")
    for n in range(size):
        objective = services.element_add(plan=plan, key=f"1.{n}", name="Objetivo", parent=axis)
        if n % 5 == 0:
            services.element_add(plan=plan, key=f"1.{n}.1", name="Estrategia", parent=objective)
    client = client_as("planner")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("planning:plan_detail", args=["pdm"]))
    assert response.status_code == 200
