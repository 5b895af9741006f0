"""The information base of the PMOT: territorial units with their geometry, and the documents
and data sets of the diagnosis with their files (DOMAIN.md §3, phases 2 and 3)."""

from pmot.information.models.documents import (
    Document,
    DocumentFile,
    DocumentKind,
    DocumentRevision,
)
from pmot.information.models.imports import UnitImport
from pmot.information.models.territory import (
    EnvironmentalPolicy,
    Phase,
    TerritorialUnit,
    UnitKind,
    UrbanAction,
    ZoneClass,
    allowed_geometries,
)

__all__ = [
    "Document",
    "DocumentFile",
    "DocumentKind",
    "DocumentRevision",
    "EnvironmentalPolicy",
    "Phase",
    "TerritorialUnit",
    "UnitImport",
    "UnitKind",
    "UrbanAction",
    "ZoneClass",
    "allowed_geometries",
]
