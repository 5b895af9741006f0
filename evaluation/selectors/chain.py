"""The traceability chain of a PMOT strategy (issue 7), and physical versus financial progress
rolled up by budget weight.

The chain runs, both ways: the Cabildo's agreement that designated the coordinating body → the
phase of the program → the PMOT axis and strategy → the PDM lines and SDG targets it aligns to
→ the POA actions aligned to it or to an element below it (every fiscal year) → their money by
funding source and stage → the indicators measuring the strategy or those actions, with their
colour now → the evaluations and recommendations about them → the agreements acting on them.

Every read here runs a fixed number of queries whatever the number of actions or indicators.

Who reads decides what the chain holds (a Scope): staff read every action, evaluation and
agreement and the indicators their role lets them see; the public pages pass the published
records (pmot.portal.selectors.published builds that scope, so this module need not know what
is public).

The roll-up of a set of actions (a strategy, an axis) weighs each action by its modified money:
    physical  = Σ (physical_i × modified_i) ÷ Σ modified_i
    financial = Σ exercised_i ÷ Σ modified_i × 100
where physical_i is the action's own physical progress (budgeting.selectors.progress). Actions
without modified money are listed but weigh nothing. An action aligned to several strategies
counts fully in each; in an axis it counts once.
"""

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone

from budgeting import selectors as budgeting
from budgeting.models import Action, BudgetLine, Poa, ProgressReport
from budgeting.rules import Graph
from committees.models import Agreement, Designation
from evaluation import lights
from evaluation.models import Evaluation, Indicator, Recommendation
from evaluation.selectors.evaluations import agreements_about
from evaluation.selectors.indicators import Light, current_lights, indicators_visible_to
from phases.models import Phase, PhaseNumber
from phases.selectors import program_phases
from pmot.planning.models import Alignment, Plan, PlanElement, Program

ZERO = Decimal("0.00")
TENTH = Decimal("0.1")
STAGES = budgeting.STAGES
# The colours counted on the index, in the order shown.
COUNTED_COLOURS = (
    lights.Colour.GREEN,
    lights.Colour.YELLOW,
    lights.Colour.RED,
    lights.Colour.NO_REPORT,
)
THROUGH = Action.alignments.through


@dataclass(frozen=True)
class Scope:
    """The records a reader of the chain may see, and how an indicator's light now is read
    (`lights(indicators, today)`: staff see a measurement's colour as soon as it is reported;
    the public pages pass a reading of validated measurements only)."""

    actions: QuerySet[Action]
    indicators: QuerySet[Indicator]
    evaluations: QuerySet[Evaluation]
    alignments: QuerySet[Alignment]
    agreements: QuerySet[Agreement]
    lights: Callable[[list[Indicator], datetime.date], dict[int, Light | None]] = current_lights

    @classmethod
    def of(cls, user) -> "Scope":
        """What a signed-in person reads: everything but the indicators their role hides."""
        return cls(
            actions=Action.objects.all(),
            indicators=indicators_visible_to(user),
            evaluations=Evaluation.objects.all(),
            alignments=Alignment.objects.all(),
            agreements=Agreement.objects.all(),
        )


# --- The roll-up -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rollup:
    """Physical and financial progress of a set of actions, weighted by modified money, with
    the sums behind it so that a reader can recompute it."""

    actions: int = 0
    weighted: int = 0  # actions with modified money
    modified: Decimal = ZERO
    exercised: Decimal = ZERO
    physical_times_modified: Decimal = ZERO  # Σ physical_i × modified_i

    @property
    def physical(self) -> Decimal | None:
        if not self.modified:
            return None
        return (self.physical_times_modified / self.modified).quantize(TENTH)

    @property
    def financial(self) -> Decimal | None:
        if not self.modified:
            return None
        return (100 * self.exercised / self.modified).quantize(TENTH)

    @property
    def gap(self) -> Decimal | None:
        """Physical minus financial, in points."""
        if self.physical is None:
            return None
        return self.physical - self.financial


