from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "pmot.actors"
    label = "actors"
    verbose_name = _("People and organizations")

    def ready(self):
        # The security log and the login lockout listen to Django's authentication signals:
        # those events happen inside its views, and a signal is the only way to hear of them.
        from pmot.actors import lockout, security_log

        security_log.connect()
        lockout.connect()
