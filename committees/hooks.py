"""The one hook of `committees`: "an agreement on this object was approved / rejected".

An agenda item may name its subject (a body to designate, a phase to close, a POA to approve).
When the vote on it closes, `committees` calls the reaction registered for the subject's model,
inside the same transaction. Higher apps register theirs in their AppConfig.ready():

    from committees import hooks
    hooks.register("phases.Phase", phases.services.gate_decided)

`committees` never imports those apps, and every reaction can be found from its call site here.
"""

from collections.abc import Callable

Reaction = Callable[..., None]  # reaction(*, subject, agreement) -> None

_reactions: dict[str, Reaction] = {}


def register(model_label: str, reaction: Reaction) -> None:
    """Register what happens when an agreement on an object of `model_label` is decided."""
    if model_label in _reactions and _reactions[model_label] is not reaction:
        raise ValueError(f"A reaction to agreements on {model_label} is already registered")
    _reactions[model_label] = reaction


def agreement_decided(agreement) -> None:
    """Called by committees.services when a vote closes; the reaction sees agreement.status."""
    item = agreement.item
    if item.subject_type_id is None:
        return
    subject = item.subject_type.get_object_for_this_type(pk=item.subject_id)
    reaction = _reactions.get(subject._meta.label)
    if reaction is not None:
        reaction(subject=subject, agreement=agreement)
