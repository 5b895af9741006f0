"""Fixtures of the other apps' tests that the portal's tests build on: the Cabildo and its
votes, the program and its phases, an approved POA."""

from tests.budgeting.conftest import (  # noqa: F401
    approved_poa,
    catalogue,
    draft_poa,
    make_action,
    pmot_strategy,
)
from tests.committees.conftest import agreement_type, cabildo, open_session  # noqa: F401
from tests.phases.conftest import open_phases, phases  # noqa: F401
from tests.planning.conftest import council_vote, program  # noqa: F401
