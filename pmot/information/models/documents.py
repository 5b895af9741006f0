"""The documents and data sets of the diagnosis, with their revisions and files (DOMAIN.md §3,
phases 2 and 3)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pmot.core.uploads import stored_name
from pmot.information.models.territory import Phase, TerritorialUnit


def _stored_name(instance: "DocumentFile", filename: str) -> str:
    """A generated name: what people upload never becomes a path on our disk."""
    return stored_name("information", filename)


class DocumentKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    DATASET = "dataset", _("Data set")
    MAP = "map", _("Map")
    STUDY = "study", _("Study")
    REPORT = "report", _("Report")


class DocumentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Document(models.Model):
    """A document, data set, map or study of the information base, with one or more files.

    Its author organization decides who may change it: IMPLAN's planners change any, an
    organization-bound role only those of its organization. Published documents and their
    files are public; the rest are internal records.
    """

    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices)
    author_organization = models.ForeignKey(
        "actors.Organization",
        verbose_name=_("author organization"),
        on_delete=models.PROTECT,
        related_name="information_documents",
    )
    date = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=250, blank=True)
    license = models.CharField(
        _("license"),
        max_length=120,
        blank=True,
        help_text=_("For example CC BY 4.0, or INEGI's free-use terms."),
    )
    phase = models.PositiveSmallIntegerField(_("PMOT phase"), choices=Phase.choices)
    description = models.TextField(_("description"), blank=True)
    units = models.ManyToManyField(
        TerritorialUnit,
        verbose_name=_("territorial units"),
        blank=True,
        related_name="documents",
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Published documents and their files can be read by anyone, with no account."),
    )
    updated_at = models.DateTimeField(_("last update"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[units])
    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document or data set")
        verbose_name_plural = _("documents and data sets")
        ordering = ["-date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(phase__gte=1, phase__lte=5), name="document_phase_one_to_five"
            ),
        ]

    def __str__(self):
        return self.title


class DocumentRevision(models.Model):
    """A change to a published document by someone who does not publish (its organization's
    liaison): its fields and territorial units as requested, and the files it adds. The
    document, and the public, keep the published version until IMPLAN approves the revision;
    whoever asked never approves it (issue 19, four eyes)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="revisions"
    )
    # The document's fields as requested, by name (dates as ISO text).
    fields = models.JSONField(_("requested fields"), default=dict, blank=True)
    # The requested territorial units' ids, or null when they do not change.
    units = models.JSONField(_("requested territorial units"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("requested"), auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_reason = models.CharField(_("reason of the review"), max_length=400, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("revision of a document")
        verbose_name_plural = _("revisions of documents")
        ordering = ["document", "-at"]
        constraints = [
            models.UniqueConstraint(
                fields=["document"],
                condition=Q(status="pending"),
                name="one_pending_revision_per_document",
            ),
        ]

    def __str__(self):
        return f"{self.document} · {self.get_status_display()}"


class DocumentFileQuerySet(models.QuerySet):
    def public(self):
        """The files a published document shows to the public: not those still waiting in a
        revision, nor those of a rejected one."""
        return self.filter(Q(revision__isnull=True) | Q(revision__status="approved"))


class DocumentFile(models.Model):
    """One file of a document, stored under a generated name outside any public URL and
    served only through a permission-checked view, under its original name. A file added to a
    published document by someone who does not publish waits in a revision."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=_stored_name, max_length=200)
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revision = models.ForeignKey(
        DocumentRevision,
        verbose_name=_("revision it waits in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="files",
    )

    history = HistoricalRecords()
    objects = DocumentFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("file")
        verbose_name_plural = _("files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name
