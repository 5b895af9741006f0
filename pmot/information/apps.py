from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InformationConfig(AppConfig):
    name = "pmot.information"
    label = "information"
    verbose_name = _("Information")
