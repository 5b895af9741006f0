"""The program, its phases and the Cabildo's votes, from the other apps' tests."""

from tests.budgeting.conftest import catalogue, draft_poa, pmot_strategy  # noqa: F401
from tests.committees.conftest import agreement_type, cabildo, open_session  # noqa: F401
from tests.phases.conftest import open_phases, phases  # noqa: F401
from tests.planning.conftest import council_vote, program  # noqa: F401
