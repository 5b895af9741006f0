"""The hand-over report (*entrega-recepción*) of an administration: asked for by IMPLAN's
administrators and planners and the secretary of the Ayuntamiento, rendered through the outbox,
followed on a page that htmx refreshes, downloaded as a PDF whose text is read back: the PMOT's
state, pending agreements, POA progress, indicators, open recommendations and the bodies with
their members, and no e-mail address or phone."""

# Fixtures come from the other apps' conftests and from test_dashboard's world.
# ruff: noqa: F401, F811

import datetime
import io
import time
import uuid

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from evaluation.models import Evaluation, EvaluationProgram, Recommendation
from pmot.actors.models import Administration, Municipality
from pmot.core.models import Job
from pmot.core.outbox import job_run
from pmot.portal.services import handover
from pmot.portal.tasks import render_handover_pdf
from tests.budgeting.conftest import catalogue, make_action, pmot_strategy
from tests.committees.conftest import agreement_type, cabildo, open_session
from tests.conftest import ALL_PERSONAS
from tests.evaluation.conftest import make_indicator
from tests.phases.conftest import open_phases, phases
from tests.planning.conftest import council_vote, program
from tests.portal.test_dashboard import more_of_everything, world

MAY_ASK = {"admin", "planner", "secretary"}
STATUS = {name: 200 if name in MAY_ASK else 403 for name in ALL_PERSONAS} | {"anonymous": 302}


def pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def run_job() -> Job:
    """What the worker does with the report's one job (a real worker: the last test)."""
    job = Job.objects.get(task_name=render_handover_pdf.name)
    job_run(job_id=job.pk, func=render_handover_pdf.func)
    job.refresh_from_db()
    return job


@pytest.fixture
def administration(db):
    today = timezone.localdate()
    return Administration.objects.create(
        start_date=datetime.date(today.year - 2, 10, 15),
        end_date=datetime.date(today.year + 1, 10, 14),
    )


def page_url(administration):
    return reverse("portal:handover_administration", args=[administration.pk])


def ask(client, administration):
    return client.post(page_url(administration))


# --- Who may ask for it ------------------------------------------------------------------------


def test_asking_again_joins_the_pending_report(
    client_as, orgs, administration, django_capture_on_commit_callbacks
):
    """Issue 19, finding 10 (the same fault as the POA table's PDF): one pending rendering per
    person and report."""
    client = client_as("planner")
    with django_capture_on_commit_callbacks():
        places = {ask(client, administration)["Location"] for _ in range(5)}
    assert len(places) == 1
    assert Job.objects.filter(task_name=render_handover_pdf.name).count() == 1


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_who_may_ask_for_the_report(
    client_as, orgs, administration, persona_name, django_capture_on_commit_callbacks
):
    client = client_as(persona_name)
    expected = STATUS[persona_name]

    latest = client.get(reverse("portal:handover"))
    assert latest.status_code == (302 if expected == 200 else expected)
    if expected == 200:
        assert latest["Location"] == page_url(administration)
        page = client.get(page_url(administration))
        assert "Informe de entrega-recepción de la administración" in page.text
        assert "Preparar el PDF" in page.text
    else:
        assert client.get(page_url(administration)).status_code == expected
    with django_capture_on_commit_callbacks():
        response = ask(client, administration)
    assert response.status_code == (302 if expected == 200 else expected)
    made = Job.objects.filter(task_name=render_handover_pdf.name).count()
    assert made == (1 if expected == 200 else 0)
    if persona_name == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_the_start_page_offers_the_report_to_those_who_may_ask(client_as, orgs, persona_name):
    if persona_name == "anonymous":
        return
    page = client_as(persona_name).get(reverse("portal:dashboard")).text
    offered = reverse("portal:handover") in page
    assert offered == (persona_name in MAY_ASK)


def test_without_an_administration_the_page_says_to_record_one(client_as, orgs):
    response = client_as("planner").get(reverse("portal:handover"))
    assert response.status_code == 200
    assert "Aún no hay ninguna administración municipal registrada" in response.text
    assert "Preparar el PDF" not in response.text


def test_the_page_of_another_administration_can_be_reached(client_as, orgs, administration):
    earlier = Administration.objects.create(
        start_date=datetime.date(2018, 10, 15), end_date=datetime.date(2021, 10, 14)
    )
    page = client_as("secretary").get(page_url(administration)).text
    assert page_url(earlier) in page
    assert client_as("secretary").get(page_url(earlier)).status_code == 200


# --- Rendered through the outbox ---------------------------------------------------------------


