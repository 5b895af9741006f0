"""An item, and its open vote, withdrawn from the agenda (issue 18): a page that says what will
happen, a reason, no result and no agreement; a vote whose subject can no longer be decided is
not counted."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committees import hooks, services
from committees.models import Agreement, Body, Session, Vote
from committees.rules import Choice


@pytest.fixture
def voting(cabildo, open_session):
    """An installed session with an open vote where 5 of 15 have voted."""
    _, members, _ = cabildo
    session, item = open_session()
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    for member in members[:5]:
        services.vote_cast(vote=vote, user=member.user, choice=Choice.FOR)
    return session, item, vote


def test_the_secretary_withdraws_an_item_with_its_open_vote_after_a_page_that_says_so(
    client_as, voting
):
    session, item, vote = voting
    secretary = client_as("secretary")
    url = reverse("committees:item_withdraw", args=[item.pk])
    vote_page = secretary.get(reverse("committees:vote_detail", args=[vote.pk])).text
    assert url in vote_page

    page = secretary.get(url).text
    assert "Su votación está abierta: también se retira" in page

    refused = secretary.post(url, {"reason": ""})
    assert refused.status_code == 200
    item.refresh_from_db()
    assert item.withdrawn_at is None

    secretary.post(url, {"reason": "Falta el dictamen de la comisión"})
    item.refresh_from_db()
    vote.refresh_from_db()
    assert item.withdrawal_reason == "Falta el dictamen de la comisión"
    assert vote.status == Vote.Status.WITHDRAWN
    assert not Agreement.objects.filter(item=item).exists()
    detail = secretary.get(reverse("committees:session_detail", args=[session.pk])).text
    assert "Retirado del orden del día: Falta el dictamen de la comisión" in detail

    # Nothing left open: the session closes; the item is not voted again.
    services.session_close(session=session)
    assert Session.objects.get(pk=session.pk).status == Session.Status.CLOSED


def test_a_withdrawn_item_is_not_voted(open_session):
    _session, item = open_session()
    services.item_withdraw(item=item, reason="Se retira")
    with pytest.raises(ValidationError, match="retirado"):
        services.vote_open(item=item, method=Vote.Method.NOMINAL)


def test_a_voted_item_keeps_its_result(cabildo, open_session):
    _, members, _ = cabildo
    _session, item = open_session()
    vote = services.vote_open(item=item, method=Vote.Method.ECONOMIC)
    for member in members:
        services.vote_cast(vote=vote, user=member.user, choice=Choice.FOR)
    services.vote_close(vote=vote)
    with pytest.raises(ValidationError, match="su resultado se mantiene"):
        services.item_withdraw(item=item, reason="Se retira")


def test_closing_re_checks_the_subject_before_counting(cabildo, open_session, monkeypatch):
    """A body that stopped being votable while its designation was voted is not designated."""
    _, members, _ = cabildo
    copladem = Body.objects.create(name="COPLADEM", key="COPLADEM", kind=Body.Kind.COPLADEM)
    _session, item = open_session(code="designation", subject=copladem)
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    for member in members:
        services.vote_cast(vote=vote, user=member.user, choice=Choice.FOR)

    def dissolved(*, subject, item):
        if not subject.is_active:
            raise ValidationError("El órgano fue disuelto.")

    monkeypatch.setitem(hooks._checks, "committees.Body", [dissolved])
    Body.objects.filter(pk=copladem.pk).update(is_active=False)

    with pytest.raises(ValidationError, match="ya no puede decidirse") as refused:
        services.vote_close(vote=vote)
    assert "El órgano fue disuelto." in refused.value.messages
    vote.refresh_from_db()
    assert vote.status == Vote.Status.OPEN
    assert not copladem.designations.exists()
