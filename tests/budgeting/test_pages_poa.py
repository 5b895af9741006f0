"""The POA list and the POA table (*cuadro del POA*) for every persona: who sees them, who
changes the POA's status, filters and sorting, and a fixed number of queries at 10 and 2,000
actions."""

# The fixtures of pages_fixtures are imported, then named as arguments.
# ruff: noqa: F811

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from budgeting.models import Modification, Poa
from budgeting.services import poa as poa_services
from tests.budgeting.pages_fixtures import cofinanced, many_actions  # noqa: F401
from tests.conftest import ALL_PERSONAS, ROLE_PERSONAS

PLANNERS = {"admin", "planner"}
# A list refuses the outsider (403); an object is hidden from them (404); anonymous: login.
LIST = dict.fromkeys(ROLE_PERSONAS, 200) | {"outsider": 403, "anonymous": 302}
OBJECT = LIST | {"outsider": 404}
# Refused writes of the POA: everyone but the planners.
REFUSED = {"anonymous": 302, "outsider": 404}
# The table page runs 20 queries for a planner on a draft POA (session, user, permissions, the
# table in four, its filters in three, the reasons it cannot be submitted in two…), whatever the
# number of actions; its modifications with what they request and what was authorized before,
# and the progress waiting for validation; a little room for the base template.
TABLE_QUERIES = 26


