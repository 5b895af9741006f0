"""The job outbox: background work written in the same transaction as the change that needs it."""

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
