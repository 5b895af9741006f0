"""What budgeting offers the Cabildo's agenda (committees.hooks.register_subjects): the POAs to
approve and the modifications that change a POA's approved total, ready ones to choose and the
others with the reason why not; the vote on such an item decides the subject."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from budgeting.services import money
from budgeting.services import poa as poa_services
from committees import services as committees
from committees.models import AgreementType, Session
from tests.budgeting.conftest import DAY
from tests.documents import supporting_document
from tests.factories import UserFactory


@pytest.fixture
def scheduled(cabildo):
    body, _members, _secretary = cabildo
    return committees.session_schedule(
        body=body,
        kind=Session.Kind.ORDINARY,
        starts_at=timezone.now() + datetime.timedelta(days=9),
        place="Sala de Cabildo",
    )


def test_the_agenda_offers_a_modification_that_changes_the_total_and_explains_a_transfer(
    client_as, approved_poa, scheduled, catalogue
):
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
    transfer = poa_services.modification_open(poa=poa, reason="Traspaso", by=planner)
    other = money.line_add(
        action=line.action,
        source=catalogue["fismdf"],
        expense_item=catalogue["item"],
        functional=catalogue["functional"],
        fismdf_category="water",
        modification=transfer,
    )
    for target, stage in ((line, "reduction"), (other, "increase")):
        money.change_request(
            document=supporting_document(),
            modification=transfer,
            line=target,
            stage=stage,
            amount="1000",
            date=DAY,
            by=planner,
        )
    secretary = client_as("secretary")
    page = secretary.get(reverse("committees:session_detail", args=[scheduled.pk])).text
    assert f'value="budgeting.Modification:{increase.pk}"' in page
    assert f'value="budgeting.Modification:{transfer.pk}"' not in page
    assert "conserva el total del POA (es un traspaso)" in page
    secretary.post(
        reverse("committees:item_create", args=[scheduled.pk]),
        {
            "title": "Ampliación del POA 2027",
            "draft_text": "Se aprueba la ampliación.",
            "agreement_type": AgreementType.objects.get(code="general").pk,
            "subject": f"budgeting.Modification:{increase.pk}",
        },
    )
    assert scheduled.items.get().subject_id == increase.pk


def test_a_poa_under_vote_cannot_go_back_to_draft_and_the_vote_still_takes_effect(
    draft_poa, make_action, catalogue, pmot_strategy, open_session, cabildo
):
    _body, members, _ = cabildo
    action = make_action(draft_poa)
    poa_services.action_align(action=action, elements=[pmot_strategy])
    poa_services.action_submit(action=action)
    line = money.line_add(
        action=action,
        source=catalogue["source"],
        expense_item=catalogue["item"],
        functional=catalogue["functional"],
    )
    money.movement_record(line=line, stage="approved", amount="5000.00", date=DAY, by=UserFactory())
    poa_services.poa_submit(poa=draft_poa)
    session, item = open_session(subject=draft_poa)
    vote = committees.vote_open(item=item, method="nominal")

    # The vote holds the POA: returning it to draft is refused, naming the session and item.
    with pytest.raises(ValidationError, match=f"{session}.*1"):
        poa_services.poa_return(poa=draft_poa)
    draft_poa.refresh_from_db()
    assert draft_poa.status == "submitted"
    for member in members:
        committees.vote_cast(vote=vote, user=member.user, choice="for")
    committees.vote_close(vote=vote)
    draft_poa.refresh_from_db()
    assert draft_poa.status == "approved"
