"""Benchmark of evaluation at the scale of a large municipality (`make bench`; not a test).

On top of the POA benchmark's municipality (tests/bench/bench_poa.py: 2,000 actions, 6,000
budget lines, 30,000 movements), adds 500 monthly indicators with five years of targets and
measurements (30,000 of each), then measures the server time and the number of queries of the
traceability chain of the busiest PMOT strategy, the chain index, the indicators dashboard,
the indicator list and an indicator's page, in each of harness.RUNS runs (at least three) on
data built once. Writes tests/bench/RESULTS-evaluation.md and its raw figures.

Bulk-written, without history rows: benchmark data, not business events.
"""

import datetime
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_poa  # noqa: E402  (sets Django up)
import harness  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from harness import out  # noqa: E402

INDICATORS = 50 if harness.QUICK else 500
YEARS = 5


def build_indicators(data: dict) -> dict:
    from budgeting.models import Action
    from evaluation import lights
    from evaluation.models import Indicator, Measurement, Target
    from pmot.actors.models import Organization
    from pmot.planning.models import PlanElement

    strategies = list(PlanElement.objects.filter(plan__key="pmot", level=1).order_by("pk"))
    actions = list(Action.objects.filter(poa=data["poa"]).order_by("pk")[:250])
    orgs = list(Organization.objects.order_by("pk"))
    today = timezone.localdate()
    first_year = today.year - YEARS + 1
    directions = list(lights.Direction.values)
    indicators = Indicator.objects.bulk_create(
        Indicator(
            key=f"IND-{n:03d}",
            name=f"Indicador {n} de ordenamiento territorial",
            definition="Definición del indicador.",
            method="A entre B por cien.",
            variable_a="Variable A",
            variable_b="Variable B",
            factor=Decimal(100),
            unit="%",
            dimension="efficacy",
            kind="strategic" if n % 2 else "management",
            frequency="monthly",
            direction=directions[n % 3],
            source="Registro administrativo",
            verification="Informe mensual",
            reporter=orgs[n % len(orgs)],
            # half measure strategies, half measure actions
            element=strategies[n % len(strategies)] if n % 2 == 0 else None,
            action=actions[n % len(actions)] if n % 2 else None,
            first_year=first_year,
            published=True,
        )
        for n in range(INDICATORS)
    )
    planner = data["planner"]
    bands = lights.Bands.default()
    periods = [
        p
        for p in lights.periods_between("monthly", datetime.date(first_year, 1, 1), today)
        if p.end < today
    ][-YEARS * 12 :]
    targets, measurements = [], []
    for n, indicator in enumerate(indicators):
        for k, period in enumerate(periods):
            target = Decimal(50 + (n + k) % 40)
            targets.append(
                Target(
                    indicator=indicator,
                    year=period.year,
                    number=period.number,
                    value=target,
                    by=planner,
                )
            )
            if (n + k) % 17 == 0:
                continue  # not reported
            value = (target * Decimal(70 + (n * 7 + k * 3) % 60) / 100).quantize(Decimal("0.0001"))
            compliance = lights.compliance(
                direction=indicator.direction, value=value, target=target
            )
            measurements.append(
                Measurement(
                    indicator=indicator,
                    year=period.year,
                    number=period.number,
                    a=value,
                    b=Decimal(100),
                    value=value,
                    target=target,
                    compliance=compliance,
                    colour=bands.colour(compliance),
                    green_low=bands.green_low,
                    green_high=bands.green_high,
                    yellow_low=bands.yellow_low,
                    yellow_high=bands.yellow_high,
                    status="validated",
                    reported_by=planner,
                    reviewed_by=planner,
                    reviewed_at=timezone.now(),
                )
            )
    Target.objects.bulk_create(targets, batch_size=5000)
    Measurement.objects.bulk_create(measurements, batch_size=5000)
    busiest = max(strategies, key=lambda s: s.poa_actions.count())
    return {
        "indicators": len(indicators),
        "targets": len(targets),
        "measurements": len(measurements),
        "strategy": busiest,
        "indicator": indicators[0],
        # the periods of each indicator (the indicator's page shows them all)
        "periods": len(periods),
    }


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        bench_poa.get_ok(client, url)()
    return len(queries)


