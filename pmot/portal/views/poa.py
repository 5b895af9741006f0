"""Public pages of the annual operating program (POA) and the territory: the year's money and
actions on a map and in a list, each action with its money, progress and alignment, and the
territorial units. What they show comes from `pmot.portal.selectors.published` through
`selectors_poa`; the maps fetch their GeoJSON from the two endpoints here, so a page stays
small however many actions the year has."""

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from budgeting.models import ActionKind, FundingSource
from budgeting.selectors import progress
from pmot.core.history import last_changed
from pmot.core.public_cache import public_page
from pmot.information.models import EnvironmentalPolicy, TerritorialUnit
from pmot.portal.selectors import poa as selectors
from pmot.portal.selectors import published

ACTIONS_PER_PAGE = 25


class ActionFilters(forms.Form):
    """The list's filters, in the address (GET) so a filtered list can be shared."""

    tipo = forms.ChoiceField(
        label=_("Kind of action"),
        choices=[("", _("Every kind")), *ActionKind.choices],
        required=False,
    )
    fuente = forms.ModelChoiceField(
        label=_("Funding source"),
        queryset=FundingSource.objects.none(),
        to_field_name="key",
        empty_label=_("Every source"),
        required=False,
    )
    unidad = forms.ModelChoiceField(
        label=_("Territorial unit"),
        queryset=TerritorialUnit.objects.none(),
        to_field_name="key",
        empty_label=_("Every unit"),
        required=False,
    )

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fuente"].queryset = selectors.year_sources(year)
        self.fields["unidad"].queryset = selectors.year_units(year)
        self.fields["unidad"].label_from_instance = lambda unit: f"{unit.key} · {unit.name}"

    def filters(self) -> selectors.Filters:
        if not self.is_bound or not self.is_valid():
            return selectors.Filters()
        data = self.cleaned_data
        return selectors.Filters(
            kind=data["tipo"],
            source=data["fuente"].pk if data["fuente"] else None,
            unit=data["unidad"].pk if data["unidad"] else None,
        )


@require_safe
@login_not_required
@public_page
def poa(request: HttpRequest) -> HttpResponse:
    """The POA of this year (or the nearest one published)."""
    year = selectors.current_year()
    if year is not None:
        return redirect("portal:poa_year", year=year)
    return render(
        request, "portal/public/poa/none.html", {"updated": last_changed(published.poas())}
    )


@require_safe
@login_not_required
@public_page(params=("tipo", "fuente", "unidad"))
def poa_year(request: HttpRequest, year: int) -> HttpResponse:
    """The year's approved POA for a citizen: its money, a map and the list of its actions."""
    poas = selectors.year_poas(year)
    if not poas:
        raise Http404
    form = ActionFilters(request.GET or None, year=year)
    page = Paginator(selectors.action_rows(year, form.filters()), ACTIONS_PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    for action in page:
        action.physical = progress(action)[0]
    return render(
        request,
        "portal/public/poa/year.html",
        {
            "year": year,
            "poas": poas,
            "years": selectors.public_years(),
            "summary": selectors.year_summary(year),
            "charts": selectors.year_charts(year),
            "action_map": selectors.action_map(year),
            "form": form,
            "filtered": form.filters() != selectors.Filters(),
            "page": page,
            "updated": selectors.year_updated(year),
        },
    )


@require_safe
@login_not_required
@public_page
def action(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """One action: what, who, where, its money by source and stage, its progress by period,
    what it carries out and who measures and evaluated it."""
    row = get_object_or_404(selectors.action_row(year), pk=pk)
    physical, financial, _gap = progress(row)
    return render(
        request,
        "portal/public/poa/action.html",
        {
            "year": year,
            "action": row,
            "physical": physical,
            "financial": financial,
            "place_map": selectors.place_map(row),
            **selectors.action_details(row),
        },
    )


@require_safe
@login_not_required
@public_page
def territory(request: HttpRequest) -> HttpResponse:
    """The territorial units of the program on a map, with their policies, and their list."""
    year = selectors.current_year()
    return render(
        request,
        "portal/public/poa/territory.html",
        {
            "units": selectors.territory_units(year),
            "year": year,
            "territory_map": selectors.territory_map(),
            "policies": EnvironmentalPolicy.choices,
            "updated": last_changed(published.units()),
        },
    )


# --- The maps' data ------------------------------------------------------------------------------


def _geojson(data: dict) -> JsonResponse:
    return JsonResponse(
        data,
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )


@require_safe
@login_not_required
@public_page
def poa_map(request: HttpRequest, year: int) -> JsonResponse:
    """The year's actions as GeoJSON, for the map of the POA and home pages."""
    if not published.poas().filter(fiscal_year=year).exists():
        raise Http404
    return _geojson(selectors.action_points(year))


@require_safe
@login_not_required
@public_page
def territory_map(request: HttpRequest) -> JsonResponse:
    """Every territorial unit as GeoJSON, for the territory map."""
    return _geojson(selectors.territory_features())
