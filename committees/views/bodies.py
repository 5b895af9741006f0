"""Bodies and their members."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from committees import selectors, services
from committees.forms import LeaveForm
from committees.models import (
    Body,
    Designation,
    Leave,
    Member,
)
from committees.views.common import require_conduct
from pmot.core.feedback import service_call
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
            "leaves": Leave.objects.filter(member__body=body).select_related(
                "member__user", "agreement"
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def leave_create(request: HttpRequest, key: str) -> HttpResponse:
    """Record a titular's request for leave; in the Cabildo it then goes on an agenda item."""
    body = get_object_for_view(request.user, Body.objects.all(), key=key)
    require_conduct(request.user, body)
    titulars = selectors.members_of(body).filter(standing=Member.Standing.TITULAR)
    form = LeaveForm(request.POST if request.method == "POST" else None, members=titulars)
    if (
        request.method == "POST"
        and form.is_valid()
        and service_call(
            request,
            lambda: services.leave_request(**form.cleaned_data),
            _("Request for leave recorded."),
        )
    ):
        if body.kind == Body.Kind.CABILDO:
            messages.info(
                request,
                _("Put it on the agenda of a session: the Cabildo approves it by vote."),
            )
        return redirect("committees:body_detail", key=body.key)
    return render(request, "committees/leave_form.html", {"form": form, "body": body})
