"""The pages of the evaluation program for every persona: who reads the program, its evaluations
and recommendations, who edits them, who records a follow-up (IMPLAN and the people of the
responsible organization); refusals shown in Spanish with nothing saved; the agreements that act
on an evaluation or a recommendation; fixed query counts on the lists."""

# The fixtures of test_evaluations are imported, then named as arguments.
# ruff: noqa: F811

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Evaluation, EvaluationProgram, FollowUp, Recommendation
from evaluation.services import evaluations as services
from tests.budgeting.conftest import catalogue, draft_poa, make_action  # noqa: F401
from tests.committees.conftest import agreement_type, cabildo, open_session  # noqa: F401
from tests.conftest import ALL_PERSONAS, ROLE_PERSONAS
from tests.evaluation.test_evaluations import (  # noqa: F401
    PDF,
    evaluation,
    make_evaluation,
    make_recommendation,
    media,
    pdf,
    program,
    recommendation,
)
from tests.factories import UserFactory
from tests.planning.conftest import council_vote  # noqa: F401
from tests.uploads import HOSTILE

PLANNERS = {"admin", "planner"}
# IMPLAN and the people of Obras Públicas, the organization the recommendation is for.
FOLLOWERS = PLANNERS | {"municipal_liaison"}
LIST = dict.fromkeys(ROLE_PERSONAS, 200) | {"outsider": 403, "anonymous": 302}
OBJECT = dict.fromkeys(ROLE_PERSONAS, 200) | {"outsider": 404, "anonymous": 302}


def today() -> datetime.date:
    return timezone.localdate()


def yesterday() -> datetime.date:
    return today() - datetime.timedelta(days=1)


def refused(persona_name, outsider=404):
    return {"anonymous": 302, "outsider": outsider}.get(persona_name, 403)


def evaluation_fields(program, **extra):
    return {
        "program": program.pk,
        "title": "Evaluación de procesos del alumbrado",
        "kind": "processes",
        "evaluator": "Universidad Autónoma",
        "cost": "180000.00",
        "source": "",
        "start": "2026-04-01",
        "end": "2026-09-30",
        "status": "planned",
        "summary": "",
    } | extra


