"""The projector's screen in a real browser: left open on the secretary's laptop, it shows by
itself, without reloading, a ballot cast from a council member's phone, then the result once the
vote closes; nothing on it is blocked by the Content-Security-Policy."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from committees import services
from committees.models import AgreementType, Body, Session, Vote
from committees.rules import Choice
from committees.selectors import voting_members
from pmot.actors.models import User

pytestmark = pytest.mark.django_db(transaction=True)

PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def open_vote(demo_site):
    """A vote by name, open in an extraordinary session of the demo's Cabildo that started a few
    minutes from now, every member present."""
    cabildo = Body.objects.get(kind=Body.Kind.CABILDO)
    starts = timezone.now() + datetime.timedelta(minutes=5)
    session = services.session_schedule(
        body=cabildo, kind=Session.Kind.EXTRAORDINARY, starts_at=starts, place="Sala de Cabildo"
    )
    item = services.item_add(
        session=session,
        title="Programa municipal de arbolado",
        draft_text="Se aprueba el programa municipal de arbolado 2027.",
        agreement_type=AgreementType.objects.get(code="general"),
    )
    services.session_convene(session=session, now=starts - datetime.timedelta(days=2))
    services.session_install(session=session, present=list(voting_members(session)))
    return services.vote_open(item=item, method=Vote.Method.NOMINAL)


def test_the_screen_shows_a_ballot_and_the_result_by_itself(
    new_context, demo_site, log_in, open_vote
):
    vote = open_vote
    regidora = User.objects.get(username="regidora")
    screen = log_in(new_context(viewport=PROJECTOR).new_page(), "secretaria")
    blocked = []
    screen.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    screen.goto(demo_site.url + reverse("committees:vote_screen", args=[vote.pk]))
    her_line = screen.locator(".screen__member", has_text=regidora.get_full_name())
    assert "Por votar" in her_line.inner_text()
    # Marks this very page: a reload would lose it.
    screen.evaluate("window.notReloaded = true")

    phone = log_in(new_context(viewport=PHONE).new_page(), "regidora")
    phone.goto(demo_site.url + reverse("committees:vote_detail", args=[vote.pk]))
    phone.get_by_role("button", name="A favor", exact=True).click()
    phone.get_by_role("status").filter(has_text="Usted votó").wait_for()

    her_line.filter(has_text="Votó").wait_for(timeout=10_000)
    assert "han votado" in screen.locator("#vote-screen").inner_text()
    assert "A favor" not in her_line.inner_text()  # open: who voted, not how

    # The rest of the room votes and the secretary closes: the result appears by itself.
    for seat in voting_members(vote.item.session).select_related("user"):
        if seat.user_id != regidora.pk:
            services.vote_cast(vote=vote, user=seat.user, choice=Choice.FOR)
    agreement = services.vote_close(vote=vote)
    screen.get_by_role("heading", name="Aprobado").wait_for(timeout=10_000)
    assert agreement.key in screen.locator("#vote-screen").inner_text()
    assert "A favor" in her_line.inner_text()
    assert screen.evaluate("window.notReloaded") is True
    assert blocked == []
