"""The POA's charts and alignment coverage in a real browser, with the whole demo loaded: the
planner and a council member (who only reads) see every chart drawn; the pages are accessible
(axe), unblocked by our CSP, and fit a 390-px phone with the charts' text still readable (the
figure tables scroll inside their own frame)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from budgeting import demo as budgeting_demo
from budgeting.models import Poa
from phases import demo as phases_demo
from pmot.actors import demo as actors_demo
from pmot.information import demo as information_demo
from pmot.planning import demo as planning_demo

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
CHARTS = 6


@pytest.fixture
def executed_poa(demo_site):
    """The demo's POA executed and modified: 2026 when loaded in December 2026, and the year
    of the demo's story whenever it is loaded (pmot.actors.demo.calendar)."""
    information_demo.load()
    planning_demo.load()
    phases_demo.load()
    budgeting_demo.load()
    return Poa.objects.get(fiscal_year=actors_demo.calendar().year, unit=None)


def _paths(poa):
    return [
        reverse("budgeting:charts", args=[poa.pk]),
        reverse("budgeting:coverage", args=[poa.pk]),
    ]


def _drawn(page):
    """The charts on the page: how many, and the smallest size their text is drawn at."""
    return page.evaluate(
        """() => {
            const svgs = [...document.querySelectorAll('svg.chart__svg[role="img"]')];
            const marks = svgs.map(s => s.querySelectorAll('rect, path').length);
            const px = svgs.map(
                s => 14 * s.getBoundingClientRect().width / s.viewBox.baseVal.width
            );
            return {
                count: svgs.length, emptiest: Math.min(...marks), smallest_text: Math.min(...px)
            };
        }"""
    )


def test_the_planner_reads_charts_and_coverage_on_a_desktop_and_a_phone(
    new_context, demo_site, executed_poa, log_in, csp_violations
):
    charts_path, coverage_path = _paths(executed_poa)
    for viewport in (None, PHONE):
        context = new_context(viewport=viewport) if viewport else new_context()
        page = log_in(context.new_page(), "planeacion")
        for path in (charts_path, coverage_path):
            response = page.goto(demo_site.url + path)
            assert response.status == 200, path
            results = Axe().run(page)
            assert results.violations_count == 0, f"{path}:\n{results.generate_report()}"
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {viewport}"
        page.goto(demo_site.url + charts_path)
        drawn = _drawn(page)
        assert drawn["count"] == CHARTS
        assert drawn["emptiest"] > 0  # every chart has its bars or its ring
        # 14-unit text is drawn at 12 px or more, even shrunk to the phone's width.
        assert drawn["smallest_text"] >= 12, drawn
        assert page.locator(".chart__table table").count() == CHARTS
        context.close()
    assert csp_violations == []


def test_a_council_member_reads_the_same_charts_and_coverage(
    new_context, demo_site, executed_poa, log_in, csp_violations
):
    page = log_in(new_context(viewport=PHONE).new_page(), "regidora")
    charts_path, coverage_path = _paths(executed_poa)
    assert page.goto(demo_site.url + charts_path).status == 200
    assert _drawn(page)["count"] == CHARTS
    assert page.get_by_role("img", name="Por orden de gobierno").count() == 1
    assert page.goto(demo_site.url + coverage_path).status == 200
    assert page.get_by_role("heading", name="Por estrategia del PMOT").count() == 1
    assert page.locator("main form").count() == 0  # nothing to change here
    assert csp_violations == []
