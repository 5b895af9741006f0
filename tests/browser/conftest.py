"""Browser tests drive Debian's chromium (never a downloaded browser) through Playwright."""

import shutil

import pytest
from django.db import connections
from django.urls import reverse

from committees import demo as committees_demo
from pmot.actors import demo, two_factor
from pmot.actors.models import User
from tests.two_factor import current_code

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = demo.DEMO_PASSWORD


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
        ],
    }


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server, whose request threads keep no database connection between
    requests: a browser's keep-alive connection holds its thread open past the test (and past
    the server's stop), and with CONN_MAX_AGE that thread would still hold the test database
    when it is dropped ("being accessed by other users"). Open pages and contexts are closed
    with each test (`page`, `new_context`); never open one with `browser.new_context()`."""
    database = connections.settings["default"]
    kept = database.get("CONN_MAX_AGE", 0)
    database["CONN_MAX_AGE"] = 0
    yield live_server
    database["CONN_MAX_AGE"] = kept


@pytest.fixture
def demo_site(live_server):
    """The demo data behind a live server: what a person sees after `make run`."""
    demo.load()
    committees_demo.load()
    return live_server


@pytest.fixture
def log_in(demo_site):
    """Both steps, as the person would: the password, then (for whoever owes it) the code
    their authenticator app shows."""

    def go(page, username):
        page.goto(demo_site.url + reverse("login"))
        page.get_by_label("Nombre de usuario").fill(username)
        page.get_by_label("Contraseña").fill(PASSWORD)
        person = User.objects.get(username=username)
        # Enrolled before this login, as after their first one.
        code = current_code(person) if two_factor.is_needed(person) else None
        page.get_by_role("button", name="Iniciar sesión").click()
        page.wait_for_url(lambda url: reverse("login") not in url)
        if code is not None:
            page.get_by_label("Código").fill(code)
            page.get_by_role("button", name="Verificar").click()
        page.wait_for_url(demo_site.url + reverse("portal:dashboard"))
        return page

    return go


@pytest.fixture
def csp_violations(page):
    """Console messages of anything our Content-Security-Policy blocked on the page."""
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return blocked