def refused(persona_name, on_object=True):
    if persona_name == "anonymous":
        return 302
    if persona_name == "outsider":
        return 404 if on_object else 403
    return 403


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_the_poa_pages_by_persona(client_as, approved_poa, persona_name):
    poa, _, _ = approved_poa
    client = client_as(persona_name)
    assert client.get(reverse("budgeting:poa_list")).status_code == LIST[persona_name]
    detail = client.get(reverse("budgeting:poa_detail", args=[poa.pk]))
    assert detail.status_code == OBJECT[persona_name]
    if persona_name == "anonymous":
        assert detail["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_creating_a_poa_by_persona(client_as, db, persona_name):
    response = client_as(persona_name).post(
        reverse("budgeting:poa_create"), {"fiscal_year": "2028"}
    )
    created = Poa.objects.filter(fiscal_year=2028).first()
    if persona_name in PLANNERS:
        assert response.status_code == 302
        assert response["Location"] == reverse("budgeting:poa_detail", args=[created.pk])
    else:
        assert response.status_code == refused(persona_name, on_object=False)
        assert created is None


def test_a_second_poa_of_the_same_year_is_refused_on_the_page(client_as, draft_poa):
    response = client_as("planner").post(reverse("budgeting:poa_create"), {"fiscal_year": "2027"})
    assert response.status_code == 400
    assert "Ya hay un POA 2027 para esa unidad." in response.text
    assert Poa.objects.filter(fiscal_year=2027).count() == 1


def test_only_planners_see_the_create_form_and_the_status_actions(client_as, draft_poa):
    for name, sees in (("planner", True), ("council_member", False)):
        client = client_as(name)
        assert ('action="/poa/nuevo/"' in client.get(reverse("budgeting:poa_list")).text) is sees
        page = client.get(reverse("budgeting:poa_detail", args=[draft_poa.pk])).text
        assert ("Enviar a aprobación" in page) is sees


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_submitting_a_poa_by_persona(
    client_as, draft_poa, make_action, pmot_strategy, persona_name
):
    action = make_action(draft_poa)
    poa_services.action_align(action=action, elements=[pmot_strategy])
    poa_services.action_submit(action=action)
    response = client_as(persona_name).post(reverse("budgeting:poa_submit", args=[draft_poa.pk]))
    draft_poa.refresh_from_db()
    if persona_name in PLANNERS:
        assert response.status_code == 302
        assert draft_poa.status == Poa.Status.SUBMITTED
    else:
        assert response.status_code == refused(persona_name)
        assert draft_poa.status == Poa.Status.DRAFT


def test_a_poa_that_cannot_be_submitted_says_why(client_as, draft_poa, make_action):
    make_action(draft_poa, key="A-07")
    client = client_as("planner")
    page = client.get(reverse("budgeting:poa_detail", args=[draft_poa.pk])).text
    assert "El POA todavía no puede enviarse:" in page
    assert "La acción A-07 no está enviada: No está alineada a ningún elemento" in page
    response = client.post(reverse("budgeting:poa_submit", args=[draft_poa.pk]), follow=True)
    assert "La acción A-07 no está enviada" in response.text
    draft_poa.refresh_from_db()
    assert draft_poa.status == Poa.Status.DRAFT


def test_a_planner_returns_a_submitted_poa_to_draft(
    client_as, draft_poa, make_action, pmot_strategy
):
    action = make_action(draft_poa)
    poa_services.action_align(action=action, elements=[pmot_strategy])
    poa_services.action_submit(action=action)
    poa_services.poa_submit(poa=draft_poa)
    client_as("council_member").post(reverse("budgeting:poa_return", args=[draft_poa.pk]))
    draft_poa.refresh_from_db()
    assert draft_poa.status == Poa.Status.SUBMITTED
    client_as("planner").post(reverse("budgeting:poa_return", args=[draft_poa.pk]))
    draft_poa.refresh_from_db()
    assert draft_poa.status == Poa.Status.DRAFT


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_opening_a_modification_by_persona(client_as, approved_poa, persona_name):
    poa, _, _ = approved_poa
    response = client_as(persona_name).post(
        reverse("budgeting:modification_open", args=[poa.pk]), {"reason": "Ampliación FISMDF"}
    )
    poa.refresh_from_db()
    # IMPLAN's planners, and the organization that runs an action of the POA (Obras Públicas).
    if persona_name in PLANNERS | {"municipal_liaison"}:
        assert response.status_code == 302
        assert poa.status == Poa.Status.MODIFIED
        assert Modification.objects.get(poa=poa).reason == "Ampliación FISMDF"
    else:
        assert response.status_code == refused(persona_name)
        assert poa.status == Poa.Status.APPROVED
        assert not Modification.objects.exists()


def test_a_planner_closes_an_approved_poa_and_not_a_draft(client_as, approved_poa):
    poa, _, _ = approved_poa
    client = client_as("planner")
    client.post(reverse("budgeting:poa_close", args=[poa.pk]))
    poa.refresh_from_db()
    assert poa.status == Poa.Status.CLOSED
    draft = poa_services.poa_create(fiscal_year=2028)
    response = client.post(reverse("budgeting:poa_close", args=[draft.pk]), follow=True)
    assert "Solo se cierra un POA aprobado." in response.text
    draft.refresh_from_db()
    assert draft.status == Poa.Status.DRAFT


def test_status_actions_refuse_get(client_as, approved_poa):
    poa, _, _ = approved_poa
    # Closing has a confirmation page of its own (tests/budgeting/test_poa_close_page.py).
    for name in ("poa_submit", "poa_return", "modification_open"):
        response = client_as("planner").get(reverse(f"budgeting:{name}", args=[poa.pk]))
        assert response.status_code == 405, name


# --- The table -----------------------------------------------------------------------------------


def test_the_table_shows_each_action_with_its_money_progress_and_totals(client_as, cofinanced):
    poa, action, _, _ = cofinanced
    page = client_as("council_member").get(reverse("budgeting:poa_detail", args=[poa.pk])).text
    assert action.key in page
    assert 'title="PMOT: Redensificar">1.1<' in page
    assert "Recursos propios municipales" in page
    assert "Recursos estatales" in page
    assert "$1,500,000.00" in page  # modified: own resources plus the state's increase
    assert "$500,000.00" in page
    assert "Totales" in page


def test_the_table_filters_and_sorts(client_as, draft_poa, make_action, orgs, catalogue):
    make_action(draft_poa, key="A-01", name="Pavimentación del centro")
    make_action(
        draft_poa,
        key="A-02",
        name="Ventanilla de trámites",
        kind="procedures",
        responsible=orgs["state_agency"],
    )
    client = client_as("planner")
    url = reverse("budgeting:poa_detail", args=[draft_poa.pk])
    page = client.get(url, {"tipo": "procedures"}).text
    assert "Ventanilla de trámites" in page
    assert "Pavimentación del centro" not in page
    page = client.get(url, {"responsable": orgs["works"].pk}).text
    assert "Pavimentación del centro" in page
    assert "Ventanilla de trámites" not in page
    page = client.get(url, {"q": "ventanilla"}).text
    assert "Pavimentación del centro" not in page
    page = client.get(url, {"orden": "nombre", "q": ""}).text
    assert page.index("Pavimentación del centro") < page.index("Ventanilla de trámites")
    page = client.get(url, {"orden": "responsable"}).text
    # Obras Públicas (SOP) before Secretaría estatal (SE)
    assert page.index("Pavimentación del centro") < page.index("Ventanilla de trámites")
    # A nonsense filter is ignored rather than an error.
    assert client.get(url, {"tipo": "nada", "orden": "x"}).status_code == 200


@pytest.mark.parametrize("size", [10, 2000])
def test_the_table_runs_a_fixed_number_of_queries(
    client_as, draft_poa, many_actions, size, django_assert_max_num_queries
):
    many_actions(draft_poa, size)
    client = client_as("planner")
    url = reverse("budgeting:poa_detail", args=[draft_poa.pk])
    client.get(url)  # the session and permissions warm up
    with django_assert_max_num_queries(TABLE_QUERIES):
        response = client.get(url, {"orden": "modificado"})
    assert response.status_code == 200
    if size > 100:
        with django_assert_max_num_queries(TABLE_QUERIES):
            page = client.get(url, {"orden": "clave", "pagina": "2"}).text
        assert "Página 2 de 20" in page
        assert "B-0100" in page
        assert "B-0099" not in page
        assert "Totales de todas las páginas" in page
        assert "$4,000,000.00" in page  # 2,000 actions × 2 lines × $1,000 modified


def test_the_same_queries_at_10_and_2000_actions(client_as, many_actions, db):
    client = client_as("council_member")
    counts = []
    for year, size in ((2027, 10), (2028, 2000)):
        poa = poa_services.poa_create(fiscal_year=year)
        many_actions(poa, size)
        url = reverse("budgeting:poa_detail", args=[poa.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"fuente": "", "orden": "ejercido"}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_poa_list_runs_a_fixed_number_of_queries(
    client_as, many_actions, db, django_assert_max_num_queries
):
    for year in (2026, 2027, 2028):
        many_actions(poa_services.poa_create(fiscal_year=year), 20)
    client = client_as("planner")
    client.get(reverse("budgeting:poa_list"))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("budgeting:poa_list")).text
    assert "$40,000.00" in page  # 20 actions × 2 lines × $1,000
