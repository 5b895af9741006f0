"""A secret ballot leaves no running count nor per-member trace in the admin while it is open
(issue 18): only the totals, once closed."""

from django.urls import reverse

from committees import services
from committees.models import Vote
from committees.rules import Choice


def test_the_admin_shows_no_running_count_of_an_open_secret_ballot(
    client_as, cabildo, open_session
):
    _, members, _ = cabildo
    _session, item = open_session(code="appointment")
    vote = services.vote_open(item=item, method=Vote.Method.SECRET)
    for member in members[:9]:
        services.vote_cast(vote=vote, user=member.user, choice=Choice.FOR)
    for member in members[9:]:
        services.vote_cast(vote=vote, user=member.user, choice=Choice.AGAINST)
    admin = client_as("admin")
    change = reverse("admin:committees_vote_change", args=[vote.pk])
    ballots = reverse("admin:committees_ballot_changelist")

    page = admin.get(change).text
    assert "A favor" not in page
    assert "Abstenciones" not in page
    listing = admin.get(reverse("admin:committees_vote_changelist")).text
    assert ">9<" not in listing
    assert members[0].user.last_name not in admin.get(ballots).text

    services.vote_close(vote=vote)
    assert "A favor" in admin.get(change).text
    assert ">9<" in admin.get(reverse("admin:committees_vote_changelist")).text
    assert members[0].user.last_name in admin.get(ballots).text