def messages_of(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


# --- The program by year -------------------------------------------------------------------


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_the_evaluation_list_by_persona(client_as, make_recommendation, persona_name):
    make_recommendation(due=yesterday())
    make_recommendation(due=yesterday() + datetime.timedelta(days=30))
    response = client_as(persona_name).get(reverse("evaluation:evaluation_list"), {"anio": 2026})
    assert response.status_code == LIST[persona_name]
    if response.status_code == 200:
        text = response.text
        assert "Programa anual de evaluación 2026" in text
        assert "Evaluación de diseño del programa de agua" in text
        assert "Consultores del Bajío, S.C." in text
        assert "$250,000.00" in text
        assert "Recursos propios municipales" in text
        row = response.context["evaluations"][0]
        assert (row.open_count, row.overdue_count) == (2, 1)
        assert ("Nuevo programa" in text) == (persona_name in PLANNERS)
        assert ("Nueva evaluación" in text) == (persona_name in PLANNERS)


def test_the_list_shows_the_chosen_year_and_says_when_there_is_no_program(client_as, program):
    client = client_as("council_member")
    services.program_save(year=2025, title="PAE 2025")
    url = reverse("evaluation:evaluation_list")
    assert "PAE 2025" in client.get(url, {"anio": 2025}).text
    assert "No hay programa de evaluación para 2019" in client.get(url, {"anio": 2019}).text
    assert "El programa aún no tiene evaluaciones" in client.get(url, {"anio": 2026}).text


def test_the_evaluation_list_runs_a_fixed_number_of_queries(
    client_as, make_evaluation, make_recommendation, django_assert_max_num_queries
):
    client = client_as("citizen_rep")
    url = reverse("evaluation:evaluation_list")
    client.get(url, {"anio": 2026})
    for n in range(12):
        make_evaluation(title=f"Evaluación {n}")
    make_recommendation()
    with django_assert_max_num_queries(11):
        response = client.get(url, {"anio": 2026})
    assert len(response.context["evaluations"]) == 13


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_creating_a_program_by_persona(client_as, persona_name, media):
    client = client_as(persona_name)
    url = reverse("evaluation:program_create")
    fields = {"year": 2027, "title": "PAE 2027", "document": pdf("pae.pdf")}
    response = client.post(url, fields)
    created = EvaluationProgram.objects.filter(year=2027).first()
    if persona_name in PLANNERS:
        assert client.get(url).status_code == 200
        assert response.status_code == 302
        assert response["Location"].endswith("?anio=2027")
        assert created.document.read() == PDF
    else:
        assert client.get(url).status_code == refused(persona_name, outsider=403)
        assert response.status_code == refused(persona_name, outsider=403)
        assert created is None


def test_a_second_program_for_a_year_is_refused_in_spanish(client_as, program):
    response = client_as("planner").post(
        reverse("evaluation:program_create"), {"year": 2026, "title": "Otro"}
    )
    assert response.status_code == 400
    assert "Ya hay un programa de evaluación para 2026" in response.text
    assert EvaluationProgram.objects.count() == 1


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_editing_a_program_by_persona(client_as, program, persona_name):
    client = client_as(persona_name)
    url = reverse("evaluation:program_edit", args=[program.pk])
    response = client.post(url, {"year": 2026, "title": "PAE 2026 corregido", "published": "on"})
    program.refresh_from_db()
    if persona_name in PLANNERS:
        assert client.get(url).status_code == 200
        assert response.status_code == 302
        assert (program.title, program.published) == ("PAE 2026 corregido", True)
    else:
        assert client.get(url).status_code == refused(persona_name)
        assert response.status_code == refused(persona_name)
        assert program.title == "Programa anual de evaluación 2026"


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_the_program_document_by_persona(client_as, program, persona_name, media):
    services.program_save(program=program, year=2026, title=program.title, document=pdf())
    response = client_as(persona_name).get(
        reverse("evaluation:program_document", args=[program.pk])
    )
    assert response.status_code == OBJECT[persona_name]
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"


# --- Evaluations ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_the_evaluation_page_by_persona(
    client_as, make_evaluation, make_recommendation, pmot_strategy, persona_name, media
):
    evaluation = make_evaluation(elements=[pmot_strategy], status="finished", report=pdf())
    late = make_recommendation(evaluation=evaluation, due=yesterday())
    services.recommendation_follow_up(
        recommendation=late,
        status="in_progress",
        note="Se contrató el levantamiento del padrón",
        evidence=pdf("contrato.pdf"),
        by=UserFactory(),
    )
    response = client_as(persona_name).get(
        reverse("evaluation:evaluation_detail", args=[evaluation.pk])
    )
    assert response.status_code == OBJECT[persona_name]
    if response.status_code == 200:
        text = response.text
        assert "Redensificar" in text
        assert reverse("evaluation:evaluation_report", args=[evaluation.pk]) in text
        assert "Recomendación 1" in text
        assert "Obras Públicas" in text
        assert "En atención" in text
        assert "Vencida" in text
        assert "Se contrató el levantamiento del padrón" in text
        assert "contrato.pdf" in text
        assert ("Agregar una recomendación" in text) == (persona_name in PLANNERS)


def test_the_evaluation_page_lists_the_actions_it_evaluates(
    client_as, make_evaluation, draft_poa, make_action
):
    action = make_action(draft_poa, key="A-07", name="Bacheo")
    evaluation = make_evaluation(actions=[action])
    text = (
        client_as("state_liaison")
        .get(reverse("evaluation:evaluation_detail", args=[evaluation.pk]))
        .text
    )
    assert "A-07" in text
    assert reverse("budgeting:action_detail", args=[action.pk]) in text


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_creating_an_evaluation_by_persona(client_as, program, persona_name):
    client = client_as(persona_name)
    url = reverse("evaluation:evaluation_create")
    response = client.post(url, evaluation_fields(program))
    created = Evaluation.objects.filter(title="Evaluación de procesos del alumbrado").first()
    if persona_name in PLANNERS:
        assert client.get(url, {"programa": program.pk}).status_code == 200
        assert response.status_code == 302
        assert created.cost == Decimal("180000.00")
        assert created.kind == "processes"
    else:
        assert client.get(url).status_code == refused(persona_name, outsider=403)
        assert response.status_code == refused(persona_name, outsider=403)
        assert created is None


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"end": "2026-03-01"}, "La evaluación termina el 1 de marzo de 2026, antes de empezar"),
        ({"status": "finished"}, "Una evaluación terminada tiene su informe"),
        ({"cost": "-5"}, "El costo no puede ser negativo"),
    ],
)
def test_a_bad_evaluation_is_refused_in_spanish(client_as, program, extra, message):
    response = client_as("planner").post(
        reverse("evaluation:evaluation_create"), evaluation_fields(program, **extra)
    )
    assert response.status_code == 400
    assert message in response.text
    assert not Evaluation.objects.exists()


