"""The staff's start page: each person lands on what their roles give them to do, a block per
kind of work (votes, the secretary's, reporting, planning), each once, every list narrowed to
what the person may see, and a fixed number of queries whatever the number of records."""

# Fixtures come from the other apps' conftests, imported here and named as arguments.
# ruff: noqa: F811

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from budgeting.services import money
from budgeting.services import poa as poa_services
from budgeting.services import progress as progress_services
from committees import services as committees
from committees.models import Agreement, Body, Member, Session, Vote
from evaluation import lights
from evaluation.services import indicators as measuring
from phases.services import work
from pmot.actors.roles import Role, Sector
from pmot.portal.selectors import dashboard
from tests.budgeting.conftest import catalogue, make_action, pmot_strategy  # noqa: F401
from tests.committees.conftest import agreement_type, cabildo, open_session, seat  # noqa: F401
from tests.conftest import ROLE_PERSONAS
from tests.evaluation.conftest import make_indicator  # noqa: F401
from tests.factories import membership
from tests.phases.conftest import open_phases, phases  # noqa: F401
from tests.planning.conftest import council_vote, program  # noqa: F401

VOTES = "Votaciones y sesiones"
SECRETARY = "Sesiones, actas y acuerdos"
REPORTER = "Mediciones y avances por reportar"
PLANNER = "Planeación y seguimiento"
HEADINGS = {"votes": VOTES, "secretary": SECRETARY, "reporter": REPORTER, "planner": PLANNER}
BLOCKS = {
    "admin": {"votes", "secretary", "reporter", "planner"},
    "planner": {"planner"},
    "secretary": {"secretary"},
    "council_member": {"votes"},
    "body_member": {"votes"},
    "citizen_rep": {"votes"},
    "municipal_liaison": {"reporter"},
    "state_liaison": {"reporter"},
    "federal_liaison": {"reporter"},
    "private_rep": {"reporter"},
}
NOTHING = {
    "votes": [
        "Ninguna votación abierta espera su voto.",
        "No hay sesiones próximas de sus órganos.",
    ],
    "secretary": [
        "No hay sesiones programadas pendientes de convocar.",
        "No hay actas pendientes: cada sesión clausurada tiene su acta aprobada.",
        "Ningún acuerdo tiene el plazo vencido.",
    ],
    "reporter": [
        "No hay mediciones pendientes: todos los periodos concluidos están reportados.",
        "Ninguna acción del POA espera su reporte de avance.",
    ],
    "planner": [
        "Ninguna fase está en curso.",
        "Ninguna actividad está atrasada.",
        "Todas las acciones de los POA abiertos están alineadas.",
        "Ningún indicador está en rojo.",
        "Ninguna medición espera validación.",
    ],
}


def start_page(client):
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 200
    return response.text


def last_ended_quarter(today: datetime.date) -> lights.Period:
    current = lights.period_of(lights.Frequency.QUARTERLY, today)
    if current.number > 1:
        return lights.Period(current.year, current.number - 1, current.frequency)
    return lights.Period(current.year - 1, 4, current.frequency)


# --- The world ---------------------------------------------------------------------------------


def _session(body, starts_at, *, items=1, voted_as=None, kind=Session.Kind.ORDINARY):
    session = committees.session_schedule(
        body=body, kind=kind, starts_at=starts_at, place="Sala de Cabildo"
    )
    for n in range(items):
        committees.item_add(
            session=session,
            title=f"Punto {n + 1} de la sesión",
            draft_text="Se aprueba." if voted_as else "",
            agreement_type=voted_as,
        )
    return session


def _convene_and_install(session, present):
    committees.session_convene(session=session, now=session.starts_at - datetime.timedelta(days=7))
    committees.session_install(session=session, present=present, at=session.starts_at)


def closed_session(body, present, starts_at, *, with_minutes):
    session = _session(body, starts_at)
    _convene_and_install(session, present)
    committees.session_close(session=session, at=starts_at + datetime.timedelta(hours=2))
    if with_minutes:
        committees.minutes_draft(session=session)
    return session


def open_vote(body, present, starts_at, voted_as, title="Aprobación del reglamento"):
    session = _session(body, starts_at, voted_as=voted_as)
    item = session.items.get()
    item.title = title
    item.save(update_fields=["title"])
    _convene_and_install(session, present)
    return committees.vote_open(item=item, method=Vote.Method.ECONOMIC)


