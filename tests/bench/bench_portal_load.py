"""The server and the load of the public-portal benchmark (tests/bench/bench_portal.py): one
gunicorn started with the deployed command line, plain GETs, and wrk with its output parsed."""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import harness
from bench_portal_urls import MINIMAL_PATH

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parents[1]
# wrk: two threads, one per core of the benchmark machine (more would only take CPU from
# gunicorn); 16 connections, about three per gunicorn worker, so every worker always has a
# request waiting (the rate is the server's, not the client's) while the queue stays short
# enough for p99 to be mostly service time; 15 s gives thousands of requests per address.
# (BENCH_QUICK: 3 s and 1 s, to check the code.)
WRK_THREADS, WRK_CONNECTIONS = 2, 16
WRK_SECONDS, WARMUP_SECONDS = (3, 1) if harness.QUICK else (15, 3)
MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def workers() -> int:
    """gunicorn's rule for sync workers, the value WEB_CONCURRENCY is set to in a deployment."""
    return 2 * (os.cpu_count() or 1) + 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(database: str, log) -> tuple[subprocess.Popen, int]:
    """docker-compose.yml's web command on a free local port, against the benchmark database;
    its output goes to `log`. Returns once it answers."""
    port = free_port()
    address = urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{database}").geturl()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench_portal_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(BENCH_DIR)]),
        "DATABASE_URL": address,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback, as behind the proxy
        "PMOT_DEMO_DATA": "0",
    }
    command = [sys.executable, "-m", "gunicorn", "pmot.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--access-logfile", "-", "--timeout", "60"]
    command += ["--workers", str(workers()), "--chdir", str(ROOT)]
    # Its control socket of its own: the default path is shared by every gunicorn of the user.
    command += ["--control-socket", str(Path(tempfile.mkdtemp(prefix="pmot-bench-")) / "ctl")]
    process = subprocess.Popen(  # noqa: S603
        command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log.name}")
        try:
            if get(port, MINIMAL_PATH)[0] == 200:
                return process, port
        except OSError:
            pass
        time.sleep(0.5)
    stop_gunicorn(process)
    raise RuntimeError(f"gunicorn did not answer in 90 s; see {log.name}")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()  # the master stops its workers gracefully
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: only its workers
            process.wait()


def get(port: int, path: str) -> tuple[int, bytes, float]:
    """One GET on a new connection: status, body and seconds until the body is read."""
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        start = time.perf_counter()
        client.request("GET", path)
        response = client.getresponse()
        body = response.read()
        return response.status, body, time.perf_counter() - start
    finally:
        client.close()


def parse_wrk(text: str) -> dict:
    """Requests/sec, the 50% and 99% lines of --latency (in ms), and any errors."""

    def latency(percent: int) -> float:
        found = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M)
        return float(found[1]) * MS[found[2]]

    rate = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    total = re.search(r"(\d+) requests in", text)
    if not (rate and total):
        raise RuntimeError(f"Unexpected wrk output:\n{text}")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    sockets = re.search(r"Socket errors: (.*)$", text, re.M)
    errors = [f"{bad[1]} non-2xx/3xx"] if bad else []
    errors += [f"socket errors: {sockets[1]}"] if sockets else []
    return {
        "rate": float(rate[1]),
        "requests": int(total[1]),
        "p50": latency(50),
        "p99": latency(99),
        "errors": "; ".join(errors),
    }


def wrk(port: int, path: str, seconds: int = WRK_SECONDS) -> dict:
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{seconds}s", "--latency"]
    done = subprocess.run(  # noqa: S603
        [*command, f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    return parse_wrk(done.stdout)


def wrk_version() -> str:
    done = subprocess.run(["wrk", "-v"], capture_output=True, text=True)  # noqa: S607
    return done.stdout.split(" Copyright")[0].strip()
