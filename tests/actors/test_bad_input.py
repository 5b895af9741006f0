"""Every form of the actors app, given bad input: the form comes back (200) saying in Spanish
what is wrong, and nothing is written. And good input does what the form says."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from pmot.actors.models import Administration, Membership, Municipality, Organization
from pmot.actors.roles import Role, Sector
from tests.factories import OrganizationFactory, UserFactory

FORM_ERRORS = "Por favor, corrija los errores que se indican abajo."


def organization_data(**overrides):
    data = {
        "name": "Instituto Municipal de la Vivienda",
        "acronym": "IMUVI",
        "sector": Sector.MUNICIPAL,
        "parent": "",
        "email": "",
        "phone": "",
        "website": "",
        "is_active": "on",
    }
    return data | overrides


def organization_fields(organization):
    return {
        f.name: getattr(organization, f.attname)
        for f in Organization._meta.concrete_fields
        if f.name != "id"
    }


# --- Organization: create ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Este campo es obligatorio."),
        ({"name": "IMPLAN"}, "Ya existe un/a Organización con este/a Nombre."),
        ({"sector": "galactic"}, "Seleccione una opción válida. galactic no es una de las"),
        ({"email": "no-es-correo"}, "Introduzca una dirección de correo electrónico válida."),
        ({"website": "http://no es url"}, "URL válida."),
    ],
    ids=["no-name", "duplicate-name", "unknown-sector", "bad-email", "bad-website"],
)
@pytest.mark.parametrize("persona_name", ["admin", "planner"])
def test_it_refuses_a_bad_new_organization(client_as, persona_name, overrides, message):
    client = client_as(persona_name)
    before = Organization.objects.count()

    response = client.post(reverse("actors:organization_create"), organization_data(**overrides))

    assert response.status_code == 200
    assert message in response.text
    assert FORM_ERRORS in response.text
    assert Organization.objects.count() == before


def test_it_registers_a_good_new_organization(client_as, orgs):
    client = client_as("planner")
    response = client.post(
        reverse("actors:organization_create"),
        organization_data(parent=orgs["council"].pk, website="imuvi.gob.mx"),
    )
    created = Organization.objects.get(name="Instituto Municipal de la Vivienda")
    assert response.status_code == 302
    assert response["Location"] == reverse("actors:organization_detail", args=[created.pk])
    assert created.parent == orgs["council"]
    assert created.website == "https://imuvi.gob.mx"
    page = client.get(response["Location"])
    assert "Organización registrada." in page.text


# --- Organization: update ------------------------------------------------------------------


def test_it_refuses_to_place_a_unit_under_one_of_its_own_units(client_as, orgs):
    council, implan = orgs["council"], orgs["implan"]  # IMPLAN sits under the council
    before = organization_fields(council)

    response = client_as("admin").post(
        reverse("actors:organization_update", args=[council.pk]),
        organization_data(name=council.name, acronym=council.acronym, parent=implan.pk),
    )

    assert response.status_code == 200
    assert (
        "Una unidad no puede quedar bajo sí misma ni bajo una de sus propias unidades."
        in response.text
    )
    council.refresh_from_db()
    assert organization_fields(council) == before
    assert council.parent is None


def test_it_refuses_to_place_a_unit_under_itself(client_as, orgs):
    works = orgs["works"]
    before = organization_fields(works)

    response = client_as("planner").post(
        reverse("actors:organization_update", args=[works.pk]),
        organization_data(name=works.name, acronym=works.acronym, parent=works.pk),
    )

    assert response.status_code == 200
    assert "Seleccione una opción válida." in response.text
    works.refresh_from_db()
    assert organization_fields(works) == before


def test_it_refuses_to_rename_an_organization_to_an_existing_name(client_as, orgs):
    works = orgs["works"]
    before = organization_fields(works)

    response = client_as("admin").post(
        reverse("actors:organization_update", args=[works.pk]),
        organization_data(name="IMPLAN", acronym="SOP"),
    )

    assert response.status_code == 200
    assert "Ya existe un/a Organización con este/a Nombre." in response.text
    works.refresh_from_db()
    assert organization_fields(works) == before


def test_a_liaison_gets_their_bad_contact_data_back(client_as, orgs):
    agency = orgs["state_agency"]
    before = organization_fields(agency)

    response = client_as("state_liaison").post(
        reverse("actors:organization_update", args=[agency.pk]),
        {"email": "enlace@", "phone": "", "website": ""},
    )

    assert response.status_code == 200
    assert "Introduzca una dirección de correo electrónico válida." in response.text
    agency.refresh_from_db()
    assert organization_fields(agency) == before


def test_it_saves_a_good_organization_update(client_as, orgs):
    works = orgs["works"]
    response = client_as("planner").post(
        reverse("actors:organization_update", args=[works.pk]),
        organization_data(name="Obras Públicas Municipales", acronym="SOPM"),
    )
    assert response.status_code == 302
    works.refresh_from_db()
    assert (works.name, works.acronym, works.parent) == ("Obras Públicas Municipales", "SOPM", None)


# --- Membership: create --------------------------------------------------------------------


def membership_data(user, role="", **overrides):
    data = {
        "user": user.pk,
        "role": str(role),
        "position": "",
        "start_date": "2025-01-15",
        "end_date": "",
    }
    return data | overrides


@pytest.fixture
def newcomer(db):
    return UserFactory(username="newcomer")


def assert_nothing_granted(user, organization):
    assert not Membership.objects.filter(user=user).exists()
    assert not user.groups.exists()
    fresh = type(user).objects.get(pk=user.pk)
    assert not fresh.has_perm("actors.change_organization", organization)


def test_it_refuses_a_role_that_does_not_fit_the_sector_of_the_organization(
    client_as, orgs, newcomer
):
    works = orgs["works"]  # municipal
    response = client_as("admin").post(
        reverse("actors:membership_create", args=[works.pk]),
        membership_data(newcomer, Role.STATE_LIAISON),
    )
    assert response.status_code == 200
    assert (
        "El rol “Enlace estatal” se ejerce a través de una organización del sector: "
        "Gobierno estatal." in response.text
    )
    assert_nothing_granted(newcomer, works)


def test_it_refuses_a_membership_that_ends_before_it_starts(client_as, orgs, newcomer):
    works = orgs["works"]
    response = client_as("admin").post(
        reverse("actors:membership_create", args=[works.pk]),
        membership_data(
            newcomer, Role.MUNICIPAL_LIAISON, start_date="2025-03-01", end_date="2025-02-28"
        ),
    )
    assert response.status_code == 200
    assert "La membresía no puede terminar antes de iniciar." in response.text
    assert_nothing_granted(newcomer, works)


def test_it_refuses_a_second_open_membership_with_the_same_role(client_as, persona, orgs):
    planner = persona("planner")
    client = client_as("admin")
    before = Membership.objects.count()
    history_before = Membership.history.count()

    response = client.post(
        reverse("actors:membership_create", args=[orgs["implan"].pk]),
        membership_data(planner, Role.IMPLAN_PLANNER, start_date="2025-06-01"),
    )

    assert response.status_code == 200
    assert "Esta persona ya tiene ese rol en esta organización." in response.text
    assert Membership.objects.count() == before
    assert Membership.history.count() == history_before


def test_it_refuses_a_membership_in_an_inactive_organization(client_as, newcomer):
    closed = OrganizationFactory(name="Dirección extinta", is_active=False)
    response = client_as("admin").post(
        reverse("actors:membership_create", args=[closed.pk]),
        membership_data(newcomer, Role.MUNICIPAL_LIAISON),
    )
    assert response.status_code == 200
    assert "La organización está inactiva; primero reactívela." in response.text
    assert_nothing_granted(newcomer, closed)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"role": "emperor"}, "Seleccione una opción válida. emperor no es una de las"),
        ({"start_date": ""}, "Este campo es obligatorio."),
        ({"start_date": "15/13/2025"}, "Introduzca una fecha válida."),
    ],
    ids=["unknown-role", "no-start", "bad-date"],
)
def test_it_refuses_malformed_membership_data(client_as, orgs, newcomer, overrides, message):
    works = orgs["works"]
    response = client_as("admin").post(
        reverse("actors:membership_create", args=[works.pk]),
        membership_data(newcomer, **({"role": Role.MUNICIPAL_LIAISON} | overrides)),
    )
    assert response.status_code == 200
    assert message in response.text
    assert_nothing_granted(newcomer, works)


def test_it_registers_a_good_membership_and_gives_its_role(client_as, orgs, newcomer):
    works = orgs["works"]
    response = client_as("admin").post(
        reverse("actors:membership_create", args=[works.pk]),
        membership_data(newcomer, Role.MUNICIPAL_LIAISON, start_date="2025-01-15"),
    )
    assert response.status_code == 302
    created = Membership.objects.get(user=newcomer)
    assert (created.organization, created.role, created.status) == (
        works,
        Role.MUNICIPAL_LIAISON,
        Membership.Status.ACTIVE,
    )
    newcomer = type(newcomer).objects.get(pk=newcomer.pk)
    assert newcomer.groups.filter(pk=Group.objects.get(name=Role.MUNICIPAL_LIAISON).pk).exists()
    assert newcomer.has_perm("actors.change_organization", works)


# --- Membership: end -----------------------------------------------------------------------


def test_it_refuses_to_end_a_membership_before_it_started(client_as, persona):
    representative = persona("private_rep")
    target = representative.memberships.get()  # started 2024-10-15
    client = client_as("admin")
    history_before = Membership.history.count()

    response = client.post(
        reverse("actors:membership_end", args=[target.pk]), {"end_date": "2024-10-14"}
    )

    assert response.status_code == 200
    assert "La membresía no puede terminar antes de iniciar." in response.text
    target.refresh_from_db()
    assert (target.status, target.end_date) == (Membership.Status.ACTIVE, None)
    assert Membership.history.count() == history_before
    assert representative.groups.filter(name=Role.PRIVATE_REPRESENTATIVE).exists()


def test_it_ends_a_membership_on_a_good_date_and_takes_its_role_back(client_as, persona, orgs):
    representative = persona("private_rep")
    target = representative.memberships.get()

    response = client_as("admin").post(
        reverse("actors:membership_end", args=[target.pk]), {"end_date": "2025-01-31"}
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.status, target.end_date) == (
        Membership.Status.ENDED,
        datetime.date(2025, 1, 31),
    )
    representative = type(representative).objects.get(pk=representative.pk)
    assert not representative.groups.filter(name=Role.PRIVATE_REPRESENTATIVE).exists()
    assert not representative.has_perm("actors.change_organization", orgs["chamber"])


# --- Administration: create ----------------------------------------------------------------


@pytest.fixture
def current_term(db):
    return Administration.objects.create(
        start_date=datetime.date(2024, 10, 15), end_date=datetime.date(2027, 10, 14)
    )


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2027-10-15", "2029-10-14", "Una administración municipal dura 3 años."),
        ("2027-10-15", "2031-10-14", "Una administración municipal dura 3 años."),
        ("2030-10-15", "2027-10-15", "El periodo debe terminar después de iniciar."),
        ("2030-10-15", "2030-10-15", "El periodo debe terminar después de iniciar."),
        ("2026-01-01", "2029-01-01", "Este periodo se traslapa con la administración 2024–2027."),
        ("2024-10-15", "2027-10-14", "Este periodo se traslapa con la administración 2024–2027."),
        ("", "2030-10-14", "Este campo es obligatorio."),
    ],
    ids=[
        "two-years",
        "four-years",
        "ends-before-start",
        "ends-on-start",
        "overlaps",
        "same-term",
        "no-start",
    ],
)
def test_it_refuses_a_bad_administration(client_as, current_term, start, end, message):
    history_before = Administration.history.count()

    response = client_as("admin").post(
        reverse("actors:administration_create"),
        {"start_date": start, "end_date": end, "notes": "Rechazada"},
    )

    assert response.status_code == 200
    assert message in response.text
    assert list(Administration.objects.all()) == [current_term]
    assert Administration.history.count() == history_before


def test_it_registers_the_next_three_year_administration(client_as, current_term):
    response = client_as("admin").post(
        reverse("actors:administration_create"),
        {"start_date": "2027-10-15", "end_date": "2030-10-14", "notes": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("actors:administration_list")
    assert [a.name for a in Administration.objects.all()] == ["2027–2030", "2024–2027"]


# --- Municipality profile ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("99999", "Ningún municipio tiene la clave INEGI 99999."),
        ("abcde", "Ningún municipio tiene la clave INEGI abcde."),
        ("", "Este campo es obligatorio."),
    ],
    ids=["unknown-key", "non-numeric-key", "no-key"],
)
def test_it_refuses_an_unknown_inegi_key_when_there_is_no_profile(client_as, key, message):
    response = client_as("admin").post(
        reverse("actors:municipality_update"),
        {"inegi_key": key, "population": "", "population_year": "2020"},
    )
    assert response.status_code == 200
    assert message in response.text
    assert not Municipality.objects.exists()


@pytest.fixture
def profile(db):
    return Municipality.objects.create(
        inegi_key="01001", name="Aguascalientes", state="Aguascalientes", population=948990
    )


@pytest.mark.parametrize("key", ["99999", "1001", "01-01"])
def test_it_refuses_a_bad_inegi_key_and_keeps_the_profile(client_as, profile, key):
    response = client_as("admin").post(
        reverse("actors:municipality_update"),
        {"inegi_key": key, "population": "1000", "population_year": "2020"},
    )
    assert response.status_code == 200
    assert f"Ningún municipio tiene la clave INEGI {key}." in response.text
    profile.refresh_from_db()
    assert (profile.inegi_key, profile.name, profile.population) == (
        "01001",
        "Aguascalientes",
        948990,
    )


def test_it_asks_for_the_population_where_it_has_no_census(client_as):
    # 09015 (Cuauhtémoc, Ciudad de México) exists, but pmot ships only Aguascalientes' census.
    response = client_as("admin").post(
        reverse("actors:municipality_update"),
        {"inegi_key": "09015", "population": "", "population_year": "2020"},
    )
    assert response.status_code == 200
    assert (
        "Capture la población: pmot no cuenta con datos censales de este municipio."
        in response.text
    )
    assert not Municipality.objects.exists()


def test_it_takes_name_state_and_population_from_inegi(client_as):
    client = client_as("admin")
    response = client.post(
        reverse("actors:municipality_update"),
        {"inegi_key": "01001", "population": "", "population_year": "2020"},
    )
    assert response.status_code == 302
    municipality = Municipality.objects.get()
    assert (municipality.name, municipality.state) == ("Aguascalientes", "Aguascalientes")
    assert (municipality.population, municipality.population_year) == (948990, 2020)
    page = client.get(response["Location"])
    assert "Perfil del municipio guardado." in page.text
    assert "948,990" in page.text


def test_it_keeps_a_population_typed_in(client_as, profile):
    response = client_as("admin").post(
        reverse("actors:municipality_update"),
        {"inegi_key": "01005", "population": "130000", "population_year": "2025"},
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.name, profile.state) == ("Jesús María", "Aguascalientes")
    assert (profile.population, profile.population_year) == (130000, 2025)
    assert Municipality.objects.count() == 1


# --- Terms, parents and end dates as people really have them -------------------------------


def test_it_accepts_a_three_year_term_from_january_to_december(client_as, current_term):
    # Municipalities of e.g. the Estado de México serve 1 January 2031 – 31 December 2033.
    response = client_as("admin").post(
        reverse("actors:administration_create"),
        {"start_date": "2031-01-01", "end_date": "2033-12-31", "notes": ""},
    )
    assert response.status_code == 302
    assert Administration.objects.filter(start_date=datetime.date(2031, 1, 1)).exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [("2031-01-01", "2034-12-31"), ("2030-12-31", "2033-01-01")],
    ids=["four-years-less-a-day", "two-years-and-two-days"],
)
def test_it_refuses_a_term_that_is_not_three_years_long(client_as, current_term, start, end):
    response = client_as("admin").post(
        reverse("actors:administration_create"),
        {"start_date": start, "end_date": end, "notes": ""},
    )
    assert response.status_code == 200
    assert "Una administración municipal dura 3 años." in response.text
    assert list(Administration.objects.all()) == [current_term]


def test_editing_a_unit_under_an_inactive_parent_keeps_its_parent(client_as, orgs):
    council, works = orgs["council"], orgs["works"]
    council.is_active = False
    council.save(update_fields=["is_active"])
    client = client_as("planner")

    form = client.get(reverse("actors:organization_update", args=[works.pk]))
    # What a browser sends back: the option the form shows as selected.
    selected = re.search(
        r'<select name="parent"[^>]*>.*?<option value="(\d*)" selected>', form.text, re.S
    )
    parent = selected.group(1) if selected else ""
    client.post(
        reverse("actors:organization_update", args=[works.pk]),
        organization_data(
            name=works.name, acronym=works.acronym, phone="449 910 1000", parent=parent
        ),
    )

    works.refresh_from_db()
    assert works.phone == "449 910 1000"
    assert works.parent == council


def test_a_future_end_date_does_not_take_the_role_away_before_that_date(client_as, persona):
    representative = persona("private_rep")
    target = representative.memberships.get()
    in_a_month = timezone.localdate() + datetime.timedelta(days=30)

    client_as("admin").post(
        reverse("actors:membership_end", args=[target.pk]), {"end_date": in_a_month.isoformat()}
    )

    target.refresh_from_db()
    assert target.status != Membership.Status.ENDED
    assert representative.groups.filter(name=Role.PRIVATE_REPRESENTATIVE).exists()
