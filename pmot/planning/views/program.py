"""Pages of the program (PMOT): its stages and their history."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from committees.selectors import items_about
from pmot.core.permissions import require_perm
from pmot.core.views import history_page
from pmot.planning import selectors
from pmot.planning.forms import (
    ProgramForm,
)
from pmot.planning.services import program as services


@require_safe
def program_detail(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "planning.view_program")
    program = selectors.the_program()
    return render(
        request,
        "planning/program_detail.html",
        {"program": program, "decisions": items_about(program) if program else []},
    )


@require_http_methods(["GET", "POST"])
def program_edit(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "planning.change_program")
    program = selectors.the_program()
    if program is None:
        raise Http404
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.program_update(program=program, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("planning:program_detail")
    return render(request, "planning/program_form.html", {"form": form, "program": program})


@require_safe
def program_history(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "planning.view_program")
    program = selectors.the_program()
    if program is None:
        raise Http404
    return history_page(
        request,
        record=program,
        back_url=reverse("planning:program_detail"),
    )
