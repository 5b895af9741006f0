"""Budget lines and their movements through the budget stages (LGCG art. 38).

Every movement is recorded, never overwritten, and moves the running totals of its line. The
invariants of DOMAIN.md §5 are checked here, with the figures that explain a refusal, and again
by the database's constraints on BudgetLine:
    modified = approved + increases − reductions
    committed ≤ modified, accrued ≤ committed, exercised ≤ accrued, paid ≤ exercised
FISMDF money funds only its legal categories, with at most 2 % for institutional development
and 3 % for indirect costs of the fiscal year's FISMDF money (LCF art. 33).
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from budgeting.models import (
    FISMDF_CAPS,
    BudgetLine,
    FismdfCategory,
    Modification,
    Movement,
    Poa,
)
from budgeting.services.poa import changeable
from pmot.core.formatting import money, percent
from pmot.core.numbers import fits
from pmot.information.uploads import check_upload

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


def _stage_allowed(poa: Poa, stage: str, modification: Modification | None) -> None:
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
        changeable(poa, modification)


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
    """The year's FISMDF caps, with `line` at `new_modified`: institutional development at
    most 2 % and indirect costs at most 3 % of all the FISMDF money of the fiscal year."""
    lines = BudgetLine.objects.filter(
        action__poa__fiscal_year=poa.fiscal_year, source__is_fismdf=True
    ).exclude(pk=line.pk)
    by_category = dict(
        lines.values_list("fismdf_category").annotate(total=Sum("modified")).order_by()
    )
    by_category[line.fismdf_category] = by_category.get(line.fismdf_category, 0) + new_modified
    total = sum(by_category.values(), Decimal(0))
    for category, share in FISMDF_CAPS.items():
        used = by_category.get(category, Decimal(0))
        if used > total * share:
            raise ValidationError(
                _(
                    "FISMDF %(year)s: %(category)s would take %(used)s of %(total)s "
                    "(%(percent)s); the law allows at most %(cap)s."
                )
                % {
                    "year": poa.fiscal_year,
                    "category": FismdfCategory(category).label,
                    "used": money(used),
                    "total": money(total),
                    "percent": percent(100 * used / total if total else 100),
                    "cap": percent(100 * share, 0),
                }
            )


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
    break an invariant; nothing is written then."""
    amount = exact_amount(amount)
    line = (
        BudgetLine.objects.select_for_update()
        .select_related("action__poa", "source")
        .get(pk=line.pk)
    )
    poa = line.action.poa
    _stage_allowed(poa, stage, modification)
    if date.year != poa.fiscal_year:
        raise ValidationError(
            _("The movement's date falls outside the fiscal year %(year)s.")
            % {"year": poa.fiscal_year}
        )
    after = {name: getattr(line, name) for name in TOTAL.values()}
    after[TOTAL[stage]] += amount
    after["modified"] = after["approved"] + after["increases"] - after["reductions"]
    _check_fits(after)
    _check_ceiling(line, stage, after)
    if line.source.is_fismdf and stage in (Stage.APPROVED, Stage.INCREASE, Stage.REDUCTION):
        # The caps span the year: lock its POAs so two changes cannot both slip under them.
        list(Poa.objects.select_for_update().filter(fiscal_year=poa.fiscal_year).order_by("pk"))
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
    if document is not None:
        check_upload(document)
        movement.document_name = document.name[:255]
        movement.document = document
    movement.save()
    for name, value in after.items():
        setattr(line, name, value)
    line.save(update_fields=[*TOTAL.values(), "modified"])
    return movement
