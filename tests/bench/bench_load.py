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
period is the last one saved. During the shared load the page cache, wrapped by
bench_render_count, counts every render of a public page it keeps, by the change (cache
generation) it was rendered for. All of it in each of harness.RUNS runs (at least three) on
data built once. Writes tests/bench/RESULTS-load.md and its raw figures.

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
import bench_render_count as renders  # noqa: E402
import harness  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Max, Sum  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from harness import out  # noqa: E402

from pmot.core import public_cache  # noqa: E402

SECONDS = 10 if harness.QUICK else 60
PUBLIC_CONNECTIONS = 50 if harness.QUICK else 200
# wrk gives up on a request after this long (its default, 2 s, is shorter than any browser's
# patience; gunicorn's own limit is 60 s): a request still waiting then counts as an error.
WRK_TIMEOUT = 30
# (username, sessions): 20 staff sessions of the demo's roles that save money and progress.
PERSONAS = [("planeacion", 6), ("obras", 5), ("estatal", 4), ("federal", 3), ("privado", 2)]
STAGE, AMOUNT = "committed", Decimal("1.00")
ROOM = Decimal(10_000)  # a line chosen has this much left to commit: no save hits the ceiling
# First the public load alone for this long: the rate of the public pages when nothing is saved
# (the page cache stays valid), to read the shared run's figures against.
ALONE_SECONDS, DRAIN_SECONDS = (5, 2) if harness.QUICK else (20, 5)


def _year(poa) -> str:
    return reverse("portal:poa_year", args=[poa.fiscal_year])


def _action(poa) -> str:
    from pmot.portal.selectors import published

    action = published.actions().filter(poa=poa).order_by("pk").first()
    return reverse("portal:action", args=[poa.fiscal_year, action.pk])


def _indicator(poa) -> str:
    from pmot.portal.selectors import published

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
    from budgeting import permissions
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
            and permissions.can_record_movement(user, line)
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
            if permissions.can_report_progress(user, action):
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


def check_counts(sessions, before: dict, number: int) -> dict:
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
        ProgressReport.history.filter(note__startswith=f"load-{number}-").values_list(
            "note", flat=True
        )
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
    reports = ProgressReport.objects.filter(note__startswith=f"load-{number}-")
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


def render_all(port: int, paths: list[str]) -> float:
    """Seconds a worker spends rendering every public page once after a change: the cache out
    of date, one GET after the other, nothing else running. Each page is checked to answer."""
    public_cache.changed()
    total = 0.0
    for path in paths:
        status, _body, seconds = server.get(port, path)
        if status != 200:
            raise RuntimeError(f"{path} answers {status} before the load")
        total += seconds
    return total


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
    bench = harness.Bench(
        "load",
        "RESULTS-load.md",
        sizes={"seconds": SECONDS, "public_connections": PUBLIC_CONNECTIONS},
    )
    if not bench.may_run():
        return 0
    declare(bench)
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="pmot-bench-"))
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    gunicorn, port, paths, failed = None, 0, [], True
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in finally
        "w", prefix="pmot-bench-load-gunicorn-", suffix=".log", delete=False
    )
    try:
        out(f"Loading the demo in {database}…")
        started = time.perf_counter()
        poa = build()
        facts = {"built": time.perf_counter() - started}
        paths = public_paths(poa)
        sessions, made = staff_sessions(poa)
        facts |= made
        connection.close()  # gunicorn's workers open their own
        gunicorn, port = server.start_gunicorn(database, log)
        for number in range(1, harness.RUNS + 1):
            with bench.run() as run:
                measure(bench, run, port, paths, sessions, made["lines"], number)
        server.stop_gunicorn(gunicorn)
        gunicorn = None
        log.flush()
        facts["log"] = server_log(log.name)
        failed = write(bench, paths, sessions, facts)
    finally:
        if gunicorn is not None:
            server.stop_gunicorn(gunicorn)
        log.close()
        if port:
            forget(port, paths)
        wait_for_disconnection(database)
        connection.creation.destroy_test_db(database, verbosity=0)
    if failed:
        out(f"FAILED: see {bench.results}; gunicorn's log: {log.name}")
        return 1
    os.unlink(log.name)  # kept when something failed
    return 0


STAFF_KINDS = [
    ("read", "staff pages read"),
    ("form", "staff form pages"),
    ("movement", "saves: movements"),
    ("progress", "saves: progress reports"),
]


