"""Real processes for the fault tests: a private Redis, a private PostgreSQL cluster, a Celery
worker and gunicorn, each on a free port of 127.0.0.1 and stopped at the end of its test, even
when the test fails. The shared services (PostgreSQL on 5432, Redis on 6379) are never touched.
"""

import contextlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 60  # a worker or gunicorn importing Django on a busy CI machine
# Debian's PostgreSQL binaries, newest version first (pg_dump must not be older than the server).
PG_BIN = max(
    Path("/usr/lib/postgresql").glob("*/bin"),
    key=lambda path: [int(part) for part in re.findall(r"\d+", path.parent.name)],
    default=None,
)


def needs(*binaries: str):
    """Skip the module when a binary it starts is not installed. Under CI=true the skip fails
    the run unless each missing binary is in CI_MAY_LACK (tests/conftest.py), which reads this
    reason."""
    missing = [name for name in binaries if not _binary(name)]
    return pytest.mark.skipif(bool(missing), reason=f"needs {', '.join(missing)} installed")


def fault_test(*binaries: str) -> list:
    """The marks of a module of fault tests: the binaries it starts, the PostgreSQL and Redis
    of `make test`, and committed data (another process reads it).

    No xdist group: `make test` hands out whole files (`--dist loadfile`), so two fault tests
    may run at once, one per worker. That is safe: each starts its Redis, PostgreSQL cluster,
    Celery worker or gunicorn on free ports, in temporary folders of its own, against its
    worker's own test database."""
    return [
        needs(*binaries),
        pytest.mark.skipif(
            not settings.REDIS_URL or connection.vendor != "postgresql",
            reason="needs PostgreSQL and Redis: run through `make test`",
        ),
        pytest.mark.django_db(transaction=True),
    ]


def _binary(name: str) -> str | None:
    if PG_BIN is not None and (PG_BIN / name).exists():
        return str(PG_BIN / name)
    return shutil.which(name)


def server_clock_env() -> dict[str, str]:
    """The environment for a Redis or PostgreSQL server of a test: its own clock is the real one,
    like the shared servers' (`make clock-ahead` moves pytest's clock with libfaketime, under
    which redis-server never answers); pmot's own processes keep the moved clock."""
    env = dict(os.environ)
    preload = [lib for lib in env.pop("LD_PRELOAD", "").split(":") if lib and "faketime" not in lib]
    if preload:
        env["LD_PRELOAD"] = ":".join(preload)
    for name in [name for name in env if name.startswith("FAKETIME")]:
        del env[name]
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_until(check, what: str, seconds: float = START_SECONDS, every: float = 0.1):
    """Poll `check()` until it returns something true; fail with `what` after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds} s")
        time.sleep(every)


def stop_process(process: subprocess.Popen, *, kill: bool = False, seconds: float = 20) -> None:
    """SIGTERM (or SIGKILL) to the process group a test started, then wait; SIGKILL if it
    lingers."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL if kill else signal.SIGTERM)
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=seconds)


# --- Redis ------------------------------------------------------------------------------------


class RedisServer:
    """A redis-server of the test's own that keeps nothing on disk; stop and start it again on
    the same port."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.folder = folder
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [_binary("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        log = (self.folder / "redis.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603
            command,
            env=server_clock_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        wait_until(self.answers, f"redis-server on port {self.port} answering", seconds=20)

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)
            self.process = None
        wait_until(lambda: not port_open(self.port), f"port {self.port} closed", seconds=20)

    def answers(self) -> bool:
        try:
            return self.client().ping()
        except redis.RedisError:
            return False

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=2, socket_connect_timeout=2)


@pytest.fixture
def private_redis(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _celery_pools_close(app) -> None:
    """Drop the connections and producers the app keeps, so the next send opens new ones to
    whatever broker_url says (kombu keys its global pools by URL: clear them too)."""
    from kombu import pools

    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None
    pools.reset()


@pytest.fixture
def on_private_redis(private_redis, settings):
    """This process's cache and Celery broker on the private Redis, for the test's length."""
    from pmot.celery import app

    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": private_redis.url},
    }
    previous = app.conf.broker_url
    _celery_pools_close(app)
    app.conf.broker_url = private_redis.url
    assert app.conf.broker_url == private_redis.url
    try:
        yield private_redis
    finally:
        _celery_pools_close(app)
        app.conf.broker_url = previous


# --- Processes that use the test database ---------------------------------------------------------


def this_test_database_url() -> str:
    """DATABASE_URL naming the test database (test_<name>, per xdist worker) this test uses."""
    return (
        urlsplit(os.environ["DATABASE_URL"])
        ._replace(path=f"/{connection.settings_dict['NAME']}")
        .geturl()
    )


def server_env(**overrides: str) -> dict[str, str]:
    """The environment of a deployed pmot process started by a test."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pmot.settings",
        "PYTHONPATH": str(ROOT),
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "PMOT_DEMO_DATA": "0",
        **overrides,
    }


