import datetime

import pytest

from phases.models import Phase
from phases.services import work

# The Cabildo, its sessions and votes (committees), and the program (planning).
from tests.committees.conftest import agreement_type, cabildo, open_session  # noqa: F401
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