def quarterly(make_indicator, key, reporter, first_year, **fields):
    return make_indicator(
        key=key, name=f"Indicador {key}", reporter=reporter, first_year=first_year, **fields
    )


def measured(indicator, period, a, *, by, validate):
    measuring.target_set(
        indicator=indicator,
        year=period.year,
        number=period.number,
        value="60",
        by=by,
        today=period.start,
    )
    measurement = measuring.measurement_report(
        indicator=indicator,
        year=period.year,
        number=period.number,
        a=a,
        b="100",
        by=by,
        today=period.end + datetime.timedelta(days=1),
    )
    if validate:
        measuring.measurement_validate(measurement=measurement, by=by)
    return measurement


def poa_with_money(year, make_action, catalogue, actions, *, by):
    """A POA of `year` with one action per (key, responsible, aligned_to) and $100,000 each."""
    poa = poa_services.poa_create(fiscal_year=year)
    made = {}
    for key, responsible, element in actions:
        action = make_action(poa, key=key, responsible=responsible, name=f"Acción {key}")
        if element is not None:
            poa_services.action_align(action=action, elements=[element])
        line = money.line_add(
            action=action,
            source=catalogue["source"],
            expense_item=catalogue["item"],
            functional=catalogue["functional"],
        )
        money.movement_record(
            line=line,
            stage="approved",
            amount="100000.00",
            date=datetime.date(year, 1, 15),
            by=by,
        )
        made[key] = action
    return poa, made


@pytest.fixture
def world(  # noqa: PLR0913
    orgs,
    persona,
    cabildo,
    agreement_type,
    council_vote,
    open_phases,
    make_indicator,
    make_action,
    catalogue,
    pmot_strategy,
):
    """Something to do for every role:
    - the Cabildo: an open vote where the council member sits and is present, a coming
      session to convene, minutes in draft, a closed session without minutes, an agreement
      past its deadline; the committee (the body member's and the citizen's): a coming
      session;
    - Obras Públicas (SOP-1) and the state agency (SE-1) owe measurements and POA progress;
    - IMPLAN: phases 1–3 in progress (their gates blocked), a late activity, a draft POA with
      an action aligned to nothing, an indicator in red (PL-R) and one awaiting validation
      (PL-V)."""
    today = timezone.localdate()
    now = timezone.now()
    body, members, _secretary = cabildo
    my_seat = seat(body, user=persona("council_member"))
    present = [*members, my_seat]
    committee = Body.objects.create(
        name="Comité municipal de ordenamiento", key="COMITE", kind=Body.Kind.COMMITTEE
    )
    committees.member_add(
        body=committee,
        user=persona("body_member"),
        role=Member.Role.VOCAL,
        sector=Sector.ACADEMIA,
        start_date=datetime.date(2024, 10, 15),
    )
    committees.member_add(
        body=committee,
        user=persona("citizen_rep"),
        role=Member.Role.COUNSELOR,
        sector=Sector.SOCIAL,
        start_date=datetime.date(2024, 10, 15),
    )
    vote = open_vote(body, present, now + datetime.timedelta(hours=2), agreement_type("general"))
    to_convene = _session(body, now + datetime.timedelta(days=20))
    committee_session = _session(committee, now + datetime.timedelta(days=10))
    drafted = closed_session(body, present, now - datetime.timedelta(days=40), with_minutes=True)
    undrafted = closed_session(body, present, now - datetime.timedelta(days=30), with_minutes=False)
    overdue = council_vote()
    overdue.deadline, overdue.responsible = today - datetime.timedelta(days=10), orgs["works"]
    overdue.save(update_fields=["deadline", "responsible"])

    planner = persona("planner")
    year = today.year - 1
    sop = quarterly(make_indicator, "SOP-1", orgs["works"], year)
    se = quarterly(make_indicator, "SE-1", orgs["state_agency"], year)
    last = last_ended_quarter(today)
    red = quarterly(make_indicator, "PL-R", orgs["implan"], last.year)
    measured(red, last, "30", by=planner, validate=True)  # 50 % of the target: red
    waiting = quarterly(make_indicator, "PL-V", orgs["implan"], last.year)
    to_validate = measured(waiting, last, "60", by=planner, validate=False)

    approved, actions = poa_with_money(
        year,
        make_action,
        catalogue,
        [("A-SOP", orgs["works"], pmot_strategy), ("A-SE", orgs["state_agency"], pmot_strategy)],
        by=planner,
    )
    poa_services.poa_submit(poa=approved)
    council_vote(subject=approved)  # the Cabildo approves it
    draft, unaligned = poa_with_money(
        today.year, make_action, catalogue, [("A-NA", orgs["works"], None)], by=planner
    )
    late = work.activity_add(
        phase=open_phases[2],
        name="Diagnóstico del suelo urbano",
        responsible=orgs["works"],
        planned_start=today - datetime.timedelta(days=90),
        planned_end=today - datetime.timedelta(days=5),
    )
    return {
        "today": today,
        "vote": vote,
        "to_convene": to_convene,
        "committee": committee,
        "committee_session": committee_session,
        "drafted": drafted,
        "undrafted": undrafted,
        "overdue": overdue,
        "sop": sop,
        "se": se,
        "red": red,
        "to_validate": to_validate,
        "actions": actions,
        "draft_poa": draft,
        "unaligned": unaligned["A-NA"],
        "late": late,
    }


