import datetime
from zoneinfo import ZoneInfo

import pytest

from committees import services
from committees.models import AgreementType, Body, Member, Session
from pmot.actors.roles import Sector
from tests.factories import UserFactory

SESSION_START = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=ZoneInfo("America/Mexico_City"))
BEFORE_NOTICE = SESSION_START - datetime.timedelta(days=7)


def seat(body, role=Member.Role.ALDERMAN, *, has_vote=True, user=None):
    return services.member_add(
        body=body,
        user=user or UserFactory(),
        role=role,
        sector=Sector.MUNICIPAL,
        has_vote=has_vote,
        start_date=datetime.date(2024, 10, 15),
    )


@pytest.fixture
def agreement_type(db):
    return lambda code: AgreementType.objects.get(code=code)


@pytest.fixture
def cabildo(db):
    """A Cabildo of 15 voting members (the presidente first) and its secretary (voice only)."""
    body = Body.objects.create(name="H. Ayuntamiento", key="CAB", kind=Body.Kind.CABILDO)
    members = [seat(body, Member.Role.PRESIDENT)] + [seat(body) for _ in range(14)]
    secretary = seat(body, Member.Role.COUNCIL_SECRETARY, has_vote=False)
    return body, members, secretary


@pytest.fixture
def open_session(cabildo, agreement_type):
    """make(present=k, code="general") -> an installed ordinary session with one item to vote."""

    def make(present=15, code="general", kind=Session.Kind.ORDINARY, subject=None):
        body, members, _secretary = cabildo
        session = services.session_schedule(
            body=body, kind=kind, starts_at=SESSION_START, place="Sala de Cabildo"
        )
        item = services.item_add(
            session=session,
            title="Punto de acuerdo",
            draft_text="Se aprueba el punto.",
            agreement_type=agreement_type(code),
            subject=subject,
        )
        services.session_convene(session=session, now=BEFORE_NOTICE)
        services.session_install(session=session, present=members[:present], at=session.starts_at)
        return session, item

    return make
