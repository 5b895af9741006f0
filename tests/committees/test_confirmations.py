"""Irreversible steps ask first (issue 18): closing a vote or a session is done from a page of
its own that says what will happen."""

from django.urls import reverse

from committees import services
from committees.models import Agreement, Session, Vote
from committees.rules import Choice


def test_closing_a_vote_is_confirmed_on_a_page_that_says_what_it_does(
    client_as, cabildo, open_session
):
    _, members, _ = cabildo
    session, item = open_session(present=10)
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    for member in members[:9]:
        services.vote_cast(vote=vote, user=member.user, choice=Choice.FOR)
    secretary = client_as("secretary")
    url = reverse("committees:vote_close", args=[vote.pk])
    assert url in secretary.get(reverse("committees:vote_detail", args=[vote.pk])).text

    page = secretary.get(url).text
    assert "No se puede deshacer" in page
    assert f"Faltan por votar: {members[9].user}" in " ".join(page.split())
    vote.refresh_from_db()
    assert vote.status == Vote.Status.OPEN  # reading the page changes nothing

    services.vote_cast(vote=vote, user=members[9].user, choice=Choice.AGAINST)
    response = secretary.post(url, {"casting_vote": ""})
    agreement = Agreement.objects.get(item=item)
    assert response["Location"] == reverse("committees:agreement_detail", args=[agreement.pk])


def test_closing_a_session_is_confirmed_on_a_page_that_lists_its_items(
    client_as, cabildo, open_session
):
    session, item = open_session()
    secretary = client_as("secretary")
    url = reverse("committees:session_close", args=[session.pk])
    assert url in secretary.get(reverse("committees:session_detail", args=[session.pk])).text

    page = secretary.get(url).text
    assert "No se puede deshacer" in page
    assert item.title in page
    assert Session.objects.get(pk=session.pk).status == Session.Status.INSTALLED

    secretary.post(url)
    assert Session.objects.get(pk=session.pk).status == Session.Status.CLOSED
