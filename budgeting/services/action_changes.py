"""Changes to an action of an approved POA asked by someone who does not publish it.

The organization that runs an action edits its description, targets and alignment; once the
POA is approved, what it asks waits in a modification (an ActionChange) and the action, which
the public reads, keeps its published version until the office that holds the budget
authorizes the modification (or the Cabildo approves it). IMPLAN's planners publish, and their
own edits apply at once (DOMAIN.md §5, issue 19).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from budgeting.models import Action, ActionChange, Modification
from pmot.planning.models import PlanElement


def publishes_actions(user) -> bool:
    """Whether `user`'s edits to an approved POA's actions apply at once: IMPLAN's planners
    and administrators. Anyone else's wait for the modification's authorization."""
    return user is None or user.has_perm("budgeting.change_action")


def _stored(value):
    """`value` as JSON keeps it: a related record by its id, numbers and dates as text."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal | datetime.date):
        return str(value)
    if isinstance(value, list):
        return [str(item) for item in value]
    return value


def requested_fields(action: Action, fields: dict) -> dict:
    """Of `fields` (values as a form cleans them), those that differ from the action as
    published, by attribute name, as JSON stores them."""
    changed = {}
    for name, value in fields.items():
        field = Action._meta.get_field(name)
        new, old = _stored(value), _stored(getattr(action, field.attname))
        if isinstance(field, models.DecimalField) and None not in (new, old):
            new, old = Decimal(new), Decimal(old)
        if new != old:
            changed[field.attname] = _stored(value)
    return changed


def request(
    *,
    modification: Modification,
    action: Action,
    by,
    fields: dict | None = None,
    alignments: list[PlanElement] | None = None,
) -> ActionChange:
    """Record (or add to) the change `by` asks to `action` within `modification`; the action
    itself does not change. Called by the services that edit an action, after their checks."""
    change, _created = ActionChange.objects.select_for_update().get_or_create(
        modification=modification, action=action, defaults={"by": by}
    )
    if fields:
        change.fields = {**change.fields, **requested_fields(action, fields)}
    if alignments is not None:
        change.alignments = sorted(element.pk for element in alignments)
    if not change.fields and change.alignments is None:
        raise ValidationError(_("Nothing changes: the action already reads like that."))
    change.by, change.at = by, timezone.now()
    change.save()
    return change


def pending_of(action: Action):
    """The changes asked to `action` and still waiting for their modification's decision."""
    return (
        ActionChange.objects.filter(
            action=action, applied_at__isnull=True, modification__status=Modification.Status.OPEN
        )
        .select_related("modification", "by")
        .order_by("pk")
    )


def apply(change: ActionChange) -> None:
    """Apply `change` to its action (its modification was authorized or approved)."""
    action = Action.objects.select_for_update().get(pk=change.action_id)
    for attname, value in change.fields.items():
        name = attname.removesuffix("_id")
        field = Action._meta.get_field(name)
        setattr(action, attname, value if field.is_relation else field.to_python(value))
    if change.fields:
        action.save()
    if change.alignments is not None:
        elements = list(PlanElement.objects.filter(pk__in=change.alignments))
        if not elements:
            raise ValidationError(
                _(
                    "Every action of an approved POA keeps at least one alignment: the change "
                    "asked to %(key)s leaves it with none."
                )
                % {"key": action.key}
            )
        action.alignments.set(elements)
    change.applied_at = timezone.now()
    change.save(update_fields=["applied_at"])


def describe(change: ActionChange) -> list[dict]:
    """What `change` asks, field by field, beside the published value: for the staff pages."""
    action = change.action
    rows = []
    for attname, value in change.fields.items():
        field = Action._meta.get_field(attname.removesuffix("_id"))
        if field.is_relation:
            target = field.related_model.objects.filter(pk=value).first() if value else None
            new, old = target or "—", getattr(action, field.name) or "—"
        elif field.choices:
            labels = dict(field.flatchoices)
            new, old = labels.get(value, value), labels.get(getattr(action, attname))
        elif attname == "calendar":
            new = ", ".join(str(v) for v in value)
            old = ", ".join(str(v) for v in action.calendar)
        else:
            new, old = value if value not in (None, "") else "—", getattr(action, attname)
        rows.append({"label": field.verbose_name, "published": old, "requested": new})
    if change.alignments is not None:
        elements = PlanElement.objects.filter(pk__in=change.alignments).order_by("key")
        rows.append(
            {
                "label": _("aligned to"),
                "published": ", ".join(e.key for e in action.alignments.order_by("key")) or "—",
                "requested": ", ".join(e.key for e in elements) or "—",
            }
        )
    return rows
