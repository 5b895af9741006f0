"""Load benchmark: the public and the staff at once, then the count of every write (`make bench`;
not a test).

The question (issue 9, "Load and data safety"): with 200 visitors' connections on the public
pages and 20 staff sessions reading and saving, all for 60 seconds against gunicorn, PostgreSQL
and Redis on 127.0.0.1, does any request fail, and is any write lost?

In a throwaway PostgreSQL database (Django's test database of DATABASE_URL, created and dropped
here) it loads the demo municipality (`manage.py load_demo`), then starts ONE gunicorn with the
deployed command line (bench_portal_load.start_gunicorn, as the portal benchmark does). During
the same 60 seconds:

- wrk drives 200 connections over the public pages, in turn (PUBLIC_PAGES below), counting
  every response by status (bench_load_clients.LUA);
- 20 staff sessions (PERSONAS below: a verified session each, from tests/two_factor.py) read
  their start page or the POA, open an action's page for the form and its CSRF token, and save:
  a movement of 1.00 on one of the action's budget lines (two sessions per line, so saves on one
  row wait for each other) and, for those who report progress, the action's progress. Each save
  carries its own mark (the movement's reference, the report's note).

Then, from the database: every save the server acknowledged (a redirect after the POST) has its
row and its history row, no row more than once; each line's committed total grew by exactly the
movements saved on it and still equals the sum of its movements; the progress report of each
period is the last one saved. Writes tests/bench/RESULTS-load.md.

Speed is a figure, not a goal. Any error (a 5xx, a refused or unanswered request, a socket
error) or any write lost, doubled or without its history is a failure: the exit status is then
non-zero, after the results are written.
"""

import datetime
import logging
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parents[1]
sys.path[:0] = [str(ROOT), str(BENCH_DIR)]
# The portal benchmark's settings (pmot's, plus the minimal page its server start waits for).
os.environ["DJANGO_SETTINGS_MODULE"] = "bench_portal_settings"

import bench_load_clients as clients  # noqa: E402
import bench_poa  # noqa: E402  (sets Django up)
import bench_portal_load as server  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Max, Sum  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from pmot.core import public_cache  # noqa: E402

SECONDS = 60
PUBLIC_CONNECTIONS = 200
# wrk gives up on a request after this long (its default, 2 s, is shorter than any browser's
# patience; gunicorn's own limit is 60 s): a request still waiting then counts as an error.
WRK_TIMEOUT = 30
# (username, sessions): 20 staff sessions of the demo's roles that save money and progress.
PERSONAS = [("planeacion", 6), ("obras", 5), ("estatal", 4), ("federal", 3), ("privado", 2)]
STAGE, AMOUNT = "committed", Decimal("1.00")
ROOM = Decimal(10_000)  # a line chosen has this much left to commit: no save hits the ceiling
# First the public load alone for this long: the rate of the public pages when nothing is saved
# (the page cache stays valid), to read the shared run's figures against.
ALONE_SECONDS, DRAIN_SECONDS = 20, 5
RESULTS = BENCH_DIR / "RESULTS-load.md"


def _year(poa) -> str:
    return reverse("portal:poa_year", args=[poa.fiscal_year])


def _action(poa) -> str:
    from pmot.portal import published

    action = published.actions().filter(poa=poa).order_by("pk").first()
    return reverse("portal:action", args=[poa.fiscal_year, action.pk])


def _indicator(poa) -> str:
    from pmot.portal import published

    return reverse("portal:indicator", args=[published.indicators().order_by("pk").first().pk])


def _agreement(poa) -> str:
    from committees.models import Agreement

    return reverse("committees:public_agreement", args=[Agreement.objects.order_by("pk")[0].pk])


# The public pages wrk turns over (a page whose URL name does not resolve is left out).
PUBLIC_PAGES = [
    lambda poa: reverse("portal:home"),
    _year,
    _action,
    lambda poa: reverse("portal:territory"),
    lambda poa: reverse("portal:indicators"),
    _indicator,
    lambda poa: reverse("portal:evaluations"),
    lambda poa: reverse("portal:strategies"),
    lambda poa: reverse("portal:phases"),
    lambda poa: reverse("committees:public_agreements"),
    _agreement,
    lambda poa: reverse("phases:consultation_public"),
    lambda poa: reverse("portal:open_data"),
    lambda poa: reverse("portal:dataset", kwargs={"name": "actions", "fmt": "csv"}),
]


