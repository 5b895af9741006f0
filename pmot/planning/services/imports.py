"""A plan's tree from a spreadsheet: received by the request, run by a job."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from pmot.actors.models import Organization
from pmot.core import imports as core_imports
from pmot.core.spreadsheets import Row, table_check
from pmot.planning.models import Plan, PlanElement, PlanImport

IMPORT_COLUMNS = ("clave", "clave_superior", "nombre")
IMPORT_TASK = ("pmot.planning.tasks.import_plan_elements", "plan_import_id")
OPTIONAL_COLUMNS = ("responsable",)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


@transaction.atomic
def plan_import_receive(*, plan: Plan, upload, by) -> PlanImport:
    """Bound an uploaded file (nothing parsed here), keep it, and ask a job to import it.
    Raises ValidationError, in Spanish, at once for a file that is not an XLSX or CSV within
    the limits of an import: then nothing is kept and no job is asked."""
    return core_imports.import_receive(
        PlanImport,
        upload=upload,
        rows_total=table_check(upload),
        by=by,
        task=IMPORT_TASK,
        plan=plan,
    )


@transaction.atomic
def plan_import_run(*, plan_import_id: int) -> None:
    """The job: import a stored file, all rows or none, and record the outcome on its
    PlanImport."""

    def work(record: PlanImport) -> dict:
        rows = core_imports.import_rows(record, IMPORT_COLUMNS, OPTIONAL_COLUMNS)
        result = plan_import(plan=record.plan, rows=rows)
        return {"created": result.created, "updated": result.updated}

    record = PlanImport.objects.select_for_update().select_related("plan").get(pk=plan_import_id)
    core_imports.import_run(record, work)


@transaction.atomic
def plan_import(*, plan: Plan, rows: list[Row]) -> ImportResult:
    """Add a plan's elements from spreadsheet rows (one element a row, with its parent's key),
    and rename those whose key exists already. Every row is checked first: with any bad row
    nothing is saved, and the ValidationError lists each bad row with its reason."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    existing = {element.key: element for element in plan.elements.select_related("parent")}
    organizations = {
        organization.acronym.casefold(): organization
        for organization in Organization.objects.exclude(acronym="")
    }
    errors: list[tuple[int, str]] = []

    def bad(row: Row, reason: str) -> None:
        errors.append((row.number, reason))

    seen: dict[str, Row] = {}
    for row in rows:
        key, parent_key, name = row.get("clave"), row.get("clave_superior"), row.get("nombre")
        if not key:
            bad(row, _("the key is missing."))
            continue
        if len(key) > PlanElement._meta.get_field("key").max_length:
            bad(row, _("the key %(key)s is longer than 30 characters.") % {"key": key})
        if key in seen:
            bad(
                row,
                _("the key %(key)s is repeated (also in row %(other)s).")
                % {"key": key, "other": seen[key].number},
            )
            continue
        seen[key] = row
        if not name:
            bad(row, _("the element %(key)s has no name.") % {"key": key})
        if parent_key == key:
            bad(row, _("the element %(key)s cannot be its own parent.") % {"key": key})
        acronym = row.get("responsable")
        if acronym and acronym.casefold() not in organizations:
            bad(
                row,
                _("no organization has the acronym %(acronym)s.") % {"acronym": acronym},
            )

    parents = {key: row.get("clave_superior") for key, row in seen.items()}
    for key, element in existing.items():
        parents.setdefault(key, element.parent.key if element.parent else "")
    levels: dict[str, int] = {}

    def level_of(key: str, path: tuple[str, ...] = ()) -> int | None:
        """The element's depth from the top, or None when its chain of parents is broken."""
        if key in levels:
            return levels[key]
        if key in path or key not in parents:
            return None
        parent_key = parents[key]
        if not parent_key:
            level = 0
        else:
            above = level_of(parent_key, (*path, key))
            level = None if above is None else above + 1
        if level is not None:
            levels[key] = level
        return level

    for key, row in seen.items():
        parent_key = row.get("clave_superior")
        if parent_key == key:
            continue
        if parent_key and parent_key not in parents:
            bad(
                row,
                _("the parent key %(parent)s is neither in the file nor in the plan.")
                % {"parent": parent_key},
            )
            continue
        level = level_of(key)
        if level is None:
            bad(row, _("the element %(key)s is its own ancestor (a cycle).") % {"key": key})
            continue
        if level >= len(plan.level_names):
            bad(
                row,
                _("the element %(key)s would be at level %(level)s; this plan has %(count)s.")
                % {"key": key, "level": level + 1, "count": len(plan.level_names)},
            )
        element = existing.get(key)
        current_parent = element.parent.key if element and element.parent else ""
        if element is not None and parent_key != current_parent:
            bad(
                row,
                _(
                    "the element %(key)s already hangs from “%(current)s”; "
                    "move it in the plan, not by import."
                )
                % {"key": key, "current": current_parent or _("the top")},
            )
    if errors:
        raise ValidationError(
            [
                _("Row %(row)s: %(reason)s") % {"row": number, "reason": reason}
                for number, reason in sorted(errors, key=lambda error: error[0])
            ]
        )

    created = updated = 0
    position = (plan.elements.aggregate(n=Max("position"))["n"] or 0) + 1
    saved = dict(existing)
    for row in sorted(seen.values(), key=lambda row: (levels[row.get("clave")], row.number)):
        key = row.get("clave")
        element = existing.get(key)
        if "responsable" in row.values:
            responsible = organizations.get(row.get("responsable").casefold())
        else:
            responsible = element.responsible if element else None
        if element is None:
            parent_key = row.get("clave_superior")
            saved[key] = PlanElement.objects.create(
                plan=plan,
                parent=saved[parent_key] if parent_key else None,
                key=key,
                name=row.get("nombre"),
                level=levels[key],
                position=position + row.number,
                responsible=responsible,
            )
            created += 1
        elif (element.name, element.responsible_id) != (
            row.get("nombre"),
            getattr(responsible, "pk", None),
        ):
            element.name, element.responsible = row.get("nombre"), responsible
            element.save(update_fields=["name", "responsible"])
            updated += 1
    return ImportResult(created, updated)