def test_the_report_is_rendered_through_the_outbox_and_the_page_follows_it(
    client_as, orgs, administration, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    secretary = client_as("secretary")
    with django_capture_on_commit_callbacks() as callbacks:  # the broker is not reached
        status_url = ask(secretary, administration)["Location"]
    assert len(callbacks) == 1

    waiting = secretary.get(status_url)
    assert waiting.status_code == 200
    assert "Preparando el PDF" in waiting.text
    assert 'hx-trigger="every 2s"' in waiting.text

    job = run_job()
    assert job.status == Job.Status.DONE
    assert job.requested_by.username == "secretary"
    ready = secretary.get(status_url, headers={"HX-Request": "true"})
    assert "hx-trigger" not in ready.text
    download_url = reverse(
        "portal:handover_download", args=[administration.pk, job.kwargs["token"]]
    )
    assert download_url in ready.text

    pdf = secretary.get(download_url)
    assert pdf["Content-Type"] == "application/pdf"
    name = f"entrega-recepcion-{administration.start_date.year}-{administration.end_date.year}"
    assert f'filename="{name}.pdf"' in pdf["Content-Disposition"]
    assert "Informe de entrega-recepción" in pdf_text(b"".join(pdf.streaming_content))


def test_the_reports_progress_is_shown_step_by_step(
    client_as, orgs, administration, django_capture_on_commit_callbacks
):
    planner = client_as("planner")
    with django_capture_on_commit_callbacks():
        status_url = ask(planner, administration)["Location"]
    token = Job.objects.get().kwargs["token"]
    handover._report(handover.job_key(token), 2, "Acomodando el informe en páginas")
    page = planner.get(status_url, headers={"HX-Request": "true"})
    assert "Paso 2 de 3: Acomodando el informe en páginas" in page.text


def test_a_failed_report_says_so_and_stops_polling(
    client_as, orgs, administration, django_capture_on_commit_callbacks
):
    planner = client_as("planner")
    with django_capture_on_commit_callbacks():
        status_url = ask(planner, administration)["Location"]
    Job.objects.update(status=Job.Status.FAILED)
    page = planner.get(status_url, headers={"HX-Request": "true"})
    assert "hx-trigger" not in page.text
    assert 'role="alert"' in page.text


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_who_may_follow_and_download_the_report(
    client_as,
    orgs,
    administration,
    persona_name,
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks():
        ask(client_as("planner"), administration)
    token = run_job().kwargs["token"]
    client = client_as(persona_name)
    for name in ("portal:handover_status", "portal:handover_download"):
        response = client.get(reverse(name, args=[administration.pk, token]))
        assert response.status_code == STATUS[persona_name], name


def test_a_token_of_another_administration_or_none_is_not_found(
    client_as, orgs, administration, django_capture_on_commit_callbacks
):
    other = Administration.objects.create(
        start_date=datetime.date(2018, 10, 15), end_date=datetime.date(2021, 10, 14)
    )
    client = client_as("admin")
    with django_capture_on_commit_callbacks():
        ask(client, administration)
    token = Job.objects.get().kwargs["token"]
    status = "portal:handover_status"
    assert client.get(reverse(status, args=[administration.pk, token])).status_code == 200
    assert client.get(reverse(status, args=[other.pk, token])).status_code == 404
    assert client.get(reverse(status, args=[administration.pk, uuid.uuid4()])).status_code == 404
    # Asked for but not rendered yet: nothing to download.
    download = reverse("portal:handover_download", args=[administration.pk, token])
    assert client.get(download).status_code == 404


def test_the_status_and_the_download_answer_get_only(
    client_as, orgs, administration, django_capture_on_commit_callbacks
):
    client = client_as("admin")
    with django_capture_on_commit_callbacks():
        status_url = ask(client, administration)["Location"]
    assert client.post(status_url).status_code == 405
    assert client.post(reverse("portal:handover")).status_code == 405


# --- What it holds -----------------------------------------------------------------------------


@pytest.fixture
def handed_over(world, orgs, persona, administration):
    """The world of test_dashboard, with the municipality, an evaluation's open and attended
    recommendations, and a member with a phone."""
    Municipality.objects.create(
        inegi_key="01001", name="Aguascalientes", state="Aguascalientes", population=948990
    )
    program = EvaluationProgram.objects.create(year=world["today"].year, title="PAE")
    evaluation = Evaluation.objects.create(
        program=program,
        title="Evaluación de diseño del programa de agua",
        kind=Evaluation.Kind.DESIGN,
        evaluator="Consultora X",
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 3, 31),
    )
    Recommendation.objects.create(
        evaluation=evaluation,
        number=1,
        text="Actualizar el padrón de usuarios",
        responsible=orgs["works"],
        due=world["today"] - datetime.timedelta(days=3),
    )
    Recommendation.objects.create(
        evaluation=evaluation,
        number=2,
        text="Recomendación ya atendida",
        responsible=orgs["works"],
        due=datetime.date(2026, 5, 31),
        status=Recommendation.Status.ATTENDED,
        closed_on=datetime.date(2026, 5, 1),
    )
    member = persona("body_member")
    member.phone = "449 123 4567"
    member.save(update_fields=["phone"])
    return world


def test_the_report_holds_the_pmots_state_and_what_is_pending(
    handed_over, administration, persona, orgs, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    world = handed_over
    path = handover.handover_render(administration=administration, token="t")
    text = pdf_text((tmp_path / path).read_bytes())

    # the cover
    assert "Informe de entrega-recepción" in text
    assert "Aguascalientes, Aguascalientes" in text
    assert f"Conclusión de la administración municipal {administration.name}" in text
    # the program and its phases
    assert "PMOT de Aguascalientes" in text
    assert "3. Formulación En curso" in text
    assert "Lo que le falta a la fase 1. Sistema de coordinación para cerrar" in text
    # the agreement past its deadline, with its deadline and who answers for it
    overdue = world["overdue"]
    assert f"{overdue.key} " in text
    assert overdue.deadline.strftime("%d/%m/%Y") in text
    assert "Obras Públicas (SOP)" in text
    # POA of each fiscal year: last year's approved one and this year's draft
    assert f"POA {world['today'].year - 1} Aprobado 2 $200,000.00" in text
    assert f"POA {world['today'].year} Borrador 1 $100,000.00" in text
    # indicators with their colour now
    assert "PL-R Indicador PL-R IMPLAN Trimestral" in text
    assert "Rojo" in text
    assert "SE-1" in text
    # open recommendations only, the overdue flagged
    assert "Actualizar el padrón de usuarios" in text
    assert "PLAZO VENCIDO" in text
    assert "Recomendación ya atendida" not in text
    # bodies with their members: name, seat, sector, organization
    assert "Comité municipal de ordenamiento" in text
    body_member = persona("body_member")
    assert body_member.get_full_name() in text
    assert "Universidad (UNI)" in text
    assert "Academia" in text
    # nothing personal beyond that
    assert "example.org" not in text
    assert "449 123 4567" not in text


def test_an_empty_record_reads_as_such(orgs, administration, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    text = pdf_text(
        (tmp_path / handover.handover_render(administration=administration, token="e")).read_bytes()
    )
    assert "El programa aún no se ha registrado." in text
    assert "No hay acuerdos pendientes." in text
    assert "No se registró ningún POA para los ejercicios fiscales de la administración." in text
    assert "No se ha registrado ningún indicador." in text
    assert "No hay recomendaciones abiertas." in text
    assert "No se ha registrado ningún órgano." in text


def test_the_reports_reads_run_a_fixed_number_of_queries(
    handed_over,
    administration,
    orgs,
    persona,
    make_indicator,
    make_action,
    agreement_type,
    council_vote,
):
    with CaptureQueriesContext(connection) as few:
        handover.handover_context(administration)
    make = {
        "make_indicator": make_indicator,
        "make_action": make_action,
        "agreement_type": agreement_type,
        "council_vote": council_vote,
    }
    more_of_everything(handed_over, orgs, persona, make)
    with CaptureQueriesContext(connection) as many:
        context = handover.handover_context(administration)
    assert len(many) == len(few)
    assert len(context["agreements"]) >= 7


# --- A real worker -----------------------------------------------------------------------------


@pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs Redis: run through `make test`")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_renders_the_report_and_the_page_offers_it(
    client_as, orgs, administration, celery_test_queue, settings, tmp_path
):
    from celery.contrib.testing.worker import start_worker

    from pmot.celery import app

    settings.MEDIA_ROOT = tmp_path  # the worker runs in a thread of this process
    admin = client_as("admin")
    with start_worker(app, pool="solo", perform_ping_check=False, queues=[celery_test_queue]):
        status_url = ask(admin, administration)["Location"]
        deadline = time.monotonic() + 60
        job = Job.objects.get(task_name=render_handover_pdf.name)
        while job.status != Job.Status.DONE:
            assert time.monotonic() < deadline, (job.status, job.last_error)
            time.sleep(0.2)
            job.refresh_from_db()
    page = admin.get(status_url)
    download_url = reverse(
        "portal:handover_download", args=[administration.pk, job.kwargs["token"]]
    )
    assert download_url in page.text
    pdf = admin.get(download_url)
    assert "Informe de entrega-recepción" in pdf_text(b"".join(pdf.streaming_content))
