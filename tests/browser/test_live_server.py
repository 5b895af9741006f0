"""The browser tests leave nothing open behind them: no context they do not close, and no
database connection held by the live server's threads, which would keep the test database
from being dropped at the end of the run ("being accessed by other users")."""

import ast
import time
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)


def _other_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_the_live_server_holds_no_database_connection_between_requests(new_context, live_server):
    if connection.vendor != "postgresql":
        pytest.skip("pg_stat_activity is PostgreSQL's")
    # Connections that earlier tests of this process left (a Celery worker's thread) are not
    # the live server's: only what the page's request adds counts.
    before = _other_connections()
    page = new_context().new_page()  # kept open: the browser keeps its connection alive
    page.goto(live_server.url + reverse("information:public_documents"))
    deadline = time.monotonic() + 10
    while _other_connections() > before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _other_connections() == before


def test_no_browser_test_opens_a_context_it_does_not_close():
    """`browser.new_context()` opens a context that nobody closes; `new_context()` (the
    fixture) closes its contexts with the test."""
    bare = []
    for path in sorted(Path(__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "new_context"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "browser"
            ):
                bare.append(f"{path.name}:{node.lineno}")
    assert bare == []