def rollup(rows: Iterable) -> Rollup:
    """The roll-up of `rows` (each with `physical`, `modified` and `exercised`), each counted
    once."""
    actions = weighted = 0
    modified = exercised = product = ZERO
    for row in rows:
        actions += 1
        if row.modified:
            weighted += 1
            modified += row.modified
            exercised += row.exercised
            product += row.physical * row.modified
    return Rollup(actions, weighted, modified, exercised, product)


# --- Actions with their money and progress -----------------------------------------------------


@dataclass
class ActionRow:
    """An action as the chain shows it: its money by stage, its progress, and the elements of
    the chain it is aligned to."""

    action: Action
    physical: Decimal
    financial: Decimal
    gap: bool
    elements: list[int] = field(default_factory=list)  # pks of the chain's elements
    aligned: list[PlanElement] = field(default_factory=list)  # the same, loaded (chain page)

    @property
    def modified(self) -> Decimal:
        return self.action.total_modified

    @property
    def exercised(self) -> Decimal:
        return self.action.total_exercised

    @property
    def fiscal_year(self) -> int:
        return self.action.poa.fiscal_year


def with_totals(actions: QuerySet[Action]) -> QuerySet[Action]:
    """`actions` with what they achieved and their totals by stage annotated (as
    budgeting.selectors.poa_actions does, for actions of any POA), their POA and responsible
    organization loaded. One query."""
    return (
        actions.select_related("poa", "poa__approval_agreement", "responsible")
        .annotate(
            **budgeting.action_totals(BudgetLine.objects.all(), ProgressReport.objects.validated())
        )
        .order_by("-poa__fiscal_year", "poa__unit__name", "key")
    )


def action_rows(
    element_ids: Iterable[int],
    fiscal_year: int | None = None,
    actions: QuerySet[Action] | None = None,
) -> tuple[list[ActionRow], dict[int, ActionRow]]:
    """The actions (of `actions`, by default all) aligned to any of `element_ids`, with their
    progress and the elements (of those) each is aligned to. Two queries."""
    element_ids = list(element_ids)
    actions = Action.objects.all() if actions is None else actions
    links = THROUGH.objects.filter(
        planelement_id__in=element_ids, action_id__in=actions.values("pk")
    )
    if fiscal_year:
        links = links.filter(action__poa__fiscal_year=fiscal_year)
    actions = with_totals(actions.filter(pk__in=links.values("action_id")))
    rows = []
    by_pk = {}
    for action in actions:
        physical, financial, gap = budgeting.progress(action)
        row = ActionRow(action, physical, financial, gap)
        rows.append(row)
        by_pk[action.pk] = row
    for action_id, element_id in links.values_list("action_id", "planelement_id").order_by(
        "action_id", "planelement_id"
    ):
        if action_id in by_pk:
            by_pk[action_id].elements.append(element_id)
    return rows, by_pk


@dataclass(frozen=True)
class ColourCount:
    colour: str
    count: int

    @property
    def label(self) -> str:
        return lights.Colour(self.colour).label


def colour_counts(indicators, found: dict[int, Light | None]) -> list[ColourCount]:
    """How many of `indicators` show each colour of COUNTED_COLOURS now (the rest, pending
    or without target, are not counted)."""
    counts = Counter(found[i.pk].colour for i in indicators if found.get(i.pk) is not None)
    return [ColourCount(colour, counts.get(colour, 0)) for colour in COUNTED_COLOURS]


# --- The index: every strategy with its roll-up ------------------------------------------------


@dataclass
class StrategyRow:
    element: object  # budgeting.rules.Element
    rollup: Rollup
    colours: list[ColourCount]
    indicators: int


@dataclass
class AxisRow:
    element: object
    rollup: Rollup
    strategies: list[StrategyRow]


