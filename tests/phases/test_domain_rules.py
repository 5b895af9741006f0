"""Issue 17, "Phases and program": each rule of DOMAIN.md §3 that the services broke, tested
where a person meets it (the service, and the page that calls it).

7. The consultation lasts at least the period state law sets; every consultation of the program
   is closed and answered before its approval is voted, and again when the approval reaches it.
8. The program is in force only once approved, with the state's congruence opinion (favourable,
   or 90 business days of silence from the request) and published on or after both.
9. *Validado por el órgano* takes an approved agreement of the coordinating body on that
   deliverable, and reaches it only through the vote.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from committees import services as committees
from committees.models import AgendaItem, Agreement, AgreementType, Vote
from phases import rules
from phases.models import Consultation, DeliverableStatus, DeliverableType, Review
from phases.services import consultation as consultations
from phases.services import work
from pmot.actors.models import Organization
from pmot.planning.models import Program
from pmot.planning.services import program as planning
from tests.factories import UserFactory
from tests.phases.conftest import SESSION_START, body_vote
from tests.phases.consultation_fixtures import *  # noqa: F403 - the fixtures
from tests.phases.consultation_fixtures import after_close, close_and_publish, submit, today
from tests.uploads import pdf_bytes

pytestmark = pytest.mark.django_db

PDF = pdf_bytes("entregable")


def approval_vote(open_session, program):
    _, item = open_session(subject=program)
    return committees.vote_open(item=item, method=Vote.Method.ECONOMIC)


def second_consultation(first, authorization):
    return consultations.consultation_create(
        program=first.program,
        title="Consulta de los cambios al proyecto",
        agreement=authorization,
        opens_on=today(),
        days=10,
        business_days=False,
    )


# --- 7. The consultation: its legal period, and every one answered before the vote ------------


def test_a_consultation_lasts_at_least_the_period_state_law_sets(
    open_phases, authorization, settings, client_as
):
    settings.PMOT_CONSULTATION_DAYS = 30
    settings.PMOT_CONSULTATION_BUSINESS_DAYS = True
    program = open_phases[3].program
    values = {"program": program, "title": "Consulta", "agreement": authorization}
    with pytest.raises(ValidationError) as refused:
        consultations.consultation_create(**values, opens_on=today(), days=1, business_days=False)
    legal_end = rules.last_day(today(), 30, business=True)
    assert refused.value.messages == [
        "La ley estatal fija una consulta de al menos 30 días hábiles: si abre ese día, dura "
        f"hasta el {legal_end:%d/%m/%Y} o después."
    ]
    # 30 calendar days fall short of 30 business days, whichever way they are counted.
    with pytest.raises(ValidationError):
        consultations.consultation_create(**values, opens_on=today(), days=30, business_days=False)
    assert not program.consultations.exists()

    # The staff's page shows the refusal and saves nothing.
    response = client_as("planner").post(
        reverse("phases:consultation_create"),
        {
            "title": "Consulta de un día",
            "agreement": authorization.pk,
            "opens_on": today().isoformat(),
            "days": 1,
        },
    )
    assert response.status_code == 200
    assert "al menos 30 días naturales" not in response.text
    assert "al menos 30 días hábiles" in response.text
    assert not program.consultations.exists()

    made = consultations.consultation_create(
        **values, opens_on=today(), days=(legal_end - today()).days + 1, business_days=False
    )
    assert made.closes_on == legal_end


def test_every_consultation_is_closed_and_answered_before_the_program_vote(
    consultation, authorization, open_session
):
    program = consultation.program
    planner = UserFactory()
    close_and_publish(consultation, planner)  # the first consultation is fully answered
    second = second_consultation(consultation, authorization)
    submit(second, address="198.51.100.9")  # and a second one is open, its comment unanswered

    with pytest.raises(ValidationError) as refused:
        approval_vote(open_session, program)
    assert refused.value.messages == [
        "La consulta pública “Consulta de los cambios al proyecto” aún no está cerrada y sus "
        "respuestas no están publicadas."
    ]
    assert Vote.objects.filter(item__subject_id=program.pk).count() == 1  # the one that started it

    consultations.comment_rule(
        comment=second.comments.get(), ruling="rejected", answer="Por estas razones.", by=planner
    )
    consultations.consultation_close(consultation=second, now=after_close(second))
    with pytest.raises(ValidationError, match="no están publicadas"):
        approval_vote(open_session, program)
    consultations.answers_publish(consultation=second)
    approval_vote(open_session, program)  # every consultation answered: the vote opens


def test_the_approval_reaches_the_program_only_with_every_consultation_answered(
    consultation, authorization, council_vote
):
    """Defensively, when the approval reaches the program (committees' hook, or any other path)
    and not only when its vote opens."""
    program = consultation.program
    close_and_publish(consultation, UserFactory())
    second_consultation(consultation, authorization)
    approved = council_vote()
    with pytest.raises(ValidationError, match="aún no está cerrada"):
        planning.program_decided(subject=program, agreement=approved)
    with pytest.raises(ValidationError, match="aún no está cerrada"):
        planning.program_update(
            program=program, approval_agreement=approved, status=Program.Status.APPROVED
        )
    program.refresh_from_db()
    assert (program.status, program.approval_agreement) == (Program.Status.DRAFTING, None)


def test_no_consultation_opens_while_the_cabildo_votes_the_program(
    consultation, authorization, open_session
):
    """The check saw every consultation answered: none may open before the vote's result."""
    close_and_publish(consultation, UserFactory())
    approval_vote(open_session, consultation.program)
    with pytest.raises(ValidationError, match="está votando el programa"):
        second_consultation(consultation, authorization)
    assert Consultation.objects.count() == 1


# --- 8. In force: approval, the state's opinion, publication on or after both -----------------


def test_the_program_is_in_force_only_approved_with_the_state_opinion_and_published_after_both(
    consultation, council_vote
):
    program = consultation.program
    # With its consultation still open, nothing brings the program into force.
    with pytest.raises(ValidationError):
        planning.program_update(
            program=program,
            approval_agreement=council_vote(),
            status=Program.Status.IN_FORCE,
            gazette_published_on=datetime.date(2020, 1, 1),
        )
    program.refresh_from_db()
    assert program.status == Program.Status.DRAFTING

    close_and_publish(consultation, UserFactory())
    approved = council_vote(subject=program)  # the Cabildo's vote approves it
    program.refresh_from_db()
    assert program.status == Program.Status.APPROVED
    approved_on = timezone.localdate(approved.decided_at)

    # Published before its approval, and no opinion asked of the state.
    with pytest.raises(ValidationError) as refused:
        planning.program_update(
            program=program,
            status=Program.Status.IN_FORCE,
            gazette_published_on=datetime.date(2020, 1, 1),
        )
    assert refused.value.messages == [
        "No se ha solicitado el dictamen de congruencia del estado (LGAHOTDU art. 44): "
        "registre el día de la solicitud.",
        "El programa se publica en la fecha de su aprobación por el Cabildo "
        f"({approved_on:%d/%m/%Y}) o después.",
    ]

    from pmot.planning import rules as planning_rules  # new with the rule

    # Requested today: the state still has its 90 business days.
    planning.program_update(program=program, opinion_requested_on=approved_on)
    deadline = planning_rules.opinion_deadline(approved_on)
    with pytest.raises(ValidationError, match=f"tiene hasta el {deadline:%d/%m/%Y}"):
        planning.program_update(
            program=program, status=Program.Status.IN_FORCE, gazette_published_on=approved_on
        )

    # An unfavourable opinion keeps it out of force.
    planning.program_update(
        program=program, opinion_received_on=approved_on, opinion=Program.Opinion.UNFAVOURABLE
    )
    with pytest.raises(ValidationError, match="fue desfavorable"):
        planning.program_update(
            program=program, status=Program.Status.IN_FORCE, gazette_published_on=approved_on
        )

    # A favourable one, and the publication that day: in force.
    planning.program_update(program=program, opinion=Program.Opinion.FAVOURABLE)
    planning.program_update(
        program=program, status=Program.Status.IN_FORCE, gazette_published_on=approved_on
    )
    program.refresh_from_db()
    assert program.status == Program.Status.IN_FORCE


def test_the_page_that_records_the_publication_says_why_the_program_is_not_in_force(
    consultation, council_vote, client_as
):
    program = consultation.program
    close_and_publish(consultation, UserFactory())
    council_vote(subject=program)
    program.refresh_from_db()
    response = client_as("planner").post(
        reverse("planning:program_edit"),
        {
            "name": program.name,
            "horizon_year": program.horizon_year,
            "version": program.version,
            "status": "in_force",
            "gazette_published_on": "2020-01-01",
        },
    )
    assert response.status_code == 200
    assert "dictamen de congruencia" in response.text
    assert "El programa se publica en la fecha de su aprobación" in response.text
    program.refresh_from_db()
    assert program.status == Program.Status.APPROVED

    # The same page records the request and the state's answer.
    approved_on = timezone.localdate(program.approval_agreement.decided_at)
    response = client_as("planner").post(
        reverse("planning:program_edit"),
        {
            "name": program.name,
            "horizon_year": program.horizon_year,
            "version": program.version,
            "status": "in_force",
            "opinion_requested_on": approved_on.isoformat(),
            "opinion_received_on": approved_on.isoformat(),
            "opinion": "favourable",
            "gazette_published_on": approved_on.isoformat(),
        },
    )
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.status == Program.Status.IN_FORCE
    assert program.opinion == Program.Opinion.FAVOURABLE


# --- 9. Validado por el órgano: the coordinating body's approved agreement on it --------------


def submitted(phase, name):
    """A deliverable of `phase` named `name`, submitted for review by the planner."""
    planner = UserFactory()
    deliverable = work.deliverable_add(
        phase=phase,
        kind=DeliverableType.objects.get(phase_number=phase.number, name=name),
        responsible=Organization.objects.get(acronym="IMPLAN"),
        author="implan",
    )
    work.version_add(deliverable=deliverable, upload=SimpleUploadedFile("z.pdf", PDF), by=planner)
    work.deliverable_review(deliverable=deliverable, step="submit", by=planner)
    return deliverable


@pytest.fixture
def in_review(open_phases, orgs):
    """*Zonificación primaria*, submitted for review by the planner."""
    return submitted(open_phases[3], "Zonificación primaria")


def test_validated_by_the_body_takes_an_approved_agreement_of_the_coordinating_body(
    in_review, coordinating_body, council_vote, open_phases
):
    planner = UserFactory()
    # A planner alone cannot validate it, nor with an agreement of another body or subject.
    with pytest.raises(ValidationError, match="Solo el órgano coordinador valida"):
        work.deliverable_review(deliverable=in_review, step="validate", by=planner)
    # The Cabildo's vote on it does not open (below); were its agreement on it anyway, it is
    # not of the body in charge.
    of_the_cabildo = council_vote()
    AgendaItem.objects.filter(pk=of_the_cabildo.item_id).update(
        subject_type=ContentType.objects.get_for_model(in_review), subject_id=in_review.pk
    )
    of_the_cabildo.refresh_from_db()
    body, members = coordinating_body
    (on_something_else,) = body_vote(body, members, submitted(open_phases[3], "Estrategias"))
    for agreement, reason in (
        (of_the_cabildo, "no es del órgano coordinador a cargo"),
        (on_something_else, "no resuelve sobre este entregable"),
    ):
        with pytest.raises(ValidationError, match=reason):
            work.deliverable_review(
                deliverable=in_review, step="validate", by=planner, agreement=agreement
            )
    in_review.refresh_from_db()
    assert in_review.status == DeliverableStatus.IN_REVIEW
    with pytest.raises(ValidationError, match="no puede pasar a «Aceptado»"):
        work.deliverable_review(deliverable=in_review, step="accept", by=planner)

    # Rejected by the body, it stays in review; approved, the vote validates it.
    (rejected,) = body_vote(body, members, in_review, favour=1)
    assert rejected.status == Agreement.Status.REJECTED
    in_review.refresh_from_db()
    assert in_review.status == DeliverableStatus.IN_REVIEW
    (approved,) = body_vote(body, members, in_review)
    in_review.refresh_from_db()
    assert in_review.status == DeliverableStatus.VALIDATED
    step = Review.objects.get(deliverable=in_review, to_status=DeliverableStatus.VALIDATED)
    assert (step.agreement, step.by) == (approved, None)
    work.deliverable_review(deliverable=in_review, step="accept", by=planner)
    in_review.refresh_from_db()
    assert in_review.status == DeliverableStatus.ACCEPTED


def test_only_the_coordinating_body_votes_a_deliverable_and_only_one_in_review(
    in_review, coordinating_body, open_session, open_phases, orgs
):
    _, item = open_session(subject=in_review)  # the Cabildo
    with pytest.raises(ValidationError, match="Solo el órgano coordinador a cargo"):
        committees.vote_open(item=item, method=Vote.Method.ECONOMIC)
    draft = work.deliverable_add(
        phase=open_phases[3],
        kind=DeliverableType.objects.get(phase_number=3, name="Estrategias"),
        responsible=orgs["implan"],
        author="implan",
    )
    body, members = coordinating_body
    with pytest.raises(ValidationError, match="Solo un entregable en revisión"):
        body_vote(body, members, draft)


def test_nothing_changes_a_deliverable_while_the_body_votes_on_it(in_review, coordinating_body):
    body, members = coordinating_body
    session = committees.session_schedule(
        body=body, kind="ordinary", starts_at=SESSION_START, place="Sala de juntas"
    )
    item = committees.item_add(
        session=session,
        title="Validación",
        draft_text="Se valida.",
        agreement_type=AgreementType.objects.get(code="general"),
        subject=in_review,
    )
    committees.session_convene(session=session, now=SESSION_START - datetime.timedelta(days=7))
    committees.session_install(session=session, present=members, at=SESSION_START)
    vote = committees.vote_open(item=item, method=Vote.Method.ECONOMIC)
    with pytest.raises(ValidationError, match="está votando este entregable"):
        work.deliverable_review(
            deliverable=in_review, step="observe", by=UserFactory(), observations="Falta algo."
        )
    for member in members:
        committees.vote_cast(vote=vote, user=member.user, choice="for")
    committees.vote_close(vote=vote)
    in_review.refresh_from_db()
    assert in_review.status == DeliverableStatus.VALIDATED


def test_the_review_page_refuses_a_validation_without_the_body(client_as, in_review):
    response = client_as("planner").post(
        reverse("phases:deliverable_review", args=[in_review.pk]), {"step": "validate"}, follow=True
    )
    assert "Solo el órgano coordinador valida un entregable" in response.text
    page = client_as("planner").get(reverse("phases:deliverable_detail", args=[in_review.pk]))
    assert 'value="validate"' not in page.text
    in_review.refresh_from_db()
    assert in_review.status == DeliverableStatus.IN_REVIEW