# --- Who sees which block ----------------------------------------------------------------------


@pytest.mark.parametrize("persona_name", ROLE_PERSONAS)
def test_each_role_lands_on_its_own_blocks(client_as, world, persona_name):
    page = start_page(client_as(persona_name))
    for block, heading in HEADINGS.items():
        assert page.count(heading) == (1 if block in BLOCKS[persona_name] else 0), block


@pytest.mark.parametrize("persona_name", ROLE_PERSONAS)
def test_an_empty_block_says_there_is_nothing_pending(client_as, orgs, persona_name):
    page = start_page(client_as(persona_name))
    for block in BLOCKS[persona_name]:
        assert HEADINGS[block] in page
        for sentence in NOTHING[block]:
            assert sentence in page, sentence


def test_a_person_without_a_role_has_no_block(client_as, world):
    page = start_page(client_as("outsider"))
    assert not any(heading in page for heading in HEADINGS.values())
    assert "Aún no tiene ningún rol." in page


def test_a_person_with_several_roles_sees_each_block_once(client_as, persona, orgs, world):
    user = persona("planner")
    membership(user, orgs["university"], Role.BODY_MEMBER)
    membership(user, orgs["works"], Role.MUNICIPAL_LIAISON)
    membership(user, orgs["neighbours"], Role.CITIZEN_REPRESENTATIVE)
    page = start_page(client_as("planner"))
    assert page.count(PLANNER) == page.count(VOTES) == page.count(REPORTER) == 1
    assert SECRETARY not in page


# --- Council and body members ------------------------------------------------------------------


def test_a_council_member_sees_the_vote_to_cast_and_the_coming_sessions(client_as, world):
    page = start_page(client_as("council_member"))
    assert reverse("committees:vote_detail", args=[world["vote"].pk]) in page
    assert "Aprobación del reglamento" in page
    assert reverse("committees:session_detail", args=[world["to_convene"].pk]) in page
    # the committee's session is not one of the council member's bodies
    assert reverse("committees:session_detail", args=[world["committee_session"].pk]) not in page


def test_a_vote_already_cast_is_no_longer_waiting(client_as, persona, world):
    committees.vote_cast(vote=world["vote"], user=persona("council_member"), choice="for")
    page = start_page(client_as("council_member"))
    assert reverse("committees:vote_detail", args=[world["vote"].pk]) not in page
    assert "Ninguna votación abierta espera su voto." in page


def test_a_body_member_sees_the_sessions_of_their_body_and_not_the_cabildos_vote(client_as, world):
    for name in ("body_member", "citizen_rep"):
        page = start_page(client_as(name))
        assert reverse("committees:session_detail", args=[world["committee_session"].pk]) in page
        assert reverse("committees:vote_detail", args=[world["vote"].pk]) not in page
        assert reverse("committees:session_detail", args=[world["to_convene"].pk]) not in page


# --- The secretary -----------------------------------------------------------------------------


