from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetingConfig(AppConfig):
    name = "budgeting"
    label = "budgeting"
    verbose_name = _("Annual operating program")

    def ready(self):
        from budgeting.services import poa
        from committees import hooks

        # An approved agreement of the Cabildo or IMPLAN's board on a submitted POA approves it.
        hooks.register("budgeting.Poa", poa.poa_decided)
        hooks.register_check("budgeting.Poa", poa.poa_vote_allowed)
