"""The vote on the room's projector: the item, who may vote and who has, refreshed by polling;
the choices and the count only once closed, never a choice of a secret ballot; seen by whoever
may see the vote."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from committees import services
from committees.models import AgreementType, Body, Member, Vote
from committees.rules import Choice
from tests.committees.conftest import seat
from tests.conftest import ALL_PERSONAS

POLL = {"HX-Request": "true"}
# The fragment runs 14 queries: session, user, permissions, the vote, who may vote, ballots,
# excusals, who left, the members; a little room.
SCREEN_QUERIES = 16


@pytest.fixture
def room(persona):
    """make(method, code, more=0) -> an open vote of an installed Cabildo session of five
    members (and `more`), all present, the council-member persona presiding."""
    body = Body.objects.create(name="H. Ayuntamiento", key="CAB", kind=Body.Kind.CABILDO)
    members = [seat(body, Member.Role.PRESIDENT, user=persona("council_member"))]
    members += [seat(body) for _ in range(4)]

    def make(method=Vote.Method.NOMINAL, code="general", more=0):
        members.extend(seat(body) for _ in range(more))
        # Starts in a few minutes: a session is installed at its time, not long before.
        starts = timezone.now() + datetime.timedelta(minutes=10)
        session = services.session_schedule(
            body=body, kind="ordinary", starts_at=starts, place="Sala de Cabildo"
        )
        item = services.item_add(
            session=session,
            title="Programa municipal de arbolado",
            draft_text="Se aprueba el programa municipal de arbolado 2027.",
            agreement_type=AgreementType.objects.get(code=code),
        )
        services.session_convene(session=session, now=starts - datetime.timedelta(days=5))
        services.session_install(session=session, present=members)
        return services.vote_open(item=item, method=method)

    return make, members


def screen_url(vote):
    return reverse("committees:vote_screen", args=[vote.pk])


def cast(vote, member, choice):
    services.vote_cast(vote=vote, user=member.user, choice=choice)


def test_the_screen_shows_the_item_the_session_and_who_may_vote(client_as, room):
    make, members = room
    vote = make()
    page = client_as("planner").get(screen_url(vote))
    assert page.status_code == 200
    text = page.text
    assert "Programa municipal de arbolado" in text
    assert "Se aprueba el programa municipal de arbolado 2027." in text
    session = vote.item.session
    assert f"CAB {session.code}/{session.year}" in text
    assert "Sala de Cabildo" in text
    for member in members:
        assert str(member.user) in text
    assert text.count("Por votar") == 5
    assert "La votación está abierta" in text
    assert "<strong>0</strong> de 5 han votado" in text
    # It asks for its fragment every 2 seconds, by htmx, with no script of its own inline.
    assert 'hx-trigger="every 2s"' in text
    assert f'hx-get="{screen_url(vote)}"' in text


def test_the_screen_runs_under_the_content_security_policy(client_as, room):
    make, _ = room
    response = client_as("planner").get(screen_url(make()))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    # No style attribute; each script a file of ours or carrying the nonce, each style the nonce.
    assert " style=" not in response.text
    for tag in re.findall(r"<(?:script|style)\b[^>]*>", response.text):
        assert 'src="/static/' in tag or f'nonce="{nonce}"' in tag, tag


def test_the_fragment_shows_a_ballot_cast_since_and_the_result_once_closed(client_as, room):
    make, members = room
    vote = make()
    client = client_as("secretary")
    before = client.get(screen_url(vote), headers=POLL).text
    assert "<html" not in before  # the fragment only
    assert "<strong>0</strong> de 5 han votado" in before

    cast(vote, members[1], Choice.AGAINST)
    after = client.get(screen_url(vote), headers=POLL).text
    assert "<strong>1</strong> de 5 han votado" in after
    assert after.count("Votó") == 1
    assert after.count("Por votar") == 4
    # Open, not even a vote by name shows how anyone voted, nor a running count.
    assert "En contra" not in after
    assert "screen__count" not in after
    assert 'hx-trigger="every 2s"' in after

    for member in members[:1] + members[2:]:
        cast(vote, member, Choice.FOR)
    agreement = services.vote_close(vote=vote)
    closed = client.get(screen_url(vote), headers=POLL).text
    assert "Aprobado" in closed
    assert agreement.key in closed
    assert re.search(r"A favor</dt>\s*<dd>4</dd>", closed)
    assert re.search(r"En contra</dt>\s*<dd>1</dd>", closed)
    # Closed, each member's choice is shown, and the screen stops asking.
    assert closed.count("screen__choice--for") == 4
    assert closed.count("screen__choice--against") == 1
    assert "hx-trigger" not in closed


def test_a_rejected_item_says_so(client_as, room):
    make, members = room
    vote = make(method=Vote.Method.ECONOMIC)
    for member in members:
        cast(vote, member, Choice.AGAINST)
    services.vote_close(vote=vote)
    text = client_as("planner").get(screen_url(vote)).text
    assert "Rechazado" in text
    assert "Aprobado" not in text


def test_a_secret_ballot_shows_no_count_nor_choice_while_open(client_as, room):
    make, members = room
    vote = make(method=Vote.Method.SECRET, code="appointment")
    for member in members[:3]:
        cast(vote, member, Choice.FOR)
    cast(vote, members[3], Choice.AGAINST)
    client = client_as("secretary")
    for text in (
        client.get(screen_url(vote)).text,
        client.get(screen_url(vote), headers=POLL).text,
    ):
        assert "<strong>4</strong> de 5 han votado" in text
        assert text.count("Votó") == 4
        assert "A favor" not in text
        assert "En contra" not in text
        assert "Abstenciones" not in text
        assert "screen__count" not in text

    cast(vote, members[4], Choice.FOR)
    services.vote_close(vote=vote)
    closed = client.get(screen_url(vote), headers=POLL).text
    # Closed: the totals, still nobody's choice.
    assert re.search(r"A favor</dt>\s*<dd>4</dd>", closed)
    assert re.search(r"En contra</dt>\s*<dd>1</dd>", closed)
    assert closed.count("Votó") == 5
    assert "screen__choice--" not in closed


def test_a_member_who_excused_himself_or_left_is_not_awaited(client_as, room):
    make, members = room
    vote = make()
    services.vote_excuse(vote=vote, member=members[1], reason="Conflicto de interés")
    services.attendance_leave(session=vote.item.session, member=members[2])
    cast(vote, members[0], Choice.FOR)
    text = client_as("planner").get(screen_url(vote), headers=POLL).text
    assert "<strong>1</strong> de 3 han votado" in text
    assert "Se excusó" in text
    assert "Se retiró" in text
    assert text.count("Por votar") == 2


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_whoever_may_see_the_vote_sees_its_screen(client_as, room, persona_name):
    make, _ = room
    vote = make()
    client = client_as(persona_name)
    expected = client.get(reverse("committees:vote_detail", args=[vote.pk])).status_code
    assert client.get(screen_url(vote)).status_code == expected
    assert client.get(screen_url(vote), headers=POLL).status_code == expected


def test_the_anonymous_public_and_an_account_with_no_role_are_refused(client_as, room):
    make, _ = room
    vote = make(method=Vote.Method.SECRET, code="appointment")
    anonymous = client_as("anonymous").get(screen_url(vote))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    # An account that belongs to no organization of the PMOT: the vote is hidden from it.
    outsider = client_as("outsider")
    assert outsider.get(screen_url(vote)).status_code == 404
    assert outsider.get(screen_url(vote), headers=POLL).status_code == 404


def test_the_screen_only_reads(client_as, room):
    make, _ = room
    vote = make()
    assert client_as("secretary").post(screen_url(vote)).status_code == 405


def test_the_fragment_runs_a_few_queries_however_many_members(
    client_as, room, django_assert_max_num_queries
):
    make, members = room
    vote = make(more=20)
    for member in members[:10]:
        cast(vote, member, Choice.FOR)
    client = client_as("secretary")
    # Polled every 2 seconds by every screen: a query per member would be 25 more here.
    with django_assert_max_num_queries(SCREEN_QUERIES):
        text = client.get(screen_url(vote), headers=POLL).text
    assert "<strong>10</strong> de 25 han votado" in text
