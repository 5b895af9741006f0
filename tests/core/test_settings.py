"""How pmot starts under each environment: it refuses to run in production without a secret key,
passes Django's deployment check with production variables, and runs embedded (SQLite, tasks
inline) without DATABASE_URL. Each case runs Python in a fresh process with its own environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MANAGE_PY = PROJECT_ROOT / "manage.py"

# Variables these tests decide themselves; whatever the caller's shell says is dropped.
CONTROLLED = (
    "SECRET_KEY",
    "DEBUG",
    "DATABASE_URL",
    "REDIS_URL",
    "ALLOWED_HOSTS",
    "SECURE_SSL",
    "SECURE_SSL_REDIRECT",
    "STATIC_MANIFEST",
    "PMOT_DEMO_DATA",
    # Set by tests/conftest.py for browser tests; a deployment never has it.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)

PRINT_RUNTIME = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DATABASES['default']['ENGINE']); "
    "print(settings.CELERY_TASK_ALWAYS_EAGER)"
)


def run(args: list[str], **variables: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    env["DJANGO_SETTINGS_MODULE"] = "pmot.settings"
    env.update(variables)
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def production_key() -> str:
    key = secrets.token_urlsafe(48)
    assert len(key) == 64
    return key


@pytest.mark.parametrize("debug", [None, "0"])
def test_it_refuses_to_start_in_production_without_a_secret_key(debug):
    variables = {} if debug is None else {"DEBUG": debug}
    result = run(["-c", "import django; django.setup()"], **variables)
    assert result.returncode != 0
    assert "SECRET_KEY no está definida" in result.stderr


def test_it_starts_without_a_secret_key_in_debug_mode():
    result = run(["-c", "import django; django.setup()"], DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_it_passes_the_deployment_check_with_production_variables():
    result = run(
        [str(MANAGE_PY), "check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY=production_key(),
        DEBUG="0",
        ALLOWED_HOSTS="pmot.example.mx",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_fails_the_deployment_check_when_https_is_turned_off():
    """The check above can fail: without HTTPS, Django warns about cookies and HSTS."""
    result = run(
        [str(MANAGE_PY), "check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY=production_key(),
        DEBUG="0",
        ALLOWED_HOSTS="pmot.example.mx",
        SECURE_SSL="0",
    )
    assert result.returncode != 0
    assert "SESSION_COOKIE_SECURE" in result.stderr


def test_it_runs_embedded_on_sqlite_with_tasks_inline_without_database_url():
    # No DATABASE_URL and no REDIS_URL, as `make run` starts it.
    result = run(["-c", PRINT_RUNTIME], SECRET_KEY=production_key())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"]


def test_it_runs_deployed_on_postgresql_with_a_task_queue_given_a_database_url():
    result = run(
        ["-c", PRINT_RUNTIME],
        SECRET_KEY=production_key(),
        DATABASE_URL="postgres://pmot:secreto@db.example.mx:5432/pmot",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "False"]


def test_offline_commands_run_without_a_secret_key_and_serving_still_refuses():
    """`manage.py check` and `makemigrations` inspect the project and serve nothing: they run
    without a key. Serving (runserver) still stops with the message."""
    checked = run(["manage.py", "check"])
    assert checked.returncode == 0, checked.stderr
    served = run(["manage.py", "runserver", "--noreload", "127.0.0.1:0"])
    assert served.returncode != 0
    assert "SECRET_KEY no está definida" in served.stderr
