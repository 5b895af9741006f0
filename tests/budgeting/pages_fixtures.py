"""Fixtures of the POA page tests: an approved POA with a line co-financed by the state
agency, and a POA of many actions made fast (bulk) for query counts."""

from decimal import Decimal

import pytest

from budgeting.models import Action, BudgetLine, FundingSource
from budgeting.services import money
from budgeting.services import poa as poa_services
from tests.budgeting.conftest import DAY
from tests.documents import supporting_document
from tests.factories import UserFactory


@pytest.fixture
def cofinanced(approved_poa, orgs, catalogue, council_vote):
    """The approved POA, its action (of Obras Públicas) and two lines: the municipality's own
    ($1,000,000) and one the state agency co-finances ($500,000, added in modification 1, which
    the Cabildo approved)."""
    poa, action, own_line = approved_poa
    planner = UserFactory()
    modification = poa_services.modification_open(poa=poa, reason="Convenio estatal", by=planner)
    state_line = money.line_add(
        action=action,
        source=FundingSource.objects.get(key="estatal"),
        expense_item=catalogue["item"],
        functional=catalogue["functional"],
        cofinancer=orgs["state_agency"],
        modification=modification,
    )
    money.change_request(
        document=supporting_document(),
        line=state_line,
        stage="increase",
        amount="500000.00",
        date=DAY,
        by=planner,
        modification=modification,
    )
    council_vote(subject=modification)
    poa.refresh_from_db()
    state_line.refresh_from_db()
    return poa, action, own_line, state_line


@pytest.fixture
def many_actions(orgs, catalogue, pmot_strategy):
    """many_actions(poa, n) -> n actions of `poa`, each with two lines and aligned, in bulk."""

    def make(poa, n):
        actions = Action.objects.bulk_create(
            Action(
                poa=poa,
                key=f"B-{i:04d}",
                name=f"Acción {i}",
                kind=["public_works", "social_works", "services", "procedures"][i % 4],
                responsible=orgs["works"] if i % 2 else orgs["state_agency"],
                modality=catalogue["modality"],
                target=Decimal("4"),
                target_unit="obras",
                calendar_kind="quarterly",
                calendar=["1", "1", "1", "1"],
            )
            for i in range(n)
        )
        through = Action.alignments.through
        through.objects.bulk_create(
            through(action_id=action.pk, planelement_id=pmot_strategy.pk) for action in actions
        )
        sources = [catalogue["source"], catalogue["fismdf"]]
        BudgetLine.objects.bulk_create(
            BudgetLine(
                action=action,
                source=source,
                expense_item=catalogue["item"],
                functional=catalogue["functional"],
                fismdf_category="water" if source.is_fismdf else "",
                approved=Decimal("1000.00"),
                modified=Decimal("1000.00"),
                committed=Decimal("500.00"),
            )
            for action in actions
            for source in sources
        )
        return actions

    return make
