"""Deciding a modification of an approved POA (DOMAIN.md §5).

Its requested increases and reductions (money.change_request) move the *modificado* only when
the modification is applied, all at once:
- a transfer between lines (*traspaso*), which keeps the POA's total, once IMPLAN, the office
  that holds the budget, authorizes it (`modification_authorize`);
- a change to the POA's approved total (a modification of the *Presupuesto de Egresos*) only
  through the Cabildo: the modification is the subject of an agenda item, and the vote on it
  applies it or rejects it (committees' hook, registered in budgeting/apps.py). No form field
  names "the agreement that authorized it".
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, DecimalField, F, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from budgeting.models import BudgetLine, Modification, RequestedChange
from budgeting.services import money
from budgeting.services.poa import check_open, decides_on
from committees.models import Agreement, Body
from pmot.core.formatting import money as pesos

SIGNED = Case(
    When(kind=RequestedChange.Kind.REDUCTION, then=-F("amount")),
    default=F("amount"),
    output_field=DecimalField(max_digits=16, decimal_places=2),
)


def pending(modification: Modification) -> QuerySet[RequestedChange]:
    """The requests of `modification` not recorded as movements yet."""
    return modification.changes.filter(movement__isnull=True)


def net_change(changes: QuerySet[RequestedChange]) -> Decimal:
    """What `changes` do to the POA's total: increases minus reductions."""
    return changes.aggregate(net=Coalesce(Sum(SIGNED), Value(Decimal(0))))["net"]


def needs_the_cabildo(modification: Modification) -> bool:
    """Whether the modification's requests change the POA's approved total."""
    return net_change(modification.changes.all()) != 0


def _apply(modification: Modification) -> None:
    """Record every pending request of `modification` as a movement. Increases go first, so
    no line passes below what it has committed halfway; the FISMDF caps are judged once, on
    the year as it ends up."""
    changes = pending(modification).order_by(
        Case(When(kind=RequestedChange.Kind.INCREASE, then=0), default=1), "pk"
    )
    fismdf_year = None
    for change in changes:
        line = (
            BudgetLine.objects.select_for_update()
            .select_related("action__poa", "source")
            .get(pk=change.line_id)
        )
        try:
            change.movement = money.record_movement(
                line=line,
                stage=change.kind,
                amount=change.amount,
                date=change.date,
                by=change.by,
                document=change.document.name or None,
                document_name=change.document_name,
                reference=change.reference,
                modification=modification,
                caps=False,
            )
        except ValidationError as error:
            raise ValidationError(
                [_("%(line)s: %(reason)s") % {"line": line, "reason": m} for m in error.messages]
            ) from error
        change.save(update_fields=["movement"])
        if line.source.is_fismdf:
            fismdf_year = line.action.poa.fiscal_year
    if fismdf_year is not None:
        money.fismdf_lock_year(fismdf_year)
        money.fismdf_caps_check(fismdf_year, money.fismdf_allocation(fismdf_year))


class _DryRun(Exception):
    pass


def check_applicable(modification: Modification) -> None:
    """Raise the reason why applying `modification` now would be refused; change nothing."""
    try:
        with transaction.atomic():
            _apply(modification)
            raise _DryRun
    except _DryRun:
        pass


@transaction.atomic
def modification_authorize(
    *, modification: Modification, by, at: datetime.datetime | None = None
) -> Modification:
    """IMPLAN, which holds the budget, authorizes a modification that keeps the POA's total
    (a transfer between lines): its requests move the modified amounts now. One that changes
    the total is refused: it goes to the Cabildo. `at` records an authorization given earlier
    (on paper); by default, now."""
    modification = check_open(modification)
    net = net_change(modification.changes.all())
    if net:
        raise ValidationError(
            _(
                "Modification M%(number)s changes the approved total of the POA by %(net)s: "
                "it goes to the Cabildo, and the Cabildo's approval applies it."
            )
            % {"number": modification.number, "net": pesos(net)}
        )
    _apply(modification)
    modification.status = Modification.Status.APPLIED
    modification.decided_by, modification.decided_at = by, at or timezone.now()
    modification.save(update_fields=["status", "decided_by", "decided_at"])
    return modification


