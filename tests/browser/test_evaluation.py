"""Evaluation's pages in a real browser with the whole demo loaded: the planner and the
municipal liaison find no accessibility violation (axe), nothing blocked by our CSP, and no
sideways scrolling on a 390-px phone (wide tables scroll inside their own frame)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from budgeting import demo as budgeting_demo
from evaluation import demo as evaluation_demo
from evaluation.models import Evaluation, Indicator, Recommendation
from phases import demo as phases_demo
from pmot.information import demo as information_demo
from pmot.planning import demo as planning_demo
from pmot.planning.models import PlanElement

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def evaluated(demo_site):
    information_demo.load()
    planning_demo.load()
    phases_demo.load()
    budgeting_demo.load()
    evaluation_demo.load()
    return demo_site


def paths(username):
    indicator = Indicator.objects.filter(reporter__acronym="SOP").order_by("key").first()
    strategy = PlanElement.objects.filter(plan__key="pmot", level=1).order_by("pk").first()
    common = [
        reverse("evaluation:indicator_list"),
        reverse("evaluation:indicator_to_report"),
        reverse("evaluation:indicator_detail", args=[indicator.pk]),
        reverse("evaluation:dashboard"),
        reverse("evaluation:chain", args=[strategy.pk]),
        reverse("evaluation:evaluation_list"),
        reverse("evaluation:evaluation_detail", args=[Evaluation.objects.first().pk]),
        reverse("evaluation:recommendation_list"),
        reverse("evaluation:recommendation_detail", args=[Recommendation.objects.first().pk]),
    ]
    if username == "planeacion":
        common += [
            reverse("evaluation:chain_index"),
            reverse("evaluation:quarterly_report"),
            reverse("evaluation:target_edit", args=[indicator.pk]),
        ]
    return common


def fits(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("username", ["planeacion", "obras"])
def test_evaluation_pages_are_accessible_unblocked_and_fit_a_phone(
    new_context, evaluated, log_in, username
):
    context = new_context(viewport=PHONE)
    page = log_in(context.new_page(), username)
    blocked = []
    page.on(
        "console",
        lambda message: "Content-Security-Policy" in message.text and blocked.append(message.text),
    )
    for path in paths(username):
        response = page.goto(evaluated.url + path)
        assert response.status == 200, path
        results = Axe().run(page)
        assert results.violations_count == 0, f"{path}:\n{results.generate_report()}"
        assert fits(page) <= 0, f"{path} scrolls sideways by {fits(page)}px on a phone"
    assert blocked == []
    context.close()
