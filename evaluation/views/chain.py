"""The traceability chain (issue 7): the PMOT's strategies with their progress rolled up, and
one page per strategy with its whole chain, both ways. Read-only; the reads are in
evaluation/selectors/chain.py."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from budgeting.models import Poa
from evaluation.selectors import chain as selectors
from pmot.core.permissions import get_object_for_view, require_perm
from pmot.planning.models import Plan, PlanElement


class YearFilter(forms.Form):
    ejercicio = forms.TypedChoiceField(
        label=_("Fiscal year"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("There is no POA for the fiscal year %(value)s.")},
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ejercicio"].choices = [("", _("Every fiscal year"))] + [
            (year, str(year)) for year in years
        ]


@require_safe
def chain_index(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "planning.view_planelement")
    years = sorted(set(Poa.objects.values_list("fiscal_year", flat=True)), reverse=True)
    form = YearFilter(request.GET or None, years=years)
    year = form.cleaned_data["ejercicio"] if form.is_valid() else None
    return render(
        request,
        "evaluation/chain/index.html",
        {
            "axes": selectors.strategies_overview(request.user, year),
            "form": form,
            "year": year,
            "colours": selectors.COUNTED_COLOURS,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_safe
def chain(request: HttpRequest, pk: int) -> HttpResponse:
    element = get_object_for_view(
        request.user,
        PlanElement.objects.select_related("plan__program"),
        pk=pk,
        plan__order=Plan.Order.PMOT,
    )
    found = selectors.chain(element, request.user)
    for indicator in found.indicators:
        indicator.url = _url("evaluation:indicator_detail", indicator.pk)
        indicator.light = found.lights.get(indicator.pk)
    for group in found.years:
        for row in group.rows:
            row.url = reverse("budgeting:action_detail", args=[row.action.pk])
    for evaluation in found.evaluations:
        evaluation.url = _url("evaluation:evaluation_detail", evaluation.pk)
    return render(
        request,
        "evaluation/chain/chain.html",
        {"chain": found, "element": element, "colours": selectors.COUNTED_COLOURS},
    )


def _url(name: str, pk: int) -> str:
    """The record's page, where the app has one yet."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""
