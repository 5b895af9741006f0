"""Online votes: who may vote, once, while open; the count; the agreement it produces."""

import pytest
from django.core.exceptions import ValidationError

from committees import services
from committees.models import Agreement, Ballot, Body, Designation, Vote
from committees.rules import Choice
from tests.factories import UserFactory


def cast(vote, members, choice):
    for member in members:
        services.vote_cast(vote=vote, user=member.user, choice=choice)


def test_an_approved_item_becomes_an_agreement_with_its_key_and_voted_text(cabildo, open_session):
    _, members, _ = cabildo
    session, item = open_session()
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    cast(vote, members[:9], Choice.FOR)
    cast(vote, members[9:12], Choice.AGAINST)
    cast(vote, members[12:], Choice.ABSTAIN)

    agreement = services.vote_close(vote=vote)

    assert agreement.key == "CAB/2026/ORD-01/01"
    assert agreement.status == Agreement.Status.APPROVED
    assert agreement.text == "Se aprueba el punto."
    vote.refresh_from_db()
    assert (vote.votes_for, vote.against, vote.abstentions, vote.present, vote.members) == (
        9,
        3,
        3,
        15,
        15,
    )
    # A nominal vote keeps each member's choice.
    assert Ballot.objects.get(vote=vote, member=members[10]).choice == Choice.AGAINST


def test_a_rejected_item_is_recorded_as_rejected(cabildo, open_session):
    _, members, _ = cabildo
    _, item = open_session()
    vote = services.vote_open(item=item, method=Vote.Method.ECONOMIC)
    cast(vote, members[:3], Choice.FOR)
    cast(vote, members[3:10], Choice.AGAINST)
    cast(vote, members[10:], Choice.ABSTAIN)
    assert services.vote_close(vote=vote).status == Agreement.Status.REJECTED


def test_a_member_votes_once(cabildo, open_session):
    _, members, _ = cabildo
    _, item = open_session()
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    services.vote_cast(vote=vote, user=members[1].user, choice=Choice.FOR)
    with pytest.raises(ValidationError, match="ya|already"):
        services.vote_cast(vote=vote, user=members[1].user, choice=Choice.AGAINST)
    vote.refresh_from_db()
    assert (vote.votes_for, vote.against) == (1, 0)


@pytest.mark.parametrize("who", ["stranger", "secretary", "absent"])
def test_only_present_members_with_a_vote_may_vote(cabildo, open_session, who):
    _, members, secretary = cabildo
    _, item = open_session(present=12)
    voter = {"stranger": UserFactory(), "secretary": secretary.user, "absent": members[13].user}
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    with pytest.raises(ValidationError):
        services.vote_cast(vote=vote, user=voter[who], choice=Choice.FOR)
    assert not Ballot.objects.filter(vote=vote).exists()


def test_a_vote_after_closing_is_refused(cabildo, open_session):
    _, members, _ = cabildo
    _, item = open_session(present=8)
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    cast(vote, members[:8], Choice.FOR)
    services.vote_close(vote=vote)
    with pytest.raises(ValidationError, match="La votación está cerrada"):
        services.vote_cast(vote=vote, user=members[7].user, choice=Choice.AGAINST)
    vote.refresh_from_db()
    assert vote.against == 0


def test_a_tie_is_decided_by_the_casting_vote_recorded_as_such(cabildo, open_session):
    _, members, _ = cabildo
    _, item = open_session(present=10)
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    cast(vote, members[:5], Choice.FOR)
    cast(vote, members[5:10], Choice.AGAINST)
    with pytest.raises(ValidationError, match="calidad|casting"):
        services.vote_close(vote=vote)

    agreement = services.vote_close(vote=vote, casting_vote=Choice.FOR)
    vote.refresh_from_db()
    assert agreement.status == Agreement.Status.APPROVED
    assert vote.casting_vote == Choice.FOR


def test_two_thirds_of_all_members_are_needed_for_municipal_real_estate(cabildo, open_session):
    _, members, _ = cabildo
    _, item = open_session(present=12, code="real_estate")
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    cast(vote, members[:9], Choice.FOR)  # 9 of 12 present is 3/4, but 10 of 15 are needed
    cast(vote, members[9:12], Choice.AGAINST)
    assert services.vote_close(vote=vote).status == Agreement.Status.REJECTED


def test_a_secret_ballot_keeps_the_counts_but_not_the_choices(cabildo, open_session):
    _, members, _ = cabildo
    _, item = open_session(code="appointment")
    vote = services.vote_open(item=item, method=Vote.Method.SECRET)
    cast(vote, members[:9], Choice.FOR)
    cast(vote, members[9:11], Choice.AGAINST)
    cast(vote, members[11:], Choice.ABSTAIN)
    services.vote_close(vote=vote)
    vote.refresh_from_db()
    assert (vote.votes_for, vote.against, vote.abstentions) == (9, 2, 4)
    assert set(Ballot.objects.filter(vote=vote).values_list("choice", flat=True)) == {""}
    assert set(Ballot.history.filter(vote=vote).values_list("choice", flat=True)) == {""}


def test_a_secret_ballot_only_where_the_type_allows_it(open_session):
    _, item = open_session(code="general")
    with pytest.raises(ValidationError):
        services.vote_open(item=item, method=Vote.Method.SECRET)


def test_a_cabildo_agreement_designates_the_coordinating_body_and_a_later_one_replaces_it(
    cabildo, open_session
):
    _, members, _ = cabildo
    copladem = Body.objects.create(name="COPLADEM", key="COPLADEM", kind=Body.Kind.COPLADEM)
    implan = Body.objects.create(name="Junta del IMPLAN", key="JG", kind=Body.Kind.IMPLAN_BOARD)

    for body in (copladem, implan):
        _, item = open_session(code="designation", subject=body)
        vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
        cast(vote, members[:12], Choice.FOR)
        cast(vote, members[12:], Choice.AGAINST)
        services.vote_close(vote=vote)

    current = Designation.objects.get(in_charge=True)
    previous = Designation.objects.get(in_charge=False)
    assert current.body == implan
    assert previous.body == copladem
    assert previous.end_date is not None
    assert previous.agreement.key.startswith("CAB/2026/")


def test_a_rejected_designation_changes_nothing(cabildo, open_session):
    _, members, _ = cabildo
    copladem = Body.objects.create(name="COPLADEM", key="COPLADEM", kind=Body.Kind.COPLADEM)
    _, item = open_session(code="designation", subject=copladem)
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    cast(vote, members[:7], Choice.FOR)  # absolute majority of all 15 is 8
    cast(vote, members[7:], Choice.ABSTAIN)
    services.vote_close(vote=vote)
    assert not Designation.objects.exists()
