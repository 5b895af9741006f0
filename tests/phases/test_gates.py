"""Opening and closing phases: each gate refuses with its reasons and opens when satisfied, and
an agreement approved in committees closes a phase through the approval hook."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from committees import services as committees
from committees.models import Agreement, Vote
from committees.rules import Choice
from phases.models import DeliverableStatus, DeliverableType, Phase
from phases.services import work
from tests.factories import UserFactory
from tests.phases.conftest import body_vote
from tests.uploads import pdf_bytes

PDF = pdf_bytes("diagnostico")


def test_phase_one_opens_with_the_starting_agreement_and_the_published_notice(phases):
    work.phase_open(phase=phases[1], on=datetime.date(2026, 2, 3))
    phases[1].refresh_from_db()
    assert phases[1].status == Phase.Status.OPEN
    assert phases[1].actual_start == datetime.date(2026, 2, 3)


def test_phase_one_without_its_notice_or_its_agreement_says_what_is_missing(phases, program):
    work.phase_plan(phase=phases[1], planned_start=None, planned_end=None)
    program.start_agreement = None
    program.save()
    with pytest.raises(ValidationError) as refused:
        work.phase_open(phase=phases[1])
    assert refused.value.messages == [
        "El acuerdo del Cabildo que inicia el proceso.",
        "El aviso público, publicado, del inicio de la planeación.",
    ]
    phases[1].refresh_from_db()
    assert phases[1].status == Phase.Status.PENDING


def test_a_later_phase_waits_for_the_one_before_to_start_and_may_overlap_it(phases):
    with pytest.raises(ValidationError, match="Primero debe iniciar la fase 1"):
        work.phase_open(phase=phases[2])
    work.phase_open(phase=phases[1])
    work.phase_open(phase=phases[2])  # phase 1 still open: phases overlap
    assert Phase.objects.filter(status=Phase.Status.OPEN).count() == 2


def accept_every_required(phase, responsible, by, validate):
    """Every required deliverable of `phase` submitted, validated by the coordinating body's
    vote (`validate`, the fixture validate_by_the_body) and accepted."""
    made = []
    for kind in DeliverableType.objects.filter(phase_number=phase.number, required=True):
        deliverable = work.deliverable_add(
            phase=phase, kind=kind, responsible=responsible, author="implan"
        )
        work.version_add(deliverable=deliverable, upload=SimpleUploadedFile("d.pdf", PDF), by=by)
        work.deliverable_review(deliverable=deliverable, step="submit", by=by)
        made.append(deliverable)
    validate(*made)
    for deliverable in made:
        work.deliverable_review(deliverable=deliverable, step="accept", by=by)


def closing_vote(cabildo, open_session, phase, favour=12):
    _, members, _ = cabildo
    _, item = open_session(subject=phase)
    vote = committees.vote_open(item=item, method=Vote.Method.ECONOMIC)
    for n, member in enumerate(members):
        choice = Choice.FOR if n < favour else Choice.AGAINST
        committees.vote_cast(vote=vote, user=member.user, choice=choice)
    return committees.vote_close(vote=vote)


def test_the_gate_lists_every_missing_deliverable_and_the_agreement(open_phases, orgs):
    report = work.gate(open_phases[1])
    names = set(DeliverableType.objects.filter(phase_number=1).values_list("name", flat=True))
    assert {kind.name for kind in report.absent} == names
    assert "Un acuerdo aprobado del Cabildo que cierre la fase." in report.reasons
    assert not report.may_close
    with pytest.raises(ValidationError):
        work.phase_close(phase=open_phases[1])


def test_a_vote_to_close_a_phase_cannot_open_while_deliverables_are_missing(
    open_phases, cabildo, open_session
):
    _, item = open_session(subject=open_phases[2])
    with pytest.raises(ValidationError) as refused:
        committees.vote_open(item=item, method=Vote.Method.ECONOMIC)
    assert "Aún no puede votarse el cierre de la fase:" in refused.value.messages
    assert "Falta el entregable requerido «Diagnóstico social»." in refused.value.messages
    assert not Vote.objects.filter(item=item).exists()


def test_an_approved_council_agreement_closes_the_phase_end_to_end(
    open_phases, orgs, cabildo, open_session, validate_by_the_body
):
    planner = UserFactory()
    accept_every_required(open_phases[1], orgs["implan"], planner, validate_by_the_body)
    agreement = closing_vote(cabildo, open_session, open_phases[1])
    assert agreement.status == Agreement.Status.APPROVED
    open_phases[1].refresh_from_db()
    assert open_phases[1].status == Phase.Status.CLOSED
    assert open_phases[1].close_agreement == agreement
    assert open_phases[1].actual_end == timezone.localdate(agreement.decided_at)  # Mexico City


def test_a_rejected_closing_agreement_leaves_the_phase_open(
    open_phases, orgs, cabildo, open_session, validate_by_the_body
):
    accept_every_required(open_phases[1], orgs["implan"], UserFactory(), validate_by_the_body)
    agreement = closing_vote(cabildo, open_session, open_phases[1], favour=3)
    assert agreement.status == Agreement.Status.REJECTED
    open_phases[1].refresh_from_db()
    assert open_phases[1].status == Phase.Status.OPEN


def test_the_coordinating_body_closes_phases_only_where_settings_allow(
    open_phases, orgs, coordinating_body, settings, validate_by_the_body
):
    accept_every_required(open_phases[1], orgs["implan"], UserFactory(), validate_by_the_body)
    body, members = coordinating_body
    settings.PMOT_GATE_BY_COORDINATING_BODY = False
    with pytest.raises(ValidationError, match="Este órgano no cierra fases del PMOT"):
        body_vote(body, members, open_phases[1])
    open_phases[1].refresh_from_db()
    assert open_phases[1].status == Phase.Status.OPEN
    settings.PMOT_GATE_BY_COORDINATING_BODY = True
    (agreement,) = body_vote(body, members, open_phases[1])
    open_phases[1].refresh_from_db()
    assert open_phases[1].status == Phase.Status.CLOSED
    assert open_phases[1].close_agreement == agreement


def test_an_optional_deliverable_does_not_hold_the_gate(open_phases, orgs, validate_by_the_body):
    by = UserFactory()
    optional = DeliverableType.objects.get(phase_number=3, required=False, name__startswith="Dict")
    work.deliverable_add(
        phase=open_phases[3], kind=optional, responsible=orgs["implan"], author="consultant"
    )
    accept_every_required(open_phases[3], orgs["implan"], by, validate_by_the_body)
    assert not work.gate(open_phases[3]).work_missing
    assert DeliverableStatus.DRAFT in {d.status for d in open_phases[3].deliverables.all()}