def test_a_report_that_is_not_a_pdf_is_refused(client_as, program, media):
    renamed = SimpleUploadedFile("informe.pdf", b"MZ\x90\x00 ejecutable")
    fields = evaluation_fields(program, status="finished", report=renamed)
    response = client_as("planner").post(reverse("evaluation:evaluation_create"), fields)
    assert response.status_code == 400
    assert "no corresponde a un archivo .pdf" in response.text
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_editing_an_evaluation_by_persona(client_as, evaluation, persona_name, media):
    client = client_as(persona_name)
    url = reverse("evaluation:evaluation_edit", args=[evaluation.pk])
    fields = evaluation_fields(
        evaluation.program, title="Evaluación concluida", status="finished", report=pdf()
    )
    response = client.post(url, fields)
    evaluation.refresh_from_db()
    if persona_name in PLANNERS:
        assert client.get(url).status_code == 200
        assert response.status_code == 302
        assert (evaluation.title, evaluation.status) == ("Evaluación concluida", "finished")
        assert evaluation.report.read() == PDF
    else:
        assert client.get(url).status_code == refused(persona_name)
        assert response.status_code == refused(persona_name)
        assert evaluation.status == "planned"


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_the_report_download_by_persona(client_as, make_evaluation, persona_name, media):
    evaluation = make_evaluation(status="finished", report=pdf())
    response = client_as(persona_name).get(
        reverse("evaluation:evaluation_report", args=[evaluation.pk])
    )
    assert response.status_code == OBJECT[persona_name]
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF
        assert "attachment" in response["Content-Disposition"]


def test_an_evaluation_without_a_report_has_nothing_to_download(client_as, evaluation):
    response = client_as("planner").get(
        reverse("evaluation:evaluation_report", args=[evaluation.pk])
    )
    assert response.status_code == 404


# --- Recommendations -----------------------------------------------------------------------


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_adding_a_recommendation_by_persona(client_as, evaluation, orgs, persona_name):
    response = client_as(persona_name).post(
        reverse("evaluation:recommendation_add", args=[evaluation.pk]),
        {
            "rec-text": "Publicar el padrón",
            "rec-responsible": orgs["works"].pk,
            "rec-due": "2027-01-31",
        },
    )
    added = Recommendation.objects.filter(evaluation=evaluation).first()
    if persona_name in PLANNERS:
        assert response.status_code == 302
        assert (added.number, added.text, added.responsible) == (
            1,
            "Publicar el padrón",
            orgs["works"],
        )
    else:
        assert response.status_code == refused(persona_name)
        assert added is None


def test_an_empty_recommendation_is_refused_in_spanish(client_as, evaluation, orgs):
    response = client_as("planner").post(
        reverse("evaluation:recommendation_add", args=[evaluation.pk]),
        {"rec-text": "  ", "rec-responsible": orgs["works"].pk, "rec-due": "2027-01-31"},
    )
    assert response.status_code == 400
    assert "Este campo es obligatorio" in response.text
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_the_recommendation_page_by_persona(client_as, recommendation, persona_name):
    response = client_as(persona_name).get(
        reverse("evaluation:recommendation_detail", args=[recommendation.pk])
    )
    assert response.status_code == OBJECT[persona_name]
    if response.status_code == 200:
        assert "Actualizar el padrón de usuarios" in response.text
        assert ("Registrar un seguimiento" in response.text) == (persona_name in FOLLOWERS)


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_following_up_by_persona(client_as, recommendation, persona_name):
    response = client_as(persona_name).post(
        reverse("evaluation:recommendation_follow_up", args=[recommendation.pk]),
        {"status": "in_progress", "note": "Se inició la actualización"},
    )
    recommendation.refresh_from_db()
    if persona_name in FOLLOWERS:
        assert response.status_code == 302
        assert recommendation.status == "in_progress"
        assert recommendation.followups.get().note == "Se inició la actualización"
    else:
        assert response.status_code == refused(persona_name)
        assert recommendation.status == "accepted"
        assert not FollowUp.objects.exists()