# --- Through the Cabildo (committees' hook) -----------------------------------------------------


def modification_vote_reason(modification: Modification, *, dry_run: bool = True) -> str | None:
    """Why `modification` cannot be put to a vote of the Cabildo now, in words; None when it
    can: it is open and its requests change the POA's total and (`dry_run`, tried in a
    savepoint rolled back) would apply."""
    if modification.status != Modification.Status.OPEN:
        return _("Modification M%(number)s is decided already.") % {"number": modification.number}
    if not pending(modification).exists():
        return _("Modification M%(number)s requests no increase or reduction yet.") % {
            "number": modification.number
        }
    if not needs_the_cabildo(modification):
        return _(
            "Modification M%(number)s keeps the POA's total (a transfer): IMPLAN authorizes "
            "it, it does not go to the Cabildo."
        ) % {"number": modification.number}
    if dry_run:
        try:
            check_applicable(modification)
        except ValidationError as error:
            return " ".join(error.messages)
    return None


def modification_label(modification: Modification) -> str:
    """How the modification reads on an agenda."""
    return _("Modification M%(number)s of the %(poa)s: %(net)s to its total. %(reason)s") % {
        "number": modification.number,
        "poa": modification.poa,
        "net": pesos(net_change(modification.changes.all())),
        "reason": modification.reason,
    }


def cabildo_subjects() -> list[tuple[Modification, str, str | None]]:
    """The open modifications with requests, each with its label and, when it cannot be put
    to a vote of the Cabildo, the reason (None when it can): for the agenda item form. Whether
    its requests would still apply is tried when the vote opens, not here (no writes)."""
    waiting = (
        Modification.objects.filter(status=Modification.Status.OPEN, changes__isnull=False)
        .distinct()
        .select_related("poa__unit")
        .order_by("poa__fiscal_year", "number")
    )
    return [(m, modification_label(m), modification_vote_reason(m, dry_run=False)) for m in waiting]


def modification_vote_allowed(*, subject: Modification, item) -> None:
    """Check before a vote on `subject` opens (committees' hook)."""
    if item.session.body.kind != Body.Kind.CABILDO:
        raise ValidationError(_("A change to the approved total of the POA goes to the Cabildo."))
    reason = modification_vote_reason(subject)
    if reason is not None:
        raise ValidationError(reason)


@transaction.atomic
def modification_decided(*, subject: Modification, agreement: Agreement) -> None:
    """Reaction to the Cabildo's agreement on `subject` (committees' hook): approved, its
    requests move the modified amounts; rejected, they never will."""
    if agreement.status not in (Agreement.Status.APPROVED, Agreement.Status.REJECTED):
        return
    if agreement.body.kind != Body.Kind.CABILDO:
        raise ValidationError(_("A change to the approved total of the POA goes to the Cabildo."))
    if not decides_on(agreement, subject):
        raise ValidationError(
            _(
                "Agreement %(key)s does not decide on this modification: the Cabildo decides it "
                "by voting an agenda item on it."
            )
            % {"key": agreement.key}
        )
    modification = Modification.objects.select_for_update().get(pk=subject.pk)
    if modification.status != Modification.Status.OPEN:
        raise ValidationError(
            _("Modification M%(number)s is decided already.") % {"number": modification.number}
        )
    if agreement.status == Agreement.Status.APPROVED:
        _apply(modification)
        modification.status = Modification.Status.APPLIED
    else:
        modification.status = Modification.Status.REJECTED
    modification.agreement, modification.decided_at = agreement, agreement.decided_at
    modification.save(update_fields=["status", "agreement", "decided_at"])
