from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "committees"
    label = "committees"
    verbose_name = _("Collegiate bodies")

    def ready(self):
        from committees import hooks, selectors, services
        from pmot.actors import two_factor

        # An agreement of the Cabildo on a body designates it to coordinate the PMOT.
        hooks.register("committees.Body", services.designation_decided)
        hooks.register_subjects(
            "committees.Body",
            _("Body to designate as coordinating body"),
            selectors.designation_subjects,
        )
        # An agreement of a later session on minutes approves and locks them.
        hooks.register("committees.Minutes", services.minutes_decided)
        hooks.register_subjects(
            "committees.Minutes", _("Minutes to approve"), selectors.minutes_subjects
        )
        # The Cabildo approves a titular's leave; only then the alternate sits.
        hooks.register("committees.Leave", services.leave_decided)
        hooks.register_check("committees.Leave", services.leave_vote_allowed)
        hooks.register_subjects(
            "committees.Leave", _("Leave of a member to approve"), selectors.leave_subjects
        )
        # A seat with a vote changes records (ballots): its holder takes the second step of login.
        two_factor.register_change_capability(selectors.holds_voting_seat)
