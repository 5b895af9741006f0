"""Pages of a modification of an approved POA: opening one, what it requests and how it is
decided (IMPLAN authorizes a transfer; a change to the POA's total waits for the Cabildo's vote
on it). Every write goes through budgeting/services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from budgeting.forms import ModificationForm
from budgeting.models import Modification
from budgeting.services import modifications
from budgeting.services import poa as services
from budgeting.views.poa import _poa
from committees.selectors import items_about
from pmot.core.feedback import service_call
from pmot.core.permissions import get_object_for_view, require_perm


@require_POST
def modification_open(request: HttpRequest, pk: int) -> HttpResponse:
    poa = _poa(request, pk)
    require_perm(request.user, "budgeting.add_modification")
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
                    "Modification recorded: changes to the POA now belong to it. Its increases "
                    "and reductions move money once it is authorized, or approved by the Cabildo "
                    "if they change the POA's total."
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
    """A modification: what it requests, what that does to the POA's total, and how it is
    decided (authorized by IMPLAN, or waiting for the Cabildo's vote)."""
    modification = _modification(request, pk)
    changes = modification.changes.select_related(
        "line__action", "line__source", "by", "movement"
    ).order_by("pk")
    net = modifications.net_change(modification.changes.all())
    is_open = modification.is_open
    return render(
        request,
        "budgeting/poa/modification_detail.html",
        {
            "poa": modification.poa,
            "modification": modification,
            "changes": changes,
            "net": net,
            "waits_for_the_cabildo": is_open and net != 0,
            "under_vote": is_open and services.under_vote(modification),
            "decisions": items_about(modification),
            "can_authorize": is_open and net == 0 and request.user.has_perm("budgeting.change_poa"),
        },
    )


@require_POST
def modification_authorize(request: HttpRequest, pk: int) -> HttpResponse:
    modification = _modification(request, pk)
    require_perm(request.user, "budgeting.change_poa")
    service_call(
        request,
        lambda: modifications.modification_authorize(modification=modification, by=request.user),
        _("Modification authorized: its transfers moved the modified amounts."),
    )
    return redirect("budgeting:modification_detail", pk=modification.pk)
