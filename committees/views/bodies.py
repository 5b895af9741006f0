"""Bodies and their members."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from committees import selectors
from committees.models import (
    Body,
    Designation,
    Member,
)
from pmot.core.history import last_changed
from pmot.core.permissions import get_object_for_view, require_perm, user_can


@require_safe
def body_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "committees.view_body")
    return render(
        request,
        "committees/body_list.html",
        {
            "bodies": Body.objects.filter(is_active=True).select_related("parent"),
            "in_charge": selectors.body_in_charge(),
            "designations": selectors.designations(),
            "updated": last_changed(Member.objects.all(), Designation.objects.all()),
        },
    )


@require_safe
def body_detail(request: HttpRequest, key: str) -> HttpResponse:
    body = get_object_for_view(request.user, Body.objects.all(), key=key)
    members = list(selectors.members_of(body))
    return render(
        request,
        "committees/body_detail.html",
        {
            "body": body,
            "members": members,
            "composition": selectors.gender_composition(members),
            "sessions": selectors.sessions_list(body=body)[:10],
            "can_conduct": user_can(request.user, "committees.conduct_body", body),
        },
    )