def declare(bench: harness.Bench) -> None:
    bench.figure("cold", "every public page rendered once, one after the other", "s", digits=2)
    for key, label in (
        ("alone", f"public pages alone, {ALONE_SECONDS} s (nothing saved)"),
        ("shared", f"public pages with the staff, {SECONDS} s"),
    ):
        bench.figure(f"{key}.rate", f"{label}: requests a second", "req/s", digits=1)
        for cut in ("50", "95", "99"):
            bench.figure(f"{key}.p{cut}", f"{label}: p{cut}", "ms")
    for kind, label in STAFF_KINDS:
        bench.figure(f"{kind}.rate", f"{label}: a second", "/s", digits=2)
        bench.figure(f"{kind}.p50", f"{label}: p50", "ms")
        bench.figure(f"{kind}.p95", f"{label}: p95", "ms")
    bench.figure("errors", "errors (public and staff requests, 5xx in gunicorn's log)", "")
    bench.figure("problems", "writes lost, doubled or without history", "")
    bench.figure("changes", "changes of the published records (cache generations)", "")
    bench.figure("renders", "renders of public pages for visitors", "")
    bench.figure("renders.max", "most renders of one page for one change", "")


def measure(bench, run, port, paths, sessions, line_ids, number) -> None:
    """One run: the pages rendered cold, the public load alone, then with the staff; the
    renders of that shared load counted; every save of the run checked in the database."""
    for session in sessions:
        session.hits, session.run = [], number
    before = snapshot(line_ids)
    bench.record("cold", render_all(port, paths))
    out(f"  {len(paths)} public pages alone, {ALONE_SECONDS} s…")
    alone = run_load(port, paths, [], ALONE_SECONDS)["public"]
    time.sleep(DRAIN_SECONDS)  # the requests wrk left waiting are served
    out(f"  and with {len(sessions)} staff sessions, {SECONDS} s…")
    renders.reset()
    generation = renders.generation()
    shared = run_load(port, paths, sessions, SECONDS)
    changes = renders.generation() - generation
    counted = {key: n for key, n in renders.counts().items() if key[0] > generation}
    public = shared["public"]
    for key, result in (("alone", alone), ("shared", public)):
        bench.record(f"{key}.rate", result["rate"])
        for cut in ("50", "95", "99"):
            bench.record(f"{key}.p{cut}", result["latency"][cut])
    hits = [hit for session in sessions for hit in session.hits]
    for kind, _label in STAFF_KINDS:
        mine = [hit for hit in hits if hit.kind == kind]
        if mine:
            cut = percentiles([hit.seconds for hit in mine])
            bench.record(f"{kind}.rate", len(mine) / shared["staff_seconds"])
            bench.record(f"{kind}.p50", cut[50])
            bench.record(f"{kind}.p95", cut[95])
    counts = check_counts(sessions, before, number)
    staff_errors = [hit for hit in hits if not hit.ok]
    bench.record("errors", errors(alone) + errors(public) + len(staff_errors))
    bench.record("problems", len(counts["problems"]))
    bench.record("changes", changes)
    bench.record("renders", sum(counted.values()))
    bench.record("renders.max", max(counted.values(), default=0))
    run["details"] |= {
        "statuses": {"alone": alone["statuses"], "shared": public["statuses"]},
        "socket": {"alone": alone["socket"], "shared": public["socket"]},
        "requests": {"alone": alone["requests"], "shared": public["requests"]},
        "staff": {"requests": len(hits), "saves": sum(h.method == "POST" for h in hits)},
        "staff_errors": [f"{h.method} {h.kind}: {h.problem}" for h in staff_errors][:50],
        "counts": counts,
        "pages_rendered": len({path for _generation, path in counted}),
        "renders_by_page_and_change": {f"{g} {p}": n for (g, p), n in sorted(counted.items())},
    }


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


