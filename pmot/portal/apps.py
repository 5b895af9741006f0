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


class PortalConfig(AppConfig):
    name = "pmot.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from pmot.core import public_cache

        public_cache.watch(PUBLISHING_APPS)
