"""The public home page: the program's phase, the year's money, the latest agreements and the
body in charge, in a fixed number of queries, with nothing unpublished."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from budgeting.models import Action, BudgetLine
from budgeting.services import money
from committees.models import Agreement, AgreementType, Body, Session
from tests.factories import UserFactory

DAY = datetime.date(2027, 3, 15)


def exercise(line, amount: str):
    for stage in ("committed", "accrued", "exercised"):
        money.movement_record(line=line, stage=stage, amount=amount, date=DAY, by=UserFactory())


def test_the_home_shows_the_phase_in_progress(client, open_phases):
    html = client.get("/").text
    assert "Ahora en la fase 3: Formulación" in html
    assert html.count('aria-current="step"') == 1


def test_the_home_shows_the_money_of_the_approved_poa(client, approved_poa):
    poa, action, line = approved_poa
    exercise(line, "250000.00")
    html = client.get("/").text
    assert f"Presupuesto {poa.fiscal_year}" in html
    assert "$1,000,000.00" in html
    assert "$250,000.00" in html
    assert "25 %" in html


def test_a_poa_not_yet_approved_adds_nothing_to_the_home(client, draft_poa, make_action):
    make_action(draft_poa)
    html = client.get("/").text
    assert "Aún no se aprueba ningún Programa Operativo Anual." in html
    assert f"Presupuesto {draft_poa.fiscal_year}" not in html


def test_the_latest_agreements_link_to_their_public_page(client, approved_poa):
    agreement = Agreement.objects.get()
    html = client.get("/").text
    assert f'href="/publico/acuerdos/{agreement.pk}/"' in html
    assert agreement.key in html


def add_agreements(count: int, author) -> None:
    body = Body.objects.create(name="Comité", key=f"COT{count}", kind=Body.Kind.COMMITTEE)
    general = AgreementType.objects.get(code="general")
    start = datetime.datetime(2026, 1, 10, 10, tzinfo=datetime.UTC)
    for n in range(count):
        session = Session.objects.create(
            body=body, year=2026, number=n + 1, kind="ordinary", starts_at=start, place="Sala"
        )
        item = session.items.create(number=1, title=f"Punto {n}", agreement_type=general)
        agreement = Agreement.objects.create(
            key=f"COT/2026/ORD-{n + 1:02d}/01",
            body=body,
            year=2026,
            item=item,
            agreement_type=general,
            text="x",
            status=Agreement.Status.APPROVED,
        )
        agreement.versions.create(number=1, text="corregido", reason="errata", created_by=author)


def add_actions(poa, action, catalogue, count: int) -> None:
    """More actions and lines in the approved POA, written directly: only their number matters."""
    for n in range(count):
        extra = Action.objects.create(
            poa=poa,
            key=f"B-{n:03d}",
            name=f"Acción {n}",
            kind=action.kind,
            responsible=action.responsible,
            modality=action.modality,
            target=Decimal("10"),
            target_unit="piezas",
            status=Action.Status.SUBMITTED,
        )
        BudgetLine.objects.create(
            action=extra,
            source=catalogue["fismdf"],
            expense_item=catalogue["item"],
            functional=catalogue["functional"],
            approved=Decimal("10.00"),
            modified=Decimal("10.00"),
            committed=Decimal("5.00"),
            accrued=Decimal("5.00"),
            exercised=Decimal("5.00"),
        )


def queries_of_home(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_home_runs_a_fixed_number_of_queries(
    client,
    approved_poa,
    open_phases,
    catalogue,
    settings,
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    before = queries_of_home(client)
    add_agreements(12, author=UserFactory())
    poa, action, _ = approved_poa
    add_actions(poa, action, catalogue, 25)
    assert queries_of_home(client) == before
