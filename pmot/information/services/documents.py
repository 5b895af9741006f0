"""Writes of documents, their revisions and files: one transaction each, rules checked here."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pmot.core import uploads
from pmot.core.history import acting_as
from pmot.information import permissions
from pmot.information.models import (
    Document,
    DocumentFile,
    DocumentRevision,
    TerritorialUnit,
)


def _add_files(document: Document, files, by, revision=None) -> list[DocumentFile]:
    return [
        DocumentFile.objects.create(
            document=document,
            file=upload,
            original_name=upload.name[:255],
            content_type=uploads.check_upload(upload),
            size=upload.size,
            uploaded_by=by,
            revision=revision,
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


# The fields a revision may change: what the document form edits, publication aside.
REVISED_FIELDS = (
    "title",
    "kind",
    "author_organization",
    "date",
    "source",
    "license",
    "phase",
    "description",
)


def _as_json(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _pending_revision(document: Document, by) -> DocumentRevision:
    revision, _created = DocumentRevision.objects.select_for_update().get_or_create(
        document=document, status=DocumentRevision.Status.PENDING, defaults={"by": by}
    )
    return revision


def _revise(stored: Document, edited: Document, units, files, by) -> DocumentRevision:
    """What `by` changed of the published `stored` (as `edited`, units, files) waits in its
    pending revision; the document itself does not change."""
    changed = {}
    for name in REVISED_FIELDS:
        attname = Document._meta.get_field(name).attname
        new, old = getattr(edited, attname), getattr(stored, attname)
        if new != old:
            changed[attname] = _as_json(new)
    new_units = None
    if units is not None:
        wanted = sorted(unit.pk for unit in units)
        if wanted != sorted(stored.units.values_list("pk", flat=True)):
            new_units = wanted
    if not changed and new_units is None and not files:
        raise ValidationError(_("Nothing changes: the document already reads like that."))
    revision = _pending_revision(stored, by)
    revision.fields = {**revision.fields, **changed}
    if new_units is not None:
        revision.units = new_units
    revision.by = by
    revision.save()
    _add_files(stored, files, by, revision=revision)
    return revision


@transaction.atomic
def document_save(
    *, document: Document, units=None, files=(), by=None
) -> Document | DocumentRevision:
    """Create or change a document, set its territorial units and add its files.

    A new document needs at least one file. Every file is checked (extension, content, size)
    before anything is written. A change to a published document by someone who does not
    publish (`by`) waits in the document's pending revision, which is returned: the document,
    and the public, keep the published version until IMPLAN approves it.
    """
    files = list(files)
    if document.pk is None and not files:
        raise ValidationError(_("Attach at least one file."), code="no_file")
    _check_files(files)
    with acting_as(by):
        if document.pk is not None and by is not None and not permissions.can_publish(by):
            stored = Document.objects.select_for_update().get(pk=document.pk)
            if stored.is_published:
                document.is_published = True
                document.full_clean()
                return _revise(stored, document, units, files, by)
        document.full_clean()
        document.save()
        if units is not None:
            document.units.set(units)
        _add_files(document, files, by)
    return document


@transaction.atomic
def document_file_add(*, document: Document, upload, by=None) -> DocumentFile:
    """Attach a file; to a published document, from someone who does not publish, it waits in
    the document's pending revision."""
    _check_files([upload])
    with acting_as(by):
        document = Document.objects.select_for_update().get(pk=document.pk)
        if document.is_published and by is not None and not permissions.can_publish(by):
            revision = _pending_revision(document, by)
            revision.by = by
            revision.save()
            (added,) = _add_files(document, [upload], by, revision=revision)
            return added
        (added,) = _add_files(document, [upload], by)
        document.save(update_fields=["updated_at"])
    return added


def _check_reviewer(revision: DocumentRevision, by) -> DocumentRevision:
    revision = DocumentRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.status != DocumentRevision.Status.PENDING:
        raise ValidationError(_("This revision is reviewed already."))
    asked = {revision.by_id, *revision.files.values_list("uploaded_by_id", flat=True)}
    if by.pk in asked:
        raise ValidationError(
            _("You asked for this revision: another person of IMPLAN reviews it.")
        )
    return revision


@transaction.atomic
def revision_approve(*, revision: DocumentRevision, by) -> Document:
    """IMPLAN approves a pending revision: the document takes its fields, units and files,
    and the public reads them."""
    revision = _check_reviewer(revision, by)
    with acting_as(by):
        document = Document.objects.select_for_update().get(pk=revision.document_id)
        for attname, value in revision.fields.items():
            field = Document._meta.get_field(attname.removesuffix("_id"))
            setattr(document, attname, value if field.is_relation else field.to_python(value))
        document.full_clean()
        document.save()
        if revision.units is not None:
            document.units.set(TerritorialUnit.objects.filter(pk__in=revision.units))
        revision.status = DocumentRevision.Status.APPROVED
        revision.reviewed_by, revision.reviewed_at = by, timezone.now()
        revision.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return document


@transaction.atomic
def revision_reject(*, revision: DocumentRevision, by, reason: str) -> DocumentRevision:
    """IMPLAN rejects a pending revision, saying why: the document keeps its published version
    and the revision's files are never public."""
    revision = _check_reviewer(revision, by)
    if not reason.strip():
        raise ValidationError(_("Say why the revision is rejected."))
    with acting_as(by):
        revision.status = DocumentRevision.Status.REJECTED
        revision.reviewed_by, revision.reviewed_at = by, timezone.now()
        revision.review_reason = reason.strip()
        revision.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason"])
    return revision


def describe_revision(revision: DocumentRevision) -> list[dict]:
    """What `revision` asks, field by field, beside the published value: for the staff page."""
    document, rows = revision.document, []
    for attname, value in revision.fields.items():
        field = Document._meta.get_field(attname.removesuffix("_id"))
        if field.is_relation:
            new = field.related_model.objects.filter(pk=value).first()
            old = getattr(document, field.name)
        elif field.choices:
            labels = dict(field.flatchoices)
            new, old = labels.get(value, value), labels.get(getattr(document, attname))
        else:
            new, old = field.to_python(value), getattr(document, attname)
        rows.append({"label": field.verbose_name, "published": old, "requested": new})
    if revision.units is not None:
        units = TerritorialUnit.objects.filter(pk__in=revision.units).order_by("key")
        rows.append(
            {
                "label": Document._meta.get_field("units").verbose_name,
                "published": ", ".join(u.key for u in document.units.order_by("key")) or "—",
                "requested": ", ".join(u.key for u in units) or "—",
            }
        )
    return rows
