from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "pmot.planning"
    label = "planning"
    verbose_name = _("Integral planning")

    def ready(self):
        from committees import hooks
        from pmot.planning import selectors
        from pmot.planning.services import program as services

        # An agreement of the Cabildo on the program starts the process, the next approves it.
        hooks.register("planning.Program", services.program_decided)
        hooks.register_subjects(
            "planning.Program", _("The program (PMOT)"), selectors.program_subjects
        )
