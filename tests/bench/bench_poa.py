"""Benchmark of the POA at the scale of a large municipality (`make bench`; not a test).

Builds, in a throwaway PostgreSQL database (Django's test database of DATABASE_URL, created
and destroyed here), a POA of 2,000 actions, 6,000 budget lines and 30,000 movements whose
line totals agree with the movements; then measures the POA table page, the chart page, the
XLSX export and import, and the 2,000-action PDF next to WeasyPrint rendering the same rows as
plain block lines (its own fast case). Every figure is measured in each of harness.RUNS runs
(at least three) on data built once; writes tests/bench/RESULTS.md and its raw figures
(tests/bench/harness.py).

The data is written with bulk_create, without history rows: it is benchmark data, not
business events (the services are measured through the import).
"""

import datetime
import io
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmot.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django  # noqa: E402

django.setup()

import harness  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from harness import out  # noqa: E402

from tests.budgeting.progress import validated  # noqa: E402

ACTIONS = 200 if harness.QUICK else 2000
LINES_PER_ACTION = 3
# Requests of a page within one run (each one a number of the figure).
REQUESTS = 3 if harness.QUICK else 5
SMALL_IMPORT = 50 if harness.QUICK else 500


# --- The municipality --------------------------------------------------------------------------


def build() -> dict:
    from budgeting.models import (
        Action,
        ActionKind,
        BudgetLine,
        ExpenseItem,
        FunctionalClass,
        FundingSource,
        Movement,
        Poa,
        ProgramModality,
        ProgressReport,
    )
    from pmot.actors.roles import Role
    from pmot.planning.models import Plan, PlanElement
    from tests.factories import OrganizationFactory, UserFactory, membership

    implan = OrganizationFactory(name="IMPLAN", acronym="IMPLAN")
    planner = UserFactory(username="planner")
    reviewer = UserFactory(username="reviewer")
    membership(planner, implan, Role.IMPLAN_PLANNER)
    orgs = [implan] + [
        OrganizationFactory(name=f"Dependencia {n}", acronym=f"DEP{n}") for n in range(1, 25)
    ]
    pmot = Plan.objects.create(
        key="pmot", name="PMOT", order=Plan.Order.PMOT, level_names=["Eje", "Estrategia"]
    )
    pdm = Plan.objects.create(
        key="pdm-2024-2027",
        name="PDM",
        order=Plan.Order.MUNICIPAL,
        level_names=["Eje", "Línea de acción"],
    )
    elements = []
    for plan, prefix, count in ((pmot, "", 40), (pdm, "PDM-", 60)):
        axes = [
            PlanElement.objects.create(plan=plan, key=f"{prefix}{a}", name=f"Eje {a}", level=0)
            for a in range(1, 6)
        ]
        elements += PlanElement.objects.bulk_create(
            PlanElement(
                plan=plan,
                parent=axes[n % 5],
                key=f"{prefix}{n % 5 + 1}.{n}",
                name=f"Elemento {prefix}{n}",
                level=1,
                position=n,
            )
            for n in range(count)
        )
    poa = Poa.objects.create(fiscal_year=2027, status=Poa.Status.SUBMITTED)
    draft = Poa.objects.create(fiscal_year=2028)
    kinds = list(ActionKind.values)
    modalities = list(ProgramModality.objects.filter(key__in=["E", "K", "P", "S"]))
    actions = Action.objects.bulk_create(
        Action(
            poa=poa,
            key=f"A-{n:04d}",
            name=f"Acción {n}: rehabilitación de infraestructura en la colonia {n % 97}",
            kind=kinds[n % 4],
            responsible=orgs[n % len(orgs)],
            modality=modalities[n % len(modalities)],
            target=Decimal(400),
            target_unit="metros",
            calendar_kind="quarterly",
            calendar=["100", "100", "100", "100"],
            status="submitted",
        )
        for n in range(ACTIONS)
    )
    through = Action.alignments.through
    through.objects.bulk_create(
        through(action_id=action.pk, planelement_id=element.pk)
        for n, action in enumerate(actions)
        for element in (elements[n % 40], elements[40 + n % 60])  # a PMOT and a PDM element
    )
    sources = list(FundingSource.objects.all())
    item = ExpenseItem.objects.get(key="6140")
    functional = FunctionalClass.objects.get(key="2.2.1")
    lines, movements = [], []
    day = datetime.date(2027, 3, 1)
    for n, action in enumerate(actions):
        for k in range(LINES_PER_ACTION):
            source = sources[(n + k) % len(sources)]
            approved = Decimal(100_000 + (n * 37 + k * 1001) % 900_000)
            increase = Decimal(20_000) if (n + k) % 4 == 0 else Decimal(0)
            modified = approved + increase
            committed = (modified * Decimal("0.8")).quantize(Decimal("0.01"))
            accrued = (committed * Decimal("0.75")).quantize(Decimal("0.01"))
            exercised = (accrued * Decimal("0.9")).quantize(Decimal("0.01"))
            paid = (
                Decimal(0) if increase else (exercised * Decimal("0.5")).quantize(Decimal("0.01"))
            )
            line = BudgetLine(
                action=action,
                source=source,
                expense_item=item,
                functional=functional,
                fismdf_category="water" if source.is_fismdf else "",
                approved=approved,
                increases=increase,
                modified=modified,
                committed=committed,
                accrued=accrued,
                exercised=exercised,
                paid=paid,
            )
            lines.append(line)
            stages = [("approved", approved)]
            stages += [("increase", increase)] if increase else []
            stages += [("committed", committed), ("accrued", accrued), ("exercised", exercised)]
            stages += [("paid", paid)] if paid else []
            movements.append((line, stages))
    BudgetLine.objects.bulk_create(lines, batch_size=2000)
    Movement.objects.bulk_create(
        (
            Movement(line=line, stage=stage, amount=amount, date=day, by=planner)
            for line, stages in movements
            for stage, amount in stages
        ),
        batch_size=5000,
    )
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
    return {"poa": poa, "draft": draft, "planner": planner}


