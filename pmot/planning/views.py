from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from pmot.core.permissions import get_object_for_view, require_perm
from pmot.planning import selectors
from pmot.planning.models import Plan


def plan_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "planning.view_plan")
    return render(request, "planning/plan_list.html", {"plans": selectors.plans_list()})


def plan_detail(request: HttpRequest, key: str) -> HttpResponse:
    plan = get_object_for_view(request.user, Plan.objects.select_related("responsible"), key=key)
    return render(
        request,
        "planning/plan_detail.html",
        {"plan": plan, "elements": selectors.plan_tree(plan)},
    )
