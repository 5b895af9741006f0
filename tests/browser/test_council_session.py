"""An ordinary session of the Cabildo as it happens in the room, in real browsers: the demo's
15 members, three of them with an account. The secretary puts the submitted POA, a report and
an item she will withdraw on the agenda and issues the notice; at the session's hour she takes
attendance with one member absent, records him when he arrives late, opens a vote by name on
the POA that two members cast from their phones while she enters the rest of the room, takes a
show of hands on the report, withdraws the last item and closes the session, each irreversible
step confirmed on a page of its own. The POA is approved by that vote; the public site shows the
session and how each member voted, and its minutes once the next session approves them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budgeting.models import Poa, ProgramModality
from budgeting.services import poa as poa_services
from committees import services as committees_services
from committees.models import Agreement, Body, Member, Minutes, Session
from pmot.actors.demo import calendar
from pmot.actors.models import Organization, User
from pmot.planning import demo as planning_demo
from pmot.planning.models import PlanElement
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
# Besides the regidora of the demo, two fictional members get an account: the President, and
# the Síndico who arrives late and votes from his phone.
WITH_ACCOUNT = ["regidora", "cabildo01", "cabildo02"]
LATE = "cabildo02"
ONLINE = ["regidora", LATE]
# How the room votes on the POA, entered by the secretary: (username, choice).
ROOM = {"cabildo03": "En contra", "cabildo04": "Abstención"}
REPORT = "Informe anual del PMOT"  # on the demo's upcoming agenda already
TO_WITHDRAW = "Permuta de un predio en la colonia Ojocaliente"


@pytest.fixture
def council_site(demo_site):
    """The demo's Cabildo with its session to convene, three members with an account, and a
    POA of next year submitted to the Cabildo (one public work, aligned to the PMOT)."""
    for username in WITH_ACCOUNT:
        person = User.objects.get(username=username)
        person.set_password(PASSWORD)
        person.save()
    planning_demo.load()
    poa = poa_services.poa_create(fiscal_year=calendar().year + 1)
    action = poa_services.action_save(
        poa=poa,
        key="A-01",
        name="Rehabilitación de la red de agua potable del oriente",
        kind="public_works",
        responsible=Organization.objects.get(acronym="SOP"),
        modality=ProgramModality.objects.get(key="K"),
        target=Decimal("400"),
        target_unit="metros de tubería",
        calendar_kind="quarterly",
        calendar=[100, 100, 100, 100],
    )
    poa_services.action_align(
        action=action, elements=[PlanElement.objects.get(plan__key="pmot", key="PMOT-2.1.2")]
    )
    poa_services.poa_submit(poa=poa)
    return demo_site, poa


def _name(username):
    return User.objects.get(username=username).get_full_name()


def _seat(username):
    return Member.objects.get(body__kind=Body.Kind.CABILDO, user__username=username)


def _add_item(page, title, *, decides=None, kind="Acuerdo general"):
    form = page.locator("form").filter(has_text="Agregar al orden del día")
    form.get_by_label("Título").fill(title)
    form.get_by_label("Proyecto de acuerdo").fill(f"El H. Ayuntamiento aprueba: {title}.")
    form.get_by_label("Tipo de acuerdo").select_option(label=kind)
    if decides:
        form.get_by_label("Qué decide el punto").select_option(label=decides)
    form.get_by_role("button", name="Agregar al orden del día").click()
    page.get_by_role("heading", name=re.compile(re.escape(title))).wait_for()


def _item(page, title):
    return page.get_by_role("article").filter(
        has=page.get_by_role("heading", name=re.compile(re.escape(title)))
    )


def _open_vote(page, title, method):
    item = _item(page, title)
    item.get_by_label("Modalidad").select_option(method)
    item.get_by_role("button", name="Abrir la votación").click()
    page.wait_for_url("**/votaciones/*/")
    return page.url


def _install(page, session_url, *, absent=()):
    page.get_by_role("link", name="Pasar lista e instalar").click()
    install = page.get_by_role("button", name="Registrar la asistencia e instalar la sesión")
    install.wait_for()
    for box in page.get_by_role("checkbox").all():
        box.check()
    for username in absent:
        page.get_by_label(_name(username)).uncheck()
    install.click()
    page.wait_for_url(session_url)


def _close_vote(page):
    """Closing asks for confirmation on a page of its own, which says it cannot be undone."""
    page.get_by_role("link", name="Cerrar la votación y computar…").click()
    page.get_by_text("No se puede deshacer").wait_for()
    page.get_by_role("button", name="Cerrar la votación y computar").click()
    page.wait_for_url("**/acuerdos/*/")


def _record_hands(page, *, votes_for, against=()):
    page.get_by_label("Manos a favor").fill(str(votes_for))
    for username in against:
        page.get_by_role("group", name="En contra").get_by_label(_name(username)).check()
    page.get_by_role("button", name="Registrar la votación económica").click()
    page.get_by_text("Todos los integrantes presentes votaron").wait_for()


def _the_hour_comes(session):
    # The session's hour comes: it was convened days ahead and is installed from its time on
    # (minus the tolerance), so the test moves it to now rather than waiting.
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now())


def test_an_ordinary_session_in_the_room_approves_the_poa_and_is_published(
    new_context, council_site, log_in
):
    site, poa = council_site
    session = Session.objects.get(body__kind=Body.Kind.CABILDO, status=Session.Status.SCHEDULED)
    session_url = site.url + reverse("committees:session_detail", args=[session.pk])

    # The secretary starts from her page: the session waits there to be convened.
    secretary = log_in(new_context().new_page(), "secretaria")
    to_convene = secretary.locator(".dash-list").filter(
        has=secretary.get_by_role("heading", name="Sesiones por convocar")
    )
    to_convene.get_by_role("link", name=f"{session.body.name} · {session}").click()
    secretary.wait_for_url(session_url)
    _add_item(secretary, f"Aprobación del {poa}", decides=str(poa))
    _add_item(secretary, TO_WITHDRAW)
    secretary.get_by_role("button", name="Emitir la convocatoria").click()
    secretary.get_by_role("link", name="Pasar lista e instalar").wait_for()
    _the_hour_comes(session)

    # Attendance: the Síndico is not in the room yet; he arrives after the session opened.
    _install(secretary, session_url, absent=[LATE])
    secretary.get_by_text("Lugares presentes ahora: 14 de 15 (quórum 8).").wait_for()
    arrival = secretary.locator("form").filter(has_text="Registrar la llegada o salida")
    arrival.get_by_label("Integrante").select_option(str(_seat(LATE).pk))
    arrival.get_by_label("Cambio").select_option("arrive")
    arrival.get_by_role("button", name="Registrar la llegada o salida").click()
    secretary.get_by_text("Lugares presentes ahora: 15 de 15 (quórum 8).").wait_for()
    secretary.locator("li").filter(has_text=_name(LATE)).filter(has_text="llegó").wait_for()

    # The POA by name: two members vote from their phones, the secretary enters the room.
    vote_url = _open_vote(secretary, str(poa), "nominal")
    for username in ONLINE:
        phone = log_in(new_context(viewport=PHONE).new_page(), username)
        phone.goto(vote_url)
        phone.get_by_role("button", name="A favor", exact=True).click()
        phone.get_by_role("status").filter(has_text="Usted votó").wait_for()
    secretary.reload()
    roll_call = secretary.get_by_role("table", name="Votación nominal")
    roll_call.wait_for()
    members = roll_call.get_by_role("group").all()
    assert len(members) == 13  # the two who voted online are not in it
    assert not roll_call.get_by_role("group", name=_name(LATE)).count()
    room = {_name(username): choice for username, choice in ROOM.items()}
    for group in members:
        name = group.locator("legend").text_content().strip()
        group.get_by_label(room.get(name, "A favor"), exact=True).check()
    secretary.get_by_role("button", name="Registrar la votación nominal").click()
    secretary.get_by_text("Todos los integrantes presentes votaron").wait_for()
    _close_vote(secretary)
    approval = Agreement.objects.get(item__subject_id=poa.pk, item__session=session)
    assert approval.status == Agreement.Status.APPROVED

    # The report by a show of hands: the count for, and who is against by name.
    secretary.goto(session_url)
    _open_vote(secretary, REPORT, "economic")
    _record_hands(secretary, votes_for=14, against=["cabildo05"])
    _close_vote(secretary)

    # An item withdrawn with its reason, then the session closed.
    secretary.goto(session_url)
    _item(secretary, TO_WITHDRAW).get_by_role("link", name="Retirar el punto").click()
    secretary.get_by_label("Motivo").fill("Falta el avalúo del predio.")
    secretary.get_by_role("button", name="Retirar el punto").click()
    secretary.get_by_text("Retirado del orden del día: Falta el avalúo del predio.").wait_for()
    secretary.get_by_role("link", name="Clausurar la sesión…").click()
    secretary.get_by_text("No se puede deshacer").wait_for()
    secretary.get_by_role("button", name="Clausurar la sesión").click()
    secretary.get_by_role("button", name="Elaborar el acta").wait_for()

    # The vote reached the POA: approved by that agreement.
    secretary.goto(site.url + reverse("budgeting:poa_detail", args=[poa.pk]))
    header = secretary.locator("header.page-header")
    header.get_by_text("Aprobado", exact=True).wait_for()
    assert approval.key in header.inner_text()
    assert Poa.objects.get(pk=poa.pk).status == Poa.Status.APPROVED

    # The public, without an account: the session, its votes member by member, the withdrawal.
    public = new_context().new_page()
    public_url = site.url + reverse("committees:public_session", args=[session.pk])
    public.goto(public_url)
    poa_item = _item(public, str(poa))
    votes = poa_item.get_by_role("table").inner_text()
    for username in ONLINE:
        assert re.search(rf"{_name(username)}\s+A favor\s+En línea", votes)
    assert re.search(rf"{_name('cabildo03')}\s+En contra\s+En la sala", votes)
    assert "A favor: 13" in poa_item.inner_text()
    assert approval.key in poa_item.inner_text()
    hands = _item(public, REPORT).inner_text()
    assert "A favor: 14" in hands
    assert "En contra: 1" in hands
    assert "Falta el avalúo del predio." in _item(public, TO_WITHDRAW).inner_text()
    attendance = public.get_by_role("region", name="Asistencia")
    late = attendance.get_by_role("row").filter(has_text=_name(LATE))
    assert "Se incorporó a las" in late.inner_text()
    assert not public.get_by_role("link", name="Acta aprobada (PDF)").count()

    # The minutes: drafted now, approved by the next session, then published.
    secretary.goto(session_url)
    secretary.get_by_role("button", name="Elaborar el acta").click()
    secretary.wait_for_url("**/actas/*/")
    minutes = Minutes.objects.get(session=session)
    _next_session_approves(secretary, site, minutes)
    public.reload()
    link = public.get_by_role("link", name="Acta aprobada (PDF)")
    link.wait_for()
    assert link.get_attribute("href") == reverse("committees:public_minutes_pdf", args=[minutes.pk])


def _next_session_approves(secretary, site, minutes):
    """The next ordinary session puts the minutes to a show of hands, everybody present."""
    cabildo = minutes.session.body
    starts = timezone.now() + datetime.timedelta(days=4)
    following = committees_services.session_schedule(
        body=cabildo, kind=Session.Kind.ORDINARY, starts_at=starts, place="Sala de Cabildo"
    )
    url = site.url + reverse("committees:session_detail", args=[following.pk])
    secretary.goto(url)
    _add_item(
        secretary,
        "Aprobación del acta de la sesión anterior",
        decides=str(minutes),
        kind="Aprobación de acta",
    )
    secretary.get_by_role("button", name="Emitir la convocatoria").click()
    secretary.get_by_role("link", name="Pasar lista e instalar").wait_for()
    _the_hour_comes(following)
    _install(secretary, url)
    _open_vote(secretary, "Aprobación del acta", "economic")
    _record_hands(secretary, votes_for=15)
    _close_vote(secretary)
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    # The approved minutes are rendered to PDF in the background; no worker runs here, so the
    # test does the worker's part.
    committees_services.minutes_render_pdf(minutes=minutes)