def check_totals(poa) -> dict:
    """The figures the benchmark stands on: counts, and each line's totals equal to the sum
    of its movements."""
    from django.db.models import Q, Sum

    from budgeting.models import BudgetLine, Movement

    counts = {
        "actions": poa.actions.count(),
        "lines": BudgetLine.objects.filter(action__poa=poa).count(),
        "movements": Movement.objects.filter(line__action__poa=poa).count(),
    }
    sums = Movement.objects.filter(line__action__poa=poa).aggregate(
        **{stage: Sum("amount", filter=Q(stage=stage)) for stage in ("approved", "exercised")}
    )
    lines = BudgetLine.objects.filter(action__poa=poa).aggregate(
        approved=Sum("approved"), exercised=Sum("exercised")
    )
    assert sums == lines, (sums, lines)
    return counts


# --- Measures ----------------------------------------------------------------------------------


def timed(call, runs=REQUESTS) -> list[float]:
    """Seconds of each of `runs` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def get_ok(client, url):
    def call():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        return response

    return call


def plain_lines_html(context) -> str:
    """The same rows as plain block lines: one paragraph of text per action."""
    from django.utils.html import escape

    rows = [f"<p>{escape(' '.join(row.text.split()))}</p>" for row in context["rows"]]
    style = (
        "<style>@page{size:letter landscape;margin:1.5cm}"
        "body{font-family:'DejaVu Sans',sans-serif;font-size:7.5pt}p{margin:0 0 2pt}</style>"
    )
    head = f"<head><meta charset='utf-8'>{style}</head>"
    return f"<!DOCTYPE html><html>{head}<body>{''.join(rows)}</body></html>"


def _render(variant: str, poa_id: int, trace: bool, queue) -> None:
    """In a child process, so each variant's peak memory is its own."""
    from weasyprint import HTML

    from budgeting.models import Poa
    from budgeting.selectors import Filters
    from budgeting.services import exports
    from pmot.core.pdf import render_pdf

    connection.close()  # the child opens its own connection
    context = exports.table_pdf_context(
        Poa.objects.get(pk=poa_id), Filters(), with_charts=variant == "pmot"
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    if variant in ("pmot", "listing"):
        content = render_pdf("budgeting/pdf/poa_table.html", context)
    else:
        content = HTML(string=plain_lines_html(context)).write_pdf()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(content)).pages)
    queue.put(
        {
            "seconds": seconds,
            "rss_mb": (after - before) / 1024,
            "py_peak_mb": peak / 2**20,
            "pages": pages,
        }
    )


def measure_pdf(variant: str, poa_id: int, trace: bool = False) -> dict:
    ctx = get_context("fork")
    queue = ctx.Queue()
    process = ctx.Process(target=_render, args=(variant, poa_id, trace, queue))
    process.start()
    result = queue.get(timeout=900)
    process.join()
    return result


