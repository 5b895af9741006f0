"""The annual evaluation program, its evaluations (dates in order, no negative cost, a finished
one has its report), recommendations numbered per evaluation, and their follow-up: it only moves
forward, attended needs evidence and closes it, not accepted needs a reason, both are final."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from budgeting.models import FundingSource
from evaluation.models import Evaluation, EvaluationProgram, FollowUp, Recommendation
from evaluation.services import evaluations as services
from tests.evaluation.conftest import TODAY
from tests.factories import UserFactory
from tests.uploads import HOSTILE, pdf_bytes

PDF = pdf_bytes("informe")
DAY = datetime.timedelta(days=1)


def pdf(name="informe.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def program(db):
    return services.program_save(year=2026, title="Programa anual de evaluación 2026")


@pytest.fixture
def make_evaluation(program):
    def make(**fields):
        values = {
            "program": program,
            "title": "Evaluación de diseño del programa de agua",
            "kind": Evaluation.Kind.DESIGN,
            "evaluator": "Consultores del Bajío, S.C.",
            "cost": Decimal("250000.00"),
            "source": FundingSource.objects.get(key="propios"),
            "start": datetime.date(2026, 3, 1),
            "end": datetime.date(2026, 6, 30),
        } | fields
        return services.evaluation_save(**values)

    return make


@pytest.fixture
def evaluation(make_evaluation):
    return make_evaluation()


@pytest.fixture
def make_recommendation(evaluation, orgs):
    def make(text="Actualizar el padrón de usuarios", due=datetime.date(2026, 12, 31), **extra):
        values = {"evaluation": evaluation, "text": text, "responsible": orgs["works"], "due": due}
        return services.recommendation_add(**(values | extra))

    return make


@pytest.fixture
def recommendation(make_recommendation):
    return make_recommendation()


def follow(recommendation, status, note="Se revisó el padrón", evidence=None, today=TODAY):
    return services.recommendation_follow_up(
        recommendation=recommendation,
        status=status,
        note=note,
        evidence=evidence,
        by=UserFactory(),
        today=today,
    )


# --- The program ---------------------------------------------------------------------------


def test_one_program_a_year(program):
    with pytest.raises(ValidationError, match="Ya hay un programa de evaluación para 2026"):
        services.program_save(year=2026, title="Otro")
    changed = services.program_save(program=program, year=2026, title="PAE 2026", published=True)
    assert (changed.title, changed.published) == ("PAE 2026", True)
    assert EvaluationProgram.objects.count() == 1


def test_the_program_document_is_a_checked_pdf(program, media):
    with pytest.raises(ValidationError, match="no corresponde a un archivo .pdf"):
        services.program_save(
            program=program, year=2026, title="PAE", document=pdf(content=b"MZ\x90\x00")
        )
    with pytest.raises(ValidationError, match="El documento del programa es un archivo PDF"):
        services.program_save(
            program=program,
            year=2026,
            title="PAE",
            document=SimpleUploadedFile("programa.txt", b"texto"),
        )
    program.refresh_from_db()
    assert not program.document
    services.program_save(program=program, year=2026, title="PAE", document=pdf())
    program.refresh_from_db()
    assert program.document.read() == PDF


# --- Evaluations ---------------------------------------------------------------------------


def test_an_evaluation_records_what_it_evaluates(make_evaluation, pmot_strategy):
    evaluation = make_evaluation(elements=[pmot_strategy])
    assert list(evaluation.elements.all()) == [pmot_strategy]
    assert evaluation.status == Evaluation.Status.PLANNED
    assert evaluation.cost == Decimal("250000.00")


def test_an_evaluation_ends_after_it_starts(make_evaluation):
    with pytest.raises(ValidationError, match="termina el 1 de marzo de 2026, antes de empezar"):
        make_evaluation(start=datetime.date(2026, 3, 2), end=datetime.date(2026, 3, 1))
    same_day = make_evaluation(start=datetime.date(2026, 3, 1), end=datetime.date(2026, 3, 1))
    assert same_day.start == same_day.end


def test_an_evaluation_costs_nothing_negative(make_evaluation):
    with pytest.raises(ValidationError, match="El costo no puede ser negativo"):
        make_evaluation(cost=Decimal("-0.01"))
    assert make_evaluation(cost=0).cost == 0
    assert not Evaluation.objects.exclude(cost=0).exists()


def test_a_finished_evaluation_has_its_report(make_evaluation, evaluation, media):
    with pytest.raises(ValidationError, match="Una evaluación terminada tiene su informe"):
        make_evaluation(evaluation=evaluation, status=Evaluation.Status.FINISHED)
    with pytest.raises(ValidationError, match="El informe es un archivo PDF"):
        make_evaluation(
            evaluation=evaluation,
            status=Evaluation.Status.FINISHED,
            report=SimpleUploadedFile("informe.txt", b"texto"),
        )
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.PLANNED
    finished = make_evaluation(evaluation=evaluation, status="finished", report=pdf())
    assert finished.report.read() == PDF
    # Once there, the report stays when the evaluation is saved again without a new file.
    again = make_evaluation(evaluation=finished, status="finished", summary="Hallazgos")
    assert again.report.name == finished.report.name


# --- Recommendations -----------------------------------------------------------------------


def test_recommendations_are_numbered_per_evaluation(make_recommendation, make_evaluation, orgs):
    first, second = make_recommendation(), make_recommendation(text="Otra")
    other = services.recommendation_add(
        evaluation=make_evaluation(title="Otra evaluación"),
        text="Primera de la otra",
        responsible=orgs["state_agency"],
        due=TODAY,
    )
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert first.status == Recommendation.Status.ACCEPTED


def test_a_recommendation_has_a_text(evaluation, orgs):
    with pytest.raises(ValidationError, match="Escriba la recomendación"):
        services.recommendation_add(
            evaluation=evaluation, text="  ", responsible=orgs["works"], due=TODAY
        )
    assert not Recommendation.objects.exists()


# --- Follow-up -----------------------------------------------------------------------------


def test_accepted_moves_to_being_attended_then_attended_with_evidence(recommendation, media):
    follow(recommendation, "in_progress", note="Se contrató el levantamiento")
    follow(recommendation, "in_progress", note="Avance del 50 %")
    recommendation.refresh_from_db()
    assert recommendation.status == "in_progress"
    assert recommendation.closed_on is None
    step = follow(recommendation, "attended", note="Padrón publicado", evidence=pdf("padron.pdf"))
    recommendation.refresh_from_db()
    assert recommendation.status == "attended"
    assert recommendation.closed_on == TODAY
    assert step.evidence_name == "padron.pdf"
    assert [f.status for f in recommendation.followups.all()] == [
        "in_progress",
        "in_progress",
        "attended",
    ]


def test_an_accepted_recommendation_may_be_attended_at_once(recommendation, media):
    follow(recommendation, "attended", evidence=pdf())
    recommendation.refresh_from_db()
    assert recommendation.status == "attended"


def test_attended_needs_the_evidence_and_a_note(recommendation, media):
    with pytest.raises(ValidationError, match="Adjunte la evidencia de que la recomendación 1"):
        follow(recommendation, "attended")
    with pytest.raises(ValidationError, match="Diga qué se hizo"):
        follow(recommendation, "attended", note=" ", evidence=pdf())
    recommendation.refresh_from_db()
    assert recommendation.status == "accepted"
    assert not FollowUp.objects.exists()


def test_evidence_is_checked_like_every_upload(recommendation, media):
    renamed = SimpleUploadedFile("evidencia.pdf", b"<html>no es pdf</html>")
    with pytest.raises(ValidationError, match="no corresponde a un archivo .pdf"):
        follow(recommendation, "attended", evidence=renamed)
    recommendation.refresh_from_db()
    assert recommendation.status == "accepted"
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize("start", ["accepted", "in_progress"])
def test_not_accepted_needs_a_reason_and_keeps_it(recommendation, start):
    if start == "in_progress":
        follow(recommendation, "in_progress")
    with pytest.raises(ValidationError, match="Diga por qué no se acepta la recomendación"):
        follow(recommendation, "not_accepted", note="")
    follow(recommendation, "not_accepted", note="Fuera de las atribuciones de la unidad")
    recommendation.refresh_from_db()
    assert recommendation.status == "not_accepted"
    assert recommendation.reason == "Fuera de las atribuciones de la unidad"
    assert recommendation.closed_on is None


@pytest.mark.parametrize("start", ["accepted", "in_progress"])
def test_never_back_to_accepted(recommendation, start):
    if start == "in_progress":
        follow(recommendation, "in_progress")
    with pytest.raises(ValidationError, match="nunca vuelve a aceptada"):
        follow(recommendation, "accepted")
    recommendation.refresh_from_db()
    assert recommendation.status == start


@pytest.mark.parametrize(
    ("final", "label"), [("attended", "atendida"), ("not_accepted", "no aceptada")]
)
@pytest.mark.parametrize("then", ["in_progress", "attended", "not_accepted", "accepted"])
def test_attended_and_not_accepted_are_final(recommendation, media, final, label, then):
    follow(recommendation, final, evidence=pdf())
    with pytest.raises(
        ValidationError, match=f"La recomendación 1 está {label}: su seguimiento está cerrado"
    ):
        follow(recommendation, then, evidence=pdf())
    recommendation.refresh_from_db()
    assert recommendation.status == final
    assert recommendation.followups.count() == 1


def test_an_unknown_status_is_refused(recommendation):
    with pytest.raises(ValidationError, match="Elija el estado"):
        follow(recommendation, "forgotten")


# --- Overdue -------------------------------------------------------------------------------


def test_overdue_only_after_the_due_date_while_open(make_recommendation, media):
    due_today = make_recommendation(due=TODAY)
    due_yesterday = make_recommendation(due=TODAY - DAY)
    assert not due_today.overdue(TODAY)
    assert due_yesterday.overdue(TODAY)
    assert list(Recommendation.objects.overdue(TODAY)) == [due_yesterday]
    follow(due_yesterday, "in_progress")
    due_yesterday.refresh_from_db()
    assert due_yesterday.overdue(TODAY)
    follow(due_yesterday, "attended", evidence=pdf())
    due_yesterday.refresh_from_db()
    assert not due_yesterday.overdue(TODAY)
    assert not due_yesterday.overdue(TODAY + 365 * DAY)
    assert not Recommendation.objects.overdue(TODAY).exists()


def test_not_accepted_is_never_overdue(make_recommendation):
    refused = make_recommendation(due=TODAY - DAY)
    follow(refused, "not_accepted", note="No aplica")
    refused.refresh_from_db()
    assert not refused.overdue(TODAY)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_evidence_of_a_recommendation_is_refused_naming_it(recommendation, media, name):
    with pytest.raises(ValidationError) as refused:
        follow(recommendation, "attended", evidence=SimpleUploadedFile(name, HOSTILE[name]))
    assert name in refused.value.messages[0]
    assert not FollowUp.objects.exists()
