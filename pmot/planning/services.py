"""Plans and alignment: every write with a rule."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.models import Agreement, Body
from pmot.actors.models import Organization
from pmot.core import imports as core_imports
from pmot.core.spreadsheets import Row, table_check
from pmot.planning import hooks, rules
from pmot.planning.models import Alignment, Plan, PlanElement, PlanImport, Program


@transaction.atomic
def element_add(
    *, plan: Plan, key: str, name: str, parent: PlanElement | None = None, responsible=None
) -> PlanElement:
    """Add an element under `parent` (or at the top), one level below it."""
    key, name = key.strip(), name.strip()
    if not key or not name:
        raise ValidationError(_("An element needs a key and a name."))
    if parent is not None and parent.plan_id != plan.pk:
        raise ValidationError(_("An element sits under an element of the same plan."))
    level = 0 if parent is None else parent.level + 1
    if level >= len(plan.level_names):
        raise ValidationError(
            _("This plan has %(count)s levels; an element cannot go below the last one.")
            % {"count": len(plan.level_names)}
        )
    if plan.elements.filter(key=key).exists():
        raise ValidationError(_("The key %(key)s is already used in this plan.") % {"key": key})
    position = (plan.elements.aggregate(n=Max("position"))["n"] or 0) + 1
    return PlanElement.objects.create(
        plan=plan,
        parent=parent,
        key=key,
        name=name,
        level=level,
        position=position,
        responsible=responsible,
    )


@transaction.atomic
def alignment_add(*, source: PlanElement, target: PlanElement, note: str = "") -> Alignment:
    """Link two elements of different plans; a link is stored once, whichever side adds it."""
    if source.plan_id == target.plan_id:
        raise ValidationError(_("Alignment links elements of different plans."))
    exists = Alignment.objects.filter(
        Q(source=source, target=target) | Q(source=target, target=source)
    ).exists()
    if exists:
        raise ValidationError(_("These elements are aligned already."))
    return Alignment.objects.create(source=source, target=target, note=note)


def alignments_of(element: PlanElement):
    """Every element aligned with `element`, whichever side the link was entered from."""
    return PlanElement.objects.filter(
        Q(aligned_to__target=element) | Q(aligned_from__source=element)
    ).select_related("plan")


# --- The program -------------------------------------------------------------------------------

DECIDED_IN_FAVOUR = (
    Agreement.Status.APPROVED,
    Agreement.Status.IN_PROGRESS,
    Agreement.Status.FULFILLED,
    Agreement.Status.OVERDUE,
)
STATUS_ORDER = list(Program.Status.values)


@transaction.atomic
def program_update(*, program: Program, **fields) -> Program:
    """Change the program's data. Its status moves forward only (drafting → consultation →
    approved → in force). Approval needs an approved agreement of the Cabildo and what other
    apps require of it (every public consultation closed and answered: `hooks`). Force needs,
    besides the approval, the state's congruence opinion (favourable, or its term over in
    silence) and the publication in the state gazette on or after both (LGAHOTDU arts. 44, 30)."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    before = (program.status, program.approval_agreement_id)
    for name, value in fields.items():
        setattr(program, name, value)
    for role, agreement in (
        (_("started"), program.start_agreement),
        (_("approved"), program.approval_agreement),
    ):
        if agreement is None:
            continue
        if agreement.status not in DECIDED_IN_FAVOUR:
            raise ValidationError(
                _("Agreement %(key)s was not approved; it cannot be the one that %(role)s it.")
                % {"key": agreement.key, "role": role}
            )
        if agreement.body.kind != Body.Kind.CABILDO:
            raise ValidationError(
                _("Agreement %(key)s is not of the Cabildo; only the Cabildo %(role)s the PMOT.")
                % {"key": agreement.key, "role": role}
            )
    if STATUS_ORDER.index(program.status) < STATUS_ORDER.index(before[0]):
        raise ValidationError(
            _("The program cannot go back from “%(before)s” to “%(after)s”.")
            % {
                "before": Program.Status(before[0]).label,
                "after": Program.Status(program.status).label,
            }
        )
    needs_approval = program.status in (Program.Status.APPROVED, Program.Status.IN_FORCE)
    if needs_approval and program.approval_agreement is None:
        raise ValidationError(_("Name the Cabildo's agreement that approved the program."))
    _check_opinion(program)
    if needs_approval and (program.status, program.approval_agreement_id) != before:
        hooks.approval_allowed(program)
    if program.status == Program.Status.IN_FORCE:
        missing = in_force_missing(program)
        if missing:
            raise ValidationError(missing)
    program.full_clean()
    program.save()
    return program


