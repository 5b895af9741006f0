"""Pages of a modification of an approved POA: opening one (IMPLAN, or the organization that
runs an action of the POA), what it requests and how it is decided (the office that holds the
budget authorizes or rejects it within its power, never the person who asked; a larger change
to the POA's total waits for the Cabildo's vote on it). Every write goes through
budgeting/services."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from budgeting import permissions
from budgeting.forms import ModificationForm, RejectForm
from budgeting.models import Modification, RequestedChange
from budgeting.services import action_changes, modifications
from budgeting.services import poa as services
from budgeting.views.poa import _poa
from committees.selectors import items_about
from pmot.core.downloads import file_response
from pmot.core.feedback import service_call
from pmot.core.permissions import get_object_for_view, require_perm


@require_POST
def modification_open(request: HttpRequest, pk: int) -> HttpResponse:
    poa = _poa(request, pk)
    if not permissions.can_request_modification(request.user, poa):
        raise PermissionDenied
    form = ModificationForm(request.POST)
    if form.is_valid():
        try:
            modification = services.modification_open(poa=poa, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _(
                    "Modification recorded: request its increases and reductions on the budget "
                    "lines of the actions, with their supporting document. Nothing moves until "
                    "the office that holds the budget authorizes it, or the Cabildo approves it "
                    "if it changes the POA's total beyond what that office may authorize."
                ),
            )
            return redirect("budgeting:modification_detail", pk=modification.pk)
    else:
        messages.error(request, _("Say why the POA is modified."))
    return redirect("budgeting:poa_detail", pk=poa.pk)


def _modification(request: HttpRequest, pk: int) -> Modification:
    return get_object_for_view(
        request.user,
        Modification.objects.select_related("poa__unit", "agreement", "by", "decided_by"),
        pk=pk,
    )


@require_safe
def modification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A modification: what it requests (money and changes to actions, beside their published
    version), what that does to the POA's total, who asked, and how it is decided."""
    modification = _modification(request, pk)
    return _detail_page(request, modification)


def _detail_page(request: HttpRequest, modification: Modification, **bound) -> HttpResponse:
    changes = modification.changes.select_related(
        "line__action", "line__source", "by", "movement"
    ).order_by("pk")
    edits = modification.action_changes.select_related("action", "by").order_by("pk")
    net = modifications.net_change(modification.changes.all())
    is_open = modification.is_open
    to_the_cabildo = is_open and modifications.needs_the_cabildo(modification)
    decides = (
        is_open
        and not to_the_cabildo
        and modifications.has_requests(modification)
        and request.user.has_perm("budgeting.authorize_modification")
    )
    asked = decides and request.user.pk in modifications.requesters(modification)
    return render(
        request,
        "budgeting/poa/modification_detail.html",
        {
            "poa": modification.poa,
            "modification": modification,
            "changes": changes,
            "edits": [(edit, action_changes.describe(edit)) for edit in edits],
            "net": net,
            "threshold": settings.PMOT_MODIFICATION_CABILDO_THRESHOLD,
            "waits_for_the_cabildo": to_the_cabildo,
            "under_vote": is_open and services.under_vote(modification),
            "decisions": items_about(modification),
            "can_authorize": decides and not asked,
            "asked_it": asked,
            "reject_form": bound.get("reject_form") or RejectForm(),
        },
        status=400 if bound else 200,
    )


def _deciding(request: HttpRequest, pk: int) -> Modification:
    modification = _modification(request, pk)
    require_perm(request.user, "budgeting.authorize_modification")
    return modification


@require_POST
def modification_authorize(request: HttpRequest, pk: int) -> HttpResponse:
    modification = _deciding(request, pk)
    service_call(
        request,
        lambda: modifications.modification_authorize(modification=modification, by=request.user),
        _(
            "Modification authorized: its increases and reductions moved the modified amounts "
            "and its changes to actions are published."
        ),
    )
    return redirect("budgeting:modification_detail", pk=modification.pk)


@require_POST
def modification_reject(request: HttpRequest, pk: int) -> HttpResponse:
    modification = _deciding(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, modification, reject_form=form)
    service_call(
        request,
        lambda: modifications.modification_reject(
            modification=modification, by=request.user, reason=form.cleaned_data["reason"]
        ),
        _("Modification rejected: none of its requests will move money or change an action."),
    )
    return redirect("budgeting:modification_detail", pk=modification.pk)


@require_safe
def request_document(request: HttpRequest, pk: int) -> FileResponse:
    """The supporting document of a requested increase or reduction, for whoever reads the
    modification (its reviewers first)."""
    change = get_object_for_view(request.user, RequestedChange.objects.all(), pk=pk)
    return file_response(change.document, filename=change.document_name or "documento")
