from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Apps whose records reach the public pages: a change in any of them refreshes those pages.
PUBLISHING_APPS = [
    "actors",
    "committees",
    "information",
    "planning",
    "phases",
    "budgeting",
    "evaluation",
]


# Written often and never shown to the public as such: a login (`last_login`; a person's renamed
# name shows within the cache's timeout), a ballot before its vote closes (the closed vote and
# its agreement are what the pages show), a reminder, an import's job record.
UNPUBLISHED_MODELS = frozenset(
    {
        "actors.User",
        "committees.Ballot",
        "evaluation.Reminder",
        "budgeting.PoaImport",
        "planning.PlanImport",
        "information.UnitImport",
    }
)


class PortalConfig(AppConfig):
    name = "pmot.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from pmot.core import public_cache

        public_cache.watch(PUBLISHING_APPS, except_models=UNPUBLISHED_MODELS)
