"""Four eyes on what changes the POA's books or its public record (issue 19, finding 1).

The organization that runs an action asks, through the pages: a modification with its reason,
increases and reductions with their supporting document, and changes to its action's
description, targets and alignment. Nothing of it reaches the books or the public until the
office that holds the budget (IMPLAN's planner or the treasury), someone other than who asked,
authorizes it; a change to the POA's total beyond PMOT_MODIFICATION_CABILDO_THRESHOLD (counting
what was authorized before) goes to the Cabildo.
"""

# The fixtures of pages_fixtures are imported, then named as arguments.
# ruff: noqa: F811

import re
import uuid
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from budgeting.models import ActionChange, Modification, Movement, RequestedChange
from budgeting.services import modifications
from pmot.actors.roles import Role
from pmot.core import public_cache
from tests.budgeting.conftest import DAY
from tests.budgeting.pages_fixtures import cofinanced  # noqa: F401
from tests.documents import supporting_document
from tests.factories import UserFactory, membership

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def threshold(settings):
    """The office that holds the budget authorizes up to $400,000 of change to the total (the
    fixture's $500,000 state line went to the Cabildo)."""
    settings.PMOT_MODIFICATION_CABILDO_THRESHOLD = Decimal("400000")


@pytest.fixture
def treasury(orgs):
    """A person of the municipal treasury: holds the budget beside IMPLAN."""
    user = UserFactory(username="tesoreria")
    membership(user, orgs["council"], Role.TREASURY)
    client = Client()
    client.force_login(user)
    return client


def public_total(client, year) -> list[str]:
    """The figures the public POA page shows (approved, modified, exercised), as a citizen
    reads them, rendered now (the tests' transactions never commit, so the cache of public
    pages would not move on by itself)."""
    public_cache.NAMESPACE = f"test-{uuid.uuid4().hex}"
    page = client.get(reverse("portal:poa_year", args=[year]))
    assert page.status_code == 200
    return re.findall(r'class="stat__value">([^<]*)<', page.text)


def ask(client, poa, reason="Ampliación por obra adicional en la colonia"):
    response = client.post(
        reverse("budgeting:modification_open", args=[poa.pk]), {"reason": reason}
    )
    assert response.status_code == 302, response
    return Modification.objects.filter(poa=poa).latest("number")


def request_money(client, line, modification, amount, *, document=True, stage="increase"):
    data = {
        f"mov{line.pk}-stage": stage,
        f"mov{line.pk}-amount": amount,
        f"mov{line.pk}-date": DAY.isoformat(),
        f"mov{line.pk}-reference": "Oficio SOP/123",
        f"mov{line.pk}-modification": modification.pk,
    }
    if document:
        data[f"mov{line.pk}-document"] = supporting_document()
    return client.post(reverse("budgeting:movement_record", args=[line.pk]), data)


def test_a_liaison_asks_and_nothing_changes_until_someone_else_authorizes(
    client_as, cofinanced, treasury
):
    """Finding 1, replayed: the liaison edits his own action, removes its alignment and records
    a $5,000,000 increase; the books and the public page stay as published."""
    poa, action, own_line, _state_line = cofinanced
    liaison, planner = client_as("municipal_liaison"), client_as("planner")
    public = Client()
    name, alignments = action.name, set(action.alignments.values_list("pk", flat=True))
    before = public_total(public, poa.fiscal_year)

    modification = ask(liaison, poa)
    edit = liaison.post(
        reverse("budgeting:action_edit", args=[action.pk]),
        {
            "key": action.key,
            "name": "Obra sin revisar",
            "kind": action.kind,
            "modality": action.modality_id,
            "target": "100",
            "target_unit": action.target_unit,
            "calendar_kind": "quarterly",
            "cal-q1": "25",
            "cal-q2": "25",
            "cal-q3": "25",
            "cal-q4": "25",
            "modification": modification.pk,
        },
    )
    assert edit.status_code == 302
    element = action.alignments.get()
    liaison.post(
        reverse("budgeting:action_unalign", args=[action.pk, element.pk]),
        {"modification": modification.pk},
    )
    no_document = request_money(liaison, own_line, modification, "5000000.00", document=False)
    assert "Adjunte el documento soporte" in no_document.text
    assert not RequestedChange.objects.filter(modification=modification).exists()
    request_money(liaison, own_line, modification, "5000000.00")

    action.refresh_from_db()
    own_line.refresh_from_db()
    assert action.name == name
    assert set(action.alignments.values_list("pk", flat=True)) == alignments
    assert own_line.modified == Decimal("1000000.00")
    assert public_total(public, poa.fiscal_year) == before
    assert (
        "Obra sin revisar"
        not in public.get(reverse("portal:action", args=[poa.fiscal_year, action.pk])).text
    )
    staff = planner.get(reverse("budgeting:action_detail", args=[action.pk])).text
    assert "Cambios en espera de autorización" in staff
    assert name in staff
    assert "Obra sin revisar" in staff

    # The liaison cannot decide it; beyond the threshold, neither can the planner.
    assert (
        liaison.post(
            reverse("budgeting:modification_authorize", args=[modification.pk])
        ).status_code
        == 403
    )
    refused = planner.post(
        reverse("budgeting:modification_authorize", args=[modification.pk]), follow=True
    )
    assert "va al Cabildo" in refused.text
    modification.refresh_from_db()
    assert modification.status == Modification.Status.OPEN
    assert not Movement.objects.filter(modification=modification).exists()


