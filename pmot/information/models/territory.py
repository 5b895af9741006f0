"""The territorial units of the information base, with their geometry (DOMAIN.md §3)."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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