def strategies_overview(
    user=None, fiscal_year: int | None = None, today=None, *, scope: Scope | None = None
) -> list[AxisRow]:
    """Each PMOT axis with its strategies, each with the roll-up of the actions aligned to it
    or below it (of `fiscal_year`, or of every year) and the colours of the indicators the
    reader sees (the user's, or those of `scope`) that measure it or those actions. Six
    queries whatever the size."""
    today = today or timezone.localdate()
    scope = scope or Scope.of(user)
    graph = Graph(*budgeting.plan_graph())
    pmot = {pk: e for pk, e in graph.elements.items() if e.plan_order == Plan.Order.PMOT}
    rows, by_pk = action_rows(pmot, fiscal_year, scope.actions)
    subtree = _subtrees(pmot)
    indicators = list(
        scope.indicators.filter(Q(element_id__in=list(pmot)) | Q(action_id__in=list(by_pk)))
    )
    found = scope.lights(indicators, today)
    axes = []
    for axis_pk in [pk for pk, e in pmot.items() if e.level == 0]:
        axis_elements = subtree[axis_pk]
        axis = AxisRow(pmot[axis_pk], _rollup_of(rows, axis_elements), [])
        for pk in graph.ordered(axis_elements):
            element = pmot[pk]
            if element.level != graph.strategy_level(element.plan_id) or element.level == 0:
                continue
            within = subtree[pk]
            actions = {row.action.pk for row in rows if within.intersection(row.elements)}
            measuring = [i for i in indicators if i.element_id in within or i.action_id in actions]
            axis.strategies.append(
                StrategyRow(
                    element,
                    _rollup_of(rows, within),
                    colour_counts(measuring, found),
                    len(measuring),
                )
            )
        axes.append(axis)
    return axes


def _subtrees(elements: dict) -> dict[int, set[int]]:
    """Each element's pk with the pks of every element below it."""
    children: dict[int | None, list[int]] = {}
    for pk, e in elements.items():
        children.setdefault(e.parent_id, []).append(pk)
    result: dict[int, set[int]] = {}

    def walk(pk: int) -> set[int]:
        if pk not in result:
            found = {pk}
            for child in children.get(pk, ()):
                found |= walk(child)
            result[pk] = found
        return result[pk]

    for pk in elements:
        walk(pk)
    return result


def _rollup_of(rows: list[ActionRow], elements: set[int]) -> Rollup:
    return rollup(row for row in rows if elements.intersection(row.elements))


# --- The chain of one strategy -----------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """An alignment seen from the chain: `own` is the element of the chain, `other` the
    element of another plan; `outgoing` when the chain's element is the source."""

    alignment: Alignment
    own: PlanElement
    other: PlanElement
    outgoing: bool


@dataclass
class YearGroup:
    fiscal_year: int
    rows: list[ActionRow]
    rollup: Rollup

    @property
    def poas(self) -> list[Poa]:
        return list({row.action.poa_id: row.action.poa for row in self.rows}.values())


@dataclass
class SourceMoney:
    key: str
    name: str
    stages: dict[str, Decimal]


@dataclass
class Chain:
    element: PlanElement
    path: list[PlanElement]  # from the axis down to the element
    below: int  # elements below it
    program: Program | None
    designation: Designation | None
    earlier_designations: int
    phases: list[Phase]
    current_phase: Phase | None
    formulation: Phase | None
    links: list[Link]
    through_pdm: list[Link]  # SDG targets reached through the PDM lines the element aligns to
    years: list[YearGroup]
    rollup: Rollup
    axis_rollup: Rollup
    money: list[SourceMoney]
    money_total: dict[str, Decimal]
    indicators: list[Indicator]
    lights: dict[int, Light | None]
    colours: list[ColourCount]
    evaluations: list[Evaluation]
    recommendations: int
    agreements: list  # of Acting
    within: set[int] = field(default_factory=set)  # pks of the element and those below it

    @property
    def axis(self) -> PlanElement:
        return self.path[0]

    @property
    def actions(self) -> int:
        return self.rollup.actions


