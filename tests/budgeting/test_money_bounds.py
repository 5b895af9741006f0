"""The running totals of a budget line stay within what their columns hold: each amount is
bounded by its form, and a movement whose sum would not fit is refused with the figures, in
Spanish, writing nothing (issue 16: bound every number a form saves)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from budgeting.models import Movement, RequestedChange
from budgeting.services import money
from budgeting.services import poa as poa_services
from tests.budgeting.conftest import DAY
from tests.documents import supporting_document
from tests.factories import UserFactory

LARGEST = "99999999999999.99"  # the largest amount a movement takes


def a_line(poa, make_action, catalogue):
    return money.line_add(
        action=make_action(poa),
        source=catalogue["source"],
        expense_item=catalogue["item"],
        functional=catalogue["functional"],
    )


def test_a_movement_whose_total_would_overflow_the_line_is_refused(approved_poa):
    poa, _, line = approved_poa
    modification = poa_services.modification_open(poa=poa, reason="Convenio", by=UserFactory())
    movements = Movement.objects.count()
    with pytest.raises(ValidationError) as refused:
        money.change_request(
            document=supporting_document(),
            line=line,
            stage="increase",
            amount=LARGEST,
            date=DAY,
            by=UserFactory(),
            modification=modification,
        )
    assert refused.value.messages == [
        "Este movimiento lleva el monto modificado de la línea a $100,000,000,999,999.99, más "
        "de lo que pmot puede guardar: revise el monto."
    ]
    line.refresh_from_db()
    assert (line.increases, line.modified) == (Decimal(0), Decimal("1000000.00"))
    assert Movement.objects.count() == movements
    assert not RequestedChange.objects.exists()


def test_the_largest_amount_is_kept_where_the_total_fits(draft_poa, make_action, catalogue):
    line = a_line(draft_poa, make_action, catalogue)
    money.movement_record(line=line, stage="approved", amount=LARGEST, date=DAY, by=UserFactory())
    line.refresh_from_db()
    assert line.modified == Decimal(LARGEST)
    with pytest.raises(ValidationError, match="más de lo que pmot puede guardar"):
        money.movement_record(
            line=line, stage="approved", amount="0.01", date=DAY, by=UserFactory()
        )


def test_the_page_answers_an_overflowing_total_with_the_message(
    client_as, draft_poa, make_action, catalogue
):
    line = a_line(draft_poa, make_action, catalogue)
    money.movement_record(line=line, stage="approved", amount=LARGEST, date=DAY, by=UserFactory())
    prefix = f"mov{line.pk}"
    response = client_as("planner").post(
        reverse("budgeting:movement_record", args=[line.pk]),
        {f"{prefix}-stage": "approved", f"{prefix}-amount": "1", f"{prefix}-date": DAY.isoformat()},
        follow=True,
    )
    assert response.status_code in (200, 400)
    assert "más de lo que pmot puede guardar" in response.text
    line.refresh_from_db()
    assert line.approved == Decimal(LARGEST)
