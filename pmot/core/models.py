"""The job outbox: background work written in the same transaction as the change that needs it;
and what every import that runs as such work records (`ImportRecord`)."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobQuerySet(models.QuerySet):
    def unfinished(self):
        return self.filter(status__in=[Job.Status.PENDING, Job.Status.SENT])


class Job(models.Model):
    """One piece of background work. It is written with the change that needs it, sent to the
    broker after commit, and sent again by `resend_late_jobs` until a worker marks it done, so
    a broker outage delays work but loses none. Jobs are themselves the audit of background
    work, so they carry no separate history."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    task_name = models.CharField(_("task"), max_length=200)
    kwargs = models.JSONField(_("arguments"), default=dict, blank=True)
    # Two jobs with the same key are the same work (a daily run, a PDF of one version).
    key = models.CharField(_("key"), max_length=200, null=True, blank=True, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # Sends to the broker; the limit counts runs started (killed or failed), not sends, so a job
    # no worker took waits for one however long it is down.
    attempts = models.PositiveSmallIntegerField(_("sends"), default=0)
    runs = models.PositiveSmallIntegerField(_("runs started"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "sent_at"])]

    def __str__(self):
        return f"{self.task_name} #{self.pk} ({self.get_status_display()})"


def _import_path(instance: "ImportRecord", filename: str) -> str:
    # A generated name: the uploader's file name is kept apart (`original_name`), never used as
    # a path. MEDIA_ROOT has no public URL; this file is read only by the import job.
    suffix = PurePath(filename).suffix.lower()
    return f"{instance.upload_folder()}/{uuid.uuid4().hex}{suffix}"


class ImportRecord(models.Model):
    """A file uploaded to be imported in the background (all of it or nothing), and what became
    of it, for the page that follows it and for the record (`pmot.core.imports`). Each import
    adds what it imports into and what it counts, its `upload_folder` and `job_key`, and its
    own history.

    The file of an import that went in is kept, as the source of what it created; the file of
    a refused one is deleted, since nothing came of it and its errors are kept here."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Preparing")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Refused, nothing saved")

    file = models.FileField(_("file"), upload_to=_import_path, max_length=200, blank=True)
    original_name = models.CharField(_("name of the uploaded file"), max_length=255)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    # What the file declares before it is read (None: it does not say), then what was read.
    rows_total = models.PositiveIntegerField(_("rows declared"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="pending", finished_at__isnull=True)
                | (~models.Q(status="pending") & models.Q(finished_at__isnull=False)),
                name="%(app_label)s_%(class)s_finished_when_not_pending",
            )
        ]

    def upload_folder(self) -> str:
        raise NotImplementedError

    @property
    def job_key(self) -> str:
        raise NotImplementedError
