"""After the vote: the voted text never changes, follow-up, overdue agreements."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from committees import services
from committees.models import Agreement, Vote
from committees.rules import Choice
from pmot.actors.roles import Role
from tests.factories import UserFactory, membership


@pytest.fixture
def agreement(cabildo, open_session):
    _, members, _ = cabildo
    _, item = open_session()
    vote = services.vote_open(item=item, method=Vote.Method.ECONOMIC)
    for n, member in enumerate(members):
        services.vote_cast(vote=vote, user=member.user, choice=Choice.FOR if n < 10 else "against")
    agreement = services.vote_close(vote=vote)
    agreement.deadline = datetime.date(2027, 3, 31)
    agreement.save(update_fields=["deadline"])
    return agreement


def test_a_correction_is_a_new_version_and_the_voted_text_stays(agreement):
    editor = UserFactory()
    services.agreement_correct(
        agreement=agreement, text="Se aprueba el punto, corregido.", reason="Errata", by=editor
    )
    agreement.refresh_from_db()
    assert agreement.text == "Se aprueba el punto."
    assert agreement.current_text == "Se aprueba el punto, corregido."
    assert agreement.versions.get().number == 1


def test_a_correction_needs_text_and_reason(agreement):
    with pytest.raises(ValidationError):
        services.agreement_correct(agreement=agreement, text="x", reason=" ", by=UserFactory())
    assert not agreement.versions.exists()


def test_follow_up_moves_an_agreement_to_being_carried_out_and_fulfilled(agreement):
    by = UserFactory()
    services.follow_up_add(agreement=agreement, progress=40, note="Avance", by=by)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.IN_PROGRESS
    services.follow_up_add(agreement=agreement, progress=100, note="Concluido", by=by)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.FULFILLED


def test_progress_beyond_100_is_refused(agreement):
    with pytest.raises(ValidationError):
        services.follow_up_add(agreement=agreement, progress=120, note="x", by=UserFactory())
    assert not agreement.follow_ups.exists()


def test_the_daily_check_marks_agreements_past_their_deadline_once(agreement):
    assert services.agreements_mark_overdue(today=datetime.date(2027, 3, 31)) == 0
    assert services.agreements_mark_overdue(today=datetime.date(2027, 4, 1)) == 1
    assert services.agreements_mark_overdue(today=datetime.date(2027, 4, 2)) == 0
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.OVERDUE


def test_a_fulfilled_agreement_is_never_overdue(agreement):
    services.follow_up_add(agreement=agreement, progress=100, note="Listo", by=UserFactory())
    assert services.agreements_mark_overdue(today=datetime.date(2028, 1, 1)) == 0


def test_the_responsible_organization_is_reminded_a_week_and_a_day_before(
    agreement, orgs, mailoutbox
):
    liaison = UserFactory(email="enlace@obras.gob.mx")
    membership(liaison, orgs["works"], Role.MUNICIPAL_LIAISON)
    agreement.responsible = orgs["works"]
    agreement.save(update_fields=["responsible"])

    assert services.agreements_remind(today=datetime.date(2027, 3, 23)) == 0
    assert services.agreements_remind(today=datetime.date(2027, 3, 24)) == 1
    assert services.agreements_remind(today=datetime.date(2027, 3, 30)) == 1

    first, last = mailoutbox
    assert first.to == ["enlace@obras.gob.mx"]
    assert agreement.key in first.subject
    assert "7 días" in first.subject
    assert "mañana" in last.subject
    assert "31 de marzo de 2027" in first.body
