"""PostgreSQL restarted under the running server: the next requests succeed.

pmot runs under gunicorn (docker-compose.yml's web command) on a PostgreSQL cluster of the
test's own, loaded with a dump of the test database. Each gunicorn worker keeps its database
connection between requests (CONN_MAX_AGE); a restart of PostgreSQL breaks them all. With
CONN_HEALTH_CHECKS a worker tries its connection before the first query of a request and opens
a new one when it is dead, so no request after the restart fails: public pages, staff pages
and saving.
"""

import os
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.db import connection

from pmot.actors.roles import Role
from tests.factories import OrganizationFactory, UserFactory, membership
from tests.faults.conftest import needs, server_env, wait_until
from tests.two_factor import verified_session_key

pytestmark = [
    needs("redis-server", "initdb", "pg_ctl", "pg_dump", "psql"),
    # initdb refuses root: as root the cluster runs as the postgres user.
    needs("runuser") if os.geteuid() == 0 else needs(),
    pytest.mark.skipif(
        not settings.REDIS_URL or connection.vendor != "postgresql",
        reason="needs PostgreSQL and Redis: run through `make test`",
    ),
]

WORKERS = 2
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """Cookies kept from response to response, forms sent with their CSRF token."""

    def __init__(self, server, cookies: dict[str, str] | None = None):
        self.server = server
        self.cookies = dict(cookies or {})

    def _send(self, method: str, path: str, body: str = "", **headers):
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        status, response_headers, text = self.server.request(
            method, path, body=body, headers=headers
        )
        for header in response_headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return status, response_headers, text

    def get(self, path: str) -> tuple[int, str]:
        status, _headers, text = self._send("GET", path)
        return status, text

    def submit(self, path: str, data: dict) -> tuple[int, str]:
        """Open the form's page, then send it: (status, where it redirects to)."""
        status, text = self.get(path)
        assert status == 200, (path, status)
        body = urlencode({**data, "csrfmiddlewaretoken": CSRF.search(text)[1]})
        status, headers, _text = self._send(
            "POST", path, body, **{"Content-Type": "application/x-www-form-urlencoded"}
        )
        return status, headers.get("Location", "")


def pmot_connections(cluster) -> int:
    """Connections the gunicorn workers hold to the private cluster."""
    return int(
        cluster.psql(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = 'pmot' AND backend_type = 'client backend'"
        )
    )


def use_the_site(visitor: Browser, staff: Browser, round_: str) -> None:
    """A visitor's uncached public page, a staff page, a saved organization: each succeeds."""
    # A query string no page knows: rendered from the database, never from the cache.
    assert visitor.get(f"/?ronda={round_}")[0] == 200
    status, text = staff.get("/organizaciones/")
    assert status == 200
    assert "Instituto Municipal de Planeación" in text
    name = f"Organización guardada en la ronda {round_}"
    status, location = staff.submit(
        "/organizaciones/nueva/", {"name": name, "sector": "social", "is_active": "on"}
    )
    assert (status, location.startswith("/organizaciones/")) == (302, True)
    assert name in staff.get(location)[1]


@pytest.mark.django_db(transaction=True)  # pg_dump copies only what is committed
def test_the_requests_after_a_postgresql_restart_succeed(private_postgres, private_redis, gunicorn):
    admin = UserFactory(username="administradora")
    implan = OrganizationFactory(name="Instituto Municipal de Planeación")
    membership(admin, implan, Role.IMPLAN_ADMIN)
    session = verified_session_key(admin)
    private_postgres.load_from_test_database()
    server = gunicorn(
        env=server_env(DATABASE_URL=private_postgres.url, REDIS_URL=private_redis.url),
        workers=WORKERS,
    )
    visitor = Browser(server)
    staff = Browser(server, {settings.SESSION_COOKIE_NAME: session})

    rounds = iter(range(1000))

    def every_worker_connected() -> bool:
        use_the_site(visitor, staff, str(next(rounds)))
        return pmot_connections(private_postgres) == WORKERS

    wait_until(every_worker_connected, "each gunicorn worker holding a database connection")

    private_postgres.pg_ctl("restart", "-m", "fast")
    assert pmot_connections(private_postgres) == 0  # every kept connection is dead

    # From the first request on, each one succeeds, until every worker has reconnected.
    wait_until(every_worker_connected, "each gunicorn worker connected again")
    use_the_site(visitor, staff, "final")
    assert not re.search(r'" 5\d\d ', server.output())  # the access log: no server error


def test_the_health_check_says_so_while_postgresql_is_down(
    private_postgres, private_redis, gunicorn
):
    private_postgres.psql("CREATE DATABASE pmot")  # the health check needs no table
    server = gunicorn(
        env=server_env(DATABASE_URL=private_postgres.url, REDIS_URL=private_redis.url),
        workers=1,
    )
    assert server.request("GET", "/salud/")[0] == 200  # its worker now keeps a connection
    private_postgres.pg_ctl("stop", "-m", "fast")
    try:
        status, _headers, text = server.request("GET", "/salud/")
        assert (status, '"database": "unavailable"' in text) == (503, True)
    finally:
        private_postgres.pg_ctl("start")
    assert server.request("GET", "/salud/")[0] == 200
