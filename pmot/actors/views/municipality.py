"""Pages of the municipality and its administrations."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from pmot.actors.forms import (
    AdministrationForm,
    MunicipalityForm,
)
from pmot.actors.models import Administration, Municipality
from pmot.actors.services.catalogue import catalogue_save
from pmot.core.permissions import (
    require_perm,
)


@require_safe
def administration_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "actors.view_administration")
    return render(
        request,
        "actors/administration_list.html",
        {
            "administrations": Administration.objects.all(),
            "today": timezone.localdate(),
            "can_add": request.user.has_perm("actors.add_administration"),
        },
    )


@require_http_methods(["GET", "POST"])
def administration_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "actors.add_administration")
    form = AdministrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        catalogue_save(record=form.save(commit=False), by=request.user)
        messages.success(request, _("Administration registered."))
        return redirect("actors:administration_list")
    return render(request, "actors/administration_form.html", {"form": form})


@require_safe
def municipality_detail(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "actors.view_municipality")
    return render(
        request,
        "actors/municipality_detail.html",
        {
            "municipality": Municipality.objects.first(),
            "administration": Administration.objects.current().first(),
            "can_change": request.user.has_perm("actors.change_municipality"),
        },
    )


@require_http_methods(["GET", "POST"])
def municipality_update(request: HttpRequest) -> HttpResponse:
    municipality = Municipality.objects.first()
    require_perm(
        request.user, "actors.change_municipality" if municipality else "actors.add_municipality"
    )
    form = MunicipalityForm(request.POST or None, instance=municipality)
    if request.method == "POST" and form.is_valid():
        catalogue_save(record=form.save(commit=False), by=request.user)
        messages.success(request, _("Municipality profile saved."))
        return redirect("actors:municipality_detail")
    return render(request, "actors/municipality_form.html", {"form": form})
