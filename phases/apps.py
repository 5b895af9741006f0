from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhasesConfig(AppConfig):
    name = "phases"
    label = "phases"
    verbose_name = _("Phases of the program")

    def ready(self):
        from committees import hooks
        from phases import selectors
        from phases.services import consultation, work
        from pmot.planning import hooks as planning_hooks

        # An approved agreement on a phase closes it; the vote opens only once its required
        # deliverables are accepted.
        hooks.register("phases.Phase", work.phase_decided)
        hooks.register_check("phases.Phase", work.phase_vote_allowed)
        hooks.register_subjects("phases.Phase", _("Phase gate to close"), selectors.phase_subjects)
        # An approved agreement of the coordinating body on a deliverable in review validates
        # it (*Validado por el órgano*); the vote opens only for one in review.
        hooks.register("phases.Deliverable", work.deliverable_decided)
        hooks.register_check("phases.Deliverable", work.deliverable_vote_allowed)
        hooks.register_subjects(
            "phases.Deliverable", _("Deliverable to validate"), selectors.deliverable_subjects
        )
        # The program is approved only once every consultation is closed and its answers
        # published: checked before the vote opens and again when the approval reaches it.
        hooks.register_check("planning.Program", consultation.program_vote_allowed)
        planning_hooks.register_approval_check(consultation.consultations_answered)
