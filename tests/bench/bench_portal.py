"""Benchmark of the public portal under load (`make bench`; not a test).

The question: with the public-page cache warm (pmot/core/public_cache.py), how many requests a
second do the home page and the detail pages a citizen opens most serve, next to the smallest
page Django can serve through the same middleware? The goal is at least half of that minimal
page's rate.

In a throwaway PostgreSQL database (Django's test database of DATABASE_URL, created and dropped
here) it loads the demo municipality (`manage.py load_demo`) and adds volume: 2,000 more actions
in the approved POA (6,000 budget lines, about 30,000 movements, progress) and 500 monthly
indicators with five years of targets and measurements (tests/bench/bench_evaluation.py). Then
it starts ONE gunicorn on 127.0.0.1 with the deployed command line (docker-compose.yml's web
service) serving pmot plus /bench/minimal/ (bench_portal_settings, bench_portal_urls; the
server and wrk in bench_portal_load), times each page cold (cache out of date), warms the
cache, and drives each address with wrk, the minimal view before and after every page. It also
counts the renders one change costs: right after the published records change, wrk sends a
crowd of concurrent requests to the page, and the page cache, wrapped by bench_render_count,
counts how many of them rendered it. All of it in each of harness.RUNS runs (at least three)
on data built once. Writes tests/bench/RESULTS-portal.md and its raw figures. A missed goal is
a finding, not a failure: the exit status is non-zero only when the benchmark itself breaks.

Change the pages measured in PAGES below.
"""

import datetime
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parents[1]
sys.path[:0] = [str(ROOT), str(BENCH_DIR)]
# pmot's settings with the minimal page added; set before bench_poa sets Django up.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench_portal_settings"

import bench_evaluation  # noqa: E402
import bench_poa  # noqa: E402  (sets Django up)
import bench_portal_load as load  # noqa: E402
import bench_render_count as renders  # noqa: E402
import harness  # noqa: E402
from bench_portal_urls import MINIMAL_PATH  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, F  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from harness import out  # noqa: E402

from pmot.core import public_cache  # noqa: E402
from tests.budgeting.progress import validated  # noqa: E402

EXTRA_ACTIONS = 200 if harness.QUICK else 2000
COLD_ROUNDS = 3  # in each run
GOAL = 0.5
# The crowd right after a change: wrk's connections for this long on the page just changed.
CROWD_SECONDS = 2 if harness.QUICK else 3


def _agreement(data):
    from committees.models import Agreement

    # The agreement with the most members voting: the longest vote and attendance lists.
    members = F("item__vote__members").desc(nulls_last=True)
    agreement = Agreement.objects.order_by(members, "pk").first()
    return reverse("committees:public_agreement", args=[agreement.pk])


def _indicator(data):
    from pmot.portal.selectors import published

    indicator = (
        published.indicators().annotate(n=Count("measurements")).order_by("-n", "pk").first()
    )
    return reverse("portal:indicator", args=[indicator.pk])


