"""Four eyes on physical progress in a real browser (issue 19): the liaison of Obras Públicas
reports a quarter from the action's page, the public page keeps the validated figure, the
planner validates it from the queue "Avances por validar" and the public page shows it."""

# The fixtures of tests/browser/test_poa are imported, then named as arguments.
# ruff: noqa: F811

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from budgeting.models import ProgressReport
from tests.browser.test_poa import approved_site, poa_site  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def _public_physical(new_context, site, action) -> str:
    """The physical progress an anonymous visitor reads on the action's public page."""
    context = new_context()
    page = context.new_page()
    url = reverse("portal:action", kwargs={"year": action.poa.fiscal_year, "pk": action.pk})
    assert page.goto(site.url + url).status == 200
    figure = page.locator(".stat", has_text="avance físico").locator(".stat__value").inner_text()
    context.close()
    return figure.replace("\xa0", " ")


def test_a_liaisons_progress_is_public_once_the_planner_validates_it(
    new_context, approved_site, log_in, csp_violations
):
    site, _draft, action = approved_site  # 150 of 400 metres validated: 37.5 %
    assert _public_physical(new_context, site, action) == "37.5 %"

    # The liaison of Obras Públicas reports the second quarter from the action's page.
    liaison = new_context()
    page = log_in(liaison.new_page(), "obras")
    page.goto(site.url + reverse("budgeting:action_detail", args=[action.pk]))
    page.get_by_text("Reportar avance", exact=True).click()
    page.get_by_role("combobox", name="Periodo").select_option("2")
    page.get_by_role("spinbutton", name="Logrado en el periodo").fill("100")
    page.get_by_role("button", name="Reportar el avance").click()
    page.wait_for_url(re.compile(r"/acciones/\d+/$"))
    assert "el IMPLAN lo validará" in page.content()
    assert page.locator(".progress-shares", has_text="por validar").count() == 1
    liaison.close()
    assert ProgressReport.objects.get(action=action, period=2).status == "reported"

    # Until IMPLAN validates it, the public page keeps the validated figure.
    assert _public_physical(new_context, site, action) == "37.5 %"

    # The planner finds it from the start page and validates it from the queue.
    planner = new_context()
    page = log_in(planner.new_page(), "planeacion")
    page.get_by_role("link", name="Avances por validar").first.click()
    page.wait_for_url(re.compile(r"/avances/por-validar/"))
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    row = page.locator("tr", has_text=action.key)
    row.get_by_role("button", name=re.compile("^Validar")).click()
    page.wait_for_url(re.compile(r"/avances/por-validar/"))
    assert "Avance validado" in page.content()
    assert "Ningún avance está por validar." in page.content()
    planner.close()

    assert _public_physical(new_context, site, action) == "62.5 %"  # 250 of 400
    assert csp_violations == []
