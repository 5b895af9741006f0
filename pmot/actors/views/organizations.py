"""Pages of organizations, their memberships, and the people who take part."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from pmot.actors import selectors
from pmot.actors.forms import (
    MembershipEndForm,
    MembershipForm,
    OrganizationContactForm,
    OrganizationForm,
)
from pmot.actors.models import Membership, Organization
from pmot.actors.roles import Sector
from pmot.actors.services import memberships as services
from pmot.actors.services.catalogue import catalogue_save
from pmot.core.history import Source
from pmot.core.permissions import (
    get_object_for_change,
    get_object_for_view,
    require_perm,
    user_can,
)
from pmot.core.views import history_page

PAGE_SIZE = 25


@require_safe
def organization_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "actors.view_organization")
    organizations = selectors.organizations_visible_to(request.user)
    query, sector = request.GET.get("q", "").strip(), request.GET.get("sector", "")
    if query:
        organizations = organizations.filter(Q(name__icontains=query) | Q(acronym__icontains=query))
    if sector in Sector.values:
        organizations = organizations.filter(sector=sector)
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    # The search box asks with htmx for the results alone; history restores get the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(
        request,
        "actors/_organization_results.html" if partial else "actors/organization_list.html",
        {
            "page": page,
            "query": query,
            "sector": sector,
            "sectors": Sector.choices,
            "can_add": request.user.has_perm("actors.add_organization"),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_for_view(
        request.user, Organization.objects.select_related("parent"), pk=pk
    )
    return render(
        request,
        "actors/organization_detail.html",
        {
            "organization": organization,
            "units": organization.units.order_by("name"),
            "memberships": selectors.memberships_of(organization),
            "can_change": user_can(request.user, "change", organization),
            "can_add_membership": request.user.has_perm("actors.add_membership"),
            "can_end_membership": request.user.has_perm("actors.change_membership"),
        },
    )


@require_http_methods(["GET", "POST"])
def organization_create(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "actors.add_organization")
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organization = catalogue_save(record=form.save(commit=False), by=request.user)
        messages.success(request, _("Organization registered."))
        return redirect("actors:organization_detail", pk=organization.pk)
    return render(request, "actors/organization_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def organization_update(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_for_change(request.user, Organization.objects.all(), pk=pk)
    # A liaison changes their own organization's contact data; the catalogue is the planners'.
    form_class = (
        OrganizationForm
        if request.user.has_perm("actors.change_organization")
        else OrganizationContactForm
    )
    form = form_class(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        catalogue_save(record=form.save(commit=False), by=request.user)
        messages.success(request, _("Changes saved."))
        return redirect("actors:organization_detail", pk=organization.pk)
    return render(
        request, "actors/organization_form.html", {"form": form, "organization": organization}
    )


@require_http_methods(["GET", "POST"])
def membership_create(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_for_view(request.user, Organization.objects.all(), pk=pk)
    require_perm(request.user, "actors.add_membership")
    form = MembershipForm(request.POST or None, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_start(organization=organization, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Membership registered."))
            return redirect("actors:organization_detail", pk=organization.pk)
    return render(
        request, "actors/membership_form.html", {"form": form, "organization": organization}
    )


@require_http_methods(["GET", "POST"])
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_for_change(
        request.user, Membership.objects.select_related("user", "organization"), pk=pk
    )
    if membership.status == Membership.Status.SCHEDULED:
        return _membership_cancel(request, membership)
    form = MembershipEndForm(
        request.POST or None, membership=membership, initial={"end_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(membership=membership, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Membership ended."))
            return redirect("actors:organization_detail", pk=membership.organization_id)
    return render(request, "actors/membership_end.html", {"form": form, "membership": membership})


def _membership_cancel(request: HttpRequest, membership: Membership) -> HttpResponse:
    """A membership that has not started is withdrawn rather than ended."""
    if request.method == "POST":
        services.membership_cancel(membership=membership)
        messages.success(request, _("Membership cancelled before it started."))
        return redirect("actors:organization_detail", pk=membership.organization_id)
    return render(request, "actors/membership_cancel.html", {"membership": membership})


@require_safe
def people_list(request: HttpRequest) -> HttpResponse:
    require_perm(request.user, "actors.view_user")
    people = selectors.people_visible_to(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        people = people.filter(Q(first_name__icontains=query) | Q(last_name__icontains=query))
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "actors/people_list.html",
        {
            "page": page,
            "query": query,
            "can_sync": request.user.has_perm("actors.change_membership"),
        },
    )


@require_POST
def memberships_sync_now(request: HttpRequest) -> HttpResponse:
    """Run today's start/end check now instead of waiting for the nightly run."""
    require_perm(request.user, "actors.change_membership")
    services.memberships_sync_request(today=timezone.localdate(), by=request.user)
    messages.info(request, _("The dates of memberships are being applied in the background."))
    return redirect("actors:people_list")


@require_safe
def organization_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The organization and the memberships of its people."""
    organization = get_object_for_view(
        request.user, Organization.objects.select_related("parent"), pk=pk
    )
    return history_page(
        request,
        record=organization,
        dependents=[
            Source(
                Membership.history.filter(organization_id=organization.pk).select_related("user"),
                lambda row: f"{row.user} · {row.get_role_display()}",
            ),
        ],
        back_url=reverse("actors:organization_detail", args=[organization.pk]),
    )
