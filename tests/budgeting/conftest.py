import datetime
from decimal import Decimal

import pytest

from budgeting.models import ExpenseItem, FunctionalClass, FundingSource, ProgramModality
from budgeting.services import money
from budgeting.services import poa as poa_services
from pmot.planning.models import Plan
from pmot.planning.services import plans as planning
from tests.committees.conftest import agreement_type, cabildo, open_session  # noqa: F401
from tests.factories import UserFactory
from tests.planning.conftest import council_vote  # noqa: F401

DAY = datetime.date(2027, 3, 15)


@pytest.fixture
def pmot_strategy(db):
    plan = Plan.objects.create(
        key="pmot", name="PMOT", order=Plan.Order.PMOT, level_names=["Eje", "Estrategia"]
    )
    axis = planning.element_add(plan=plan, key="1", name="Ciudad compacta")
    return planning.element_add(plan=plan, key="1.1", name="Redensificar", parent=axis)


@pytest.fixture
def catalogue(db):
    return {
        "source": FundingSource.objects.get(key="propios"),
        "fismdf": FundingSource.objects.get(key="fismdf"),
        "item": ExpenseItem.objects.get(key="6140"),
        "functional": FunctionalClass.objects.get(key="2.2.1"),
        "modality": ProgramModality.objects.get(key="K"),
    }


@pytest.fixture
def make_action(orgs, catalogue):
    def make(poa, key="A-01", target=Decimal("100"), **extra):
        fields = {
            "key": key,
            "name": "Rehabilitación de la red de agua",
            "kind": "public_works",
            "responsible": orgs["works"],
            "modality": catalogue["modality"],
            "target": target,
            "target_unit": "metros",
            "calendar_kind": "quarterly",
            "calendar": [target / 4] * 4,
        } | extra
        return poa_services.action_save(poa=poa, **fields)

    return make


@pytest.fixture
def draft_poa(db):
    return poa_services.poa_create(fiscal_year=2027)


@pytest.fixture
def approved_poa(draft_poa, make_action, catalogue, pmot_strategy, council_vote):  # noqa: F811
    """A 2027 POA approved by the Cabildo with one action and one line of $1,000,000
    approved."""
    action = make_action(draft_poa)
    poa_services.action_align(action=action, elements=[pmot_strategy])
    poa_services.action_submit(action=action)
    line = money.line_add(
        action=action,
        source=catalogue["source"],
        expense_item=catalogue["item"],
        functional=catalogue["functional"],
    )
    money.movement_record(
        line=line, stage="approved", amount="1000000.00", date=DAY, by=UserFactory()
    )
    poa_services.poa_submit(poa=draft_poa)
    council_vote(subject=draft_poa)  # the Cabildo votes it; its agreement approves it
    draft_poa.refresh_from_db()
    line.refresh_from_db()
    return draft_poa, action, line
