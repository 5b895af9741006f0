import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from budgeting.models.poa import Poa


def _upload_path(instance: "PoaImport", filename: str) -> str:
    # A generated name: the uploader's file name is kept apart (`original_name`), never used as
    # a path. MEDIA_ROOT has no public URL; this file is read only by the import job.
    suffix = PurePath(filename).suffix.lower()
    return f"budgeting/importaciones/{instance.poa_id}/{uuid.uuid4().hex}{suffix}"


class PoaImport(models.Model):
    """A spreadsheet of actions uploaded into a draft POA, and what became of it: the import
    runs in the background (all rows or none), and its outcome stays here for the page that
    follows it and for the record.

    The file of an import that went in is kept, as the source of the actions it created; the
    file of a refused one is deleted, since nothing came of it and its errors are kept here."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Preparing")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Refused, nothing saved")

    poa = models.ForeignKey(
        Poa, verbose_name=_("POA"), on_delete=models.PROTECT, related_name="imports"
    )
    file = models.FileField(_("file"), upload_to=_upload_path, max_length=200, blank=True)
    original_name = models.CharField(_("name of the uploaded file"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # What the file declares before it is read (None: it does not say), then what was read.
    rows_total = models.PositiveIntegerField(_("rows declared"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    created_actions = models.PositiveIntegerField(_("actions created"), default=0)
    created_lines = models.PositiveIntegerField(_("budget lines created"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("POA import")
        verbose_name_plural = _("POA imports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="pending", finished_at__isnull=True)
                | (~models.Q(status="pending") & models.Q(finished_at__isnull=False)),
                name="budgeting_poaimport_finished_when_not_pending",
            )
        ]

    def __str__(self):
        return f"{self.poa} · {self.original_name}"

    @property
    def job_key(self) -> str:
        return f"poa-import:{self.pk}"