def main() -> None:
    bench = harness.Bench(
        "evaluation",
        "RESULTS-evaluation.md",
        sizes={"actions": bench_poa.ACTIONS, "indicators": INDICATORS, "years": YEARS},
    )
    if not bench.may_run():
        return
    bench_poa.setup_django()
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run(bench, database)
    finally:
        connection.creation.destroy_test_db(database, verbosity=0)


def run(bench: harness.Bench, database: str) -> None:
    out(f"Building the municipality and its indicators in {database}…")
    start = time.perf_counter()
    data = bench_poa.build()
    made = build_indicators(data)
    built = time.perf_counter() - start
    out(
        f"  {made['indicators']} indicators, {made['measurements']:,} measurements in {built:.0f} s"
    )
    client = bench_poa.staff_client(data["planner"])
    pages = [
        (
            "chain",
            "traceability chain of the busiest PMOT strategy",
            "evaluation:chain",
            [made["strategy"].pk],
        ),
        ("chain_index", "traceability index (every strategy)", "evaluation:chain_index", []),
        ("dashboard", "indicators dashboard", "evaluation:dashboard", []),
        ("indicator_list", "indicator list (first page)", "evaluation:indicator_list", []),
        (
            "indicator",
            f"an indicator's page ({made['periods']} monthly periods)",
            "evaluation:indicator_detail",
            [made["indicator"].pk],
        ),
    ]
    urls, missing = {}, []
    for key, label, name, args in pages:
        try:
            urls[key] = reverse(name, args=args)
        except NoReverseMatch:
            missing.append(f"{label} (`{name}` does not resolve)")
            continue
        bench.figure(key, label, "ms")
        bench.figure(f"{key}_queries", f"{label}: queries of one request", "")
    for _number in range(harness.RUNS):
        with bench.run():
            for key, url in urls.items():
                for seconds in bench_poa.timed(bench_poa.get_ok(client, url)):
                    bench.record(key, seconds * 1000)
                bench.record(f"{key}_queries", queries_of(client, url))
    bench.extra = {"made": {k: v for k, v in made.items() if isinstance(v, int)}, "urls": urls}
    method = [
        "`make bench` (tests/bench/bench_evaluation.py): the POA benchmark's municipality "
        f"({bench_poa.ACTIONS:,} actions, {bench_poa.ACTIONS * bench_poa.LINES_PER_ACTION:,} "
        f"budget lines) plus {made['indicators']} monthly indicators with {made['periods']} "
        f"monthly periods each ({YEARS} calendar years back from {timezone.localdate():%Y-%m}, "
        f"the periods already ended): {made['targets']:,} targets and "
        f"{made['measurements']:,} measurements; built in {built:.0f} s. Server time in-process "
        f"(Django test client), PostgreSQL {connection.pg_version // 10000}; in each run "
        f"{bench_poa.REQUESTS} requests of each page (each a number of its figure) and the "
        "queries of one more.",
        "",
    ]
    if missing:
        method += ["Not measured: " + "; ".join(missing) + ".", ""]
    bench.write("Evaluation benchmark", method, findings(bench, urls))


def findings(bench: harness.Bench, urls: dict) -> list[str]:
    """Which page was slowest, and whether any page's query count changed between runs."""
    if not urls:
        return []
    slowest = max(urls, key=lambda key: bench.summary(key)["median"])
    varying = [
        bench.figures[key]["label"] for key in urls if len(set(bench.values(f"{key}_queries"))) > 1
    ]
    sentence = (
        f"The slowest page by its median: {bench.figures[slowest]['label']}, "
        f"{bench.show(slowest)}. "
    )
    sentence += (
        "Its query count changed between runs for: " + ", ".join(varying) + "."
        if varying
        else "Every page made the same number of queries in every run."
    )
    return [sentence, ""]


if __name__ == "__main__":
    main()
