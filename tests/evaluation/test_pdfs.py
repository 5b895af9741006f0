"""The technical sheet and the quarterly progress report as PDFs: asked for with a POST,
rendered through the outbox, followed on a page that htmx refreshes, downloaded by those who
may see what they hold. The PDFs are read back as text: colours are written, not only painted."""

import datetime
import io
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from evaluation.models import Evaluation, EvaluationProgram, Recommendation
from evaluation.services import indicators as services
from evaluation.services import pdfs
from evaluation.tasks import render_indicator_sheet_pdf, render_quarterly_report_pdf
from pmot.core.models import Job
from pmot.core.outbox import job_run
from tests.conftest import ALL_PERSONAS, ROLE_PERSONAS
from tests.evaluation.conftest import TODAY
from tests.factories import UserFactory

# Every role reads every indicator, organization-bound ones included (DOMAIN.md §8).
READERS = set(ROLE_PERSONAS)
SHEET_STATUS = {name: 200 if name in READERS else 404 for name in ALL_PERSONAS} | {
    "anonymous": 302,
}
REPORT_STATUS = {name: 200 if name in READERS else 403 for name in ALL_PERSONAS} | {
    "anonymous": 302,
}


def pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def run(task) -> Job:
    """What the worker does with the task's one job (the real worker: test_worker.py)."""
    job = Job.objects.get(task_name=task.name)
    job_run(job_id=job.pk, func=task.func)
    job.refresh_from_db()
    return job


def set_target(indicator, year, number, value):
    # Set while the period was open: the day it started.
    services.target_set(
        indicator=indicator,
        year=year,
        number=number,
        value=value,
        by=UserFactory(),
        today=indicator.period(year, number).start,
    )


def measure(indicator, year, number, a, b="100", *, by, validate=False):
    measurement = services.measurement_report(
        indicator=indicator, year=year, number=number, a=a, b=b, by=by, today=TODAY
    )
    if validate:
        services.measurement_validate(measurement=measurement, by=by)
    return measurement


@pytest.fixture
def planner(persona):
    return persona("planner")


@pytest.fixture
def measured(make_indicator, planner):
    """I-1 (quarterly, own thresholds) in every colour: 2025-T4 red, 2026-T1 green, 2026-T2
    returned (no report); a target set for 2026-T3, not ended."""
    indicator = make_indicator(
        green_low=Decimal(95),
        green_high=Decimal(105),
        yellow_low=Decimal(80),
        yellow_high=Decimal(120),
        baseline_value=Decimal("42.5"),
        baseline_year=2024,
    )
    for year, number in [(2025, 4), (2026, 1), (2026, 2), (2026, 3)]:
        set_target(indicator, year, number, "60")
    measure(indicator, 2025, 4, "30", by=planner, validate=True)  # 50 %: red
    measure(indicator, 2026, 1, "60", by=planner, validate=True)  # 100 %: green
    returned = measure(indicator, 2026, 2, "70", by=planner)
    services.measurement_return(measurement=returned, observations="Sin soporte", by=planner)
    return indicator


# --- The technical sheet -------------------------------------------------------------------


