from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "pmot.core"
    label = "core"
    verbose_name = _("Infrastructure")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from pmot.core import checks  # noqa: F401 (registers pmot's system checks)

        # Every app's background tasks, known in every process: the outbox sends a job by its
        # task's name, and a web process that never imported the task would fail the job
        # (a Celery worker imports them itself; a web process does not).
        autodiscover_modules("tasks")
