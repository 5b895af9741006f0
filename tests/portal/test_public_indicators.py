"""The public pages of the evaluation subsystem, read without an account: the indicators with
their traffic light now and each one's technical sheet and chart, the evaluations by program
year and each one with its recommendations, and the published PDFs. Only published records
reach them, and of the measurements only the validated ones: a figure awaiting validation, or
returned to its reporter, never shows, and its period reads as not reported. Each page runs the
same number of queries however many records there are."""

# The fixtures of other test packages are imported, then named as arguments.
# ruff: noqa: F811

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from evaluation.models import Evaluation
from evaluation.services import evaluations as evaluation_services
from evaluation.services import indicators as services
from pmot.planning.models import Program
from tests.budgeting.conftest import (  # noqa: F401
    approved_poa,
    catalogue,
    draft_poa,
    make_action,
    pmot_strategy,
)
from tests.committees.conftest import agreement_type, cabildo, open_session  # noqa: F401
from tests.evaluation.conftest import TODAY, make_indicator  # noqa: F401
from tests.evaluation.test_evaluations import PDF, pdf, program  # noqa: F401
from tests.factories import UserFactory
from tests.information.conftest import make_unit  # noqa: F401
from tests.planning.conftest import council_vote  # noqa: F401

LIST = "/publico/indicadores/"
EVALUATIONS = "/publico/evaluaciones/"
# Values of measurements that are not results: their figures must never show.
SUBMITTED = "87.6543"
RETURNED = "63.2178"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def on_today(monkeypatch):
    """Today is TODAY (2026-08-20): the second quarter of 2026 ended on June 30 and its
    measurement was due on July 15."""
    original = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else original(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


@pytest.fixture
def uncached(settings):
    """Pages rendered afresh on every request (the tests that count queries ask twice)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def public_plan(pmot_strategy):
    """The PMOT in public consultation: its strategies are public."""
    plan = pmot_strategy.plan
    plan.program = Program.objects.create(
        name="PMOT de prueba", horizon_year=2045, status=Program.Status.CONSULTATION
    )
    plan.save()
    return pmot_strategy


@pytest.fixture
def reporter(db):
    return UserFactory(username="juana.reportera", email="juana@ejemplo.mx")


@pytest.fixture
def reviewer(db):
    return UserFactory(username="pedro.revisor", email="pedro@ejemplo.mx")


def target(indicator, year, number, value="50"):
    services.target_set(
        indicator=indicator,
        year=year,
        number=number,
        value=value,
        by=UserFactory(),
        today=indicator.period(year, 1).start,
    )


def measure(indicator, year, number, a, *, by, reviewer=None, status="validated"):
    """A quarter's measurement (B = 100, so the value is A), then validated or returned."""
    measurement = services.measurement_report(
        indicator=indicator, year=year, number=number, a=a, b="100", by=by, today=TODAY
    )
    if status == "validated":
        services.measurement_validate(measurement=measurement, by=reviewer or by)
    elif status == "returned":
        services.measurement_return(
            measurement=measurement, observations="Revisar la fuente", by=reviewer or by
        )
    return measurement


@pytest.fixture
def watched(make_indicator, public_plan, reporter, reviewer):
    """A published indicator: 2025-T3 validated (yellow), 2025-T4 returned, 2026-T1 validated
    (green), 2026-T2 awaiting validation (it would be red)."""
    indicator = make_indicator("I-1", published=True)
    for year, number in ((2025, 3), (2025, 4), (2026, 1), (2026, 2)):
        target(indicator, year, number)
    measure(indicator, 2025, 3, "41.25", by=reporter, reviewer=reviewer)
    measure(indicator, 2025, 4, RETURNED, by=reporter, reviewer=reviewer, status="returned")
    measure(indicator, 2026, 1, "48.5", by=reporter, reviewer=reviewer)
    measure(indicator, 2026, 2, SUBMITTED, by=reporter, status="submitted")
    return indicator


@pytest.fixture
def draft_indicator(make_indicator, reporter):
    indicator = make_indicator("BORR-1", name="Indicador todavía en borrador")
    target(indicator, 2026, 1)
    measure(indicator, 2026, 1, "12.5", by=reporter)
    return indicator


def read(response) -> str:
    """The page's text with its whitespace squashed, as a reader sees it."""
    return " ".join(response.text.split())


def assert_nothing_unpublished(text: str) -> None:
    for figure in (SUBMITTED, RETURNED, SUBMITTED[:5], RETURNED[:5]):
        assert figure not in text
    for private in ("juana", "pedro", "@ejemplo.mx", "Revisar la fuente"):
        assert private not in text


# --- The indicators --------------------------------------------------------------------------


def test_the_list_shows_published_indicators_with_their_light_from_validated_values(
    client, watched, draft_indicator
):
    response = client.get(LIST)
    assert response.status_code == 200
    text = read(response)
    assert "I-1" in text
    assert "Viviendas con agua entubada" in text
    assert "BORR-1" not in text
    assert "Indicador todavía en borrador" not in text
    # 2026-T2 awaits validation: for the public it is not reported (staff would see red).
    assert 'badge--light-no_report">Sin reporte</span>' in text
    assert "badge--light-red" not in text
    assert "Último valor validado: <strong>48.5&nbsp;%</strong> (2026-T1)" in text
    assert "Mide:" in text
    assert "1.1 Redensificar" in text
    assert "El semáforo hoy" in text
    assert_nothing_unpublished(text)


def test_the_list_counts_by_colour_and_filters_by_colour_axis_and_type(
    client, make_indicator, public_plan, reporter
):
    green = make_indicator("V-1", name="Indicador que cumple", published=True)
    target(green, 2026, 2)
    measure(green, 2026, 2, "50", by=reporter)
    make_indicator("S-1", name="Indicador sin reporte", kind="management", published=True)
    text = read(client.get(LIST))
    assert "Indicadores por eje" in text
    assert "1 Ciudad compacta" in text  # the axis of strategy 1.1

    def keys(**query):
        page = read(client.get(LIST, query))
        return [key for key in ("V-1", "S-1") if f"<strong>{key}</strong>" in page]

    assert keys() == ["V-1", "S-1"]
    assert keys(color="green") == ["V-1"]
    assert keys(color="no_report") == ["S-1"]
    assert keys(color="red") == []
    assert keys(tipo="management") == ["S-1"]
    assert keys(eje=str(public_plan.parent_id)) == ["V-1", "S-1"]
    assert keys(eje="territorio") == ["V-1", "S-1"]  # not a choice here: ignored
    assert "Ningún indicador coincide" in read(client.get(LIST, {"color": "red"}))


def test_a_strategy_of_a_plan_still_in_drafting_is_not_named(client, make_indicator):
    make_indicator("I-9", published=True)  # measures strategy 1.1 of a PMOT being drafted
    text = read(client.get(LIST))
    assert "I-9" in text
    assert "Redensificar" not in text


def test_the_technical_sheet_shows_the_validated_series_only(client, watched):
    response = client.get(f"/publico/indicadores/{watched.pk}/")
    assert response.status_code == 200
    text = read(response)
    assert "Ficha técnica" in text
    assert "Porcentaje de viviendas con agua entubada" in text  # the definition
    assert "Obras Públicas" in text  # the responsible organization
    assert "Padrón de usuarios del organismo operador" in text
    assert "Valores por periodo" in text
    # The table of the chart: each validated value with its colour, the others not reported.
    assert '<td class="num">41.25</td>' in text
    assert '<td class="num">48.5</td>' in text
    assert text.count("Sin reporte") >= 3  # 2025-T4 and 2026-T2 in the table, and the legend
    assert "pendiente de validar" not in text.lower()
    assert "Semáforo actual:" in text
    assert_nothing_unpublished(text)


def test_an_unpublished_indicator_has_no_public_page(client, draft_indicator):
    assert client.get(f"/publico/indicadores/{draft_indicator.pk}/").status_code == 404
    assert client.get("/publico/indicadores/999999/").status_code == 404


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_runs_the_same_queries_for_few_and_many_indicators(
    client, uncached, make_indicator, public_plan, approved_poa, make_unit, reporter
):
    _, action, _ = approved_poa
    unit = make_unit()

    def add(start, total):
        for n in range(start, start + total):
            for prefix, measured in (
                ("E", {}),
                ("A", {"element": None, "action": action}),
                ("U", {"element": None, "unit_measured": unit}),
            ):
                indicator = make_indicator(f"{prefix}-{n:03d}", published=True, **measured)
                target(indicator, 2026, 2)
                measure(indicator, 2026, 2, "47.5", by=reporter)

    add(1, 1)
    few = count_queries(client, LIST)
    add(2, 12)
    assert count_queries(client, LIST) == few
    assert count_queries(client, f"{LIST}?color=green&tipo=strategic") == few


def test_the_sheet_runs_the_same_queries_for_a_short_and_a_long_series(
    client, uncached, make_indicator, public_plan, reporter
):
    indicator = make_indicator("L-1", published=True, first_year=2020)
    target(indicator, 2026, 1)
    measure(indicator, 2026, 1, "45", by=reporter)
    url = f"/publico/indicadores/{indicator.pk}/"
    few = count_queries(client, url)
    for year in range(2020, 2026):
        for number in range(1, 5):
            target(indicator, year, number, "40")
            measure(indicator, year, number, "41", by=reporter)
    assert count_queries(client, url) == few


# --- The evaluations -------------------------------------------------------------------------


@pytest.fixture
def make_public_evaluation(program, orgs, public_plan):
    def make(title="Evaluación de diseño del programa de agua", *, published=True, **fields):
        values = {
            "program": program,
            "title": title,
            "kind": Evaluation.Kind.DESIGN,
            "evaluator": "Consultores del Bajío, S.C.",
            "start": datetime.date(2026, 3, 1),
            "end": datetime.date(2026, 6, 30),
            "elements": [public_plan],
            "published": published,
        } | fields
        return evaluation_services.evaluation_save(**values)

    return make


def recommend(evaluation, orgs, text="Actualizar el padrón de usuarios", **fields):
    values = {"responsible": orgs["works"], "due": datetime.date(2026, 12, 31)} | fields
    return evaluation_services.recommendation_add(evaluation=evaluation, text=text, **values)


def follow(recommendation, status="in_progress", note="Nota interna de Juana: llamar a Pedro"):
    return evaluation_services.recommendation_follow_up(
        recommendation=recommendation,
        status=status,
        note=note,
        by=UserFactory(username=f"seguimiento.interno.{recommendation.pk}"),
        today=TODAY,
        at=datetime.datetime(2026, 7, 14, 16, 0, tzinfo=datetime.UTC),
    )


def test_the_evaluations_list_shows_published_evaluations_by_program_year(
    client, make_public_evaluation, program, orgs
):
    evaluation_services.program_save(
        program=program, year=2026, title="PAE 2026", document=pdf(), published=True
    )
    hidden_program = evaluation_services.program_save(year=2025, title="PAE 2025 interno")
    public = make_public_evaluation()
    make_public_evaluation(
        "Evaluación de impacto de 2025",
        program=hidden_program,
        start=datetime.date(2025, 2, 1),
        end=datetime.date(2025, 5, 1),
    )
    make_public_evaluation("Evaluación todavía en borrador", published=False)
    recommend(public, orgs)
    follow(recommend(public, orgs, "Publicar el padrón", due=datetime.date(2026, 8, 1)))
    response = client.get(EVALUATIONS)
    assert response.status_code == 200
    text = read(response)
    assert "Evaluación de diseño del programa de agua" in text
    assert "Tipo: Diseño · a cargo de Consultores del Bajío, S.C." in text
    assert "Evaluación todavía en borrador" not in text
    assert "PAE 2026" in text
    assert 'href="/publico/evaluaciones/programa/2026.pdf"' in text
    # The 2025 program is not published: its evaluation shows under the year, not its title.
    assert "Evaluación de impacto de 2025" in text
    assert "Evaluaciones de 2025" in text
    assert "PAE 2025 interno" not in text
    assert "2 recomendaciones, por estado" in text
    assert "Aceptada: 1 · En atención: 1" in text
    assert "1 recomendación abierta ya pasó su fecha compromiso." in text


def test_an_evaluation_shows_its_findings_report_and_recommendations_progress(
    client, make_public_evaluation, orgs
):
    evaluation = make_public_evaluation(
        status=Evaluation.Status.FINISHED,
        report=pdf(),
        summary="El programa tiene un diseño pertinente.",
    )
    first = recommend(evaluation, orgs)
    follow(first)
    recommend(evaluation, orgs, "Rehacer la matriz de indicadores", due=datetime.date(2026, 8, 1))
    response = client.get(f"/publico/evaluaciones/{evaluation.pk}/")
    assert response.status_code == 200
    text = read(response)
    assert "El programa tiene un diseño pertinente." in text
    assert f'href="/publico/evaluaciones/{evaluation.pk}/informe.pdf"' in text
    assert "1.1 Redensificar" in text  # what was evaluated
    assert "Recomendación 1" in text
    assert "Actualizar el padrón de usuarios" in text
    assert "Obras Públicas" in text
    assert "31 de diciembre de 2026" in text
    # Follow-ups: their date and status, not what the staff wrote nor who.
    assert "14 de julio de 2026</time>: en atención" in text
    assert "Nota interna" not in text
    assert "seguimiento.interno" not in text
    assert "Vencida" in text  # recommendation 2, open past August 1


def test_an_unpublished_evaluation_and_its_files_are_not_public(
    client, make_public_evaluation, program
):
    evaluation = make_public_evaluation(
        published=False, status=Evaluation.Status.FINISHED, report=pdf()
    )
    evaluation_services.program_save(program=program, year=2026, title="PAE", document=pdf())
    assert client.get(f"/publico/evaluaciones/{evaluation.pk}/").status_code == 404
    assert client.get(f"/publico/evaluaciones/{evaluation.pk}/informe.pdf").status_code == 404
    assert client.get("/publico/evaluaciones/programa/2026.pdf").status_code == 404


def test_the_published_report_and_program_are_served_as_pdf(
    client, make_public_evaluation, program
):
    evaluation = make_public_evaluation(status=Evaluation.Status.FINISHED, report=pdf())
    evaluation_services.program_save(
        program=program, year=2026, title="PAE", document=pdf(), published=True
    )
    for url in (
        f"/publico/evaluaciones/{evaluation.pk}/informe.pdf",
        "/publico/evaluaciones/programa/2026.pdf",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF
    planned = make_public_evaluation("Sin informe todavía")
    assert client.get(f"/publico/evaluaciones/{planned.pk}/informe.pdf").status_code == 404


def test_the_evaluation_pages_run_the_same_queries_for_few_and_many_records(
    client, uncached, make_public_evaluation, orgs, program
):
    evaluation_services.program_save(program=program, year=2026, title="PAE", published=True)
    first = make_public_evaluation()
    follow(recommend(first, orgs))
    detail = f"/publico/evaluaciones/{first.pk}/"
    few_list, few_detail = count_queries(client, EVALUATIONS), count_queries(client, detail)
    for year in (2024, 2025):
        other = evaluation_services.program_save(year=year, title=f"PAE {year}", published=True)
        for n in range(4):
            evaluation = make_public_evaluation(f"Evaluación {year}-{n}", program=other)
            follow(recommend(evaluation, orgs))
    for n in range(8):
        follow(recommend(first, orgs, f"Recomendación adicional {n}"))
    assert count_queries(client, EVALUATIONS) == few_list
    assert count_queries(client, detail) == few_detail
