"""Deciding a modification of an approved POA (DOMAIN.md §5, four eyes: issue 19).

Its requested increases and reductions (money.change_request) and the changes its actions'
organizations asked (action_changes) take effect only when the modification is applied, all
at once:
- a transfer between lines (*traspaso*), or a change to the POA's total that stays within
  `PMOT_MODIFICATION_CABILDO_THRESHOLD` (counting every change authorized so far without the
  Cabildo), once the office that holds the budget (IMPLAN's planner or the treasury, with
  `budgeting.authorize_modification`) authorizes it (`modification_authorize`), or rejects it
  with a reason (`modification_reject`). Whoever asked anything in the modification never
  decides it;
- a larger change to the POA's approved total (a modification of the *Presupuesto de
  Egresos*) only through the Cabildo: the modification is the subject of an agenda item, and
  the vote on it applies it or rejects it (committees' hook, registered in budgeting/apps.py).
  No form field names "the agreement that authorized it".
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, DecimalField, F, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from budgeting import rules, selectors
from budgeting.models import ActionChange, BudgetLine, Modification, RequestedChange
from budgeting.services import action_changes, money
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


def authorized_without_the_cabildo(poa) -> Decimal:
    """What the modifications of `poa` authorized by the office that holds the budget (not by
    the Cabildo) did to its total, together."""
    return net_change(
        RequestedChange.objects.filter(
            modification__poa=poa,
            modification__status=Modification.Status.APPLIED,
            modification__agreement__isnull=True,
        )
    )


def needs_the_cabildo(modification: Modification) -> bool:
    """Whether the modification changes the POA's approved total beyond what the office that
    holds the budget may authorize: its net change, added to those it authorized before in
    the POA, passes `PMOT_MODIFICATION_CABILDO_THRESHOLD` (so a large change split into small
    ones still goes to the Cabildo)."""
    net = net_change(modification.changes.all())
    if not net:
        return False
    together = authorized_without_the_cabildo(modification.poa) + net
    return abs(together) > settings.PMOT_MODIFICATION_CABILDO_THRESHOLD


def requesters(modification: Modification) -> set[int]:
    """Who asked anything in `modification`: who opened it, and whoever requested a change to
    its money or to an action (every author the history remembers)."""
    people = {modification.by_id}
    people |= set(modification.changes.values_list("by_id", flat=True))
    people |= set(
        ActionChange.history.filter(modification_id=modification.pk)
        .exclude(by_id=None)
        .values_list("by_id", flat=True)
    )
    return people


def check_four_eyes(modification: Modification, by) -> None:
    """Whoever asked something in `modification` does not decide it."""
    if by is not None and by.pk in requesters(modification):
        raise ValidationError(
            _(
                "You asked for changes in modification M%(number)s: another person of the "
                "office that holds the budget decides it."
            )
            % {"number": modification.number}
        )


def has_requests(modification: Modification) -> bool:
    return (
        pending(modification).exists()
        or modification.action_changes.filter(applied_at__isnull=True).exists()
    )


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
        rules.fismdf_caps_check(fismdf_year, selectors.fismdf_allocation(fismdf_year))
    for change in modification.action_changes.filter(applied_at__isnull=True).order_by("pk"):
        action_changes.apply(change)


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
    """The office that holds the budget (`by`, who asked nothing in it) authorizes a
    modification within its power: its requests move the modified amounts now and the
    actions' requested changes apply. One that changes the POA's total beyond the threshold
    is refused: it goes to the Cabildo. `at` records an authorization given earlier (on
    paper); by default, now."""
    modification = check_open(modification)
    if not has_requests(modification):
        raise ValidationError(
            _("Modification M%(number)s requests nothing yet.") % {"number": modification.number}
        )
    if needs_the_cabildo(modification):
        raise ValidationError(
            _(
                "Modification M%(number)s changes the approved total of the POA by %(net)s, "
                "beyond the %(threshold)s the office that holds the budget may authorize: it "
                "goes to the Cabildo, and the Cabildo's approval applies it."
            )
            % {
                "number": modification.number,
                "net": pesos(net_change(modification.changes.all())),
                "threshold": pesos(settings.PMOT_MODIFICATION_CABILDO_THRESHOLD),
            }
        )
    check_four_eyes(modification, by)
    _apply(modification)
    modification.status = Modification.Status.APPLIED
    modification.decided_by, modification.decided_at = by, at or timezone.now()
    modification.save(update_fields=["status", "decided_by", "decided_at"])
    return modification


@transaction.atomic
def modification_reject(*, modification: Modification, by, reason: str) -> Modification:
    """The office that holds the budget (`by`, who asked nothing in it) rejects a modification
    within its power, saying why: none of its requests will ever move money or change an
    action."""
    modification = check_open(modification)
    if needs_the_cabildo(modification):
        raise ValidationError(
            _("Modification M%(number)s goes to the Cabildo: its vote approves or rejects it.")
            % {"number": modification.number}
        )
    check_four_eyes(modification, by)
    if not reason.strip():
        raise ValidationError(_("Say why the modification is rejected."))
    modification.status = Modification.Status.REJECTED
    modification.decided_by, modification.decided_at = by, timezone.now()
    modification.decision_reason = reason.strip()
    modification.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
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
    if not net_change(modification.changes.all()):
        return _(
            "Modification M%(number)s keeps the POA's total (a transfer): IMPLAN authorizes "
            "it, it does not go to the Cabildo."
        ) % {"number": modification.number}
    if not needs_the_cabildo(modification):
        return _(
            "Modification M%(number)s changes the POA's total by no more than %(threshold)s: "
            "the office that holds the budget authorizes it, it does not go to the Cabildo."
        ) % {
            "number": modification.number,
            "threshold": pesos(settings.PMOT_MODIFICATION_CABILDO_THRESHOLD),
        }
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
