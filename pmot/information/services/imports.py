"""The import of territorial units from a file: received by the request, run by a job."""

from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from pmot.core import imports as core_imports
from pmot.core.history import acting_as
from pmot.information import importers
from pmot.information.models import (
    TerritorialUnit,
    UnitImport,
)
from pmot.information.services.territory import with_surface


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


IMPORT_TASK = ("pmot.information.tasks.import_units", "unit_import_id")


@transaction.atomic
def unit_import_receive(*, upload, update_existing: bool = False, by) -> UnitImport:
    """Bound an uploaded GeoJSON file or zipped shapefile (nothing parsed here), keep it, and
    ask a job to import it. Raises ValidationError, in Spanish, at once for a file that is not
    one within the limits of an import: then nothing is kept and no job is asked."""
    return core_imports.import_receive(
        UnitImport,
        upload=upload,
        rows_total=importers.bound(upload),
        by=by,
        task=IMPORT_TASK,
        update_existing=update_existing,
    )


@transaction.atomic
def unit_import_run(*, unit_import_id: int) -> None:
    """The job: import a stored file, every feature or none, and record the outcome on its
    UnitImport."""

    def work(record: UnitImport) -> dict:
        with record.file.open("rb") as stored:
            result = units_import(
                upload=File(stored, name=record.original_name),
                update_existing=record.update_existing,
                by=record.requested_by,
                progress=partial(core_imports.import_report, record, label=_("checking features")),
            )
        return {
            "rows_read": result.created + result.updated,
            "created": result.created,
            "updated": result.updated,
        }

    record = UnitImport.objects.select_for_update().get(pk=unit_import_id)
    core_imports.import_run(record, work)


def units_import(*, upload, update_existing: bool = False, by=None, progress=None) -> ImportResult:
    """Import units from a GeoJSON file or a zipped shapefile: all of them or none (the job's
    work; `progress(features checked)` is told as it goes).

    Keys are the identity. With `update_existing`, a key already in the database updates that
    unit (name, kind, attributes, geometry); without it, such a key is an error. A feature
    with no surface gets the area of its geometry. Raises ValidationError with one message for
    the file, or one per bad feature (its number, key and reasons).
    """
    importers.bound(upload)
    features = importers.read(upload)
    rows, errors = importers.check(features, update_existing=update_existing, progress=progress)
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
            with_surface(unit)
            unit.save()
            created += is_new
            updated += not is_new
    return ImportResult(created=created, updated=updated)