def test_the_liaison_of_another_organization_may_not_follow_up(
    client_as, make_recommendation, orgs
):
    theirs = make_recommendation(responsible=orgs["state_agency"])
    mine = make_recommendation()
    client = client_as("municipal_liaison")
    page = client.get(reverse("evaluation:recommendation_detail", args=[theirs.pk]))
    assert page.status_code == 200
    assert "Registrar un seguimiento" not in page.text
    url = reverse("evaluation:recommendation_follow_up", args=[theirs.pk])
    assert client.post(url, {"status": "in_progress", "note": "x"}).status_code == 403
    state = client_as("state_liaison")
    assert state.post(url, {"status": "in_progress", "note": "Avance"}).status_code == 302
    mine_url = reverse("evaluation:recommendation_follow_up", args=[mine.pk])
    assert state.post(mine_url, {"status": "in_progress", "note": "x"}).status_code == 403
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert (theirs.status, mine.status) == ("in_progress", "accepted")


def test_the_liaison_attends_with_evidence_and_everyone_reads_it(client_as, recommendation, media):
    url = reverse("evaluation:recommendation_follow_up", args=[recommendation.pk])
    response = client_as("municipal_liaison").post(
        url, {"status": "attended", "note": "Padrón publicado", "evidence": pdf("padron.pdf")}
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == "attended"
    assert recommendation.closed_on == today()
    followup = recommendation.followups.get()
    page = client_as("citizen_rep").get(
        reverse("evaluation:recommendation_detail", args=[recommendation.pk])
    )
    assert "padron.pdf" in page.text
    assert "Registrar un seguimiento" not in page.text  # closed: no form for anyone
    evidence_url = reverse("evaluation:followup_evidence", args=[followup.pk])
    download = client_as("federal_liaison").get(evidence_url)
    assert b"".join(download.streaming_content) == PDF
    assert client_as("outsider").get(evidence_url).status_code == 404
    assert client_as("anonymous").get(evidence_url).status_code == 302


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": "attended", "note": "Listo"}, "Adjunte la evidencia de que la recomendación 1"),
        ({"status": "not_accepted", "note": ""}, "Diga por qué no se acepta la recomendación"),
        ({"status": "in_progress", "note": ""}, "Diga qué se hizo"),
    ],
)
def test_a_refused_follow_up_says_why_and_changes_nothing(
    client_as, recommendation, fields, message
):
    response = client_as("municipal_liaison").post(
        reverse("evaluation:recommendation_follow_up", args=[recommendation.pk]), fields
    )
    assert response.status_code == 400
    assert message in response.text
    recommendation.refresh_from_db()
    assert recommendation.status == "accepted"
    assert not FollowUp.objects.exists()


def test_a_closed_recommendation_refuses_more_follow_up(client_as, recommendation):
    services.recommendation_follow_up(
        recommendation=recommendation, status="not_accepted", note="No aplica", by=UserFactory()
    )
    response = client_as("planner").post(
        reverse("evaluation:recommendation_follow_up", args=[recommendation.pk]),
        {"status": "in_progress", "note": "Reabrir"},
    )
    assert response.status_code == 400
    assert "La recomendación 1 está no aceptada: su seguimiento está cerrado" in response.text
    assert recommendation.followups.count() == 1


def test_accepted_is_not_offered_as_a_next_status(client_as, recommendation):
    response = client_as("planner").post(
        reverse("evaluation:recommendation_follow_up", args=[recommendation.pk]),
        {"status": "accepted", "note": "Otra vez"},
    )
    assert response.status_code == 400
    assert "Seleccione una opción válida. accepted no es una de las opciones" in response.text
    assert not FollowUp.objects.exists()


# --- The agreements that act on them -------------------------------------------------------


