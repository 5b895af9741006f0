"""Sessions: numbering, notice limits, venue, attendance and quorum."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from committees import services
from committees.models import Attendance, Session
from tests.committees.conftest import SESSION_START, seat


def schedule(body, kind=Session.Kind.ORDINARY, start=SESSION_START, **extra):
    return services.session_schedule(
        body=body, kind=kind, starts_at=start, place="Sala de Cabildo", **extra
    )


def with_item(session, agreement_type):
    services.item_add(
        session=session, title="Punto", draft_text="Texto", agreement_type=agreement_type("general")
    )
    return session


def test_sessions_are_numbered_per_body_and_year(cabildo):
    body, _, _ = cabildo
    first, second = schedule(body), schedule(body)
    next_year = schedule(body, start=SESSION_START.replace(year=2027, month=1))
    assert (first.number, second.number, next_year.number) == (1, 2, 1)
    assert second.code == "ORD-02"


@pytest.mark.parametrize(
    ("kind", "ahead", "allowed"),
    [
        (Session.Kind.ORDINARY, datetime.timedelta(days=3), True),
        (Session.Kind.ORDINARY, datetime.timedelta(days=3) - datetime.timedelta(minutes=1), False),
        (Session.Kind.EXTRAORDINARY, datetime.timedelta(hours=24), True),
        (Session.Kind.EXTRAORDINARY, datetime.timedelta(hours=23, minutes=59), False),
        (Session.Kind.SOLEMN, datetime.timedelta(days=2), False),
    ],
)
def test_the_notice_must_come_in_time(cabildo, agreement_type, kind, ahead, allowed):
    session = with_item(schedule(cabildo[0], kind=kind), agreement_type)
    issued = SESSION_START - ahead
    if allowed:
        services.session_convene(session=session, now=issued)
        session.refresh_from_db()
        assert session.status == Session.Status.CONVENED
        assert session.notice_issued_at == issued
    else:
        with pytest.raises(ValidationError, match="extemporánea"):
            services.session_convene(session=session, now=issued)
        session.refresh_from_db()
        assert session.status == Session.Status.SCHEDULED


def test_a_notice_needs_an_agenda(cabildo):
    session = schedule(cabildo[0])
    with pytest.raises(ValidationError):
        services.session_convene(session=session, now=SESSION_START - datetime.timedelta(days=7))


def test_a_session_outside_the_chamber_needs_a_venue_agreement(cabildo):
    with pytest.raises(ValidationError, match="recinto|venue"):
        schedule(cabildo[0], in_chamber=False)


@pytest.mark.parametrize(("present", "status"), [(8, "installed"), (7, "no_quorum")])
def test_quorum_is_checked_on_the_attendance_list(cabildo, agreement_type, present, status):
    body, members, secretary = cabildo
    session = with_item(schedule(body), agreement_type)
    services.session_convene(session=session, now=SESSION_START - datetime.timedelta(days=5))
    # The secretary is on the list but has no vote: she never makes quorum.
    services.session_install(
        session=session, present=[*members[:present], secretary], at=session.starts_at
    )
    session.refresh_from_db()
    assert session.status == status
    assert Attendance.objects.filter(session=session).count() == 16
    assert Attendance.objects.filter(session=session, present=True).count() == present + 1


def test_quorum_of_an_even_body(db, agreement_type):
    from committees.models import Body

    body = Body.objects.create(name="Comité", key="COT", kind=Body.Kind.COMMITTEE)
    members = [seat(body) for _ in range(10)]
    session = with_item(schedule(body), agreement_type)
    services.session_convene(session=session, now=SESSION_START - datetime.timedelta(days=5))
    services.session_install(session=session, present=members[:5], at=session.starts_at)
    session.refresh_from_db()
    assert session.status == Session.Status.NO_QUORUM  # 5 of 10 is half, not half plus one


def test_only_members_go_on_the_attendance_list(cabildo, agreement_type, db):
    from committees.models import Body

    other = Body.objects.create(name="Comité", key="COT", kind=Body.Kind.COMMITTEE)
    stranger = seat(other)
    body, members, _ = cabildo
    session = with_item(schedule(body), agreement_type)
    services.session_convene(session=session, now=SESSION_START - datetime.timedelta(days=5))
    with pytest.raises(ValidationError):
        services.session_install(
            session=session, present=[*members, stranger], at=session.starts_at
        )
    assert not Attendance.objects.filter(session=session).exists()


def test_the_agenda_is_fixed_once_installed(open_session, agreement_type):
    session, _ = open_session()
    with pytest.raises(ValidationError):
        services.item_add(session=session, title="Otro", draft_text="x")


def test_the_notice_is_e_mailed_to_the_members_with_date_place_and_agenda(
    cabildo, agreement_type, mailoutbox, django_capture_on_commit_callbacks
):
    from pmot.core.models import Job

    body, members, secretary = cabildo
    members[0].user.email = "presidenta@municipio.gob.mx"
    members[0].user.save()
    session = with_item(schedule(body), agreement_type)
    with django_capture_on_commit_callbacks():
        services.session_convene(session=session, now=SESSION_START - datetime.timedelta(days=5))
    assert Job.objects.get(key=f"notice:{session.pk}").task_name == "committees.tasks.send_notice"

    services.notice_send(session=session)
    (mail,) = mailoutbox
    assert "ORD-01/2026" in mail.subject
    assert "10 de diciembre de 2026, 10:00" in mail.body
    assert "Sala de Cabildo" in mail.body
    assert "1. Punto" in mail.body
    assert set(mail.to) == {m.user.email for m in [*members, secretary]}
