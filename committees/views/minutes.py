"""Minutes: drafting, editing and their PDF."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from committees import services
from committees.forms import (
    MinutesForm,
)
from committees.models import (
    Minutes,
)
from committees.views.common import conducted_session, pdf_response
from pmot.core.feedback import service_call
from pmot.core.permissions import get_object_for_view, user_can


@require_POST
def minutes_create(request: HttpRequest, pk: int) -> HttpResponse:
    session = conducted_session(request, pk)
    minutes = None

    def draft():
        nonlocal minutes
        minutes = services.minutes_draft(session=session)

    if service_call(request, draft, _("Minutes drafted from the session's records.")):
        return redirect("committees:minutes_detail", pk=minutes.pk)
    return redirect("committees:session_detail", pk=session.pk)


@require_http_methods(["GET", "POST"])
def minutes_detail(request: HttpRequest, pk: int) -> HttpResponse:
    minutes = get_object_for_view(
        request.user, Minutes.objects.select_related("session__body", "approved_by"), pk=pk
    )
    can_conduct = user_can(request.user, "committees.conduct_body", minutes.session.body)
    form = MinutesForm(
        request.POST if request.method == "POST" else None, initial={"text": minutes.text}
    )
    if request.method == "POST":
        if not can_conduct:
            raise PermissionDenied
        if form.is_valid() and service_call(
            request,
            lambda: services.minutes_edit(minutes=minutes, text=form.cleaned_data["text"]),
            _("Draft saved."),
        ):
            return redirect("committees:minutes_detail", pk=minutes.pk)
    template = "committees/_pdf_status.html" if request.htmx else "committees/minutes_detail.html"
    return render(
        request,
        template,
        {
            "minutes": minutes,
            "form": form,
            "can_conduct": can_conduct,
            "document": minutes.pdf,
            "download_url": reverse("committees:minutes_pdf", args=[minutes.pk]),
            "poll_url": reverse("committees:minutes_detail", args=[minutes.pk]),
        },
    )


@require_safe
def minutes_pdf(request: HttpRequest, pk: int) -> FileResponse:
    minutes = get_object_for_view(request.user, Minutes.objects.all(), pk=pk)
    return pdf_response(minutes.pdf)
