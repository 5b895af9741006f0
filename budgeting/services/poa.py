"""The POA and its actions: every write with a rule (DOMAIN.md §5)."""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from budgeting import rules, selectors
from budgeting.models import Action, ActionChange, Modification, Poa
from budgeting.services import action_changes
from committees.models import Agreement, Body, Vote
from committees.services import check_not_under_vote
from pmot.planning.models import Plan, PlanElement

# Bodies whose agreement approves a POA (DOMAIN.md §5): the Cabildo, IMPLAN's board.
APPROVING_BODIES = (Body.Kind.CABILDO, Body.Kind.IMPLAN_BOARD)
# Plans an action aligns to: "POA alignment" means a PMOT or PDM element.
ALIGNABLE_ORDERS = (Plan.Order.PMOT, Plan.Order.MUNICIPAL)
# POAs every action of which keeps at least one alignment at all times (DOMAIN.md §5).
ALIGNED_ALWAYS = (Poa.Status.SUBMITTED, Poa.Status.APPROVED, Poa.Status.MODIFIED)
PERIODS = {Action.Calendar.MONTHLY: 12, Action.Calendar.QUARTERLY: 4}


# --- The POA -----------------------------------------------------------------------------------


@transaction.atomic
def poa_create(*, fiscal_year: int, unit=None) -> Poa:
    if not 2000 <= fiscal_year <= 2100:
        raise ValidationError(_("Give a fiscal year between 2000 and 2100."))
    if Poa.objects.filter(fiscal_year=fiscal_year, unit=unit).exists():
        raise ValidationError(
            _("There is already a POA for %(year)s for that unit.") % {"year": fiscal_year}
        )
    return Poa.objects.create(fiscal_year=fiscal_year, unit=unit)


def submission_missing(poa: Poa) -> list[str]:
    """Why `poa` cannot be submitted yet, in words; empty when it can. Submitting it submits
    every action that may be."""
    actions = list(poa.actions.prefetch_related("alignments"))
    if not actions:
        return [_("The POA has no actions yet.")]
    missing = []
    for action in actions:
        reasons = action_missing(action)
        if reasons:
            missing.append(
                _("Action %(key)s is not submitted: %(reasons)s")
                % {"key": action.key, "reasons": " ".join(reasons)}
            )
    return missing + fismdf_missing(poa)


def fismdf_missing(poa: Poa) -> list[str]:
    """The year's FISMDF caps with `poa` approved beside the year's approved POAs, in words."""
    try:
        rules.fismdf_caps_check(
            poa.fiscal_year, selectors.fismdf_allocation(poa.fiscal_year, counting=poa)
        )
    except ValidationError as error:
        return error.messages
    return []


@transaction.atomic
def poa_submit(*, poa: Poa) -> Poa:
    """A draft POA goes to approval, with its actions, once every action may be submitted
    (aligned to the PMOT or the PDM)."""
    poa = Poa.objects.select_for_update().get(pk=poa.pk)
    if poa.status != Poa.Status.DRAFT:
        raise ValidationError(_("Only a draft POA is submitted."))
    missing = submission_missing(poa)
    if missing:
        raise ValidationError(missing)
    for action in poa.actions.exclude(status=Action.Status.SUBMITTED):
        action.status = Action.Status.SUBMITTED
        action.save(update_fields=["status", "updated_at"])
    poa.status = Poa.Status.SUBMITTED
    poa.submitted_at = timezone.now()
    poa.save(update_fields=["status", "submitted_at", "updated_at"])
    return poa


@transaction.atomic
def poa_return(*, poa: Poa) -> Poa:
    """A submitted POA goes back to draft for changes (before any vote approves it)."""
    poa = Poa.objects.select_for_update().get(pk=poa.pk)
    if poa.status != Poa.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted POA goes back to draft."))
    check_not_under_vote(poa)
    poa.status = Poa.Status.DRAFT
    poa.save(update_fields=["status", "updated_at"])
    return poa


def poa_vote_allowed(*, subject: Poa, item) -> None:
    """Check before a vote on approving `subject` opens (committees' hook)."""
    if item.session.body.kind not in APPROVING_BODIES:
        raise ValidationError(_("Only the Cabildo or IMPLAN's board approves a POA."))
    if subject.status != Poa.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted POA is put to a vote."))
    missing = submission_missing(subject)
    if missing:
        raise ValidationError(missing)


def poa_decided(*, subject: Poa, agreement: Agreement) -> None:
    """Reaction to an agreement on `subject` (committees' hook): approved, the POA is."""
    if agreement.status != Agreement.Status.APPROVED:
        return
    poa_approve(poa=subject, agreement=agreement)


def decides_on(agreement: Agreement, subject) -> bool:
    """Whether `agreement` was voted on an agenda item whose subject is `subject` (a POA, a
    modification): no other agreement changes it (DOMAIN.md, what an agenda item decides)."""
    item = agreement.item
    subject_type = ContentType.objects.get_for_model(subject)
    return (item.subject_type_id, item.subject_id) == (subject_type.pk, subject.pk)


