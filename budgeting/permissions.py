"""Who may do what in the POA (issue 6, DOMAIN.md §8; issue 19, four eyes).

IMPLAN's planners and administrators hold the model permissions and change every action, line
and movement. The people of an organization hold `actors.report_for_organization` on it,
granted with their membership: they edit the actions their organization is responsible for
and report their progress; a state or federal liaison or a private representative edits the
budget lines their organization co-finances (and records their movements), reports the
progress of those actions for its share, and reads the rest. IMPLAN validates progress, never
the person who reported it. Council members and everyone else with a role read.

A modification of an approved POA is asked for by the organization that runs an action of it
(it opens the modification, requests its increases and reductions, edits the action within
it) and by IMPLAN's planners. The office that holds the budget
(`budgeting.authorize_modification`: IMPLAN's planner or the treasury) decides, and never what
it asked itself (budgeting.services.modifications.check_four_eyes).
"""

from budgeting.models import Action, BudgetLine, Poa
from budgeting.selectors import progress_reporters
from pmot.actors.models import Organization

REPORT_FOR = "actors.report_for_organization"


def edits_every_action(user) -> bool:
    return user.has_perm("budgeting.change_action")


def can_edit_action(user, action: Action) -> bool:
    return edits_every_action(user) or user.has_perm(REPORT_FOR, action.responsible)


def progress_shares(user, action: Action) -> list[Organization]:
    """The organizations whose share of the action's progress `user` reports: every one for
    IMPLAN's planner, their own for the people of a reporting organization, none otherwise."""
    reporters = progress_reporters(action)
    if user.has_perm("budgeting.add_progressreport"):
        return reporters
    return [organization for organization in reporters if user.has_perm(REPORT_FOR, organization)]


def can_report_progress(user, action: Action) -> bool:
    return bool(progress_shares(user, action))


def can_validate_progress(user) -> bool:
    return user.has_perm("budgeting.validate_progressreport")


def can_edit_line(user, line: BudgetLine) -> bool:
    """The planner; the action's responsible organization; the line's co-financer."""
    if user.has_perm("budgeting.change_budgetline"):
        return True
    if user.has_perm(REPORT_FOR, line.action.responsible):
        return True
    return line.cofinancer_id is not None and user.has_perm(REPORT_FOR, line.cofinancer)


def can_record_movement(user, line: BudgetLine) -> bool:
    return user.has_perm("budgeting.add_movement") or can_edit_line(user, line)


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
