"""`manage.py load_demo`: the demo records behind `make run`. It can run any number of times, it
prints one account per role that logs in with the password shown, and it is dated around the day
it is loaded, so the program looks alive in any year."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from budgeting.models import Movement, Poa, ProgressReport
from committees.models import Body, Member, Session
from evaluation.models import Evidence, Measurement
from phases.models import Consultation
from pmot.actors.demo import DEMO_PASSWORD
from pmot.actors.models import (
    Administration,
    LoginThrottle,
    Membership,
    Municipality,
    Organization,
    User,
)
from pmot.actors.roles import Role
from pmot.portal.selectors import poa as selectors_poa
from tests.clock import DEMO_DAY, frozen


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    """Rows of every model of every installed app, the history tables included."""
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def snapshot() -> dict[str, list]:
    return {
        "users": list(
            User.objects.order_by("username").values_list(
                "username", "password", "is_active", "is_staff", "first_name", "last_name"
            )
        ),
        "memberships": list(
            Membership.objects.order_by("pk").values_list(
                "user__username", "organization__name", "role", "status", "start_date", "end_date"
            )
        ),
        "organizations": list(
            Organization.objects.order_by("pk").values_list("name", "acronym", "sector", "parent")
        ),
        "groups": list(
            User.groups.through.objects.order_by("user_id", "group_id").values_list(
                "user__username", "group__name"
            )
        ),
    }


def demo_accounts(output: str) -> dict[str, str]:
    """username -> password, from the printed table of accounts."""
    accounts = {}
    for username in User.objects.values_list("username", flat=True):
        for line in output.splitlines():
            words = line.split()
            if len(words) >= 3 and words[-2] == username:
                accounts[username] = words[-1]
    return accounts


@pytest.fixture
def demo_settings(settings):
    # A fast hasher: eleven demo passwords are hashed in every test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PMOT_DEMO_DATA = True
    return settings


@pytest.fixture
def loaded(db, demo_settings):
    """Loaded on the day its story was written for, the clock stopped there for the test."""
    with frozen(DEMO_DAY):
        yield load_demo()


def accounts():
    """Active memberships of the people who can log in (an unusable password starts with !)."""
    return Membership.objects.active().exclude(user__password__startswith="!")


def test_it_loads_the_municipality_an_administration_organizations_and_people(loaded):
    municipality = Municipality.objects.get()
    assert (municipality.inegi_key, municipality.name, municipality.population) == (
        "01001",
        "Aguascalientes",
        948990,
    )
    assert Administration.objects.current().exists()
    assert Organization.objects.filter(acronym="IMPLAN").exists()
    # Demo accounts log in; the other members of the Cabildo are fictional and never do.
    assert accounts().count() == len(Role)


def test_running_it_again_changes_nothing(loaded):
    counts, records = row_counts(), snapshot()
    history = {
        "Membership": Membership.history.count(),
        "User": User.history.count(),
        "Organization": Organization.history.count(),
        "Municipality": Municipality.history.count(),
        "Administration": Administration.history.count(),
    }
    assert all(history.values())  # the first run did write history

    load_demo()

    assert row_counts() == counts
    assert snapshot() == records
    assert {
        "Membership": Membership.history.count(),
        "User": User.history.count(),
        "Organization": Organization.history.count(),
        "Municipality": Municipality.history.count(),
        "Administration": Administration.history.count(),
    } == history


def test_it_gives_every_role_exactly_one_demo_account(loaded):
    holders = {
        role: set(accounts().filter(role=role).values_list("user__username", flat=True))
        for role in Role
    }
    assert all(len(usernames) == 1 for usernames in holders.values()), holders
    assert len({next(iter(u)) for u in holders.values()}) == len(Role)


def test_it_prints_each_account_with_its_password(loaded):
    printed = demo_accounts(loaded)
    for role in Role:
        username = accounts().get(role=role).user.username
        assert username in printed, (role, loaded)


def test_it_prints_the_accounts_again_on_a_second_run(loaded):
    second = load_demo()
    assert demo_accounts(second) == demo_accounts(loaded)
    assert len(demo_accounts(second)) == len(Role)


@pytest.mark.parametrize("role", list(Role))
def test_each_printed_account_logs_in_and_holds_its_role(client, loaded, role, settings):
    """As in `make run`, where the second step of login is not required (DEBUG)."""
    settings.PMOT_TWO_FACTOR_REQUIRED = False
    LoginThrottle.objects.all().delete()  # no lock left by an earlier test
    username = accounts().get(role=role).user.username
    password = demo_accounts(loaded)[username]

    response = client.post(reverse("login"), {"username": username, "password": password})

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:dashboard")
    dashboard = client.get(response["Location"])
    with translation.override("es-mx"):
        assert f"<strong>{role.label}</strong>" in dashboard.text


def test_the_former_member_of_the_demo_cannot_log_in(client, loaded):
    """The example of an ended term is a person without a current role, so without access."""
    LoginThrottle.objects.all().delete()  # no lock left by an earlier test
    former = User.objects.get(is_active=False)
    assert not former.memberships.active().exists()
    response = client.post(
        reverse("login"), {"username": former.username, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_demo_data_is_refused_in_production(db, settings):
    settings.PMOT_DEMO_DATA = False
    settings.DEBUG = False
    with pytest.raises(CommandError, match="producción"):
        call_command("load_demo")
    assert not User.objects.filter(username="admin").exists()


@pytest.mark.parametrize(
    "day",
    [
        datetime.date(2027, 1, 2),  # a new year: nothing of it measured or spent yet
        datetime.date(2027, 10, 20),  # past the end of the term of the day of the story
        datetime.date(2028, 1, 10),  # the story's day, 400 days later
    ],
)
def test_loaded_on_any_day_the_program_is_alive_that_day(db, demo_settings, day):
    with frozen(day):
        load_demo()
        now = timezone.now()
        # an administration and its Cabildo in office today
        assert Administration.objects.current().exists()
        cabildo = Body.objects.get(kind=Body.Kind.CABILDO)
        assert Member.objects.current().filter(body=cabildo, has_vote=True).count() == 15
        assert accounts().count() == len(Role)
        # a year of sessions behind, in order, and the next one ahead
        held = Session.objects.filter(status=Session.Status.CLOSED)
        assert held.filter(starts_at__gte=now - datetime.timedelta(days=400)).count() >= 5
        assert not held.filter(starts_at__gt=now).exists()
        coming = Session.objects.get(status=Session.Status.SCHEDULED)
        assert now < coming.starts_at < now + datetime.timedelta(days=7)
        for body in Body.objects.all():  # numbered per body and year
            numbers = [
                (s.year, s.number) for s in Session.objects.filter(body=body).order_by("starts_at")
            ]
            assert numbers == sorted(numbers)
        # this year's POA approved, the public pages open on it; nothing spent after today
        assert Poa.objects.get(fiscal_year=day.year).status == Poa.Status.APPROVED
        assert selectors_poa.current_year() == day.year
        assert not Movement.objects.filter(date__gte=day).exists()
        assert not ProgressReport.objects.filter(at__gt=now).exists()
        # the consultation open today, and figures of the last months with their evidence
        assert Consultation.objects.get().stage() == Consultation.Stage.OPEN
        recent = Measurement.objects.filter(reported_at__date__gte=day - datetime.timedelta(90))
        assert recent.count() >= 20
        assert Evidence.objects.filter(measurement__in=recent).exists()
        assert not Measurement.objects.filter(reported_at__gt=now).exists()
