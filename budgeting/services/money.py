"""Budget lines and their movements through the budget stages (LGCG art. 38).

Every movement is recorded, never overwritten, and moves the running totals of its line. The
invariants of DOMAIN.md §5 are checked here, with the figures that explain a refusal, and again
by the database's constraints on BudgetLine:
    modified = approved + increases − reductions
    committed ≤ modified, accrued ≤ committed, exercised ≤ accrued, paid ≤ exercised
FISMDF money funds only its legal categories, with at most 2 % for institutional development
and 3 % for indirect costs of the fund's approved allocation of the fiscal year (LCF art. 33):
the FISMDF lines of the year's approved POAs, never those of drafts or submitted ones.

After approval the modified amount moves only through a modification: an increase or a
reduction is requested within one (`change_request`) and recorded as a movement when the
modification is applied (budgeting.services.modifications).
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from budgeting import rules, selectors
from budgeting.models import (
    BudgetLine,
    FismdfCategory,
    Modification,
    Movement,
    Poa,
    RequestedChange,
)
from budgeting.services.poa import changeable
from pmot.core.formatting import money
from pmot.core.numbers import fits
from pmot.core.uploads import check_upload

Stage = Movement.Stage
CENT = Decimal("0.01")
# Each execution stage, and the stage it may not exceed.
CEILING = {
    Stage.COMMITTED: "modified",
    Stage.ACCRUED: "committed",
    Stage.EXERCISED: "accrued",
    Stage.PAID: "exercised",
}
TOTAL = {
    Stage.APPROVED: "approved",
    Stage.INCREASE: "increases",
    Stage.REDUCTION: "reductions",
    Stage.COMMITTED: "committed",
    Stage.ACCRUED: "accrued",
    Stage.EXERCISED: "exercised",
    Stage.PAID: "paid",
}
# The stages that spend money: recorded only on an action aligned to the plan.
EXECUTION = (Stage.COMMITTED, Stage.ACCRUED, Stage.EXERCISED, Stage.PAID)


def exact_amount(value) -> Decimal:
    """An amount in pesos with at most two decimals, greater than zero."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(_("The amount is not a number.")) from error
    if not amount.is_finite() or amount <= 0:
        raise ValidationError(_("The amount is greater than zero."))
    if amount != amount.quantize(CENT):
        raise ValidationError(_("Amounts are in pesos and cents: at most two decimals."))
    if amount >= Decimal("1e14"):
        raise ValidationError(_("The amount is too large."))
    return amount


@transaction.atomic
def line_add(
    *,
    action,
    source,
    expense_item,
    functional,
    cofinancer=None,
    fismdf_category: str = "",
    modification: Modification | None = None,
) -> BudgetLine:
    changeable(action.poa, modification)
    if source.is_fismdf and fismdf_category not in FismdfCategory.values:
        raise ValidationError(
            _("FISMDF money funds only its legal categories: choose the one of this line.")
        )
    if not source.is_fismdf and fismdf_category:
        raise ValidationError(_("Only FISMDF lines carry a FISMDF category."))
    return BudgetLine.objects.create(
        action=action,
        source=source,
        expense_item=expense_item,
        functional=functional,
        cofinancer=cofinancer,
        fismdf_category=fismdf_category,
    )


def _stage_allowed(poa: Poa, stage: str) -> None:
    if poa.status == Poa.Status.CLOSED:
        raise ValidationError(_("The POA is closed: it records no more movements."))
    if stage == Stage.APPROVED:
        if poa.is_approved:
            raise ValidationError(
                _("The POA is approved: change its money with an increase or a reduction.")
            )
        changeable(poa, None)
        return
    if not poa.is_approved:
        raise ValidationError(_("Only the approved amount is recorded before the POA is approved."))
    if stage in (Stage.INCREASE, Stage.REDUCTION):
        raise ValidationError(
            _(
                "An increase or a reduction is requested within a modification: it moves the "
                "modified amount once the modification is authorized, or approved by the "
                "Cabildo when it changes the POA's total."
            )
        )


