"""The budget stages: every invariant of DOMAIN.md §5 refused with its figures, in the service
and in the database; FISMDF's categories and caps at their boundaries."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from budgeting.models import BudgetLine, Movement
from budgeting.services import money
from budgeting.services import poa as poa_services
from tests.budgeting.conftest import DAY
from tests.documents import supporting_document
from tests.factories import UserFactory


def record(line, stage, amount, **extra):
    return money.movement_record(
        line=line, stage=stage, amount=amount, date=DAY, by=UserFactory(), **extra
    )


def test_each_stage_stays_within_the_one_before(approved_poa):
    _, _, line = approved_poa
    record(line, "committed", "600000.00")
    record(line, "accrued", "600000.00")
    record(line, "exercised", "450000.00")
    record(line, "paid", "450000.00")
    line.refresh_from_db()
    assert (line.modified, line.committed, line.accrued, line.exercised, line.paid) == (
        Decimal("1000000.00"),
        Decimal("600000.00"),
        Decimal("600000.00"),
        Decimal("450000.00"),
        Decimal("450000.00"),
    )
    assert line.underspent == Decimal("400000.00")
    assert line.movements.count() == 5


@pytest.mark.parametrize(
    ("done", "stage", "amount", "message"),
    [
        (
            [],
            "committed",
            "1000000.01",
            "El comprometido llegaría a $1,000,000.01, por encima del modificado de $1,000,000.00.",
        ),
        (
            [("committed", "500")],
            "accrued",
            "500.01",
            "El devengado llegaría a $500.01, por encima del comprometido de $500.00.",
        ),
        (
            [("committed", "500"), ("accrued", "500")],
            "exercised",
            "600",
            "El ejercido llegaría a $600.00, por encima del devengado de $500.00.",
        ),
        (
            [("committed", "500"), ("accrued", "500"), ("exercised", "300")],
            "paid",
            "300.50",
            "El pagado llegaría a $300.50, por encima del ejercido de $300.00.",
        ),
    ],
)
def test_a_stage_beyond_the_one_before_is_refused_with_its_figures(
    approved_poa, done, stage, amount, message
):
    _, _, line = approved_poa
    for earlier, value in done:
        record(line, earlier, value)
    count = Movement.objects.count()
    with pytest.raises(ValidationError) as refused:
        record(line, stage, amount)
    assert refused.value.messages == [message]
    assert Movement.objects.count() == count


def test_exactly_the_ceiling_is_allowed(approved_poa):
    _, _, line = approved_poa
    record(line, "committed", "1000000.00")
    line.refresh_from_db()
    assert line.committed == line.modified


def request(line, stage, amount, modification):
    return money.change_request(
        document=supporting_document(),
        line=line,
        stage=stage,
        amount=amount,
        date=DAY,
        by=UserFactory(),
        modification=modification,
    )


def test_changes_to_an_approved_poa_need_a_recorded_modification(approved_poa):
    poa, _, line = approved_poa
    with pytest.raises(ValidationError, match="se solicita dentro de una modificación"):
        record(line, "increase", "1000")
    with pytest.raises(ValidationError, match="con una ampliación o una reducción"):
        record(line, "approved", "1000")
    with pytest.raises(ValidationError, match="registre la modificación"):
        request(line, "increase", "1000", None)
    modification = poa_services.modification_open(
        poa=poa, reason="Ampliación por convenio", by=UserFactory()
    )
    change = request(line, "increase", "250000", modification)
    assert change.movement is None  # requested: it moves nothing until it is decided
    line.refresh_from_db()
    assert line.modified == Decimal("1000000.00")
    poa.refresh_from_db()
    assert poa.status == "modified"


def test_a_reduction_cannot_leave_less_than_what_is_committed(approved_poa):
    poa, _, line = approved_poa
    record(line, "committed", "800000")
    modification = poa_services.modification_open(poa=poa, reason="Recorte", by=UserFactory())
    request(line, "reduction", "150000", modification)
    with pytest.raises(ValidationError) as refused:
        request(line, "reduction", "150000", modification)  # with the first: 300,000 in all
    assert refused.value.messages == [
        "La reducción deja el modificado en $700,000.00, por debajo de los $800,000.00 ya "
        "comprometidos."
    ]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "mayor que cero"),
        ("-5", "mayor que cero"),
        ("10.005", "dos decimales"),
        ("abc", "no es un número"),
        ("1e20", "demasiado grande"),
        ("NaN", "mayor que cero"),
    ],
)
def test_bad_amounts_are_refused(approved_poa, amount, message):
    _, _, line = approved_poa
    with pytest.raises(ValidationError, match=message):
        record(line, "committed", amount)


def test_a_date_outside_the_fiscal_year_is_refused(approved_poa):
    import datetime

    _, _, line = approved_poa
    with pytest.raises(ValidationError, match="fuera del ejercicio fiscal 2027"):
        money.movement_record(
            line=line,
            stage="committed",
            amount="10",
            date=datetime.date(2026, 12, 31),
            by=UserFactory(),
        )


def test_the_database_itself_refuses_broken_totals(approved_poa):
    _, _, line = approved_poa
    for broken in (
        {"committed": Decimal("2000000")},
        {"modified": Decimal("5")},
        {"paid": Decimal("1")},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            BudgetLine.objects.filter(pk=line.pk).update(**broken)


# --- FISMDF ------------------------------------------------------------------------------------


@pytest.fixture
def fismdf_lines(draft_poa, make_action, catalogue):
    action = make_action(draft_poa)

    def line(category):
        return money.line_add(
            action=action,
            source=catalogue["fismdf"],
            expense_item=catalogue["item"],
            functional=catalogue["functional"],
            fismdf_category=category,
        )

    return line


def test_fismdf_money_funds_only_its_legal_categories(draft_poa, make_action, catalogue):
    action = make_action(draft_poa)
    with pytest.raises(ValidationError, match="solo sus categorías legales"):
        money.line_add(
            action=action,
            source=catalogue["fismdf"],
            expense_item=catalogue["item"],
            functional=catalogue["functional"],
        )
    with pytest.raises(ValidationError, match="Solo las líneas del FISMDF"):
        money.line_add(
            action=action,
            source=catalogue["source"],
            expense_item=catalogue["item"],
            functional=catalogue["functional"],
            fismdf_category="water",
        )


@pytest.mark.parametrize(
    ("category", "cap"), [("institutional", Decimal("20000.00")), ("indirect", Decimal("30000.00"))]
)
def test_fismdf_caps_at_their_boundaries(fismdf_lines, category, cap):
    """With $1,000,000 of FISMDF in the year, 2 % is $20,000 and 3 % is $30,000."""
    water, capped = fismdf_lines("water"), fismdf_lines(category)
    record(water, "approved", Decimal("1000000.00") - cap)
    record(capped, "approved", cap)  # exactly at the cap
    capped.refresh_from_db()
    assert capped.modified == cap
    with pytest.raises(ValidationError, match="la ley permite como máximo"):
        record(capped, "approved", "0.01")  # a cent over it
    capped.refresh_from_db()
    assert capped.modified == cap


def test_shrinking_the_years_fismdf_cannot_push_a_capped_use_over_its_cap(
    fismdf_lines, draft_poa, pmot_strategy, council_vote
):
    water, institutional = fismdf_lines("water"), fismdf_lines("institutional")
    record(water, "approved", "980000")
    record(institutional, "approved", "20000")
    poa_services.action_align(action=water.action, elements=[pmot_strategy])
    poa_services.action_submit(action=water.action)
    poa_services.poa_submit(poa=draft_poa)
    council_vote(subject=draft_poa)  # the Cabildo approves it
    modification = poa_services.modification_open(
        poa=draft_poa, reason="Recorte federal", by=UserFactory()
    )
    with pytest.raises(ValidationError, match="Desarrollo institucional"):
        request(water, "reduction", "1000", modification)
    water.refresh_from_db()
    assert water.modified == Decimal("980000.00")
