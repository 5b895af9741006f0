"""Issue 17, the budget: each rule of DOMAIN.md §5 that the services let records break, one test
per rule, each written against the services as a planner uses them. Each fails on the code
before the fix (63908f6) by the behaviour it describes."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from budgeting import selectors
from budgeting.models import Movement
from budgeting.services import money
from budgeting.services import poa as poa_services
from tests.budgeting.conftest import DAY
from tests.budgeting.progress import validated_progress
from tests.documents import supporting_document
from tests.factories import UserFactory


def record(line, stage, amount, **extra):
    return money.movement_record(
        line=line, stage=stage, amount=amount, date=DAY, by=UserFactory(), **extra
    )


def test_every_action_of_an_approved_poa_keeps_at_least_one_alignment(
    approved_poa, make_action, pmot_strategy
):
    poa, action, line = approved_poa
    modification = poa_services.modification_open(poa=poa, reason="Obra nueva", by=UserFactory())
    # An action added to an approved POA is aligned in the same step.
    with pytest.raises(ValidationError, match="se alinea en el mismo paso"):
        make_action(poa, key="A-02", modification=modification)
    assert not poa.actions.filter(key="A-02").exists()
    added = make_action(poa, key="A-02", modification=modification, alignments=[pmot_strategy])
    assert list(added.alignments.all()) == [pmot_strategy]
    # Its last alignment is never removed.
    with pytest.raises(ValidationError, match="conserva al menos una alineación"):
        poa_services.action_align(action=action, elements=[], modification=modification)
    assert list(action.alignments.all()) == [pmot_strategy]
    # No money is committed to an action aligned to nothing (a record from before the rule).
    action.alignments.clear()
    with pytest.raises(ValidationError, match="no está alineada a ningún elemento"):
        record(line, "committed", "2500000.00")
    line.refresh_from_db()
    assert line.committed == Decimal(0)


def test_a_change_to_the_approved_total_moves_money_only_once_the_cabildo_approves_it(
    approved_poa, council_vote, catalogue
):
    poa, _action, line = approved_poa  # $1,000,000 approved
    planner = UserFactory()
    modification = poa_services.modification_open(poa=poa, reason="Ampliación", by=planner)
    # The increase does not move the modified amount when it is recorded...
    with pytest.raises(ValidationError, match="se solicita dentro de una modificación"):
        record(line, "increase", "50000000.00", modification=modification)
    change = money.change_request(
        document=supporting_document(),
        modification=modification,
        line=line,
        stage="increase",
        amount="50000000.00",
        date=DAY,
        by=planner,
    )
    line.refresh_from_db()
    assert line.modified == Decimal("1000000.00")
    # ...nor when the planner authorizes it: it changes the total, so it goes to the Cabildo.
    from budgeting.services import modifications  # new with the rule: imported here

    with pytest.raises(ValidationError, match="va al Cabildo"):
        modifications.modification_authorize(modification=modification, by=planner)
    line.refresh_from_db()
    assert line.modified == Decimal("1000000.00")
    # The Cabildo's vote on the modification applies it.
    agreement = council_vote(subject=modification)
    modification.refresh_from_db()
    line.refresh_from_db()
    change.refresh_from_db()
    assert modification.status == "applied"
    assert modification.agreement == agreement
    assert line.modified == Decimal("51000000.00")
    assert change.movement == line.movements.get(stage=Movement.Stage.INCREASE)
    assert change.movement.modification == modification
    # A transfer between lines keeps the total: IMPLAN authorizes it, no Cabildo.
    other = money.line_add(
        action=line.action,
        source=catalogue["fismdf"],
        expense_item=catalogue["item"],
        functional=catalogue["functional"],
        fismdf_category="water",
        modification=poa_services.modification_open(poa=poa, reason="Traspaso", by=planner),
    )
    transfer = poa.modifications.get(number=2)
    for target, stage in ((line, "reduction"), (other, "increase")):
        money.change_request(
            document=supporting_document(),
            modification=transfer,
            line=target,
            stage=stage,
            amount="300000",
            date=DAY,
            by=planner,
        )
    # Another person of the office that holds the budget decides what the planner asked.
    modifications.modification_authorize(modification=transfer, by=UserFactory())
    line.refresh_from_db()
    other.refresh_from_db()
    assert (line.modified, other.modified) == (Decimal("50700000.00"), Decimal("300000.00"))


def test_the_fismdf_caps_are_computed_over_the_years_approved_allocation_never_drafts(
    draft_poa, make_action, catalogue, pmot_strategy, council_vote, orgs
):
    def fismdf_line(poa, key, category):
        action = make_action(poa, key=key)
        poa_services.action_align(action=action, elements=[pmot_strategy])
        return money.line_add(
            action=action,
            source=catalogue["fismdf"],
            expense_item=catalogue["item"],
            functional=catalogue["functional"],
            fismdf_category=category,
        )

    # The municipality's approved POA of 2027: $51,000,000 of FISMDF for water.
    record(fismdf_line(draft_poa, "A-01", "water"), "approved", "51000000.00")
    poa_services.action_submit(action=draft_poa.actions.get())
    poa_services.poa_submit(poa=draft_poa)
    council_vote(subject=draft_poa)  # the Cabildo approves it
    # A draft POA of Obras Públicas: $20,000,000 more for water, not approved by anyone.
    works = poa_services.poa_create(fiscal_year=2027, unit=orgs["works"])
    record(fismdf_line(works, "W-01", "water"), "approved", "20000000.00")
    # IMPLAN's POA for institutional development is measured against the approved allocation
    # and itself: $1,326,000 is 2.53 % of $52,326,000, over the 2 %.
    implan = poa_services.poa_create(fiscal_year=2027, unit=orgs["implan"])
    institutional = fismdf_line(implan, "I-01", "institutional")
    with pytest.raises(ValidationError) as refused:
        record(institutional, "approved", "1326000.00")
    assert refused.value.messages == [
        "FISMDF 2027: Desarrollo institucional (máximo 2 %) tomaría $1,326,000.00 de "
        "$52,326,000.00 (2.5 %); la ley permite como máximo 2 %."
    ]
    institutional.refresh_from_db()
    assert institutional.modified == Decimal(0)
    record(institutional, "approved", "1000000.00")  # 1.92 % of $52,000,000
    assert poa_services.submission_missing(implan) == []


def test_the_progress_gap_is_judged_on_the_figures_as_shown(approved_poa):
    poa, action, line = approved_poa  # target 100, $1,000,000 modified
    planner = UserFactory()
    for stage in ("committed", "accrued", "exercised"):
        record(line, stage, "299600.00")  # 29.96 %, shown as 30.0 %
    validated_progress(action=action, period=1, achieved="50.04", by=planner)

    def progress():
        return selectors.progress(selectors.poa_actions(poa).get(pk=action.pk))

    # Shown 50.0 % and 30.0 %: 20.0 points apart, not more than the 20 of the setting.
    assert progress() == (Decimal("50.0"), Decimal("30.0"), False)
    validated_progress(action=action, period=1, achieved="50.05", by=planner)
    # Shown 50.1 % (rounded half up, as the page shows it) and 30.0 %: flagged.
    assert progress() == (Decimal("50.1"), Decimal("30.0"), True)
