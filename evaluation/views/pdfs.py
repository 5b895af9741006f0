"""The technical sheet and the quarterly progress report as PDFs: asked for with a POST, rendered
in the background, followed on a page that htmx refreshes until the file is ready (as the POA
table's PDF: budgeting/views/exports.py).

Whoever may see an indicator takes its sheet away. The quarterly report covers every
organization, so it is for those who read every indicator (IMPLAN, the council, the
coordinating body, citizens' representatives); an organization's reporters see their own
indicators on their pages."""

import uuid
from collections.abc import Callable

from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from evaluation.models import Indicator
from evaluation.permissions import can_see_indicator
from evaluation.services import pdfs
from evaluation.tasks import render_indicator_sheet_pdf, render_quarterly_report_pdf
from pmot.core.downloads import storage_response
from pmot.core.models import Job
from pmot.core.outbox import document_token
from pmot.core.permissions import require_perm
from pmot.core.progress import job_or_404, pdf_job_status

REPORT_PERM = "evaluation.view_indicator"
FIRST_YEAR, LAST_YEAR = 2000, 2100  # the quarters a report may be asked for


def _indicator(request: HttpRequest, pk: int) -> Indicator:
    """The indicator if the user may see it, else 404."""
    indicator = get_object_or_404(Indicator.objects.select_related("reporter"), pk=pk)
    if not can_see_indicator(request.user, indicator):
        raise Http404
    return indicator


def _quarter(request: HttpRequest, year: int, quarter: int) -> None:
    require_perm(request.user, REPORT_PERM)
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= quarter <= 4):
        raise Http404


def _job(token: uuid.UUID, key: Callable[[str], str], **kwargs) -> Job:
    """The job of this PDF; 404 for a token of another PDF or none at all."""
    return job_or_404(key(str(token)), **kwargs)


def _status(request, job: Job, path: str, download_url: str, context: dict) -> HttpResponse:
    context |= pdf_job_status(job, path) | {
        "download_url": download_url,
        "poll_url": request.path,
    }
    partial = "includes/pdf_status.html"
    return render(request, partial if request.htmx else "evaluation/pdfs/pdf.html", context)


# --- The technical sheet -----------------------------------------------------------------------


@require_POST
def sheet_pdf_request(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    with transaction.atomic():
        token = document_token(
            user=request.user, key_prefix=pdfs.sheet_job_key(""), indicator_id=indicator.pk
        )
        render_indicator_sheet_pdf.enqueue(
            indicator_id=indicator.pk,
            token=token,
            requested_by=request.user,
            key=pdfs.sheet_job_key(token),
        )
    return redirect("evaluation:indicator_sheet_pdf_status", pk=indicator.pk, token=token)


@require_safe
def sheet_pdf_status(request: HttpRequest, pk: int, token: uuid.UUID) -> HttpResponse:
    indicator = _indicator(request, pk)
    job = _job(token, pdfs.sheet_job_key, indicator_id=indicator.pk)
    download_url = reverse("evaluation:indicator_sheet_pdf_download", args=[indicator.pk, token])
    context = {"indicator": indicator, "title": pdfs.sheet_title(indicator)}
    return _status(request, job, pdfs.sheet_path(indicator, str(token)), download_url, context)


@require_safe
def sheet_pdf_download(request: HttpRequest, pk: int, token: uuid.UUID) -> FileResponse:
    indicator = _indicator(request, pk)
    _job(token, pdfs.sheet_job_key, indicator_id=indicator.pk)
    return storage_response(
        pdfs.sheet_path(indicator, str(token)), filename=pdfs.sheet_filename(indicator)
    )


# --- The quarterly progress report -------------------------------------------------------------


@require_safe
def quarterly_report_latest(request: HttpRequest) -> HttpResponse:
    """The report of the last quarter that ended."""
    require_perm(request.user, REPORT_PERM)
    year, quarter = pdfs.last_ended_quarter(timezone.localdate())
    return redirect("evaluation:quarterly_report_pdf", year=year, quarter=quarter)


@require_http_methods(["GET", "POST"])
def quarterly_report_pdf(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    """GET: what the report holds, and the button that asks for it; POST: ask for it."""
    _quarter(request, year, quarter)
    if request.method == "POST":
        with transaction.atomic():
            token = document_token(
                user=request.user,
                key_prefix=pdfs.report_job_key(""),
                year=year,
                quarter=quarter,
            )
            render_quarterly_report_pdf.enqueue(
                year=year,
                quarter=quarter,
                token=token,
                requested_by=request.user,
                key=pdfs.report_job_key(token),
            )
        return redirect(
            "evaluation:quarterly_report_pdf_status", year=year, quarter=quarter, token=token
        )
    previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    following = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    start, end = pdfs.quarter_bounds(year, quarter)
    context = {
        "year": year,
        "quarter": quarter,
        "start": start,
        "end": end,
        "title": pdfs.report_title(year, quarter),
        "previous": previous if previous[0] >= FIRST_YEAR else None,
        "following": following if following[0] <= LAST_YEAR else None,
    }
    return render(request, "evaluation/pdfs/quarterly_report.html", context)


@require_safe
def quarterly_report_pdf_status(
    request: HttpRequest, year: int, quarter: int, token: uuid.UUID
) -> HttpResponse:
    _quarter(request, year, quarter)
    job = _job(token, pdfs.report_job_key, year=year, quarter=quarter)
    download_url = reverse("evaluation:quarterly_report_pdf_download", args=[year, quarter, token])
    context = {
        "year": year,
        "quarter": quarter,
        "title": pdfs.report_title(year, quarter),
        "back_url": reverse("evaluation:quarterly_report_pdf", args=[year, quarter]),
    }
    path = pdfs.report_path(year, quarter, str(token))
    return _status(request, job, path, download_url, context)


@require_safe
def quarterly_report_pdf_download(
    request: HttpRequest, year: int, quarter: int, token: uuid.UUID
) -> FileResponse:
    _quarter(request, year, quarter)
    _job(token, pdfs.report_job_key, year=year, quarter=quarter)
    return storage_response(
        pdfs.report_path(year, quarter, str(token)), filename=pdfs.report_filename(year, quarter)
    )
