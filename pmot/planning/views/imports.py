"""Pages of the import of a plan's tree from a spreadsheet: the upload and its status."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from pmot.core.imports import import_status_context
from pmot.core.permissions import require_perm
from pmot.planning.forms import (
    ImportForm,
)
from pmot.planning.models import PlanImport
from pmot.planning.services import imports as services
from pmot.planning.views.plans import plan_for_view


@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest, key: str) -> HttpResponse:
    """Upload a file: it is bounded at once, then imported in the background; the page of the
    import follows it."""
    plan = plan_for_view(request, key)
    require_perm(request.user, "planning.add_planelement")
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            record = services.plan_import_receive(
                plan=plan, upload=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            problems = error.messages
        else:
            return redirect("planning:plan_import_status", key=plan.key, import_pk=record.pk)
    status = 400 if problems or form.errors else 200
    return render(
        request,
        "planning/plan_import.html",
        {"plan": plan, "form": form, "problems": problems},
        status=status,
    )


@require_safe
def plan_import_status(request: HttpRequest, key: str, import_pk: int) -> HttpResponse:
    """The page that waits for an import; htmx asks for its status part until it is over."""
    plan = plan_for_view(request, key)
    require_perm(request.user, "planning.add_planelement")
    record = get_object_or_404(PlanImport.objects.filter(plan=plan), pk=import_pk)
    context = {
        "plan": plan,
        **import_status_context(
            request, record, retry_url=reverse("planning:plan_import", args=[plan.key])
        ),
    }
    template = "_import_status.html" if request.htmx else "import_status.html"
    return render(request, f"planning/{template}", context)
