"""A POA's actions from a spreadsheet (XLSX or CSV), one action a row, with optionally one
budget line; a key repeated on later rows adds another line to the same action.

Every row is checked first, against the catalogues and the rules, and nothing is written while
any row is wrong. The writes then go through the services (`action_save`, `action_align`,
`line_add`, `movement_record`) in one transaction: a rule one of them refuses still rolls
everything back, and its reason is reported against its row.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from budgeting.models import (
    FISMDF_CAPS,
    Action,
    ActionKind,
    ExpenseItem,
    FismdfCategory,
    FunctionalClass,
    FundingSource,
    Poa,
    PoaImport,
    ProgramModality,
)
from budgeting.services import money
from budgeting.services import poa as poa_services
from budgeting.services.exports import PERIOD_COLUMNS
from pmot.actors.models import Organization
from pmot.core import imports as core_imports
from pmot.core.spreadsheets import Row, table_check
from pmot.information.models import TerritorialUnit
from pmot.planning.models import PlanElement

COLUMNS = ("clave", "nombre", "tipo", "responsable", "modalidad", "meta", "unidad", "alineacion")
ACTION_OPTIONAL = ("calendario", "unidad_territorial", *PERIOD_COLUMNS)
LINE_COLUMNS = ("fuente", "partida", "funcional", "aprobado", "categoria_fismdf", "cofinanciador")
OPTIONAL = (*ACTION_OPTIONAL, *LINE_COLUMNS)
CALENDARS = {
    "mensual": Action.Calendar.MONTHLY,
    "monthly": Action.Calendar.MONTHLY,
    "trimestral": Action.Calendar.QUARTERLY,
    "quarterly": Action.Calendar.QUARTERLY,
}
# The example row of the template download.
EXAMPLE = {
    "clave": "OP-001",
    "nombre": "Rehabilitación de la red de agua potable",
    "tipo": "Obra pública",
    "responsable": "SOP",
    "modalidad": "K",
    "meta": "1200",
    "unidad": "metros",
    "alineacion": "pmot:1.1",
    "calendario": "trimestral",
    "p1": "300",
    "p2": "300",
    "p3": "300",
    "p4": "300",
    "fuente": "fismdf",
    "partida": "6140",
    "funcional": "2.2.1",
    "aprobado": "2500000.00",
    "categoria_fismdf": "water",
}


@dataclass(frozen=True)
class ImportResult:
    actions: int
    lines: int


@dataclass
class _Line:
    row: Row
    fields: dict
    approved: Decimal | None


@dataclass
class _Action:
    row: Row
    fields: dict
    elements: list
    lines: list = field(default_factory=list)


def _number(text: str) -> Decimal:
    """A number as people type it in Mexico: 1,234.50 or $1,234.50."""
    cleaned = text.replace(",", "").replace("$", "").replace(" ", "")
    value = Decimal(cleaned)
    # Beyond a thousand billion pesos nothing in a POA is real, and rounding it would overflow.
    if not value.is_finite() or value.adjusted() > 15:
        raise InvalidOperation
    return value


def _choices(choices) -> dict[str, str]:
    """A choice by its value or its label, in Spanish or English, any case."""
    names = {}
    for value, label in choices.choices:
        with translation.override("en"):
            english = str(label)
        for name in (value, str(label), english):
            names[name.casefold()] = value
    return names


class _Catalogues:
    """Every catalogue a row may name, read once: the check makes no query per row."""

    def __init__(self, poa: Poa):
        self.kinds = _choices(ActionKind)
        self.fismdf_categories = _choices(FismdfCategory)
        self.existing_keys = set(poa.actions.values_list("key", flat=True))
        self.organizations = {
            org.acronym.casefold(): org for org in Organization.objects.exclude(acronym="")
        }
        self.modalities = {m.key.upper(): m for m in ProgramModality.objects.all()}
        self.units = {unit.key.casefold(): unit for unit in TerritorialUnit.objects.all()}
        self.sources = {source.key.casefold(): source for source in FundingSource.objects.all()}
        self.items = {item.key: item for item in ExpenseItem.objects.all()}
        self.functional = {fc.key: fc for fc in FunctionalClass.objects.all()}
        self.elements = {
            f"{e.plan.key}:{e.key}".casefold(): e
            for e in PlanElement.objects.filter(
                plan__order__in=poa_services.ALIGNABLE_ORDERS
            ).select_related("plan")
        }


def _action_fields(row: Row, cat: _Catalogues, bad) -> tuple[dict, list] | None:
    """The fields of `action_save` and the elements to align to, or None when the row is
    wrong (each reason given to `bad`)."""
    fields: dict = {"key": row.get("clave"), "name": row.get("nombre")}
    ok = True

    def fail(reason: str) -> None:
        nonlocal ok
        ok = False
        bad(row, reason)

    if not fields["name"]:
        fail(_("the action has no name."))
    elif len(fields["name"]) > Action._meta.get_field("name").max_length:
        fail(_("the name is longer than 300 characters."))
    fields["kind"] = cat.kinds.get(row.get("tipo").casefold())
    if fields["kind"] is None:
        fail(
            _("the kind “%(kind)s” is not one of: %(kinds)s.")
            % {"kind": row.get("tipo"), "kinds": ", ".join(str(k.label) for k in ActionKind)}
        )
    fields["responsible"] = cat.organizations.get(row.get("responsable").casefold())
    if fields["responsible"] is None:
        fail(
            _("no organization has the acronym “%(acronym)s”.")
            % {"acronym": row.get("responsable")}
        )
    fields["modality"] = cat.modalities.get(row.get("modalidad").upper())
    if fields["modality"] is None:
        fail(
            _("“%(modality)s” is not a program modality of CONAC.")
            % {"modality": row.get("modalidad")}
        )
    unit_key = row.get("unidad_territorial")
    fields["unit"] = cat.units.get(unit_key.casefold()) if unit_key else None
    if unit_key and fields["unit"] is None:
        fail(_("no territorial unit has the key “%(key)s”.") % {"key": unit_key})
    fields["target_unit"] = row.get("unidad")
    if not fields["target_unit"]:
        fail(_("the unit of measure of the target is missing."))
    elif len(fields["target_unit"]) > Action._meta.get_field("target_unit").max_length:
        fail(_("the unit of measure is longer than 60 characters."))
    if not _target_and_calendar(row, fields, fail):
        ok = False
    elements = []
    for key in filter(None, (part.strip() for part in row.get("alineacion").split(";"))):
        element = cat.elements.get(key.casefold())
        if element is None:
            fail(
                _(
                    "“%(key)s” is not an element of the PMOT or the PDM "
                    "(write plan:element, e.g. pmot:1.1)."
                )
                % {"key": key}
            )
        elif element not in elements:
            elements.append(element)
    return (fields, elements) if ok else None


def _target_and_calendar(row: Row, fields: dict, fail) -> bool:
    try:
        target = _number(row.get("meta"))
    except (InvalidOperation, ValueError):
        fail(_("the target “%(value)s” is not a number.") % {"value": row.get("meta")})
        return False
    if target <= 0 or target >= Decimal("1e12") or target != target.quantize(Decimal("0.01")):
        fail(_("the target is a number greater than zero with at most two decimals."))
        return False
    kind = row.get("calendario").casefold()
    if kind:
        kind = CALENDARS.get(kind)
        if kind is None:
            fail(_("the calendar is “mensual” or “trimestral”."))
            return False
    else:  # months 5 to 12 filled in: a monthly calendar
        monthly = any(row.get(column) for column in PERIOD_COLUMNS[4:])
        kind = Action.Calendar.MONTHLY if monthly else Action.Calendar.QUARTERLY
    cells = [row.get(column) for column in PERIOD_COLUMNS[: poa_services.PERIODS[kind]]]
    try:
        values = [_number(cell) if cell else Decimal(0) for cell in cells]
    except (InvalidOperation, ValueError):
        fail(_("a period of the calendar is not a number."))
        return False
    try:
        # The service's own check, so a row is judged here exactly as `action_save` will.
        poa_services.check_calendar(kind, values, target)
    except ValidationError as error:
        fail(" ".join(error.messages))
        return False
    fields.update(target=target, calendar_kind=kind, calendar=values)
    return True


def _line_fields(row: Row, cat: _Catalogues, bad) -> _Line | None:
    """The budget line of the row, or None when it has none or it is wrong."""
    if not any(row.get(column) for column in LINE_COLUMNS):
        return None
    errors = []
    source = cat.sources.get(row.get("fuente").casefold())
    if source is None:
        errors.append(
            _("“%(source)s” is not a funding source (e.g. %(example)s).")
            % {"source": row.get("fuente"), "example": "fismdf, propios, estatal"}
        )
    item = cat.items.get(row.get("partida"))
    if item is None:
        errors.append(
            _("“%(item)s” is not an item of CONAC's object of expense (4 digits, e.g. 6140).")
            % {"item": row.get("partida")}
        )
    functional = cat.functional.get(row.get("funcional"))
    if functional is None:
        errors.append(
            _("“%(key)s” is not a key of CONAC's functional classification (e.g. 2.2.1).")
            % {"key": row.get("funcional")}
        )
    category = ""
    if row.get("categoria_fismdf"):
        category = cat.fismdf_categories.get(row.get("categoria_fismdf").casefold(), "")
        if not category:
            errors.append(
                _("“%(category)s” is not a FISMDF category.")
                % {"category": row.get("categoria_fismdf")}
            )
    elif source is not None and source.is_fismdf:
        errors.append(_("a FISMDF line needs its category (categoria_fismdf)."))
    cofinancer = None
    if row.get("cofinanciador"):
        cofinancer = cat.organizations.get(row.get("cofinanciador").casefold())
        if cofinancer is None:
            errors.append(
                _("no organization has the acronym “%(acronym)s”.")
                % {"acronym": row.get("cofinanciador")}
            )
    approved = None
    if row.get("aprobado"):
        try:
            approved = money.exact_amount(_number(row.get("aprobado")))
        except (InvalidOperation, ValueError):
            errors.append(_("the approved amount is not a number."))
        except ValidationError as error:
            errors.extend(error.messages)
    for reason in errors:
        bad(row, reason)
    if errors:
        return _Line(row, {}, None)  # wrong: counted, never written
    fields = {
        "source": source,
        "expense_item": item,
        "functional": functional,
        "cofinancer": cofinancer,
        "fismdf_category": category if source.is_fismdf else "",
    }
    if category and not source.is_fismdf:
        bad(row, _("only FISMDF lines carry a FISMDF category."))
    return _Line(row, fields, approved)


def _check_rows(poa: Poa, rows: list[Row]) -> tuple[list[_Action], list[tuple[int, str]]]:
    cat = _Catalogues(poa)
    errors: list[tuple[int, str]] = []

    def bad(row: Row, reason: str) -> None:
        errors.append((row.number, reason))

    actions: dict[str, _Action] = {}
    max_key = Action._meta.get_field("key").max_length
    for row in rows:
        key = row.get("clave")
        if not key:
            bad(row, _("the key is missing."))
            continue
        if len(key) > max_key:
            bad(row, _("the key %(key)s is longer than 30 characters.") % {"key": key})
            continue
        if key in cat.existing_keys:
            bad(
                row,
                _("the action %(key)s is already in this POA; change it on its page.")
                % {"key": key},
            )
            continue
        if key in actions:  # another line of an action given above
            first = actions[key].row
            differing = [
                column
                for column in (*COLUMNS, *ACTION_OPTIONAL)
                if row.get(column) and row.get(column) != first.get(column)
            ]
            if differing:
                bad(
                    row,
                    _(
                        "the action %(key)s is described in row %(first)s; a row repeating its "
                        "key adds a budget line and leaves %(columns)s empty or the same."
                    )
                    % {"key": key, "first": first.number, "columns": ", ".join(differing)},
                )
            line = _line_fields(row, cat, bad)
            if line is None:
                bad(
                    row,
                    _("the key %(key)s is repeated (row %(first)s) without a budget line.")
                    % {"key": key, "first": first.number},
                )
            else:
                actions[key].lines.append(line)
            continue
        checked = _action_fields(row, cat, bad)
        line = _line_fields(row, cat, bad)
        if checked is not None:
            actions[key] = _Action(row, *checked, lines=[line] if line else [])
        else:
            actions[key] = _Action(row, {}, [], lines=[])
    return list(actions.values()), errors


def _raise(errors: list[tuple[int, str]]) -> None:
    raise ValidationError(
        [
            _("Row %(row)s: %(reason)s") % {"row": number, "reason": reason}
            for number, reason in sorted(errors, key=lambda error: error[0])
        ]
    )


def _movement_date(poa: Poa) -> datetime.date:
    today = timezone.localdate()
    return today if today.year == poa.fiscal_year else datetime.date(poa.fiscal_year, 1, 1)


def poa_import(*, poa: Poa, rows: list[Row], by) -> ImportResult:
    """Add a draft POA's actions (and their budget lines, with the approved amount) from
    spreadsheet rows. All are saved or none: with any bad row the ValidationError lists
    each bad row with its reason, in Spanish."""
    # The rows are checked first without locking anything: a file with a bad row never holds
    # up the people editing the POA meanwhile. Saving locks the POA (all or nothing, and no
    # submission halfway), and checks again what may have changed since.
    if poa.status != Poa.Status.DRAFT:
        raise ValidationError(_("Actions are imported only into a draft POA."))
    errors = _check_rows(poa, rows)[1]
    if errors:
        _raise(errors)
    return _import_checked(poa=poa, rows=rows, by=by)


@transaction.atomic
def _import_checked(*, poa: Poa, rows: list[Row], by) -> ImportResult:
    poa = Poa.objects.select_for_update().get(pk=poa.pk)
    if poa.status != Poa.Status.DRAFT:
        raise ValidationError(_("Actions are imported only into a draft POA."))
    actions, errors = _check_rows(poa, rows)
    if errors:
        _raise(errors)

    lines = []
    for entry in actions:
        try:
            action = poa_services.action_save(poa=poa, **entry.fields)
            if entry.elements:
                poa_services.action_align(action=action, elements=entry.elements)
        except ValidationError as error:
            errors.extend((entry.row.number, message) for message in error.messages)
            continue
        lines.extend((action, line) for line in entry.lines)
    # The capped FISMDF uses (2 %, 3 % of the year's FISMDF money) go last, so they are
    # measured against all the FISMDF money of the file and not against the rows above them.
    lines.sort(key=lambda pair: pair[1].fields["fismdf_category"] in FISMDF_CAPS)
    date = _movement_date(poa)
    for action, line in lines:
        try:
            saved = money.line_add(action=action, **line.fields)
            if line.approved is not None:
                money.movement_record(
                    line=saved, stage="approved", amount=line.approved, date=date, by=by
                )
        except ValidationError as error:
            errors.extend((line.row.number, message) for message in error.messages)
    if errors:
        _raise(errors)
    return ImportResult(actions=len(actions), lines=len(lines))


# --- In the background -----------------------------------------------------------------------
# The request only bounds the file (`table_check`: weight, format, what it unpacks to, rows it
# declares) and stores it; the rows are read, checked and written by a job
# (budgeting.tasks.import_poa_actions), which reports its progress to the cache and records its
# outcome on the PoaImport the status page reads.


IMPORT_TASK = ("budgeting.tasks.import_poa_actions", "poa_import_id")


@transaction.atomic
def import_receive(*, poa: Poa, upload, by) -> PoaImport:
    """Bound an uploaded file, keep it and ask a job to import it; nothing is parsed here.
    Raises ValidationError, in Spanish, at once for a POA that is not a draft or a file that is
    not an XLSX or CSV within the limits of an import: then nothing is kept and no job asked."""
    if poa.status != Poa.Status.DRAFT:
        raise ValidationError(_("Actions are imported only into a draft POA."))
    return core_imports.import_receive(
        PoaImport, upload=upload, rows_total=table_check(upload), by=by, task=IMPORT_TASK, poa=poa
    )


@transaction.atomic
def import_run(*, poa_import_id: int) -> None:
    """Import a stored file, all rows or none, and record the outcome on its PoaImport."""

    def work(record: PoaImport) -> dict:
        rows = core_imports.import_rows(record, COLUMNS, OPTIONAL)
        result = poa_import(poa=record.poa, rows=rows, by=record.requested_by)
        return {"created_actions": result.actions, "created_lines": result.lines}

    record = PoaImport.objects.select_for_update().select_related("poa").get(pk=poa_import_id)
    core_imports.import_run(record, work)
