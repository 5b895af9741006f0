"""Reads across relations or per user."""

from django.db.models import Count, Prefetch, Q, QuerySet

from pmot.actors.models import Membership, Organization, User
from pmot.core.permissions import restrict


def organizations_visible_to(user) -> QuerySet[Organization]:
    return (
        restrict(Organization.objects.select_related("parent"), user)
        .annotate(active_members=Count("memberships", filter=Q(memberships__status="active")))
        .order_by("name")
    )


def people_visible_to(user) -> QuerySet[User]:
    active = Membership.objects.active().select_related("organization").order_by("role", "pk")
    return restrict(User.objects.filter(is_active=True), user).prefetch_related(
        Prefetch("memberships", queryset=active, to_attr="active_memberships")
    )


def memberships_of(organization: Organization) -> QuerySet[Membership]:
    return (
        organization.memberships.open()
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "role")
    )


def roles_of(user) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(user.memberships.active().select_related("organization"))
