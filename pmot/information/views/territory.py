"""Pages of the territorial units: the territory map, a unit, its form and history."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from pmot.core.permissions import get_object_for_change, get_object_for_view, require_perm
from pmot.core.views import history_page
from pmot.information import selectors
from pmot.information.forms import (
    UnitForm,
)
from pmot.information.models import (
    EnvironmentalPolicy,
    TerritorialUnit,
)
from pmot.information.services import territory as services


def _map_context(units) -> dict:
    return {
        "features": selectors.feature_collection(units),
        "tile_url": settings.PMOT_MAP_TILE_URL,
        "tile_attribution": settings.PMOT_MAP_TILE_ATTRIBUTION,
        "policies": EnvironmentalPolicy.choices,
    }


@require_safe
def unit_map(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "information.view_territorialunit")
    units = selectors.units_list()
    return render(
        request,
        "information/unit_map.html",
        {
            "units": units,
            "can_add": request.user.has_perm("information.add_territorialunit"),
            "can_import": request.user.has_perm("information.import_territorialunit"),
            **_map_context(units),
        },
    )


@require_safe
def unit_detail(request: HttpRequest, key: str) -> HttpResponse:
    unit = get_object_for_view(request.user, TerritorialUnit.objects.all(), key=key)
    return render(
        request,
        "information/unit_detail.html",
        {
            "unit": unit,
            "documents": selectors.documents_of_unit(unit, request.user),
            "can_change": request.user.has_perm("information.change_territorialunit"),
            **_map_context([unit]),
        },
    )


@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "information.add_territorialunit")
    return _unit_form(request, TerritorialUnit())


@require_http_methods(["GET", "POST"])
def unit_update(request: HttpRequest, key: str) -> HttpResponse:
    unit = get_object_for_change(request.user, TerritorialUnit.objects.all(), key=key)
    return _unit_form(request, unit)


def _unit_form(request, unit: TerritorialUnit) -> HttpResponse:
    # A refused form leaves its typed values on the instance: links go by the saved key.
    saved_key = unit.key if unit.pk else ""
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        services.unit_save(unit=form.instance, by=request.user)
        messages.success(request, _("Territorial unit saved."))
        return redirect("information:unit_detail", key=form.instance.key)
    return render(
        request,
        "information/unit_form.html",
        {"form": form, "unit": unit, "saved_key": saved_key},
    )


@require_safe
def unit_history(request: HttpRequest, key: str) -> HttpResponse:
    unit = get_object_for_view(request.user, TerritorialUnit.objects.all(), key=key)
    return history_page(
        request,
        record=unit,
        back_url=reverse("information:unit_detail", args=[unit.key]),
    )