@transaction.atomic
def poa_approve(*, poa: Poa, agreement: Agreement) -> Poa:
    poa = Poa.objects.select_for_update().get(pk=poa.pk)
    if poa.status != Poa.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted POA is approved."))
    if agreement.status != Agreement.Status.APPROVED or agreement.body.kind not in APPROVING_BODIES:
        raise ValidationError(
            _("Agreement %(key)s is not an approval of the Cabildo or IMPLAN's board.")
            % {"key": agreement.key}
        )
    if not decides_on(agreement, poa):
        raise ValidationError(
            _(
                "Agreement %(key)s does not decide on this POA: the Cabildo or IMPLAN's board "
                "approves it by voting an agenda item on it."
            )
            % {"key": agreement.key}
        )
    missing = fismdf_missing(poa)
    if missing:
        raise ValidationError(missing)
    poa.status, poa.approval_agreement = Poa.Status.APPROVED, agreement
    poa.save(update_fields=["status", "approval_agreement", "updated_at"])
    return poa


@transaction.atomic
def modification_open(
    *,
    poa: Poa,
    reason: str,
    by,
    at: datetime.datetime | None = None,
):
    """Open a modification of an approved POA; every later change belongs to an open one. Its
    requested increases and reductions move money once it is applied (see
    budgeting.services.modifications). `at` records one made earlier (on paper); by default,
    now."""
    poa = Poa.objects.select_for_update().get(pk=poa.pk)
    if not poa.is_approved:
        raise ValidationError(_("Only an approved POA is modified; a draft is simply edited."))
    if not reason.strip():
        raise ValidationError(_("Say why the POA is modified."))
    number = (poa.modifications.aggregate(n=Max("number"))["n"] or 0) + 1
    modification = Modification.objects.create(
        poa=poa,
        number=number,
        reason=reason.strip(),
        by=by,
        at=at or timezone.now(),
    )
    poa.status = Poa.Status.MODIFIED
    poa.save(update_fields=["status", "updated_at"])
    return modification


@transaction.atomic
def poa_close(*, poa: Poa) -> Poa:
    poa = Poa.objects.select_for_update().get(pk=poa.pk)
    if not poa.is_approved:
        raise ValidationError(_("Only an approved POA is closed."))
    waiting = poa.modifications.filter(
        status=Modification.Status.OPEN, changes__movement__isnull=True
    ).first()
    if waiting is not None:
        raise ValidationError(
            _(
                "Modification M%(number)s still has requested changes to decide: authorize "
                "it, or let the Cabildo decide it, before closing the POA."
            )
            % {"number": waiting.number}
        )
    poa.status = Poa.Status.CLOSED
    poa.save(update_fields=["status", "updated_at"])
    return poa


def changeable(poa: Poa, modification: Modification | None) -> Modification | None:
    """A draft POA is edited freely; an approved one only within an open modification (which
    is returned, locked); a submitted or closed one not at all."""
    if poa.status == Poa.Status.DRAFT:
        return None
    if poa.status == Poa.Status.SUBMITTED:
        raise ValidationError(_("The POA is submitted: return it to draft to change it."))
    if poa.status == Poa.Status.CLOSED:
        raise ValidationError(_("The POA is closed: it no longer changes."))
    if modification is None or modification.poa_id != poa.pk:
        raise ValidationError(
            _("The POA is approved: record the modification this change belongs to.")
        )
    return check_open(modification)


def under_vote(modification: Modification) -> bool:
    """Whether a vote on `modification` is open in a session."""
    return Vote.objects.filter(
        status=Vote.Status.OPEN,
        item__subject_type=ContentType.objects.get_for_model(Modification),
        item__subject_id=modification.pk,
    ).exists()


def check_open(modification: Modification) -> Modification:
    """The modification, locked, while changes may still be recorded in it: open, and not
    under a vote (a change could make the vote impossible to apply)."""
    modification = Modification.objects.select_for_update().get(pk=modification.pk)
    if modification.status == Modification.Status.APPLIED:
        raise ValidationError(
            _(
                "Modification M%(number)s is applied already: record a new modification for "
                "this change."
            )
            % {"number": modification.number}
        )
    if modification.status == Modification.Status.REJECTED:
        raise ValidationError(
            _(
                "Modification M%(number)s was rejected by the Cabildo: record a new "
                "modification for this change."
            )
            % {"number": modification.number}
        )
    if under_vote(modification):
        raise ValidationError(
            _(
                "Modification M%(number)s is being voted by the Cabildo: it takes no more "
                "changes until the vote closes."
            )
            % {"number": modification.number}
        )
    return modification


# --- Actions -----------------------------------------------------------------------------------


