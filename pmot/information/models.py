"""The information base of the PMOT: territorial units with their geometry, and the documents
and data sets of the diagnosis with their files (DOMAIN.md §3, phases 2 and 3)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from pmot.core.models import ImportRecord
from pmot.core.uploads import stored_name
from pmot.information import geo

# Paths under /territorio/ that a unit's key must not take.
RESERVED_KEYS = frozenset({"importar", "nueva"})


class UnitKind(models.TextChoices):
    MANAGEMENT_UNIT = "management_unit", _("Management unit (UGAT)")
    PRIMARY_ZONE = "primary_zone", _("Primary zone")
    LOCALITY = "locality", _("Locality")
    OTHER = "other", _("Other territorial unit")


class EnvironmentalPolicy(models.TextChoices):
    SUSTAINABLE_USE = "sustainable_use", _("Sustainable use")
    CONSERVATION = "conservation", _("Conservation")
    PROTECTION = "protection", _("Protection")
    RESTORATION = "restoration", _("Restoration")


class UrbanAction(models.TextChoices):
    GROWTH = "growth", _("Growth")
    CONSOLIDATION = "consolidation", _("Consolidation")
    IMPROVEMENT = "improvement", _("Improvement")
    CONSERVATION = "conservation", _("Urban conservation")


class ZoneClass(models.TextChoices):
    URBANIZED = "urbanized", _("Urbanized")
    URBANIZABLE = "urbanizable", _("Urbanizable")
    NON_URBANIZABLE = "non_urbanizable", _("Non-urbanizable")
    PROTECTED_AREA = "protected_area", _("Protected natural area")


class Phase(models.IntegerChoices):
    """The five phases of the PMOT (DOMAIN.md §3), fixed: information sits below `phases`."""

    COORDINATION = 1, _("1. Coordination system")
    ANALYSIS = 2, _("2. Analysis")
    FORMULATION = 3, _("3. Formulation")
    EXECUTION = 4, _("4. Execution")
    MONITORING = 5, _("5. Monitoring and evaluation")


def allowed_geometries(kind: str) -> frozenset[str]:
    """A locality may be a point or its urban polygon; every other unit is an area."""
    return geo.POINT | geo.POLYGONAL if kind == UnitKind.LOCALITY else geo.POLYGONAL


class TerritorialUnitQuerySet(models.QuerySet):
    def management_units(self):
        return self.filter(kind=UnitKind.MANAGEMENT_UNIT)


class TerritorialUnit(models.Model):
    """A UGAT, a primary zone, a locality: a piece of the municipality with its geometry.

    The geometry is a GeoJSON geometry object in WGS84 (no GIS database). The environmental
    policy and the urban action belong to management units only; the zone class to primary
    zones only (checked here and by constraints).
    """

    key = models.CharField(
        _("key"),
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
                _("Use letters, digits, dots, hyphens or underscores, without spaces."),
            )
        ],
        help_text=_("For example UGAT-07 or ZP-U-01."),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    environmental_policy = models.CharField(
        _("environmental policy"), max_length=20, choices=EnvironmentalPolicy.choices, blank=True
    )
    urban_action = models.CharField(
        _("urban action"), max_length=20, choices=UrbanAction.choices, blank=True
    )
    zone_class = models.CharField(
        _("primary zone class"), max_length=20, choices=ZoneClass.choices, blank=True
    )
    surface_ha = models.DecimalField(
        _("surface (ha)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Computed from the geometry when left empty."),
    )
    description = models.TextField(_("description"), blank=True)
    geometry = models.JSONField(_("geometry (GeoJSON, WGS84)"))
    map_geometry = models.JSONField(
        _("geometry for the maps"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The geometry simplified for the maps, computed whenever the unit is saved."),
    )

    # The maps' copy follows from the geometry, which the history keeps.
    history = HistoricalRecords(excluded_fields=["map_geometry"])
    objects = TerritorialUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("territorial unit")
        verbose_name_plural = _("territorial units")
        ordering = ["kind", "key"]
        permissions = [("import_territorialunit", _("Can import territorial units from a file"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="management_unit")
                | (Q(environmental_policy="") & Q(urban_action="")),
                name="unit_policy_only_for_management_units",
            ),
            models.CheckConstraint(
                condition=~Q(kind="management_unit") | ~Q(environmental_policy=""),
                name="unit_management_unit_has_a_policy",
            ),
            models.CheckConstraint(
                condition=Q(kind="primary_zone", zone_class__gt="")
                | (~Q(kind="primary_zone") & Q(zone_class="")),
                name="unit_zone_class_only_for_primary_zones",
            ),
        ]

    def __str__(self):
        return f"{self.key} · {self.name}"

    def save(self, *args, **kwargs):
        """Every save that writes the geometry writes its simplified copy for the maps too,
        whatever the path (form, import, admin, demo data)."""
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "geometry" in update_fields:
            self.map_geometry = geo.simplify(self.geometry)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "map_geometry"}
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.key in RESERVED_KEYS:
            errors["key"] = _("This key is reserved; choose another.")
        if self.kind == UnitKind.MANAGEMENT_UNIT:
            if not self.environmental_policy:
                errors["environmental_policy"] = _(
                    "A management unit needs its environmental policy."
                )
        else:
            if self.environmental_policy:
                errors["environmental_policy"] = _(
                    "Only management units (UGAT) carry an environmental policy."
                )
            if self.urban_action:
                errors["urban_action"] = _("Only management units (UGAT) carry an urban action.")
        if self.kind == UnitKind.PRIMARY_ZONE and not self.zone_class:
            errors["zone_class"] = _("A primary zone needs its class.")
        if self.kind != UnitKind.PRIMARY_ZONE and self.zone_class:
            errors["zone_class"] = _("Only primary zones carry a zone class.")
        if self.kind:
            try:
                geo.validate(self.geometry, allowed=allowed_geometries(self.kind))
            except geo.GeometryError as error:
                errors["geometry"] = (
                    _("Unit %(unit)s: %(reason)s.") % {"unit": self.key, "reason": error.message}
                    if error.code == "too_large"
                    else error.message
                )
        if errors:
            raise ValidationError(errors)

    @property
    def is_point(self) -> bool:
        return self.geometry.get("type") == "Point"

    @property
    def geometry_for_map(self) -> dict:
        """What the maps draw: the simplified copy kept on save (computed now for a row
        written without `save()`, such as by `QuerySet.update()`)."""
        if self.map_geometry is not None:
            return self.map_geometry
        return geo.simplify(self.geometry)


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
