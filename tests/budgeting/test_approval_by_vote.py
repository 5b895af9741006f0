"""No path but the vote on its agenda item changes a POA or a modification of it (issue 18,
"What an agenda item decides"): an approved agreement of the Cabildo on something else is
refused, and the subject stays as it was."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budgeting.models import Modification, Poa
from budgeting.services import modifications, money
from budgeting.services import poa as poa_services
from tests.budgeting.conftest import DAY
from tests.documents import supporting_document
from tests.factories import UserFactory


def submitted(poa, make_action, pmot_strategy, key="A-01"):
    action = make_action(poa, key=key)
    poa_services.action_align(action=action, elements=[pmot_strategy])
    poa_services.action_submit(action=action)
    return poa_services.poa_submit(poa=poa)


def test_a_poa_is_approved_only_by_the_agreement_voted_on_it(
    draft_poa, make_action, pmot_strategy, council_vote, orgs
):
    submitted(draft_poa, make_action, pmot_strategy)
    works = submitted(
        poa_services.poa_create(fiscal_year=2027, unit=orgs["works"]), make_action, pmot_strategy
    )
    unrelated = council_vote()  # a general agreement, approved by the Cabildo
    on_another_poa = council_vote(subject=works)  # approves Obras Públicas' POA, not this one
    for agreement in (unrelated, on_another_poa):
        with pytest.raises(ValidationError) as refused:
            poa_services.poa_approve(poa=draft_poa, agreement=agreement)
        assert refused.value.messages == [
            f"El acuerdo {agreement.key} no resuelve sobre este POA: el Cabildo o la junta de "
            "gobierno del IMPLAN lo aprueba votando un punto del orden del día sobre él."
        ]
        draft_poa.refresh_from_db()
        assert (draft_poa.status, draft_poa.approval_agreement) == (Poa.Status.SUBMITTED, None)

    voted = council_vote(subject=draft_poa)  # the vote on its own item approves it
    draft_poa.refresh_from_db()
    assert (draft_poa.status, draft_poa.approval_agreement) == (Poa.Status.APPROVED, voted)


def test_a_modification_is_decided_only_by_the_agreement_voted_on_it(approved_poa, council_vote):
    poa, _action, line = approved_poa
    planner = UserFactory()
    increase = poa_services.modification_open(poa=poa, reason="Ampliación", by=planner)
    money.change_request(
        document=supporting_document(),
        modification=increase,
        line=line,
        stage="increase",
        amount="50000",
        date=DAY,
        by=planner,
    )
    unrelated = council_vote()
    with pytest.raises(ValidationError, match="no resuelve sobre esta modificación"):
        modifications.modification_decided(subject=increase, agreement=unrelated)
    increase.refresh_from_db()
    line.refresh_from_db()
    assert (increase.status, increase.agreement) == (Modification.Status.OPEN, None)
    assert line.modified == Decimal("1000000.00")

    voted = council_vote(subject=increase)
    increase.refresh_from_db()
    line.refresh_from_db()
    assert (increase.status, increase.agreement) == (Modification.Status.APPLIED, voted)
    assert line.modified == Decimal("1050000.00")
