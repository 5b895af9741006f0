"""The staff's start page, where each person lands after login on what they must do, and the
hand-over report (*entrega-recepción*) of an administration as a PDF: asked for with a POST,
rendered in the background, followed on a page that htmx refreshes until the file is ready (as
evaluation's PDFs: evaluation/views/pdfs.py)."""

import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from pmot.actors import selectors as actor_selectors
from pmot.actors.models import Administration, Organization
from pmot.actors.roles import Sector
from pmot.core.downloads import storage_response
from pmot.core.models import Job
from pmot.core.outbox import document_token
from pmot.core.permissions import restrict
from pmot.core.progress import job_or_404, pdf_job_status
from pmot.portal.selectors import dashboard as selectors
from pmot.portal.services import handover
from pmot.portal.tasks import render_handover_pdf


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """The staff's start page: what their roles give them to do, their roles, and the
    organizations taking part."""
    memberships = actor_selectors.roles_of(request.user)
    by_sector = dict(
        restrict(Organization.objects.active(), request.user)
        .values_list("sector")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = [(label, by_sector.get(value, 0)) for value, label in Sector.choices]
    top = max(by_sector.values(), default=0)
    sectors = [{"label": label, "count": n, "share": _share(n, top)} for label, n in counts]
    return render(
        request,
        "portal/dashboard.html",
        {
            "memberships": memberships,
            "blocks": selectors.dashboard_for(request.user, memberships),
            "administration": Administration.objects.current().first(),
            "sectors": sectors,
            "organizations_total": sum(by_sector.values()),
            "today": timezone.localdate(),
            "can_handover": handover.can_request(request.user),
        },
    )


def _share(count: int, top: int) -> int:
    """Bar length in steps of 5 %, so CSS classes (no inline styles: CSP) can draw it."""
    return 0 if not top else round(count * 20 / top) * 5


# --- The hand-over report ----------------------------------------------------------------------


def _allow_handover(request: HttpRequest) -> None:
    if not handover.can_request(request.user):
        raise PermissionDenied


@require_safe
def handover_latest(request: HttpRequest) -> HttpResponse:
    """The report of the current administration (or the latest one recorded)."""
    _allow_handover(request)
    administration = (
        Administration.objects.current().first()
        or Administration.objects.order_by("-start_date").first()
    )
    if administration is None:
        return render(request, "portal/staff/handover.html", {"administration": None})
    return redirect("portal:handover_administration", pk=administration.pk)


@require_http_methods(["GET", "POST"])
def handover_administration(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what the report holds and the button that asks for it; POST: ask for it."""
    _allow_handover(request)
    administration = get_object_or_404(Administration, pk=pk)
    if request.method == "POST":
        with transaction.atomic():
            token = document_token(
                user=request.user,
                key_prefix=handover.job_key(""),
                administration_id=administration.pk,
            )
            render_handover_pdf.enqueue(
                administration_id=administration.pk,
                token=token,
                requested_by=request.user,
                key=handover.job_key(token),
            )
        return redirect("portal:handover_status", pk=administration.pk, token=token)
    context = {
        "administration": administration,
        "title": handover.title(administration),
        "others": Administration.objects.exclude(pk=administration.pk).order_by("-start_date"),
    }
    return render(request, "portal/staff/handover.html", context)


def _job(administration: Administration, token: uuid.UUID) -> Job:
    """The job of this report; 404 for a token of another administration's or none."""
    return job_or_404(handover.job_key(str(token)), administration_id=administration.pk)


@require_safe
def handover_status(request: HttpRequest, pk: int, token: uuid.UUID) -> HttpResponse:
    _allow_handover(request)
    administration = get_object_or_404(Administration, pk=pk)
    job = _job(administration, token)
    context = pdf_job_status(job, handover.pdf_path(administration, str(token))) | {
        "administration": administration,
        "title": handover.title(administration),
        "download_url": reverse("portal:handover_download", args=[pk, token]),
        "poll_url": request.path,
    }
    partial = "includes/pdf_status.html"
    return render(request, partial if request.htmx else "portal/staff/handover_pdf.html", context)


@require_safe
def handover_download(request: HttpRequest, pk: int, token: uuid.UUID) -> FileResponse:
    _allow_handover(request)
    administration = get_object_or_404(Administration, pk=pk)
    _job(administration, token)
    return storage_response(
        handover.pdf_path(administration, str(token)),
        filename=handover.pdf_filename(administration),
    )
