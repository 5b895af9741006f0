"""Members voting at the same instant, from their own connections, against PostgreSQL's row
locks: no ballot is lost or doubled, and a close racing the votes counts exactly the ballots
that made it in."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from committees import services
from committees.models import Ballot, Vote
from committees.rules import Choice

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")


def at_once(calls):
    """Run the calls in threads released together; return what each raised (or None)."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(10)
            call()
        except ValidationError as error:
            outcomes[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_members_voting_at_the_same_instant_are_all_counted(cabildo, open_session):
    _, members, _ = cabildo
    _, item = open_session()
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)

    outcomes = at_once(
        [
            lambda m=m: services.vote_cast(vote=vote, user=m.user, choice=Choice.FOR)
            for m in members[:12]
        ]
    )

    assert outcomes == [None] * 12
    vote.refresh_from_db()
    assert vote.votes_for == 12
    assert Ballot.objects.filter(vote=vote).count() == 12


def test_one_member_voting_twice_at_once_is_counted_once(cabildo, open_session):
    _, members, _ = cabildo
    _, item = open_session()
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    user = members[3].user

    outcomes = at_once(
        [
            lambda: services.vote_cast(vote=vote, user=user, choice=Choice.FOR),
            lambda: services.vote_cast(vote=vote, user=user, choice=Choice.AGAINST),
        ]
    )

    assert sum(o is None for o in outcomes) == 1
    vote.refresh_from_db()
    assert vote.votes_for + vote.against == 1
    assert Ballot.objects.filter(vote=vote).count() == 1


def test_a_close_racing_the_votes_counts_exactly_the_ballots_that_made_it(cabildo, open_session):
    _, members, _ = cabildo
    _, item = open_session()
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    for member in members[:11]:
        services.vote_cast(vote=vote, user=member.user, choice=Choice.FOR)
    casts = [
        lambda m=m: services.vote_cast(vote=vote, user=m.user, choice=Choice.FOR)
        for m in members[11:]
    ]

    outcomes = at_once([*casts, lambda: services.vote_close(vote=vote)])

    vote.refresh_from_db()
    ballots = Ballot.objects.filter(vote=vote).count()
    accepted = sum(o is None for o in outcomes[:-1])
    assert vote.votes_for == ballots == 11 + accepted
    if outcomes[-1] is None:  # the close came after every present seat had voted
        assert (vote.status, ballots) == (Vote.Status.CLOSED, 15)
    else:  # it came before: refused, nothing counted twice, the vote still open
        assert "Faltan por votar" in str(outcomes[-1])
        assert vote.status == Vote.Status.OPEN