def _action(data):
    from pmot.portal.selectors import published

    # A demo action (real names and places), the one with the most lines and reports.
    action = (
        published.actions()
        .filter(poa=data["poa"])
        .exclude(key__startswith="B-")
        .annotate(n=Count("lines", distinct=True) + Count("reports", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    return reverse("portal:action", args=[action.poa.fiscal_year, action.pk])


# (key, label, how to find its address). A page whose URL name does not resolve is left out.
PAGES = [
    ("home", "home page", lambda data: reverse("portal:home")),
    ("agreement", "an agreement", _agreement),
    ("indicator", "an indicator", _indicator),
    ("action", "a POA action", _action),
]


# --- Data ----------------------------------------------------------------------------------------


def build() -> dict:
    """The demo municipality, plus volume in its approved POA and in its indicators."""
    from budgeting.models import Poa
    from pmot.actors.models import User
    from pmot.celery import app

    # Tasks run inline, as in the embedded `make run`: nothing is left queued in Redis.
    app.conf.task_always_eager = True
    logging.getLogger("celery").setLevel(logging.WARNING)  # one line per task otherwise
    settings.PMOT_DEMO_DATA = True  # load_demo refuses to run otherwise
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.PMOT_DEMO_DATA = False
    poa = Poa.objects.filter(status__in=["approved", "modified"]).order_by("-fiscal_year").first()
    planner = User.objects.get(username="planeacion")
    add_actions(poa, planner)
    made = bench_evaluation.build_indicators({"poa": poa, "planner": planner})
    public_cache.changed()  # bulk writes send no signal
    return {"poa": poa, **made}


def add_actions(poa, planner) -> None:
    """EXTRA_ACTIONS actions in `poa`, three budget lines each with their movements, one
    progress report each; bulk-written like bench_poa.build (benchmark data, no history)."""
    from budgeting.models import (
        Action,
        ActionKind,
        BudgetLine,
        ExpenseItem,
        FunctionalClass,
        FundingSource,
        Movement,
        ProgramModality,
        ProgressReport,
    )
    from pmot.actors.models import Organization
    from pmot.planning.models import PlanElement

    orgs = list(Organization.objects.order_by("pk"))
    modalities = list(ProgramModality.objects.filter(key__in=["E", "K", "P", "S"]))
    pmot = list(PlanElement.objects.filter(plan__key="pmot", level__gt=0).order_by("pk"))
    pdm = list(PlanElement.objects.filter(plan__key="pdm-2024-2027", level__gt=0).order_by("pk"))
    kinds = list(ActionKind.values)
    actions = Action.objects.bulk_create(
        Action(
            poa=poa,
            key=f"B-{n:04d}",
            name=f"Acción {n}: rehabilitación de infraestructura en la colonia {n % 97}",
            kind=kinds[n % len(kinds)],
            responsible=orgs[n % len(orgs)],
            modality=modalities[n % len(modalities)],
            target=Decimal(400),
            target_unit="metros",
            calendar_kind="quarterly",
            calendar=["100", "100", "100", "100"],
            status=Action.Status.SUBMITTED,
        )
        for n in range(EXTRA_ACTIONS)
    )
    through = Action.alignments.through
    through.objects.bulk_create(
        through(action_id=action.pk, planelement_id=element.pk)
        for n, action in enumerate(actions)
        for element in (pmot[n % len(pmot)], pdm[n % len(pdm)])
    )
    sources = list(FundingSource.objects.order_by("pk"))
    item, functional = ExpenseItem.objects.get(key="6140"), FunctionalClass.objects.get(key="2.2.1")
    lines, stages = [], []
    for n, action in enumerate(actions):
        for k in range(3):
            source = sources[(n + k) % len(sources)]
            approved = Decimal(100_000 + (n * 37 + k * 1001) % 900_000)
            committed = (approved * Decimal("0.8")).quantize(Decimal("0.01"))
            accrued = (committed * Decimal("0.75")).quantize(Decimal("0.01"))
            exercised = (accrued * Decimal("0.9")).quantize(Decimal("0.01"))
            paid = (exercised * Decimal("0.5")).quantize(Decimal("0.01"))
            amounts = {"approved": approved, "committed": committed, "accrued": accrued}
            amounts |= {"exercised": exercised, "paid": paid}
            line = BudgetLine(
                action=action,
                source=source,
                expense_item=item,
                functional=functional,
                fismdf_category="water" if source.is_fismdf else "",
                modified=approved,
                **amounts,
            )
            lines.append(line)
            stages.append((line, amounts))
    BudgetLine.objects.bulk_create(lines, batch_size=2000)
    day = datetime.date(poa.fiscal_year, 3, 1)
    Movement.objects.bulk_create(
        (
            Movement(line=line, stage=stage, amount=amount, date=day, by=planner)
            for line, amounts in stages
            for stage, amount in amounts.items()
        ),
        batch_size=5000,
    )
    from pmot.actors.models import User

    reviewer = User.objects.get(username="admin")
    ProgressReport.objects.bulk_create(
        ProgressReport(
            action=action,
            period=1,
            achieved=Decimal(100 if n % 3 else 20),
            by=planner,
            **validated(action, reviewer),
        )
        for n, action in enumerate(actions)
    )


def scale() -> dict:
    from budgeting.models import Movement
    from committees.models import Agreement
    from pmot.portal.selectors import published

    actions = published.actions()
    return {
        "public actions": actions.count(),
        "budget lines": published.budget_lines().count(),
        "movements": Movement.objects.filter(line__action__in=actions).count(),
        "published indicators": published.indicators().count(),
        "validated measurements": published.measurements().count(),
        "agreements": Agreement.objects.count(),
    }


# --- The run -------------------------------------------------------------------------------------


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk (`make bench` installs it).")
    bench = harness.Bench(
        "portal",
        "RESULTS-portal.md",
        sizes={"extra_actions": EXTRA_ACTIONS, "indicators": bench_evaluation.INDICATORS},
    )
    if not bench.may_run():
        return
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="pmot-bench-"))
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    paths: list[str] = []
    server = served_on = None
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in finally
        "w", prefix="pmot-bench-gunicorn-", suffix=".log", delete=False
    )
    try:
        out(f"Loading the demo and adding volume in {database}…")
        start = time.perf_counter()
        data = build()
        facts = {"built": time.perf_counter() - start, "scale": scale()}
        out(f"  {facts['scale']} in {facts['built']:.0f} s")
        pages = []
        for key, label, address in PAGES:
            try:
                pages.append((key, label, address(data)))
            except NoReverseMatch as missing:
                out(f"  {label}: not measured ({missing})")
        paths = [path for _key, _label, path in pages]
        declare(bench, pages)
        connection.close()  # gunicorn's workers open their own
        server, port = load.start_gunicorn(database, log)
        served_on = port
        load.wrk(port, MINIMAL_PATH, load.WARMUP_SECONDS)  # every worker up and serving
        for _number in range(harness.RUNS):
            with bench.run() as run:
                measure(bench, run, port, pages)
        bench.extra = {"scale": facts["scale"], "built_seconds": facts["built"]}
        write(bench, pages, facts)
    finally:
        if server is not None:
            load.stop_gunicorn(server)
        log.close()
        if served_on is not None:
            forget(served_on, paths)
        wait_for_disconnection(database)
        connection.creation.destroy_test_db(database, verbosity=0)
    os.unlink(log.name)  # kept when something broke