# --- Data ----------------------------------------------------------------------------------------


def build():
    """The demo municipality; its approved POA."""
    from budgeting.models import Poa
    from pmot.celery import app

    app.conf.task_always_eager = True  # as in the embedded `make run`: nothing left in Redis
    logging.getLogger("celery").setLevel(logging.WARNING)
    settings.PMOT_DEMO_DATA = True  # load_demo refuses to run otherwise
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.PMOT_DEMO_DATA = False
    return Poa.objects.filter(status__in=["approved", "modified"]).order_by("-fiscal_year")[0]


def public_paths(poa) -> list[str]:
    paths = []
    for page in PUBLIC_PAGES:
        try:
            paths.append(page(poa))
        except NoReverseMatch as missing:
            bench_poa.out(f"  a public page left out: {missing}")
    return paths


def session_key(user) -> tuple[str, str]:
    """A session cookie of `user` after both steps of login, and how it was made."""
    try:
        from tests.two_factor import verified_session_key
    except ImportError as error:  # the second step not in place: a session of the first
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore

        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key, f"Django's SessionStore (tests/two_factor.py: {error})"
    return verified_session_key(user), "tests/two_factor.py `verified_session_key`"


def staff_sessions(poa) -> tuple[list[clients.Session], dict]:
    """PERSONAS' sessions: two per budget line, each line of an action the persona may
    record money on; the progress of that action for those who report it."""
    from budgeting import rules
    from budgeting.models import BudgetLine
    from budgeting.services.poa import current_period
    from pmot.actors.models import User

    lines = list(
        BudgetLine.objects.filter(action__poa=poa)
        .select_related("action__poa", "action__responsible", "cofinancer")
        .order_by("pk")
    )
    taken, sessions, how = set(), [], ""
    today = timezone.localdate()
    day = today if today.year == poa.fiscal_year else datetime.date(poa.fiscal_year, 12, 31)
    for username, count in PERSONAS:
        user = User.objects.get(username=username)
        mine = [
            line
            for line in lines
            if line.pk not in taken
            and line.modified - line.committed >= ROOM
            and rules.can_record_movement(user, line)
        ]
        for n in range(count):
            line = mine[n // 2]
            taken.add(line.pk)
            action = line.action
            cookie, how = session_key(user)
            form_page = reverse("budgeting:action_detail", args=[action.pk])
            prefix = f"mov{line.pk}"
            saves = [
                (
                    "movement",
                    form_page,
                    reverse("budgeting:movement_record", args=[line.pk]),
                    {
                        f"{prefix}-stage": STAGE,
                        f"{prefix}-amount": str(AMOUNT),
                        f"{prefix}-date": day.isoformat(),
                        f"{prefix}-reference": "{mark}",
                    },
                    "reference",
                )
            ]
            if rules.can_report_progress(user, action):
                saves.append(
                    (
                        "progress",
                        form_page,
                        reverse("budgeting:progress_report", args=[action.pk]),
                        {
                            "avance-period": str(current_period(action)),
                            "avance-achieved": "1",
                            "avance-note": "{mark}",
                        },
                        "note",
                    )
                )
            reads = [reverse("portal:dashboard"), reverse("budgeting:poa_detail", args=[poa.pk])]
            sessions.append(
                clients.Session(
                    len(sessions), username, settings.SESSION_COOKIE_NAME, cookie, reads, saves
                )
            )
    return sessions, {"sessions": how, "lines": sorted(taken)}


def snapshot(line_ids: list[int]) -> dict:
    """What the counts check compares with: the lines' totals and the last ids before the run."""
    from budgeting.models import BudgetLine, Movement
    from pmot.core.models import Job

    return {
        "committed": dict(
            BudgetLine.objects.filter(pk__in=line_ids).values_list("pk", "committed")
        ),
        "movement": Movement.objects.aggregate(m=Max("pk"))["m"] or 0,
        "line_history": BudgetLine.history.filter(id__in=line_ids).count(),
        "job": Job.objects.aggregate(m=Max("pk"))["m"] or 0,
    }


# --- The run -------------------------------------------------------------------------------------


def run_load(port: int, paths: list[str], sessions: list[clients.Session], seconds: int) -> dict:
    """wrk and the staff sessions, started together, for `seconds`."""
    command, script = clients.wrk_command(port, paths, PUBLIC_CONNECTIONS, seconds, WRK_TIMEOUT)
    start, until = threading.Event(), [0.0]
    threads = [
        threading.Thread(target=clients.run_session, args=(port, s, start, until), daemon=True)
        for s in sessions
    ]
    for thread in threads:
        thread.start()
    try:
        wrk = subprocess.Popen(  # noqa: S603
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        began = time.monotonic()
        until[0] = began + seconds
        start.set()
        output, _ = wrk.communicate(timeout=seconds + 120)
        for thread in threads:
            thread.join(timeout=120)
        staff_seconds = time.monotonic() - began
    finally:
        script.unlink()
    if wrk.returncode != 0:
        raise RuntimeError(f"wrk exited with {wrk.returncode}:\n{output}")
    return {"public": clients.parse_wrk(output), "staff_seconds": staff_seconds}


def check_counts(sessions, before: dict) -> dict:
    """Every acknowledged save found once with its history; no total off by a lost update."""
    from budgeting.models import BudgetLine, Movement, ProgressReport
    from pmot.core.models import Job

    hits = [hit for session in sessions for hit in session.hits]
    acked = {kind: {h.mark for h in hits if h.kind == kind and h.ok} for kind in ("movement",)}
    acked["progress"] = {h.mark for h in hits if h.kind == "progress" and h.ok}
    unknown = {h.mark for h in hits if h.method == "POST" and h.status == 0}
    problems = []

    rows = list(
        Movement.objects.filter(pk__gt=before["movement"]).values_list(
            "pk", "reference", "line_id", "amount", "by_id"
        )
    )
    references = Counter(reference for _pk, reference, *_rest in rows)
    doubled = sorted(r for r, n in references.items() if n > 1)
    lost = sorted(acked["movement"] - set(references))
    unacknowledged = sorted(set(references) - acked["movement"] - unknown)
    problems += [f"movement saved {references[r]} times: {r}" for r in doubled]
    problems += [f"movement acknowledged but not in the database: {r}" for r in lost]
    problems += [f"movement saved though its request was refused: {r}" for r in unacknowledged]
    history = dict(
        Movement.history.filter(id__in=[pk for pk, *_rest in rows], history_type="+").values_list(
            "id", "history_user_id"
        )
    )
    for pk, reference, _line, _amount, by in rows:
        if pk not in history:
            problems.append(f"movement {reference} (id {pk}) has no history row")
        elif history[pk] != by:
            problems.append(f"movement {reference}: history by user {history[pk]}, not {by}")

    added = defaultdict(Decimal)
    for _pk, _reference, line, amount, _by in rows:
        added[line] += amount
    totals = dict(
        Movement.objects.filter(line_id__in=before["committed"], stage=STAGE)
        .values("line_id")
        .annotate(total=Sum("amount"))
        .values_list("line_id", "total")
    )
    for line in BudgetLine.objects.filter(pk__in=before["committed"]).order_by("pk"):
        grown = line.committed - before["committed"][line.pk]
        if grown != added[line.pk]:
            problems.append(
                f"line {line.pk}: committed grew by {grown}, movements saved {added[line.pk]}"
            )
        if line.committed != totals.get(line.pk, Decimal(0)):
            problems.append(
                f"line {line.pk}: committed {line.committed}, its movements sum "
                f"{totals.get(line.pk)}"
            )
    line_history = BudgetLine.history.filter(id__in=before["committed"]).count()
    if line_history - before["line_history"] != len(rows):
        problems.append(
            f"{line_history - before['line_history']} history rows of the lines for "
            f"{len(rows)} movements"
        )

    notes = Counter(
        ProgressReport.history.filter(note__startswith="load-").values_list("note", flat=True)
    )
    problems += [f"progress report saved {notes[n]} times: {n}" for n in notes if notes[n] > 1]
    problems += [
        f"progress report acknowledged, no history row: {n}"
        for n in sorted(acked["progress"] - set(notes))
    ]
    problems += [
        f"progress report saved though its request was refused: {n}"
        for n in sorted(set(notes) - acked["progress"] - unknown)
    ]
    reports = ProgressReport.objects.filter(note__startswith="load-")
    for report in reports:
        latest = report.history.order_by("-history_date", "-history_id").first()
        if latest is None or latest.note != report.note:
            problems.append(f"progress report {report.pk}: not its last saved version")

    jobs = Counter(Job.objects.filter(pk__gt=before["job"]).values_list("status", flat=True))
    return {
        "movements": len(rows),
        "movements acknowledged": len(acked["movement"]),
        "progress history rows": sum(notes.values()),
        "progress acknowledged": len(acked["progress"]),
        "lines": len(before["committed"]),
        "line history rows": line_history - before["line_history"],
        "unknown outcome": len(unknown),
        "jobs": dict(jobs),
        "problems": problems,
    }


def server_log(path: str) -> dict:
    """What gunicorn's own log says: 5xx in its access log, worker timeouts, tracebacks."""
    text = Path(path).read_text(errors="replace")
    statuses = Counter(re.findall(r'" (\d{3}) ', text))
    return {
        "5xx": sum(n for status, n in statuses.items() if status.startswith("5")),
        "worker timeouts": text.count("WORKER TIMEOUT"),
        "tracebacks": text.count("Traceback (most recent call last)"),
        "lines": sum(statuses.values()),
    }


def render_all(port: int, paths: list[str], rounds: int = 3) -> float:
    """Seconds a worker spends rendering every public page once after a save: the cache out
    of date, one GET after the other, nothing else running; the best of `rounds` (the first
    finds the workers cold). Each page is checked to answer and is left in the cache."""
    totals = []
    for _round in range(rounds):
        public_cache.changed()
        totals.append(0.0)
        for path in paths:
            status, _body, seconds = server.get(port, path)
            if status != 200:
                raise RuntimeError(f"{path} answers {status} before the load")
            totals[-1] += seconds
    for path in paths:
        if cache.get(page_key(port, path)) is None:
            bench_poa.out(f"  {path} is not kept in the page cache")
    return min(totals)


def page_key(port: int, path: str) -> str:
    """The cache key of a visitor's copy of `path` as served on `port` (the host is in it)."""
    return public_cache._page_key(RequestFactory().get(path, HTTP_HOST=f"127.0.0.1:{port}"))


def forget(port: int, paths: list[str]) -> None:
    """Remove the pages this run cached (Redis may be shared; the generation stays)."""
    try:
        cache.delete_many([page_key(port, path) for path in paths])
    except Exception as error:  # noqa: BLE001 - cleaning up; the entries expire anyway
        bench_poa.out(f"  cache entries not removed: {error}")


def main() -> int:
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk (`make bench` installs it).")
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="pmot-bench-"))
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    gunicorn, port, paths = None, 0, []
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in finally
        "w", prefix="pmot-bench-load-gunicorn-", suffix=".log", delete=False
    )
    try:
        bench_poa.out(f"Loading the demo in {database}…")
        started = time.perf_counter()
        poa = build()
        facts = {"built": time.perf_counter() - started}
        paths = public_paths(poa)
        sessions, made = staff_sessions(poa)
        facts |= made
        before = snapshot(made["lines"])
        connection.close()  # gunicorn's workers open their own
        facts["load_before"] = os.getloadavg()[0]
        gunicorn, port = server.start_gunicorn(database, log)
        facts["cold"] = render_all(port, paths)
        bench_poa.out(f"  {len(paths)} public pages alone, {ALONE_SECONDS} s…")
        facts["alone"] = run_load(port, paths, [], ALONE_SECONDS)["public"]
        time.sleep(DRAIN_SECONDS)  # the requests wrk left waiting are served
        bench_poa.out(f"  and with {len(sessions)} staff sessions, {SECONDS} s…")
        generation = cache.get(public_cache._generation_key(), 0)
        facts |= run_load(port, paths, sessions, SECONDS)
        facts["generations"] = cache.get(public_cache._generation_key(), 0) - generation
        facts["load_after"] = os.getloadavg()[0]
        server.stop_gunicorn(gunicorn)
        gunicorn = None
        log.flush()
        facts["log"] = server_log(log.name)
        facts["counts"] = check_counts(sessions, before)
        failed = write(paths, sessions, facts)
    finally:
        if gunicorn is not None:
            server.stop_gunicorn(gunicorn)
        log.close()
        if port:
            forget(port, paths)
        wait_for_disconnection(database)
        connection.creation.destroy_test_db(database, verbosity=0)
    if failed:
        bench_poa.out(f"FAILED: see {RESULTS.relative_to(ROOT)}; gunicorn's log: {log.name}")
        return 1
    os.unlink(log.name)  # kept when something failed
    return 0


