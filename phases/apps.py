from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhasesConfig(AppConfig):
    name = "phases"
    label = "phases"
    verbose_name = _("Phases of the program")

    def ready(self):
        from committees import hooks
        from phases.services import consultation, work

        # An approved agreement on a phase closes it; the vote opens only once its required
        # deliverables are accepted.
        hooks.register("phases.Phase", work.phase_decided)
        hooks.register_check("phases.Phase", work.phase_vote_allowed)
        # The program is approved only once its consultation's answers are published.
        hooks.register_check("planning.Program", consultation.program_vote_allowed)
