"""Four eyes, walked through the pages (issue 19): Obras Públicas' liaison requests an increase
of its action's line, with its supporting document; the public total does not move; IMPLAN's
planner authorizes it from the POA's page; the public total moves, and the modification's
history page shows the request, who asked, who decided and the decision."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from budgeting.models import (
    ExpenseItem,
    FunctionalClass,
    FundingSource,
    Modification,
    ProgramModality,
)
from budgeting.services import money
from budgeting.services import poa as poa_services
from pmot.actors.demo import calendar
from pmot.actors.models import Organization, User
from pmot.core.pdf import one_page_pdf
from pmot.planning import demo as planning_demo
from pmot.planning.models import PlanElement
from tests.budgeting.approval import cabildo_approves

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def approved_poa(demo_site, settings):
    """The 2026 POA of one public work of Obras Públicas, $2,500,000 approved by the demo's
    Cabildo. The office that holds the budget authorizes up to $500,000 of change."""
    settings.PMOT_MODIFICATION_CABILDO_THRESHOLD = Decimal("500000")
    planning_demo.load()
    poa = poa_services.poa_create(fiscal_year=2026)
    action = poa_services.action_save(
        poa=poa,
        key="A-01",
        name="Rehabilitación de la red de agua potable del oriente",
        kind="public_works",
        responsible=Organization.objects.get(acronym="SOP"),
        modality=ProgramModality.objects.get(key="K"),
        target=Decimal("400"),
        target_unit="metros de tubería",
        calendar_kind="quarterly",
        calendar=[100, 100, 100, 100],
    )
    poa_services.action_align(
        action=action, elements=[PlanElement.objects.get(plan__key="pmot", key="PMOT-2.1.2")]
    )
    line = money.line_add(
        action=action,
        source=FundingSource.objects.get(key="propios"),
        expense_item=ExpenseItem.objects.get(key="6140"),
        functional=FunctionalClass.objects.get(key="2.2.1"),
    )
    money.movement_record(
        line=line,
        stage="approved",
        amount="2500000.00",
        date=datetime.date(2026, 1, 2),
        by=User.objects.get(username="planeacion"),
        reference="Presupuesto de egresos 2026",
    )
    poa_services.action_submit(action=action)
    poa_services.poa_submit(poa=poa)
    cabildo_approves(poa, starts_at=calendar().at(12, 11, 10, years=-1))
    return demo_site, poa, action


def modified_total(new_context, site, year) -> str:
    """The modified total a citizen reads on the public POA page."""
    context = new_context()
    page = context.new_page()
    page.goto(site.url + reverse("portal:poa_year", args=[year]))
    figure = page.locator(".stat", has_text="modificado").locator(".stat__value").inner_text()
    context.close()
    return figure


def test_a_liaisons_increase_waits_for_the_planner_then_reaches_the_public(
    new_context, approved_poa, log_in, tmp_path
):
    site, poa, action = approved_poa
    assert modified_total(new_context, site, 2026) == "$2,500,000.00"

    # The liaison asks, from the POA's page and then the action's.
    liaison = log_in(new_context().new_page(), "obras")
    liaison.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="POA"
    ).click()
    liaison.get_by_role("link", name="POA 2026").click()
    liaison.get_by_label("Motivo").fill("Ampliación por la segunda etapa de la red")
    liaison.get_by_role("button", name="Solicitar una modificación").click()
    liaison.wait_for_url("**/modificaciones/**")
    liaison.get_by_role("link", name="POA 2026").click()
    liaison.get_by_role("link", name="A-01").click()
    liaison.get_by_text("Registrar un movimiento").click()
    liaison.get_by_label("Etapa").select_option(label="Ampliación")
    liaison.get_by_label("Importe (MXN)").fill("100000")
    liaison.get_by_label("Fecha").fill("2026-06-15")
    liaison.get_by_label("Referencia").fill("Oficio SOP/245/2026")
    letter = tmp_path / "oficio_ampliacion.pdf"
    letter.write_bytes(one_page_pdf("Oficio SOP/245/2026"))
    liaison.get_by_label("Documento soporte").set_input_files(letter)
    liaison.get_by_role("button", name="Registrar el movimiento").click()
    liaison.wait_for_url("**/modificaciones/**")
    assert "oficio_ampliacion.pdf" in liaison.content()
    assert "Autorizar la modificación" not in liaison.content()

    # Nothing reached the books or the public.
    assert modified_total(new_context, site, 2026) == "$2,500,000.00"

    # The planner authorizes it from the POA's page.
    planner = log_in(new_context().new_page(), "planeacion")
    planner.goto(site.url + reverse("budgeting:poa_detail", args=[poa.pk]))
    planner.get_by_role("link", name="M1").click()
    assert "Ricardo Pérez Núñez" in planner.content()  # who asked
    planner.get_by_role("button", name="Autorizar la modificación").click()
    planner.wait_for_load_state()
    assert "Modificación autorizada" in planner.content()
    assert "Autorizada por" in planner.content()
    assert "Jorge Ramírez Luna" in planner.content()

    # The modification's history: the request, who asked, who decided and what.
    planner.get_by_role("link", name="Historial").click()
    history = planner.locator("ol.history").inner_text()
    assert "Ampliación $100,000.00" in history  # the request…
    assert "Ricardo Pérez Núñez" in history  # …by the liaison
    assert "Abierta → Aplicada" in history  # the decision…
    assert "Jorge Ramírez Luna" in history  # …by the planner

    assert modified_total(new_context, site, 2026) == "$2,600,000.00"
    modification = Modification.objects.get(poa=poa)
    assert modification.status == Modification.Status.APPLIED
    assert modification.by.username == "obras"
    assert modification.decided_by.username == "planeacion"
