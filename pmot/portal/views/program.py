"""The public pages of the program itself: its five phases with their published deliverables,
its axes and strategies with their progress, and the chain of one strategy. The reads are in
pmot/portal/selectors/program.py."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from pmot.core.public_cache import public_page
from pmot.portal.selectors import program as selectors
from pmot.portal.selectors import published


@require_safe
@login_not_required
@public_page
def phases(request: HttpRequest) -> HttpResponse:
    """Where the program stands: each phase, how far it got, the agreement that closed it and
    the deliverables accepted and published in it."""
    found = selectors.phases_page()
    return render(
        request,
        "portal/public/program/phases.html",
        {
            "program": found.program,
            "phases": found.phases,
            "current_phase": found.current,
            "deliverables": found.deliverables,
            "updated": found.updated,
        },
    )


@require_safe
@login_not_required
@public_page
def strategies(request: HttpRequest) -> HttpResponse:
    """The PMOT's axes and strategies with their progress, once the program is public."""
    plan = selectors.pmot_plan()
    program = published.program()
    context = {"program": program, "plan": plan}
    if plan is None:
        context["updated"] = selectors.program_updated(program)
    else:
        context["axes"] = selectors.strategies()
        context["updated"] = selectors.strategies_updated(plan)
    return render(request, "portal/public/program/strategies.html", context)


@require_safe
@login_not_required
@public_page
def strategy(request: HttpRequest, pk: int) -> HttpResponse:
    """One element of the PMOT with its whole chain, as a citizen may read it."""
    element = selectors.public_element(pk)
    chain = selectors.strategy_chain(element)
    for group in chain.years:
        for row in group.shown:
            row.url = _url("portal:action", year=group.fiscal_year, pk=row.action.pk)
        group.poa_url = _url("portal:poa_year", year=group.fiscal_year)
    for indicator in chain.shown_indicators:
        indicator.url = _url("portal:indicator", pk=indicator.pk)
    for evaluation in chain.evaluations:
        evaluation.url = _url("portal:evaluation", pk=evaluation.pk)
    return render(
        request,
        "portal/public/program/strategy.html",
        {
            "element": element,
            "chain": chain,
            "indicators_url": _url("portal:indicators"),
            "updated": selectors.strategy_updated(chain),
        },
    )


def _url(name: str, **kwargs) -> str:
    """The record's public page, where the portal has one yet."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""
