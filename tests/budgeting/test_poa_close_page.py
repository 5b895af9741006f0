"""Closing a POA asks for confirmation on a page of its own: it says what closing does and
stops, and shows the POA's figures; the GET changes nothing; only the planners see it."""

import re

import pytest
from django.urls import reverse

from budgeting.models import Poa
from budgeting.services import money
from budgeting.services import poa as poa_services
from tests.budgeting.conftest import DAY
from tests.conftest import ALL_PERSONAS
from tests.documents import supporting_document
from tests.factories import UserFactory

PLANNERS = {"admin", "planner"}
CONFIRM = '<button class="btn btn--danger" type="submit">Cerrar el POA definitivamente</button>'


def close_url(poa):
    return reverse("budgeting:poa_close", args=[poa.pk])


def test_the_page_says_what_closing_does_with_the_poas_figures(client_as, approved_poa):
    poa, _, _ = approved_poa
    page = client_as("planner").get(close_url(poa))
    assert page.status_code == 200
    text = page.text
    assert "No se puede deshacer: un POA cerrado no se vuelve a abrir." in text
    assert "no se registran movimientos: ningún compromiso, devengo, ejercicio ni pago;" in text
    assert "no se abren modificaciones;" in text
    assert "no se reporta avance de sus acciones." in text
    assert re.search(r"Acciones</dt>\s*<dd>1</dd>", text)
    assert re.search(r"Aprobado</dt>\s*<dd>\$1,000,000.00</dd>", text)
    assert re.search(r"Ejercido</dt>\s*<dd>\$0.00</dd>", text)
    # The confirmation posts back to this same page.
    assert CONFIRM in text


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_the_page_by_persona_and_a_get_changes_nothing(client_as, approved_poa, persona_name):
    poa, _, _ = approved_poa
    response = client_as(persona_name).get(close_url(poa))
    if persona_name in PLANNERS:
        assert response.status_code == 200
    elif persona_name == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == (404 if persona_name == "outsider" else 403)
    poa.refresh_from_db()
    assert poa.status == Poa.Status.APPROVED


def test_the_poa_page_links_to_the_confirmation_instead_of_closing(client_as, approved_poa):
    poa, _, _ = approved_poa
    page = client_as("planner").get(reverse("budgeting:poa_detail", args=[poa.pk])).text
    assert f'href="{close_url(poa)}"' in page
    assert f'action="{close_url(poa)}"' not in page


def test_confirming_closes_the_poa(client_as, approved_poa):
    poa, _, _ = approved_poa
    response = client_as("planner").post(close_url(poa))
    assert response["Location"] == reverse("budgeting:poa_detail", args=[poa.pk])
    poa.refresh_from_db()
    assert poa.status == Poa.Status.CLOSED
    # Closed, the page says so and offers nothing to confirm.
    again = client_as("planner").get(close_url(poa)).text
    assert "El POA está cerrado: ya no cambia." in again
    assert CONFIRM not in again


def test_a_draft_poa_is_not_offered_for_closing(client_as, draft_poa):
    page = client_as("planner").get(close_url(draft_poa)).text
    assert "Solo se cierra un POA aprobado." in page
    assert CONFIRM not in page
    refused = client_as("planner").post(close_url(draft_poa), follow=True)
    assert refused.redirect_chain[-1][0] == close_url(draft_poa)
    assert "Solo se cierra un POA aprobado." in refused.text
    draft_poa.refresh_from_db()
    assert draft_poa.status == Poa.Status.DRAFT


def test_a_modification_still_to_decide_is_named_and_blocks_the_close(client_as, approved_poa):
    poa, _, line = approved_poa
    planner = UserFactory()
    modification = poa_services.modification_open(poa=poa, reason="Ampliación FISMDF", by=planner)
    money.change_request(
        document=supporting_document(),
        line=line,
        stage="increase",
        amount="250000.00",
        date=DAY,
        by=planner,
        modification=modification,
    )
    client = client_as("planner")
    page = client.get(close_url(poa)).text
    assert "Aún no se puede cerrar" in page
    assert reverse("budgeting:modification_detail", args=[modification.pk]) in page
    assert "Ampliación FISMDF" in page
    assert CONFIRM not in page
    refused = client.post(close_url(poa), follow=True)
    assert "La modificación M1 aún tiene cambios solicitados por decidir" in refused.text
    poa.refresh_from_db()
    assert poa.status == Poa.Status.MODIFIED
