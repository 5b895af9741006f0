"""Personas: one logged-in person per role of DOMAIN.md §8, plus an account with no role
(the outsider) and the anonymous public."""

import os
import re
import uuid
from decimal import Decimal

import psycopg
import pytest
import redis
from django.apps import apps
from django.db import connection
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

# --- Under CI=true: real services, and no skipped test -------------------------------------------
# CI sets CI=true, and so does `make test` (Makefile). Without it the suite runs on whatever it
# finds: with no DATABASE_URL, SQLite and tasks run inline, and the tests of concurrency, workers,
# the outbox and faults skip themselves. Under CI=true that would be a green run that proved
# nothing, so the suite refuses to start without PostgreSQL and Redis, and a skip fails the run.

# The only skips CI accepts: a test of tests/faults that needs a program the machine lacks
# (its reason is "needs <program>, ... installed", from tests/faults/conftest.py `needs`), when
# every missing program is listed here with why it may be missing where the suite runs.
POSTGRESQL_SERVER_PROGRAMS = (
    "PostgreSQL's server programs come with the server package: where PostgreSQL runs elsewhere "
    "(a container, a managed service) only its client programs are installed. Only "
    "tests/faults/test_database_restart.py needs them, to restart a cluster of its own."
)
CI_MAY_LACK = {"initdb": POSTGRESQL_SERVER_PROGRAMS, "pg_ctl": POSTGRESQL_SERVER_PROGRAMS}
MISSING_PROGRAMS = re.compile(r"needs (?P<programs>[\w, -]+) installed")

SERVICES_HELP = """\
Start them with `make services` (PostgreSQL on 127.0.0.1:5432 with database pmot, Redis on
127.0.0.1:6379, when installed); `make test` then runs the suite with
DATABASE_URL=postgres://postgres@127.0.0.1:5432/pmot and REDIS_URL=redis://127.0.0.1:6379/1.
By hand: pg_ctlcluster --skip-systemctl-redirect <version> main start
         redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
Not installed (Debian): apt-get install -y postgresql redis-server, then `make services`.
Without CI=true the suite runs on SQLite with tasks inline and skips what needs them."""


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def postgresql_problem() -> str | None:
    """Why the suite cannot use PostgreSQL through DATABASE_URL, or None."""
    if not os.environ.get("DATABASE_URL"):
        return "DATABASE_URL is not set: the suite would run on SQLite."
    if connection.vendor != "postgresql":
        return f"DATABASE_URL points at {connection.vendor}, not PostgreSQL."
    params = connection.get_connection_params()
    where = f"PostgreSQL at {params.get('host', 'localhost')}:{params.get('port', 5432)}"
    # pytest-django creates the test database from the `postgres` database, as Django does, or
    # from the configured one when `postgres` is closed to this user: one answering is enough.
    errors = []
    for database in (params["dbname"], "postgres"):
        try:
            psycopg.connect(**{**params, "dbname": database}, connect_timeout=3).close()
        except psycopg.Error as error:
            errors.append(str(error).strip())
        else:
            return None
    return f"{where} does not answer (DATABASE_URL): {errors[0]}"


def redis_problem() -> str | None:
    """Why the suite cannot use Redis through REDIS_URL, or None."""
    url = os.environ.get("REDIS_URL")
    if not url:
        return "REDIS_URL is not set: tasks would run inline, with no worker and no cache."
    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        return f"Redis at {url} does not answer PING (REDIS_URL): {error}"
    finally:
        client.close()
    return None


def pytest_configure(config):
    """Under CI=true, refuse to start without PostgreSQL and Redis. Checked once, in the process
    that starts the xdist workers (or runs the tests itself), before any worker starts."""
    if not under_ci() or hasattr(config, "workerinput") or config.getoption("help"):
        return
    problems = [problem for problem in (postgresql_problem(), redis_problem()) if problem]
    if problems:
        listed = "\n".join(f"  - {problem}" for problem in problems)
        raise pytest.UsageError(
            "CI=true: the suite runs only against PostgreSQL and Redis, and they are not "
            f"ready:\n{listed}\n{SERVICES_HELP}"
        )


def skip_reason(report) -> str:
    """The reason of a skipped test or collector (its longrepr is (path, line, "Skipped: ..."))."""
    if isinstance(report.longrepr, tuple):
        return report.longrepr[2].removeprefix("Skipped: ")
    return str(report.longrepr)


def skip_allowed_under_ci(reason: str) -> bool:
    found = MISSING_PROGRAMS.fullmatch(reason)
    return bool(found) and all(
        program.strip() in CI_MAY_LACK for program in found["programs"].split(",")
    )


def fail_the_skip(report) -> None:
    """Under CI=true, turn a skip that is not allowed into a failure that says why."""
    if not under_ci() or not report.skipped or hasattr(report, "wasxfail"):
        return
    reason = skip_reason(report)
    if skip_allowed_under_ci(reason):
        return
    report.outcome = "failed"
    report.longrepr = (
        f"Skipped under CI=true, where a skip fails the run: {reason}\n"
        "Make the test run here (the service or program it needs), or, when what it needs "
        "cannot be had where the suite runs, add it to CI_MAY_LACK in tests/conftest.py "
        "saying why."
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    fail_the_skip(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    """A module that skips itself (`pytest.skip(allow_module_level=True)`) is a collection
    error under CI=true: none of its tests ran."""
    report = yield
    fail_the_skip(report)
    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Under CI=true the skips left are the allowed ones: list them with why."""
    skipped = terminalreporter.stats.get("skipped", [])
    if not under_ci() or not skipped:
        return
    terminalreporter.write_sep("-", "skips allowed under CI=true (CI_MAY_LACK, tests/conftest.py)")
    for report in skipped:
        reason = skip_reason(report)
        found = MISSING_PROGRAMS.fullmatch(reason)
        programs = [name.strip() for name in found["programs"].split(",")] if found else []
        why = " ".join(dict.fromkeys(CI_MAY_LACK.get(name, "") for name in programs))
        terminalreporter.write_line(f"{report.nodeid}: {reason}. {why}")


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
    # A test skipped by a mark set up no fixture and flushed nothing (and no test database may
    # exist yet: the data would go to the real one). pytest-django's autouse `_django_db_marker`
    # set up means the database part ran. After the last test the test database is already
    # gone: nothing follows to need it.
    flushed = transactional and "_django_db_marker" in (getattr(item, "funcargs", None) or {})
    if flushed and nextitem is not None:
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
    # The strictest setting unless a test says otherwise (tests/budgeting/test_four_eyes.py):
    # every change to a POA's approved total goes to the Cabildo.
    settings.PMOT_MODIFICATION_CABILDO_THRESHOLD = Decimal(0)


@pytest.fixture(autouse=True)
def redis_answered_so_far():
    """A Redis that did not answer in an earlier test is not skipped in this one."""
    from pmot.core import redis_outage

    redis_outage.forget()


@pytest.fixture(autouse=True)
def public_cache_of_its_own(monkeypatch):
    """Each test reads and fills a cache of public pages of its own (still in Redis): pages
    cached by another test, or by another xdist worker, never answer it."""
    from pmot.core import public_cache

    monkeypatch.setattr(public_cache, "NAMESPACE", f"test-{uuid.uuid4().hex}")


@pytest.fixture(autouse=True)
def follow_counters_of_their_own(monkeypatch):
    """Each test counts the look-ups of the consultation's follow-up page afresh."""
    from phases.services import consultation

    monkeypatch.setattr(consultation, "FOLLOW_NAMESPACE", f"test-follow-{uuid.uuid4().hex}")


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