def write(bench: harness.Bench, paths: list[str], sessions, facts: dict) -> bool:
    """RESULTS-load.md; whether the run failed (an error, or a write lost, in any run)."""
    import gunicorn

    log = facts["log"]
    failed = any(bench.values("errors")) or any(bench.values("problems"))
    failed = failed or bool(log["5xx"] or log["worker timeouts"])
    method = [
        "`make bench` (tests/bench/bench_load.py): the demo municipality (`load_demo`, built in "
        f"{facts['built']:.0f} s) in a throwaway PostgreSQL database; one gunicorn on 127.0.0.1 "
        "with the deployed command line (docker-compose.yml: `gunicorn pmot.wsgi:application "
        f"--access-logfile - --timeout 60`, {server.workers()} sync workers, 2 × cores + 1), "
        "DEBUG=0, sessions in PostgreSQL, the public-page cache on Redis; Python "
        f"{platform.python_version()}, PostgreSQL {connection.pg_version // 10000}, gunicorn "
        f"{gunicorn.__version__}, {server.wrk_version()}. In each run: every public page "
        f"rendered once with the cache out of date; the public load alone for {ALONE_SECONDS} s "
        f"(nothing saved); then for {SECONDS} s, at the same time:",
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
        "A save is acknowledged by its redirect;",
        "- **renders**: the page cache (wrapped by bench_render_count) counts each render of a "
        "public page it keeps for visitors, by the change (cache generation) it was rendered "
        "for.",
        "",
        "After each run, from the database: every acknowledged save has its row and its history "
        "row, once; each line's committed total grew by exactly its movements and equals their "
        "sum; each progress report is its last saved version.",
        "",
    ]
    bench.extra = {"log": log, "built_seconds": facts["built"], "paths": paths}
    title = "Load: the public and the staff at once"
    bench.write(title, method, findings(bench, paths, log, failed))
    return failed


def findings(bench: harness.Bench, paths: list[str], log: dict, failed: bool) -> list[str]:
    """Sentences from this run's numbers."""
    runs = bench.runs
    lines = []
    alone, shared = bench.summary("alone.rate"), bench.summary("shared.rate")
    change = "fell" if shared["median"] < alone["median"] else "rose"
    lines.append(
        f"With the staff saving, the public rate {change} from {alone['median']:,.0f} to "
        f"{shared['median']:,.0f} requests a second (medians; p50 "
        f"{bench.show('alone.p50')} → {bench.show('shared.p50')})."
    )
    changes = [n for run in runs for n in run["values"]["changes"]]
    counted = [n for run in runs for n in run["values"]["renders"]]
    most = [n for run in runs for n in run["values"]["renders.max"]]
    bound = [c * len(paths) for c in changes]
    lines.append(
        "Renders during the shared load, per run: "
        + "; ".join(
            f"{c} changes, {r:,} renders of the {len(paths)} public pages (one per page and "
            f"change would be at most {b:,}), at most {m} of one page for one change"
            for c, r, b, m in zip(changes, counted, bound, most, strict=True)
        )
        + "."
    )
    lines.append(
        "One render per page and change: "
        + (
            "held in every run."
            if max(most, default=0) <= 1
            else f"**not held**: a page rendered up to {max(most)} times for one change."
        )
    )
    lines.append(
        f"The {len(paths)} public pages rendered one after the other took a worker "
        f"{bench.show('cold', 'min')}–{bench.show('cold', 'max')} (cache out of date)."
    )
    lines.append(
        f"gunicorn's log over all runs: {log['lines']:,} requests, {log['5xx']} answered 5xx, "
        f"{log['worker timeouts']} worker timeouts, {log['tracebacks']} tracebacks."
    )
    statuses = []
    for run in runs:
        found = run["details"]
        alone_run, shared_run = (
            {"statuses": found["statuses"][k], "socket": found["socket"][k]}
            for k in ("alone", "shared")
        )
        statuses.append(
            f"run {run['run']}: {by_status(alone_run)} alone, then {by_status(shared_run)} "
            f"with the staff; staff: {found['staff']['requests']:,} requests, "
            f"{found['staff']['saves']:,} saves, {len(found['staff_errors'])} not as expected"
        )
    lines.append("Public responses by status, " + "; ".join(statuses) + ".")
    problems = [p for run in runs for p in run["details"]["counts"]["problems"]]
    staff = [p for run in runs for p in run["details"]["staff_errors"]]
    checks = []
    for run in runs:
        counts = run["details"]["counts"]
        checks.append(
            f"run {run['run']}: {counts['movements acknowledged']} movements acknowledged / "
            f"{counts['movements']} saved, {counts['progress acknowledged']} progress reports "
            f"acknowledged / {counts['progress history rows']} history rows, "
            f"{counts['unknown outcome']} saves without an answer, "
            f"{counts['line history rows']} line history rows on {counts['lines']} lines"
        )
    result = [" ".join(lines), "", "Counts after each run: " + "; ".join(checks) + ".", ""]
    if problems or staff:
        result += ["## Problems", ""]
        result += [f"- {problem}" for problem in problems[:50]]
        result += [f"- {n} × {problem}" for problem, n in Counter(staff).most_common(20)]
        result.append("")
    result += [
        f"Verdict: {'**FAILED**' if failed else 'passed'}: "
        + (
            f"no error and no lost write in {len(runs)} runs."
            if not failed
            else "errors or lost writes above (the exit status is non-zero)."
        ),
        "",
    ]
    return result


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
