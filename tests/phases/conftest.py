import datetime

import pytest

from committees import services as committees
from committees.models import AgreementType, Body, Member, Session, Vote
from committees.rules import Choice
from phases.models import Phase
from phases.services import work

# The Cabildo, its sessions and votes (committees), and the program (planning).
from tests.committees.conftest import (  # noqa: F401
    SESSION_START,
    agreement_type,
    cabildo,
    open_session,
    seat,
)
from tests.planning.conftest import council_vote, program  # noqa: F401

NOTICE_DAY = datetime.date(2026, 2, 2)


@pytest.fixture
def phases(program, council_vote):  # noqa: F811
    """The program started by the Cabildo, its notice published, and its five phases, by
    number; none open yet."""
    council_vote(subject=program)  # the first approved agreement on the program starts it
    program.refresh_from_db()
    made = {phase.number: phase for phase in work.phases_prepare(program=program)}
    work.phase_plan(
        phase=made[1],
        planned_start=datetime.date(2026, 1, 15),
        planned_end=datetime.date(2026, 4, 30),
        notice_published_on=NOTICE_DAY,
        notice_medium=Phase.NoticeMedium.STATE_GAZETTE,
    )
    return made


@pytest.fixture
def open_phases(phases):
    """Phases 1 to 3 in progress."""
    for number in (1, 2, 3):
        work.phase_open(phase=phases[number], on=datetime.date(2026, number, 20))
    for phase in phases.values():
        phase.refresh_from_db()
    return phases


@pytest.fixture
def coordinating_body(council_vote):  # noqa: F811
    """A COPLADEM of five members with a vote (the president first), put in charge of the PMOT
    by an agreement of the Cabildo (committees' designation hook)."""
    body = Body.objects.create(name="COPLADEM", key="COPLADEM", kind=Body.Kind.COPLADEM)
    members = [seat(body, Member.Role.PRESIDENT)] + [
        seat(body, Member.Role.COUNSELOR) for _ in range(4)
    ]
    council_vote(subject=body)
    return body, members


def body_vote(body, members, *subjects, favour=None, starts_at=SESSION_START):
    """An ordinary session of `body` that votes one item on each of `subjects`, each with
    `favour` members for (all by default) and the rest against; their agreements, in order."""
    session = committees.session_schedule(
        body=body, kind=Session.Kind.ORDINARY, starts_at=starts_at, place="Sala de juntas"
    )
    items = [
        committees.item_add(
            session=session,
            title=f"Validación de {subject}",
            draft_text="Se valida el entregable.",
            agreement_type=AgreementType.objects.get(code="general"),
            subject=subject,
        )
        for subject in subjects
    ]
    committees.session_convene(session=session, now=starts_at - datetime.timedelta(days=7))
    committees.session_install(session=session, present=members, at=starts_at)
    favour = len(members) if favour is None else favour
    agreements = []
    for item in items:
        vote = committees.vote_open(item=item, method=Vote.Method.ECONOMIC)
        for n, member in enumerate(members):
            choice = Choice.FOR if n < favour else Choice.AGAINST
            committees.vote_cast(vote=vote, user=member.user, choice=choice)
        agreements.append(committees.vote_close(vote=vote))
    return agreements


@pytest.fixture
def validate_by_the_body(coordinating_body):
    """validate(*deliverables) -> the agreements of the coordinating body that validated each
    (every deliverable in review), voted in one session."""
    body, members = coordinating_body
    return lambda *deliverables: body_vote(body, members, *deliverables)