def measure_import(client, draft, rows_xlsx: bytes) -> float:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from budgeting.models import PoaImport
    from budgeting.services import imports

    upload = SimpleUploadedFile("acciones.xlsx", rows_xlsx)
    start = time.perf_counter()
    response = client.post(reverse("budgeting:poa_import", args=[draft.pk]), {"file": upload})
    assert response.status_code == 302, response.context and response.context["problems"][:5]
    # The request checks the file and hands it to a job; time the job's import too, run here
    # as the worker runs it.
    pending = PoaImport.objects.filter(poa=draft).order_by("-pk").first()
    imports.import_run(poa_import_id=pending.pk)
    seconds = time.perf_counter() - start
    pending.refresh_from_db()
    assert not pending.errors, pending.errors[:5]
    return seconds


def import_workbook(actions: int, lines_per_action: int) -> bytes:
    from openpyxl import Workbook

    header = ["clave", "nombre", "tipo", "responsable", "modalidad", "meta", "unidad"]
    header += ["alineacion", "p1", "p2", "p3", "p4", "fuente", "partida", "funcional", "aprobado"]
    sources = ["propios", "ramo28", "fortamundf", "estatal"]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(header)
    for n in range(actions):
        for k in range(lines_per_action):
            described = [f"Acción importada {n}", "Obra pública", f"DEP{n % 24 + 1}", "K"]
            described += ["400", "metros", "pmot:1.0; pdm-2024-2027:PDM-1.0"]
            described += ["100", "100", "100", "100"]
            sheet.append(
                [f"I-{n:04d}", *(described if k == 0 else [""] * len(described))]
                + [sources[(n + k) % 4], "6140", "2.2.1", f"{100000 + n}.50"]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def setup_django() -> None:
    """The settings every in-process benchmark runs with (test client, fast password hashes)."""
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    settings.SECURE_SSL_REDIRECT = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="pmot-bench-"))


def staff_client(user) -> Client:
    """A test client of `user` logged in with both steps (the second is required for every
    staff page)."""
    from tests.two_factor import verified_session_key

    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = verified_session_key(user)
    return client


PDF_VARIANTS = [
    ("pmot", "PDF of the POA report (charts, then the table as a fixed-pitch listing)"),
    ("listing", "PDF of the table alone (the fixed-pitch listing)"),
    ("plain", "PDF, WeasyPrint's fast case (the same rows as plain block lines)"),
]


def declare(bench: harness.Bench) -> None:
    bench.figure("table", f"POA table page ({ACTIONS:,} actions, first page)", "ms")
    bench.figure("table_filtered", "POA table page, filtered and sorted", "ms")
    bench.figure("charts", "chart page", "ms")
    bench.figure("xlsx_export", f"XLSX export of the table ({ACTIONS:,} rows)", "s", digits=2)
    bench.figure("csv_export", f"CSV export of the table ({ACTIONS:,} rows)", "s", digits=2)
    bench.figure("import_small", f"XLSX import, {SMALL_IMPORT:,} actions × 1 line", "s", digits=1)
    rows = ACTIONS * LINES_PER_ACTION
    bench.figure(
        "import_large", f"XLSX import, {ACTIONS:,} actions × 3 lines ({rows:,} rows)", "s", digits=1
    )
    for variant, label in PDF_VARIANTS:
        bench.figure(f"pdf_{variant}", label, "s", digits=1)
        bench.figure(f"pdf_{variant}_pages", f"{label}: pages", "")
        bench.figure(f"pdf_{variant}_rss", f"{label}: peak RSS growth", "MB")
        bench.figure(f"pdf_{variant}_py", f"{label}: Python allocations peak", "MB")


def main() -> None:
    bench = harness.Bench(
        "poa",
        "RESULTS.md",
        sizes={"actions": ACTIONS, "lines_per_action": LINES_PER_ACTION, "requests": REQUESTS},
    )
    if not bench.may_run():
        return
    declare(bench)
    setup_django()
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run(bench, database)
    finally:
        connection.creation.destroy_test_db(database, verbosity=0)


