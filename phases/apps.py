from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhasesConfig(AppConfig):
    name = "phases"
    label = "phases"
    verbose_name = _("Phases of the program")

    def ready(self):
        from committees import hooks
        from phases.services import work

        # An approved agreement on a phase closes it; the vote opens only once its required
        # deliverables are accepted.
        hooks.register("phases.Phase", work.phase_decided)
        hooks.register_check("phases.Phase", work.phase_vote_allowed)
