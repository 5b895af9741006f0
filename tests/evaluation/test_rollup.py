"""Physical versus financial progress rolled up by budget weight (issue 7), recomputed by hand.

    physical  = Σ (physical_i × modified_i) ÷ Σ modified_i
    financial = Σ exercised_i ÷ Σ modified_i × 100

The world of test_chain: strategy 1.1 carries
    A  50 of 100 achieved → 50.0 %;   $1,000,000 modified, $400,000 exercised → 40.0 %
    B  30 of 200 achieved → 15.0 %;   $3,000,000 modified, $600,000 exercised → 20.0 %
       (through line 1.1.1; B is also aligned to strategy 1.2)
    C  10 of 10 achieved → 100.0 %;   no money: listed, weighs nothing
    D  4 of 4 achieved → 100.0 %;     $500,000 modified and exercised → 100.0 % (POA 2026)
so
    physical  = (50 × 1,000,000 + 15 × 3,000,000 + 100 × 500,000) ÷ 4,500,000
              = 145,000,000 ÷ 4,500,000 = 32.2 %
    financial = 1,500,000 ÷ 4,500,000 = 33.3 %
"""

from decimal import Decimal
from types import SimpleNamespace

from django.urls import reverse

from budgeting.models import Action, BudgetLine
from evaluation.selectors.chain import rollup
from tests.evaluation import test_chain

# The world of test_chain and the fixtures it stands on.
agreement_type, cabildo, open_session = (
    test_chain.agreement_type,
    test_chain.cabildo,
    test_chain.open_session,
)
catalogue, draft_poa, make_action = (
    test_chain.catalogue,
    test_chain.draft_poa,
    test_chain.make_action,
)
council_vote, freeze_today, world = (
    test_chain.council_vote,
    test_chain.freeze_today,
    test_chain.world,
)


def row(physical, modified, exercised):
    return SimpleNamespace(
        physical=Decimal(physical), modified=Decimal(modified), exercised=Decimal(exercised)
    )


def test_the_rollup_weighs_each_action_by_its_modified_money():
    rows = [
        row("80.0", "100", "50"),  # weight 100
        row("20.0", "300", "30"),  # weight 300
        row("50.0", "600", "600"),  # weight 600
        row("100.0", "0", "0"),  # no money: listed, no weight
    ]
    result = rollup(rows)
    # (80×100 + 20×300 + 50×600) ÷ 1000 = (8,000 + 6,000 + 30,000) ÷ 1,000 = 44.0
    assert result.physical == Decimal("44.0")
    # (50 + 30 + 600) ÷ 1,000 = 68.0 %
    assert result.financial == Decimal("68.0")
    assert (result.actions, result.weighted) == (4, 3)
    assert result.physical_times_modified == Decimal("44000")
    assert result.gap == Decimal("-24.0")


def test_without_money_there_is_no_rollup():
    result = rollup([row("100.0", "0", "0")])
    assert (result.actions, result.physical, result.financial) == (1, None, None)
    assert rollup([]).physical is None


def test_each_action_and_the_strategy_on_its_chain(world, client_as, freeze_today):
    response = client_as("planner").get(reverse("evaluation:chain", args=[world["e"]["1.1"].pk]))
    chain = response.context["chain"]
    figures = {
        row.action.key: (row.physical, row.financial, row.modified, row.exercised)
        for group in chain.years
        for row in group.rows
    }
    assert figures == {
        "A": (Decimal("50.0"), Decimal("40.0"), Decimal("1000000.00"), Decimal("400000.00")),
        "B": (Decimal("15.0"), Decimal("20.0"), Decimal("3000000.00"), Decimal("600000.00")),
        "C": (Decimal("100.0"), Decimal("0.0"), Decimal("0.00"), Decimal("0.00")),
        "D": (Decimal("100.0"), Decimal("100.0"), Decimal("500000.00"), Decimal("500000.00")),
    }
    r = chain.rollup
    assert r.physical_times_modified == Decimal("145000000")
    assert (r.modified, r.exercised) == (Decimal("4500000.00"), Decimal("1500000.00"))
    assert (r.physical, r.financial) == (Decimal("32.2"), Decimal("33.3"))
    assert (r.actions, r.weighted) == (4, 3)
    # by year: 2027 is A, B, C → (50×1M + 15×3M) ÷ 4M = 23.8 %; 1M ÷ 4M = 25.0 %
    by_year = {g.fiscal_year: (g.rollup.physical, g.rollup.financial) for g in chain.years}
    assert by_year == {
        2027: (Decimal("23.8"), Decimal("25.0")),
        2026: (Decimal("100.0"), Decimal("100.0")),
    }
    body = response.content.decode()
    # The rule, in Spanish, and the figures it uses.
    assert (
        "Avance físico de una estrategia o de un eje = Σ (avance físico de cada acción × "
        "su presupuesto modificado) ÷ Σ presupuesto modificado"
    ) in body
    assert "Una acción alineada a varias estrategias cuenta completa en cada una" in body
    assert "32.2 %" in body
    assert "33.3 %" in body
    assert "$4,500,000.00" in body
    assert "145,000,000.00" in body


def test_an_action_counts_fully_in_each_strategy_and_once_in_the_axis(
    world, client_as, catalogue, freeze_today
):
    """B is aligned to 1.1 (through 1.1.1) and to 1.2: all of it counts in each. E, aligned
    to the axis itself, counts in the axis only: $1,000,000 modified, nothing done."""
    poa = world["poas"][0]
    e_action = Action.objects.create(
        poa=poa,
        key="E",
        name="Estudio de suelo",
        kind="services",
        responsible=world["actions"]["A"].responsible,
        modality=catalogue["modality"],
        target=Decimal(1),
        target_unit="estudio",
    )
    e_action.alignments.add(world["e"]["1"])
    BudgetLine.objects.create(
        action=e_action,
        source=catalogue["source"],
        expense_item=catalogue["item"],
        functional=catalogue["functional"],
        approved=Decimal("1000000.00"),
        modified=Decimal("1000000.00"),
    )
    response = client_as("planner").get(reverse("evaluation:chain_index"))
    (axis,) = response.context["axes"]
    rows = {r.element.key: r.rollup for r in axis.strategies}
    assert (rows["1.2"].physical, rows["1.2"].financial) == (Decimal("15.0"), Decimal("20.0"))
    assert rows["1.2"].modified == Decimal("3000000.00")  # B whole, not a share
    assert (rows["1.1"].physical, rows["1.1"].financial) == (Decimal("32.2"), Decimal("33.3"))
    # Axis: A, B, C, D, E once: 145,000,000 ÷ 5,500,000 = 26.4 %; 1,500,000 ÷ 5,500,000 = 27.3 %
    # (with B twice it would read 190,000,000 ÷ 8,500,000 = 22.4 %)
    assert axis.rollup.actions == 5
    assert axis.rollup.modified == Decimal("5500000.00")
    assert (axis.rollup.physical, axis.rollup.financial) == (Decimal("26.4"), Decimal("27.3"))
    assert "26.4 %" in response.content.decode()
