"""Every write of the information base: one transaction each, rules checked here."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from pmot.core import uploads
from pmot.core.history import acting_as
from pmot.information import geo, importers
from pmot.information.models import Document, DocumentFile, TerritorialUnit


def _with_surface(unit: TerritorialUnit) -> None:
    """The surface comes from the geometry unless someone gave it."""
    if unit.surface_ha is None and not unit.is_point:
        area = geo.area_hectares(unit.geometry)
        unit.surface_ha = Decimal(f"{area:.2f}") if area is not None else None


# --- Territorial units --------------------------------------------------------------------------


@transaction.atomic
def unit_save(*, unit: TerritorialUnit, by=None) -> TerritorialUnit:
    """Create or change a unit (the form already set its fields)."""
    with acting_as(by):
        unit.full_clean()
        _with_surface(unit)
        unit.save()
    return unit


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def units_import(*, upload, update_existing: bool = False, by=None) -> ImportResult:
    """Import units from a GeoJSON file or a zipped shapefile: all of them or none.

    Keys are the identity. With `update_existing`, a key already in the database updates that
    unit (name, kind, attributes, geometry); without it, such a key is an error. A feature
    with no surface gets the area of its geometry. Raises ValidationError with one message for
    the file, or one per bad feature (its number, key and reasons).
    """
    limit = uploads.max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("The file weighs more than the limit of %(limit)d MB."),
            code="too_large",
            params={"limit": limit // (1024 * 1024)},
        )
    extension = uploads.extension_of(upload.name)
    upload.seek(0)
    if extension in (".geojson", ".json"):
        features = importers.read_geojson(upload.read())
    elif extension == ".zip":
        features = importers.read_shapefile_zip(upload, max_bytes=limit)
    else:
        raise ValidationError(
            _("Import a GeoJSON file (.geojson or .json) or a zipped shapefile (.zip)."),
            code="extension",
        )
    # After the importer's own messages, which say what is wrong with the data in its words:
    # the one check of every upload (markup, executables inside a zip).
    uploads.check_upload(upload, accept=uploads.GEODATA)
    if not features:
        raise ValidationError(_("The file has no features to import."), code="empty")
    rows, errors = importers.check(features, update_existing=update_existing)
    if errors:
        raise ValidationError(errors)
    return _save_rows(rows, by=by)


@transaction.atomic
def _save_rows(rows, *, by) -> ImportResult:
    existing = {
        unit.key: unit
        for unit in TerritorialUnit.objects.select_for_update().filter(
            key__in=[row.key for row in rows]
        )
    }
    created = updated = 0
    with acting_as(by):
        for row in rows:
            unit = existing.get(row.key) or TerritorialUnit(key=row.key)
            is_new = unit.pk is None
            for name, value in row.fields.items():
                setattr(unit, name, value)
            _with_surface(unit)
            unit.save()
            created += is_new
            updated += not is_new
    return ImportResult(created=created, updated=updated)


# --- Documents ----------------------------------------------------------------------------------


def _add_files(document: Document, files, by) -> list[DocumentFile]:
    return [
        DocumentFile.objects.create(
            document=document,
            file=upload,
            original_name=upload.name[:255],
            content_type=uploads.check_upload(upload),
            size=upload.size,
            uploaded_by=by,
        )
        for upload in files
    ]


def _check_files(files) -> None:
    errors = []
    for upload in files:
        try:
            uploads.check_upload(upload)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def document_save(*, document: Document, units=None, files=(), by=None) -> Document:
    """Create or change a document, set its territorial units and add its files.

    A new document needs at least one file. Every file is checked (extension, content, size)
    before anything is written.
    """
    files = list(files)
    if document.pk is None and not files:
        raise ValidationError(_("Attach at least one file."), code="no_file")
    _check_files(files)
    with acting_as(by):
        document.full_clean()
        document.save()
        if units is not None:
            document.units.set(units)
        _add_files(document, files, by)
    return document


@transaction.atomic
def document_file_add(*, document: Document, upload, by=None) -> DocumentFile:
    _check_files([upload])
    with acting_as(by):
        (added,) = _add_files(document, [upload], by)
        document.save(update_fields=["updated_at"])
    return added