def test_the_secretary_sees_sessions_to_convene_minutes_and_overdue_agreements(client_as, world):
    page = start_page(client_as("secretary"))
    assert reverse("committees:session_detail", args=[world["to_convene"].pk]) in page
    assert reverse("committees:session_detail", args=[world["committee_session"].pk]) in page
    minutes = world["drafted"].minutes
    assert reverse("committees:minutes_detail", args=[minutes.pk]) in page
    assert "Borrador por aprobar" in page
    assert reverse("committees:session_detail", args=[world["undrafted"].pk]) in page
    assert "Clausurada sin acta" in page
    assert reverse("committees:agreement_detail", args=[world["overdue"].pk]) in page
    assert world["overdue"].key in page


def test_a_technical_secretary_sees_only_the_body_they_conduct(client_as, persona, world):
    committees.member_add(
        body=world["committee"],
        user=persona("municipal_liaison"),
        role=Member.Role.TECHNICAL_SECRETARY,
        sector=Sector.MUNICIPAL,
        has_vote=False,
        start_date=datetime.date(2024, 10, 15),
    )
    page = start_page(client_as("municipal_liaison"))
    assert page.count(SECRETARY) == 1
    assert reverse("committees:session_detail", args=[world["committee_session"].pk]) in page
    assert reverse("committees:session_detail", args=[world["to_convene"].pk]) not in page
    assert reverse("committees:agreement_detail", args=[world["overdue"].pk]) not in page


def test_an_agreement_fulfilled_is_not_overdue(client_as, world):
    agreement = world["overdue"]
    agreement.status = Agreement.Status.FULFILLED
    agreement.save(update_fields=["status"])
    page = start_page(client_as("secretary"))
    assert reverse("committees:agreement_detail", args=[agreement.pk]) not in page


# --- Reporters ---------------------------------------------------------------------------------


def report_url(indicator, period):
    return reverse("evaluation:measurement_report", args=[indicator.pk, period.year, period.number])


def test_a_liaison_sees_their_organizations_measurements_and_progress_only(client_as, world):
    # The oldest overdue period first: the first quarter of last year.
    first = lights.Period(world["today"].year - 1, 1, lights.Frequency.QUARTERLY)
    state = start_page(client_as("state_liaison"))
    assert report_url(world["se"], first) in state
    assert "SE-1" in state
    assert "SOP-1" not in state
    assert reverse("budgeting:action_detail", args=[world["actions"]["A-SE"].pk]) in state
    assert reverse("budgeting:action_detail", args=[world["actions"]["A-SOP"].pk]) not in state

    municipal = start_page(client_as("municipal_liaison"))
    assert report_url(world["sop"], first) in municipal
    assert "SE-1" not in municipal
    assert reverse("budgeting:action_detail", args=[world["actions"]["A-SOP"].pk]) in municipal
    assert reverse("budgeting:action_detail", args=[world["actions"]["A-SE"].pk]) not in municipal


@pytest.mark.parametrize("persona_name", ["federal_liaison", "private_rep"])
def test_a_liaison_whose_organization_owes_nothing_is_told_so(client_as, world, persona_name):
    page = start_page(client_as(persona_name))
    for sentence in NOTHING["reporter"]:
        assert sentence in page
    assert "SE-1" not in page
    assert "SOP-1" not in page


def test_overdue_periods_come_first_and_say_so(world):
    owed = dashboard.measurements_due(None, world["today"])
    overdue = [due.overdue for due in owed]
    assert overdue == sorted(overdue, reverse=True)
    assert any(overdue)


def test_a_period_reported_is_no_longer_due(persona, world):
    last = last_ended_quarter(world["today"])
    measured(world["se"], last, "60", by=persona("planner"), validate=False)
    owed = dashboard.measurements_due([world["se"].reporter_id], world["today"])
    assert (world["se"].key, last) not in {(d.indicator.key, d.light.period) for d in owed}


def test_progress_is_owed_for_each_ended_period_without_a_report(persona, world):
    action = world["actions"]["A-SOP"]
    progress_services.progress_report(
        action=action, period=2, achieved=Decimal(10), by=persona("planner")
    )
    owed = {p.action.key: p.periods for p in dashboard.progress_due(None, world["today"])}
    assert owed["A-SOP"] == [1, 3, 4]  # last year's POA: all four quarters ended
    assert owed["A-SE"] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("day", "periods"),
    [
        (datetime.date(2026, 1, 10), []),
        (datetime.date(2026, 4, 1), [1]),
        (datetime.date(2026, 12, 31), [1, 2, 3]),
        (datetime.date(2027, 1, 1), [1, 2, 3, 4]),
        (datetime.date(2025, 6, 1), []),
    ],
)
def test_the_ended_periods_of_a_quarterly_calendar(day, periods):
    action = type(
        "A", (), {"calendar_kind": "quarterly", "poa": type("P", (), {"fiscal_year": 2026})}
    )
    assert list(dashboard.ended_periods(action, day)) == periods


