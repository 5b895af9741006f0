"""Planning pages in a real browser: accessible, unblocked by our CSP, readable on a phone, and
a plan tree imported through the page — refused whole with its bad row named, then accepted."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from pmot.planning import demo as planning_demo
from pmot.planning.models import Plan, PlanElement, PlanImport
from pmot.planning.services import imports as planning_services

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def planning_site(demo_site):
    planning_demo.load()
    return demo_site


def planning_paths():
    strategy = PlanElement.objects.get(plan__key="pmot", key="PMOT-2.1.2")
    pdm = planning_demo.pdm_key()  # "pdm-2024-2027" while that administration is in office
    return [
        reverse("planning:program_detail"),
        reverse("planning:program_edit"),
        reverse("planning:plan_list"),
        reverse("planning:plan_create"),
        reverse("planning:plan_detail", args=[pdm]),
        reverse("planning:plan_edit", args=[pdm]),
        reverse("planning:plan_import", args=["pmot"]),
        reverse("planning:alignment_matrix", args=["pmot"]),
        reverse("planning:alignment_matrix", args=[pdm]) + "?brechas=1",
        reverse("planning:element_detail", args=["pmot", strategy.pk]) + "?con=ods",
        reverse("planning:element_create", args=["pmot"]) + f"?superior={strategy.parent_id}",
    ]


def test_planning_pages_are_accessible_and_fit_a_phone(
    new_context, planning_site, log_in, csp_violations
):
    for viewport in (None, PHONE):
        context = new_context(viewport=viewport) if viewport else new_context()
        page = log_in(context.new_page(), "planeacion")
        for path in planning_paths():
            response = page.goto(planning_site.url + path)
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


def test_a_planner_imports_a_tree_through_the_page(new_context, planning_site, log_in, tmp_path):
    plan = Plan.objects.create(
        key="ps-movilidad",
        name="Programa sectorial de movilidad",
        order=Plan.Order.SECTORAL,
        sector=Plan.Sector.URBAN,
        level_names=["Objetivo", "Estrategia"],
    )
    page = log_in(new_context().new_page(), "planeacion")
    page.goto(planning_site.url + reverse("planning:plan_detail", args=[plan.key]))
    page.get_by_role("link", name="Importar de una hoja de cálculo").click()

    bad = tmp_path / "movilidad.csv"
    bad.write_text(
        "clave,clave_superior,nombre\n"
        "M1,,Movilidad activa\n"
        "M1.1,M1,Red de ciclovías\n"
        "M1.1.1,M1.1,Un tercer nivel que el plan no tiene\n",
        encoding="utf-8",
    )
    page.get_by_label("Hoja de cálculo (XLSX o CSV)").set_input_files(bad)
    page.get_by_role("button", name="Importar", exact=True).click()
    # The request returns at once to the import's page; no worker runs here, so the test does
    # the worker's part, and the page (polling) shows the outcome.
    page.wait_for_url("**/importar/*/")
    planning_services.plan_import_run(plan_import_id=PlanImport.objects.latest("pk").pk)
    alert = page.get_by_role("alert")
    alert.filter(has_text="No se guardó nada.").wait_for()
    assert "Fila 4: el elemento M1.1.1 quedaría en el nivel 3; este plan tiene 2." in (
        alert.inner_text()
    )
    assert not plan.elements.exists()

    good = tmp_path / "movilidad-corregido.csv"
    good.write_text(bad.read_text(encoding="utf-8").rsplit("M1.1.1", 1)[0], encoding="utf-8")
    page.get_by_role("link", name="Subir un archivo corregido").click()
    page.get_by_label("Hoja de cálculo (XLSX o CSV)").set_input_files(good)
    page.get_by_role("button", name="Importar", exact=True).click()
    page.wait_for_url("**/importar/*/")
    planning_services.plan_import_run(plan_import_id=PlanImport.objects.latest("pk").pk)
    page.get_by_role("status").filter(has_text="2 elementos agregados").wait_for()
    page.get_by_role("link", name="Ver el plan").click()
    assert page.get_by_role("link", name="M1.1 Red de ciclovías").is_visible()
