"""The staff's start page."""

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pmot.actors import selectors as actor_selectors
from pmot.actors.models import Administration, Organization
from pmot.actors.roles import Sector
from pmot.core.permissions import restrict


def dashboard(request: HttpRequest) -> HttpResponse:
    """The staff's start page: their roles and what those let them use."""
    by_sector = dict(
        restrict(Organization.objects.active(), request.user)
        .values_list("sector")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = [(label, by_sector.get(value, 0)) for value, label in Sector.choices]
    top = max(by_sector.values(), default=0)
    sectors = [{"label": label, "count": n, "share": _share(n, top)} for label, n in counts]
    return render(
        request,
        "portal/dashboard.html",
        {
            "memberships": actor_selectors.roles_of(request.user),
            "administration": Administration.objects.current().first(),
            "sectors": sectors,
            "organizations_total": sum(by_sector.values()),
            "today": timezone.localdate(),
        },
    )


def _share(count: int, top: int) -> int:
    """Bar length in steps of 5 %, so CSS classes (no inline styles: CSP) can draw it."""
    return 0 if not top else round(count * 20 / top) * 5
