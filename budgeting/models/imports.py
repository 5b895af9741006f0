from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from budgeting.models.poa import Poa
from pmot.core.models import ImportRecord


class PoaImport(ImportRecord):
    """A spreadsheet of actions uploaded into a draft POA, and what became of it."""

    poa = models.ForeignKey(
        Poa, verbose_name=_("POA"), on_delete=models.PROTECT, related_name="imports"
    )
    created_actions = models.PositiveIntegerField(_("actions created"), default=0)
    created_lines = models.PositiveIntegerField(_("budget lines created"), default=0)

    history = HistoricalRecords()

    class Meta(ImportRecord.Meta):
        verbose_name = _("POA import")
        verbose_name_plural = _("POA imports")

    def __str__(self):
        return f"{self.poa} · {self.original_name}"

    def upload_folder(self) -> str:
        return f"budgeting/importaciones/{self.poa_id}"

    @property
    def job_key(self) -> str:
        return f"poa-import:{self.pk}"
