"""Phase pages in a real browser: accessible, unblocked by our CSP, readable on a phone; and a
deliverable's review through the page, observed and then accepted."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from phases import demo as phases_demo
from phases.models import Deliverable, DeliverableStatus
from pmot.information import demo as information_demo
from pmot.planning import demo as planning_demo

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phases_site(demo_site):
    information_demo.load()
    planning_demo.load()
    phases_demo.load()
    return demo_site


def test_phase_pages_are_accessible_and_fit_a_phone(
    new_context, phases_site, log_in, csp_violations
):
    in_review = Deliverable.objects.get(status=DeliverableStatus.IN_REVIEW)
    paths = [
        reverse("phases:phase_list"),
        reverse("phases:phase_detail", args=[3]),
        reverse("phases:phase_detail", args=[4]),
        reverse("phases:deliverable_detail", args=[in_review.pk]),
        reverse("phases:deliverable_create", args=[3]),
        reverse("phases:activity_create", args=[3]),
        reverse("phases:phase_plan", args=[1]),
    ]
    for viewport in (None, PHONE):
        context = new_context(viewport=viewport) if viewport else new_context()
        page = log_in(context.new_page(), "planeacion")
        for path in paths:
            response = page.goto(phases_site.url + path)
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


def test_a_planner_returns_a_deliverable_with_observations_then_the_gate_shows_it(
    new_context, phases_site, log_in
):
    deliverable = Deliverable.objects.get(status=DeliverableStatus.IN_REVIEW)
    page = log_in(new_context().new_page(), "planeacion")
    page.goto(phases_site.url + reverse("phases:deliverable_detail", args=[deliverable.pk]))
    page.get_by_label("Observaciones").fill("Incluir la zonificación del poniente.")
    page.get_by_role("button", name="Devolver con observaciones").click()
    page.get_by_role("status").filter(has_text="Revisión registrada.").wait_for()
    assert "Incluir la zonificación del poniente." in page.content()
    deliverable.refresh_from_db()
    assert deliverable.status == DeliverableStatus.OBSERVED

    page.goto(phases_site.url + reverse("phases:phase_detail", args=[3]))
    gate = page.get_by_role("region", name="Compuerta: para cerrar la fase")
    assert f"«{deliverable}» está en estado «observado»" in gate.inner_text()
