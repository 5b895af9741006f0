"""The Cabildo votes the program's approval only once its consultation is closed and its answers
published: committees' check, exercised through committees.services.vote_open."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from committees import services as committees
from committees.models import AgendaItem, Agreement, Vote
from phases.demo import consultation as consultation_demo
from phases.models import Comment, Ruling
from pmot.planning.models import Program
from tests.factories import UserFactory
from tests.phases.consultation_fixtures import *  # noqa: F403 - the fixtures
from tests.phases.consultation_fixtures import after_close, answer_all, submit

pytestmark = pytest.mark.django_db


def approval_vote(open_session, program):
    _, item = open_session(subject=program)
    return committees.vote_open(item=item, method=Vote.Method.ECONOMIC)


def test_without_consultation_the_approval_is_not_voted(open_phases, open_session):
    program = open_phases[3].program
    with pytest.raises(ValidationError) as refused:
        approval_vote(open_session, program)
    assert "consulta pública" in refused.value.messages[0]
    assert Vote.objects.filter(item__subject_id=program.pk).count() == 1  # the start


def test_the_approval_waits_for_the_published_answers(consultation, open_session, council_vote):
    from phases.services import consultation as services

    program = consultation.program
    submit(consultation)
    with pytest.raises(ValidationError) as refused:
        approval_vote(open_session, program)
    assert "no está cerrada" in refused.value.messages[0]
    answer_all(consultation, UserFactory())
    services.consultation_close(consultation=consultation, now=after_close(consultation))
    with pytest.raises(ValidationError) as refused:
        approval_vote(open_session, program)
    assert "no están publicadas" in refused.value.messages[0]
    services.answers_publish(consultation=consultation)
    agreement = council_vote(subject=program)
    program.refresh_from_db()
    assert program.approval_agreement == agreement
    assert program.status == Program.Status.APPROVED


def test_the_vote_that_starts_the_program_needs_no_consultation(program, council_vote):
    agreement = council_vote(subject=program)
    program.refresh_from_db()
    assert program.start_agreement == agreement


def test_the_demo_has_comments_in_every_state(open_phases, authorization):
    # The committees demo's agreement: its title, decided weeks ago.
    AgendaItem.objects.filter(pk=authorization.item_id).update(
        title=consultation_demo.AGREEMENT_ITEM
    )
    Agreement.objects.filter(pk=authorization.pk).update(
        decided_at=timezone.now() - datetime.timedelta(days=40)
    )
    program = open_phases[3].program
    consultation_demo.load(program)
    consultation_demo.load(program)  # idempotent
    consultation = program.consultations.get()
    comments = Comment.objects.filter(consultation=consultation)
    assert {c.ruling for c in comments} == {"", *Ruling.values}
    assert {c.channel for c in comments} == set(Comment.Channel.values)
    assert all(h.minutes for h in consultation.hearings.all())
    assert consultation.hearings.count() == 2
