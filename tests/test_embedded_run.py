"""`make run` on a machine with no PostgreSQL or Redis configured: SQLite, tasks inline, demo
data, and a Spanish page on http://127.0.0.1:<port>/."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def embedded_env(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return env | {"DEBUG": "1", "SQLITE_PATH": str(tmp_path / "embedded.sqlite3")}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


def test_the_embedded_default_serves_a_spanish_page_without_postgresql_or_redis(tmp_path):
    env = embedded_env(tmp_path)
    manage(env, "migrate", "--noinput")
    printed = manage(env, "load_demo").stdout
    assert "Planeador(a) del IMPLAN" in printed
    assert (tmp_path / "embedded.sqlite3").exists()

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:  # noqa: S310
                    page = response.read().decode()
                    break
            except OSError:
                time.sleep(0.2)
        assert page is not None, "the server did not answer"
        assert '<html lang="es-mx">' in page
        assert "Programa Municipal de Ordenamiento Territorial" in page
        assert "Datos de demostración" in page
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_web_process_knows_every_task_a_worker_runs(tmp_path):
    """The outbox sends a job by its task's name from the process that wrote it: a task a web
    process never imported failed every job of it (the plan's and the units' imports)."""
    code = (
        "import django; django.setup(); from celery import current_app; "
        "known = set(current_app.tasks); current_app.loader.import_default_modules(); "
        "print(sorted(set(current_app.tasks) - known))"
    )
    env = embedded_env(tmp_path) | {"DJANGO_SETTINGS_MODULE": "pmot.settings"}
    missing = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.strip()
    assert missing == "[]"
