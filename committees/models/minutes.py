from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Minutes(models.Model):
    """The minutes (*acta*) of a session: drafted from its records, editable as a draft,
    approved by an agreement of a later session, and locked from then on."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    session = models.OneToOneField(
        "committees.Session",
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="minutes",
    )
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    approved_by = models.OneToOneField(
        "committees.Agreement",
        verbose_name=_("approved by agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approved_minutes",
    )
    pdf = models.FileField(_("PDF"), upload_to="committees/minutes/%Y/", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        ordering = ["-session__starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(approved_by__isnull=False),
                name="minutes_approved_by_an_agreement",
            ),
        ]

    def __str__(self):
        return f"{_('Minutes')} {self.session}"

    @property
    def locked(self) -> bool:
        return self.status == self.Status.APPROVED
