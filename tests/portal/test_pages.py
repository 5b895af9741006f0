"""The portal's pages: the public home, the staff's start page and its navigation, the health
check, and lists whose number of queries does not grow with their rows."""

import pytest
from django.urls import reverse
from factory import Transformer

from pmot.actors.roles import Role, Sector
from pmot.actors.services import memberships as services
from tests.conftest import ROLE_PERSONAS
from tests.factories import OrganizationFactory, UserFactory, membership

TITLE = "Programa Municipal de Ordenamiento Territorial"
DEMO_BANNER = "Datos de demostración: todas las personas"

SPANISH_ROLE = {
    "admin": "Administrador(a) del IMPLAN",
    "planner": "Planeador(a) del IMPLAN",
    "secretary": "Secretario(a) del Ayuntamiento",
    "council_member": "Integrante del Cabildo",
    "body_member": "Integrante del órgano coordinador",
    "municipal_liaison": "Enlace municipal",
    "state_liaison": "Enlace estatal",
    "federal_liaison": "Enlace federal",
    "private_rep": "Representante del sector privado",
    "citizen_rep": "Representante ciudadano",
}
ORGANIZATIONS_LINK = 'href="/organizaciones/"'


# --- Public home ---------------------------------------------------------------------------


def test_the_home_page_is_public_and_in_spanish(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert TITLE in response.text
    assert "Municipal Territorial Ordering Program" not in response.text
    assert '<html lang="es-mx">' in response.text


def test_the_home_page_stays_in_spanish_when_the_browser_asks_for_english(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert TITLE in response.text
    assert "Staff login" not in response.text


def test_the_home_page_warns_that_it_shows_demo_data(client, db, settings):
    settings.PMOT_DEMO_DATA = True
    assert DEMO_BANNER in client.get("/").text


def test_the_home_page_has_no_demo_warning_on_real_data(client, db, settings):
    settings.PMOT_DEMO_DATA = False
    response = client.get("/")
    assert TITLE in response.text
    assert DEMO_BANNER not in response.text
    assert "demo-banner" not in response.text


def test_the_home_page_offers_the_login_to_anonymous_visitors(client, db):
    response = client.get("/")
    assert f'href="{reverse("login")}"' in response.text
    assert ORGANIZATIONS_LINK not in response.text


# --- Start page ----------------------------------------------------------------------------


def test_the_start_page_sends_anonymous_visitors_to_the_login(client, db):
    response = client.get("/inicio/")
    assert response.status_code == 302
    assert response["Location"] == "/acceso/?next=/inicio/"


@pytest.mark.parametrize("persona_name", ROLE_PERSONAS)
def test_the_start_page_greets_the_person_and_lists_their_role_in_spanish(
    client_as, persona, persona_name
):
    user = persona(persona_name)
    user.first_name = "Sofía"
    user.save(update_fields=["first_name"])

    response = client_as(persona_name).get("/inicio/")

    assert response.status_code == 200
    assert "Hola, Sofía" in response.text
    assert "Mis roles" in response.text
    assert f"<strong>{SPANISH_ROLE[persona_name]}</strong>" in response.text


def test_the_start_page_lists_every_current_role_and_no_ended_one(client_as, persona, orgs):
    user = persona("planner")
    membership(user, orgs["university"], Role.BODY_MEMBER)
    ended = membership(user, orgs["works"], Role.MUNICIPAL_LIAISON)
    services.membership_end(membership=ended)

    response = client_as("planner").get("/inicio/")

    assert "<strong>Planeador(a) del IMPLAN</strong>" in response.text
    assert "<strong>Integrante del órgano coordinador</strong>" in response.text
    assert "Enlace municipal" not in response.text


def test_the_start_page_tells_an_outsider_they_hold_no_role(client_as):
    response = client_as("outsider").get("/inicio/")
    assert response.status_code == 200
    assert "Aún no tiene ningún rol." in response.text


def test_the_navigation_shows_organizations_to_a_planner(client_as):
    response = client_as("planner").get("/inicio/")
    assert ORGANIZATIONS_LINK in response.text
    assert ">Organizaciones</a>" in response.text


def test_the_navigation_hides_organizations_from_a_person_with_no_role(client_as):
    response = client_as("outsider").get("/inicio/")
    assert response.status_code == 200
    assert ORGANIZATIONS_LINK not in response.text
    assert ">Organizaciones</a>" not in response.text
    assert 'href="/personas/"' not in response.text


# --- Health check --------------------------------------------------------------------------


def test_the_health_check_answers_anyone_while_the_database_answers(client, db):
    response = client.get("/salud/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


# --- Lists: queries do not grow with rows --------------------------------------------------

# Session, user, two for the roles' permissions, the municipality in the header, the count and
# the page (and its memberships, for people), then the session saved again (3 with savepoints).
LIST_QUERIES = 11


@pytest.mark.parametrize("rows", [5, 200])
def test_the_organization_list_runs_the_same_queries_for_few_or_many_rows(
    client_as, orgs, rows, django_assert_max_num_queries
):
    parent = orgs["council"]
    for n in range(rows):
        OrganizationFactory(name=f"Unidad {n:03}", parent=parent, sector=Sector.MUNICIPAL)
    client = client_as("planner")
    client.get("/inicio/")  # the session and the permission cache are warm

    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(reverse("actors:organization_list"))

    assert response.status_code == 200
    shown = response.text.count('<td><span class="badge badge--')
    assert shown == min(rows + len(orgs), 25)
    assert "H. Ayuntamiento" in response.text  # the parent unit's name is shown


@pytest.mark.parametrize("rows", [5, 200])
def test_the_people_list_runs_the_same_queries_for_few_or_many_rows(
    client_as, orgs, rows, django_assert_max_num_queries
):
    for n in range(rows):
        # People who take part without logging in: no usable password (and no slow hashing).
        person = UserFactory(
            first_name="A", last_name=f"Persona {n:03}", password=Transformer.Force("!")
        )
        membership(person, orgs["university"], Role.BODY_MEMBER)
    client = client_as("planner")
    client.get("/inicio/")

    with django_assert_max_num_queries(LIST_QUERIES):
        response = client.get(reverse("actors:people_list"))

    assert response.status_code == 200
    assert response.text.count("Integrante del órgano coordinador") == min(rows, 25)
    assert ">UNI</a>" in response.text