def chain(
    element: PlanElement,
    user=None,
    today: datetime.date | None = None,
    *,
    scope: Scope | None = None,
) -> Chain:
    """The whole chain of a PMOT element (`element` with plan and program loaded) as the user
    (or whoever `scope` stands for) may read it. A fixed number of queries (about fifteen)
    whatever the number of actions, indicators or evaluations."""
    today = today or timezone.localdate()
    scope = scope or Scope.of(user)
    elements = {
        e.pk: e for e in PlanElement.objects.filter(plan=element.plan_id).order_by("position", "pk")
    }
    for e in elements.values():
        e.plan = element.plan
    subtree = _subtrees(elements)
    path = _path(elements, element.pk)
    within = subtree[element.pk]
    links, through_pdm = _alignments(element.plan, elements, within, scope.alignments)
    axis_rows, _ = action_rows(subtree[path[0].pk], actions=scope.actions)
    rows = [row for row in axis_rows if within.intersection(row.elements)]
    for row in rows:
        row.aligned = [elements[pk] for pk in row.elements if pk in within]
    indicators, found = _indicators(scope, within, rows, today)
    evaluations = _evaluations(scope.evaluations, within, rows)
    designation, earlier = _designation()
    program = element.plan.program or Program.objects.order_by("pk").first()
    phases = program_phases(program) if program else []
    money, money_total = _money(rows)
    return Chain(
        element=element,
        path=path,
        below=len(within) - 1,
        program=program,
        designation=designation,
        earlier_designations=earlier,
        phases=phases,
        current_phase=current_phase(phases),
        formulation=next((p for p in phases if p.number == PhaseNumber.FORMULATION), None),
        links=links,
        through_pdm=through_pdm,
        years=_years(rows),
        rollup=rollup(rows),
        axis_rollup=rollup(axis_rows),
        money=money,
        money_total=money_total,
        indicators=indicators,
        lights=found,
        colours=colour_counts(indicators, found),
        evaluations=evaluations,
        recommendations=sum(len(e.recommendations.all()) for e in evaluations),
        agreements=_agreements(scope.agreements, elements, within, path, rows, evaluations),
        within=within,
    )


def _path(elements: dict[int, PlanElement], pk: int) -> list[PlanElement]:
    path = []
    while pk is not None:
        path.insert(0, elements[pk])
        pk = elements[pk].parent_id
    return path


def _alignments(
    plan: Plan, elements: dict, within: set[int], alignments: QuerySet[Alignment]
) -> tuple[list[Link], list[Link]]:
    """The alignments (of `alignments`) of the chain's elements with other plans, whichever
    side entered them, and the SDG targets the PDM (or sectoral) elements at their other end
    align to. Two queries."""
    found = alignments.filter(Q(source_id__in=within) | Q(target_id__in=within))
    links = []
    for alignment in found.select_related("source__plan", "target__plan"):
        outgoing = alignment.source_id in within
        own, other = (
            (alignment.source, alignment.target)
            if outgoing
            else (alignment.target, alignment.source)
        )
        if other.plan_id == plan.pk:
            continue
        links.append(Link(alignment, elements.get(own.pk, own), other, outgoing))
    links.sort(key=lambda link: (link.other.plan.order, link.other.plan.name, link.other.key))
    middle = {
        link.other.pk: link.other for link in links if link.other.plan.order != Plan.Order.SDG
    }
    through = []
    if middle:
        second = alignments.filter(
            Q(source_id__in=list(middle), target__plan__order=Plan.Order.SDG)
            | Q(target_id__in=list(middle), source__plan__order=Plan.Order.SDG)
        ).select_related("source__plan", "target__plan")
        for alignment in second:
            outgoing = alignment.source_id in middle
            own, other = (
                (alignment.source, alignment.target)
                if outgoing
                else (alignment.target, alignment.source)
            )
            through.append(Link(alignment, middle[own.pk], other, outgoing))
        through.sort(key=lambda link: (link.own.key, link.other.key))
    return links, through


def _years(rows: list[ActionRow]) -> list[YearGroup]:
    years: dict[int, list[ActionRow]] = {}
    for row in rows:
        years.setdefault(row.fiscal_year, []).append(row)
    return [YearGroup(year, group, rollup(group)) for year, group in years.items()]


def _money(rows: list[ActionRow]) -> tuple[list[SourceMoney], dict[str, Decimal]]:
    """The chain's money by funding source and stage. One query."""
    lines = (
        BudgetLine.objects.filter(action_id__in=[row.action.pk for row in rows])
        .values("source", "source__key", "source__name")
        .annotate(**{stage: Sum(stage) for stage in STAGES})
        .order_by("source__position", "source__name")
    )
    money = [
        SourceMoney(line["source__key"], line["source__name"], {s: line[s] for s in STAGES})
        for line in (lines if rows else [])
    ]
    total = {stage: sum((m.stages[stage] for m in money), ZERO) for stage in STAGES}
    return money, total


