"""Writes of territorial units: one transaction each, rules checked here."""

from decimal import Decimal

from django.db import transaction

from pmot.core.history import acting_as
from pmot.information import geo
from pmot.information.models import (
    TerritorialUnit,
)


def with_surface(unit: TerritorialUnit) -> None:
    """The surface comes from the geometry unless someone gave it (from the full geometry;
    `TerritorialUnit.save` keeps the maps' simplified copy)."""
    if unit.surface_ha is None and not unit.is_point:
        area = geo.area_hectares(unit.geometry)
        unit.surface_ha = Decimal(f"{area:.2f}") if area is not None else None


# --- Territorial units --------------------------------------------------------------------------


@transaction.atomic
def unit_save(*, unit: TerritorialUnit, by=None) -> TerritorialUnit:
    """Create or change a unit (the form already set its fields)."""
    with acting_as(by):
        unit.full_clean()
        with_surface(unit)
        unit.save()
    return unit
