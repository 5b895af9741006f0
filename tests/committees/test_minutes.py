"""Minutes: drafted from the session, approved at a later session, locked; PDFs whose text
holds the attendance, the votes and the agreement key."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from committees import services
from committees.models import AgreementType, Minutes, Vote
from committees.rules import Choice
from tests.committees.conftest import SESSION_START


def pdf_text(field) -> str:
    field.open("rb")
    try:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(field.read())).pages)
    finally:
        field.close()


@pytest.fixture
def held(cabildo, open_session):
    """A closed session with one nominal vote: 9 for, 3 against, 2 present abstain."""
    _, members, _ = cabildo
    session, item = open_session(present=14)
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    for member, choice in zip(
        members, [Choice.FOR] * 9 + [Choice.AGAINST] * 3 + [Choice.ABSTAIN] * 2, strict=False
    ):
        services.vote_cast(vote=vote, user=member.user, choice=choice)
    agreement = services.vote_close(vote=vote)
    services.session_close(session=session)
    return session, agreement, members


def minutes_on_next_agenda(cabildo, minutes):
    """A session a month later, installed with everybody, whose item approves `minutes`."""
    body, members, _ = cabildo
    later = services.session_schedule(
        body=body,
        kind="ordinary",
        starts_at=SESSION_START + datetime.timedelta(days=30),
        place="Sala de Cabildo",
    )
    item = services.item_add(
        session=later,
        title="Aprobación del acta anterior",
        draft_text="Se aprueba el acta.",
        agreement_type=AgreementType.objects.get(code="minutes"),
        subject=minutes,
    )
    services.session_convene(session=later, now=SESSION_START)
    services.session_install(session=later, present=members, at=later.starts_at)
    return item


def approve_at_next_session(cabildo, minutes):
    _body, members, _ = cabildo
    item = minutes_on_next_agenda(cabildo, minutes)
    vote = services.vote_open(item=item, method=Vote.Method.ECONOMIC)
    for n, member in enumerate(members):
        services.vote_cast(vote=vote, user=member.user, choice=Choice.FOR if n < 10 else "against")
    return services.vote_close(vote=vote)


def test_the_draft_holds_attendance_votes_and_the_agreement(held):
    session, agreement, members = held
    minutes = services.minutes_draft(session=session)
    assert agreement.key in minutes.text
    assert f"{members[0].user}" in minutes.text
    assert "ausente" in minutes.text  # the 15th member did not come
    assert "9 a favor" in minutes.text


def test_minutes_wait_for_the_session_to_close(open_session):
    session, _ = open_session()
    with pytest.raises(ValidationError):
        services.minutes_draft(session=session)
    assert not Minutes.objects.exists()


def test_approved_minutes_are_locked_and_rendered_to_pdf(
    cabildo, held, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    session, agreement, members = held
    minutes = services.minutes_draft(session=session)
    services.minutes_edit(minutes=minutes, text=minutes.text + "\nSin asuntos generales.")

    with django_capture_on_commit_callbacks():
        approval = approve_at_next_session(cabildo, minutes)
    minutes.refresh_from_db()
    assert minutes.locked
    assert minutes.approved_by == approval
    with pytest.raises(ValidationError, match="bloqueada|locked"):
        services.minutes_edit(minutes=minutes, text="otro texto")

    services.minutes_render_pdf(minutes=minutes)
    minutes.refresh_from_db()
    text = pdf_text(minutes.pdf)
    assert agreement.key in text
    assert str(members[0].user) in text
    assert "ausente" in text
    assert "A favor" in text
    assert "Sin asuntos generales." in text


def test_the_certificate_pdf_holds_the_key_the_text_and_each_vote(held, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _, agreement, members = held
    services.certificate_render_pdf(agreement=agreement)
    agreement.refresh_from_db()
    text = pdf_text(agreement.certificate)
    assert agreement.key in text
    assert "Se aprueba el punto." in text
    assert f"{members[10].user}: En contra" in text.replace("\n", " ")


def test_markup_typed_into_the_minutes_is_printed_as_text_not_loaded(
    cabildo, held, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    session, _, _ = held
    minutes = services.minutes_draft(session=session)
    services.minutes_edit(minutes=minutes, text='<img src="file:///etc/passwd"> Nota')
    approve_at_next_session(cabildo, minutes)
    minutes.refresh_from_db()
    services.minutes_render_pdf(minutes=minutes)
    minutes.refresh_from_db()
    assert '<img src="file:///etc/passwd"> Nota' in pdf_text(minutes.pdf)


def test_minutes_under_vote_keep_the_text_the_room_is_voting(held, cabildo):
    session, _agreement, _members = held
    minutes = services.minutes_draft(session=session)
    item = minutes_on_next_agenda(cabildo, minutes)
    services.vote_open(item=item, method=Vote.Method.ECONOMIC)
    with pytest.raises(ValidationError, match="se está votando"):
        services.minutes_edit(minutes=minutes, text="Otro texto")
    minutes.refresh_from_db()
    assert minutes.text != "Otro texto"
