"""What budgeting offers the Cabildo's agenda (committees.hooks.register_subjects): the POAs to
approve and the modifications that change a POA's approved total, ready ones to choose and the
others with the reason why not; the vote on such an item decides the subject."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from budgeting.services import money
from budgeting.services import poa as poa_services
from committees import services as committees
from committees.models import AgreementType, Session
from tests.budgeting.conftest import DAY
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
        modification=increase, line=line, stage="increase", amount="50000", date=DAY, by=planner
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
            modification=transfer, line=target, stage=stage, amount="1000", date=DAY, by=planner
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