def percentiles(seconds: list[float]) -> dict:
    if len(seconds) < 2:
        return dict.fromkeys((50, 95, 99), seconds[0] * 1000 if seconds else 0.0)
    cuts = statistics.quantiles([s * 1000 for s in seconds], n=100, method="inclusive")
    return {50: cuts[49], 95: cuts[94], 99: cuts[98]}


def errors(run: dict) -> int:
    """A wrk run's responses 4xx/5xx and its socket errors (connect, read, write, timeout)."""
    bad = sum(n for status, n in run["statuses"].items() if status >= 400)
    return bad + sum(run["socket"].values()) - run["socket"]["status"]


def by_status(run: dict) -> str:
    statuses = ", ".join(f"{n:,} × {s}" for s, n in sorted(run["statuses"].items()))
    socket = ", ".join(f"{n} {name}" for name, n in run["socket"].items() if n) or "none"
    return f"{statuses} (socket errors: {socket})"


def public_row(label: str, run: dict) -> str:
    cut = run["latency"]
    return (
        f"| {label} | {run['requests']:,} | {run['rate']:,.1f} | {cut['50']:,.0f} ms | "
        f"{cut['95']:,.0f} ms | {cut['99']:,.0f} ms | {cut['max']:,.0f} ms | {errors(run)} |"
    )