class Worker:
    """`celery -A pmot worker -P solo` in a process of its own: it can be killed mid-job."""

    def __init__(self, *, redis_url: str, queue: str, include: str, log: Path):
        self.log = log
        command = [sys.executable, "-m", "celery", "-A", "pmot", "worker", "-P", "solo"]
        command += ["-Q", queue, "--include", include, "--loglevel", "INFO"]
        command += ["-n", f"faults-{uuid.uuid4().hex[:8]}@%h"]
        command += ["--without-mingle", "--without-gossip", "--without-heartbeat"]
        env = server_env(DATABASE_URL=this_test_database_url(), REDIS_URL=redis_url)
        with log.open("ab") as output:
            self.process = subprocess.Popen(  # noqa: S603
                command,
                env=env,
                cwd=ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no acknowledgement, no rollback sent by the worker."""
        stop_process(self.process, kill=True)

    def stop(self) -> None:
        stop_process(self.process)


@pytest.fixture
def workers(tmp_path):
    """workers(redis_url=..., queue=..., include=...) starts a worker; all stop at the end."""
    started: list[Worker] = []

    def start(**kwargs) -> Worker:
        worker = Worker(**kwargs, log=tmp_path / f"worker-{len(started) + 1}.log")
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()


# --- PostgreSQL -----------------------------------------------------------------------------


class PostgresCluster:
    """A PostgreSQL cluster of the test's own (initdb in a temporary folder, run as the
    postgres user: initdb refuses root), on a free port and its own socket folder."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="pmot-faults-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/pmot"

    def _as_postgres(self, *command: str, seconds: float = 60) -> str:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run(  # noqa: S603
            [*prefix, *command],
            env=server_clock_env(),
            capture_output=True,
            text=True,
            timeout=seconds,
            check=False,
        )
        if done.returncode:
            log = self.folder / "server.log"
            server_log = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"{command[0]} failed: {done.stdout}{done.stderr}{server_log}")
        return done.stdout

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._as_postgres(
            _binary("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip

    def pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            _binary("pg_ctl"), action, "-D", str(self.data), "-l", str(self.folder / "server.log"),
            "-w", "-t", "60", "-o", options, *extra,
        )  # fmt: skip

    def psql(self, sql: str, database: str = "postgres") -> str:
        command = [_binary("psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        command += ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql]
        done = subprocess.run(  # noqa: S603
            command, capture_output=True, text=True, timeout=60, check=True
        )
        return done.stdout.strip()

    def load_from_test_database(self) -> None:
        """Database `pmot` with the schema and the committed rows of the test database:
        a dump is much faster than running every migration again."""
        self.psql("CREATE DATABASE pmot")
        source = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": source.get("PASSWORD") or ""}
        dump = [_binary("pg_dump"), "--no-owner", "--no-privileges", "-h", source["HOST"]]
        dump += ["-p", str(source["PORT"] or 5432), "-U", source["USER"], source["NAME"]]
        load = [_binary("psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres"]
        load += ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "pmot"]
        dumping = subprocess.Popen(dump, env=env, stdout=subprocess.PIPE)  # noqa: S603
        try:
            loaded = subprocess.run(  # noqa: S603
                load, stdin=dumping.stdout, capture_output=True, text=True, timeout=120
            )
        finally:
            dumping.stdout.close()
            dumping.wait(timeout=120)
        assert dumping.returncode == 0, "pg_dump of the test database failed"
        assert loaded.returncode == 0, loaded.stderr

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(Exception):
                self.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def private_postgres():
    cluster = PostgresCluster()
    try:
        cluster.init()
        cluster.pg_ctl("start")
        yield cluster
    finally:
        cluster.remove()


# --- gunicorn -----------------------------------------------------------------------------------


class Server:
    """docker-compose.yml's web command (gunicorn) on a free port of 127.0.0.1."""

    def __init__(self, *, env: dict[str, str], workers: int, folder: Path):
        self.port = free_port()
        self.log = folder / "gunicorn.log"
        command = [sys.executable, "-m", "gunicorn", "pmot.wsgi:application"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--access-logfile", "-"]
        command += ["--timeout", "60", "--workers", str(workers), "--chdir", str(ROOT)]
        # A control socket of its own: the default path is shared by every gunicorn of the user.
        command += ["--control-socket", str(folder / "gunicorn.ctl")]
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(  # noqa: S603
                command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )

    def wait_ready(self) -> None:
        def answers():
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{self.output()}")
            try:
                return self.request("GET", "/salud/")[0] == 200
            except OSError:
                return False

        wait_until(answers, "gunicorn answering", every=0.3)

    def request(self, method: str, path: str, *, body: str = "", headers=None):
        """One request on a new connection: (status, headers, text)."""
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            client.request(method, path, body=body or None, headers=headers or {})
            response = client.getresponse()
            return response.status, response.headers, response.read().decode(errors="replace")
        finally:
            client.close()

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        stop_process(self.process, seconds=30)


@pytest.fixture
def gunicorn(tmp_path):
    """gunicorn(env=..., workers=n) starts pmot under gunicorn; it stops at the end."""
    started: list[Server] = []

    def start(*, env: dict[str, str], workers: int) -> Server:
        server = Server(env=env, workers=workers, folder=tmp_path)
        started.append(server)
        server.wait_ready()
        return server

    try:
        yield start
    finally:
        for server in started:
            server.stop()
