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
cache, and drives each address with wrk, the minimal view before and after every page.
Writes tests/bench/RESULTS-portal.md. A missed goal is a finding, not a failure: the exit status
is non-zero only when the benchmark itself breaks.

Change the pages measured in PAGES below.
"""

import datetime
import logging
import os
import platform
import re
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
from bench_portal_urls import MINIMAL_PATH  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, F  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from pmot.core import public_cache  # noqa: E402

EXTRA_ACTIONS = 2000
COLD_ROUNDS = 5
GOAL = 0.5
RESULTS = BENCH_DIR / "RESULTS-portal.md"


def _agreement(data):
    from committees.models import Agreement

    # The agreement with the most members voting: the longest vote and attendance lists.
    members = F("item__vote__members").desc(nulls_last=True)
    agreement = Agreement.objects.order_by(members, "pk").first()
    return reverse("committees:public_agreement", args=[agreement.pk])


def _indicator(data):
    from pmot.portal import published

    indicator = (
        published.indicators().annotate(n=Count("measurements")).order_by("-n", "pk").first()
    )
    return reverse("portal:indicator", args=[indicator.pk])


def _action(data):
    from pmot.portal import published

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


# (label, how to find its address). A page whose URL name does not resolve is left out.
PAGES = [
    ("home page", lambda data: reverse("portal:home")),
    ("an agreement", _agreement),
    ("an indicator", _indicator),
    ("a POA action", _action),
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
    ProgressReport.objects.bulk_create(
        ProgressReport(action=action, period=1, achieved=Decimal(100 if n % 3 else 20), by=planner)
        for n, action in enumerate(actions)
    )


def scale() -> dict:
    from budgeting.models import Movement
    from committees.models import Agreement
    from pmot.portal import published

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
        bench_poa.out(f"Loading the demo and adding volume in {database}…")
        start = time.perf_counter()
        data = build()
        facts = {"built": time.perf_counter() - start, "scale": scale()}
        bench_poa.out(f"  {facts['scale']} in {facts['built']:.0f} s")
        pages = []
        for label, address in PAGES:
            try:
                pages.append((label, address(data)))
            except NoReverseMatch as missing:
                bench_poa.out(f"  {label}: not measured ({missing})")
        paths = [path for _label, path in pages]
        connection.close()  # gunicorn's workers open their own
        facts["load_before"] = os.getloadavg()[0]
        server, port = load.start_gunicorn(database, log)
        served_on = port
        rows = measure(port, pages)
        facts["load_after"] = os.getloadavg()[0]
        write(rows, facts)
    finally:
        if server is not None:
            load.stop_gunicorn(server)
        log.close()
        if served_on is not None:
            forget(served_on, paths)
        wait_for_disconnection(database)
        connection.creation.destroy_test_db(database, verbosity=0)
    os.unlink(log.name)  # kept when something broke


def measure(port: int, pages: list[tuple[str, str]]) -> list[dict]:
    """Cold times, then the warm runs: the minimal view before and after every page, so each
    page is compared with what the (shared) machine gave the minimal view around it."""
    load.wrk(port, MINIMAL_PATH, load.WARMUP_SECONDS)  # every worker up and serving
    cold = {path: [] for _label, path in pages}
    for _round in range(COLD_ROUNDS):
        for path in cold:
            public_cache.changed()  # every cached page is out of date: this one renders
            status, _body, seconds = load.get(port, path)
            assert status == 200, (path, status)
            cold[path].append(seconds * 1000)
    rows = [minimal_run(port)]
    for label, path in pages:
        status, body, _seconds = load.get(port, path)  # warms the cache
        assert status == 200, (path, status)
        row = {"label": label, "path": path, "bytes": len(body), "cached": is_cached(port, path)}
        row |= {"cold": statistics.median(cold[path]), "cold_min": min(cold[path])}
        load.wrk(port, path, load.WARMUP_SECONDS)
        row |= load.wrk(port, path)
        rows += [row, minimal_run(port)]
        row["reference"] = statistics.mean([rows[-3]["rate"], rows[-1]["rate"]])
        row["ratio"] = row["rate"] / row["reference"]
        bench_poa.out(
            f"  {label}: {row['rate']:.0f} req/s (minimal around it {row['reference']:.0f}), "
            f"p50 {row['p50']:.1f} ms, p99 {row['p99']:.1f} ms {row['errors']}"
        )
    return rows


def minimal_run(port: int) -> dict:
    return {"label": "minimal view", "path": MINIMAL_PATH, "minimal": True} | load.wrk(
        port, MINIMAL_PATH
    )


def page_key(port: int, path: str) -> str:
    """The cache key of a visitor's copy of `path` as served on `port` (the host is in it)."""
    return public_cache._page_key(RequestFactory().get(path, HTTP_HOST=f"127.0.0.1:{port}"))