def test_within_the_threshold_the_planner_authorizes_and_it_takes_effect(client_as, cofinanced):
    poa, action, own_line, _ = cofinanced
    liaison, planner = client_as("municipal_liaison"), client_as("planner")
    public = Client()
    before = public_total(public, poa.fiscal_year)
    modification = ask(liaison, poa)
    request_money(liaison, own_line, modification, "150000.00")
    assert public_total(public, poa.fiscal_year) == before
    liaison.post(
        reverse("budgeting:action_edit", args=[action.pk]),
        {
            "key": action.key,
            "name": "Obra ampliada",
            "kind": action.kind,
            "modality": action.modality_id,
            "target": str(action.target),
            "target_unit": action.target_unit,
            "calendar_kind": "quarterly",
            **{f"cal-q{n}": value for n, value in enumerate(action.calendar, start=1)},
            "modification": modification.pk,
        },
    )
    assert ActionChange.objects.filter(modification=modification, action=action).exists()

    page = planner.get(reverse("budgeting:modification_detail", args=[modification.pk])).text
    assert "Autorizar la modificación" in page
    assert "oficio.pdf" in page
    planner.post(reverse("budgeting:modification_authorize", args=[modification.pk]))

    modification.refresh_from_db()
    own_line.refresh_from_db()
    action.refresh_from_db()
    assert modification.status == Modification.Status.APPLIED
    assert modification.decided_by.username == "planner"
    assert own_line.modified == Decimal("1150000.00")
    assert action.name == "Obra ampliada"
    approved, modified, _exercised = public_total(public, poa.fiscal_year)
    assert (approved, modified) == (before[0], "$1,650,000.00")
    public_cache.NAMESPACE = f"test-{uuid.uuid4().hex}"
    page = public.get(reverse("portal:action", args=[poa.fiscal_year, action.pk])).text
    assert "Obra ampliada" in page


def test_who_asked_never_decides(client_as, cofinanced, treasury):
    poa, _action, own_line, _ = cofinanced
    planner = client_as("planner")
    modification = ask(planner, poa, reason="Ampliación pedida por IMPLAN")
    request_money(planner, own_line, modification, "1000.00")

    page = planner.get(reverse("budgeting:modification_detail", args=[modification.pk])).text
    assert "Autorizar la modificación" not in page
    refused = planner.post(
        reverse("budgeting:modification_authorize", args=[modification.pk]), follow=True
    )
    assert "otra persona" in refused.text
    assert Modification.objects.get(pk=modification.pk).status == Modification.Status.OPEN

    treasury.post(reverse("budgeting:modification_authorize", args=[modification.pk]))
    modification.refresh_from_db()
    assert modification.status == Modification.Status.APPLIED
    assert modification.decided_by.username == "tesoreria"


def test_small_changes_add_up_to_the_threshold(client_as, cofinanced, treasury):
    """A large increase split into small modifications still goes to the Cabildo: $300,000
    and $300,000 pass the $400,000 together."""
    poa, _action, own_line, _ = cofinanced
    liaison = client_as("municipal_liaison")
    first = ask(liaison, poa)
    request_money(liaison, own_line, first, "300000.00")
    treasury.post(reverse("budgeting:modification_authorize", args=[first.pk]))
    assert Modification.objects.get(pk=first.pk).status == Modification.Status.APPLIED

    second = ask(liaison, poa)
    request_money(liaison, own_line, second, "300000.00")
    assert modifications.needs_the_cabildo(second)
    refused = treasury.post(
        reverse("budgeting:modification_authorize", args=[second.pk]), follow=True
    )
    assert "va al Cabildo" in refused.text
    assert Modification.objects.get(pk=second.pk).status == Modification.Status.OPEN


def test_the_treasury_rejects_with_a_reason(client_as, cofinanced, treasury):
    poa, action, own_line, _ = cofinanced
    liaison = client_as("municipal_liaison")
    modification = ask(liaison, poa)
    request_money(liaison, own_line, modification, "1000.00")

    blank = treasury.post(reverse("budgeting:modification_reject", args=[modification.pk]), {})
    assert blank.status_code == 400
    assert Modification.objects.get(pk=modification.pk).status == Modification.Status.OPEN
    treasury.post(
        reverse("budgeting:modification_reject", args=[modification.pk]),
        {"reason": "Sin suficiencia presupuestal"},
    )
    modification.refresh_from_db()
    own_line.refresh_from_db()
    assert modification.status == Modification.Status.REJECTED
    assert modification.decision_reason == "Sin suficiencia presupuestal"
    assert own_line.modified == Decimal("1000000.00")
    page = liaison.get(reverse("budgeting:modification_detail", args=[modification.pk])).text
    assert "Sin suficiencia presupuestal" in page


@pytest.mark.parametrize(
    ("persona_name", "status"),
    [("state_liaison", 403), ("citizen_rep", 403), ("council_member", 403)],
)
def test_only_who_runs_the_action_asks_for_its_money(client_as, cofinanced, persona_name, status):
    """A co-financer (the state agency), a citizen or a council member does not request an
    increase of Obras Públicas' line, nor open a modification of the POA."""
    poa, _action, own_line, state_line = cofinanced
    planner = client_as("planner")
    modification = ask(planner, poa)
    client = client_as(persona_name)
    for line in (own_line, state_line):
        assert request_money(client, line, modification, "1000.00").status_code == status
    opened = client.post(reverse("budgeting:modification_open", args=[poa.pk]), {"reason": "x"})
    assert opened.status_code == status
    assert not RequestedChange.objects.filter(modification=modification).exists()
    assert Modification.objects.filter(poa=poa).count() == 2  # the fixture's and the planner's
