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


@pytest.mark.parametrize(
    ("base", "present", "votes_for", "approved"),
    [
        (Base.PRESENT, 10, 6, True),  # 6 > 10/2
        (Base.PRESENT, 10, 5, False),  # 5 is half, not more
        (Base.PRESENT, 11, 6, True),
        (Base.ALL_MEMBERS, 10, 6, False),  # of all 15 members: 8 needed
        (Base.ALL_MEMBERS, 10, 8, True),
    ],
)
def test_absolute_majority_is_more_than_half_of_its_base(base, present, votes_for, approved):
    outcome = decide(
        majority=Majority.ABSOLUTE,
        base=base,
        tally=tally(votes_for, present - votes_for, present=present),
    )
    assert outcome.approved is approved


@pytest.mark.parametrize(("members", "needed"), [(15, 10), (14, 10), (13, 9), (12, 8), (3, 2)])
def test_two_thirds_are_counted_over_all_members_rounding_up(members, needed):
    approved = decide(
        majority=Majority.QUALIFIED,
        base=Base.ALL_MEMBERS,
        tally=tally(needed, present=needed, members=members),
    )
    short = decide(
        majority=Majority.QUALIFIED,
        base=Base.ALL_MEMBERS,
        tally=tally(needed - 1, present=needed - 1, members=members),
    )
    assert (approved.approved, approved.required) == (True, needed)
    assert short.approved is False


def test_two_thirds_of_all_members_is_more_than_two_thirds_of_those_present():
    # 15 members, 10 present, 8 for: two thirds of those present but not of all members.
    votes = tally(8, 2, present=10, members=15)
    of_present = decide(majority=Majority.QUALIFIED, base=Base.PRESENT, tally=votes)
    of_all = decide(majority=Majority.QUALIFIED, base=Base.ALL_MEMBERS, tally=votes)
    assert of_present.approved is True
    assert of_all.approved is False


@pytest.mark.parametrize(
    ("votes", "approved"),
    [((9, 0, 0), True), ((8, 0, 1), False), ((8, 1, 0), False), ((0, 0, 0), False)],
)
def test_unanimity_needs_every_member_present_for(votes, approved):
    outcome = decide(majority=Majority.UNANIMOUS, base=Base.PRESENT, tally=tally(*votes))
    assert outcome.approved is approved
