"""Agreements: lists, follow-up, corrections and certificates."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from committees import selectors, services
from committees.forms import (
    AgreementFollowUpForm,
    CorrectionForm,
    FollowUpForm,
)
from committees.models import (
    Agreement,
    FollowUp,
)
from committees.tasks import render_certificate
from committees.views.common import (
    PAGE_SIZE,
    agreement_context,
    managed_agreement,
    pdf_response,
    require_conduct,
)
from pmot.core.downloads import file_response
from pmot.core.feedback import service_call
from pmot.core.models import Job
from pmot.core.permissions import get_object_for_view, require_perm, user_can


@require_safe
def agreement_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "committees.view_agreement")
    status = request.GET.get("estado", "")
    agreements = selectors.agreements_list(
        status=status if status in Agreement.Status.values else None
    )
    page = Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "committees/agreement_list.html",
        {"page": page, "status": status, "statuses": Agreement.Status.choices},
    )


@require_safe
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_for_view(
        request.user,
        Agreement.objects.select_related("body", "responsible", "item__session", "item__vote"),
        pk=pk,
    )
    can_conduct = user_can(request.user, "committees.conduct_body", agreement.body)
    context = (
        agreement_context(agreement)
        | _certificate_context(agreement)
        | {
            "can_conduct": can_conduct,
            "manage_form": AgreementFollowUpForm(instance=agreement) if can_conduct else None,
            "follow_up_form": FollowUpForm() if can_conduct else None,
            "correction_form": CorrectionForm() if can_conduct else None,
        }
    )
    return render(request, "committees/agreement_detail.html", context)


@require_POST
def certificate_request(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_for_view(request.user, Agreement.objects.select_related("body"), pk=pk)
    require_conduct(request.user, agreement.body)
    with transaction.atomic():
        render_certificate.enqueue(
            agreement_id=agreement.pk, requested_by=request.user, key=f"certificate:{agreement.pk}"
        )
    messages.info(request, _("The certificate is being prepared."))
    return redirect("committees:agreement_detail", pk=agreement.pk)


@require_safe
def certificate_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate's part of the agreement page; htmx asks for it until the file is ready."""
    agreement = get_object_for_view(request.user, Agreement.objects.all(), pk=pk)
    return render(request, "committees/_pdf_status.html", _certificate_context(agreement))


def _certificate_context(agreement: Agreement) -> dict:
    return {
        "document": agreement.certificate,
        "pending": Job.objects.unfinished().filter(key=f"certificate:{agreement.pk}").exists(),
        "download_url": reverse("committees:certificate_pdf", args=[agreement.pk]),
        "poll_url": reverse("committees:certificate_status", args=[agreement.pk]),
    }


@require_safe
def certificate_pdf(request: HttpRequest, pk: int) -> FileResponse:
    agreement = get_object_for_view(request.user, Agreement.objects.all(), pk=pk)
    return pdf_response(agreement.certificate)


@require_POST
def agreement_manage(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = managed_agreement(request, pk)
    form = AgreementFollowUpForm(request.POST, instance=agreement)
    if form.is_valid():
        service_call(
            request,
            lambda: services.agreement_plan(agreement=agreement, **form.cleaned_data),
            _("Changes saved."),
        )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("committees:agreement_detail", pk=agreement.pk)


@require_POST
def follow_up_create(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = managed_agreement(request, pk)
    form = FollowUpForm(request.POST, request.FILES)
    if form.is_valid():
        service_call(
            request,
            lambda: services.follow_up_add(
                agreement=agreement, by=request.user, **form.cleaned_data
            ),
            _("Follow-up recorded."),
        )
    else:
        messages.error(request, _("Give the progress from 0 to 100 % and a note."))
    return redirect("committees:agreement_detail", pk=agreement.pk)


@require_POST
def agreement_correct(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = managed_agreement(request, pk)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        service_call(
            request,
            lambda: services.agreement_correct(
                agreement=agreement, by=request.user, **form.cleaned_data
            ),
            _("Correction recorded as a new version; the voted text stays."),
        )
    else:
        messages.error(request, _("A correction needs the new text and its reason."))
    return redirect("committees:agreement_detail", pk=agreement.pk)


@require_safe
def follow_up_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence files are internal records: read through the same permission as the rest."""
    follow_up = get_object_for_view(request.user, FollowUp.objects.all(), pk=pk)
    return file_response(follow_up.evidence)


@require_safe
def agreement_document(request: HttpRequest, pk: int) -> FileResponse:
    """The scanned signed document of a historical agreement."""
    agreement = get_object_for_view(request.user, Agreement.objects.all(), pk=pk)
    return file_response(agreement.scanned_document)