def test_the_sheet_holds_every_field_the_thresholds_and_each_periods_colour(
    measured, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    path = pdfs.sheet_pdf_render(indicator=measured, token="t", today=TODAY)
    text = pdf_text((tmp_path / path).read_bytes())

    assert "Ficha técnica I-1" in text
    for value in (
        "Viviendas con agua entubada",
        "Porcentaje de viviendas con agua entubada dentro de la vivienda.",
        "Padrón de usuarios del organismo operador",
        "Informe trimestral del organismo operador",
        "Obras Públicas",
        "42.5 % (2024)",  # the baseline with its unit and year
    ):
        assert value in text, value
    # its own thresholds, as words
    assert "cumplimiento de 95.0 % a 105.0 %" in text
    assert "de 80.0 % a menos de 95.0 %, o más de 105.0 % hasta 120.0 %" in text
    assert "El indicador tiene umbrales propios." in text
    # periods: target, value, compliance, colour and status
    assert "2025-T4 60 30 100 30 50.0 % Rojo Validada" in text
    assert "2026-T1 60 60 100 60 100.0 % Verde Validada" in text
    assert "Sin reporte Devuelta con observaciones: Sin soporte" in text
    assert "2026-T3 60" in text
    assert "No ha terminado" in text
    assert "Semáforo actual: Sin reporte (2026-T2)" in text


def test_the_sheet_of_an_indicator_with_nothing_yet_says_so(make_indicator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    indicator = make_indicator(first_year=2027)
    path = pdfs.sheet_pdf_render(indicator=indicator, token="t", today=TODAY)
    text = pdf_text((tmp_path / path).read_bytes())
    assert "Aún no termina ningún periodo ni hay metas fijadas." in text
    assert "El indicador usa los umbrales predeterminados." in text


def test_the_sheet_prints_user_text_as_text(make_indicator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    indicator = make_indicator(name='<img src="file:///etc/passwd"> Pozos')
    path = pdfs.sheet_pdf_render(indicator=indicator, token="t", today=TODAY)
    assert '<img src="file:///etc/passwd"> Pozos' in pdf_text((tmp_path / path).read_bytes())


def request_sheet(client, indicator):
    return client.post(reverse("evaluation:indicator_sheet_pdf", args=[indicator.pk]))


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_who_may_ask_for_the_sheet(
    client_as, indicator, persona_name, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        response = request_sheet(client_as(persona_name), indicator)
    expected = SHEET_STATUS[persona_name]
    assert response.status_code == (302 if expected == 200 else expected)
    made = Job.objects.filter(task_name=render_indicator_sheet_pdf.name).count()
    assert made == (1 if expected == 200 else 0)
    if persona_name == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_asking_again_joins_the_pending_sheet(
    client_as, make_indicator, django_capture_on_commit_callbacks
):
    """Issue 19, finding 10 (the same fault as the POA table's PDF): one pending rendering per
    person and sheet; another indicator's sheet is its own."""
    first, second = make_indicator(key="R-1"), make_indicator(key="R-2")
    reader = client_as("planner")
    with django_capture_on_commit_callbacks():
        places = {request_sheet(reader, first)["Location"] for _ in range(5)}
        request_sheet(reader, second)
    assert len(places) == 1
    assert Job.objects.filter(task_name=render_indicator_sheet_pdf.name).count() == 2


def test_another_organizations_reporter_may_ask_for_the_sheet_it_reads(
    make_indicator, orgs, client_as
):
    state = make_indicator(key="E-1", reporter=orgs["state_agency"])
    assert request_sheet(client_as("municipal_liaison"), state).status_code == 302
    assert request_sheet(client_as("state_liaison"), state).status_code == 302


def test_the_sheet_is_rendered_through_the_outbox_and_the_page_follows_it(
    client_as, measured, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    reader = client_as("municipal_liaison")
    with django_capture_on_commit_callbacks() as callbacks:  # the broker is not reached
        response = request_sheet(reader, measured)
    assert len(callbacks) == 1  # sent after commit
    status_url = response["Location"]

    waiting = reader.get(status_url)
    assert waiting.status_code == 200
    assert "Ficha técnica I-1" in waiting.text
    assert "Preparando el PDF" in waiting.text
    assert 'hx-trigger="every 2s"' in waiting.text

    job = run(render_indicator_sheet_pdf)
    assert job.status == Job.Status.DONE
    assert job.requested_by.username == "municipal_liaison"
    ready = reader.get(status_url, headers={"HX-Request": "true"})
    assert "hx-trigger" not in ready.text
    download_url = reverse(
        "evaluation:indicator_sheet_pdf_download", args=[measured.pk, job.kwargs["token"]]
    )
    assert download_url in ready.text

    pdf = reader.get(download_url)
    assert pdf["Content-Type"] == "application/pdf"
    assert 'filename="ficha-i-1.pdf"' in pdf["Content-Disposition"]
    text = pdf_text(b"".join(pdf.streaming_content))
    assert "I-1" in text
    assert "Viviendas con agua entubada" in text
    assert "Verde" in text
    assert "Rojo" in text


def test_the_sheets_progress_is_shown_step_by_step(
    client_as, indicator, django_capture_on_commit_callbacks
):
    reader = client_as("planner")
    with django_capture_on_commit_callbacks():
        status_url = request_sheet(reader, indicator)["Location"]
    token = Job.objects.get().kwargs["token"]
    pdfs._report(pdfs.sheet_job_key(token), 2, "Acomodando la ficha técnica")
    page = reader.get(status_url, headers={"HX-Request": "true"})
    assert "Paso 2 de 3: Acomodando la ficha técnica" in page.text


def test_a_failed_sheet_says_so_and_stops_polling(
    client_as, indicator, django_capture_on_commit_callbacks
):
    reader = client_as("planner")
    with django_capture_on_commit_callbacks():
        status_url = request_sheet(reader, indicator)["Location"]
    Job.objects.update(status=Job.Status.FAILED)
    page = reader.get(status_url, headers={"HX-Request": "true"})
    assert "hx-trigger" not in page.text
    assert 'role="alert"' in page.text
    assert "No se pudo preparar el PDF" in page.text


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_who_may_follow_and_download_the_sheet(
    client_as, indicator, persona_name, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks():
        request_sheet(client_as("planner"), indicator)
    token = run(render_indicator_sheet_pdf).kwargs["token"]
    client = client_as(persona_name)
    for name in (
        "evaluation:indicator_sheet_pdf_status",
        "evaluation:indicator_sheet_pdf_download",
    ):
        response = client.get(reverse(name, args=[indicator.pk, token]))
        assert response.status_code == SHEET_STATUS[persona_name], name


def test_a_sheet_token_of_another_indicator_or_none_is_not_found(
    client_as, make_indicator, django_capture_on_commit_callbacks
):
    indicator, other = make_indicator(), make_indicator(key="I-2")
    client = client_as("planner")
    with django_capture_on_commit_callbacks():
        request_sheet(client, indicator)
    token = Job.objects.get().kwargs["token"]
    status = "evaluation:indicator_sheet_pdf_status"
    assert client.get(reverse(status, args=[other.pk, token])).status_code == 404
    assert client.get(reverse(status, args=[indicator.pk, uuid.uuid4()])).status_code == 404
    # Asked for but not rendered yet: nothing to download.
    download = reverse("evaluation:indicator_sheet_pdf_download", args=[indicator.pk, token])
    assert client.get(download).status_code == 404


def test_the_sheet_is_asked_for_with_a_post_only(client_as, indicator):
    response = client_as("planner").get(
        reverse("evaluation:indicator_sheet_pdf", args=[indicator.pk])
    )
    assert response.status_code == 405
    assert not Job.objects.exists()


# --- The quarterly progress report ---------------------------------------------------------


@pytest.fixture
def quarter(measured, make_indicator, orgs, planner):
    """2026-T2: I-1 returned (no report); E-1 monthly of the state agency, April green, May
    yellow, June not reported; open recommendations of Obras Públicas, one overdue."""
    monthly = make_indicator(
        key="E-1",
        name="Trámites resueltos",
        frequency="monthly",
        reporter=orgs["state_agency"],
        variable_b="",
        factor=1,
        unit="trámites",
    )
    for month in (4, 5, 6):
        set_target(monthly, 2026, month, "100")
    services.measurement_report(
        indicator=monthly, year=2026, number=4, a="100", by=planner, today=TODAY
    )
    services.measurement_report(
        indicator=monthly, year=2026, number=5, a="85", by=planner, today=TODAY
    )
    program = EvaluationProgram.objects.create(year=2026, title="PAE 2026")
    evaluation = Evaluation.objects.create(
        program=program,
        title="Evaluación de diseño del programa de agua",
        kind=Evaluation.Kind.DESIGN,
        evaluator="Consultora X",
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 3, 31),
    )
    late = Recommendation.objects.create(
        evaluation=evaluation,
        number=1,
        text="Actualizar el padrón de usuarios",
        responsible=orgs["works"],
        due=datetime.date(2026, 6, 30),
    )
    Recommendation.objects.create(
        evaluation=evaluation,
        number=2,
        text="Publicar la ficha del indicador",
        responsible=orgs["works"],
        due=datetime.date(2026, 12, 31),
        status=Recommendation.Status.IN_PROGRESS,
    )
    Recommendation.objects.create(
        evaluation=evaluation,
        number=3,
        text="Recomendación atendida",
        responsible=orgs["works"],
        due=datetime.date(2026, 5, 31),
        status=Recommendation.Status.ATTENDED,
        closed_on=datetime.date(2026, 5, 1),
    )
    return measured, monthly, late


def test_the_report_lists_each_organizations_indicators_counts_and_recommendations(
    quarter, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    path = pdfs.report_pdf_render(year=2026, quarter=2, token="t", today=TODAY)
    text = pdf_text((tmp_path / path).read_bytes())

    assert "Informe trimestral de avance 2026-T2" in text
    assert "2 indicadores" in text
    assert "2 recomendaciones abiertas, 1 vencida" in text
    # per organization and indicator: period, target, value, compliance, colour, status
    assert "Obras Públicas" in text
    assert "Secretaría estatal" in text
    assert "I-1 Viviendas con agua entubada 2026-T2 60 — — Sin reporte Devuelta con" in text
    assert "E-1 Trámites resueltos 2026-04 100 100 100.0 % Verde En espera de" in text
    assert "2026-05 100 85 85.0 % Amarillo" in text
    assert "2026-06 100 — — Sin reporte Sin reportar" in text
    assert "Verde: 1 · Amarillo: 1 · Sin reporte: 1" in text  # the state agency's counts
    # open recommendations, the overdue one flagged; the attended one left out
    assert "Actualizar el padrón de usuarios" in text
    assert "Aceptada · PLAZO VENCIDO" in text
    assert "Publicar la ficha del indicador" in text
    assert "Recomendación atendida" not in text


def test_the_report_counts_by_colour_per_organization(quarter):
    context = pdfs.report_pdf_context(2026, 2, TODAY)
    summary = {
        item["organization"].acronym: {
            c["colour"]: c["count"] for c in item["counts"] if c["count"]
        }
        | {"open": item["open"], "overdue": item["overdue"]}
        for item in context["summary"]
    }
    assert summary == {
        "SE": {"green": 1, "yellow": 1, "no_report": 1, "open": 0, "overdue": 0},
        "SOP": {"no_report": 1, "open": 2, "overdue": 1},
    }


def test_a_half_yearly_indicator_shows_its_last_half_in_the_first_quarter(make_indicator):
    indicator = make_indicator(frequency="half_yearly")
    assert [p.label for p in pdfs.report_periods(indicator, 2026, 1)] == ["2025-S2"]
    assert [p.label for p in pdfs.report_periods(indicator, 2026, 2)] == ["2026-S1"]
    yearly = make_indicator(key="A-1", frequency="yearly", first_year=2026)
    assert pdfs.report_periods(yearly, 2026, 3) == []  # nothing measured before 2026
    assert [p.label for p in pdfs.report_periods(yearly, 2026, 4)] == ["2026"]


def test_the_report_reads_a_fixed_number_of_queries(
    make_indicator, orgs, django_assert_max_num_queries
):
    for n in range(30):
        make_indicator(key=f"M-{n}", frequency="monthly" if n % 2 else "quarterly")
    with django_assert_max_num_queries(5):
        context = pdfs.report_pdf_context(2026, 2, TODAY)
    assert context["indicators"] == 30


def report_url(year=2026, quarter=2):
    return reverse("evaluation:quarterly_report_pdf", args=[year, quarter])


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_who_may_see_and_ask_for_the_report(
    client_as, orgs, persona_name, django_capture_on_commit_callbacks
):
    client = client_as(persona_name)
    page = client.get(report_url())
    expected = REPORT_STATUS[persona_name]
    assert page.status_code == expected
    if expected == 200:
        assert "Informe trimestral de avance 2026-T2" in page.text
        assert "Preparar el PDF" in page.text
    with django_capture_on_commit_callbacks():
        response = client.post(report_url())
    assert response.status_code == (302 if expected == 200 else expected)
    made = Job.objects.filter(task_name=render_quarterly_report_pdf.name).count()
    assert made == (1 if expected == 200 else 0)


def test_the_report_is_rendered_through_the_outbox_and_downloaded(
    client_as, quarter, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    reader = client_as("council_member")
    with django_capture_on_commit_callbacks():
        status_url = reader.post(report_url())["Location"]
    job = Job.objects.get(task_name=render_quarterly_report_pdf.name)
    assert job.kwargs["year"] == 2026
    assert job.kwargs["quarter"] == 2
    assert "Preparando el PDF" in reader.get(status_url).text

    run(render_quarterly_report_pdf)
    ready = reader.get(status_url, headers={"HX-Request": "true"})
    download_url = reverse(
        "evaluation:quarterly_report_pdf_download", args=[2026, 2, job.kwargs["token"]]
    )
    assert download_url in ready.text
    pdf = reader.get(download_url)
    assert 'filename="informe-indicadores-2026-t2.pdf"' in pdf["Content-Disposition"]
    text = pdf_text(b"".join(pdf.streaming_content))
    assert "I-1" in text
    assert "E-1" in text
    assert "PLAZO VENCIDO" in text


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_who_may_follow_and_download_the_report(
    client_as, orgs, persona_name, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks():
        client_as("planner").post(report_url())
    token = run(render_quarterly_report_pdf).kwargs["token"]
    client = client_as(persona_name)
    for name in (
        "evaluation:quarterly_report_pdf_status",
        "evaluation:quarterly_report_pdf_download",
    ):
        response = client.get(reverse(name, args=[2026, 2, token]))
        assert response.status_code == REPORT_STATUS[persona_name], name


def test_a_report_token_of_another_quarter_is_not_found(
    client_as, orgs, django_capture_on_commit_callbacks
):
    client = client_as("planner")
    with django_capture_on_commit_callbacks():
        client.post(report_url())
    token = Job.objects.get().kwargs["token"]
    status = "evaluation:quarterly_report_pdf_status"
    assert client.get(reverse(status, args=[2026, 2, token])).status_code == 200
    assert client.get(reverse(status, args=[2026, 3, token])).status_code == 404
    assert client.get(reverse(status, args=[2026, 2, uuid.uuid4()])).status_code == 404


def test_a_quarter_that_does_not_exist_is_not_found(client_as, orgs):
    client = client_as("planner")
    assert client.get(report_url(2026, 5)).status_code == 404
    assert client.post(report_url(2026, 0)).status_code == 404
    assert client.get(report_url(1999, 1)).status_code == 404
    assert not Job.objects.exists()


def test_the_report_link_opens_the_last_quarter_that_ended(client_as, orgs):
    response = client_as("planner").get(reverse("evaluation:quarterly_report"))
    assert response.status_code == 302
    year, quarter = pdfs.last_ended_quarter(timezone.localdate())
    assert response["Location"] == report_url(year, quarter)
    assert pdfs.last_ended_quarter(datetime.date(2026, 2, 1)) == (2025, 4)
    assert pdfs.last_ended_quarter(TODAY) == (2026, 2)
