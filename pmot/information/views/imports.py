"""Pages of the import of territorial units: the upload and its status."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from pmot.core.imports import import_status_context
from pmot.core.permissions import require_perm
from pmot.information.forms import UnitImportForm
from pmot.information.models import UnitImport
from pmot.information.services import imports as services


@require_http_methods(["GET", "POST"])
def unit_import(request: HttpRequest) -> HttpResponse:
    """Upload a file: it is bounded at once, then imported in the background; the page of the
    import follows it."""
    require_perm(request.user, "information.import_territorialunit")
    form = UnitImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            record = services.unit_import_receive(
                upload=form.cleaned_data["file"],
                update_existing=form.cleaned_data["update_existing"],
                by=request.user,
            )
        except ValidationError as error:
            problems = error.messages
        else:
            return redirect("information:unit_import_status", pk=record.pk)
    return render(
        request,
        "information/unit_import.html",
        {"form": form, "problems": problems, "max_mb": settings.PMOT_MAX_UPLOAD_MB},
        status=400 if problems or form.errors else 200,
    )


@require_safe
def unit_import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The page that waits for an import; htmx asks for its status part until it is over."""
    require_perm(request.user, "information.import_territorialunit")
    record = get_object_or_404(UnitImport.objects.select_related("requested_by"), pk=pk)
    context = {
        **import_status_context(request, record, retry_url=reverse("information:unit_import")),
        "features": True,
    }
    template = "_import_status.html" if request.htmx else "import_status.html"
    return render(request, f"information/{template}", context)