def _check_opinion(program: Program) -> None:
    """The dates and result of the state's opinion agree with each other and with today."""
    today = timezone.localdate()
    requested, received = program.opinion_requested_on, program.opinion_received_on
    if bool(received) != bool(program.opinion):
        raise ValidationError(
            _("Give both the day the state's opinion was received and its result.")
        )
    if received and requested is None:
        raise ValidationError(
            _("Record the day the state's opinion was requested before its answer.")
        )
    if received and received < requested:
        raise ValidationError(
            _("The state's opinion is received on or after the day it was requested.")
        )
    if (requested and requested > today) or (received and received > today):
        raise ValidationError(_("The days of the state's opinion cannot be in the future."))


def in_force_missing(program: Program) -> list[str]:
    """Why `program` cannot be in force today, in words; empty when it may. Besides its
    approval: the state's opinion, favourable or tacitly so, and the publication in the
    state gazette on or after both, not in the future."""
    today = timezone.localdate()
    missing = []
    approved_on = (
        timezone.localdate(program.approval_agreement.decided_at)
        if program.approval_agreement is not None
        else None
    )
    if approved_on is None:
        missing.append(_("Name the Cabildo's agreement that approved the program."))
    opinion_on = program.opinion_favourable_on(today)
    if program.opinion_requested_on is None:
        missing.append(
            _(
                "The state's congruence opinion has not been requested (LGAHOTDU art. 44): "
                "record the day it was requested."
            )
        )
    elif program.opinion == Program.Opinion.UNFAVOURABLE:
        missing.append(
            _(
                "The state's congruence opinion was unfavourable: the program does not come "
                "into force until a new request is answered favourably or goes unanswered."
            )
        )
    elif opinion_on is None:
        missing.append(
            _(
                "The state has until %(deadline)s to give its congruence opinion; without an "
                "answer it counts as favourable from %(tacit)s."
            )
            % {
                "deadline": program.opinion_deadline.strftime("%d/%m/%Y"),
                "tacit": rules.tacit_opinion_on(program.opinion_requested_on).strftime("%d/%m/%Y"),
            }
        )
    published = program.gazette_published_on
    if published is None:
        missing.append(
            _("The program is in force only once published: give the date of the state gazette.")
        )
        return missing
    if published > today:
        missing.append(_("The date of the state gazette cannot be in the future."))
    if approved_on is not None and published < approved_on:
        missing.append(
            _("The program is published on or after its approval by the Cabildo (%(date)s).")
            % {"date": approved_on.strftime("%d/%m/%Y")}
        )
    if opinion_on is not None and published < opinion_on:
        missing.append(
            _("The program is published on or after the state's favourable opinion (%(date)s).")
            % {"date": opinion_on.strftime("%d/%m/%Y")}
        )
    return missing


def program_decided(*, subject: Program, agreement: Agreement) -> None:
    """Reaction to an agreement of the Cabildo on the program (committees' approval hook): the
    first approved one starts the process, the next approves the program. A rejection changes
    nothing."""
    if agreement.status != Agreement.Status.APPROVED:
        return
    if agreement.body.kind != Body.Kind.CABILDO:
        raise ValidationError(_("Only the Cabildo starts and approves the PMOT."))
    if subject.start_agreement_id is None:
        program_update(program=subject, start_agreement=agreement)
    elif subject.approval_agreement_id is None:
        program_update(
            program=subject, approval_agreement=agreement, status=Program.Status.APPROVED
        )


# --- Elements and alignment --------------------------------------------------------------------


@transaction.atomic
def element_update(*, element: PlanElement, key: str, name: str, responsible=None) -> PlanElement:
    key, name = key.strip(), name.strip()
    if not key or not name:
        raise ValidationError(_("An element needs a key and a name."))
    if element.plan.elements.filter(key=key).exclude(pk=element.pk).exists():
        raise ValidationError(_("The key %(key)s is already used in this plan.") % {"key": key})
    element.key, element.name, element.responsible = key, name, responsible
    element.save()
    return element


@transaction.atomic
def alignment_remove(*, alignment: Alignment) -> None:
    alignment.delete()


# --- Plan trees from spreadsheets --------------------------------------------------------------

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
