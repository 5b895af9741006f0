"""POA pages in a real browser: the planner reads the POA table, filters it and opens an
action; every page accessible (axe), unblocked by our CSP and without sideways scroll on a
phone (the wide table scrolls inside its own frame)."""

import datetime
from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from budgeting.models import ExpenseItem, FunctionalClass, FundingSource, ProgramModality
from budgeting.services import money
from budgeting.services import poa as poa_services
from pmot.actors.demo import calendar
from pmot.actors.models import Organization, User
from pmot.planning import demo as planning_demo
from pmot.planning.models import PlanElement
from tests.budgeting.approval import cabildo_approves
from tests.budgeting.progress import validated_progress

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def poa_site(demo_site):
    """A small draft POA of 2027: an aligned public work with its money approved, and a
    procedure not aligned yet."""
    planning_demo.load()
    works = Organization.objects.get(acronym="SOP")
    modality = ProgramModality.objects.get(key="K")
    poa = poa_services.poa_create(fiscal_year=2027)

    def action(key, name, kind):
        return poa_services.action_save(
            poa=poa,
            key=key,
            name=name,
            kind=kind,
            responsible=works,
            modality=modality,
            target=Decimal("400"),
            target_unit="metros de tubería",
            calendar_kind="quarterly",
            calendar=[100, 100, 100, 100],
        )

    water = action("A-01", "Rehabilitación de la red de agua potable del oriente", "public_works")
    poa_services.action_align(
        action=water, elements=[PlanElement.objects.get(plan__key="pmot", key="PMOT-2.1.2")]
    )
    line = money.line_add(
        action=water,
        source=FundingSource.objects.get(key="propios"),
        expense_item=ExpenseItem.objects.get(key="6140"),
        functional=FunctionalClass.objects.get(key="2.2.1"),
    )
    money.movement_record(
        line=line,
        stage="approved",
        amount="2500000.00",
        date=datetime.date(2027, 1, 15),
        by=User.objects.get(username="planeacion"),
        reference="Presupuesto de egresos 2027",
    )
    action("A-02", "Ventanilla única de licencias de construcción", "procedures")
    return demo_site, poa


@pytest.fixture
def approved_site(poa_site):
    """Also a POA of 2026 approved by a vote of the demo's Cabildo and modified once:
    its action's page carries the progress form and the modification selectors."""
    site, draft = poa_site
    water = draft.actions.get(key="A-01")
    poa = poa_services.poa_create(fiscal_year=2026)
    fields = {
        name: getattr(water, name)
        for name in ("key", "name", "kind", "responsible", "modality", "target", "target_unit")
    }
    action = poa_services.action_save(
        poa=poa, calendar_kind="quarterly", calendar=[100, 100, 100, 100], **fields
    )
    poa_services.action_align(action=action, elements=list(water.alignments.all()))
    poa_services.action_submit(action=action)
    poa_services.poa_submit(poa=poa)
    # The demo's Cabildo votes it in an extraordinary session of the December before.
    cabildo_approves(poa, starts_at=calendar().at(12, 11, 10, years=-1))
    planner = User.objects.get(username="planeacion")
    poa_services.modification_open(poa=poa, reason="Convenio con el Gobierno estatal", by=planner)
    validated_progress(action=action, period=1, achieved=Decimal("150"), by=planner)
    return site, draft, action


def poa_paths(poa):
    water, procedure = poa.actions.order_by("key")
    return [
        reverse("budgeting:poa_list"),
        reverse("budgeting:poa_detail", args=[poa.pk]),
        reverse("budgeting:poa_detail", args=[poa.pk]) + "?tipo=procedures&orden=nombre",
        reverse("budgeting:action_detail", args=[water.pk]) + "?plan=pmot",
        reverse("budgeting:action_detail", args=[procedure.pk]),
        reverse("budgeting:action_create", args=[poa.pk]),
        reverse("budgeting:action_edit", args=[water.pk]),
    ]


def test_poa_pages_are_accessible_and_fit_a_phone(
    new_context, approved_site, log_in, csp_violations
):
    site, poa, approved_action = approved_site
    paths = [
        *poa_paths(poa),
        reverse("budgeting:poa_detail", args=[approved_action.poa_id]),
        reverse("budgeting:action_detail", args=[approved_action.pk]) + "?plan=pmot",
        reverse("budgeting:action_edit", args=[approved_action.pk]),
        reverse(
            "budgeting:modification_detail",
            args=[approved_action.poa.modifications.get().pk],
        ),
    ]
    for viewport in (None, PHONE):
        context = new_context(viewport=viewport) if viewport else new_context()
        page = log_in(context.new_page(), "planeacion")
        for path in paths:
            response = page.goto(site.url + path)
            assert response.status == 200, path
            if viewport is None:
                results = Axe().run(page)
                assert results.violations_count == 0, f"{path}:\n{results.generate_report()}"
            else:
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
        context.close()
    assert csp_violations == []


def test_a_planner_filters_the_poa_table_and_opens_an_action(new_context, poa_site, log_in):
    site, poa = poa_site
    page = log_in(new_context().new_page(), "planeacion")
    page.get_by_role("navigation", name="Navegación principal").get_by_role(
        "link", name="POA"
    ).click()
    page.get_by_role("link", name="POA 2027").click()
    table = page.get_by_role("region", name="Cuadro del POA")
    assert "A-01" in table.inner_text()
    assert "$2,500,000.00" in table.inner_text()
    page.get_by_label("Tipo").select_option(label="Trámites")
    page.get_by_role("button", name="Filtrar").click()
    page.wait_for_url("**tipo=procedures**")
    table = page.get_by_role("region", name="Cuadro del POA")
    assert "A-02" in table.inner_text()
    assert "A-01" not in table.inner_text()
    page.get_by_role("link", name="A-02").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Ventanilla única de licencias de construcción"
    )
    assert "No está alineada a ningún elemento del PMOT o del PDM: alinéela primero." in (
        page.content()
    )
