from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "committees"
    label = "committees"
    verbose_name = _("Collegiate bodies")

    def ready(self):
        from committees import hooks, services

        # An agreement of the Cabildo on a body designates it to coordinate the PMOT.
        hooks.register("committees.Body", services.designation_decided)
        # An agreement of a later session on minutes approves and locks them.
        hooks.register("committees.Minutes", services.minutes_decided)
