"""A small POA whose distributions are worked out by hand, for the chart and coverage tests.

PMOT  T1 → T1.1 → strategies T1.1.1, T1.1.2, T1.1.3 (no action)
PDM   M1 → M1.1 → M1.1.1 → line M1.1.1.1 (aligned to T1.1.1)
      M2 → M2.1 → M2.1.1 → line M2.1.1.1 (no PMOT strategy)
Sectoral program S1, aligned to the PDM objective M1.1.

Actions of an approved 2027 POA:
  A  aligned to T1.1.1, in unit U-01: own resources 1,000,000.00 (6140), 400,000.00 exercised
  B  aligned to T1.1.2 and M1.1.1.1: FISMDF 300,000.01 (6140) + state 200,000.00 (3510)
  C  aligned to M2.1.1.1: own resources 90,000.00 (3510)
  D  added by a modification the Cabildo approved, aligned to nothing (a record from before
     every action had to stay aligned): own resources 50,000.00 (6150)
"""

import datetime
from decimal import Decimal

import pytest

from budgeting.models import Action, BudgetLine, ExpenseItem, FundingSource
from budgeting.services import money
from budgeting.services import poa as services
from pmot.information.models import TerritorialUnit, UnitKind
from pmot.planning.models import Plan
from pmot.planning.services import plans as planning
from tests.documents import supporting_document
from tests.factories import UserFactory

DAY = datetime.date(2027, 3, 15)
TOTAL = Decimal("1640000.01")


def _tree(plan, spec):
    made = {}
    for key, parent in spec:
        made[key] = planning.element_add(
            plan=plan, key=key, name=f"Elemento {key}", parent=made.get(parent)
        )
    return made


@pytest.fixture
def world(draft_poa, make_action, catalogue, council_vote):
    pmot = Plan.objects.create(
        key="pmot",
        name="PMOT",
        order=Plan.Order.PMOT,
        level_names=["Eje", "Objetivo", "Estrategia"],
    )
    pdm = Plan.objects.create(
        key="pdm",
        name="PDM",
        order=Plan.Order.MUNICIPAL,
        level_names=["Eje", "Objetivo", "Estrategia", "Línea de acción"],
    )
    sectoral = Plan.objects.create(
        key="ps",
        name="Programa sectorial urbano",
        order=Plan.Order.SECTORAL,
        sector=Plan.Sector.URBAN,
        level_names=["Objetivo"],
    )
    e = _tree(
        pmot,
        [("T1", None), ("T1.1", "T1"), ("T1.1.1", "T1.1"), ("T1.1.2", "T1.1"), ("T1.1.3", "T1.1")],
    )
    e |= _tree(
        pdm,
        [
            ("M1", None),
            ("M1.1", "M1"),
            ("M1.1.1", "M1.1"),
            ("M1.1.1.1", "M1.1.1"),
            ("M2", None),
            ("M2.1", "M2"),
            ("M2.1.1", "M2.1"),
            ("M2.1.1.1", "M2.1.1"),
        ],
    )
    e |= _tree(sectoral, [("S1", None)])
    planning.alignment_add(source=e["T1.1.1"], target=e["M1.1.1.1"])
    planning.alignment_add(source=e["S1"], target=e["M1.1"])
    unit = TerritorialUnit.objects.create(
        key="U-01",
        name="Centro",
        kind=UnitKind.LOCALITY,
        geometry={"type": "Point", "coordinates": [-102.29, 21.88]},
    )
    by = UserFactory()
    poa = draft_poa
    sources = {s.key: s for s in FundingSource.objects.all()}
    items = {i: ExpenseItem.objects.get(key=i) for i in ("6140", "3510", "6150")}

    def action(key, elements, lines, **extra):
        made = make_action(poa, key=key, **extra)
        services.action_align(action=made, elements=[e[k] for k in elements])
        services.action_submit(action=made)
        out = []
        for source, item, amount, category in lines:
            line = money.line_add(
                action=made,
                source=sources[source],
                expense_item=items[item],
                functional=catalogue["functional"],
                fismdf_category=category,
            )
            money.movement_record(line=line, stage="approved", amount=amount, date=DAY, by=by)
            out.append(line)
        return made, out

    a, (a_line,) = action("A", ["T1.1.1"], [("propios", "6140", "1000000.00", "")], unit=unit)
    action(
        "B",
        ["T1.1.2", "M1.1.1.1"],
        [("fismdf", "6140", "300000.01", "urbanization"), ("estatal", "3510", "200000.00", "")],
    )
    action("C", ["M2.1.1.1"], [("propios", "3510", "90000.00", "")])
    services.poa_submit(poa=poa)
    council_vote(subject=poa)  # the Cabildo approves it
    poa.refresh_from_db()
    for stage in ("committed", "accrued", "exercised"):
        money.movement_record(line=a_line, stage=stage, amount="400000.00", date=DAY, by=by)
    modification = services.modification_open(poa=poa, reason="Emergencia", by=by)
    d = make_action(poa, key="D", modification=modification, alignments=[e["T1.1.1"]])
    d_line = money.line_add(
        action=d,
        source=sources["propios"],
        expense_item=items["6150"],
        functional=catalogue["functional"],
        modification=modification,
    )
    money.change_request(
        document=supporting_document(),
        line=d_line,
        stage="increase",
        amount="50000.00",
        date=DAY,
        by=by,
        modification=modification,
    )
    council_vote(subject=modification)  # it changes the POA's total: the Cabildo applies it
    # The services keep every action aligned; a POA recorded before the rule may still hold an
    # action aligned to nothing, and the coverage shows its money apart.
    d.alignments.clear()
    poa.refresh_from_db()
    return poa, e


def many_actions(poa, catalogue, element, n, responsible, prefix="N"):
    """`n` more actions aligned to `element`, with a line of $1,000.00 each. Written in bulk:
    this only feeds the query counts, the services are tested elsewhere."""
    actions = Action.objects.bulk_create(
        Action(
            poa=poa,
            key=f"{prefix}-{k:04d}",
            name="Acción",
            kind="services",
            responsible=responsible,
            modality=catalogue["modality"],
            target=Decimal(4),
            target_unit="informes",
            calendar=["1", "1", "1", "1"],
        )
        for k in range(n)
    )
    Action.alignments.through.objects.bulk_create(
        Action.alignments.through(action_id=a.pk, planelement_id=element.pk) for a in actions
    )
    amount = Decimal("1000.00")
    BudgetLine.objects.bulk_create(
        BudgetLine(
            action=a,
            source=catalogue["source"],
            expense_item=catalogue["item"],
            functional=catalogue["functional"],
            approved=amount,
            modified=amount,
        )
        for a in actions
    )
