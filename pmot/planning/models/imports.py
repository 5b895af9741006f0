"""Imports of a plan's elements from a spreadsheet, run in the background."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pmot.core.models import ImportRecord
from pmot.planning.models.plans import Plan


class PlanImport(ImportRecord):
    """A spreadsheet of a plan's elements, uploaded and imported in the background."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="imports"
    )
    created = models.PositiveIntegerField(_("elements added"), default=0)
    updated = models.PositiveIntegerField(_("elements updated"), default=0)

    history = HistoricalRecords()

    class Meta(ImportRecord.Meta):
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")

    def __str__(self):
        return f"{self.plan} · {self.original_name}"

    def upload_folder(self) -> str:
        return f"planning/importaciones/{self.plan_id}"

    @property
    def job_key(self) -> str:
        return f"plan-import:{self.pk}"
