"""Imports of territorial units from a file, run in the background."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pmot.core.models import ImportRecord


class UnitImport(ImportRecord):
    """A GeoJSON file or zipped shapefile of territorial units, uploaded and imported in the
    background (every feature or none)."""

    update_existing = models.BooleanField(_("update existing units"), default=False)
    created = models.PositiveIntegerField(_("units created"), default=0)
    updated = models.PositiveIntegerField(_("units updated"), default=0)

    history = HistoricalRecords()

    class Meta(ImportRecord.Meta):
        verbose_name = _("territorial units import")
        verbose_name_plural = _("territorial units imports")

    def __str__(self):
        return self.original_name

    def upload_folder(self) -> str:
        return "informacion/importaciones"

    @property
    def job_key(self) -> str:
        return f"unit-import:{self.pk}"
