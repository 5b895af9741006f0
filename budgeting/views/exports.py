"""The POA table out (XLSX, CSV, and a PDF rendered in the background) and actions in (XLSX or
CSV, imported in the background). Whoever may read a POA takes its table away; only planners
import."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from budgeting.models import Poa, PoaImport
from budgeting.selectors import poa_actions
from budgeting.services import exports, imports
from budgeting.tasks import render_poa_table_pdf
from pmot.core.downloads import storage_response
from pmot.core.imports import import_status_context
from pmot.core.models import Job
from pmot.core.outbox import document_token
from pmot.core.permissions import get_object_for_view, require_perm
from pmot.core.progress import job_or_404, pdf_job_status
from pmot.core.spreadsheets import table_response

IMPORT_PERM = "budgeting.add_action"


def _poa(request: HttpRequest, pk) -> Poa:
    return get_object_for_view(request.user, Poa.objects.select_related("unit"), pk=pk)


@require_safe
def table_export(request: HttpRequest, pk: str, fmt: str) -> HttpResponse:
    poa = _poa(request, pk)
    actions = poa_actions(poa, exports.filters_from(request.GET, poa))
    numbers = float if fmt == "xlsx" else exports.exact
    rows = exports.table_rows(actions, numbers=numbers)
    return table_response(exports.table_filename(poa), fmt, exports.TABLE_HEADER, rows)


# --- PDF -------------------------------------------------------------------------------------


@require_POST
def pdf_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the PDF of the table as filtered (the query string of the page)."""
    poa = _poa(request, pk)
    filters = exports.filters_from(request.GET, poa)
    with transaction.atomic():
        # One pending PDF per person and table: a second request joins the first.
        token = document_token(
            user=request.user,
            key_prefix=exports.pdf_job_key(""),
            poa_id=poa.pk,
            filters=exports.pdf_kwargs(poa, filters, "")["filters"],
        )
        render_poa_table_pdf.enqueue(
            **exports.pdf_kwargs(poa, filters, token),
            requested_by=request.user,
            key=exports.pdf_job_key(token),
        )
    return redirect("budgeting:poa_table_pdf_status", pk=poa.pk, token=token)


def _pdf_job(poa: Poa, token: uuid.UUID) -> Job:
    """The job of this POA's PDF; 404 for a token of another POA or none at all."""
    return job_or_404(exports.pdf_job_key(str(token)), poa_id=poa.pk)


@require_safe
def pdf_status(request: HttpRequest, pk: int, token: uuid.UUID) -> HttpResponse:
    """The page that waits for the PDF; htmx asks for its status part until the file is ready."""
    poa = _poa(request, pk)
    job = _pdf_job(poa, token)
    context = pdf_job_status(job, exports.pdf_path(poa, str(token))) | {
        "poa": poa,
        "download_url": reverse("budgeting:poa_table_pdf_download", args=[poa.pk, token]),
        "poll_url": request.path,
    }
    partial = "includes/pdf_status.html"
    return render(request, partial if request.htmx else "budgeting/exports/pdf.html", context)


@require_safe
def pdf_download(request: HttpRequest, pk: int, token: uuid.UUID) -> FileResponse:
    poa = _poa(request, pk)
    _pdf_job(poa, token)
    return storage_response(
        exports.pdf_path(poa, str(token)), filename=f"{exports.table_filename(poa)}.pdf"
    )


# --- Import ----------------------------------------------------------------------------------


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (XLSX or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


@require_http_methods(["GET", "POST"])
def poa_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a file: it is checked at once, then imported in the background; the page of the
    import follows it."""
    poa = _poa(request, pk)
    require_perm(request.user, IMPORT_PERM)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            record = imports.import_receive(
                poa=poa, upload=form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            problems = error.messages
        else:
            return redirect("budgeting:poa_import_status", pk=poa.pk, import_pk=record.pk)
    context = {
        "poa": poa,
        "form": form,
        "problems": problems,
        "columns": imports.COLUMNS,
        "optional": imports.OPTIONAL,
    }
    status = 400 if problems or form.errors else 200
    return render(request, "budgeting/exports/import.html", context, status=status)


@require_safe
def import_status(request: HttpRequest, pk: int, import_pk: int) -> HttpResponse:
    """The page that waits for an import; htmx asks for its status part until it is over."""
    poa = _poa(request, pk)
    require_perm(request.user, IMPORT_PERM)
    record = get_object_or_404(PoaImport.objects.filter(poa=poa), pk=import_pk)
    context = {
        "poa": poa,
        **import_status_context(
            request, record, retry_url=reverse("budgeting:poa_import", args=[poa.pk])
        ),
    }
    template = "_import_status.html" if request.htmx else "import_status.html"
    return render(request, f"budgeting/exports/{template}", context)


@require_safe
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """An empty spreadsheet with the import's columns and one example row."""
    require_perm(request.user, IMPORT_PERM)
    header = [*imports.COLUMNS, *imports.OPTIONAL]
    example = dict(zip(header, [""] * len(header), strict=True)) | imports.EXAMPLE
    return table_response("plantilla-acciones-poa", fmt, header, [list(example.values())])