def measure_once(bench: harness.Bench, data: dict, client, number: int) -> None:
    """Every figure once (pages: REQUESTS requests each) in the current run."""
    from budgeting.models import Poa

    poa = data["poa"]
    table_url = reverse("budgeting:poa_detail", args=[poa.pk])
    pages = [("table", table_url), ("table_filtered", f"{table_url}?tipo=services&orden=ejercido")]
    try:
        pages.append(("charts", reverse("budgeting:charts", args=[poa.pk])))
    except NoReverseMatch:
        out("  chart page: not measured (`budgeting:charts` does not resolve)")
    for key, url in pages:
        for seconds in timed(get_ok(client, url)):
            bench.record(key, seconds * 1000)
    export_url = reverse("budgeting:poa_table_export", args=[poa.pk, "xlsx"])
    bench.record("xlsx_export", timed(get_ok(client, export_url), runs=1)[0])
    csv_url = export_url.replace(".xlsx", ".csv")
    bench.record("csv_export", timed(get_ok(client, csv_url), runs=1)[0])
    # Each import into a POA of its own, new in this run.
    year = 2030 + 2 * number
    small = Poa.objects.create(fiscal_year=year)
    bench.record("import_small", measure_import(client, small, data["workbooks"][0]))
    large = Poa.objects.create(fiscal_year=year + 1)
    bench.record("import_large", measure_import(client, large, data["workbooks"][1]))
    connection.close()  # the forked children must not share this connection
    for variant, _label in PDF_VARIANTS:
        timed_run = measure_pdf(variant, poa.pk)
        traced = measure_pdf(variant, poa.pk, trace=True)
        bench.record(f"pdf_{variant}", timed_run["seconds"])
        bench.record(f"pdf_{variant}_pages", timed_run["pages"])
        bench.record(f"pdf_{variant}_rss", timed_run["rss_mb"])
        bench.record(f"pdf_{variant}_py", traced["py_peak_mb"])


def run(bench: harness.Bench, database: str) -> None:
    out(f"Building the municipality in {database}…")
    start = time.perf_counter()
    data = build()
    built = time.perf_counter() - start
    counts = check_totals(data["poa"])
    out(f"  {counts} in {built:.1f} s")
    data["workbooks"] = (
        import_workbook(SMALL_IMPORT, 1),
        import_workbook(ACTIONS, LINES_PER_ACTION),
    )
    client = staff_client(data["planner"])
    for number in range(1, harness.RUNS + 1):
        with bench.run():
            measure_once(bench, data, client, number)
    bench.extra = {"counts": counts, "built_seconds": built}
    method = [
        "`make bench` (tests/bench/bench_poa.py): a throwaway PostgreSQL database with "
        f"{counts['actions']:,} actions, {counts['lines']:,} budget lines and "
        f"{counts['movements']:,} movements (line totals checked equal to the sum of their "
        f"movements); built in {built:.0f} s. Server time in-process (Django test client, no "
        f"network), PostgreSQL {connection.pg_version // 10000}. In each run: {REQUESTS} "
        "requests of each page (each a number of its figure), one of each export, each import "
        "into a new draft POA, through the request and the job's services, and each PDF in a "
        "fresh child process (so each peak is its own; the rows are read before the clock "
        "starts), timed, then again under tracemalloc for the Python allocations peak. The POA "
        "is in *submitted* state.",
        "",
    ]
    bench.write("POA benchmark", method, findings(bench))


def findings(bench: harness.Bench) -> list[str]:
    """Sentences computed from this run's medians."""
    lines = []
    large = bench.summary("import_large")
    if large:
        rows = ACTIONS * LINES_PER_ACTION
        lines.append(
            f"The {rows:,}-row import ran at {rows / large['median']:,.0f} rows a second "
            f"(median), {rows / large['max']:,.0f} in its slowest run and "
            f"{rows / large['min']:,.0f} in its fastest."
        )
    listing, plain = bench.summary("pdf_listing"), bench.summary("pdf_plain")
    listing_pages, plain_pages = (
        bench.summary("pdf_listing_pages"),
        bench.summary("pdf_plain_pages"),
    )
    if listing and plain and listing_pages and plain_pages:
        per_page = (listing["median"] / listing_pages["median"]) / (
            plain["median"] / plain_pages["median"]
        )
        lines.append(
            f"The listing printed {listing_pages['median']:.0f} pages to the fast case's "
            f"{plain_pages['median']:.0f} and took {listing['median'] / plain['median']:.1f} "
            f"times as long (medians); per page, {per_page:.1f} times the fast case's time."
        )
    return [" ".join(lines), ""] if lines else []


if __name__ == "__main__":
    main()
