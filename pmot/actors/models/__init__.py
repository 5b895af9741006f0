"""Who takes part: people, organizations, memberships, the municipality and its administrations."""

from pmot.actors.models.accounts import AccessEvent, LoginThrottle, User
from pmot.actors.models.organizations import (
    Administration,
    Membership,
    Municipality,
    Organization,
    OrganizationGroupObjectPermission,
    OrganizationUserObjectPermission,
)

__all__ = [
    "AccessEvent",
    "Administration",
    "LoginThrottle",
    "Membership",
    "Municipality",
    "Organization",
    "OrganizationGroupObjectPermission",
    "OrganizationUserObjectPermission",
    "User",
]