def test_the_agreements_on_an_evaluation_and_its_recommendations(
    client_as, evaluation, make_recommendation, council_vote
):
    first, second = make_recommendation(), make_recommendation(text="Segunda")
    on_evaluation = council_vote(subject=evaluation)
    on_second = council_vote(subject=second)
    unrelated = council_vote()
    client = client_as("private_rep")
    text = client.get(reverse("evaluation:evaluation_detail", args=[evaluation.pk])).text
    assert on_evaluation.key in text
    assert on_second.key in text
    assert "sobre la recomendación 2" in text
    assert unrelated.key not in text
    first_page = client.get(reverse("evaluation:recommendation_detail", args=[first.pk])).text
    assert "Aún no hay acuerdo del Cabildo" in first_page
    second_page = client.get(reverse("evaluation:recommendation_detail", args=[second.pk])).text
    assert on_second.key in second_page
    assert on_evaluation.key not in second_page
    assert reverse("committees:agreement_detail", args=[on_second.pk]) in second_page


# --- The list of recommendations -----------------------------------------------------------


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_the_recommendation_list_by_persona(client_as, recommendation, persona_name):
    response = client_as(persona_name).get(reverse("evaluation:recommendation_list"))
    assert response.status_code == LIST[persona_name]
    if response.status_code == 200:
        assert "Actualizar el padrón de usuarios" in response.text


def test_the_recommendation_list_filters(client_as, make_recommendation, orgs):
    late = make_recommendation(text="Atrasada", due=yesterday())
    make_recommendation(text="Al día", due=today())
    make_recommendation(text="Estatal", responsible=orgs["state_agency"], due=yesterday())
    services.recommendation_follow_up(
        recommendation=late, status="in_progress", note="Avance", by=UserFactory()
    )
    client = client_as("body_member")
    url = reverse("evaluation:recommendation_list")

    def texts(**query):
        page = client.get(url, query).context["page"]
        return sorted(r.text for r in page)

    assert texts() == ["Al día", "Atrasada", "Estatal"]
    assert texts(vencidas="on") == ["Atrasada", "Estatal"]
    assert texts(vencidas="on", responsable=orgs["works"].pk) == ["Atrasada"]
    assert texts(estado="in_progress") == ["Atrasada"]
    assert texts(estado="accepted") == ["Al día", "Estatal"]
    overdue_page = client.get(url, {"vencidas": "on"}).text
    assert overdue_page.count(">Vencida<") == 2


def test_the_recommendation_list_runs_a_fixed_number_of_queries(
    client_as, evaluation, orgs, django_assert_max_num_queries
):
    client = client_as("federal_liaison")
    url = reverse("evaluation:recommendation_list")
    Recommendation.objects.bulk_create(
        Recommendation(
            evaluation=evaluation,
            number=n,
            text=f"Recomendación {n}",
            responsible=orgs["works"] if n % 2 else orgs["state_agency"],
            due=yesterday(),
        )
        for n in range(1, 121)
    )
    with django_assert_max_num_queries(11):
        response = client.get(url, {"vencidas": "on", "pagina": 2})
    assert len(response.context["page"]) == 50
    assert "Página 2 de 3" in response.text
    assert "vencidas=on&amp;pagina=3" in response.text


def test_the_evaluation_page_runs_a_fixed_number_of_queries(
    client_as, evaluation, orgs, django_assert_max_num_queries
):
    client = client_as("planner")
    url = reverse("evaluation:evaluation_detail", args=[evaluation.pk])
    by = UserFactory()
    for n in range(1, 31):
        recommendation = services.recommendation_add(
            evaluation=evaluation, text=f"R{n}", responsible=orgs["works"], due=yesterday()
        )
        services.recommendation_follow_up(
            recommendation=recommendation, status="in_progress", note=f"Avance {n}", by=by
        )
    with django_assert_max_num_queries(17):
        response = client.get(url)
    assert response.text.count(">Vencida<") == 30


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_report_is_refused_naming_it(client_as, program, media, name):
    report = SimpleUploadedFile(name, HOSTILE[name])
    fields = evaluation_fields(program, status="finished", report=report)
    response = client_as("planner").post(reverse("evaluation:evaluation_create"), fields)
    assert response.status_code == 400
    assert name in response.text
    assert "rechaz" in response.text
    assert not Evaluation.objects.exists()
