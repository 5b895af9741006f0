"""The rules of collegiate bodies as DOMAIN.md §2 states them (issue 17, defects 1 to 6): each
test is named after the rule it keeps and failed before the rule was kept."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from committees import services
from committees.models import Agreement, AgreementType, Body, Member, Session, Vote
from committees.rules import Choice
from pmot.core.models import Job
from tests.clock import frozen
from tests.committees.conftest import BEFORE_NOTICE, SESSION_START, seat
from tests.factories import UserFactory

TZ = ZoneInfo("America/Mexico_City")


def cast(vote, members, choice):
    for member in members:
        services.vote_cast(vote=vote, user=member.user, choice=choice)


# --- 1. Items added after the notice ----------------------------------------------------------


@pytest.fixture
def convened(cabildo, agreement_type):
    """An ordinary session on 10 Dec convened on 3 Dec with one item."""
    body, _members, _ = cabildo
    session = services.session_schedule(
        body=body, kind=Session.Kind.ORDINARY, starts_at=SESSION_START, place="Sala de Cabildo"
    )
    services.item_add(session=session, title="Punto", draft_text="Se aprueba.", **_general())
    services.session_convene(session=session, now=BEFORE_NOTICE)
    return session


def _general():
    return {"agreement_type": AgreementType.objects.get(code="general")}


def test_an_item_added_after_the_notice_meets_the_notice_rule_or_waits(
    convened, mailoutbox, django_capture_on_commit_callbacks
):
    # Two days before an ordinary session (three days' notice): too late for a new notice.
    with pytest.raises(ValidationError, match="otra sesión"):
        services.item_add(
            session=convened,
            title="Enajenación de un predio municipal",
            draft_text="Se aprueba la enajenación.",
            agreement_type=AgreementType.objects.get(code="real_estate"),
            now=SESSION_START - datetime.timedelta(days=2),
        )
    assert convened.items.count() == 1

    # Five days before: in time; a new notice with the whole agenda goes out.
    in_time = SESSION_START - datetime.timedelta(days=5)
    with django_capture_on_commit_callbacks():
        item = services.item_add(
            session=convened,
            title="Enajenación de un predio municipal",
            draft_text="Se aprueba la enajenación.",
            agreement_type=AgreementType.objects.get(code="real_estate"),
            now=in_time,
        )
    convened.refresh_from_db()
    assert convened.notice_issued_at == in_time
    assert Job.objects.filter(key=f"notice:{convened.pk}:item:{item.pk}").exists()
    services.notice_send(session=convened)
    assert "2. Enajenación de un predio municipal" in mailoutbox[-1].body


def test_the_secretary_is_told_when_an_item_comes_too_late_for_a_new_notice(
    client_as, cabildo, agreement_type
):
    body, _members, _ = cabildo
    with frozen(datetime.date(2026, 12, 1)):
        session = services.session_schedule(
            body=body,
            kind=Session.Kind.ORDINARY,
            starts_at=datetime.datetime(2026, 12, 3, 10, tzinfo=TZ),
            place="Sala de Cabildo",
        )
        services.item_add(session=session, title="Punto", draft_text="Se aprueba.", **_general())
        services.session_convene(session=session, now=datetime.datetime(2026, 11, 29, tzinfo=TZ))
        response = client_as("secretary").post(
            reverse("committees:item_create", args=[session.pk]),
            {
                "title": "Punto tardío",
                "draft_text": "Se aprueba.",
                "agreement_type": AgreementType.objects.get(code="general").pk,
            },
            follow=True,
        )
    assert "Incluya el punto en el orden del día de otra sesión" in response.content.decode()
    assert session.items.count() == 1


# --- 2. The casting vote belongs to whoever presides ------------------------------------------


def _tied_session(cabildo, agreement_type, *, presiding=None):
    """The President absent, 14 present: a 7-7 tie under simple majority."""
    body, members, _ = cabildo
    session = services.session_schedule(
        body=body, kind=Session.Kind.ORDINARY, starts_at=SESSION_START, place="Sala de Cabildo"
    )
    item = services.item_add(session=session, title="Punto", draft_text="x", **_general())
    services.session_convene(session=session, now=BEFORE_NOTICE)
    services.session_install(
        session=session, present=members[1:], presiding=presiding, at=session.starts_at
    )
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    cast(vote, members[1:8], Choice.FOR)
    cast(vote, members[8:], Choice.AGAINST)
    session.refresh_from_db()
    return session, vote


def test_with_nobody_presiding_who_holds_the_casting_vote_a_tie_is_deferred(
    cabildo, agreement_type
):
    session, vote = _tied_session(cabildo, agreement_type)
    assert session.presiding is None

    assert services.vote_close(vote=vote, casting_vote=Choice.FOR) is None

    vote.refresh_from_db()
    assert (vote.status, vote.approved, vote.casting_vote) == (Vote.Status.DEFERRED, None, "")
    assert not Agreement.objects.exists()


def test_the_casting_vote_belongs_to_whoever_presides_the_session(cabildo, agreement_type):
    _, members, _ = cabildo
    substitute = members[1]  # the member the law designates in the President's absence
    session, vote = _tied_session(cabildo, agreement_type, presiding=substitute)
    assert session.presiding == substitute

    with pytest.raises(ValidationError, match="voto de calidad de .*quien preside"):
        services.vote_close(vote=vote)
    agreement = services.vote_close(vote=vote, casting_vote=Choice.AGAINST)
    assert agreement.status == Agreement.Status.REJECTED


def test_the_president_presides_when_present(cabildo, agreement_type):
    body, members, _ = cabildo
    session = services.session_schedule(
        body=body, kind=Session.Kind.ORDINARY, starts_at=SESSION_START, place="Sala de Cabildo"
    )
    services.item_add(session=session, title="Punto", draft_text="x", **_general())
    services.session_convene(session=session, now=BEFORE_NOTICE)
    with pytest.raises(ValidationError, match="preside la Presidencia"):
        services.session_install(
            session=session, present=members, presiding=members[1], at=session.starts_at
        )
    services.session_install(session=session, present=members, at=session.starts_at)
    session.refresh_from_db()
    assert session.presiding == members[0]


def test_who_presides_in_the_presidents_absence_is_chosen_on_the_attendance_page(
    client_as, cabildo, agreement_type
):
    body, members, _ = cabildo
    session = services.session_schedule(
        body=body, kind=Session.Kind.ORDINARY, starts_at=SESSION_START, place="Sala de Cabildo"
    )
    services.item_add(session=session, title="Punto", draft_text="x", **_general())
    services.session_convene(session=session, now=BEFORE_NOTICE)
    secretary = client_as("secretary")
    page = secretary.get(reverse("committees:session_attendance", args=[session.pk]))
    assert "Preside en ausencia de la Presidencia" in page.content.decode()

    # The hour of the session comes: only then is it installed.
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now())
    secretary.post(
        reverse("committees:session_attendance", args=[session.pk]),
        {"present": [m.pk for m in members[1:]], "presiding": members[1].pk},
    )
    session.refresh_from_db()
    assert (session.status, session.presiding) == (Session.Status.INSTALLED, members[1])


# --- 3. Every date rule in the municipality's time zone ---------------------------------------


def test_the_attendance_list_holds_the_seats_of_the_sessions_local_day(
    client_as, cabildo, agreement_type
):
    """19:00 on 15 Dec in Aguascalientes is 01:00 on the 16th in UTC."""
    body, members, _ = cabildo
    ending = members[14]
    ending.end_date = datetime.date(2026, 12, 15)
    ending.save()
    starting = seat(body)
    starting.start_date = datetime.date(2026, 12, 16)
    starting.save()
    session = services.session_schedule(
        body=body,
        kind=Session.Kind.ORDINARY,
        starts_at=datetime.datetime(2026, 12, 15, 19, tzinfo=TZ),
        place="Sala de Cabildo",
    )
    services.item_add(session=session, title="Punto", draft_text="x", **_general())
    services.session_convene(session=session, now=BEFORE_NOTICE)

    page = client_as("secretary").get(reverse("committees:session_attendance", args=[session.pk]))

    listed = {m.pk for m in page.context["form"].fields["present"].queryset}
    assert ending.pk in listed
    assert starting.pk not in listed


# --- 4. The majority table -------------------------------------------------------------------


def test_a_qualified_majority_is_counted_over_all_members(cabildo, open_session):
    real_estate = AgreementType.objects.get(code="real_estate")
    with pytest.raises(ValidationError, match="totalidad de los integrantes"):
        AgreementType(code="x", name="x", majority="qualified", base="present").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementType.objects.filter(pk=real_estate.pk).update(base="present")

    _, members, _ = cabildo
    _, item = open_session(present=11, code="real_estate")
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    cast(vote, members[:8], Choice.FOR)  # 8 of 11 present: two thirds of them, not of all 15
    cast(vote, members[8:11], Choice.AGAINST)
    assert services.vote_close(vote=vote).status == Agreement.Status.REJECTED


def test_unanimity_counts_every_member_of_its_base(cabildo, open_session):
    AgreementType.objects.create(
        code="unanimous_all", name="Unánime", majority="unanimous", base="all"
    )
    _, members, _ = cabildo
    _, item = open_session(present=14, code="unanimous_all")
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    cast(vote, members[:14], Choice.FOR)  # 14 of 15: one member absent
    assert services.vote_close(vote=vote).status == Agreement.Status.REJECTED


# --- 5. Agreement states move forward ---------------------------------------------------------


@pytest.fixture
def agreement(cabildo, open_session):
    _, members, _ = cabildo
    _, item = open_session()
    vote = services.vote_open(item=item, method=Vote.Method.ECONOMIC)
    cast(vote, members, Choice.FOR)
    return services.vote_close(vote=vote)


def test_a_fulfilled_agreement_stays_fulfilled(agreement, persona):
    by = persona("secretary")
    services.follow_up_add(agreement=agreement, progress=100, note="Hecho.", by=by)
    with pytest.raises(ValidationError, match="ya se cumplió"):
        services.follow_up_add(agreement=agreement, progress=30, note="Revisión.", by=by)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.FULFILLED
    assert agreement.follow_ups.count() == 1


def test_moving_the_deadline_lifts_overdue(agreement, client_as, persona):
    services.follow_up_add(
        agreement=agreement, progress=40, note="En curso.", by=persona("secretary")
    )
    Agreement.objects.filter(pk=agreement.pk).update(deadline=datetime.date(2026, 11, 30))
    services.agreements_mark_overdue(today=datetime.date(2026, 12, 6))
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.OVERDUE

    with frozen(datetime.date(2026, 12, 6)):
        client_as("secretary").post(
            reverse("committees:agreement_manage", args=[agreement.pk]),
            {"deadline": "2027-02-04"},
        )
    agreement.refresh_from_db()
    assert (agreement.deadline, agreement.status) == (
        datetime.date(2027, 2, 4),
        Agreement.Status.IN_PROGRESS,
    )

    # Moved back into the past, it is overdue at once.
    with frozen(datetime.date(2026, 12, 6)):
        services.agreement_plan(agreement=agreement, deadline=datetime.date(2026, 12, 1))
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.OVERDUE


# --- 6. A roll call accounts for every present seat -------------------------------------------


def test_a_vote_closes_only_when_every_present_seat_has_voted(cabildo, open_session):
    _, members, _ = cabildo
    _, item = open_session(present=12)
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    cast(vote, members[:10], Choice.FOR)

    with pytest.raises(ValidationError, match="Faltan por votar") as refused:
        services.vote_close(vote=vote)
    assert members[10].user.get_full_name() in str(refused.value)
    vote.refresh_from_db()
    assert vote.status == Vote.Status.OPEN

    cast(vote, members[10:12], Choice.ABSTAIN)
    assert services.vote_close(vote=vote).status == Agreement.Status.APPROVED


# --- Members are seats: an alternate stands in, never beside the titular ---------------------


def test_an_alternate_never_adds_a_seat_nor_votes_beside_the_titular(agreement_type):
    body = Body.objects.create(name="Comité", key="COM", kind=Body.Kind.COMMITTEE)
    first, second, third = (seat(body) for _ in range(3))  # three seats: quorum is two
    alternate = services.member_add(
        body=body,
        user=UserFactory(),
        role=Member.Role.ALDERMAN,
        sector=first.sector,
        standing=Member.Standing.ALTERNATE,
        alternate_for=first,
        start_date=first.start_date,
    )

    def convened():
        session = services.session_schedule(
            body=body, kind=Session.Kind.ORDINARY, starts_at=SESSION_START, place="Sala"
        )
        services.item_add(session=session, title="Punto", draft_text="x", **_general())
        return services.session_convene(session=session, now=BEFORE_NOTICE)

    # The titular and their alternate are one seat of three: no quorum.
    alone = services.session_install(
        session=convened(), present=[first, alternate], at=SESSION_START
    )
    assert alone.status == Session.Status.NO_QUORUM

    session = services.session_install(
        session=convened(), present=[first, alternate, second], at=SESSION_START
    )
    assert session.status == Session.Status.INSTALLED
    vote = services.vote_open(item=session.items.get(), method=Vote.Method.NOMINAL)
    with pytest.raises(ValidationError, match="suplente no vota"):
        services.vote_cast(vote=vote, user=alternate.user, choice=Choice.FOR)
    cast(vote, [first, second], Choice.FOR)
    services.vote_close(vote=vote)
    vote.refresh_from_db()
    assert (vote.present, vote.members, vote.votes_for) == (2, 3, 2)

    # With the titular absent, the alternate votes for the seat.
    standing_in = services.session_install(
        session=convened(), present=[alternate, third], at=SESSION_START
    )
    vote = services.vote_open(item=standing_in.items.get(), method=Vote.Method.NOMINAL)
    cast(vote, [third], Choice.AGAINST)
    with pytest.raises(ValidationError, match="Faltan por votar"):
        services.vote_close(vote=vote)
    cast(vote, [alternate], Choice.FOR)
    assert services.vote_close(vote=vote) is None  # a tie and nobody presides: deferred
    vote.refresh_from_db()
    assert (vote.status, vote.present, vote.votes_for, vote.against) == ("deferred", 2, 1, 1)
