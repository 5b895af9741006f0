"""The arithmetic of collegiate bodies (DOMAIN.md §2): quorum and majorities.

Pure functions on counts, so every boundary can be tested without a database. Services call
them with counts read under lock; nothing here reads or writes rows.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Majority(models.TextChoices):
    SIMPLE = "simple", _("Simple majority")
    ABSOLUTE = "absolute", _("Absolute majority")
    QUALIFIED = "qualified", _("Qualified majority (two thirds)")
    UNANIMOUS = "unanimous", _("Unanimity")


class Base(models.TextChoices):
    """What a majority is counted over."""

    PRESENT = "present", _("Members present with a vote")
    ALL_MEMBERS = "all", _("All members with a vote")


class Choice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstention")


def quorum(voting_members: int) -> int:
    """Half of the members with a vote, plus one."""
    return voting_members // 2 + 1


def has_quorum(*, present: int, voting_members: int) -> bool:
    return voting_members > 0 and present >= quorum(voting_members)


@dataclass(frozen=True)
class Tally:
    votes_for: int
    against: int
    abstentions: int
    present: int  # members with a vote present when the vote closed
    members: int  # all members with a vote, present or not

    def base(self, base: Base) -> int:
        return self.present if base == Base.PRESENT else self.members


@dataclass(frozen=True)
class Outcome:
    approved: bool
    # Votes for that were needed (None under simple majority, which compares for and against).
    required: int | None
    decided_by_casting_vote: bool = False
    # A tie with nobody to cast the deciding vote: no agreement, the item waits.
    deferred: bool = False


class CastingVoteNeeded(Exception):
    """A tie under simple majority: the casting vote of whoever presides decides."""


def counted_over(majority: Majority, base: Base) -> Base:
    """The base a majority is really counted over: simple majority compares those present, a
    qualified majority is always over all members (CPEUM art. 115); the others take the base
    of their type."""
    if majority == Majority.SIMPLE:
        return Base.PRESENT
    if majority == Majority.QUALIFIED:
        return Base.ALL_MEMBERS
    return Base(base)


def decide(
    *,
    majority: Majority,
    base: Base,
    tally: Tally,
    casting_vote: Choice | None = None,
    someone_presides: bool = True,
) -> Outcome:
    """Approved or not, by the majority rule of the agreement's type.

    A tie under simple majority goes to the casting vote of whoever presides; with nobody
    presiding who holds it (`someone_presides` false), the item is deferred, not decided.
    """
    counted = tally.base(counted_over(majority, base))
    if majority == Majority.SIMPLE:
        if tally.votes_for != tally.against:
            return Outcome(approved=tally.votes_for > tally.against, required=None)
        if not someone_presides:
            return Outcome(approved=False, required=None, deferred=True)
        if casting_vote not in (Choice.FOR, Choice.AGAINST):
            raise CastingVoteNeeded
        return Outcome(
            approved=casting_vote == Choice.FOR, required=None, decided_by_casting_vote=True
        )
    if majority == Majority.ABSOLUTE:
        required = counted // 2 + 1
    elif majority == Majority.QUALIFIED:
        required = -(-2 * counted // 3)  # ⌈2n/3⌉ in integers
    else:  # unanimity: every member of its base in favour
        required = counted
    return Outcome(approved=counted > 0 and tally.votes_for >= required, required=required)
