"""The online vote in real browsers: the secretary opens it, two council members vote from
their own browsers, the secretary enters the rest of the room in the roll call and closes the vote
with the casting vote of the President who presides, and the public page shows both votes."""

import pytest
from django.urls import reverse
from django.utils import timezone

from committees import demo as committees_demo
from committees.models import Agreement, Session
from pmot.actors.models import User
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def council_site(demo_site):
    committees_demo.load()
    presidenta = User.objects.get(username="cabildo01")
    presidenta.set_password(PASSWORD)
    presidenta.save()
    return demo_site


def test_two_members_vote_online_and_the_public_sees_both_votes(new_context, council_site, log_in):
    session = Session.objects.get(status=Session.Status.SCHEDULED)
    session_url = council_site.url + reverse("committees:session_detail", args=[session.pk])

    secretary = log_in(new_context().new_page(), "secretaria")
    secretary.goto(session_url)
    secretary.get_by_role("button", name="Emitir la convocatoria").click()
    # The session's hour comes (it is convened days ahead): only then can it be installed.
    secretary.get_by_role("link", name="Pasar lista e instalar").wait_for()
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now())
    secretary.get_by_role("link", name="Pasar lista e instalar").click()
    # Wait for the roll-call form itself: listing checkboxes does not wait for the page.
    install = secretary.get_by_role("button", name="Registrar la asistencia e instalar la sesión")
    install.wait_for()
    boxes = secretary.get_by_role("checkbox").all()
    assert boxes
    for box in boxes:
        box.check()
    install.click()
    secretary.get_by_label("Modalidad").select_option("nominal")  # by name: each member's vote
    secretary.get_by_role("button", name="Abrir la votación").click()
    secretary.wait_for_url("**/votaciones/*/")
    vote_url = secretary.url

    for username, choice in [("regidora", "A favor"), ("cabildo01", "En contra")]:
        member = log_in(new_context(viewport=PHONE).new_page(), username)
        member.goto(vote_url)
        member.get_by_role("button", name=choice, exact=True).click()
        member.get_by_role("status").filter(has_text="Usted votó").wait_for()

    # The thirteen other members present vote in the room (the fictional ones have no account),
    # and the secretary enters them in the roll call: six for, six against, one abstains; with
    # the two above, a 7-7 tie.
    secretary.reload()
    roll_call = secretary.get_by_role("table", name="Votación nominal")
    roll_call.wait_for()
    members = roll_call.get_by_role("group").all()
    assert len(members) == 13
    for n, member_row in enumerate(members):
        choice = "A favor" if n < 6 else "En contra" if n < 12 else "Abstención"
        member_row.get_by_label(choice, exact=True).check()
    secretary.get_by_role("button", name="Registrar la votación nominal").click()
    secretary.get_by_text("Todos los integrantes presentes votaron").wait_for()
    secretary.get_by_text("Ana Torres Delgado").first.wait_for()
    # Closing asks for confirmation on a page of its own, which says what it does.
    secretary.get_by_role("link", name="Cerrar la votación y computar…").click()
    secretary.get_by_text("No se puede deshacer").wait_for()
    # The President is present: she presides, and her casting vote breaks the tie.
    secretary.get_by_label("Voto de calidad de Leticia Navarro Cruz, quien preside").select_option(
        "for"
    )
    secretary.get_by_role("button", name="Cerrar la votación y computar").click()
    secretary.wait_for_url("**/acuerdos/*/")
    # The last member's phone, left on the vote page, shows the count by itself, and no longer
    # says the vote is open.
    member.get_by_text("Usted votó").wait_for(state="detached")
    assert "En contra: 7" in member.get_by_role("region", name="Quién ha votado").inner_text()

    agreement = Agreement.objects.get(item__session=session)
    public = new_context().new_page()
    public.goto(council_site.url + reverse("committees:public_agreement", args=[agreement.pk]))
    votes = public.get_by_role("table", name="Voto de cada integrante")
    assert "Ana Torres Delgado" in votes.inner_text()
    assert "Leticia Navarro Cruz" in votes.inner_text()
    assert "A favor" in votes.inner_text()
    assert "En contra" in votes.inner_text()
    assert agreement.key in public.content()
