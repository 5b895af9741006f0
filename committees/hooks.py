"""The hook of `committees`: "an agreement on this object was approved / rejected", and the
check "may this object be put to a vote now?".

An agenda item may name its subject (a body to designate, a phase to close, a POA to approve).
When the vote on it closes, `committees` calls the reaction registered for the subject's model,
inside the same transaction. Higher apps register theirs in their AppConfig.ready():

    from committees import hooks
    hooks.register("phases.Phase", phases.services.work.phase_decided)

Before a vote on such an item opens, every check registered for the subject's model runs; a
check raises ValidationError to say why the subject cannot be voted yet:

    hooks.register_check("planning.Program", phases.services.consultation.program_vote_allowed)

The agenda item form lists what an item may decide from the same registry: each app registers,
for a model, the objects a body could vote on, each with its label and, when it is not ready
yet, the reason why:

    hooks.register_subjects("budgeting.Poa", _("POA to approve"), budgeting.selectors.poa_subjects)

`committees` never imports those apps, and every reaction can be found from its call site here.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

Reaction = Callable[..., None]  # reaction(*, subject, agreement) -> None
Check = Callable[..., None]  # check(*, subject, item) -> None, or raises ValidationError

_reactions: dict[str, Reaction] = {}
_checks: dict[str, list[Check]] = {}


@dataclass(frozen=True)
class Candidate:
    """An object a body could vote on; `reason` says why it cannot be voted yet."""

    subject: object
    label: str
    reason: str = ""

    @property
    def ready(self) -> bool:
        return not self.reason

    @property
    def value(self) -> str:
        """How the item form names it: "app_label.Model:pk"."""
        return f"{self.subject._meta.label}:{self.subject.pk}"


Candidates = Callable[..., Iterable[Candidate]]  # candidates(*, body) -> the objects


@dataclass(frozen=True)
class SubjectKind:
    model_label: str
    label: str  # what an item on such a subject decides, e.g. "POA to approve"
    candidates: Candidates


_subjects: dict[str, SubjectKind] = {}


def register_subjects(model_label: str, label, candidates: Candidates) -> None:
    """Register the objects of `model_label` that an agenda item may decide on."""
    _subjects[model_label] = SubjectKind(model_label, label, candidates)


def subject_kinds(body) -> list[tuple[SubjectKind, list[Candidate]]]:
    """Every kind of subject with its candidates for an item of `body`, in registration order;
    kinds with no candidate are left out."""
    listed = []
    for kind in _subjects.values():
        found = list(kind.candidates(body=body))
        if found:
            listed.append((kind, found))
    return listed


def subject_candidate(body, value: str) -> Candidate | None:
    """The candidate named `value` ("app_label.Model:pk") for an item of `body`, if listed."""
    model_label, _sep, _pk = value.partition(":")
    kind = _subjects.get(model_label)
    if kind is None:
        return None
    return next((c for c in kind.candidates(body=body) if c.value == value), None)


def register(model_label: str, reaction: Reaction) -> None:
    """Register what happens when an agreement on an object of `model_label` is decided."""
    if model_label in _reactions and _reactions[model_label] is not reaction:
        raise ValueError(f"A reaction to agreements on {model_label} is already registered")
    _reactions[model_label] = reaction


def register_check(model_label: str, check: Check) -> None:
    """Register a condition for putting an object of `model_label` to a vote."""
    checks = _checks.setdefault(model_label, [])
    if check not in checks:
        checks.append(check)


def subject_of(item):
    """What `item` decides, or None for a general agreement."""
    if item.subject_type_id is None:
        return None
    return item.subject_type.get_object_for_this_type(pk=item.subject_id)


def vote_allowed(item) -> None:
    """Called by committees.services before a vote opens; raises ValidationError if a check of
    the item's subject refuses."""
    subject = subject_of(item)
    if subject is None:
        return
    for check in _checks.get(subject._meta.label, []):
        check(subject=subject, item=item)


def agreement_decided(agreement) -> None:
    """Called by committees.services when a vote closes; the reaction sees agreement.status."""
    subject = subject_of(agreement.item)
    if subject is None:
        return
    reaction = _reactions.get(subject._meta.label)
    if reaction is not None:
        reaction(subject=subject, agreement=agreement)