def write(paths: list[str], sessions: list[clients.Session], facts: dict) -> bool:
    """RESULTS-load.md; whether the run failed (an error, or a write lost)."""
    import gunicorn

    public, alone = facts["public"], facts["alone"]
    counts, log = facts["counts"], facts["log"]
    hits = [hit for session in sessions for hit in session.hits]
    staff_errors = [hit for hit in hits if not hit.ok]
    public_errors = errors(public) + errors(alone)
    failed = bool(staff_errors or public_errors or counts["problems"])
    failed = failed or bool(log["5xx"] or log["worker timeouts"])
    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    lines = [
        f"# Load: the public and the staff at once ({timezone.localtime():%Y-%m-%d %H:%M})",
        "",
        "`make bench` (tests/bench/bench_load.py): the demo municipality (`load_demo`, built in "
        f"{facts['built']:.0f} s) in a throwaway PostgreSQL database; one gunicorn on 127.0.0.1 "
        "with the deployed command line (docker-compose.yml: `gunicorn pmot.wsgi:application "
        f"--access-logfile - --timeout 60`, {server.workers()} sync workers, 2 × cores + 1), "
        "DEBUG=0, sessions in PostgreSQL, the public-page cache on Redis. First the public load "
        f"alone for {ALONE_SECONDS} s (nothing saved: the page cache stays valid), then for "
        f"{SECONDS} s, at the same time:",
        "",
        f"- **public**: wrk, {PUBLIC_CONNECTIONS} connections on 2 threads, each request the "
        f"next of {len(paths)} public pages (a Lua script counts every status; wrk's timeout "
        f"{WRK_TIMEOUT} s): " + ", ".join(f"`{p}`" for p in paths) + ";",
        f"- **staff**: {len(sessions)} sessions ("
        + ", ".join(f"{n} × {u}" for u, n in PERSONAS)
        + f"; verified session cookies from {facts['sessions']}), each in a thread looping: "
        "GET their start page or the POA, GET an action's page (the form and its CSRF token), "
        f"POST a save: a movement of {AMOUNT} ({STAGE}) on a budget line (two sessions per "
        "line), or, in turn for those who report progress, the action's progress report. "
        "A save is acknowledged by its redirect.",
        "",
        "Machine: "
        f"{cpu[1].strip() if cpu else platform.processor()}, {os.cpu_count()} cores, shared: "
        "other test runs were going on at the same time (load average "
        f"{facts['load_before']:.1f} before the run, {facts['load_after']:.1f} after); wrk, "
        "the staff threads, gunicorn, PostgreSQL and Redis all on it. Python "
        f"{platform.python_version()}, PostgreSQL {connection.pg_version // 10000}, gunicorn "
        f"{gunicorn.__version__}, {server.wrk_version()}.",
        "",
        "## Figures",
        "",
        "| load | requests | per second | p50 | p95 | p99 | max | errors |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        public_row(f"public pages alone, {ALONE_SECONDS} s before (nothing saved)", alone),
        public_row(f"public pages ({PUBLIC_CONNECTIONS} connections)", public),
    ]
    seconds = facts["staff_seconds"]
    for kind, label in [
        ("read", "staff pages read"),
        ("form", "staff form pages"),
        ("movement", "saves: movements"),
        ("progress", "saves: progress reports"),
    ]:
        mine = [hit for hit in hits if hit.kind == kind]
        if not mine:
            continue
        cut = percentiles([hit.seconds for hit in mine])
        lines.append(
            f"| {label} | {len(mine):,} | {len(mine) / seconds:,.1f} | {cut[50]:,.0f} ms | "
            f"{cut[95]:,.0f} ms | {cut[99]:,.0f} ms | "
            f"{max(hit.seconds for hit in mine) * 1000:,.0f} ms | "
            f"{sum(not hit.ok for hit in mine)} |"
        )
    saves = [hit for hit in hits if hit.method == "POST"]
    lines += [
        "",
        f"Public responses by status: {by_status(alone)} alone, then {by_status(public)} with "
        "the staff. Staff: "
        f"{len(hits):,} requests, {len(saves):,} saves ({len(saves) / seconds:.1f} a second), "
        f"{len(staff_errors)} not as expected. gunicorn's log: {log['lines']:,} requests, "
        f"{log['5xx']} answered 5xx, {log['worker timeouts']} worker timeouts, "
        f"{log['tracebacks']} tracebacks.",
        "",
        "Reading: each committed save moves the public-page cache's generation on "
        "(pmot/core/public_cache.py); during the shared run it moved on "
        f"{facts['generations']} times ({facts['generations'] / seconds:.1f} a second). After "
        "each change one request renders a page anew while the others get the copy from "
        "before, so a change costs at most one render of each page: the "
        f"{len(paths)} pages take a worker {facts['cold']:.1f} s (measured before the load, one "
        "page after the other, best of 3). The public rate still falls, "
        f"{alone['rate']:,.0f} → {public['rate']:,.0f} requests a second (median "
        f"{alone['latency']['50']:,.0f} → {public['latency']['50']:,.0f} ms), because the "
        "staff's pages, rendered for each person and never cached, share the machine's cores "
        f"and the {server.workers()} sync workers with the visitors; the staff's latency is "
        "mostly that queue.",
        "",
        "## Counts after the run",
        "",
        "| check | found |",
        "| --- | --- |",
        f"| movements acknowledged / rows saved (each once, by its reference) | "
        f"{counts['movements acknowledged']} / {counts['movements']} |",
        f"| history rows of those movements, by the person who saved | "
        f"{'all' if not any('history' in p for p in counts['problems']) else 'missing'} |",
        f"| budget lines saved on: committed total grew by exactly their movements and "
        f"equals their sum | {counts['lines']} lines, "
        f"{counts['line history rows']} line history rows |",
        f"| progress reports acknowledged / history rows (each once, by its note) | "
        f"{counts['progress acknowledged']} / {counts['progress history rows']} |",
        f"| saves with no answer (outcome unknown) | {counts['unknown outcome']} |",
        f"| jobs queued by the saves (outbox) | {counts['jobs'] or 'none'} |",
        "",
    ]
    if counts["problems"] or staff_errors:
        lines += ["## Problems", ""]
        lines += [f"- {problem}" for problem in counts["problems"][:50]]
        shown = Counter(f"{h.method} {h.kind}: {h.problem}" for h in staff_errors)
        lines += [f"- {n} × {problem}" for problem, n in shown.most_common(20)]
        lines.append("")
    lines += [
        f"Verdict: {'**FAILED**' if failed else 'passed'}: "
        + (
            "no error and no lost write."
            if not failed
            else "errors or lost writes above (the exit status is non-zero)."
        ),
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    for line in lines[lines.index("## Figures") :]:
        bench_poa.out(line)
    bench_poa.out(f"Written: {RESULTS.relative_to(ROOT)}")
    return failed


def wait_for_disconnection(database: str, seconds: float = 15) -> None:
    """The database can be dropped once the sessions of gunicorn's workers are gone."""
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> "
                "pg_backend_pid()",
                [database],
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.5)


if __name__ == "__main__":
    sys.exit(main())
