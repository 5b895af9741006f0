from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetingConfig(AppConfig):
    name = "budgeting"
    label = "budgeting"
    verbose_name = _("Annual operating program")

    def ready(self):
        from budgeting import selectors
        from budgeting.services import modifications, poa
        from committees import hooks

        # An approved agreement of the Cabildo or IMPLAN's board on a submitted POA approves it.
        hooks.register("budgeting.Poa", poa.poa_decided)
        hooks.register_check("budgeting.Poa", poa.poa_vote_allowed)
        hooks.register_subjects("budgeting.Poa", _("POA to approve"), selectors.poa_subjects)
        # A modification that changes the POA's approved total is decided by the Cabildo's
        # vote on it: approved, its requested increases and reductions move the money.
        hooks.register("budgeting.Modification", modifications.modification_decided)
        hooks.register_check("budgeting.Modification", modifications.modification_vote_allowed)
        hooks.register_subjects(
            "budgeting.Modification",
            _("Modification of the POA's approved total"),
            selectors.modification_subjects,
        )
