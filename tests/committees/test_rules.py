"""Quorum and majorities at their boundaries (DOMAIN.md §2)."""

import pytest

from committees.rules import (
    Base,
    CastingVoteNeeded,
    Choice,
    Majority,
    Tally,
    decide,
    has_quorum,
    quorum,
)


@pytest.mark.parametrize(
    ("members", "needed"),
    [(1, 1), (2, 2), (3, 2), (4, 3), (5, 3), (14, 8), (15, 8), (16, 9)],
)
def test_quorum_is_half_the_voting_members_plus_one(members, needed):
    assert quorum(members) == needed
    assert has_quorum(present=needed, voting_members=members)
    assert not has_quorum(present=needed - 1, voting_members=members)


def test_a_body_without_voting_members_never_has_quorum():
    assert not has_quorum(present=0, voting_members=0)


def tally(votes_for, against=0, abstentions=0, present=None, members=15):
    present = votes_for + against + abstentions if present is None else present
    return Tally(votes_for, against, abstentions, present, members)


@pytest.mark.parametrize(
    ("votes", "approved"),
    [((6, 5, 4), True), ((5, 6, 4), False), ((1, 0, 14), True), ((0, 1, 14), False)],
)
def test_simple_majority_compares_for_and_against_of_those_present(votes, approved):
    outcome = decide(majority=Majority.SIMPLE, base=Base.PRESENT, tally=tally(*votes))
    assert outcome.approved is approved
    assert not outcome.decided_by_casting_vote


def test_a_tie_under_simple_majority_needs_the_casting_vote():
    with pytest.raises(CastingVoteNeeded):
        decide(majority=Majority.SIMPLE, base=Base.PRESENT, tally=tally(5, 5, 2))


@pytest.mark.parametrize(("casting", "approved"), [(Choice.FOR, True), (Choice.AGAINST, False)])
def test_the_casting_vote_breaks_the_tie_and_is_recorded(casting, approved):
    outcome = decide(
        majority=Majority.SIMPLE, base=Base.PRESENT, tally=tally(5, 5, 2), casting_vote=casting
    )
    assert outcome.approved is approved
    assert outcome.decided_by_casting_vote


def test_an_abstention_is_no_casting_vote():
    with pytest.raises(CastingVoteNeeded):
        decide(
            majority=Majority.SIMPLE,
            base=Base.PRESENT,
            tally=tally(4, 4),
            casting_vote=Choice.ABSTAIN,
        )


# Every majority × base × absence, 15 members with a vote: the votes for that are needed.
# Simple majority compares for and against (no number needed); a qualified majority is
# always two thirds of ALL members, whatever base the table says; unanimity is every member
# of its base.
MAJORITY_TABLE = [
    # majority, base, present, needed (None: for > against)
    (Majority.SIMPLE, Base.PRESENT, 15, None),
    (Majority.SIMPLE, Base.PRESENT, 11, None),
    (Majority.SIMPLE, Base.ALL_MEMBERS, 15, None),
    (Majority.SIMPLE, Base.ALL_MEMBERS, 11, None),
    (Majority.ABSOLUTE, Base.PRESENT, 15, 8),
    (Majority.ABSOLUTE, Base.PRESENT, 11, 6),
    (Majority.ABSOLUTE, Base.ALL_MEMBERS, 15, 8),
    (Majority.ABSOLUTE, Base.ALL_MEMBERS, 11, 8),
    (Majority.QUALIFIED, Base.PRESENT, 15, 10),
    (Majority.QUALIFIED, Base.PRESENT, 11, 10),
    (Majority.QUALIFIED, Base.ALL_MEMBERS, 15, 10),
    (Majority.QUALIFIED, Base.ALL_MEMBERS, 11, 10),
    (Majority.UNANIMOUS, Base.PRESENT, 15, 15),
    (Majority.UNANIMOUS, Base.PRESENT, 11, 11),
    (Majority.UNANIMOUS, Base.ALL_MEMBERS, 15, 15),
    (Majority.UNANIMOUS, Base.ALL_MEMBERS, 11, 15),  # out of reach with four absent
]


@pytest.mark.parametrize(("majority", "base", "present", "needed"), MAJORITY_TABLE)
def test_every_majority_base_and_absence_needs_what_the_table_says(majority, base, present, needed):
    def outcome(votes_for, against=0):
        rest = present - votes_for - against  # abstain
        return decide(
            majority=majority, base=base, tally=tally(votes_for, against, rest, present=present)
        )

    if needed is None:  # simple: more for than against among those present, whatever the base
        k = (present - 1) // 2
        assert (outcome(k + 1, k).approved, outcome(k, k + 1).approved) == (True, False)
        assert outcome(1, 0).approved  # abstentions do not count against
        with pytest.raises(CastingVoteNeeded):
            outcome(k, k)
        return
    if needed <= present:
        assert (outcome(needed).approved, outcome(needed).required) == (True, needed)
    else:  # every member present in favour is still not enough
        assert (outcome(present).approved, outcome(present).required) == (False, needed)
    assert outcome(min(needed, present) - 1).approved is False


def test_a_qualified_majority_is_counted_over_all_members():
    # 15 members, 11 present, 8 for: two thirds of those present but not of all members, even
    # where the table's row says "present" (8 of 11 present approved what needs 10 of 15).
    votes = tally(8, 3, present=11, members=15)
    for base in Base:
        outcome = decide(majority=Majority.QUALIFIED, base=base, tally=votes)
        assert (outcome.approved, outcome.required) == (False, 10)


def test_unanimity_over_all_members_needs_every_member_in_favour():
    # 14 of 15 in favour, one absent: unanimous among those present, not of all members.
    votes = tally(14, present=14, members=15)
    assert decide(majority=Majority.UNANIMOUS, base=Base.PRESENT, tally=votes).approved
    of_all = decide(majority=Majority.UNANIMOUS, base=Base.ALL_MEMBERS, tally=votes)
    assert (of_all.approved, of_all.required) == (False, 15)


def test_a_tie_with_nobody_presiding_is_deferred_not_decided():
    outcome = decide(
        majority=Majority.SIMPLE,
        base=Base.PRESENT,
        tally=tally(7, 7, present=14),
        casting_vote=Choice.FOR,
        someone_presides=False,
    )
    assert (outcome.deferred, outcome.approved, outcome.decided_by_casting_vote) == (
        True,
        False,
        False,
    )


@pytest.mark.parametrize(
    ("votes", "approved"),
    [((9, 0, 0), True), ((8, 0, 1), False), ((8, 1, 0), False), ((0, 0, 0), False)],
)
def test_unanimity_needs_every_member_present_for(votes, approved):
    outcome = decide(majority=Majority.UNANIMOUS, base=Base.PRESENT, tally=tally(*votes))
    assert outcome.approved is approved
