"""The POA's budget distribution charts and its alignment coverage: read by every internal
role (the public portal comes later)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from budgeting import charts, selectors
from budgeting.models import Poa
from pmot.core.permissions import require_perm


def _poa(request: HttpRequest, pk: int) -> Poa:
    # Every role reads every POA (model permission); someone with no role gets 403.
    require_perm(request.user, "budgeting.view_poa")
    return get_object_or_404(Poa.objects.select_related("unit"), pk=pk)


@require_safe
def poa_charts(request: HttpRequest, pk: int) -> HttpResponse:
    poa = _poa(request, pk)
    return render(
        request, "budgeting/charts/charts.html", {"poa": poa, "charts": charts.poa_charts(poa)}
    )


@require_safe
def poa_coverage(request: HttpRequest, pk: int) -> HttpResponse:
    poa = _poa(request, pk)
    return render(
        request,
        "budgeting/charts/coverage.html",
        {"poa": poa, "coverage": selectors.poa_coverage(poa)},
    )
