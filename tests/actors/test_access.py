"""Who may open each page of people and organizations: 200 allowed, 403 may see but not change
(or lacks the role), 404 may not see the thing, 302 anonymous sent to the login page."""

import datetime

import pytest
from django.urls import reverse

from pmot.actors.models import Membership
from tests.conftest import ALL_PERSONAS, ROLE_PERSONAS

READERS = dict.fromkeys(ROLE_PERSONAS, 200) | {"outsider": 403, "anonymous": 302}
ADMIN_ONLY = dict.fromkeys(ROLE_PERSONAS, 403) | {"admin": 200, "outsider": 403, "anonymous": 302}
CATALOGUE_EDITORS = ADMIN_ONLY | {"planner": 200}


PAGES = [
    # (url name, kwargs by org key or None, who gets what)
    ("actors:organization_list", None, READERS),
    ("actors:people_list", None, READERS),
    ("actors:administration_list", None, READERS),
    ("actors:municipality_detail", None, READERS),
    ("actors:organization_create", None, CATALOGUE_EDITORS),
    ("actors:administration_create", None, ADMIN_ONLY),
    ("actors:municipality_update", None, ADMIN_ONLY),
    # An organization's record: every role reads it; the outsider may not even see it.
    ("actors:organization_detail", "state_agency", READERS | {"outsider": 404}),
    # Catalogue editors change any organization; a liaison only their own.
    (
        "actors:organization_update",
        "state_agency",
        CATALOGUE_EDITORS | {"state_liaison": 200, "outsider": 404},
    ),
    (
        "actors:organization_update",
        "works",
        CATALOGUE_EDITORS | {"municipal_liaison": 200, "outsider": 404},
    ),
    ("actors:membership_create", "works", ADMIN_ONLY | {"outsider": 404}),
]


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
@pytest.mark.parametrize(("url_name", "org_key", "table"), PAGES)
def test_page_access_by_persona(client_as, orgs, persona_name, url_name, org_key, table):
    kwargs = {"pk": orgs[org_key].pk} if org_key else {}
    response = client_as(persona_name).get(reverse(url_name, kwargs=kwargs))
    assert response.status_code == table[persona_name]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_only_the_administrator_may_end_a_membership(client_as, persona, persona_name):
    """The administrator ends the private representative's membership (a date already past: it
    ends at once and the role's group goes); everyone else is refused, by GET and by POST, and
    the membership stays as it was."""
    representative = persona("private_rep")
    target = representative.memberships.get()
    role_group = target.role
    expected = dict.fromkeys(ROLE_PERSONAS, 403) | {
        "admin": 200,
        "outsider": 404,
        "anonymous": 302,
    }
    url = reverse("actors:membership_end", args=[target.pk])
    client = client_as(persona_name)
    assert client.get(url).status_code == expected[persona_name]
    before = Membership.objects.filter(pk=target.pk).values().get()
    end_date = datetime.date(2025, 6, 30)  # after its start (2024-10-15), before today

    response = client.post(url, {"end_date": end_date.isoformat()})

    target.refresh_from_db()
    has_role = representative.groups.filter(name=role_group).exists()
    if persona_name == "admin":
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "actors:organization_detail", args=[target.organization_id]
        )
        assert (target.status, target.end_date) == (Membership.Status.ENDED, end_date)
        assert not has_role
        return
    assert response.status_code == expected[persona_name]
    if persona_name == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    assert Membership.objects.filter(pk=target.pk).values().get() == before
    assert target.status == Membership.Status.ACTIVE
    assert has_role


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_only_the_administrator_may_apply_membership_dates(client_as, persona_name):
    expected = dict.fromkeys(ROLE_PERSONAS, 403) | {
        "admin": 302,
        "outsider": 403,
        "anonymous": 302,
    }
    response = client_as(persona_name).post(reverse("actors:memberships_sync_now"))
    assert response.status_code == expected[persona_name]
    if persona_name == "admin":
        assert response["Location"] == reverse("actors:people_list")


def test_applying_membership_dates_refuses_get(client_as):
    response = client_as("admin").get(reverse("actors:memberships_sync_now"))
    assert response.status_code == 405


def test_a_liaison_edits_only_the_contact_data_of_their_organization(client_as, orgs):
    agency = orgs["state_agency"]
    response = client_as("state_liaison").post(
        reverse("actors:organization_update", args=[agency.pk]),
        {
            "email": "contacto@estado.gob.mx",
            "phone": "449 000 0000",
            "website": "",
            "name": "Renamed by the liaison",
            "sector": "federal",
        },
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.email == "contacto@estado.gob.mx"
    assert agency.name == "Secretaría estatal"
    assert agency.sector == "state"


def test_a_liaison_cannot_post_changes_to_another_organization(client_as, orgs):
    works = orgs["works"]
    response = client_as("state_liaison").post(
        reverse("actors:organization_update", args=[works.pk]), {"email": "x@example.org"}
    )
    assert response.status_code == 403
    works.refresh_from_db()
    assert works.email == ""


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_admin_site_is_for_the_administrator(client_as, persona_name):
    response = client_as(persona_name).get(reverse("admin:index"))
    if persona_name == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]


LOGGED_IN = dict.fromkeys([*ROLE_PERSONAS, "outsider"], 200) | {"anonymous": 302}
EVERYONE = dict.fromkeys(ALL_PERSONAS, 200)


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
@pytest.mark.parametrize(
    ("url_name", "table"),
    [
        ("portal:home", EVERYONE),
        ("portal:health", EVERYONE),
        ("portal:dashboard", LOGGED_IN),
        ("password_change", LOGGED_IN),
        # Someone already logged in is sent on to their start page.
        ("login", dict.fromkeys([*ROLE_PERSONAS, "outsider"], 302) | {"anonymous": 200}),
    ],
)
def test_shared_pages_by_persona(client_as, persona_name, url_name, table):
    response = client_as(persona_name).get(reverse(url_name))
    assert response.status_code == table[persona_name]