def check_aligned(action) -> None:
    """No money is spent on an action that carries out nothing of the plan (DOMAIN.md §4)."""
    if not action.alignments.exists():
        raise ValidationError(
            _(
                "Action %(key)s is not aligned to any element of the PMOT or the PDM: align it "
                "before recording money on it."
            )
            % {"key": action.key}
        )


def _check_ceiling(line: BudgetLine, stage: str, after: dict[str, Decimal]) -> None:
    if stage == Stage.REDUCTION and after["modified"] < 0:
        raise ValidationError(
            _("The reduction leaves the modified amount at %(modified)s, below zero.")
            % {"modified": money(after["modified"])}
        )
    if stage == Stage.REDUCTION and after["modified"] < line.committed:
        raise ValidationError(
            _(
                "The reduction leaves the modified amount at %(modified)s, below the "
                "%(committed)s already committed."
            )
            % {"modified": money(after["modified"]), "committed": money(line.committed)}
        )
    ceiling = CEILING.get(stage)
    if ceiling and after[TOTAL[stage]] > getattr(line, ceiling):
        raise ValidationError(
            _("The %(stage)s would reach %(total)s, above the %(ceiling_stage)s of %(ceiling)s.")
            % {
                "stage": Stage(stage).label.lower(),
                "total": money(after[TOTAL[stage]]),
                "ceiling_stage": BudgetLine._meta.get_field(ceiling).verbose_name,
                "ceiling": money(getattr(line, ceiling)),
            }
        )


def fismdf_check(poa: Poa, line: BudgetLine, new_modified: Decimal) -> None:
    """The year's FISMDF caps with `line` (of `poa`, locked) at `new_modified`, over the
    approved allocation of the year and `poa` itself."""
    by_category = selectors.fismdf_allocation(poa.fiscal_year, counting=poa)
    category = line.fismdf_category
    by_category[category] = by_category.get(category, Decimal(0)) - line.modified + new_modified
    rules.fismdf_caps_check(poa.fiscal_year, by_category)


def fismdf_lock_year(fiscal_year: int) -> None:
    """The caps span the year: lock its POAs so two changes cannot both slip under them."""
    list(Poa.objects.select_for_update().filter(fiscal_year=fiscal_year).order_by("pk"))


def _check_fits(after: dict[str, Decimal]) -> None:
    """Each amount is bounded by its form; their running sum must fit the line's columns too."""
    for name, value in after.items():
        field = BudgetLine._meta.get_field(name)
        if not fits(value, field):
            raise ValidationError(
                _(
                    "This movement takes the line's %(total)s amount to %(amount)s, more than "
                    "pmot can keep: check the amount."
                )
                % {"total": field.verbose_name, "amount": money(value)}
            )


@transaction.atomic
def movement_record(
    *,
    line: BudgetLine,
    stage: str,
    amount,
    date: datetime.date,
    by,
    document=None,
    reference: str = "",
    modification: Modification | None = None,
) -> Movement:
    """Record that `amount` reached `stage` on `date`. Refused, with the figures, when it would
    break an invariant; nothing is written then. An increase or a reduction is refused here,
    whatever `modification` it names: it is requested within the modification
    (`change_request`) and moves money only once the modification is applied."""
    amount = exact_amount(amount)
    line = _locked(line)
    _stage_allowed(line.action.poa, stage)
    return record_movement(
        line=line,
        stage=stage,
        amount=amount,
        date=date,
        by=by,
        document=document,
        reference=reference,
    )


def _locked(line: BudgetLine) -> BudgetLine:
    return (
        BudgetLine.objects.select_for_update()
        .select_related("action__poa", "source")
        .get(pk=line.pk)
    )


def _check_date(poa: Poa, date: datetime.date) -> None:
    if date.year != poa.fiscal_year:
        raise ValidationError(
            _("The movement's date falls outside the fiscal year %(year)s.")
            % {"year": poa.fiscal_year}
        )


