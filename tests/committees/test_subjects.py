"""What an agenda item decides (issue 18): the item form lists the subjects the apps register
with committees.hooks, ready ones to choose and the others with the reason why not."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from committees import services
from committees.models import AgreementType, Body, Session
from tests.committees.conftest import seat


@pytest.fixture
def cabildo_session(db):
    body = Body.objects.create(name="H. Ayuntamiento", key="CAB", kind=Body.Kind.CABILDO)
    seat(body)
    session = services.session_schedule(
        body=body,
        kind=Session.Kind.ORDINARY,
        starts_at=timezone.now() + datetime.timedelta(days=9),
        place="Sala de Cabildo",
    )
    return body, session


def _designation(subject: str) -> dict:
    return {
        "title": "Designación del órgano coordinador",
        "draft_text": "Se designa al órgano.",
        "agreement_type": AgreementType.objects.get(code="designation").pk,
        "subject": subject,
    }


def test_the_item_form_offers_the_subjects_that_are_ready_and_says_why_the_others_are_not(
    client_as, cabildo_session
):
    body, session = cabildo_session
    copladem = Body.objects.create(name="COPLADEM", key="COPLADEM", kind=Body.Kind.COPLADEM)
    Body.objects.create(name="Junta del IMPLAN", key="JG", kind=Body.Kind.IMPLAN_BOARD)
    secretary = client_as("secretary")
    page = secretary.get(reverse("committees:session_detail", args=[session.pk])).content.decode()
    assert "Qué decide el punto" in page
    assert f'value="committees.Body:{copladem.pk}"' in page
    assert "Junta del IMPLAN" in page

    secretary.post(
        reverse("committees:item_create", args=[session.pk]),
        _designation(f"committees.Body:{copladem.pk}"),
    )
    assert session.items.get().subject_id == copladem.pk


@pytest.mark.parametrize(
    ("subject", "message"),
    [
        ("committees.Body:999999", "Elija de la lista qué decide el punto"),
        ("budgeting.Nothing:1", "Elija de la lista qué decide el punto"),
    ],
)
def test_a_subject_not_on_the_list_is_refused(client_as, cabildo_session, subject, message):
    _body, session = cabildo_session
    response = client_as("secretary").post(
        reverse("committees:item_create", args=[session.pk]), _designation(subject), follow=True
    )
    assert message in response.content.decode()
    assert not session.items.exists()


def test_a_subject_that_is_not_ready_is_refused_with_its_reason(
    client_as, cabildo_session, persona
):
    """The body already in charge cannot be designated again."""
    from committees.models import Designation

    body, session = cabildo_session
    copladem = Body.objects.create(name="COPLADEM", key="COPLADEM", kind=Body.Kind.COPLADEM)
    in_charge = _approved_designation(body, copladem)
    assert Designation.objects.get(in_charge=True) == in_charge

    response = client_as("secretary").post(
        reverse("committees:item_create", args=[session.pk]),
        _designation(f"committees.Body:{copladem.pk}"),
        follow=True,
    )
    assert "Ya coordina el PMOT" in response.content.decode()
    assert not session.items.exists()


def test_an_item_on_a_subject_is_voted(client_as, cabildo_session):
    _body, session = cabildo_session
    copladem = Body.objects.create(name="COPLADEM", key="COPLADEM", kind=Body.Kind.COPLADEM)
    data = _designation(f"committees.Body:{copladem.pk}")
    del data["agreement_type"]
    response = client_as("secretary").post(
        reverse("committees:item_create", args=[session.pk]), data, follow=True
    )
    assert "elija su tipo de acuerdo" in response.content.decode()
    assert not session.items.exists()


def _approved_designation(cabildo, body):
    from committees.models import Vote
    from committees.rules import Choice
    from tests.committees.conftest import BEFORE_NOTICE, SESSION_START

    session = services.session_schedule(
        body=cabildo, kind=Session.Kind.ORDINARY, starts_at=SESSION_START, place="Sala"
    )
    item = services.item_add(
        session=session,
        title="Designación",
        draft_text="Se designa.",
        agreement_type=AgreementType.objects.get(code="designation"),
        subject=body,
    )
    services.session_convene(session=session, now=BEFORE_NOTICE)
    seats = list(cabildo.members.all())
    services.session_install(session=session, present=seats, at=session.starts_at)
    vote = services.vote_open(item=item, method=Vote.Method.NOMINAL)
    for member in seats:
        services.vote_cast(vote=vote, user=member.user, choice=Choice.FOR)
    return services.vote_close(vote=vote).designation
