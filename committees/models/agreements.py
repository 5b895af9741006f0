from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from committees.rules import Base, Majority
from pmot.core.uploads import stored_name


class AgreementType(models.Model):
    """The majority each kind of agreement needs: a table the administrator keeps."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    majority = models.CharField(_("majority"), max_length=10, choices=Majority.choices)
    base = models.CharField(
        _("counted over"), max_length=8, choices=Base.choices, default=Base.PRESENT
    )
    allows_secret_ballot = models.BooleanField(_("allows a secret ballot"), default=False)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("type of agreement")
        verbose_name_plural = _("types of agreement")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(majority=Majority.QUALIFIED) | Q(base=Base.ALL_MEMBERS),
                name="agreement_type_qualified_over_all_members",
                violation_error_message=_(
                    "A qualified majority is always counted over all members with a vote."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.majority == Majority.QUALIFIED and self.base != Base.ALL_MEMBERS:
            raise ValidationError(
                {"base": _("A qualified majority is always counted over all members with a vote.")}
            )


class AgreementQuerySet(models.QuerySet):
    def approved(self):
        return self.exclude(status__in=[Agreement.Status.REJECTED, Agreement.Status.REVOKED])

    def open_with_deadline(self):
        return self.filter(
            status__in=[Agreement.Status.APPROVED, Agreement.Status.IN_PROGRESS],
            deadline__isnull=False,
        )


def _scan_name(instance, filename: str) -> str:
    return stored_name("committees/historical", filename)


def _evidence_name(instance, filename: str) -> str:
    return stored_name("committees/evidence", filename)


class Agreement(models.Model):
    """What a body decided on an agenda item, with the text exactly as voted.

    The voted text never changes: a correction is a new AgreementVersion.
    """

    class Status(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        IN_PROGRESS = "in_progress", _("Being carried out")
        FULFILLED = "fulfilled", _("Fulfilled")
        OVERDUE = "overdue", _("Overdue")
        REVOKED = "revoked", _("Revoked")

    class Gazette(models.TextChoices):
        STATE = "state", _("Official Gazette of the State")
        MUNICIPAL = "municipal", _("Municipal Gazette")
        PORTAL = "portal", _("Transparency portal")

    key = models.CharField(_("key"), max_length=40, unique=True)
    body = models.ForeignKey(
        "committees.Body",
        verbose_name=_("body"),
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    item = models.OneToOneField(
        "committees.AgendaItem",
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        related_name="agreement",
    )
    agreement_type = models.ForeignKey(
        AgreementType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("text as voted"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    decided_at = models.DateTimeField(_("decided"), default=timezone.now)
    responsible = models.ForeignKey(
        "actors.Organization",
        verbose_name=_("responsible organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    published_in = models.CharField(
        _("published in"), max_length=10, choices=Gazette.choices, blank=True
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    # A decision taken before pmot existed: the scanned signed document is the record.
    scanned_document = models.FileField(
        _("scanned document"), upload_to=_scan_name, max_length=200, blank=True
    )
    certificate = models.FileField(
        _("certificate (PDF)"), upload_to="committees/certificates/%Y/", blank=True
    )

    history = HistoricalRecords()
    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-decided_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_in="") | Q(published_on__isnull=False),
                name="agreement_publication_has_a_date",
            ),
        ]

    def __str__(self):
        return self.key

    @property
    def historical(self) -> bool:
        """Entered by an administrator from a session held before pmot, not voted here."""
        return self.item.session.historical

    @property
    def current_text(self) -> str:
        latest = self.versions.order_by("-number").first()
        return latest.text if latest else self.text


class AgreementVersion(models.Model):
    """A later correction of an agreement's text; the voted text stays as it was."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("text"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("version of an agreement")
        verbose_name_plural = _("versions of agreements")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="agreement_version_once"),
        ]

    def __str__(self):
        return f"{self.agreement} v{self.number}"


class FollowUp(models.Model):
    """A note on how the carrying out of an agreement goes, with evidence."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    note = models.TextField(_("note"))
    evidence = models.FileField(_("evidence"), upload_to=_evidence_name, max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["agreement", "-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="follow_up_progress_max"),
        ]

    def __str__(self):
        return f"{self.agreement} · {self.progress} %"


class PastAgreement(Agreement):
    """The admin's door for a decision taken before pmot existed (date, key, scanned document,
    subject): the same record, entered through `agreement_record_historical`."""

    class Meta:
        proxy = True
        verbose_name = _("historical agreement")
        verbose_name_plural = _("historical agreements")