def _indicators(scope: Scope, within: set[int], rows: list[ActionRow], today):
    """The indicators of the scope that measure an element of the chain or one of its
    actions, and their lights now. Two queries (and those the user's permissions need)."""
    action_ids = [row.action.pk for row in rows]
    indicators = list(
        scope.indicators.filter(Q(element_id__in=list(within)) | Q(action_id__in=action_ids))
        .select_related("element", "action__poa", "reporter")
        .order_by("key")
    )
    return indicators, scope.lights(indicators, today)


def _evaluations(
    evaluations: QuerySet[Evaluation], within: set[int], rows: list[ActionRow]
) -> list[Evaluation]:
    """The evaluations (of `evaluations`) of an element of the chain or one of its actions,
    with their recommendations. Two queries."""
    by_element = Evaluation.elements.through.objects.filter(planelement_id__in=list(within))
    by_action = Evaluation.actions.through.objects.filter(
        action_id__in=[row.action.pk for row in rows]
    )
    return list(
        evaluations.filter(
            Q(pk__in=by_element.values("evaluation_id"))
            | Q(pk__in=by_action.values("evaluation_id"))
        )
        .select_related("program")
        .prefetch_related("recommendations__responsible")
        .order_by("-start", "pk")
    )


def _designation() -> tuple[Designation | None, int]:
    """The body in charge of coordinating the PMOT, by which agreement, and how many bodies
    were in charge before it. One query."""
    designations = list(Designation.objects.select_related("body", "agreement__body"))
    current = next((d for d in designations if d.in_charge), None)
    return current, len(designations) - (1 if current else 0)


def current_phase(phases: list[Phase]) -> Phase | None:
    """The latest phase in progress; else the latest closed one."""
    open_ = [p for p in phases if p.status == Phase.Status.OPEN]
    if open_:
        return open_[-1]
    closed = [p for p in phases if p.status == Phase.Status.CLOSED]
    return closed[-1] if closed else None


@dataclass(frozen=True)
class Acting:
    """An agreement acting on a record of the chain: `kind` names the record's model."""

    agreement: Agreement
    kind: str  # element, poa, action, evaluation, recommendation, or "" when unknown
    subject: object | None


def _agreements(agreements, elements, within, path, rows, evaluations) -> list[Acting]:
    """The agreements (of `agreements`) whose agenda item acts on the chain's records (its
    elements, POAs, actions, evaluations and recommendations), and the agreements that
    approved the POAs, each with what it acts on. One query (and one for the content types
    the first time)."""
    types = ContentType.objects.get_for_models(PlanElement, Poa, Action, Evaluation, Recommendation)
    poas = {row.action.poa_id: row.action.poa for row in rows}
    subjects = {
        "element": (PlanElement, {pk: elements[pk] for pk in within | {e.pk for e in path}}),
        "poa": (Poa, poas),
        "action": (Action, {row.action.pk: row.action for row in rows}),
        "evaluation": (Evaluation, {e.pk: e for e in evaluations}),
        "recommendation": (
            Recommendation,
            {r.pk: r for e in evaluations for r in e.recommendations.all()},
        ),
    }
    approvals = {p.approval_agreement_id: p for p in poas.values() if p.approval_agreement_id}
    found = agreements_about(
        dict(subjects.values()),
        agreements=agreements,
        also=approvals,
    ).order_by("decided_at", "pk")
    by_type = {types[model].pk: (kind, objects) for kind, (model, objects) in subjects.items()}
    result = []
    for agreement in found:
        item = agreement.item
        kind, objects = by_type.get(item.subject_type_id, ("", {}))
        subject = objects.get(item.subject_id)
        if subject is None and agreement.pk in approvals:
            kind, subject = "poa", approvals[agreement.pk]
        result.append(Acting(agreement, kind if subject is not None else "", subject))
    return result
