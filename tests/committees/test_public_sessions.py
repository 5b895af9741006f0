"""The public side of the sessions: a session appears once its notice is out (upcoming,
postponed, cancelled, in progress, held), with its agenda, attendance, each vote and, once
approved, its minutes; never a secret ballot's voter nor a draft."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from committees import services
from committees.models import AgreementType, ItemDocument, Session, Vote
from committees.rules import Choice
from pmot.core import public_cache
from tests.committees.conftest import BEFORE_NOTICE, SESSION_START
from tests.uploads import pdf_bytes

LATE = SESSION_START + datetime.timedelta(minutes=40)
GONE = SESSION_START + datetime.timedelta(hours=2)


def minutes_after(minutes: int) -> datetime.datetime:
    return SESSION_START + datetime.timedelta(minutes=minutes)


def announce(body, *, titles=("Programa anual de obra",), starts_at=SESSION_START):
    """A session convened with one general item per title."""
    session = services.session_schedule(
        body=body, kind=Session.Kind.ORDINARY, starts_at=starts_at, place="Sala de Cabildo"
    )
    for title in titles:
        services.item_add(
            session=session,
            title=title,
            draft_text=f"Se aprueba: {title.lower()}.",
            agreement_type=AgreementType.objects.get(code="general"),
        )
    services.session_convene(session=session, now=starts_at - datetime.timedelta(days=7))
    return session


def item_card(page: str, item) -> str:
    """The HTML of one agenda item on the public session page."""
    start = page.index(f'id="item-{item.pk}"')
    return page[start : page.index("</article>", start)]


def session_page(session) -> str:
    response = Client().get(reverse("committees:public_session", args=[session.pk]))
    assert response.status_code == 200
    return response.text


def sessions_page() -> str:
    return Client().get(reverse("committees:public_sessions")).text


@pytest.fixture
def held(cabildo):
    """A closed session of the Cabildo: one member arrives late and another leaves early; a
    nominal vote cast partly online, partly in the room; a secret ballot; an item only
    reported and one withdrawn."""
    body, members, secretary = cabildo
    session = services.session_schedule(
        body=body, kind=Session.Kind.ORDINARY, starts_at=SESSION_START, place="Sala de Cabildo"
    )
    general = AgreementType.objects.get(code="general")
    works = services.item_add(
        session=session,
        title="Programa anual de obra",
        draft_text="Se aprueba el programa anual de obra 2027.",
        agreement_type=general,
    )
    comptroller = services.item_add(
        session=session,
        title="Nombramiento de la persona titular de la Contraloría",
        draft_text="Se nombra titular de la Contraloría municipal.",
        agreement_type=AgreementType.objects.get(code="appointment"),
    )
    report = services.item_add(session=session, title="Informe de la Tesorería")
    withdrawn = services.item_add(
        session=session,
        title="Donación de un predio",
        draft_text="Se autoriza la donación.",
        agreement_type=general,
    )
    services.session_convene(session=session, now=BEFORE_NOTICE)
    services.session_install(session=session, present=members[:14], at=SESSION_START)
    services.attendance_arrive(session=session, member=members[14], at=LATE)

    vote = services.vote_open(item=works, method=Vote.Method.NOMINAL)
    services.vote_cast(vote=vote, user=members[0].user, choice=Choice.FOR)
    services.vote_cast(vote=vote, user=members[1].user, choice=Choice.AGAINST)
    in_room = dict.fromkeys(members[2:], Choice.FOR) | {members[2]: Choice.ABSTAIN}
    services.vote_record_roll_call(vote=vote, by=secretary.user, choices=in_room)
    works_agreement = services.vote_close(vote=vote, at=minutes_after(50))

    secret = services.vote_open(item=comptroller, method=Vote.Method.SECRET)
    services.vote_cast(vote=secret, user=members[0].user, choice=Choice.FOR)
    services.vote_record_paper(
        vote=secret, by=secretary.user, votes_for=10, against=3, abstentions=1
    )
    services.vote_close(vote=secret, at=minutes_after(70))

    services.item_withdraw(
        item=withdrawn, reason="Falta el avalúo del predio", at=minutes_after(80)
    )
    services.attendance_leave(session=session, member=members[13], at=GONE)
    services.session_close(session=session, at=minutes_after(150))
    return {
        "session": session,
        "members": members,
        "works": works,
        "comptroller": comptroller,
        "report": report,
        "withdrawn": withdrawn,
        "agreement": works_agreement,
    }


def approve_minutes(cabildo, minutes):
    """A later session of the Cabildo approves the minutes."""
    body, members, _ = cabildo
    later_start = SESSION_START + datetime.timedelta(days=14)
    later = services.session_schedule(
        body=body, kind=Session.Kind.ORDINARY, starts_at=later_start, place="Sala de Cabildo"
    )
    item = services.item_add(
        session=later,
        title="Aprobación del acta anterior",
        draft_text="Se aprueba el acta.",
        agreement_type=AgreementType.objects.get(code="minutes"),
        subject=minutes,
    )
    services.session_convene(session=later, now=SESSION_START)
    services.session_install(session=later, present=members, at=later_start)
    vote = services.vote_open(item=item, method=Vote.Method.ECONOMIC)
    for member in members:
        services.vote_cast(vote=vote, user=member.user, choice=Choice.FOR)
    return services.vote_close(vote=vote)


def test_a_session_before_its_notice_is_never_public(cabildo):
    body, *_ = cabildo
    session = services.session_schedule(
        body=body, kind=Session.Kind.ORDINARY, starts_at=SESSION_START, place="Sala secreta"
    )
    services.item_add(session=session, title="Punto aún no convocado")
    dropped = services.session_schedule(
        body=body, kind=Session.Kind.ORDINARY, starts_at=SESSION_START, place="Sala olvidada"
    )
    services.session_cancel(session=dropped, reason="Nunca se convocó", at=BEFORE_NOTICE)

    page = sessions_page()
    assert "Sala secreta" not in page
    assert "Punto aún no convocado" not in page
    assert "Nunca se convocó" not in page
    for hidden in (session, dropped):
        url = reverse("committees:public_session", args=[hidden.pk])
        assert Client().get(url).status_code == 404


def test_a_convened_session_is_listed_with_its_date_place_and_agenda(cabildo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    body, *_ = cabildo
    session = announce(body, titles=["Programa anual de obra", "Reglamento de mercados"])
    document = ItemDocument.objects.create(
        item=session.items.get(number=2),
        title="Dictamen de la Comisión de Gobernación",
        file=ContentFile(pdf_bytes("borrador"), name="dictamen.pdf"),
    )

    page = sessions_page()
    assert "Próximas sesiones" in page
    assert "10 de diciembre de 2026, 10:00" in page
    assert "Sala de Cabildo" in page
    assert "1. Programa anual de obra" in page
    assert "2. Reglamento de mercados" in page
    assert reverse("committees:public_session", args=[session.pk]) in page

    detail = session_page(session)
    assert "Convocada" in detail
    assert "Se aprueba: reglamento de mercados." in detail
    assert "Dictamen de la Comisión de Gobernación" in detail  # its title, not the staff's file
    assert reverse("committees:document_download", args=[document.pk]) not in detail
    assert "dictamen.pdf" not in detail


def test_a_postponed_session_shows_both_dates_and_the_reason(cabildo):
    body, *_ = cabildo
    session = announce(body)
    services.session_postpone(
        session=session,
        starts_at=SESSION_START + datetime.timedelta(days=7),
        reason="Coincide con la visita del Gobernador",
        now=BEFORE_NOTICE + datetime.timedelta(days=1),
    )

    for page in (sessions_page(), session_page(session)):
        assert "Aplazada" in page
        assert "Convocada originalmente para" in page
        assert "10 de diciembre de 2026, 10:00" in page  # the first date
        assert "17 de diciembre de 2026, 10:00" in page  # the new one
        assert "Coincide con la visita del Gobernador" in page


def test_a_cancelled_session_shows_when_and_why(cabildo):
    body, *_ = cabildo
    session = announce(body)
    services.session_cancel(
        session=session,
        reason="Contingencia sanitaria",
        at=datetime.datetime(2026, 12, 8, 18, 30, tzinfo=SESSION_START.tzinfo),
    )

    listed = sessions_page()
    assert "Próximas sesiones" not in listed  # it is no longer coming
    assert "Cancelada" in listed
    assert "Contingencia sanitaria" in listed
    detail = session_page(session)
    assert "Cancelada" in detail
    assert "8 de diciembre de 2026, 18:30" in detail
    assert "Contingencia sanitaria" in detail


def test_a_session_installed_and_not_closed_is_in_progress(cabildo):
    body, members, _ = cabildo
    session = announce(body)
    services.session_install(session=session, present=members, at=SESSION_START)

    page = sessions_page()
    assert "Próximas sesiones" in page
    assert "En curso" in page
    assert "En curso" in session_page(session)


def test_a_held_session_shows_each_members_vote_by_name_and_how_it_was_cast(held):
    page = session_page(held["session"])
    members = held["members"]
    card = item_card(page, held["works"])
    against = re.search(
        rf"<td>{re.escape(escape(str(members[1].user)))}</td>\s*<td>En contra</td>\s*<td>\s*"
        r"En línea\s*</td>",
        card,
    )
    assert against, card
    in_room = re.search(
        rf"<td>{re.escape(escape(str(members[2].user)))}</td>\s*<td>Abstención</td>\s*<td>\s*"
        r"En la sala\s*</td>",
        card,
    )
    assert in_room, card
    assert "A favor: 13" in card
    assert "Se aprueba el programa anual de obra 2027." in card
    agreement = held["agreement"]
    assert reverse("committees:public_agreement", args=[agreement.pk]) in card
    assert agreement.key in card


def test_a_secret_ballot_shows_its_totals_and_nobody_by_name(held):
    card = item_card(session_page(held["session"]), held["comptroller"])
    assert "A favor: 11" in card
    assert "En contra: 3" in card
    assert "solo se conservan los totales" in card
    for member in held["members"]:
        assert escape(str(member.user)) not in card
    assert "En línea" not in card
    assert "En la sala" not in card


def test_the_held_session_shows_late_arrivals_departures_and_withdrawn_items(held):
    page = session_page(held["session"])
    assert "Celebrada" in page
    assert "Se incorporó a las 10:40" in page
    assert "Se retiró a las 12:00" in page
    withdrawn = item_card(page, held["withdrawn"])
    assert "Retirado del orden del día" in withdrawn
    assert "Falta el avalúo del predio" in withdrawn
    assert "A favor" not in withdrawn
    assert "Punto informativo" in item_card(page, held["report"])


def test_minutes_are_linked_once_approved_never_as_a_draft(
    cabildo, held, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    session, agreement = held["session"], held["agreement"]
    minutes = services.minutes_draft(session=session)
    pdf_url = reverse("committees:public_minutes_pdf", args=[minutes.pk])
    agreement_url = reverse("committees:public_agreement", args=[agreement.pk])

    assert pdf_url not in session_page(session)
    assert "se publica una vez" in session_page(session)
    assert pdf_url not in Client().get(agreement_url).text

    with django_capture_on_commit_callbacks():  # the PDF job waits: rendered here instead
        approve_minutes(cabildo, minutes)
    minutes.refresh_from_db()
    services.minutes_render_pdf(minutes=minutes)
    public_cache.bump()  # as the commit would: see the test of the next visit below

    assert pdf_url in session_page(session)
    assert pdf_url in sessions_page()
    assert pdf_url in Client().get(agreement_url).text
    assert Client().get(pdf_url)["Content-Type"] == "application/pdf"


def test_the_agreement_page_links_to_its_session(held):
    agreement = held["agreement"]
    page = Client().get(reverse("committees:public_agreement", args=[agreement.pk])).text
    assert reverse("committees:public_session", args=[held["session"].pk]) in page
    assert "ORD-01/2026" in page


@pytest.mark.django_db(transaction=True)
def test_a_session_convened_or_postponed_shows_on_the_next_visit(cabildo):
    """The page a visitor read is kept in the cache; the notice and the postponement move it on."""
    body, *_ = cabildo
    assert "Sala de Cabildo" not in sessions_page()
    session = announce(body)
    assert "Sala de Cabildo" in sessions_page()
    services.session_postpone(
        session=session,
        starts_at=SESSION_START + datetime.timedelta(days=7),
        reason="Coincide con el informe de gobierno",
        now=BEFORE_NOTICE,
    )
    assert "Coincide con el informe de gobierno" in sessions_page()


@pytest.mark.parametrize("rows", [2, 30])
def test_the_sessions_page_runs_a_fixed_number_of_queries(
    cabildo, django_assert_max_num_queries, rows
):
    body, *_ = cabildo
    now = timezone.now()
    for n in range(rows):
        status = Session.Status.CONVENED if n % 2 else Session.Status.CANCELLED
        session = Session.objects.create(
            body=body,
            year=2026,
            number=n + 1,
            kind=Session.Kind.ORDINARY,
            status=status,
            starts_at=SESSION_START + datetime.timedelta(days=n),
            place="Sala de Cabildo",
            notice_issued_at=now,
        )
        for number in (1, 2):
            session.items.create(number=number, title=f"Punto {number}")
    with django_assert_max_num_queries(10):
        assert Client().get(reverse("committees:public_sessions")).status_code == 200
