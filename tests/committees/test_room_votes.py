"""Issue 18: votes as they happen in the room, seats not people, sessions that can be corrected.
Each test is named after the rule it keeps."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from committees import services
from committees.models import AgreementType, Ballot, Body, Leave, Member, Session, Vote
from committees.rules import Choice
from pmot.core.models import Job
from tests.committees.conftest import BEFORE_NOTICE, SESSION_START, seat
from tests.factories import UserFactory


def cast(vote, members, choice):
    for member in members:
        services.vote_cast(vote=vote, user=member.user, choice=choice)


@pytest.fixture
def secretary_user(db):
    return UserFactory()


# --- Votes as they happen in the room ----------------------------------------------------------


def test_online_ballots_and_the_roll_call_entered_by_the_secretary_meet_in_one_vote(
    open_session, secretary_user
):
    session, item = open_session(present=14)
    members = [a.member for a in session.attendance.filter(present=True).order_by("member_id")]
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    cast(vote, members[:3], Choice.FOR)  # three members with an account vote from their device

    room = dict.fromkeys(members[3:11], Choice.FOR) | dict.fromkeys(members[11:13], Choice.AGAINST)
    room[members[13]] = Choice.ABSTAIN
    services.vote_record_roll_call(vote=vote, by=secretary_user, choices=room)

    agreement = services.vote_close(vote=vote)
    vote.refresh_from_db()
    assert (vote.votes_for, vote.against, vote.abstentions) == (11, 2, 1)
    assert agreement.status == "approved"
    by_how = {b.member_id: (b.how, b.entered_by_id) for b in vote.ballots.all()}
    assert by_how[members[0].pk] == (Ballot.How.ONLINE, None)
    assert by_how[members[5].pk] == (Ballot.How.ROLL_CALL, secretary_user.pk)


def test_a_member_never_votes_twice_and_an_online_ballot_is_never_overwritten(
    open_session, secretary_user
):
    session, item = open_session(present=15)
    members = [a.member for a in session.attendance.order_by("member_id")]
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    cast(vote, [members[0]], Choice.AGAINST)

    # The secretary cannot record the room's vote over the member's own: and nothing is kept.
    with pytest.raises(ValidationError, match="never replaced|nunca se reemplaza"):
        services.vote_record_roll_call(
            vote=vote, by=secretary_user, choices={members[0]: Choice.FOR, members[1]: Choice.FOR}
        )
    assert vote.ballots.count() == 1
    # A member the secretary recorded cannot vote again online.
    services.vote_record_roll_call(vote=vote, by=secretary_user, choices={members[1]: Choice.FOR})
    with pytest.raises(ValidationError):
        services.vote_cast(vote=vote, user=members[1].user, choice=Choice.AGAINST)
    vote.refresh_from_db()
    assert (vote.votes_for, vote.against) == (1, 1)
    assert vote.ballots.get(member=members[0]).choice == Choice.AGAINST


def test_a_show_of_hands_is_a_count_with_names_against_and_abstaining(open_session, secretary_user):
    session, item = open_session(present=14)
    members = [a.member for a in session.attendance.filter(present=True).order_by("member_id")]
    vote = services.vote_open(item=item, method=Vote.Method.ECONOMIC)
    cast(vote, members[:2], Choice.FOR)
    against, abstaining = members[2:4], members[4:5]

    # 12 still to vote, 3 named: 9 hands for, not 10.
    with pytest.raises(ValidationError, match="9"):
        services.vote_record_hands(
            vote=vote, by=secretary_user, votes_for=10, against=against, abstaining=abstaining
        )
    assert vote.ballots.count() == 2
    services.vote_record_hands(
        vote=vote, by=secretary_user, votes_for=9, against=against, abstaining=abstaining
    )
    services.vote_close(vote=vote)
    vote.refresh_from_db()
    assert (vote.votes_for, vote.against, vote.abstentions) == (11, 2, 1)
    assert set(vote.ballots.filter(choice=Choice.AGAINST).values_list("member", flat=True)) == {
        m.pk for m in against
    }
    assert vote.ballots.filter(how=Ballot.How.HANDS).count() == 12


def test_a_secret_ballot_in_the_room_keeps_only_the_totals(open_session, secretary_user):
    session, item = open_session(present=15, code="appointment")
    members = [a.member for a in session.attendance.order_by("member_id")]
    vote = services.vote_open(item=item, method=Vote.Method.SECRET)
    cast(vote, members[:2], Choice.AGAINST)
    with pytest.raises(ValidationError, match="13"):
        services.vote_record_paper(
            vote=vote, by=secretary_user, votes_for=10, against=1, abstentions=1
        )
    services.vote_record_paper(vote=vote, by=secretary_user, votes_for=10, against=2, abstentions=1)
    services.vote_close(vote=vote)
    vote.refresh_from_db()
    assert (vote.votes_for, vote.against, vote.abstentions) == (10, 4, 1)
    assert set(vote.ballots.values_list("choice", flat=True)) == {""}
    # The history has no row per ballot's count: only the opening and the close.
    counts = {(h.votes_for, h.against) for h in vote.history.all()}
    assert counts == {(0, 0), (10, 4)}


# --- Seats, attendance during the session ------------------------------------------------------


def test_quorum_is_taken_again_when_a_vote_opens_after_departures(open_session):
    session, item = open_session(present=8)  # 8 of 15: quorum exactly
    session.refresh_from_db()
    members = [a.member for a in session.attendance.filter(present=True).order_by("member_id")]
    at = session.installed_at + datetime.timedelta(minutes=40)
    services.attendance_leave(session=session, member=members[-1], at=at)
    with pytest.raises(ValidationError, match="quórum"):
        services.vote_open(item=item, method=Vote.Method.NOMINAL)

    absent = session.attendance.filter(present=False).first().member
    services.attendance_arrive(session=session, member=absent, at=at)
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    assert (vote.present, vote.members) == (8, 15)
    assert absent in vote.eligible.all()
    assert members[-1] not in vote.eligible.all()


def test_a_member_who_arrives_after_a_vote_opened_votes_from_the_next_item(open_session):
    session, item = open_session(present=10)
    session.refresh_from_db()
    late = session.attendance.filter(present=False).first().member
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    services.attendance_arrive(
        session=session, member=late, at=session.installed_at + datetime.timedelta(minutes=5)
    )
    with pytest.raises(ValidationError, match="después"):
        services.vote_cast(vote=vote, user=late.user, choice=Choice.FOR)
    late_attendance = session.attendance.get(member=late)
    assert late_attendance.present
    assert late_attendance.arrived_at > session.installed_at


def test_a_member_who_leaves_during_a_vote_gives_no_ballot_and_the_vote_still_closes(
    open_session,
):
    session, item = open_session(present=10)
    members = [a.member for a in session.attendance.filter(present=True).order_by("member_id")]
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    cast(vote, members[:9], Choice.FOR)
    services.attendance_leave(session=session, member=members[9], at=SESSION_START)
    agreement = services.vote_close(vote=vote)
    vote.refresh_from_db()
    assert agreement.status == "approved"
    assert (vote.present, vote.votes_for) == (10, 9)


def test_in_the_cabildo_an_alternate_sits_only_while_the_titular_is_on_approved_leave(
    cabildo, agreement_type
):
    body, members, _secretary = cabildo
    titular = members[5]
    alternate = services.member_add(
        body=body,
        user=UserFactory(),
        role=Member.Role.ALDERMAN,
        sector=titular.sector,
        standing=Member.Standing.ALTERNATE,
        alternate_for=titular,
        start_date=datetime.date(2024, 10, 15),
    )

    def session_with(present, starts_at):
        session = services.session_schedule(
            body=body, kind=Session.Kind.ORDINARY, starts_at=starts_at, place="Sala"
        )
        item = services.item_add(
            session=session, title="Punto", draft_text="Se aprueba.", **_type("general")
        )
        services.session_convene(session=session, now=starts_at - datetime.timedelta(days=7))
        services.session_install(session=session, present=present, at=starts_at)
        return session, item

    # No leave: the titular is absent and the alternate does not vote.
    present = [m for m in members if m != titular][:8] + [alternate]
    session, item = session_with(present, SESSION_START)
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    assert vote.present == 8
    with pytest.raises(ValidationError):
        services.vote_cast(vote=vote, user=alternate.user, choice=Choice.FOR)

    # The Cabildo approves the titular's leave on an agenda item.
    leave = services.leave_request(
        member=titular,
        starts_on=datetime.date(2026, 12, 12),
        ends_on=datetime.date(2027, 3, 31),
        reason="Licencia por motivos de salud",
    )
    assert leave.status == Leave.Status.REQUESTED
    services.item_withdraw(item=item, reason="Se decide en otra sesión")
    # The leave is put to a vote in a session convened with it on the agenda.
    later = services.session_schedule(
        body=body,
        kind=Session.Kind.ORDINARY,
        starts_at=SESSION_START + datetime.timedelta(days=1),
        place="Sala",
    )
    leave_item = services.item_add(
        session=later,
        title="Licencia del regidor",
        draft_text="Se aprueba la licencia.",
        subject=leave,
        **_type("general"),
    )
    services.session_convene(session=later, now=BEFORE_NOTICE)
    services.session_install(session=later, present=members[:10], at=later.starts_at)
    vote = services.vote_open(item=leave_item, method=Vote.Method.NOMINAL)
    cast(vote, members[:10], Choice.FOR)
    services.vote_close(vote=vote)
    leave.refresh_from_db()
    assert leave.status == Leave.Status.APPROVED

    # During the leave, the alternate holds the seat and votes.
    session, item = session_with(present, SESSION_START + datetime.timedelta(days=5))
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    assert vote.present == 9
    services.vote_cast(vote=vote, user=alternate.user, choice=Choice.FOR)


def _type(code):
    return {"agreement_type": AgreementType.objects.get(code=code)}


def test_an_excused_member_leaves_the_base_of_those_present_but_not_of_all_members(
    open_session, secretary_user
):
    # Absolute majority over those present: 9 present, one excused -> 8; 5 for is a majority.
    session, item = open_session(present=9, code="appointment")
    members = [a.member for a in session.attendance.filter(present=True).order_by("member_id")]
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    services.vote_excuse(
        vote=vote, member=members[0], reason="Es pariente del propuesto", by=secretary_user
    )
    with pytest.raises(ValidationError):
        services.vote_cast(vote=vote, user=members[0].user, choice=Choice.FOR)
    cast(vote, members[1:6], Choice.FOR)
    cast(vote, members[6:9], Choice.AGAINST)
    assert services.vote_close(vote=vote).status == "approved"  # 5 of 8: absolute majority

    # Absolute majority over all members (designation): 15 seats need 8 for whoever is excused.
    body = session.body
    coordinating = Body.objects.create(name="IMPLAN", key="IMPLAN", kind=Body.Kind.IMPLAN_BOARD)
    later = services.session_schedule(
        body=body,
        kind=Session.Kind.ORDINARY,
        starts_at=SESSION_START + datetime.timedelta(days=1),
        place="Sala",
    )
    item = services.item_add(
        session=later,
        title="Designación",
        draft_text="Se designa al IMPLAN.",
        subject=coordinating,
        **_type("designation"),
    )
    services.session_convene(session=later, now=BEFORE_NOTICE)
    services.session_install(session=later, present=members[:9], at=later.starts_at)
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    services.vote_excuse(vote=vote, member=members[0], reason="Conflicto de interés")
    cast(vote, members[1:8], Choice.FOR)
    cast(vote, members[8:9], Choice.AGAINST)
    assert services.vote_close(vote=vote).status == "rejected"  # 7 of 15: not 8


# --- Sessions that can be corrected -------------------------------------------------------------


@pytest.fixture
def convened(cabildo, agreement_type):
    body, _members, _ = cabildo
    session = services.session_schedule(
        body=body, kind=Session.Kind.ORDINARY, starts_at=SESSION_START, place="Sala de Cabildo"
    )
    services.item_add(session=session, title="Punto", draft_text="Se aprueba.", **_type("general"))
    services.session_convene(session=session, now=BEFORE_NOTICE)
    return session


def test_a_session_is_not_installed_before_its_time(convened, cabildo):
    _body, members, _ = cabildo
    with pytest.raises(ValidationError, match="no antes|not before"):
        services.session_install(
            session=convened, present=members, at=SESSION_START - datetime.timedelta(minutes=31)
        )
    convened.refresh_from_db()
    assert convened.status == Session.Status.CONVENED
    assert not convened.attendance.exists()
    installed = services.session_install(
        session=convened, present=members, at=SESSION_START - datetime.timedelta(minutes=30)
    )
    assert installed.status == Session.Status.INSTALLED


def test_a_postponement_gives_a_new_notice_under_the_notice_rule(convened):
    # Three days' notice for an ordinary session: on 8 Dec, 10 Dec is too near.
    on_8th = SESSION_START - datetime.timedelta(days=2)
    with pytest.raises(ValidationError, match="aviso|notice|convocatoria"):
        services.session_postpone(
            session=convened,
            starts_at=SESSION_START + datetime.timedelta(hours=12),
            reason="Falta de sala",
            now=on_8th,
        )
    convened.refresh_from_db()
    assert convened.starts_at == SESSION_START
    assert not convened.postponed

    new_date = SESSION_START + datetime.timedelta(days=7)
    services.session_postpone(
        session=convened, starts_at=new_date, reason="Falta de sala", now=on_8th
    )
    convened.refresh_from_db()
    assert (convened.starts_at, convened.original_starts_at) == (new_date, SESSION_START)
    assert convened.notice_issued_at == on_8th
    assert Job.objects.filter(key__startswith=f"notice:{convened.pk}:postponed").exists()
    # Postponed again: the first date stays the one first announced.
    services.session_postpone(
        session=convened,
        starts_at=new_date + datetime.timedelta(days=7),
        reason="Duelo oficial",
        now=on_8th,
    )
    convened.refresh_from_db()
    assert convened.original_starts_at == SESSION_START
    assert convened.postponement_reason == "Duelo oficial"


def test_a_session_is_edited_before_its_notice_and_only_then(cabildo, convened):
    body, _members, _ = cabildo
    draft = services.session_schedule(
        body=body, kind=Session.Kind.ORDINARY, starts_at=SESSION_START, place="Sala"
    )
    services.session_edit(
        session=draft,
        kind=Session.Kind.EXTRAORDINARY,
        starts_at=SESSION_START + datetime.timedelta(hours=2),
        place="Sala de Cabildo",
    )
    draft.refresh_from_db()
    assert (draft.kind, draft.place) == (Session.Kind.EXTRAORDINARY, "Sala de Cabildo")
    with pytest.raises(ValidationError, match="aplazar|postponed"):
        services.session_edit(
            session=convened, kind=Session.Kind.ORDINARY, starts_at=SESSION_START, place="Otra"
        )


def test_a_cancellation_says_why(convened):
    with pytest.raises(ValidationError):
        services.session_cancel(session=convened, reason="  ")
    convened.refresh_from_db()
    assert convened.status == Session.Status.CONVENED
    services.session_cancel(session=convened, reason="Contingencia sanitaria")
    convened.refresh_from_db()
    assert convened.status == Session.Status.CANCELLED
    assert convened.cancellation_reason == "Contingencia sanitaria"
    assert convened.cancelled_at is not None


def test_a_body_of_ten_seats_with_ten_alternates_needs_six_present(db):
    body = Body.objects.create(name="COPLADEM", key="COPLADEM", kind=Body.Kind.COPLADEM)
    titulars = [seat(body) for _ in range(10)]
    for titular in titulars:
        services.member_add(
            body=body,
            user=UserFactory(),
            role=Member.Role.COUNSELOR,
            sector=titular.sector,
            standing=Member.Standing.ALTERNATE,
            alternate_for=titular,
            start_date=datetime.date(2024, 10, 15),
        )
    session = services.session_schedule(
        body=body, kind=Session.Kind.ORDINARY, starts_at=SESSION_START, place="Sala"
    )
    services.item_add(session=session, title="Punto", draft_text="x", **_type("general"))
    services.session_convene(session=session, now=BEFORE_NOTICE)
    installed = services.session_install(session=session, present=titulars[:6], at=SESSION_START)
    assert installed.status == Session.Status.INSTALLED