def check_calendar(kind: str, calendar: list, target: Decimal) -> list[Decimal]:
    """The calendar as decimals, or ValidationError: as many periods as the kind has, none
    negative, adding up to the target."""
    periods = PERIODS[kind]
    try:
        values = [Decimal(str(value)) for value in calendar]
    except (ArithmeticError, ValueError, TypeError) as error:
        raise ValidationError(_("The calendar holds something that is not a number.")) from error
    if len(values) != periods:
        raise ValidationError(
            _("A %(kind)s calendar has %(periods)s periods, not %(given)s.")
            % {
                "kind": Action.Calendar(kind).label.lower(),
                "periods": periods,
                "given": len(values),
            }
        )
    if any(value < 0 for value in values):
        raise ValidationError(_("No period of the calendar is negative."))
    if sum(values) != target:
        raise ValidationError(
            _("The calendar adds up to %(total)s, but the target is %(target)s.")
            % {"total": sum(values), "target": target}
        )
    return values


@transaction.atomic
def action_save(
    *,
    poa: Poa,
    action: Action | None = None,
    modification: Modification | None = None,
    alignments: list[PlanElement] | None = None,
    by=None,
    **fields,
) -> Action | ActionChange:
    """Add an action to a POA, or change one; its calendar adds up to its target. A changed
    action goes back to draft until submitted again. An action added to an approved POA is
    aligned in the same step (`alignments`): no action of it is ever aligned to nothing.
    A change to an action of an approved POA by someone who does not publish it (`by`, its
    organization's liaison) is requested within the modification and returned as an
    ActionChange: the action keeps its published version until the modification is applied."""
    modification = changeable(poa, modification)
    target = Decimal(str(fields["target"]))
    if target <= 0:
        raise ValidationError(_("The physical target is greater than zero."))
    fields["calendar"] = [
        str(value) for value in check_calendar(fields["calendar_kind"], fields["calendar"], target)
    ]
    key = fields["key"].strip()
    if poa.actions.filter(key=key).exclude(pk=getattr(action, "pk", None)).exists():
        raise ValidationError(_("The key %(key)s is already used in this POA.") % {"key": key})
    if (fields.get("latitude") is None) != (fields.get("longitude") is None):
        raise ValidationError(_("Give both the latitude and the longitude, or neither."))
    adding = action is None
    if not adding and modification is not None and not action_changes.publishes_actions(by):
        return action_changes.request(
            modification=modification, action=action, by=by, fields={**fields, "key": key}
        )
    if adding and alignments:
        check_alignable(alignments)
    elif adding and poa.status in ALIGNED_ALWAYS:
        raise ValidationError(
            _(
                "An action added to an approved POA is aligned in the same step: choose at "
                "least one element of the PMOT or the PDM it carries out."
            )
        )
    action = action or Action(poa=poa)
    for name, value in fields.items():
        setattr(action, name, value)
    action.key = key
    if poa.status == Poa.Status.DRAFT:
        action.status = Action.Status.DRAFT
    action.save()
    if adding and alignments:
        action.alignments.set(alignments)
    return action


def action_missing(action: Action) -> list[str]:
    """Why `action` cannot be submitted, in words; empty when it can."""
    missing = []
    if not action.alignments.all():
        missing.append(
            _("It is not aligned to any element of the PMOT or the PDM: align it first.")
        )
    return missing


def check_alignable(elements: list[PlanElement]) -> None:
    foreign = [e.key for e in elements if e.plan.order not in ALIGNABLE_ORDERS]
    if foreign:
        raise ValidationError(
            _("An action aligns only to elements of the PMOT or the PDM, not to %(keys)s.")
            % {"keys": ", ".join(foreign)}
        )


@transaction.atomic
def action_align(
    *, action: Action, elements: list[PlanElement], modification=None, by=None
) -> Action | ActionChange:
    """Set the elements `action` carries out. An action of a submitted, approved or modified
    POA keeps at least one (DOMAIN.md §5): its last alignment is replaced, never removed.
    Asked by someone who does not publish the action (`by`), the change to an approved POA's
    action waits in the modification (an ActionChange is returned)."""
    action = Action.objects.select_for_update().select_related("poa").get(pk=action.pk)
    modification = changeable(action.poa, modification)
    check_alignable(elements)
    if not elements and action.poa.status in ALIGNED_ALWAYS:
        raise ValidationError(
            _(
                "Every action of an approved POA keeps at least one alignment: align %(key)s "
                "to another element of the PMOT or the PDM before removing this one."
            )
            % {"key": action.key}
        )
    if modification is not None and not action_changes.publishes_actions(by):
        return action_changes.request(
            modification=modification, action=action, by=by, alignments=elements
        )
    action.alignments.set(elements)
    return action


@transaction.atomic
def action_submit(*, action: Action) -> Action:
    action = Action.objects.select_for_update().select_related("poa").get(pk=action.pk)
    if action.poa.status != Poa.Status.DRAFT:
        raise ValidationError(_("Actions are submitted while their POA is a draft."))
    missing = action_missing(action)
    if missing:
        raise ValidationError(missing)
    action.status = Action.Status.SUBMITTED
    action.save(update_fields=["status", "updated_at"])
    return action


# --- Physical progress (reports and their validation: budgeting.services.progress) ----------


def current_period(action: Action, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    month = today.month if today.year == action.poa.fiscal_year else 12
    return month if action.calendar_kind == Action.Calendar.MONTHLY else (month - 1) // 3 + 1
