"""The pages of a modification of an approved POA (issue 17): a new action is aligned as it is
added; an increase or a reduction is requested within the modification and moves nothing until
the modification is decided; the modification's page says whether it waits for the Cabildo (a
change to the POA's total) or for IMPLAN's authorization (a transfer), and the Cabildo's vote on
it, or IMPLAN's authorization, applies it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from budgeting.models import Action, FundingSource, Modification, Movement
from budgeting.services import modifications, money
from budgeting.services import poa as poa_services
from committees import services as committees
from committees.models import Body, Vote
from tests.budgeting.conftest import DAY
from tests.budgeting.test_pages_actions import action_fields
from tests.committees.conftest import SESSION_START
from tests.conftest import ALL_PERSONAS
from tests.documents import supporting_document
from tests.factories import UserFactory

PLANNERS = {"admin", "planner"}
OBJECT = {"outsider": 404, "anonymous": 302}


def movement(line, modification, stage="increase", amount="500000.00"):
    prefix = f"mov{line.pk}"
    data = {
        "stage": stage,
        "amount": amount,
        "date": DAY.isoformat(),
        "reference": "Oficio 12",
        "modification": modification.pk,
    }
    return {f"{prefix}-{name}": value for name, value in data.items()} | {
        f"{prefix}-document": supporting_document()
    }


@pytest.fixture
def opened(approved_poa):
    poa, action, line = approved_poa
    modification = poa_services.modification_open(poa=poa, reason="Ampliación", by=UserFactory())
    return poa, action, line, modification


def test_a_new_action_of_an_approved_poa_is_aligned_on_its_form(
    client_as, opened, catalogue, orgs, pmot_strategy
):
    poa, _, _, modification = opened
    client = client_as("planner")
    url = reverse("budgeting:action_create", args=[poa.pk])
    assert "Alineada a" in client.get(url).text
    fields = action_fields(
        modality=catalogue["modality"].pk,
        responsible=orgs["works"].pk,
        modification=modification.pk,
    )
    response = client.post(url, fields)
    assert response.status_code == 400
    assert not Action.objects.filter(poa=poa, key="A-02").exists()
    response = client.post(url, fields | {"alignments": [pmot_strategy.pk]})
    assert response.status_code == 302
    assert list(Action.objects.get(poa=poa, key="A-02").alignments.all()) == [pmot_strategy]


def test_an_increase_is_requested_and_the_modification_page_says_it_waits_for_the_cabildo(
    client_as, opened, council_vote
):
    poa, action, line, modification = opened
    client = client_as("planner")
    response = client.post(
        reverse("budgeting:movement_record", args=[line.pk]),
        movement(line, modification),
        follow=True,
    )
    assert "Solicitado en la modificación M1" in response.text
    assert "Cambia el total aprobado del POA en $500,000.00, más de los $0.00" in response.text
    assert "espera al Cabildo" in response.text
    assert reverse("budgeting:modification_authorize", args=[modification.pk]) not in (
        response.text
    )
    line.refresh_from_db()
    assert line.modified == Decimal("1000000.00")
    assert not Movement.objects.filter(stage="increase").exists()
    poa_page = client.get(reverse("budgeting:poa_detail", args=[poa.pk])).text
    assert "Espera al Cabildo" in poa_page
    assert reverse("budgeting:modification_detail", args=[modification.pk]) in poa_page
    # The planner's authorization cannot apply it; the Cabildo's vote does.
    response = client.post(
        reverse("budgeting:modification_authorize", args=[modification.pk]), follow=True
    )
    assert "va al Cabildo" in response.text
    agreement = council_vote(subject=modification)
    page = client.get(reverse("budgeting:modification_detail", args=[modification.pk])).text
    assert "Aprobada por el Cabildo mediante el acuerdo" in page
    assert agreement.key in page
    assert "Movió el modificado" in page
    line.refresh_from_db()
    assert line.modified == Decimal("1500000.00")


def test_a_modification_the_cabildo_rejects_never_moves_money(opened, council_vote):
    _, _, line, modification = opened
    money.change_request(
        document=supporting_document(),
        modification=modification,
        line=line,
        stage="reduction",
        amount="100000",
        date=DAY,
        by=UserFactory(),
    )
    council_vote(subject=modification, favour=5)
    modification.refresh_from_db()
    line.refresh_from_db()
    assert modification.status == Modification.Status.REJECTED
    assert line.modified == Decimal("1000000.00")
    with pytest.raises(ValidationError, match="fue rechazada por el Cabildo"):
        money.change_request(
            document=supporting_document(),
            modification=modification,
            line=line,
            stage="reduction",
            amount="1",
            date=DAY,
            by=UserFactory(),
        )


def test_only_the_cabildo_votes_a_change_to_the_total_and_never_a_transfer(
    opened, catalogue, open_session, agreement_type
):
    _, action, line, modification = opened
    board = Body.objects.create(name="Junta de Gobierno", key="JG", kind=Body.Kind.IMPLAN_BOARD)
    session = committees.session_schedule(
        body=board, kind="ordinary", starts_at=SESSION_START, place="IMPLAN"
    )
    item = committees.item_add(
        session=session,
        title="Ampliación",
        draft_text="Se aprueba.",
        agreement_type=agreement_type("general"),
        subject=modification,
    )
    with pytest.raises(ValidationError, match="va al Cabildo"):
        modifications.modification_vote_allowed(subject=modification, item=item)
    _, on_the_agenda = open_session(subject=modification)
    with pytest.raises(ValidationError, match="aún no solicita ninguna"):
        committees.vote_open(item=on_the_agenda, method=Vote.Method.ECONOMIC)
    state = money.line_add(
        action=action,
        source=FundingSource.objects.get(key="estatal"),
        expense_item=catalogue["item"],
        functional=catalogue["functional"],
        modification=modification,
    )
    planner = UserFactory()
    for target, stage in ((line, "reduction"), (state, "increase")):
        money.change_request(
            document=supporting_document(),
            modification=modification,
            line=target,
            stage=stage,
            amount="1000",
            date=DAY,
            by=planner,
        )
    with pytest.raises(ValidationError, match="conserva el total del POA"):
        committees.vote_open(item=on_the_agenda, method=Vote.Method.ECONOMIC)
    money.change_request(
        document=supporting_document(),
        modification=modification,
        line=state,
        stage="increase",
        amount="5000",
        date=DAY,
        by=planner,
    )
    assert [(m, reason) for m, _label, reason in modifications.cabildo_subjects()] == [
        (modification, None)
    ]
    committees.vote_open(item=on_the_agenda, method=Vote.Method.ECONOMIC)
    # While the Cabildo votes it, the modification takes no more changes.
    with pytest.raises(ValidationError, match="El Cabildo está votando la modificación M1"):
        money.change_request(
            document=supporting_document(),
            modification=modification,
            line=state,
            stage="increase",
            amount="1",
            date=DAY,
            by=planner,
        )


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_authorizing_a_transfer_by_persona(client_as, opened, catalogue, persona_name):
    poa, action, line, modification = opened
    state = money.line_add(
        action=action,
        source=FundingSource.objects.get(key="estatal"),
        expense_item=catalogue["item"],
        functional=catalogue["functional"],
        modification=modification,
    )
    planner = UserFactory()
    for target, stage in ((line, "reduction"), (state, "increase")):
        money.change_request(
            document=supporting_document(),
            modification=modification,
            line=target,
            stage=stage,
            amount="250000",
            date=DAY,
            by=planner,
        )
    client = client_as(persona_name)
    page = client.get(reverse("budgeting:modification_detail", args=[modification.pk]))
    url = reverse("budgeting:modification_authorize", args=[modification.pk])
    response = client.post(url)
    modification.refresh_from_db()
    line.refresh_from_db()
    if persona_name in PLANNERS:
        assert page.status_code == 200
        assert "la autoriza o la rechaza la oficina que administra el presupuesto" in page.text
        assert url in page.text
        assert response.status_code == 302
        assert modification.status == Modification.Status.APPLIED
        assert line.modified == Decimal("750000.00")
    else:
        assert page.status_code == OBJECT.get(persona_name, 200)
        assert response.status_code == OBJECT.get(persona_name, 403)
        assert modification.status == Modification.Status.OPEN
        assert line.modified == Decimal("1000000.00")
