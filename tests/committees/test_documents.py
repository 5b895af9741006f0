"""The documents a municipality signs: the notice e-mail with its link and calendar invitation,
and the notice, agenda, minutes and certificate PDFs on the municipality's letterhead."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from committees import services
from committees.models import Session, Vote
from committees.rules import Choice
from committees.services.documents import agenda_pdf, notice_pdf
from committees.services.notices import notice_message
from pmot.actors.models import Municipality
from tests.committees.conftest import BEFORE_NOTICE, SESSION_START

SITE = "https://pmot.aguascalientes.gob.mx"
PLACE = "Sala de Cabildo, Palacio Municipal; planta alta (Plaza de la Patria s/n, Zona Centro)"


@pytest.fixture(autouse=True)
def municipality(db, settings):
    settings.PMOT_SITE_URL = SITE
    return Municipality.objects.create(
        inegi_key="01001", name="Aguascalientes", state="Aguascalientes", population=948_990
    )


@pytest.fixture
def convened(cabildo, agreement_type):
    """An ordinary session of the Cabildo, convened a week ahead with a long agenda (two pages
    at least, so that what runs on every page can be seen to)."""
    body, _, _ = cabildo
    session = services.session_schedule(
        body=body, kind=Session.Kind.ORDINARY, starts_at=SESSION_START, place=PLACE
    )
    for n in range(1, 13):
        services.item_add(
            session=session,
            title=f"Asunto {n}: dictamen de la comisión de desarrollo urbano número {n}",
            draft_text=(
                f"Se aprueba el dictamen {n} de la comisión, en los términos del documento "
                f"anexo, para su publicación en la Gaceta Municipal (punto {n})."
            ),
            agreement_type=agreement_type("general"),
        )
    return services.session_convene(session=session, now=BEFORE_NOTICE)


@pytest.fixture
def hold(cabildo, agreement_type):
    """hold(present, presiding) -> a closed session whose agreement was decided by name, 10
    for and the rest against."""

    def make(present, presiding=None):
        body, _, _ = cabildo
        session = services.session_schedule(
            body=body, kind=Session.Kind.ORDINARY, starts_at=SESSION_START, place="Sala de Cabildo"
        )
        item = services.item_add(
            session=session,
            title="Programa de trabajo 2027",
            draft_text="Se aprueba el programa de trabajo 2027.",
            agreement_type=agreement_type("general"),
        )
        services.session_convene(session=session, now=BEFORE_NOTICE)
        services.session_install(
            session=session, present=present, presiding=presiding, at=SESSION_START
        )
        vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
        for n, member in enumerate(present):
            choice = Choice.FOR if n < 10 else Choice.AGAINST
            services.vote_cast(vote=vote, user=member.user, choice=choice)
        agreement = services.vote_close(vote=vote)
        services.session_close(session=session, at=SESSION_START + datetime.timedelta(hours=2))
        session.refresh_from_db()
        return session, agreement

    return make


@pytest.fixture
def held(cabildo, hold):
    """Presided by the President, with 12 of the 15 members present."""
    return hold(cabildo[1][:12])


def minutes_pdf(session, agreement) -> bytes:
    """The minutes as drafted, approved (by any agreement: the PDF is what is looked at)."""
    minutes = services.minutes_draft(session=session)
    minutes.status = minutes.Status.APPROVED
    minutes.approved_by = agreement
    minutes.save()
    services.minutes_render_pdf(minutes=minutes)
    minutes.refresh_from_db()
    return stored(minutes.pdf)


def flat(text: str) -> str:
    return " ".join(text.split())


def pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def stored(field) -> bytes:
    with field.open("rb") as file:
        return file.read()


LETTERHEAD = "Municipio de Aguascalientes"


def assert_on_letterhead(content: bytes, key: str) -> list[str]:
    """Every page carries the municipality's name, `key` and "página X de Y"; no line of the
    document's own text (what does not run on every page by design) is printed twice."""
    texts = pages(content)
    own = []
    for number, text in enumerate(texts, start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        page_number = f"Página {number} de {len(texts)}"
        assert LETTERHEAD in lines
        assert key in text
        assert page_number in text

        def running(line, page_number=page_number):
            return line in (LETTERHEAD, "Aguascalientes") or key in line or page_number in line

        own += [line for line in lines if not running(line)]
    assert not {line for line in own if own.count(line) > 1}
    return texts


def test_the_agenda_runs_over_pages_with_the_letterhead_key_and_numbers_on_each(convened):
    texts = assert_on_letterhead(agenda_pdf(session=convened), "Sesión CAB ORD-01/2026")
    assert len(texts) >= 2
    whole = flat(" ".join(texts))
    assert "Asunto 12: dictamen" in whole
    assert "Se aprueba el dictamen 7 de la comisión" in whole


def test_the_notice_names_date_place_and_agenda_and_is_signed(cabildo, convened):
    _, members, secretary = cabildo
    texts = assert_on_letterhead(notice_pdf(session=convened), "Sesión CAB ORD-01/2026")
    whole = flat(" ".join(texts))
    assert "10 de diciembre de 2026" in whole
    assert "Palacio Municipal; planta alta" in whole
    assert "1. Asunto 1: dictamen" in whole
    assert flat(f"{members[0].user} Presidente(a)") in whole
    assert flat(f"{secretary.user} Secretario(a) del Ayuntamiento") in whole


def test_the_minutes_are_printed_once_on_the_letterhead_signed_by_who_presided(
    cabildo, held, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    session, agreement = held
    _, members, secretary = cabildo
    texts = assert_on_letterhead(minutes_pdf(session, agreement), "Sesión CAB ORD-01/2026")
    whole = flat(" ".join(texts))
    # The draft already holds the attendance, the votes and the agreement: once is enough.
    assert whole.count(flat(f"{members[11].user}: En contra")) == 1
    assert whole.count("Se aprueba el programa de trabajo 2027.") == 1
    assert flat(f"{members[0].user} Presidente(a)") in whole
    assert flat(f"{secretary.user} Secretario(a) del Ayuntamiento") in whole


def test_the_certificate_is_signed_by_the_secretary_on_the_letterhead(
    cabildo, held, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _, agreement = held
    _, _, secretary = cabildo
    services.certificate_render_pdf(agreement=agreement)
    agreement.refresh_from_db()

    texts = assert_on_letterhead(
        stored(agreement.certificate), f"Acuerdo {agreement.key} · sesión CAB ORD-01/2026"
    )
    whole = flat(" ".join(texts))
    assert agreement.key in whole
    assert flat(f"{secretary.user} Secretario(a) del Ayuntamiento") in whole
    assert "Presidente(a)" not in whole  # the secretary alone certifies


def test_a_member_presiding_in_the_presidents_absence_signs_the_minutes_as_such(
    cabildo, hold, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _, members, _ = cabildo
    session, agreement = hold(members[1:13], presiding=members[1])
    whole = flat(" ".join(pages(minutes_pdf(session, agreement))))
    office = "Regidor(a), en funciones de presidente(a) de la sesión"
    assert flat(f"{members[1].user} {office}") in whole
    assert flat(f"{members[0].user} Presidente(a)") not in whole  # absent: she does not sign


# --- The notice e-mail ------------------------------------------------------------------------


def unfolded(ics: str) -> dict[str, str]:
    """The event's properties, lines unfolded and TEXT values unescaped (RFC 5545)."""
    assert ics.endswith("\r\n")
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    properties = {}
    for line in ics.replace("\r\n ", "").split("\r\n"):
        if line:
            name, _, value = line.partition(":")
            properties.setdefault(name, value)
    for name in ("SUMMARY", "LOCATION", "DESCRIPTION"):
        properties[name] = re.sub(
            r"\\([\\;,nN])",
            lambda m: "\n" if m[1] in "nN" else m[1],
            properties[name],
        )
    return properties


def sent_notice(session, mailoutbox):
    services.notice_send(session=session)
    mail = mailoutbox[-1]
    (attachment,) = mail.attachments
    filename, content, mimetype = attachment
    assert filename.endswith(".ics")
    assert mimetype == "text/calendar"
    return mail, unfolded(content)


def test_the_notice_e_mail_links_to_the_session_and_carries_an_invitation(convened, mailoutbox):
    mail, event = sent_notice(convened, mailoutbox)
    link = SITE + reverse("committees:session_detail", args=[convened.pk])
    assert link in mail.body
    assert event["BEGIN"] == "VCALENDAR"
    assert event["METHOD"] == "PUBLISH"
    assert event["DTSTART"] == "20261210T160000Z"  # 10:00 in Mexico City
    assert event["DTEND"] > event["DTSTART"]
    assert "H. Ayuntamiento" in event["SUMMARY"]
    assert "ORD-01/2026" in event["SUMMARY"]
    assert event["LOCATION"] == PLACE
    assert "12. Asunto 12: dictamen" in event["DESCRIPTION"]
    assert event["URL"] == link


def test_a_postponed_sessions_notice_says_so_and_moves_the_same_calendar_event(
    convened, mailoutbox
):
    _, first = sent_notice(convened, mailoutbox)
    new_date = SESSION_START + datetime.timedelta(days=7)
    services.session_postpone(
        session=convened,
        starts_at=new_date,
        reason="La sala está en obras",
        now=BEFORE_NOTICE + datetime.timedelta(days=1),
    )
    convened.refresh_from_db()
    mail, moved = sent_notice(convened, mailoutbox)

    assert "aplazada" in mail.subject.lower()
    assert "aplazada" in mail.body
    assert "10 de diciembre de 2026" in mail.body  # first convened for
    assert "17 de diciembre de 2026" in mail.body  # the new date
    assert "La sala está en obras" in mail.body
    assert moved["UID"] == first["UID"]
    assert int(moved["SEQUENCE"]) > int(first["SEQUENCE"])
    assert moved["DTSTART"] == "20261217T160000Z"
    notice = flat(" ".join(pages(notice_pdf(session=convened))))
    assert "originalmente para el 10 de diciembre de 2026, 10:00, queda aplazada" in notice
    assert "que se celebrará el 17 de diciembre de 2026, 10:00" in notice


def test_the_invitation_of_a_cancelled_session_cancels_the_same_event(convened):
    first = unfolded(notice_message(convened, to=["a@example.org"]).attachments[0][1])
    services.session_cancel(session=convened, reason="Duelo municipal")
    convened.refresh_from_db()
    mail = notice_message(convened, to=["a@example.org"])
    cancelled = unfolded(mail.attachments[0][1])
    assert cancelled["UID"] == first["UID"]
    assert cancelled["STATUS"] == "CANCELLED"
    assert "cancelada" in mail.subject.lower()
    assert "Duelo municipal" in mail.body


# --- Who may download the notice and the agenda -----------------------------------------------


@pytest.mark.parametrize(("persona_name", "status"), [("secretary", 200), ("outsider", 404)])
def test_the_notice_and_agenda_are_downloaded_by_who_may_see_the_session(
    client_as, convened, persona_name, status
):
    client = client_as(persona_name)
    for name in ("committees:notice_pdf", "committees:agenda_pdf"):
        response = client.get(reverse(name, args=[convened.pk]))
        assert response.status_code == status
        if status == 200:
            assert response["Content-Type"] == "application/pdf"
            assert LETTERHEAD in pages(response.content)[0]


def test_there_is_no_notice_to_print_before_it_is_issued(client_as, cabildo):
    body, _, _ = cabildo
    session = services.session_schedule(
        body=body, kind=Session.Kind.ORDINARY, starts_at=SESSION_START, place="Sala de Cabildo"
    )
    client = client_as("secretary")
    assert client.get(reverse("committees:notice_pdf", args=[session.pk])).status_code == 404
    assert client.get(reverse("committees:agenda_pdf", args=[session.pk])).status_code == 200


def test_the_session_page_links_to_its_documents(client_as, convened):
    page = client_as("secretary").get(reverse("committees:session_detail", args=[convened.pk]))
    assert reverse("committees:notice_pdf", args=[convened.pk]) in page.text
    assert reverse("committees:agenda_pdf", args=[convened.pk]) in page.text