def declare(bench: harness.Bench, pages: list[tuple[str, str, str]]) -> None:
    bench.figure("minimal.rate", "minimal view, requests a second", "req/s")
    for key, label, _path in pages:
        bench.figure(f"{key}.cold", f"{label}: cold (cache out of date)", "ms")
        bench.figure(f"{key}.rate", f"{label}: requests a second, cache warm", "req/s")
        bench.figure(f"{key}.p50", f"{label}: p50, cache warm", "ms", digits=1)
        bench.figure(f"{key}.p99", f"{label}: p99, cache warm", "ms", digits=1)
        bench.figure(
            f"{key}.ratio",
            f"{label}: rate ÷ minimal view's around it",
            "",
            digits=2,
            goal=GOAL,
            higher_is_better=True,
        )
        bench.figure(f"{key}.renders", f"{label}: renders after one change, under a crowd", "")
        bench.figure(f"{key}.crowd", f"{label}: requests of that crowd", "")


def measure(bench: harness.Bench, run: dict, port: int, pages: list[tuple[str, str, str]]) -> None:
    """Cold times, the renders of one change under a crowd, then the warm rates: the minimal
    view before and after every page, so each page is compared with what the (shared) machine
    gave the minimal view around it."""
    for _round in range(COLD_ROUNDS):
        for key, _label, path in pages:
            public_cache.changed()  # every cached page is out of date: this one renders
            status, _body, seconds = load.get(port, path)
            assert status == 200, (path, status)
            bench.record(f"{key}.cold", seconds * 1000)
    minimal = minimal_run(bench, port)
    details = run["details"]
    for key, label, path in pages:
        status, body, _seconds = load.get(port, path)  # warms the cache
        assert status == 200, (path, status)
        details[f"{key}.bytes"] = len(body)
        details[f"{key}.cached"] = is_cached(port, path)
        crowd_renders(bench, port, key, path)
        load.wrk(port, path, load.WARMUP_SECONDS)
        row = load.wrk(port, path)
        details[f"{key}.errors"] = row["errors"]
        for figure in ("rate", "p50", "p99"):
            bench.record(f"{key}.{figure}", row[figure])
        after = minimal_run(bench, port)
        reference = statistics.mean([minimal, after])
        bench.record(f"{key}.ratio", row["rate"] / reference)
        minimal = after
        out(f"  {label}: minimal view around it {reference:.0f} req/s {row['errors']}")


def crowd_renders(bench: harness.Bench, port: int, key: str, path: str) -> None:
    """With the page cached, the records change; wrk's connections then ask for the page at
    once for CROWD_SECONDS. Counted: the renders of this page for the new generation."""
    renders.reset()
    public_cache.changed()
    generation = renders.generation()
    crowd = load.wrk(port, path, CROWD_SECONDS)
    found = renders.counts()
    bench.record(f"{key}.renders", found.get((generation, path), 0))
    bench.record(f"{key}.crowd", crowd["requests"])
    others = {k: n for k, n in found.items() if k != (generation, path)}
    if others:
        bench.current["details"][f"{key}.other_renders"] = {
            f"{g} {p}": n for (g, p), n in others.items()
        }


def minimal_run(bench: harness.Bench, port: int) -> float:
    row = load.wrk(port, MINIMAL_PATH)
    bench.record("minimal.rate", row["rate"])
    return row["rate"]


def page_key(port: int, path: str) -> str:
    """The cache key of a visitor's copy of `path` as served on `port` (the host is in it)."""
    return public_cache._page_key(RequestFactory().get(path, HTTP_HOST=f"127.0.0.1:{port}"))


def is_cached(port: int, path: str) -> bool:
    """Whether the cache holds `path` for anonymous visitors, of the current generation."""
    found = cache.get(page_key(port, path))
    generation = cache.get(public_cache._generation_key(), 0)
    return found is not None and found["generation"] == generation