def is_cached(port: int, path: str) -> bool:
    """Whether the cache holds `path` for anonymous visitors, of the current generation."""
    found = cache.get(page_key(port, path))
    generation = cache.get(public_cache._generation_key(), 0)
    return found is not None and found["generation"] == generation


def write(rows: list[dict], facts: dict) -> None:
    import gunicorn

    cpu = re.search(r"model name\s*:\s*(.*)", Path("/proc/cpuinfo").read_text())
    minimal = [row["rate"] for row in rows if row.get("minimal")]
    lines = [
        f"# Public portal under load ({timezone.localtime():%Y-%m-%d %H:%M})",
        "",
        "`make bench` (tests/bench/bench_portal.py): the demo municipality (`load_demo`) plus "
        f"{EXTRA_ACTIONS:,} actions and {bench_evaluation.INDICATORS} monthly indicators of "
        "volume, in a throwaway PostgreSQL database: "
        + ", ".join(f"{n:,} {what}" for what, n in facts["scale"].items())
        + f"; built in {facts['built']:.0f} s.",
        "",
        f"Machine: {cpu[1].strip() if cpu else platform.processor()}, {os.cpu_count()} cores, "
        f"load average {facts['load_before']:.1f} before the runs and "
        f"{facts['load_after']:.1f} after; Python {platform.python_version()}, PostgreSQL "
        f"{connection.pg_version // 10000}, gunicorn {gunicorn.__version__} with "
        f"{load.workers()} sync workers (2 × cores + 1), {load.wrk_version()}.",
        "",
        "Method: one gunicorn on 127.0.0.1 with the deployed command line (docker-compose.yml: "
        "`gunicorn pmot.wsgi:application --access-logfile - --timeout 60`), DEBUG=0, the page "
        "cache on Redis, serving pmot and, through the same middleware, a minimal view "
        f"(`{MINIMAL_PATH}`: a two-byte HttpResponse, no database, no template, no cache). "
        "*Cold*: one anonymous GET with the cache out of date (its generation moved on), median "
        f"of {COLD_ROUNDS} rounds (best in brackets). Then one GET per page warms the cache and "
        f"each address is driven by `wrk -t{load.WRK_THREADS} -c{load.WRK_CONNECTIONS} "
        f"-d{load.WRK_SECONDS}s --latency` after a discarded {load.WARMUP_SECONDS}-s warm-up, "
        "wrk on the same machine. The minimal view runs before and after every page; a page's "
        "ratio is to the mean of the two runs around it. Goal: with the cache warm, at least "
        f"{GOAL:.0%} of the minimal view's rate.",
        "",
        "| page | address | HTML | cold | req/s | p50 | p99 | ratio to minimal "
        f"| goal met (≥ {GOAL}) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    met = []
    for row in rows:
        if row.get("minimal"):
            size = cold = ratio = verdict = ""
        else:
            size = f"{row['bytes'] / 1024:.0f} KB"
            cold = f"{row['cold']:.0f} ms ({row['cold_min']:.0f})"
            ratio = f"{row['ratio']:.2f}"
            met.append(row["ratio"] >= GOAL)
            verdict = "yes" if met[-1] else "**no**"
            verdict += "" if row["cached"] else " (not cached!)"
        verdict += f" ({row['errors']})" if row["errors"] else ""
        lines.append(
            f"| {row['label']} | `{row['path']}` | {size} | {cold} | {row['rate']:,.0f} | "
            f"{row['p50']:.1f} ms | {row['p99']:.1f} ms | {ratio} | {verdict} |"
        )
    lines += [
        "",
        f"Verdict: {sum(met)} of {len(met)} pages reach {GOAL:.0%} of the minimal view's rate "
        f"(which ran at {min(minimal):,.0f}–{max(minimal):,.0f} req/s): goal "
        f"{'met' if met and all(met) else '**not met**'}.",
        "",
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    bench_poa.out(lines[-2])
    bench_poa.out(f"Written: {RESULTS.relative_to(ROOT)}")


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
