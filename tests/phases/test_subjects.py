"""What an agenda item decides, for phases and the program (issue 18): the item form lists the
phases to close, the deliverables to validate and the program to approve (ready ones to choose,
the others with the reason), and only the vote on such an item changes them: no page closes a
phase with an agreement picked from a list."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committees import services as committees
from committees.models import AgreementType, Session, Vote
from committees.rules import Choice
from phases.models import DeliverableStatus, DeliverableType, Phase
from phases.services import work
from pmot.planning.models import Program
from tests.committees.conftest import BEFORE_NOTICE, SESSION_START
from tests.factories import UserFactory
from tests.phases.consultation_fixtures import *  # noqa: F403 - the fixtures
from tests.phases.consultation_fixtures import close_and_publish, submit
from tests.phases.test_gates import PDF, accept_every_required

pytestmark = pytest.mark.django_db


def scheduled(body) -> Session:
    return committees.session_schedule(
        body=body, kind=Session.Kind.ORDINARY, starts_at=SESSION_START, place="Sala"
    )


def item_form(client, session) -> str:
    return client.get(reverse("committees:session_detail", args=[session.pk])).content.decode()


def post_item(client, session, subject, title="Punto"):
    """The secretary adds an item on `subject` ("app.Model:pk") through the item form."""
    return client.post(
        reverse("committees:item_create", args=[session.pk]),
        {
            "title": title,
            "draft_text": "Se aprueba.",
            "agreement_type": AgreementType.objects.get(code="general").pk,
            "subject": subject,
        },
        follow=True,
    )


def hold_and_vote(session, members, favour=None):
    """Convene and install `session` with `members`, vote its only item (all for unless
    `favour` says how many): the agreement."""
    committees.session_convene(session=session, now=BEFORE_NOTICE)
    committees.session_install(session=session, present=members, at=SESSION_START)
    vote = committees.vote_open(item=session.items.get(), method=Vote.Method.ECONOMIC)
    favour = len(members) if favour is None else favour
    for n, member in enumerate(members):
        choice = Choice.FOR if n < favour else Choice.AGAINST
        committees.vote_cast(vote=vote, user=member.user, choice=choice)
    return committees.vote_close(vote=vote)


def value(subject) -> str:
    return f"{subject._meta.label}:{subject.pk}"


# --- Phases ----------------------------------------------------------------------------------


@pytest.fixture
def ready_phase(open_phases, orgs, validate_by_the_body):
    """Phase 1 in progress with every required deliverable accepted."""
    accept_every_required(open_phases[1], orgs["implan"], UserFactory(), validate_by_the_body)
    return open_phases[1]


def test_the_item_form_offers_a_phase_ready_to_close_and_says_why_the_others_are_not(
    client_as, cabildo, ready_phase, open_phases
):
    body, _members, _secretary = cabildo
    page = item_form(client_as("secretary"), scheduled(body))
    assert "Cierre de fase" in page
    assert f'value="{value(ready_phase)}"' in page
    # Phase 2 is in progress without its deliverables; phase 4 has not started.
    assert f'value="{value(open_phases[2])}"' not in page
    assert "Falta el entregable requerido «Diagnóstico social»." in page
    assert f'value="{value(open_phases[4])}"' not in page
    assert "Solo una fase en curso puede cerrarse." in page


def test_a_closed_phase_is_not_listed(client_as, cabildo, ready_phase):
    body, members, _ = cabildo
    session = scheduled(body)
    post_item(client_as("secretary"), session, value(ready_phase))
    hold_and_vote(session, members)
    page = item_form(client_as("secretary"), scheduled(body))
    assert value(ready_phase) not in page
    assert str(ready_phase) not in page.split("Qué decide el punto")[1].split("</form>")[0]


def test_the_phase_closes_through_the_vote_on_its_agenda_item(client_as, cabildo, ready_phase):
    body, members, _ = cabildo
    session = scheduled(body)
    post_item(client_as("secretary"), session, value(ready_phase), title="Cierre de la fase 1")
    agreement = hold_and_vote(session, members)
    ready_phase.refresh_from_db()
    assert ready_phase.status == Phase.Status.CLOSED
    assert ready_phase.close_agreement == agreement


def test_a_rejected_vote_leaves_the_phase_open(client_as, cabildo, ready_phase):
    body, members, _ = cabildo
    session = scheduled(body)
    post_item(client_as("secretary"), session, value(ready_phase))
    agreement = hold_and_vote(session, members, favour=3)
    assert agreement.status == "rejected"
    ready_phase.refresh_from_db()
    assert ready_phase.status == Phase.Status.OPEN
    assert ready_phase.close_agreement is None
    # The phase's page says how its vote went.
    page = client_as("planner").get(reverse("phases:phase_detail", args=[ready_phase.number]))
    assert agreement.key in page.text
    assert "Rechazado: nada cambió." in page.text


def test_a_phase_not_ready_is_refused_by_the_item_form(client_as, cabildo, open_phases):
    body, _members, _ = cabildo
    session = scheduled(body)
    response = post_item(client_as("secretary"), session, value(open_phases[2]))
    assert "Falta el entregable requerido" in response.content.decode()
    assert not session.items.exists()


def test_the_coordinating_body_is_not_offered_phases_to_close(
    client_as, coordinating_body, ready_phase, settings
):
    settings.PMOT_GATE_BY_COORDINATING_BODY = False
    body, _members = coordinating_body
    page = item_form(client_as("secretary"), scheduled(body))
    assert value(ready_phase) not in page
    assert "Cierre de fase" not in page


def test_the_phase_page_has_no_agreement_to_pick_and_says_the_cabildo_votes(client_as, ready_phase):
    page = client_as("planner").get(reverse("phases:phase_detail", args=[1])).content.decode()
    assert "El Cabildo cierra la fase votando un punto del orden del día" in page
    assert 'name="agreement"' not in page
    assert "/cerrar/" not in page
    secretary_page = client_as("secretary").get(reverse("phases:phase_detail", args=[1]))
    assert reverse("committees:session_list") in secretary_page.content.decode()


def test_the_old_closing_address_no_longer_closes_a_phase(client_as, ready_phase, council_vote):
    """Phase 3 once closed with "Se aprueba el acta de la sesión anterior": no page takes a
    picked agreement any more."""
    unrelated = council_vote()
    url = reverse("phases:phase_detail", args=[1]) + "cerrar/"
    response = client_as("planner").post(url, {"agreement": unrelated.pk})
    assert response.status_code == 404
    ready_phase.refresh_from_db()
    assert ready_phase.status == Phase.Status.OPEN


def test_an_agreement_not_voted_on_the_phase_cannot_close_it(ready_phase, council_vote):
    unrelated = council_vote()
    with pytest.raises(ValidationError, match="no resuelve sobre esta fase"):
        work.phase_close(phase=ready_phase, agreement=unrelated)
    on_the_program = ready_phase.program.start_agreement  # voted on another subject
    with pytest.raises(ValidationError, match="no resuelve sobre esta fase"):
        work.phase_close(phase=ready_phase, agreement=on_the_program)
    ready_phase.refresh_from_db()
    assert ready_phase.status == Phase.Status.OPEN


# --- Deliverables ----------------------------------------------------------------------------


def _deliverable(phase, orgs, name, *, submitted):
    by = UserFactory()
    deliverable = work.deliverable_add(
        phase=phase,
        kind=DeliverableType.objects.get(phase_number=phase.number, name=name),
        responsible=orgs["implan"],
        author="implan",
    )
    if submitted:
        work.version_add(
            deliverable=deliverable,
            upload=SimpleUploadedFile("d.pdf", PDF),
            by=by,
        )
        work.deliverable_review(deliverable=deliverable, step="submit", by=by)
    return deliverable


@pytest.fixture
def deliverables(open_phases, orgs):
    """Phase 2: one deliverable in review, one draft."""
    return (
        _deliverable(open_phases[2], orgs, "Diagnóstico de riesgos", submitted=True),
        _deliverable(open_phases[2], orgs, "Diagnóstico social", submitted=False),
    )


def test_the_body_in_charge_is_offered_the_deliverables_in_review(
    client_as, coordinating_body, deliverables, cabildo
):
    in_review, draft = deliverables
    body, _members = coordinating_body
    page = item_form(client_as("secretary"), scheduled(body))
    assert "Entregable por validar" in page
    assert f'value="{value(in_review)}"' in page
    assert f'value="{value(draft)}"' not in page
    assert "Diagnóstico social (fase 2)" in page
    assert "Es un borrador: primero se envía a revisión." in page
    # The Cabildo does not validate deliverables.
    cabildo_page = item_form(client_as("secretary"), scheduled(cabildo[0]))
    assert value(in_review) not in cabildo_page


def test_the_deliverable_is_validated_through_the_vote_on_its_item(
    client_as, coordinating_body, deliverables
):
    in_review, _draft = deliverables
    body, members = coordinating_body
    session = scheduled(body)
    post_item(client_as("secretary"), session, value(in_review))
    agreement = hold_and_vote(session, members)
    in_review.refresh_from_db()
    assert in_review.status == DeliverableStatus.VALIDATED
    assert in_review.reviews.get(to_status="validated").agreement == agreement


def test_a_rejected_vote_leaves_the_deliverable_in_review(
    client_as, coordinating_body, deliverables
):
    in_review, _draft = deliverables
    body, members = coordinating_body
    session = scheduled(body)
    post_item(client_as("secretary"), session, value(in_review))
    hold_and_vote(session, members, favour=1)
    in_review.refresh_from_db()
    assert in_review.status == DeliverableStatus.IN_REVIEW


# --- The program -----------------------------------------------------------------------------


def test_the_cabildo_is_offered_the_program_to_start(client_as, cabildo, program):
    body, members, _ = cabildo
    session = scheduled(body)
    assert f'value="{value(program)}"' in item_form(client_as("secretary"), session)
    post_item(client_as("secretary"), session, value(program))
    agreement = hold_and_vote(session, members)
    program.refresh_from_db()
    assert program.start_agreement == agreement
    assert program.status == Program.Status.DRAFTING


def test_the_program_is_offered_for_approval_once_its_consultation_is_answered(
    client_as, cabildo, consultation
):
    body, members, _ = cabildo
    program = consultation.program
    submit(consultation)
    secretary = client_as("secretary")
    session = scheduled(body)
    page = item_form(secretary, session)
    assert f'value="{value(program)}"' not in page
    assert f"Aprobación: {program.name}" in page
    assert "no está cerrada" in page
    response = post_item(secretary, session, value(program))
    assert "no está cerrada" in response.content.decode()
    assert not session.items.exists()

    close_and_publish(consultation, UserFactory())
    assert f'value="{value(program)}"' in item_form(secretary, session)
    post_item(secretary, session, value(program))
    agreement = hold_and_vote(session, members)
    program.refresh_from_db()
    assert program.status == Program.Status.APPROVED
    assert program.approval_agreement == agreement
    # Approved, it is no longer offered.
    assert value(program) not in item_form(secretary, scheduled(body))


def test_a_rejected_vote_leaves_the_program_unapproved(client_as, cabildo, consultation):
    body, members, _ = cabildo
    program = consultation.program
    close_and_publish(consultation, UserFactory())
    session = scheduled(body)
    post_item(client_as("secretary"), session, value(program))
    agreement = hold_and_vote(session, members, favour=2)
    program.refresh_from_db()
    assert program.approval_agreement is None
    assert program.status != Program.Status.APPROVED
    page = client_as("planner").get(reverse("planning:program_detail"))
    assert agreement.key in page.text
    assert "Rechazado: nada cambió." in page.text


def test_the_coordinating_body_is_not_offered_the_program(client_as, coordinating_body, program):
    body, _members = coordinating_body
    assert value(program) not in item_form(client_as("secretary"), scheduled(body))