def write(bench: harness.Bench, pages: list[tuple[str, str, str]], facts: dict) -> None:
    import gunicorn

    method = [
        "`make bench` (tests/bench/bench_portal.py): the demo municipality (`load_demo`) plus "
        f"{EXTRA_ACTIONS:,} actions and {bench_evaluation.INDICATORS} monthly indicators of "
        "volume, in a throwaway PostgreSQL database: "
        + ", ".join(f"{n:,} {what}" for what, n in facts["scale"].items())
        + f"; built in {facts['built']:.0f} s. PostgreSQL {connection.pg_version // 10000}, "
        f"gunicorn {gunicorn.__version__} with {load.workers()} sync workers (2 × cores + 1), "
        f"{load.wrk_version()}.",
        "",
        "Method, in each run: one gunicorn on 127.0.0.1 with the deployed command line "
        "(docker-compose.yml: `gunicorn pmot.wsgi:application --access-logfile - --timeout 60`), "
        "DEBUG=0, the page cache on Redis, serving pmot and, through the same middleware, a "
        f"minimal view (`{MINIMAL_PATH}`: a two-byte HttpResponse, no database, no template, no "
        f"cache). *Cold*: one anonymous GET with the cache out of date, {COLD_ROUNDS} rounds. "
        "*Renders after one change*: with the page cached, the published records change (the "
        f"cache generation moves on) and wrk's {load.WRK_CONNECTIONS} connections ask for the "
        f"page for {CROWD_SECONDS} s; the page cache (wrapped by bench_render_count) counts "
        "the renders of the page it keeps for the new generation. *Warm*: each address driven "
        f"by `wrk -t{load.WRK_THREADS} -c{load.WRK_CONNECTIONS} -d{load.WRK_SECONDS}s "
        f"--latency` after a discarded {load.WARMUP_SECONDS}-s warm-up, wrk on the same "
        "machine; the minimal view runs before and after every page, and a page's ratio is to "
        f"the mean of the two runs around it. Goal: with the cache warm, at least {GOAL:.0%} "
        "of the minimal view's rate.",
        "",
        "| page | address | HTML |",
        "| --- | --- | --- |",
    ]
    for key, label, path in pages:
        sizes = [run["details"][f"{key}.bytes"] for run in bench.runs]
        method.append(f"| {label} | `{path}` | {max(sizes) / 1024:.0f} KB |")
    method.append("")
    bench.write("Public portal under load", method, findings(bench, pages))


def findings(bench: harness.Bench, pages: list[tuple[str, str, str]]) -> list[str]:
    """Sentences from this run's numbers: renders per change, the minimal view's spread,
    pages not kept in the cache, errors."""
    lines = []
    counted = [
        (label, bench.values(f"{key}.renders"), bench.values(f"{key}.crowd"))
        for key, label, _path in pages
    ]
    per_change = [n for _label, found, _crowd in counted for n in found]
    crowd = [n for _label, _found, requests in counted for n in requests]
    if per_change:
        lines.append(
            f"Renders after one change: {len(per_change)} changes (each page, each run), each "
            f"followed by a crowd of {min(crowd):,}–{max(crowd):,} requests; the page was "
            + (
                f"rendered {per_change[0]} time(s) after every change"
                if len(set(per_change)) == 1
                else f"rendered {min(per_change)}–{max(per_change)} times per change"
            )
            + (
                " — one render per change, as pmot/core/public_cache.py intends."
                if set(per_change) == {1}
                else "; pmot/core/public_cache.py intends exactly one: **not as intended** ("
                + "; ".join(f"{label}: {found}" for label, found, _crowd in counted)
                + ")."
            )
        )
    minimal = bench.summary("minimal.rate")
    if minimal:
        lines.append(
            f"The minimal view ran at {minimal['min']:,.0f}–{minimal['max']:,.0f} requests a "
            f"second across its {minimal['n']} runs ({minimal['max'] / minimal['min']:.1f}× "
            "between the slowest and the fastest)."
        )
    uncached = [
        label
        for key, label, _path in pages
        if not all(run["details"][f"{key}.cached"] for run in bench.runs)
    ]
    if uncached:
        lines.append("Not kept in the cache after a GET in some run: " + ", ".join(uncached) + ".")
    errors = [
        f"{label}: {run['details'][f'{key}.errors']}"
        for run in bench.runs
        for key, label, _path in pages
        if run["details"][f"{key}.errors"]
    ]
    if errors:
        lines.append("wrk saw errors: " + "; ".join(errors) + ".")
    return [" ".join(lines), ""] if lines else []


def forget(port: int, paths: list[str]) -> None:
    """Remove the pages this run cached (Redis may be shared; the generation stays)."""
    try:
        cache.delete_many([page_key(port, p) for p in paths])
    except Exception as error:  # noqa: BLE001 - cleaning up; the entries expire anyway
        bench_poa.out(f"  cache entries not removed: {error}")


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
    main()
