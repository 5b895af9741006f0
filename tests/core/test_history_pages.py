"""The "Historial" page of a record (issue 19): who changed what, when and why, in the record
and in its dependent rows that have no page of their own, to the staff who may read the record
and to nobody else, in a number of queries that does not grow with the history."""

import datetime
import re

import pytest
from django.urls import reverse

from budgeting.services import money
from budgeting.services import poa as poa_services
from committees import services as committees
from committees.models import AgreementType, Session
from evaluation.services import indicators as evaluation
from pmot.core import formatting
from pmot.core.history import PER_PAGE, acting_as
from tests.budgeting.conftest import catalogue, draft_poa, make_action, pmot_strategy  # noqa: F401
from tests.committees.conftest import BEFORE_NOTICE, SESSION_START, cabildo  # noqa: F401
from tests.evaluation.conftest import TODAY, make_indicator  # noqa: F401

pytestmark = pytest.mark.django_db

DAY = datetime.date(2027, 3, 15)


def named(user, first, last):
    user.first_name, user.last_name = first, last
    user.save()
    return user


@pytest.fixture
def planner(persona):
    return named(persona("planner"), "Paula", "Planeación")


@pytest.fixture
def action_with_money(draft_poa, make_action, catalogue, pmot_strategy, planner):  # noqa: F811
    """A draft action of Obras Públicas, aligned, with one line and its approved money."""
    with acting_as(planner):
        action = make_action(draft_poa)
        poa_services.action_align(action=action, elements=[pmot_strategy])
        line = money.line_add(
            action=action,
            source=catalogue["source"],
            expense_item=catalogue["item"],
            functional=catalogue["functional"],
        )
        money.movement_record(
            line=line, stage="approved", amount="1250000.50", date=DAY, by=planner
        )
    return action, line


def history_of(client, name, *args):
    return client.get(reverse(name, args=args))


def shown_changes(page) -> list[tuple[str, str]]:
    """(field, what the page says of it) for every field of every entry, spaces collapsed."""
    text = re.sub(r"\s+", " ", page.content.decode())
    pairs = re.findall(r"<dt>(.*?)</dt> <dd>(.*?)</dd>", text)
    return [(field, re.sub(r"<[^>]+>", "", shown).strip()) for field, shown in pairs]


def test_a_change_made_through_a_service_shows_who_when_what_and_why(cabildo, persona, client_as):  # noqa: F811
    """The secretary postpones a session: its history names her, the moment, the start's old
    and new values as dates, and the reason she gave."""
    body, _members, _secretary = cabildo
    secretary = named(persona("secretary"), "Sara", "Secretaría")
    session = committees.session_schedule(
        body=body, kind=Session.Kind.ORDINARY, starts_at=SESSION_START, place="Sala de Cabildo"
    )
    committees.item_add(
        session=session,
        title="Punto de acuerdo",
        draft_text="Se aprueba el punto.",
        agreement_type=AgreementType.objects.get(code="general"),
    )
    committees.session_convene(session=session, now=BEFORE_NOTICE)
    later = SESSION_START + datetime.timedelta(days=14)
    with acting_as(secretary):
        committees.session_postpone(
            session=session,
            starts_at=later,
            reason="Coincide con la visita del gobernador",
            now=BEFORE_NOTICE + datetime.timedelta(days=1),
        )
    postponed = session.history.order_by("-history_date", "-history_id").first()

    page = history_of(client_as("planner"), "committees:session_history", session.pk)

    assert page.status_code == 200
    text = page.content.decode()
    assert "Sara Secretaría" in text
    assert formatting.date_time(postponed.history_date) in text  # when
    old, new = formatting.date_time(SESSION_START), formatting.date_time(later)
    assert ("Fecha y hora", f"{old} → {new}") in shown_changes(page)
    assert "Coincide con la visita del gobernador" in text  # the reason
    assert "Modificado" in text


def test_an_actions_history_shows_its_lines_movements_and_alignments(action_with_money, client_as):
    action, _line = action_with_money
    page = history_of(client_as("state_liaison"), "budgeting:action_history", action.pk)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Paula Planeación" in text
    assert "Movimiento presupuestal: Aprobado · 15 de marzo de 2027" in text
    assert "$1,250,000.50" in text  # the movement's amount, as money
    assert "Línea presupuestal: " in text
    assert "Redensificar" in text  # the alignment, by the element's name
    assert "Sistema" not in text


def test_an_indicators_history_shows_its_measurements(make_indicator, planner, client_as):  # noqa: F811
    with acting_as(planner):
        indicator = make_indicator()
        evaluation.measurement_report(
            indicator=indicator, year=2026, number=2, a="540", b="1000", by=planner, today=TODAY
        )
    page = history_of(client_as("municipal_liaison"), "evaluation:indicator_history", indicator.pk)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Medición: " in text
    assert ("Variable A", "540") in shown_changes(page)
    assert ("Valor", "54") in shown_changes(page)  # 540 ÷ 1000 × 100
    assert "Paula Planeación" in text


@pytest.mark.parametrize(
    ("detail", "history"),
    [
        ("budgeting:action_detail", "budgeting:action_history"),
        ("budgeting:poa_detail", "budgeting:poa_history"),
    ],
)
def test_someone_who_may_not_read_the_record_is_refused_as_on_its_page(
    action_with_money, client_as, detail, history
):
    """An account with no role in any organization cannot read the action nor its POA: its
    history answers as its page does, and shows nothing of it."""
    action, _line = action_with_money
    pk = action.pk if detail == "budgeting:action_detail" else action.poa_id
    client = client_as("outsider")
    refused = history_of(client, detail, pk).status_code
    assert refused in (403, 404)
    page = history_of(client, history, pk)
    assert page.status_code == refused
    assert action.name not in page.content.decode()


def test_the_history_page_needs_the_same_queries_however_long_the_history(
    action_with_money, planner, client_as, django_assert_max_num_queries
):
    """A page of movements costs as many queries as a page of one: the rows of a page are
    read per kind of record, never one by one."""
    action, line = action_with_money
    client = client_as("planner")
    url = reverse("budgeting:action_history", args=[action.pk])
    client.get(url)  # the session and the permissions read once
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    with acting_as(planner):
        for day in range(PER_PAGE * 2):
            money.movement_record(
                line=line,
                stage="approved",
                amount="10.00",
                date=DAY + datetime.timedelta(days=day),
                by=planner,
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count('class="card history__entry"') == PER_PAGE


def test_a_change_no_person_made_is_the_systems(draft_poa, make_action, client_as):  # noqa: F811
    """A change written outside a request and outside `acting_as` (a task, a command) is
    shown as made by the system, not by nobody."""
    action = make_action(draft_poa)
    page = history_of(client_as("planner"), "budgeting:action_history", action.pk)
    assert "Sistema" in page.content.decode()
    assert ("Clave", "A-01") in shown_changes(page)
