from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        from committees import hooks
        from evaluation.selectors import evaluations

        # A session receives a finished evaluation's report; the agreement shows on its page.
        hooks.register_subjects(
            "evaluation.Evaluation",
            _("Evaluation report to receive"),
            evaluations.evaluation_subjects,
        )
