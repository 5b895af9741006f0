from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pmot.core"
    label = "core"
    verbose_name = _("Infrastructure")

    def ready(self):
        from pmot.core import checks  # noqa: F401 (registers pmot's system checks)