# --- Planners ----------------------------------------------------------------------------------


def test_the_planner_sees_gates_late_work_unaligned_money_red_and_measurements_to_validate(
    client_as, world
):
    page = start_page(client_as("planner"))
    assert reverse("phases:phase_detail", args=[1]) in page
    assert "Detenida" in page  # phases 1–3 lack their deliverables
    assert "Diagnóstico del suelo urbano" in page
    assert reverse("budgeting:coverage", args=[world["draft_poa"].pk]) in page
    assert "$100,000.00 en 1 acción" in page
    assert reverse("evaluation:indicator_detail", args=[world["red"].pk]) in page
    assert "Rojo" in page
    assert reverse("evaluation:measurement_review", args=[world["to_validate"].pk]) in page


def test_the_unaligned_money_is_the_coverage_of_its_poa(world):
    from budgeting import selectors

    [row] = dashboard.unaligned_money()
    report = selectors.poa_coverage(world["draft_poa"])
    assert row.modified == report.unaligned_total
    assert row.actions == len(report.unaligned)


def test_an_aligned_poa_has_no_unaligned_money(world, pmot_strategy):
    poa_services.action_align(action=world["unaligned"], elements=[pmot_strategy])
    assert dashboard.unaligned_money() == []


# --- Queries -----------------------------------------------------------------------------------


def more_of_everything(world, orgs, persona, make):
    """Six more of each kind of record the blocks list (more than a list shows)."""
    body = Body.objects.get(kind=Body.Kind.CABILDO)
    present = list(Member.objects.filter(body=body, has_vote=True))
    today, now = world["today"], timezone.now()
    planner = persona("planner")
    last = last_ended_quarter(today)
    for n in range(6):
        open_vote(
            body,
            present,
            now + datetime.timedelta(days=3 + n),
            make["agreement_type"]("general"),
            title=f"Votación {n}",
        )
        _session(body, now + datetime.timedelta(days=30 + n))
        _session(world["committee"], now + datetime.timedelta(days=30 + n))
        closed_session(
            body, present, now - datetime.timedelta(days=60 + n), with_minutes=bool(n % 2)
        )
        agreement = make["council_vote"]()
        agreement.deadline, agreement.responsible = today - datetime.timedelta(days=n + 1), None
        agreement.save(update_fields=["deadline", "responsible"])
        for organization in ("works", "state_agency"):
            quarterly(
                make["make_indicator"], f"{organization}-{n}", orgs[organization], today.year - 1
            )
        measured(
            quarterly(make["make_indicator"], f"R-{n}", orgs["implan"], last.year),
            last,
            "30",
            by=planner,
            validate=bool(n % 2),
        )
        work.activity_add(
            phase=world["late"].phase,
            name=f"Actividad atrasada {n}",
            responsible=orgs["state_agency"],
            planned_start=today - datetime.timedelta(days=90),
            planned_end=today - datetime.timedelta(days=2 + n),
        )
        make["make_action"](world["draft_poa"], key=f"X-{n}", responsible=orgs["works"])


@pytest.mark.parametrize("persona_name", ROLE_PERSONAS)
def test_the_start_page_runs_the_same_queries_whatever_the_number_of_records(
    client_as,
    persona,
    orgs,
    world,
    make_indicator,
    make_action,
    agreement_type,
    council_vote,
    persona_name,
):
    client = client_as(persona_name)
    start_page(client)  # the session is warm

    with CaptureQueriesContext(connection) as few:
        start_page(client)
    make = {
        "make_indicator": make_indicator,
        "make_action": make_action,
        "agreement_type": agreement_type,
        "council_vote": council_vote,
    }
    more_of_everything(world, orgs, persona, make)
    with CaptureQueriesContext(connection) as many:
        page = start_page(client)

    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    if persona_name in {"admin", "secretary"}:
        assert "Ver las" in page  # the lists are full: the rest is a link away
