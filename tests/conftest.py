"""Personas: one logged-in person per role of DOMAIN.md §8, plus an account with no role
(the outsider) and the anonymous public."""

import os
import uuid

import pytest
from django.apps import apps
from django.test import Client
from hypothesis import settings as hypothesis_settings
from pytest_django.plugin import blocking_manager_key

from budgeting.models import ExpenseItem, FunctionalClass, FundingSource, ProgramModality
from budgeting.seeds import seed_catalogues
from committees.models import AgreementType
from committees.seeds import seed_agreement_types
from phases.models import DeliverableType
from phases.seeds import seed_deliverable_types
from pmot.actors.roles import Role, Sector, sync_role_groups
from pmot.planning.models import Plan, PlanElement
from pmot.planning.seeds import seed_sdgs
from tests.factories import OrganizationFactory, UserFactory, membership

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Property-based tests draw the same examples on every run and clone (`make test`): derandomized,
# no example database, each failure ever found kept as an `@example`. `make fuzz` loads the
# "explore" profile instead: random seeds and many more examples, never part of `make test`.
hypothesis_settings.register_profile(
    "suite", derandomize=True, database=None, print_blob=True, deadline=None
)
hypothesis_settings.register_profile(
    "explore", derandomize=False, database=None, print_blob=True, deadline=None
)
hypothesis_settings.load_profile(os.environ.get("PMOT_HYPOTHESIS_PROFILE", "suite"))

# persona -> (role, the organization it holds the role through)
PERSONAS = {
    "admin": (Role.IMPLAN_ADMIN, "implan"),
    "planner": (Role.IMPLAN_PLANNER, "implan"),
    "secretary": (Role.COUNCIL_SECRETARY, "council"),
    "council_member": (Role.COUNCIL_MEMBER, "council"),
    "body_member": (Role.BODY_MEMBER, "university"),
    "municipal_liaison": (Role.MUNICIPAL_LIAISON, "works"),
    "state_liaison": (Role.STATE_LIAISON, "state_agency"),
    "federal_liaison": (Role.FEDERAL_LIAISON, "federal_agency"),
    "private_rep": (Role.PRIVATE_REPRESENTATIVE, "chamber"),
    "citizen_rep": (Role.CITIZEN_REPRESENTATIVE, "neighbours"),
}
ROLE_PERSONAS = list(PERSONAS)
ALL_PERSONAS = [*ROLE_PERSONAS, "outsider", "anonymous"]


def restore_migration_data() -> None:
    """Write again what the data migrations wrote: role groups, the majority table, the SDGs,
    the catalogue of deliverables, the budget catalogues."""
    sync_role_groups(apps)
    seed_agreement_types(AgreementType)
    seed_sdgs(Plan, PlanElement)
    seed_deliverable_types(DeliverableType)
    seed_catalogues(FundingSource, ExpenseItem, FunctionalClass, ProgramModality)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A committed (transactional) test ends with the database flushed, and with it what the
    data migrations wrote. Write it again, so the tests after it find it in whatever order
    xdist hands out the files. (Django's `serialized_rollback` restores it only at the start of
    the tests that ask for it, and not at all inside Playwright's greenlets.)"""
    yield
    marker = item.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    )
    # After the last test the test database is already gone: nothing follows to need it.
    if transactional and nextitem is not None:
        with item.config.stash[blocking_manager_key].unblock():
            restore_migration_data()


@pytest.fixture(scope="session", autouse=True)
def celery_test_queue():
    """Each xdist worker sends its tasks to a queue of its own, so test runs never share work."""
    from pmot.celery import app

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    app.conf.task_default_queue = f"pmot-test-{worker}"
    return app.conf.task_default_queue


@pytest.fixture(autouse=True)
def suite_settings(settings):
    """The test client speaks plain HTTP; production redirects it to HTTPS (tested apart).
    Passwords are hashed fast: a test makes dozens of people."""
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def public_cache_of_its_own(monkeypatch):
    """Each test reads and fills a cache of public pages of its own (still in Redis): pages
    cached by another test, or by another xdist worker, never answer it."""
    from pmot.core import public_cache

    monkeypatch.setattr(public_cache, "NAMESPACE", f"test-{uuid.uuid4().hex}")


@pytest.fixture(autouse=True)
def second_step_passed_at_login(request, monkeypatch):
    """A test client that logs someone in (`force_login`, `login`) also passes the second step
    of login, as the person would with their authenticator; tests marked `real_second_step`
    (tests/actors/test_two_factor.py) take it themselves."""
    if request.node.get_closest_marker("real_second_step"):
        return
    from pmot.actors import two_factor

    plain_login = Client._login

    def login_with_second_step(client, user, backend=None):
        plain_login(client, user, backend)
        session = client.session
        session[two_factor.SESSION_KEY] = f"{two_factor.VERIFIED_PREFIX}tests"
        session.save()

    monkeypatch.setattr(Client, "_login", login_with_second_step)


@pytest.fixture
def orgs(db):
    council = OrganizationFactory(name="H. Ayuntamiento", acronym="AYTO")
    return {
        "council": council,
        "implan": OrganizationFactory(name="IMPLAN", acronym="IMPLAN", parent=council),
        "works": OrganizationFactory(name="Obras Públicas", acronym="SOP", parent=council),
        "state_agency": OrganizationFactory(
            name="Secretaría estatal", acronym="SE", sector=Sector.STATE
        ),
        "federal_agency": OrganizationFactory(
            name="SEDATU", acronym="SEDATU", sector=Sector.FEDERAL
        ),
        "chamber": OrganizationFactory(
            name="Cámara de la construcción", acronym="CIC", sector=Sector.PRIVATE
        ),
        "neighbours": OrganizationFactory(
            name="Consejo de colonos", acronym="CC", sector=Sector.SOCIAL
        ),
        "university": OrganizationFactory(
            name="Universidad", acronym="UNI", sector=Sector.ACADEMIA
        ),
    }


@pytest.fixture
def persona(orgs):
    """persona("state_liaison") -> that person, created once per test."""
    made = {}

    def make(name):
        if name == "anonymous":
            return None
        if name not in made:
            user = UserFactory(username=name)
            if name != "outsider":
                role, org = PERSONAS[name]
                membership(user, orgs[org], role)
            made[name] = user
        return made[name]

    return make


@pytest.fixture
def client_as(persona):
    """client_as("planner") -> a test client logged in as that persona (anonymous: no login)."""

    def make(name):
        client = Client()
        user = persona(name)
        if user is not None:
            client.force_login(user)
        return client

    return make
