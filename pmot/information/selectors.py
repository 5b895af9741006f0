"""Reads across relations or per user."""

from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse

from pmot.core.permissions import restrict
from pmot.information.models import Document, DocumentFile, TerritorialUnit, UnitKind


def units_list() -> list[TerritorialUnit]:
    """Every unit, management units first, then primary zones, localities and the rest."""
    order = {kind: position for position, kind in enumerate(UnitKind.values)}
    units = TerritorialUnit.objects.defer("geometry")  # the map draws `map_geometry`
    return sorted(units, key=lambda unit: (order[unit.kind], unit.key))


def feature_collection(units) -> dict:
    """The units as a GeoJSON FeatureCollection for the map, with what the map shows of each;
    their simplified geometries, of a bounded size whatever was imported."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": unit.geometry_for_map,
                "properties": {
                    "key": unit.key,
                    "name": unit.name,
                    "kind": unit.kind,
                    "kind_label": str(unit.get_kind_display()),
                    "policy": unit.environmental_policy,
                    "policy_label": str(unit.get_environmental_policy_display()),
                    "url": reverse("information:unit_detail", args=[unit.key]),
                },
            }
            for unit in units
        ],
    }


def _documents() -> QuerySet[Document]:
    return Document.objects.select_related("author_organization").annotate(
        files_count=Count("files")
    )


def documents_visible_to(user) -> QuerySet[Document]:
    return restrict(_documents(), user)


def published_documents() -> QuerySet[Document]:
    """The published documents, each with `public_files`: those not waiting in a revision."""
    return (
        _documents()
        .published()
        .prefetch_related(
            Prefetch("files", queryset=DocumentFile.objects.public(), to_attr="public_files")
        )
    )


def documents_of_unit(unit: TerritorialUnit, user) -> QuerySet[Document]:
    return documents_visible_to(user).filter(units=unit)
