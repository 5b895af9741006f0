"""The pages of committees, for every persona, and a session conducted through them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from committees import services
from committees.models import Agreement, AgreementType, Body, Member, Session, Vote
from committees.rules import Choice
from pmot.actors.roles import Sector
from tests.conftest import ALL_PERSONAS, ROLE_PERSONAS
from tests.factories import UserFactory
from tests.uploads import pdf_bytes

READERS = dict.fromkeys(ROLE_PERSONAS, 200) | {"outsider": 403, "anonymous": 302}
RECORD = READERS | {"outsider": 404}
CONDUCTORS = dict.fromkeys(ROLE_PERSONAS, 403) | {
    "admin": 200,
    "secretary": 200,
    "outsider": 404,
    "anonymous": 302,
}
EVERYONE = dict.fromkeys(ALL_PERSONAS, 200)


@pytest.fixture
def council(persona):
    """A Cabildo where the council-member persona holds a seat, with a decided agreement."""
    body = Body.objects.create(name="H. Ayuntamiento", key="CAB", kind=Body.Kind.CABILDO)
    seats = [
        services.member_add(
            body=body,
            user=user,
            role=Member.Role.ALDERMAN,
            sector=Sector.MUNICIPAL,
            start_date=datetime.date(2024, 10, 15),
        )
        for user in [persona("council_member"), *(UserFactory() for _ in range(4))]
    ]
    starts = timezone.now() + datetime.timedelta(days=10)
    session = services.session_schedule(body=body, kind="ordinary", starts_at=starts, place="Sala")
    item = services.item_add(
        session=session,
        title="Informe anual",
        draft_text="Se aprueba el informe.",
        agreement_type=AgreementType.objects.get(code="general"),
    )
    services.session_convene(session=session)
    services.session_install(session=session, present=seats, at=session.starts_at)
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    for n, seat in enumerate(seats):  # every present seat votes: 3 for, 2 against
        services.vote_cast(
            vote=vote, user=seat.user, choice=Choice.FOR if n < 3 else Choice.AGAINST
        )
    agreement = services.vote_close(vote=vote)
    return body, session, vote, agreement, seats


def url_for(name, council):
    body, session, vote, agreement, _ = council
    kwargs = {
        "committees:body_detail": {"key": body.key},
        "committees:session_create": {"key": body.key},
        "committees:session_detail": {"pk": session.pk},
        "committees:vote_detail": {"pk": vote.pk},
        "committees:agreement_detail": {"pk": agreement.pk},
        "committees:public_agreement": {"pk": agreement.pk},
    }.get(name, {})
    return reverse(name, kwargs=kwargs)


PAGES = [
    ("committees:body_list", READERS),
    ("committees:session_list", READERS),
    ("committees:agreement_list", READERS),
    ("committees:body_detail", RECORD),
    ("committees:session_detail", RECORD),
    ("committees:vote_detail", RECORD),
    ("committees:agreement_detail", RECORD),
    ("committees:session_create", CONDUCTORS),
    ("committees:public_agreements", EVERYONE),
    ("committees:public_agreement", EVERYONE),
    ("committees:public_body", EVERYONE),
]


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
@pytest.mark.parametrize(("url_name", "table"), PAGES)
def test_committee_pages_by_persona(client_as, council, persona_name, url_name, table):
    response = client_as(persona_name).get(url_for(url_name, council))
    assert response.status_code == table[persona_name]


@pytest.mark.parametrize("persona_name", ["planner", "council_member", "state_liaison"])
def test_only_a_secretary_conducts_a_session(client_as, council, persona_name):
    body, *_ = council
    session = services.session_schedule(
        body=body,
        kind="ordinary",
        starts_at=timezone.now() + datetime.timedelta(days=9),
        place="Sala",
    )
    client = client_as(persona_name)
    assert client.post(reverse("committees:session_convene", args=[session.pk])).status_code == 403
    assert (
        client.post(
            reverse("committees:item_create", args=[session.pk]), {"title": "Punto"}
        ).status_code
        == 403
    )
    assert not session.items.exists()


def test_the_secretary_conducts_a_session_and_members_vote_online(client_as, persona, council):
    body, _, _, _, seats = council
    secretary = client_as("secretary")
    response = secretary.post(
        reverse("committees:session_create", args=[body.key]),
        {
            "kind": Session.Kind.ORDINARY,
            "starts_at": (timezone.localtime() + datetime.timedelta(days=7)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "place": "Sala de Cabildo",
            "in_chamber": "on",
        },
    )
    session = Session.objects.get(place="Sala de Cabildo")
    assert response["Location"] == reverse("committees:session_detail", args=[session.pk])
    general = AgreementType.objects.get(code="general")
    secretary.post(
        reverse("committees:item_create", args=[session.pk]),
        {"title": "Programa de trabajo", "draft_text": "Se aprueba.", "agreement_type": general.pk},
    )
    secretary.post(reverse("committees:session_convene", args=[session.pk]))
    # A week later, the hour of the session comes: only then is it installed.
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now())
    secretary.post(
        reverse("committees:session_attendance", args=[session.pk]),
        {"present": [seat.pk for seat in seats]},
    )
    item = session.items.get()
    secretary.post(reverse("committees:vote_open", args=[item.pk]), {"method": "nominal"})
    vote = Vote.objects.get(item=item)

    member = client_as("council_member")
    page = member.get(reverse("committees:vote_detail", args=[vote.pk]))
    assert 'name="choice" value="for"' in page.text
    no_seat = client_as("planner").get(reverse("committees:vote_detail", args=[vote.pk]))
    assert 'name="choice"' not in no_seat.text
    member.post(reverse("committees:vote_cast", args=[vote.pk]), {"choice": "against"})
    member.post(reverse("committees:vote_cast", args=[vote.pk]), {"choice": "for"})  # refused
    vote.refresh_from_db()
    assert (vote.votes_for, vote.against) == (0, 1)
    vote_url = reverse("committees:vote_detail", args=[vote.pk])
    poll = member.get(vote_url, headers={"HX-Request": "true"})
    assert str(persona("council_member")) in poll.text
    assert "HX-Refresh" not in poll

    # The roll call is not complete: the secretary is told who is still to vote.
    early = secretary.post(reverse("committees:vote_close", args=[vote.pk]), {}, follow=True)
    assert "Faltan por votar" in early.text
    assert str(seats[1].user) in early.text
    for other in seats[1:]:
        services.vote_cast(vote=vote, user=other.user, choice=Choice.ABSTAIN)

    closed = secretary.post(reverse("committees:vote_close", args=[vote.pk]), {})
    # The member's page, still open, reloads once to show the count and stops polling.
    poll = member.get(vote_url, headers={"HX-Request": "true"})
    assert poll["HX-Refresh"] == "true"
    assert 'hx-trigger="every' not in member.get(vote_url).text
    agreement = Agreement.objects.get(item=item)
    assert closed["Location"] == reverse("committees:agreement_detail", args=[agreement.pk])
    assert agreement.status == Agreement.Status.REJECTED

    public = client_as("anonymous").get(reverse("committees:public_agreement", args=[agreement.pk]))
    assert agreement.key in public.text
    assert str(persona("council_member")) in public.text


@pytest.mark.parametrize("rows", [5, 200])
@pytest.mark.parametrize(
    "url_name",
    ["committees:session_list", "committees:agreement_list", "committees:public_agreements"],
)
def test_lists_run_a_fixed_number_of_queries(
    client_as, django_assert_max_num_queries, rows, url_name
):
    body = Body.objects.create(name="Comité", key="COT", kind=Body.Kind.COMMITTEE)
    general = AgreementType.objects.get(code="general")
    start = timezone.now() - datetime.timedelta(days=400)
    for n in range(rows):
        session = Session.objects.create(
            body=body, year=2025, number=n + 1, kind="ordinary", starts_at=start, place="Sala"
        )
        item = session.items.create(number=1, title=f"Punto {n}", agreement_type=general)
        Agreement.objects.create(
            key=f"COT/2025/ORD-{n + 1:02d}/01",
            body=body,
            year=2025,
            item=item,
            agreement_type=general,
            text="x",
            status=Agreement.Status.APPROVED,
        )
    client = client_as("planner")
    with django_assert_max_num_queries(12):
        assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_minutes_pages_by_persona(client_as, council, persona_name):
    _, session, *_ = council
    services.session_close(session=session)
    minutes = services.minutes_draft(session=session)
    expected = RECORD[persona_name]
    response = client_as(persona_name).get(reverse("committees:minutes_detail", args=[minutes.pk]))
    assert response.status_code == expected
    public = client_as(persona_name).get(reverse("committees:public_sessions"))
    assert public.status_code == 200


def test_the_secretary_drafts_and_edits_the_minutes_others_may_not(client_as, council):
    _, session, *_ = council
    services.session_close(session=session)
    secretary = client_as("secretary")
    response = secretary.post(reverse("committees:minutes_create", args=[session.pk]))
    minutes = session.minutes
    assert response["Location"] == reverse("committees:minutes_detail", args=[minutes.pk])

    url = reverse("committees:minutes_detail", args=[minutes.pk])
    assert client_as("council_member").post(url, {"text": "Otro texto"}).status_code == 403
    secretary.post(url, {"text": "Acta corregida."})
    minutes.refresh_from_db()
    assert minutes.text == "Acta corregida."
    empty = secretary.post(url, {"text": ""})
    assert empty.status_code == 200
    minutes.refresh_from_db()
    assert minutes.text == "Acta corregida."


def test_a_draft_never_reaches_the_public(client_as, council):
    _, session, *_ = council
    services.session_close(session=session)
    minutes = services.minutes_draft(session=session)
    response = client_as("anonymous").get(
        reverse("committees:public_minutes_pdf", args=[minutes.pk])
    )
    assert response.status_code == 404


def test_the_certificate_page_shows_progress_until_the_file_is_ready(
    client_as, council, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    *_, agreement, _ = council
    secretary = client_as("secretary")
    with django_capture_on_commit_callbacks():  # the broker is not reached: the job waits
        secretary.post(reverse("committees:certificate_request", args=[agreement.pk]))
    status_url = reverse("committees:certificate_status", args=[agreement.pk])
    waiting = secretary.get(status_url, headers={"HX-Request": "true"})
    assert "Preparando el PDF" in waiting.text
    assert 'hx-trigger="every 2s"' in waiting.text

    services.certificate_render_pdf(agreement=agreement)
    ready = secretary.get(status_url, headers={"HX-Request": "true"})
    assert reverse("committees:certificate_pdf", args=[agreement.pk]) in ready.text
    pdf = secretary.get(reverse("committees:certificate_pdf", args=[agreement.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert (
        client_as("council_member")
        .post(reverse("committees:certificate_request", args=[agreement.pk]))
        .status_code
        == 403
    )


CONDUCT_POSTS = dict.fromkeys(ROLE_PERSONAS, 403) | {
    "admin": 302,
    "secretary": 302,
    "outsider": 404,
    "anonymous": 302,
}


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("committees:agreement_manage", {"deadline": "2027-01-31"}),
        ("committees:follow_up_create", {"progress": "50", "note": "Avance"}),
        ("committees:agreement_correct", {"text": "Texto corregido", "reason": "Errata"}),
    ],
)
def test_only_a_secretary_records_how_an_agreement_is_carried_out(
    client_as, council, persona_name, url_name, data
):
    *_, agreement, _ = council
    response = client_as(persona_name).post(reverse(url_name, args=[agreement.pk]), data)
    assert response.status_code == CONDUCT_POSTS[persona_name]
    agreement.refresh_from_db()
    changed = (
        agreement.deadline is not None
        or agreement.follow_ups.exists()
        or agreement.versions.exists()
    )
    assert changed == (persona_name in ("admin", "secretary"))


def test_follow_up_with_evidence_is_kept_and_served_to_staff_only(
    client_as, council, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    *_, agreement, _ = council
    client_as("secretary").post(
        reverse("committees:follow_up_create", args=[agreement.pk]),
        {
            "progress": "100",
            "note": "Publicado",
            "evidence": SimpleUploadedFile("gaceta.pdf", pdf_bytes("evidencia")),
        },
    )
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.FULFILLED
    follow_up = agreement.follow_ups.get()
    url = reverse("committees:follow_up_evidence", args=[follow_up.pk])
    served = b"".join(client_as("state_liaison").get(url).streaming_content)
    assert served == pdf_bytes("evidencia")
    assert client_as("anonymous").get(url).status_code == 302


def test_a_publication_without_its_date_is_refused(client_as, council):
    *_, agreement, _ = council
    client_as("secretary").post(
        reverse("committees:agreement_manage", args=[agreement.pk]), {"published_in": "municipal"}
    )
    agreement.refresh_from_db()
    assert agreement.published_in == ""


def test_the_secretary_puts_the_designation_of_a_body_on_the_cabildo_agenda(client_as, council):
    from django.contrib.contenttypes.models import ContentType

    body, *_ = council
    copladem = Body.objects.create(name="COPLADEM", key="COPLADEM", kind=Body.Kind.COPLADEM)
    session = services.session_schedule(
        body=body,
        kind="ordinary",
        starts_at=timezone.now() + datetime.timedelta(days=9),
        place="Sala",
    )
    client_as("secretary").post(
        reverse("committees:item_create", args=[session.pk]),
        {
            "title": "Designación del órgano coordinador",
            "draft_text": "Se designa al COPLADEM.",
            "agreement_type": AgreementType.objects.get(code="designation").pk,
            "subject": f"committees.Body:{copladem.pk}",
        },
    )
    item = session.items.get()
    assert (item.subject_type, item.subject_id) == (
        ContentType.objects.get_for_model(Body),
        copladem.pk,
    )


@pytest.fixture
def scheduled(council):
    body, *_ = council
    session = services.session_schedule(
        body=body,
        kind="ordinary",
        starts_at=timezone.now() + datetime.timedelta(days=9),
        place="Sala",
    )
    item = services.item_add(session=session, title="Punto con anexos")
    return session, item


@pytest.mark.parametrize("persona_name", ALL_PERSONAS)
def test_conducting_posts_by_persona(client_as, council, scheduled, persona_name):
    """Every action that conducts a session answers each persona as its role allows."""
    session, item = scheduled
    _, _, vote, agreement, _ = council
    client = client_as(persona_name)
    for url in [
        reverse("committees:session_convene", args=[session.pk]),
        reverse("committees:session_close", args=[session.pk]),
        reverse("committees:minutes_create", args=[session.pk]),
        reverse("committees:vote_open", args=[item.pk]),
        reverse("committees:vote_close", args=[vote.pk]),
        reverse("committees:certificate_request", args=[agreement.pk]),
    ]:
        assert client.post(url).status_code == CONDUCT_POSTS[persona_name], url


def test_documents_are_attached_to_items_and_read_by_staff(
    client_as, scheduled, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    session, item = scheduled
    dictamen = pdf_bytes("dictamen")
    client_as("secretary").post(
        reverse("committees:document_create", args=[item.pk]),
        {"title": "Dictamen técnico", "file": SimpleUploadedFile("dictamen.pdf", dictamen)},
    )
    document = item.documents.get()
    assert document.title == "Dictamen técnico"
    page = client_as("council_member").get(reverse("committees:session_detail", args=[session.pk]))
    url = reverse("committees:document_download", args=[document.pk])
    assert url in page.text
    assert b"".join(client_as("council_member").get(url).streaming_content) == dictamen
    assert client_as("outsider").get(url).status_code == 404


def test_a_member_cannot_attach_documents(client_as, scheduled, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    _, item = scheduled
    response = client_as("council_member").post(
        reverse("committees:document_create", args=[item.pk]),
        {"title": "x", "file": SimpleUploadedFile("x.pdf", b"x")},
    )
    assert response.status_code == 403
    assert not item.documents.exists()


def test_a_technical_secretary_conducts_only_their_own_body(client_as, persona, council):
    from committees.models import Member

    body, *_ = council
    copladem = Body.objects.create(name="COPLADEM", key="COPLADEM", kind=Body.Kind.COPLADEM)
    planner = persona("planner")
    services.member_add(
        body=copladem,
        user=planner,
        role=Member.Role.TECHNICAL_SECRETARY,
        sector=Sector.MUNICIPAL,
        start_date=datetime.date(2024, 10, 15),
    )
    client = client_as("planner")
    assert client.get(reverse("committees:session_create", args=["COPLADEM"])).status_code == 200
    assert client.get(reverse("committees:session_create", args=[body.key])).status_code == 403
