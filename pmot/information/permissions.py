"""Who may add and change documents (DOMAIN.md §8).

IMPLAN's planners and administrators hold the model permissions and change any document. An
organization-bound role (municipal, state or federal liaison, private-sector representative)
holds `actors.report_for_organization` on its own organization, granted with the membership:
it adds documents authored by that organization and changes those only. Publishing is IMPLAN's
call: only those who may change every document publish.
"""

from django.db.models import QuerySet

from pmot.actors.models import Organization
from pmot.core.permissions import restrict
from pmot.information.models import Document


def author_organizations(user) -> QuerySet[Organization]:
    """The organizations `user` may file documents for."""
    active = Organization.objects.active().order_by("name")
    if user.has_perm("information.add_document"):
        return active
    return restrict(active, user, "report_for")


def can_add_document(user) -> bool:
    return user.is_authenticated and author_organizations(user).exists()


def can_change_document(user, document: Document) -> bool:
    return user.has_perm("information.change_document") or user.has_perm(
        "actors.report_for_organization", document.author_organization
    )


def can_publish(user) -> bool:
    return user.has_perm("information.change_document")
