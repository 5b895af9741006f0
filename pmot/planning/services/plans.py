"""Plans, their elements and alignment: every write with a rule."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from pmot.core.history import acting_as
from pmot.planning.models import Alignment, Plan, PlanElement


@transaction.atomic
def plan_save(*, plan: Plan, by) -> Plan:
    """Create or change a plan as its form left it (name, order, levels, validity)."""
    with acting_as(by):
        plan.save()
    return plan


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