def record_movement(
    *,
    line: BudgetLine,
    stage: str,
    amount: Decimal,
    date: datetime.date,
    by,
    document=None,
    document_name: str = "",
    reference: str = "",
    modification: Modification | None = None,
    caps: bool = True,
) -> Movement:
    """Write a movement on `line` (locked, with its action's POA) and move its totals, with
    every invariant checked; the callers decide whether the stage may be recorded at all.
    `caps=False` leaves the FISMDF caps to the caller, who checks the year once at the end."""
    poa = line.action.poa
    _check_date(poa, date)
    if poa.status != Poa.Status.DRAFT and stage != Stage.APPROVED:
        check_aligned(line.action)
    after = _after(line, stage, amount)
    moves_modified = stage in (Stage.APPROVED, Stage.INCREASE, Stage.REDUCTION)
    if caps and line.source.is_fismdf and moves_modified:
        fismdf_lock_year(poa.fiscal_year)
        fismdf_check(poa, line, after["modified"])
    movement = Movement(
        line=line,
        stage=stage,
        amount=amount,
        date=date,
        reference=reference.strip(),
        modification=modification if stage in (Stage.INCREASE, Stage.REDUCTION) else None,
        by=by,
    )
    if isinstance(document, str):  # a file kept already: the document of a request
        movement.document, movement.document_name = document, document_name
    elif document is not None:
        check_upload(document)
        movement.document_name = document.name[:255]
        movement.document = document
    movement.save()
    for name, value in after.items():
        setattr(line, name, value)
    line.save(update_fields=[*TOTAL.values(), "modified"])
    return movement


def _after(line: BudgetLine, stage: str, amount: Decimal) -> dict[str, Decimal]:
    """The line's totals once `amount` reaches `stage`, or ValidationError."""
    after = {name: getattr(line, name) for name in TOTAL.values()}
    after[TOTAL[stage]] += amount
    after["modified"] = after["approved"] + after["increases"] - after["reductions"]
    _check_fits(after)
    _check_ceiling(line, stage, after)
    return after


# --- Requests of a modification ----------------------------------------------------------------


@transaction.atomic
def change_request(
    *,
    modification: Modification,
    line: BudgetLine,
    stage: str,
    amount,
    date: datetime.date,
    by,
    document=None,
    reference: str = "",
) -> RequestedChange:
    """Request, within an open modification of the line's POA, an increase or a reduction of
    the line, with its supporting document (`document`, required). It moves nothing yet: it is
    checked now against the line as it stands with the modification's other requests on it,
    and recorded as a movement when the modification is applied."""
    amount = exact_amount(amount)
    if document is None:
        raise ValidationError(
            _(
                "Attach the supporting document of the request (the official letter, the "
                "agreement or the contract that justifies it)."
            )
        )
    line = _locked(line)
    poa = line.action.poa
    if stage not in (Stage.INCREASE, Stage.REDUCTION):
        raise ValidationError(_("A modification requests increases and reductions."))
    if poa.status == Poa.Status.CLOSED:
        raise ValidationError(_("The POA is closed: it records no more movements."))
    if not poa.is_approved:
        raise ValidationError(_("Only the approved amount is recorded before the POA is approved."))
    modification = changeable(poa, modification)
    _check_date(poa, date)
    check_aligned(line.action)
    # The line as it ends up once the modification's requests on it, this one included, apply.
    requests = [(c.kind, c.amount) for c in modification.changes.filter(line=line, movement=None)]
    requests.append((stage, amount))
    projected = {name: getattr(line, name) for name in TOTAL.values()}
    for kind, value in requests:
        projected[TOTAL[kind]] += value
    projected["modified"] = projected["approved"] + projected["increases"] - projected["reductions"]
    _check_fits(projected)
    if projected["reductions"] > line.reductions:
        _check_ceiling(line, Stage.REDUCTION, projected)
    if line.source.is_fismdf:
        fismdf_check(poa, line, projected["modified"])
    change = RequestedChange(
        modification=modification,
        line=line,
        kind=stage,
        amount=amount,
        date=date,
        reference=reference.strip(),
        by=by,
    )
    check_upload(document)
    change.document_name = document.name[:255]
    change.document = document
    change.save()
    return change
