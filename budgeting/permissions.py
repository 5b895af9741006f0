"""Who may ask for and decide a modification of an approved POA (issue 19, four eyes).

The organization that runs an action of the POA asks (opens a modification, requests its
increases and reductions, edits the action within it); IMPLAN's planners ask too. The office
that holds the budget (`budgeting.authorize_modification`: IMPLAN's planner or the treasury)
decides, and never what it asked itself (budgeting.services.modifications.check_four_eyes).
The older rules of who edits what are in budgeting/rules.py.
"""

from budgeting.models import Poa
from budgeting.rules import REPORT_FOR
from pmot.actors.models import Organization


def runs_an_action_of(user, poa: Poa) -> bool:
    """Whether `user` reports for an organization responsible for an action of `poa`."""
    responsible = Organization.objects.filter(poa_actions__poa=poa).distinct()
    return any(user.has_perm(REPORT_FOR, organization) for organization in responsible)


def can_request_modification(user, poa: Poa) -> bool:
    return user.has_perm("budgeting.add_modification") or runs_an_action_of(user, poa)


def can_request_change(user, line) -> bool:
    """Whether `user` may request an increase or a reduction of `line`: IMPLAN's planners, or
    the organization that runs its action (not a co-financer: it asks its own office)."""
    return user.has_perm("budgeting.change_budgetline") or user.has_perm(
        REPORT_FOR, line.action.responsible
    )
