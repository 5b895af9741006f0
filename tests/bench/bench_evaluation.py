"""Benchmark of evaluation at the scale of a large municipality (`make bench`; not a test).

On top of the POA benchmark's municipality (tests/bench/bench_poa.py: 2,000 actions, 6,000
budget lines, 30,000 movements), adds 500 monthly indicators with five years of targets and
measurements (30,000 of each), then measures the server time and the number of queries of the
traceability chain of the busiest PMOT strategy, the chain index, the indicators dashboard,
the indicator list and an indicator's page. Writes tests/bench/RESULTS-evaluation.md.

Bulk-written, without history rows: benchmark data, not business events.
"""

import datetime
import platform
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_poa  # noqa: E402  (sets Django up)
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

INDICATORS, YEARS = 500, 5
RESULTS = Path(__file__).resolve().parent / "RESULTS-evaluation.md"


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
    }


def measure(client, url) -> tuple[float, float, int]:
    """Median and minimum server time, and the number of queries of one request."""
    median, times = bench_poa.median_time(bench_poa.get_ok(client, url))
    with CaptureQueriesContext(connection) as queries:
        bench_poa.get_ok(client, url)()
    return median, min(times), len(queries)


def main() -> None:
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="pmot-bench-"))
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run(database)
    finally:
        connection.creation.destroy_test_db(database, verbosity=0)


def run(database: str) -> None:
    bench_poa.out(f"Building the municipality and its indicators in {database}…")
    start = time.perf_counter()
    data = bench_poa.build()
    made = build_indicators(data)
    built = time.perf_counter() - start
    bench_poa.out(
        f"  {made['indicators']} indicators, {made['measurements']:,} measurements in {built:.0f} s"
    )
    client = Client()
    client.force_login(data["planner"])
    lines = [
        f"# Evaluation benchmark ({timezone.localdate():%Y-%m-%d})",
        "",
        "`make bench` (tests/bench/bench_evaluation.py): the POA benchmark's municipality (2,000 "
        f"actions, 6,000 budget lines, 30,000 movements) plus {made['indicators']} monthly "
        f"indicators with {YEARS} years of targets ({made['targets']:,}) and measurements "
        f"({made['measurements']:,}); built in {built:.0f} s. Server time in-process (Django "
        f"test client), median of {bench_poa.RUNS} runs; queries of one request. Machine: "
        f"{platform.machine()}, Python {platform.python_version()}, "
        f"PostgreSQL {connection.pg_version // 10000}.",
        "",
        "| page | median | min | queries |",
        "| --- | --- | --- | --- |",
    ]
    pages = [
        (
            "traceability chain of the busiest PMOT strategy",
            "evaluation:chain",
            [made["strategy"].pk],
        ),
        ("traceability index (every strategy)", "evaluation:chain_index", []),
        ("indicators dashboard", "evaluation:dashboard", []),
        ("indicator list (first page)", "evaluation:indicator_list", []),
        (
            "an indicator's page (60 monthly periods)",
            "evaluation:indicator_detail",
            [made["indicator"].pk],
        ),
    ]
    for label, name, args in pages:
        try:
            url = reverse(name, args=args)
        except NoReverseMatch:
            lines.append(f"| {label} | not measured | | `{name}` does not resolve |")
            continue
        median, least, queries = measure(client, url)
        lines.append(f"| {label} | {median * 1000:.0f} ms | {least * 1000:.0f} ms | {queries} |")
        bench_poa.out(f"  {label}: {median * 1000:.0f} ms, {queries} queries")
    lines.append("")
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    bench_poa.out(f"Written: {RESULTS.relative_to(bench_poa.ROOT)}")


if __name__ == "__main__":
    main()
